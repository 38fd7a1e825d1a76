"""What an edition's grid, prizes and eligibility rules must satisfy before they are stored.

Pure checks with plain values: the JSON API and the setup pages send the same structures here, and every
refusal names its line and field (``criteria[2].weight``) so an organiser knows what to correct. The
database repeats the essential constraints (scale, positive weight), but a constraint error names no field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

import msgspec

from jury.bounds import bounded
from jury.errors import FieldError

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CODE_MESSAGE = "Code attendu : 1 à 40 lettres minuscules, chiffres, tirets ou soulignés (ex. « innovation »)."
NUMERIC_LIMIT = Decimal("10000")  # numeric(6, 2) columns hold values below 10 000
PRIZE_KINDS: dict[str, str] = {
    "category": "Prix de catégorie",
    "special": "Prix spécial",
    "podium": "Podium",
    "laureate": "Lauréat",
    "territorial": "Prix territorial",
    "label": "Label (plusieurs lauréats, sans montant)",
    "cohort": "Promotion (plusieurs lauréats, sans montant)",
}
PLACE_KINDS = frozenset({"category", "special", "territorial", "podium"})
"""Prizes of one place: one holder, or several sharing the place ex aequo where the prize allows it."""
SEVERAL_HOLDER_KINDS = frozenset({"laureate", "label", "cohort"})
"""Prizes several laureates hold, up to ``max_winners`` (None: no limit): the laureates of a call for
projects (each with a grant), a label, a cohort (neither with an amount)."""
UNPAID_KINDS = frozenset({"label", "cohort"})
# The import's candidate columns an edition may require (see jury.imports.models.CANDIDATE_COLUMNS).
REQUIRED_FIELD_CHOICES: dict[str, str] = {
    "nom_structure": "Structure",
    "nom_porteur": "Porteur",
    "courriel": "Courriel",
    "code_insee": "Code INSEE",
    "forme_juridique": "Forme juridique",
    "date_creation": "Date de création",
    "montant_demande": "Montant demandé",
    "numero": "Numéro",
    "creation": "Création",
    "categorie": "Catégorie",
    "projet": "Projet",
}
DEPARTMENT = re.compile(r"^(?:[0-9]{2}|2A|2B|97[0-9])$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


# The request types carry the single-value bounds the checks below apply (the schema shows them; a body
# they refuse is answered 422 with the field named, like the checks' own refusals). The checks stay: the page
# forms build these structs without decoding them. `tests/security/test_strict_request_schemas.py` keeps the
# lists of values equal to PRIZE_KINDS and REQUIRED_FIELD_CHOICES.
Code = Annotated[str, msgspec.Meta(pattern=CODE.pattern)]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Number = Annotated[float, bounded(gt=-float(NUMERIC_LIMIT), lt=float(NUMERIC_LIMIT))]
Positive = Annotated[float, bounded(gt=0, lt=float(NUMERIC_LIMIT))]
PrizeKind = Literal["category", "special", "podium", "laureate", "territorial", "label", "cohort"]
RequiredField = Literal[
    "nom_structure",
    "nom_porteur",
    "courriel",
    "code_insee",
    "forme_juridique",
    "date_creation",
    "montant_demande",
    "numero",
    "creation",
    "categorie",
    "projet",
]


class CriterionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One line of a category's grid, as the API takes it and the page form is turned into."""

    code: Code
    label: Label
    weight: Positive
    scale_min: Number
    scale_max: Number
    scale_step: Positive
    help: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    comment_required: bool = False
    eliminatory: bool = False


class PrizeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One prize of the edition. ``max_winners`` left out keeps the stored value (or the kind's default)."""

    code: Code
    name: Label
    kind: PrizeKind
    category: str | None = None
    place: Annotated[int, msgspec.Meta(ge=1, le=3)] | None = None
    amount_eur: Annotated[int, bounded(ge=0, le=100_000_000)] | None = None
    ex_aequo_allowed: bool = False
    max_winners: Annotated[int, msgspec.Meta(ge=1, le=1000)] | msgspec.UnsetType | None = msgspec.UNSET


class TerritoryIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    department: Annotated[str, msgspec.Meta(pattern=DEPARTMENT.pattern)] = "92"
    accepted_outside_insee: list[Annotated[str, msgspec.Meta(pattern=INSEE.pattern)]] = msgspec.field(
        default_factory=list
    )


class EligibilityIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The whole rule set of an edition: what is left out is cleared (a PUT replaces)."""

    territory: TerritoryIn = msgspec.field(default_factory=TerritoryIn)
    max_company_age_years: Annotated[int, msgspec.Meta(ge=1, le=200)] | None = None
    legal_forms: list[Label] = msgspec.field(default_factory=list)
    max_request_eur: Annotated[int, bounded(ge=0)] | None = None
    required_fields: list[RequiredField] = msgspec.field(default_factory=list)


def decimal(value: float) -> Decimal | None:
    """The decimal a client meant (0.1, not its binary neighbour); None for NaN or infinity."""
    try:
        number = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return number if number.is_finite() else None


def _two_places(number: Decimal) -> bool:
    return number == number.quantize(Decimal("0.01"))


def _number_error(field: str, number: Decimal | None, *, positive: bool = False) -> FieldError | None:
    if number is None:
        return FieldError(field=field, message="Nombre attendu.")
    if abs(number) >= NUMERIC_LIMIT:
        return FieldError(field=field, message="Valeur trop grande : moins de 10 000.")
    if not _two_places(number):
        return FieldError(field=field, message="Au plus deux décimales.")
    if positive and number <= 0:
        return FieldError(field=field, message="La valeur doit être strictement positive.")
    return None


def _code_errors(prefix: str, codes: Sequence[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if not CODE.match(code):
            errors.append(FieldError(field=f"{prefix}[{i}].code", message=CODE_MESSAGE))
        elif code in seen:
            errors.append(FieldError(field=f"{prefix}[{i}].code", message=f"Code « {code} » en double."))
        seen.add(code)
    return errors


def criteria_errors(criteria: Sequence[CriterionIn], *, weights_total: float | None) -> list[FieldError]:
    """Every problem of a grid: codes, labels, scales (min < max, the step divides the range), weights
    (positive) and, when the category demands one, their total (Progr'ESS: 100)."""
    if not criteria:
        return [FieldError(field="criteria", message="Une grille compte au moins un critère.")]
    errors = _code_errors("criteria", [c.code for c in criteria])
    for i, c in enumerate(criteria):
        at = f"criteria[{i}]"
        if not c.label.strip():
            errors.append(FieldError(field=f"{at}.label", message="Libellé obligatoire."))
        elif len(c.label) > 200:
            errors.append(
                FieldError(field=f"{at}.label", message="Libellé trop long : 200 caractères au plus.")
            )
        if len(c.help) > 2000:
            errors.append(
                FieldError(field=f"{at}.help", message="Aide trop longue : 2 000 caractères au plus.")
            )
        weight = decimal(c.weight)
        if problem := _number_error(f"{at}.weight", weight, positive=True):
            errors.append(problem)
        low, high, step = decimal(c.scale_min), decimal(c.scale_max), decimal(c.scale_step)
        bad = [
            problem
            for problem in (
                _number_error(f"{at}.scale_min", low),
                _number_error(f"{at}.scale_max", high),
                _number_error(f"{at}.scale_step", step, positive=True),
            )
            if problem
        ]
        errors += bad
        if bad or low is None or high is None or step is None:
            continue
        if low >= high:
            errors.append(
                FieldError(field=f"{at}.scale_max", message="Le maximum du barème doit dépasser son minimum.")
            )
        elif (high - low) % step != 0:
            errors.append(
                FieldError(
                    field=f"{at}.scale_step",
                    message=f"Le pas {step.normalize():f} ne divise pas l'étendue du barème "
                    f"({low.normalize():f} à {high.normalize():f}).",
                )
            )
    if weights_total is not None and not errors:
        expected = decimal(weights_total)
        total = sum((decimal(c.weight) or Decimal(0) for c in criteria), Decimal(0))
        if expected is not None and total != expected:
            errors.append(
                FieldError(
                    field="criteria",
                    message=f"La somme des pondérations vaut {total.normalize():f} ; "
                    f"cette catégorie demande {expected.normalize():f}.",
                )
            )
    return errors


def weights_total_errors(weights_total: float | None) -> list[FieldError]:
    if weights_total is None:
        return []
    problem = _number_error("weights_total", decimal(weights_total), positive=True)
    return [problem] if problem else []


def category_errors(*, code: str, name: str | None) -> list[FieldError]:
    errors = []
    if not CODE.match(code):
        errors.append(FieldError(field="code", message=CODE_MESSAGE))
    if name is not None and not name.strip():
        errors.append(FieldError(field="name", message="Nom de catégorie obligatoire."))
    elif name is not None and len(name) > 200:
        errors.append(FieldError(field="name", message="Nom trop long : 200 caractères au plus."))
    return errors


def prize_errors(prizes: Sequence[PrizeIn], *, categories: Collection[str]) -> list[FieldError]:
    """Every problem of an edition's prize list: codes, names, kinds, the category each names, podium places;
    a prize of one place has one winner (ex aequo shares it), a label or a cohort no amount, and ex aequo
    only applies to a place."""
    errors = _code_errors("prizes", [p.code for p in prizes])
    for i, p in enumerate(prizes):
        at = f"prizes[{i}]"
        if not p.name.strip():
            errors.append(FieldError(field=f"{at}.name", message="Nom du prix obligatoire."))
        elif len(p.name) > 200:
            errors.append(FieldError(field=f"{at}.name", message="Nom trop long : 200 caractères au plus."))
        if p.kind not in PRIZE_KINDS:
            errors.append(
                FieldError(field=f"{at}.kind", message="Type attendu : " + ", ".join(PRIZE_KINDS) + ".")
            )
        if p.category is not None and p.category not in categories:
            errors.append(FieldError(field=f"{at}.category", message=f"Catégorie inconnue : {p.category}."))
        elif p.kind == "category" and p.category is None:
            errors.append(
                FieldError(field=f"{at}.category", message="Un prix de catégorie nomme sa catégorie.")
            )
        if p.place is not None and not 1 <= p.place <= 3:
            errors.append(FieldError(field=f"{at}.place", message="La place va de 1 à 3."))
        elif p.kind == "podium" and p.place is None:
            errors.append(
                FieldError(field=f"{at}.place", message="Un prix du podium a une place (1, 2 ou 3).")
            )
        if p.amount_eur is not None and not 0 <= p.amount_eur <= 100_000_000:
            errors.append(
                FieldError(field=f"{at}.amount_eur", message="Montant en euros, de 0 à 100 000 000.")
            )
        if isinstance(p.max_winners, int) and not 1 <= p.max_winners <= 1000:
            errors.append(FieldError(field=f"{at}.max_winners", message="De 1 à 1 000 lauréats."))
        elif p.kind in PLACE_KINDS and p.max_winners not in (1, msgspec.UNSET):
            errors.append(
                FieldError(
                    field=f"{at}.max_winners",
                    message="Un prix à une place a un seul lauréat ; autorisez l'ex aequo pour qu'il "
                    "puisse être partagé, ou choisissez un label ou une promotion.",
                )
            )
        if p.kind in UNPAID_KINDS and p.amount_eur is not None:
            errors.append(
                FieldError(
                    field=f"{at}.amount_eur",
                    message=f"{PRIZE_KINDS[p.kind].split(' (')[0]} : aucun montant n'y est attaché.",
                )
            )
        if p.kind in SEVERAL_HOLDER_KINDS and p.ex_aequo_allowed:
            errors.append(
                FieldError(
                    field=f"{at}.ex_aequo_allowed",
                    message="L'ex aequo partage une place ; ce prix n'en a pas : "
                    "son nombre maximal de lauréats suffit.",
                )
            )
    return errors


def eligibility_errors(
    rules: EligibilityIn,
    *,
    commune_departments: Mapping[str, str],
    budget_eur: int | None,
) -> list[FieldError]:
    """Every problem of an edition's eligibility rules. ``commune_departments`` maps each known INSEE code
    to its département: an exception outside the département must be a commune the service knows."""
    errors: list[FieldError] = []
    department = rules.territory.department
    if not DEPARTMENT.match(department) or department not in set(commune_departments.values()):
        errors.append(
            FieldError(field="territory.department", message=f"Département inconnu : « {department} ».")
        )
    for i, code in enumerate(rules.territory.accepted_outside_insee):
        at = f"territory.accepted_outside_insee[{i}]"
        if not INSEE.match(code):
            errors.append(FieldError(field=at, message="Code INSEE attendu (5 caractères, ex. 95018)."))
        elif code not in commune_departments:
            errors.append(FieldError(field=at, message=f"Commune inconnue : {code}."))
        elif commune_departments[code] == department:
            errors.append(
                FieldError(field=at, message=f"La commune {code} est déjà dans le département {department}.")
            )
    age = rules.max_company_age_years
    if age is not None and not 1 <= age <= 200:
        errors.append(FieldError(field="max_company_age_years", message="Âge en années, de 1 à 200."))
    for i, form in enumerate(rules.legal_forms):
        if not form.strip():
            errors.append(FieldError(field=f"legal_forms[{i}]", message="Forme juridique vide."))
        elif len(form) > 200:
            errors.append(FieldError(field=f"legal_forms[{i}]", message="200 caractères au plus."))
    amount = rules.max_request_eur
    if amount is not None and amount < 0:
        errors.append(FieldError(field="max_request_eur", message="Montant positif attendu."))
    elif amount is not None and budget_eur is not None and amount > budget_eur:
        errors.append(
            FieldError(
                field="max_request_eur",
                message=f"Le plafond dépasse le budget de l'édition ({budget_eur} €).",
            )
        )
    for i, name in enumerate(rules.required_fields):
        if name not in REQUIRED_FIELD_CHOICES:
            errors.append(
                FieldError(
                    field=f"required_fields[{i}]",
                    message="Colonne inconnue ; attendu : " + ", ".join(REQUIRED_FIELD_CHOICES) + ".",
                )
            )
    return errors


def normalised_forms(forms: Sequence[str]) -> list[str]:
    """Legal forms trimmed and without repeats (compared without regard to case), in the given order."""
    seen: set[str] = set()
    out = []
    for form in forms:
        key = form.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(form.strip())
    return out


def unique_in_order(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))
