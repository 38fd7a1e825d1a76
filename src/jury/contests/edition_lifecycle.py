"""The life of an edition and the rules of its settings, as pure functions the setup service applies.

en préparation (`preparing`) → candidatures ouvertes (`applications`) → jugement (`judging`) → décidée
(`decided`) → archivée (`archived`). An edition is *current* until it is decided: a decided edition has
its laureates and is no longer worked on, whatever its year. Each forward step has its checks, so that an
edition never opens its applications without a grid to judge them, nor is declared decided while a round
is still open. Going back one step is possible before the decision (an edition opened too early, a
closing date moved), with a written reason; a decision is never undone here (corrections are their own,
audited acts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import msgspec

from jury.errors import FieldError
from jury.french.dates import french_date as date_fr
from jury.labels import label

STATUSES = ("preparing", "applications", "judging", "decided", "archived")
NEXT: dict[str, str] = {
    "preparing": "applications",
    "applications": "judging",
    "judging": "decided",
    "decided": "archived",
}
BACK: dict[str, str] = {"applications": "preparing", "judging": "applications"}
CURRENT = frozenset({"preparing", "applications", "judging"})
"""The statuses of an edition still worked on: "current" means not yet decided."""

# What stays editable once the edition is decided: its laureates were chosen under the other rules.
EDITABLE_WHEN_DECIDED = frozenset({"theme", "place", "decision_on", "retention_months"})

TIE_BREAK_RULES = ("calibrated_score", "chair")
_CRITERION_RULE = re.compile(r"^criterion:([0-9]+)$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def is_current(status: str) -> bool:
    return status in CURRENT


class EditionRules(msgspec.Struct, frozen=True, kw_only=True):
    """Every setting of an edition an organiser may set: what the settings checks look at together."""

    number: int
    year: int
    theme: str = ""
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    decision_on: dt.date | None = None
    place: str = "Nanterre"
    budget_eur: int | None = None
    max_grant_eur: int | None = None
    eligible_legal_forms: list[str] = msgspec.field(default_factory=list)
    accepted_outside_insee: list[str] = msgspec.field(default_factory=list)
    max_company_age_years: int | None = None
    allow_multiple_prizes: bool = False
    tie_break_policy: list[str] = msgspec.field(default_factory=lambda: ["calibrated_score", "chair"])
    retention_months: int = 24


EDITABLE = tuple(f for f in EditionRules.__struct_fields__ if f != "year")
"""The fields `PATCH /api/editions/{slug}` may change: all but the year, which the slug carries."""


def shift_years(day: dt.date | None, years: int) -> dt.date | None:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def settings_errors(rules: EditionRules) -> list[FieldError]:
    """Every refused value, each naming its field, so an organiser corrects them all at once."""
    errors: list[FieldError] = []

    def refuse(field: str, message: str) -> None:
        errors.append(FieldError(field=field, message=message))

    if rules.number <= 0:
        refuse("number", "Le numéro de l'édition doit être un entier positif.")
    if not 2000 <= rules.year <= 2100:
        refuse("year", "L'année doit être comprise entre 2000 et 2100.")
    if len(rules.theme) > 500:
        refuse("theme", "Le thème ne peut dépasser 500 caractères.")
    if not rules.place.strip() or len(rules.place) > 200:
        refuse("place", "Le lieu (ville de signature des diplômes) est obligatoire, 200 caractères au plus.")
    if rules.opens_on and rules.closes_on and rules.closes_on < rules.opens_on:
        refuse(
            "closes_on",
            f"La clôture des candidatures ({date_fr(rules.closes_on)}) précède leur ouverture "
            f"({date_fr(rules.opens_on)}).",
        )
    if rules.closes_on and rules.decision_on and rules.decision_on < rules.closes_on:
        refuse(
            "decision_on",
            f"La décision ({date_fr(rules.decision_on)}) ne peut précéder la clôture des candidatures "
            f"({date_fr(rules.closes_on)}).",
        )
    for field in ("budget_eur", "max_grant_eur"):
        value = getattr(rules, field)
        if value is not None and value < 0:
            refuse(field, "Un montant ne peut être négatif.")
    if (
        rules.budget_eur is not None
        and rules.max_grant_eur is not None
        and rules.max_grant_eur > rules.budget_eur
    ):
        refuse(
            "max_grant_eur",
            f"Le plafond par lauréat ({rules.max_grant_eur} €) dépasse le budget de l'édition "
            f"({rules.budget_eur} €).",
        )
    if rules.max_company_age_years is not None and not 1 <= rules.max_company_age_years <= 100:
        refuse(
            "max_company_age_years", "L'âge maximal de l'entreprise est un nombre d'années entre 1 et 100."
        )
    if not 1 <= rules.retention_months <= 120:
        refuse("retention_months", "La durée de conservation est comprise entre 1 et 120 mois.")
    forms = [f.strip() for f in rules.eligible_legal_forms]
    if any(not f or len(f) > 100 for f in forms):
        refuse(
            "eligible_legal_forms", "Une forme juridique est vide ou trop longue (100 caractères au plus)."
        )
    elif len({f.casefold() for f in forms}) != len(forms):
        refuse("eligible_legal_forms", "Une forme juridique est citée deux fois.")
    bad_codes = [c for c in rules.accepted_outside_insee if not INSEE.fullmatch(c)]
    if bad_codes:
        refuse(
            "accepted_outside_insee",
            f"Code INSEE invalide : {', '.join(bad_codes)} (cinq caractères, par exemple 95018).",
        )
    elif len(set(rules.accepted_outside_insee)) != len(rules.accepted_outside_insee):
        refuse("accepted_outside_insee", "Une commune est citée deux fois.")
    errors += _tie_break_errors(rules.tie_break_policy)
    return errors


def _tie_break_errors(policy: Sequence[str]) -> list[FieldError]:
    unknown = [r for r in policy if r not in TIE_BREAK_RULES and not _CRITERION_RULE.fullmatch(r)]
    if unknown:
        return [
            FieldError(
                field="tie_break_policy",
                message=f"Règle de départage inconnue : {', '.join(unknown)} (règles admises : "
                "calibrated_score, chair, criterion:<identifiant du critère>).",
            )
        ]
    if len(set(policy)) != len(policy):
        return [FieldError(field="tie_break_policy", message="Une règle de départage est citée deux fois.")]
    return []


def criterion_ids(policy: Sequence[str]) -> list[int]:
    """The criteria a tie-break policy names (`criterion:<id>`), which must belong to the edition."""
    return [int(m.group(1)) for r in policy if (m := _CRITERION_RULE.fullmatch(r))]


def remap_policy(policy: Sequence[str], mapping: dict[int, int]) -> list[str]:
    """A copied edition's policy names the copies of the source's criteria, not the source's own."""
    out = []
    for rule in policy:
        m = _CRITERION_RULE.fullmatch(rule)
        if m and int(m.group(1)) in mapping:
            out.append(f"criterion:{mapping[int(m.group(1))]}")
        elif not m:
            out.append(rule)
    return out


def locked_fields(status: str, fields: Sequence[str]) -> list[str]:
    """Fields a change may not touch in this status: none before the decision, all but a few after."""
    if status == "archived":
        return list(fields)
    if status == "decided":
        return [f for f in fields if f not in EDITABLE_WHEN_DECIDED]
    return []


# --- Moving an edition ------------------------------------------------------------------------------------


class EditionSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """What the checks of a step look at, gathered by the service in one query."""

    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    decision_on: dt.date | None
    rounds: int
    categories_with_criteria: int
    categories_without_criteria: list[str]
    candidates: int
    rounds_not_closed: list[str]


class Requirement(msgspec.Struct, frozen=True, kw_only=True):
    """One thing a step still needs: the field (or part of the setup) to fix, and what is missing.

    `fix` names where it is fixed: "settings" (this edition's settings page), "rounds", "categories",
    "candidates" (the edition's pages for them).
    """

    field: str
    message: str
    fix: str


def move_problem(*, current: str, target: str, reason: str) -> str | None:
    """Why this move does not exist from the current status (a conflict with the state), or None."""
    if target not in STATUSES:
        return f"État inconnu : « {target} » (états : {', '.join(STATUSES)})."
    if current == target:
        return f"L'édition est déjà « {label(current, 'edition')} »."
    if NEXT.get(current) == target:
        return None
    if BACK.get(current) == target:
        if not reason.strip():
            return (
                f"Revenir à « {label(target, 'edition')} » demande un motif écrit (champ reason), "
                "inscrit au journal d'audit."
            )
        return None
    if current == "archived":
        return "L'édition est archivée : son état ne change plus."
    if target == "archived":
        return "Seule une édition décidée peut être archivée."
    if current == "decided":
        return "L'édition est décidée : sa décision ne se défait pas en changeant son état."
    return (
        f"Passage impossible de « {label(current, 'edition')} » à « {label(target, 'edition')} » : "
        f"l'étape suivante est « {label(NEXT[current], 'edition')} »."
    )


def requirements(*, target: str, snapshot: EditionSnapshot, today: dt.date) -> list[Requirement]:
    """What the edition still lacks to enter `target` (nothing for a step back or to archive)."""
    needs: list[Requirement] = []
    s = snapshot
    if target == "applications":
        if s.rounds == 0:
            needs.append(Requirement(field="rounds", message="Aucun tour n'est défini.", fix="rounds"))
        if s.categories_with_criteria == 0:
            needs.append(
                Requirement(
                    field="categories",
                    message="Aucune catégorie n'a de grille de critères.",
                    fix="categories",
                )
            )
        needs += [
            Requirement(
                field="categories",
                message=f"La catégorie « {name} » n'a aucun critère de notation.",
                fix="categories",
            )
            for name in s.categories_without_criteria
        ]
        if s.opens_on is None:
            needs.append(
                Requirement(
                    field="opens_on", message="La date d'ouverture des candidatures manque.", fix="settings"
                )
            )
        if s.closes_on is None:
            needs.append(
                Requirement(
                    field="closes_on", message="La date de clôture des candidatures manque.", fix="settings"
                )
            )
    elif target == "judging":
        if s.candidates == 0:
            needs.append(
                Requirement(field="candidates", message="Aucun candidat n'est inscrit.", fix="candidates")
            )
        if s.closes_on is None:
            needs.append(
                Requirement(
                    field="closes_on", message="La date de clôture des candidatures manque.", fix="settings"
                )
            )
        elif s.closes_on > today:
            needs.append(
                Requirement(
                    field="closes_on",
                    message=f"Les candidatures sont ouvertes jusqu'au {date_fr(s.closes_on)} : pour juger "
                    "plus tôt, avancez la date de clôture.",
                    fix="settings",
                )
            )
    elif target == "decided":
        if s.rounds == 0:
            needs.append(Requirement(field="rounds", message="Aucun tour n'est défini.", fix="rounds"))
        needs += [
            Requirement(field="rounds", message=f"Le tour « {name} » n'est pas clos.", fix="rounds")
            for name in s.rounds_not_closed
        ]
        decision_on = s.decision_on or today
        if s.closes_on is not None and decision_on < s.closes_on:
            needs.append(
                Requirement(
                    field="decision_on",
                    message=f"La date de décision ({date_fr(decision_on)}) précède la clôture des "
                    f"candidatures ({date_fr(s.closes_on)}).",
                    fix="settings",
                )
            )
    return needs


def next_steps(status: str) -> list[str]:
    """The moves offered from this status: the next step, then the step back (if any)."""
    return [s for s in (NEXT.get(status), BACK.get(status)) if s]
