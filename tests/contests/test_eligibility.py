"""Eligibility rules of an edition (Progr'ESS today): every failed rule named, in French."""

from jury.contests.eligibility import Eligibility, EligibilityFailure, check_eligibility

MAX = 15_000
BUDGET = 100_000
FORMS_2022 = ["association", "structure agréée ESUS"]
COMMUNES_92 = {"92002", "92012", "92020", "92050", "92063"}


def plain(text: str) -> str:
    """Messages use French typographic spaces; compare them with ordinary ones for readability."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def plain_all(texts: list[str]) -> list[str]:
    return [plain(t) for t in texts]


# --- Eligibility ----------------------------------------------------------------------------------------


def eligibility(**overrides) -> Eligibility:
    args = {
        "legal_form": "association",
        "allowed_forms": FORMS_2022,
        "seat_insee": "92050",
        "communes_92": COMMUNES_92,
        "requested": 12_000,
        "max_grant": MAX,
    }
    args.update(overrides)
    return check_eligibility(**args)


def test_eligible_application():
    result = eligibility()
    assert result.eligible
    assert result.failures == ()


def test_legal_form_compared_without_case_or_spaces():
    assert eligibility(legal_form="  Association ").eligible
    assert eligibility(legal_form="Structure agréée ESUS").eligible


def test_legal_form_not_allowed_this_edition():
    result = eligibility(legal_form="fondation")
    assert not result.eligible
    assert result.failures == (
        EligibilityFailure(
            rule="legal_form",
            message="Forme juridique non éligible pour cette édition : « fondation » "
            "(formes admises : association, structure agréée ESUS)",
        ),
    )
    # The same form passes in an edition that lists it (2024 admitted foundations).
    assert eligibility(legal_form="fondation", allowed_forms={"association", "fondation"}).eligible


def test_missing_legal_form():
    assert eligibility(legal_form=" ").failures[0].message == "Forme juridique non renseignée"


def test_seat_at_the_exact_limit_of_the_92():
    assert eligibility(seat_insee="92020").eligible  # Châtillon: INSEE code ending in 0 is not a postal code
    assert eligibility(seat_insee=" 92063 ").eligible


def test_seat_outside_the_92():
    result = eligibility(seat_insee="75056")
    assert result.failures == (
        EligibilityFailure(rule="seat", message="Siège hors des Hauts-de-Seine : code INSEE 75056"),
    )


def test_seat_given_as_postal_code():
    (failure,) = eligibility(seat_insee="92000").failures
    assert failure.rule == "seat"
    assert failure.message.startswith("Siège : « 92000 » ressemble à un code postal")


def test_seat_malformed_or_missing():
    assert eligibility(seat_insee="9205").failures[0].message == (
        "Code INSEE du siège invalide : « 9205 » (5 caractères attendus, par exemple 92050)"
    )
    assert eligibility(seat_insee="").failures[0].message == "Code INSEE du siège non renseigné"


def test_requested_amount_at_and_above_the_cap():
    assert eligibility(requested=15_000).eligible
    (failure,) = eligibility(requested=15_001).failures
    assert failure.rule == "requested_amount"
    assert plain(failure.message) == "Montant demandé (15 001 €) supérieur au plafond de 15 000 €"


def test_requested_amount_must_be_a_positive_integer():
    assert plain(eligibility(requested=0).failures[0].message) == (
        "Montant demandé invalide : 0 € (un montant positif est attendu)"
    )
    assert eligibility(requested=1).eligible
    assert eligibility(requested=12_000.5).failures[0].message == "Montant demandé non entier : 12000.5"
    assert eligibility(requested=True).failures[0].rule == "requested_amount"


def test_every_failed_rule_is_named():
    result = eligibility(legal_form="SARL", seat_insee="94028", requested=20_000)
    assert [f.rule for f in result.failures] == ["legal_form", "seat", "requested_amount"]
    assert plain_all([f.message for f in result.failures]) == [
        "Forme juridique non éligible pour cette édition : « SARL » "
        "(formes admises : association, structure agréée ESUS)",
        "Siège hors des Hauts-de-Seine : code INSEE 94028",
        "Montant demandé (20 000 €) supérieur au plafond de 15 000 €",
    ]


# --- The edition's rules wherever a candidate enters (check_application) ---------------------------------

import datetime as dt  # noqa: E402

from jury.contests.eligibility import Application, EditionRules, check_application, company_age_years  # noqa: E402

MADE_IN_92 = EditionRules(
    department_communes=frozenset(COMMUNES_92),
    accepted_outside=frozenset({"95018"}),
    commune_names={"95018": "Argenteuil"},
    closes_on=dt.date(2025, 5, 31),
    max_company_age_years=8,
)
GATEAU = EditionRules(department_communes=frozenset(COMMUNES_92), commune_names={"95018": "Argenteuil"})


def test_argenteuil_flagged_unless_the_edition_lists_it():
    argenteuil = Application(insee_code="95018", founded_on=dt.date(2020, 1, 1))
    assert check_application(argenteuil, MADE_IN_92).eligible
    assert check_application(argenteuil, GATEAU).failures == (
        EligibilityFailure(
            rule="territory",
            message="Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)",
        ),
    )


def test_company_age_at_the_closing_date():
    assert company_age_years(dt.date(2017, 6, 1), dt.date(2025, 5, 31)) == 7
    assert company_age_years(dt.date(2017, 5, 31), dt.date(2025, 5, 31)) == 8
    young = Application(insee_code="92050", founded_on=dt.date(2017, 6, 1))
    assert check_application(young, MADE_IN_92).eligible
    (failure,) = check_application(
        Application(insee_code="92050", founded_on=dt.date(2016, 3, 15)), MADE_IN_92
    ).failures
    assert failure == EligibilityFailure(
        rule="company_age",
        message="Entreprise créée le 15 mars 2016 : 9 ans à la clôture du 31 mai 2025 (moins de 8 ans exigés)",
    )
    (unknown,) = check_application(Application(insee_code="92050"), MADE_IN_92).failures
    assert unknown.rule == "company_age"
    assert check_application(Application(insee_code="92050"), GATEAU).eligible  # no age rule


def test_legal_forms_request_and_required_fields():
    rules = EditionRules(
        department_communes=frozenset(COMMUNES_92),
        eligible_legal_forms=("Association", "ESUS"),
        max_grant_eur=15_000,
        required_fields={"projet": "Projet"},
    )
    result = check_application(
        Application(insee_code="92050", legal_form="SARL", requested_eur=20_000, filled=frozenset()), rules
    )
    assert [f.rule for f in result.failures] == ["required_field", "legal_form", "requested_amount"]
    assert plain_all([f.message for f in result.failures]) == [
        "Champ obligatoire non renseigné : Projet",
        "Forme juridique non éligible pour cette édition : « SARL » (formes admises : Association, ESUS)",
        "Montant demandé (20 000 €) supérieur au plafond de 15 000 €",
    ]
    ok = Application(
        insee_code="92050", legal_form=" association ", requested_eur=15_000, filled=frozenset({"projet"})
    )
    assert check_application(ok, rules).eligible
