"""Turns the solver's chosen pairs into the plan an organiser previews: loads, coverage, bridges, and a
French reason for every shortfall or imbalance, in terms the organiser can act on.
"""

from __future__ import annotations

import numpy as np

from jury.assignments.solver_models import (
    AssignmentPlan,
    BridgeCoverage,
    CandidateCoverage,
    JurorLoad,
    Uncovered,
)
from jury.assignments.solver_problem import Problem
from jury.assignments.wording import counted
from jury.results.design import check_design, id_sort_key

__all__ = ["report_plan"]


def report_plan(
    rnd: Problem, *, chosen: set[tuple[int, int]], bridges: list[int], seed: int
) -> AssignmentPlan:
    """Turns index pairs into the preview, with the reasons an organiser needs to act on a shortfall."""
    warnings = list(rnd.warnings)
    k = rnd.k
    jurors_of: list[list[int]] = [[] for _ in rnd.candidates]
    load = np.zeros(len(rnd.jurors), dtype=int)
    added = np.zeros(len(rnd.jurors), dtype=int)
    for j, c in chosen:
        jurors_of[c].append(j)
        load[j] += 1
        added[j] += (j, c) not in rnd.locked

    coverage = []
    uncovered = []
    for c, cand in enumerate(rnd.candidates):
        ids = sorted((rnd.jurors[j].id for j in jurors_of[c]), key=id_sort_key)
        coverage.append(CandidateCoverage(candidate=cand.id, zone=cand.zone, jurors=ids, wanted=k))
        if len(ids) < k:
            uncovered.append(
                Uncovered(
                    candidate=cand.id,
                    zone=cand.zone,
                    assigned=len(ids),
                    wanted=k,
                    reason=_shortfall_reason(rnd, c=c, assigned=len(ids)),
                )
            )

    bridge_reports = []
    for b in bridges:
        seen = {z: sum(1 for c in members if (b, c) in chosen) for z, members in rnd.zone_members.items()}
        bridge_reports.append(
            BridgeCoverage(
                juror=rnd.jurors[b].id,
                seen=seen,
                required=dict(rnd.required),
                complete=all(seen[z] >= rnd.required[z] for z in rnd.zones),
            )
        )
        warnings += [
            f"Le juré passerelle {rnd.jurors[b].id} ne voit que {counted(seen[z], 'candidat')} de la zone "
            f"« {z} » ({rnd.required[z]} attendus) : conflits d'intérêts, ou candidats de la zone déjà "
            "complets dans les affectations conservées."
            for z in rnd.zones
            if seen[z] < rnd.required[z]
        ]

    # Balance is only promised among jurors who could take the same candidates: compare within each
    # group of jurors sitting in the same zones, never a Nord juror with a Sud one.
    groups: dict[object, list[int]] = {}
    for j in range(len(rnd.jurors)):
        if j not in bridges:
            zones_of = rnd.jurors[j].zones
            groups.setdefault(None if zones_of is None else tuple(sorted(zones_of)), []).append(int(load[j]))
    for free_loads in groups.values():
        if max(free_loads) - min(free_loads) > 1:
            warnings.append(
                f"Charges inégales (de {min(free_loads)} à {max(free_loads)} candidats par juré) : les conflits "
                "d'intérêts ou les affectations conservées empêchent un meilleur équilibre."
            )

    pairs = rnd.ids(chosen)
    kept = set(rnd.ids(rnd.locked))
    design = check_design(pairs)
    if not pairs:
        warnings.append("Aucune affectation proposée.")
    elif not design.connected:
        warnings.append(
            f"Le plan forme {len(design.components)} groupes de jurés qui ne partagent aucun candidat : "
            "leurs notes ne pourront pas être comparées entre groupes (classement par groupe, ou hypothèse "
            "explicite de sévérité égale)."
        )

    return AssignmentPlan(
        k=k,
        seed=seed,
        pairs=pairs,
        added=[p for p in pairs if p not in kept],
        dropped=rnd.dropped,
        loads=[
            JurorLoad(juror=juror.id, load=int(load[j]), added=int(added[j]), bridging=j in bridges)
            for j, juror in enumerate(rnd.jurors)
        ],
        coverage=coverage,
        uncovered=uncovered,
        bridges=bridge_reports,
        design=design,
        warnings=warnings,
    )


def _shortfall_reason(rnd: Problem, *, c: int, assigned: int) -> str:
    """Says why, in terms the organiser can act on: recruit jurors, widen zones, or review conflicts."""
    n_j, k = len(rnd.jurors), rnd.k
    causes = []
    if n_j < k:
        causes.append(
            f"le jury ne compte que {counted(n_j, 'juré')}" if n_j else "le jury ne compte aucun juré"
        )
    outside = int((~rnd.in_zone[:, c]).sum())
    if outside:
        causes.append(f"{counted(outside, 'juré')} ne siégeant pas dans la zone « {rnd.candidates[c].zone} »")
    in_conflict = sum(1 for j in range(n_j) if (j, c) in rnd.conflicted and rnd.in_zone[j, c])
    if in_conflict:
        causes.append(f"{counted(in_conflict, 'juré')} en conflit d'intérêts déclaré avec ce candidat")
    wanted = f"{k} demandé" if k == 1 else f"{k} demandés"
    return f"{counted(assigned, 'juré')} sur {wanted} : " + ", ".join(causes) + "."
