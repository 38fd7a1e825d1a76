"""What the assignment solver takes and gives: candidates and jurors as slots in, a plan out.

Plain values (ids, zones, counts, French reasons), so the plan round-trips through JSON for the preview
and the solver can be tested without a database.
"""

from __future__ import annotations

import msgspec

from jury.results.design import DesignCheck, id_sort_key

__all__ = [
    "AssignmentPlan",
    "BridgeCoverage",
    "CandidateCoverage",
    "CandidateSlot",
    "JurorLoad",
    "JurorSlot",
    "Pair",
    "SlotId",
    "Uncovered",
    "pair_key",
]

SlotId = int | str
Pair = tuple[SlotId, SlotId]


class CandidateSlot(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate to be marked; `zone` is its territorial semi-final (None outside zoned rounds)."""

    id: SlotId
    zone: str | None = None


class JurorSlot(msgspec.Struct, frozen=True, kw_only=True):
    """A juror available for the round.

    `zones` is where the juror may sit (None: anywhere). `can_bridge` defaults to True because a juror
    who sits in every zone is exactly what links the panels; set it to False for a juror who cannot take
    the heavier load of a bridge.
    """

    id: SlotId
    zones: frozenset[str] | None = None
    can_bridge: bool = True


class JurorLoad(msgspec.Struct, frozen=True, kw_only=True):
    """`added` counts the pairs this plan creates on top of the kept ones, for the "fill holes" preview."""

    juror: SlotId
    load: int
    added: int
    bridging: bool


class CandidateCoverage(msgspec.Struct, frozen=True, kw_only=True):
    candidate: SlotId
    zone: str | None
    jurors: list[SlotId]
    wanted: int


class Uncovered(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate that could not get `wanted` jurors; `reason` is French, for the organiser."""

    candidate: SlotId
    zone: str | None
    assigned: int
    wanted: int
    reason: str


class BridgeCoverage(msgspec.Struct, frozen=True, kw_only=True):
    """How many candidates of each zone a bridging juror sees, against what the design asks for."""

    juror: SlotId
    seen: dict[str, int]
    required: dict[str, int]
    complete: bool


class AssignmentPlan(msgspec.Struct, frozen=True, kw_only=True):
    """A proposal to preview, not yet saved.

    `pairs` holds every (juror, candidate) pair of the plan, kept ones included; `added` the new ones;
    `dropped` the kept pairs that had to go because a conflict was declared since.
    """

    k: int
    seed: int
    pairs: list[Pair]
    added: list[Pair]
    dropped: list[Pair]
    loads: list[JurorLoad]
    coverage: list[CandidateCoverage]
    uncovered: list[Uncovered]
    bridges: list[BridgeCoverage]
    design: DesignCheck
    warnings: list[str]


def pair_key(pair: Pair) -> tuple:
    """Sort key of a (juror, candidate) pair, so that plans list pairs in one order whatever the id types."""
    return (id_sort_key(pair[0]), id_sort_key(pair[1]))
