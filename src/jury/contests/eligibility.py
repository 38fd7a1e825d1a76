"""Eligibility of a candidate to an edition: pass/fail rules checked before any scoring.

A contest rule, not a round's or a deliberation's: the eligibility round, the grant allocation and (next)
every place a candidate enters use the same checks, so they live beside the contest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Literal

import msgspec

from jury.contests.territory import is_insee_code
from jury.french.dates import french_date
from jury.french.money import euros


class EligibilityFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A failed eligibility rule: a stable ``rule`` code for filtering, a French ``message`` for people."""

    rule: Literal["legal_form", "seat", "requested_amount", "territory", "company_age", "required_field"]
    message: str


class Eligibility(msgspec.Struct, frozen=True, kw_only=True):
    """Every failed rule is listed, not just the first, so an applicant learns everything at once."""

    failures: tuple[EligibilityFailure, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.failures


def check_eligibility(
    *,
    legal_form: str,
    allowed_forms: Collection[str],
    seat_insee: str,
    communes_92: Collection[str],
    requested: int,
    max_grant: int,
) -> Eligibility:
    """Pass/fail checks made before any scoring.

    Eligible legal forms change from one edition to the next (associations and ESUS in 2022 and 2025,
    also foundations, mutuals, ESAT, SIAE and PTCE in 2024), hence ``allowed_forms``; they are compared
    without regard to case or surrounding spaces. ``communes_92`` holds the INSEE codes of the département.
    """
    failures: list[EligibilityFailure] = []

    form = (legal_form or "").strip()
    allowed = {f.strip().casefold() for f in allowed_forms}
    if not form:
        failures.append(EligibilityFailure(rule="legal_form", message="Forme juridique non renseignée"))
    elif form.casefold() not in allowed:
        listed = ", ".join(sorted((f.strip() for f in allowed_forms), key=str.casefold)) or "aucune"
        failures.append(
            EligibilityFailure(
                rule="legal_form",
                message=f"Forme juridique non éligible pour cette édition : « {form} » "
                f"(formes admises : {listed})",
            )
        )

    seat = (seat_insee or "").strip().upper()
    if not seat:
        failures.append(EligibilityFailure(rule="seat", message="Code INSEE du siège non renseigné"))
    elif not is_insee_code(seat):
        failures.append(
            EligibilityFailure(
                rule="seat",
                message=f"Code INSEE du siège invalide : « {seat} » "
                "(5 caractères attendus, par exemple 92050)",
            )
        )
    elif seat not in communes_92:
        if seat.startswith("92") and seat.endswith("0"):
            message = (
                f"Siège : « {seat} » ressemble à un code postal ; le code INSEE de la commune est attendu "
                "(par exemple 92050 pour Nanterre, code postal 92000)"
            )
        else:
            message = f"Siège hors des Hauts-de-Seine : code INSEE {seat}"
        failures.append(EligibilityFailure(rule="seat", message=message))

    if not _is_int(requested):
        failures.append(
            EligibilityFailure(rule="requested_amount", message=f"Montant demandé non entier : {requested!r}")
        )
    elif requested <= 0:
        failures.append(
            EligibilityFailure(
                rule="requested_amount",
                message=f"Montant demandé invalide : {euros(requested)} (un montant positif est attendu)",
            )
        )
    elif requested > max_grant:
        failures.append(
            EligibilityFailure(
                rule="requested_amount",
                message=f"Montant demandé ({euros(requested)}) supérieur au plafond de {euros(max_grant)}",
            )
        )
    return Eligibility(failures=tuple(failures))


def _is_int(value: object) -> bool:
    # bool is an int subclass; True € is a bug, not one euro.
    return isinstance(value, int) and not isinstance(value, bool)


# --- The rules of an edition, checked wherever a candidate enters (import, API, form) ----------------------


class EditionRules(msgspec.Struct, frozen=True, kw_only=True):
    """An edition's eligibility rules as data. An empty or absent rule checks nothing.

    ``department_communes`` are the INSEE codes of the Hauts-de-Seine; ``accepted_outside`` the codes an
    edition accepts beyond them (Argenteuil for Made in 92); ``commune_names`` names codes in messages.
    ``required_fields`` maps a column name (``date_creation``…) to its French label.
    """

    department_communes: frozenset[str]
    accepted_outside: frozenset[str] = frozenset()
    commune_names: Mapping[str, str] = msgspec.field(default_factory=dict)
    closes_on: dt.date | None = None
    max_company_age_years: int | None = None
    eligible_legal_forms: tuple[str, ...] = ()
    max_grant_eur: int | None = None
    required_fields: Mapping[str, str] = msgspec.field(default_factory=dict)


class Application(msgspec.Struct, frozen=True, kw_only=True):
    """What the rules read of a candidate; ``filled`` names the columns that hold a value."""

    insee_code: str = ""
    legal_form: str = ""
    founded_on: dt.date | None = None
    requested_eur: int | None = None
    filled: frozenset[str] = frozenset()


def check_application(application: Application, rules: EditionRules) -> Eligibility:
    """Every rule of the edition, each failure named with its reason; the candidate is flagged, never
    dropped, so these never refuse anything by themselves."""
    failures: list[EligibilityFailure] = []
    for name, label in rules.required_fields.items():
        if name not in application.filled:
            failures.append(
                EligibilityFailure(
                    rule="required_field", message=f"Champ obligatoire non renseigné : {label}"
                )
            )
    if failure := _territory(application.insee_code, rules):
        failures.append(failure)
    if failure := _company_age(application.founded_on, rules):
        failures.append(failure)
    if failure := _legal_form(application.legal_form, rules.eligible_legal_forms):
        failures.append(failure)
    requested, cap = application.requested_eur, rules.max_grant_eur
    if requested is not None and cap is not None and requested > cap:
        failures.append(
            EligibilityFailure(
                rule="requested_amount",
                message=f"Montant demandé ({euros(requested)}) supérieur au plafond de {euros(cap)}",
            )
        )
    return Eligibility(failures=tuple(failures))


def company_age_years(founded_on: dt.date, on: dt.date) -> int:
    """Completed years between the creation and a day, as a birthday counts them (29 February: 1 March)."""
    years = on.year - founded_on.year
    if (on.month, on.day) < (founded_on.month, founded_on.day):
        years -= 1
    return years


def _territory(insee_code: str, rules: EditionRules) -> EligibilityFailure | None:
    code = (insee_code or "").strip().upper()
    if not code or code in rules.department_communes or code in rules.accepted_outside:
        return None
    name = rules.commune_names.get(code)
    where = f"{name} ({code})" if name else f"code INSEE {code}"
    return EligibilityFailure(
        rule="territory",
        message=f"Commune hors des Hauts-de-Seine et non acceptée par cette édition : {where}",
    )


def _company_age(founded_on: dt.date | None, rules: EditionRules) -> EligibilityFailure | None:
    limit, closes_on = rules.max_company_age_years, rules.closes_on
    if limit is None or closes_on is None:
        return None
    if founded_on is None:
        return EligibilityFailure(
            rule="company_age",
            message=f"Date de création non renseignée : l'âge de l'entreprise (moins de {limit} ans "
            "à la clôture) ne peut être vérifié",
        )
    age = company_age_years(founded_on, closes_on)
    if age < limit:
        return None
    return EligibilityFailure(
        rule="company_age",
        message=f"Entreprise créée le {french_date(founded_on)} : {age} ans à la clôture du "
        f"{french_date(closes_on)} (moins de {limit} ans exigés)",
    )


def _legal_form(legal_form: str, allowed_forms: Collection[str]) -> EligibilityFailure | None:
    if not allowed_forms:
        return None
    form = (legal_form or "").strip()
    if not form:
        return EligibilityFailure(rule="legal_form", message="Forme juridique non renseignée")
    if form.casefold() in {f.strip().casefold() for f in allowed_forms}:
        return None
    listed = ", ".join(sorted((f.strip() for f in allowed_forms), key=str.casefold))
    return EligibilityFailure(
        rule="legal_form",
        message=f"Forme juridique non éligible pour cette édition : « {form} » (formes admises : {listed})",
    )
