"""The assignment problem in index space: who may newly mark whom, which pairs are kept, what each
candidate needs, derived once from the solver's inputs so that every later step reads the same facts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from jury.assignments.solver_models import CandidateSlot, JurorSlot, Pair, SlotId, pair_key
from jury.assignments.wording import counted

__all__ = ["Problem", "validate"]


@dataclass
class Problem:
    """Everything derived once from the inputs, in index space (jurors j, candidates c).

    `allowed[j, c]`: j may be newly assigned to c (sits in c's zone, no conflict). `available`: allowed
    or kept. `locked`: kept pairs. `need[c]`: how many jurors c gets, `max(kept, min(k, available))`,
    since jurors have no capacity limit and so nothing else bounds a candidate's coverage.
    """

    candidates: Sequence[CandidateSlot]
    jurors: Sequence[JurorSlot]
    k: int
    in_zone: np.ndarray
    conflicted: set[tuple[int, int]]
    allowed: np.ndarray
    locked: set[tuple[int, int]]
    dropped: list[Pair]
    available: np.ndarray
    need: np.ndarray
    zones: list[str]
    zone_members: dict[str, list[int]]
    required: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        candidates: Sequence[CandidateSlot],
        jurors: Sequence[JurorSlot],
        k: int,
        conflicts: Collection[Pair],
        existing: Collection[Pair],
        bridge_min_per_zone: int,
    ) -> Problem:
        warnings: list[str] = []
        c_index = {c.id: i for i, c in enumerate(candidates)}
        j_index = {j.id: i for i, j in enumerate(jurors)}
        conflicted = {(j_index[j], c_index[c]) for j, c in conflicts if j in j_index and c in c_index}
        in_zone = np.array(
            [[sits_in(juror, cand.zone) for cand in candidates] for juror in jurors], dtype=bool
        ).reshape(len(jurors), len(candidates))
        allowed = in_zone.copy()
        for pair in conflicted:
            allowed[pair] = False

        locked, dropped = kept_pairs(
            existing,
            candidates=candidates,
            c_index=c_index,
            j_index=j_index,
            conflicted=conflicted,
            in_zone=in_zone,
            warnings=warnings,
        )
        available = allowed.copy()
        kept = np.zeros(len(candidates), dtype=int)
        for j, c in locked:
            available[j, c] = True
            kept[c] += 1
        need = np.maximum(kept, np.minimum(k, available.sum(axis=0)))
        for c in np.flatnonzero(kept > k):
            warnings.append(
                f"Le candidat {candidates[c].id} a déjà {counted(int(kept[c]), 'juré')} ({k} demandés) : "
                "aucune affectation existante n'est retirée."
            )

        zones = sorted({c.zone for c in candidates if c.zone is not None})
        zone_members = {z: [i for i, c in enumerate(candidates) if c.zone == z] for z in zones}
        return cls(
            candidates=candidates,
            jurors=jurors,
            k=k,
            in_zone=in_zone,
            conflicted=conflicted,
            allowed=allowed,
            locked=locked,
            dropped=dropped,
            available=available,
            need=need,
            zones=zones,
            zone_members=zone_members,
            required={z: min(bridge_min_per_zone, len(m)) for z, m in zone_members.items()},
            warnings=warnings,
        )

    def ids(self, pairs: Collection[tuple[int, int]]) -> list[Pair]:
        """Index pairs → sorted id pairs, the only form that leaves the solver."""
        return sorted(((self.jurors[j].id, self.candidates[c].id) for j, c in pairs), key=pair_key)


def validate(
    *, candidates: Sequence[CandidateSlot], jurors: Sequence[JurorSlot], numbers: dict[str, int]
) -> None:
    """Rejects caller bugs early: a duplicated id would silently merge two people in every count."""
    for label, slots in (("candidate", candidates), ("juror", jurors)):
        seen: set[SlotId] = set()
        for slot in slots:
            if slot.id in seen:
                raise ValueError(f"duplicate {label} id {slot.id!r}")
            seen.add(slot.id)
    for name, value in numbers.items():
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")


def sits_in(juror: JurorSlot, zone: str | None) -> bool:
    return zone is None or juror.zones is None or zone in juror.zones


def kept_pairs(
    existing: Collection[Pair],
    *,
    candidates: Sequence[CandidateSlot],
    c_index: dict[SlotId, int],
    j_index: dict[SlotId, int],
    conflicted: set[tuple[int, int]],
    in_zone: np.ndarray,
    warnings: list[str],
) -> tuple[set[tuple[int, int]], list[Pair]]:
    """Keeps existing pairs, except those the organiser must hear about: unknown people, new conflicts.

    A kept pair outside the juror's zones stays (someone decided it by hand) but is pointed out.
    """
    locked: set[tuple[int, int]] = set()
    dropped: list[Pair] = []
    # tuple(): pairs decoded from JSON arrive as lists, which cannot go in a set.
    for juror_id, cand_id in sorted({tuple(p) for p in existing}, key=pair_key):
        if juror_id not in j_index:
            warnings.append(
                f"Affectation existante ignorée : le juré {juror_id} ne fait pas partie de ce jury."
            )
            continue
        if cand_id not in c_index:
            warnings.append(
                f"Affectation existante ignorée : le candidat {cand_id} ne concourt pas dans ce tour."
            )
            continue
        pair = (j_index[juror_id], c_index[cand_id])
        if pair in conflicted:
            dropped.append((juror_id, cand_id))
            warnings.append(
                f"Affectation retirée : le juré {juror_id} a déclaré un conflit d'intérêts "
                f"avec le candidat {cand_id}."
            )
            continue
        if not in_zone[pair]:
            warnings.append(
                f"Affectation existante conservée hors zone : le juré {juror_id} ne siège pas dans la "
                f"zone « {candidates[pair[1]].zone} » du candidat {cand_id}."
            )
        locked.add(pair)
    return locked, dropped
