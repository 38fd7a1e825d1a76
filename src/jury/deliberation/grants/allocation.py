"""Progr'ESS grants: a proposed allocation of the budget, and its validation.

Amounts are whole euros (``int``): the call for projects states them in euros and integer arithmetic keeps
totals exact. The committee decides; :func:`propose_allocation` only drafts a split it can amend, and
:func:`validate_allocation` checks whatever the committee finally enters.

Allocation rule (the one an edition gets unless it changes ``min_partial``): candidates are served in
standing order, each receiving its full request while the budget allows. When a request no longer fits,
the candidate receives the remainder of the budget if that remainder reaches ``min_partial`` (a better-ranked
project comes before a lower-ranked one that would fit in full); otherwise it receives nothing and the next
candidates are tried, so a smaller request further down may still be funded in full. With
``min_partial=None`` (the default) partial grants are never proposed.

The standing order is the ranking of the round the grants follow (:func:`ranking_order`): a grant belongs to
that round, so the default proposal walks its ranking down the budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from jury.french.money import euros

__all__ = [
    "Allocation",
    "Grant",
    "GrantRequest",
    "propose_allocation",
    "ranking_order",
    "validate_allocation",
]


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


def ranking_order(sections: Sequence[Sequence[tuple[int, int | None]]]) -> list[int]:
    """Candidate ids in standing order from a round's standings, each a list of (candidate id, rank).

    One standing (the usual committee) gives its ranking as it is. Several (panels or categories ranked
    apart) are merged rank by rank: every rank 1 first, in the order of the standings, then every rank 2,
    and so on. A candidate with no rank (no mark counted) comes after every ranked one, and a candidate
    listed twice keeps its best place.
    """
    placed = sorted(
        (rank is None, 0 if rank is None else rank, section, position, candidate)
        for section, lines in enumerate(sections)
        for position, (candidate, rank) in enumerate(lines)
    )
    order: list[int] = []
    seen: set[int] = set()
    for *_, candidate in placed:
        if candidate not in seen:
            seen.add(candidate)
            order.append(candidate)
    return order


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
