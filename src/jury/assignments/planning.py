"""The solver's plan in a round's terms: the round as solver input, the plan back as panels, names and rows.

Every panel of a multi-panel round is its own solver zone (see `round_state.zone_keys`), so the solver
can never propose a pair that no panel holds, and a juror sitting on every panel is what it may use as a
bridge. Pure and CPU-bound: the service runs `propose_plan` off the event loop.
"""

from __future__ import annotations

import hashlib
import json
import re

from jury.assignments.models import (
    AssignedPair,
    PlanBridge,
    PlanLoad,
    PlanParameters,
    PlanPreview,
    PlanShortfall,
)
from jury.assignments.round_state import RoundAssignments, design_summary
from jury.assignments.solver import propose_assignment
from jury.assignments.solver_models import CandidateSlot, JurorSlot

__all__ = ["parameters_of", "propose_plan", "solver_input"]


def solver_input(rnd: RoundAssignments) -> tuple[list[CandidateSlot], list[JurorSlot]]:
    candidates = [
        CandidateSlot(id=c, zone=rnd.zone_of_panel.get(row["panel_id"]))
        for c, row in rnd.candidates.items()
        if row["panel_id"] is not None
    ]
    zones = {c.zone for c in candidates if c.zone is not None}
    jurors = []
    for person, member in rnd.members.items():
        if not zones:
            jurors.append(JurorSlot(id=person))
            continue
        sits = frozenset(z for p in member["panels"] if (z := rnd.zone_of_panel.get(p)) is not None)
        jurors.append(JurorSlot(id=person, zones=sits, can_bridge=zones <= sits))
    return candidates, jurors


def propose_plan(rnd: RoundAssignments, *, parameters: PlanParameters) -> PlanPreview:
    """Runs the solver and describes its plan in the round's terms (panels, names, rows to write).

    Kept pairs: all current ones when filling holes; otherwise only those a juror already started to
    mark, since replacing them would orphan a score sheet. `pairs` is what the round will hold once the
    plan is written, so the design check describes the result, not the solver's part of it.
    """
    candidates, jurors = solver_input(rnd)
    existing = set(rnd.pairs) if parameters.fill_holes_only else set(rnd.pairs) & rnd.scored
    plan = propose_assignment(
        candidates=candidates,
        jurors=jurors,
        k=parameters.k,
        conflicts=rnd.conflicts,
        bridging=parameters.bridging,
        bridge_min_per_zone=parameters.bridge_min_per_zone,
        existing=existing,
        seed=parameters.seed,
    )
    planned = {(int(p), int(c)) for p, c in plan.pairs}
    if parameters.fill_holes_only:
        # Only add: the one exception is a kept pair the solver dropped for a conflict declared since.
        dropped = {(int(p), int(c)) for p, c in plan.dropped}
        gone = {pair for pair in rnd.pairs if pair in dropped}
    else:
        gone = {pair for pair in rnd.pairs if pair not in planned}
    after = (set(rnd.pairs) - gone) | planned

    def row(person: int, candidate: int) -> AssignedPair:
        panel = rnd.pairs.get((person, candidate)) or rnd.candidates[candidate]["panel_id"]
        return AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)

    pairs = [row(p, c) for p, c in sorted(after)]
    added = [pair for pair in pairs if (pair.person_id, pair.candidate_id) not in rnd.pairs]
    removed = [row(p, c) for p, c in sorted(gone)]
    return PlanPreview(
        round_id=rnd.id,
        parameters=parameters_of(parameters),
        digest=_digest(pairs=pairs, removed=removed),
        pairs=pairs,
        added=added,
        removed=removed,
        kept=len(rnd.pairs) - len(removed),
        loads=[
            PlanLoad(
                person_id=int(load.juror),
                full_name=rnd.juror_name(int(load.juror)),
                load=load.load,
                added=load.added,
                bridging=load.bridging,
            )
            for load in plan.loads
        ],
        uncovered=[
            PlanShortfall(
                candidate_id=int(u.candidate),
                name=rnd.candidate_name(int(u.candidate)),
                zone=u.zone,
                assigned=u.assigned,
                wanted=u.wanted,
                reason=u.reason,
            )
            for u in plan.uncovered
        ]
        + [
            PlanShortfall(
                candidate_id=c,
                name=row_["name"],
                zone=None,
                assigned=0,
                wanted=parameters.k,
                reason="Rattaché à aucun jury de ce tour : aucun juré ne peut lui être affecté.",
            )
            for c, row_ in rnd.candidates.items()
            if row_["panel_id"] is None
        ],
        bridges=[
            PlanBridge(
                person_id=int(b.juror),
                full_name=rnd.juror_name(int(b.juror)),
                seen=b.seen,
                required=b.required,
                complete=b.complete,
            )
            for b in plan.bridges
        ],
        design=design_summary(rnd, pairs=sorted(after)),
        warnings=[_with_names(w, rnd) for w in plan.warnings],
    )


def parameters_of(parameters: PlanParameters) -> PlanParameters:
    """Drops what is not a parameter (the expected digest) from what is echoed and audited."""
    return PlanParameters(
        k=parameters.k,
        seed=parameters.seed,
        bridging=parameters.bridging,
        bridge_min_per_zone=parameters.bridge_min_per_zone,
        fill_holes_only=parameters.fill_holes_only,
    )


def _digest(*, pairs: list[AssignedPair], removed: list[AssignedPair]) -> str:
    """Short fingerprint of what a confirmation would write, to detect a plan that moved since its preview."""
    text = json.dumps(
        [
            [[p.panel_id, p.person_id, p.candidate_id] for p in pairs],
            [[p.person_id, p.candidate_id] for p in removed],
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# The solver names people by id ("le juré 12"); organisers read names.
_MENTION = re.compile(r"\b(juré passerelle|juré|candidat) (\d+)\b")


def _with_names(text: str, rnd: RoundAssignments) -> str:
    def name(match: re.Match[str]) -> str:
        word, number = match.group(1), int(match.group(2))
        known = rnd.members if word.startswith("juré") else rnd.candidates
        if number not in known:
            return match.group(0)
        label = rnd.juror_name(number) if word.startswith("juré") else rnd.candidate_name(number)
        return f"{word} « {label} »"

    return _MENTION.sub(name, text)
