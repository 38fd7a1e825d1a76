"""The pure checks of grids, prizes and eligibility rules: each refusal names its line and field."""

from jury.contests.grid_rules import (
    CriterionIn,
    EligibilityIn,
    PrizeIn,
    TerritoryIn,
    criteria_errors,
    eligibility_errors,
    normalised_forms,
    prize_errors,
)


def line(**kwargs) -> CriterionIn:
    base = {
        "code": "impact",
        "label": "Impact",
        "weight": 25,
        "scale_min": 0,
        "scale_max": 10,
        "scale_step": 1,
    }
    return CriterionIn(**{**base, **kwargs})


def fields(errors) -> list[str]:
    return [e.field for e in errors]


def test_a_progress_grid_summing_to_100_passes():
    grid = [line(code=f"c{i}", weight=25) for i in range(4)]
    assert criteria_errors(grid, weights_total=100) == []
    assert criteria_errors(grid, weights_total=None) == []


def test_a_total_off_the_rule_is_refused_with_its_sum():
    grid = [line(code="a", weight=25), line(code="b", weight=70)]
    [error] = criteria_errors(grid, weights_total=100)
    assert error.field == "criteria"
    assert "95" in error.message and "100" in error.message


def test_scales_must_rise_and_the_step_divide_the_range():
    grid = [
        line(code="a"),
        line(code="b", scale_min=10, scale_max=10),
        line(code="c", scale_min=0, scale_max=10, scale_step=3),
        line(code="d", scale_min=0, scale_max=1, scale_step=0.25),
        line(code="e", scale_step=0),
    ]
    assert fields(criteria_errors(grid, weights_total=None)) == [
        "criteria[1].scale_max",
        "criteria[2].scale_step",
        "criteria[4].scale_step",
    ]


def test_weights_are_positive_with_two_decimals_and_codes_unique():
    grid = [
        line(code="a", weight=0),
        line(code="a"),
        line(code="B c"),
        line(code="d", weight=1.005, label=" "),
    ]
    assert fields(criteria_errors(grid, weights_total=None)) == [
        "criteria[1].code",
        "criteria[2].code",
        "criteria[0].weight",
        "criteria[3].label",
        "criteria[3].weight",
    ]


def test_an_empty_grid_is_refused():
    assert fields(criteria_errors([], weights_total=None)) == ["criteria"]


def test_prizes_name_their_kind_category_and_place():
    prizes = [
        PrizeIn(code="p1", name="1er prix", kind="podium", place=1),
        PrizeIn(code="p2", name="2e prix", kind="podium"),
        PrizeIn(code="cat", name="Prix", kind="category"),
        PrizeIn(code="x", name="Prix", kind="category", category="nope"),
        PrizeIn(code="y", name="", kind="trophy", place=4),
    ]
    assert fields(prize_errors(prizes, categories={"innovation"})) == [
        "prizes[1].place",
        "prizes[2].category",
        "prizes[3].category",
        "prizes[4].name",
        "prizes[4].kind",
        "prizes[4].place",
    ]


def test_a_label_and_a_cohort_hold_several_laureates_without_an_amount():
    prizes = [
        PrizeIn(code="label", name="Label « Artisan du tourisme »", kind="label", max_winners=None),
        PrizeIn(code="promotion", name="Promotion", kind="cohort", max_winners=4),
        PrizeIn(code="or", name="1er prix", kind="podium", place=1, ex_aequo_allowed=True),
    ]
    assert prize_errors(prizes, categories=set()) == []
    refused = [
        PrizeIn(code="label", name="Label", kind="label", amount_eur=500),
        PrizeIn(code="promotion", name="Promotion", kind="cohort", max_winners=4, ex_aequo_allowed=True),
        PrizeIn(code="special", name="Prix spécial", kind="special", max_winners=3),
        PrizeIn(code="coeur", name="Coup de cœur", kind="special", max_winners=None),
        PrizeIn(code="laureat", name="Lauréat", kind="laureate", ex_aequo_allowed=True),
    ]
    errors = prize_errors(refused, categories=set())
    assert fields(errors) == [
        "prizes[0].amount_eur",
        "prizes[1].ex_aequo_allowed",
        "prizes[2].max_winners",
        "prizes[3].max_winners",
        "prizes[4].ex_aequo_allowed",
    ]
    assert errors[0].message == "Label : aucun montant n'y est attaché."
    assert "ex aequo" in errors[2].message


COMMUNES = {"92050": "92", "92004": "92", "95018": "95"}


def test_argenteuil_is_an_accepted_exception_of_the_92():
    rules = EligibilityIn(territory=TerritoryIn(department="92", accepted_outside_insee=["95018"]))
    assert eligibility_errors(rules, commune_departments=COMMUNES, budget_eur=None) == []


def test_eligibility_refusals_name_their_field():
    rules = EligibilityIn(
        territory=TerritoryIn(department="92", accepted_outside_insee=["92050", "99999", "750"]),
        max_company_age_years=0,
        legal_forms=["Association", " "],
        max_request_eur=200_000,
        required_fields=["courriel", "telephone"],
    )
    assert fields(eligibility_errors(rules, commune_departments=COMMUNES, budget_eur=100_000)) == [
        "territory.accepted_outside_insee[0]",
        "territory.accepted_outside_insee[1]",
        "territory.accepted_outside_insee[2]",
        "max_company_age_years",
        "legal_forms[1]",
        "max_request_eur",
        "required_fields[1]",
    ]
    unknown = EligibilityIn(territory=TerritoryIn(department="75"))
    assert fields(eligibility_errors(unknown, commune_departments=COMMUNES, budget_eur=None)) == [
        "territory.department"
    ]


def test_legal_forms_are_trimmed_and_deduplicated():
    assert normalised_forms([" Association ", "association", "ESUS", ""]) == ["Association", "ESUS"]
