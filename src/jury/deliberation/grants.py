"""Progr'ESS grants: eligibility checks, a proposed allocation of the budget, and its validation.

Amounts are whole euros (``int``): the call for projects states them in euros and integer arithmetic keeps
totals exact. The committee decides; :func:`propose_allocation` only drafts a split it can amend, and
:func:`validate_allocation` checks whatever the committee finally enters.

Allocation rule (the one an edition gets unless it changes ``min_partial``): candidates are served in
standing order, each receiving its full request while the budget allows. When a request no longer fits,
the candidate receives the remainder of the budget if that remainder reaches ``min_partial`` (a better-ranked
project comes before a lower-ranked one that would fit in full); otherwise it receives nothing and the next
candidates are tried, so a smaller request further down may still be funded in full. With
``min_partial=None`` (the default) partial grants are never proposed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal

import msgspec

from jury.contests.territory import is_insee_code
from jury.french.money import euros

__all__ = [
    "Allocation",
    "Eligibility",
    "EligibilityFailure",
    "Grant",
    "GrantRequest",
    "check_eligibility",
    "propose_allocation",
    "validate_allocation",
]


class EligibilityFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A failed eligibility rule: a stable ``rule`` code for filtering, a French ``message`` for people."""

    rule: Literal["legal_form", "seat", "requested_amount"]
    message: str


class Eligibility(msgspec.Struct, frozen=True, kw_only=True):
    """Every failed rule is listed, not just the first, so an applicant learns everything at once."""

    failures: tuple[EligibilityFailure, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.failures


class GrantRequest(msgspec.Struct, frozen=True, kw_only=True):
    candidate: str
    requested: int


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a proposed allocation; ``note`` is the French justification for the minutes."""

    candidate: str
    requested: int
    granted: int
    status: Literal["full", "partial", "unfunded"]
    note: str


class Allocation(msgspec.Struct, frozen=True, kw_only=True):
    grants: tuple[Grant, ...]
    total: int
    remaining: int


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


def propose_allocation(
    *,
    ranked: Sequence[GrantRequest | tuple[str, int]],
    budget: int,
    max_grant: int,
    min_partial: int | None = None,
) -> Allocation:
    """Draft grants in standing order under the rule described in the module docstring.

    ``ranked`` must only hold eligible requests: a request above ``max_grant``, a non-positive one or a
    candidate listed twice is an input error (``ValueError``), since silently capping it would hide it.
    """
    if not _is_int(budget) or budget < 0:
        raise ValueError(f"Budget invalide : {budget!r}")
    if not _is_int(max_grant) or max_grant <= 0:
        raise ValueError(f"Plafond invalide : {max_grant!r}")
    if min_partial is not None and (not _is_int(min_partial) or min_partial <= 0):
        raise ValueError(f"Minimum de financement partiel invalide : {min_partial!r}")

    requests = [
        r if isinstance(r, GrantRequest) else GrantRequest(candidate=r[0], requested=r[1]) for r in ranked
    ]
    seen: set[str] = set()
    for r in requests:
        if r.candidate in seen:
            raise ValueError(f"Candidat en double dans le classement : {r.candidate}")
        seen.add(r.candidate)
        if not _is_int(r.requested) or r.requested <= 0:
            raise ValueError(f"Montant demandé invalide pour {r.candidate} : {r.requested!r}")
        if r.requested > max_grant:
            raise ValueError(
                f"Montant demandé par {r.candidate} ({euros(r.requested)}) supérieur au plafond de "
                f"{euros(max_grant)}"
            )

    remaining = budget
    grants: list[Grant] = []
    for r in requests:
        if r.requested <= remaining:
            granted, status = r.requested, "full"
            note = f"Montant demandé accordé en totalité : {euros(r.requested)}"
        elif remaining == 0:
            granted, status = 0, "unfunded"
            note = "Non financé : budget épuisé"
        elif min_partial is not None and remaining >= min_partial:
            granted, status = remaining, "partial"
            note = (
                f"Financement partiel : reliquat du budget de {euros(remaining)} accordé sur "
                f"{euros(r.requested)} demandés (minimum de financement partiel : "
                f"{euros(min_partial)})"
            )
        elif min_partial is not None:
            granted, status = 0, "unfunded"
            note = (
                f"Non financé : le reliquat du budget ({euros(remaining)}) est inférieur au minimum "
                f"de financement partiel ({euros(min_partial)}) et à la demande "
                f"({euros(r.requested)})"
            )
        else:
            granted, status = 0, "unfunded"
            note = (
                f"Non financé : la demande ({euros(r.requested)}) dépasse le reliquat du budget "
                f"({euros(remaining)}) et l'édition n'admet pas de financement partiel"
            )
        remaining -= granted
        grants.append(
            Grant(candidate=r.candidate, requested=r.requested, granted=granted, status=status, note=note)
        )
    return Allocation(grants=tuple(grants), total=budget - remaining, remaining=remaining)


def validate_allocation(
    *,
    grants: Mapping[str, int],
    requests: Mapping[str, int],
    budget: int,
    max_grant: int,
) -> list[str]:
    """Check an allocation as entered by the committee; an empty list means it can be recorded.

    Errors come per candidate in the order of ``grants``, then the budget. The total counts only positive
    amounts: a negative line is already an error and must not hide an overrun.
    """
    errors: list[str] = []
    total = 0
    for candidate, granted in grants.items():
        if not _is_int(granted):
            errors.append(f"Montant accordé à {candidate} non entier : {granted!r}")
            continue
        if granted < 0:
            errors.append(f"Montant négatif pour {candidate} : {euros(granted)}")
            continue
        total += granted
        if candidate not in requests:
            if granted > 0:
                errors.append(
                    f"Subvention de {euros(granted)} accordée à {candidate} sans demande enregistrée"
                )
            continue
        requested = requests[candidate]
        if not _is_int(requested):
            errors.append(f"Montant demandé par {candidate} non entier : {requested!r}")
            continue
        if requested < 0:
            errors.append(f"Montant demandé négatif pour {candidate} : {euros(requested)}")
        if requested > max_grant:
            errors.append(
                f"Montant demandé par {candidate} ({euros(requested)}) supérieur au plafond de "
                f"{euros(max_grant)}"
            )
        if granted > requested:
            errors.append(
                f"Montant accordé à {candidate} ({euros(granted)}) supérieur au montant demandé "
                f"({euros(requested)})"
            )
        if granted > max_grant:
            errors.append(
                f"Montant accordé à {candidate} ({euros(granted)}) supérieur au plafond de {euros(max_grant)}"
            )
    if total > budget:
        errors.append(
            f"Total accordé ({euros(total)}) supérieur au budget ({euros(budget)}) : "
            f"dépassement de {euros(total - budget)}"
        )
    return errors


def _is_int(value: object) -> bool:
    # bool is an int subclass; True € is a bug, not one euro.
    return isinstance(value, int) and not isinstance(value, bool)
