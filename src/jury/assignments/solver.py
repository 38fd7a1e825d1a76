"""Proposes which jurors mark which candidates, so that the marks can later be calibrated and compared.

Organisers can assign by hand; this module is the "automatic" button and its preview. It is pure: ids in,
plan out, no I/O (the values are in `solver_models`, the problem in index space in `solver_problem`, the
organiser's report of the plan in `solver_report`). The properties it holds, in priority order, and why:

1. **No conflicted pair, ever.** A declared conflict of interest is a hard rule, not a cost.
2. **Each candidate gets `k` jurors** whenever the constraints allow. Jurors have no capacity limit, so a
   candidate can always get `min(k, jurors allowed to mark it)`; a shortfall is therefore a fact about
   that candidate (too few jurors, zone restrictions, conflicts) and is reported with that reason rather
   than silently made up elsewhere.
3. **Bridging jurors for territorial semi-finals.** Calibration can only tell a harsh panel from weak
   candidates if some jurors mark candidates of several panels (see the design check in
   `jury.results.design`). So when candidates are split into zones, `bridging` jurors who may sit in
   every zone each see at least `min(bridge_min_per_zone, zone size)` candidates of every zone.
4. **Balanced loads.** Every juror's load is within one of every other's when the constraints allow;
   when zones, conflicts, kept pairs or bridge quotas forbid it, no juror could hand a candidate to a
   juror carrying two fewer without breaking one of them.
5. **A connected design**, checked with `jury.results.design.check_design`, and repaired by load-neutral
   swaps when the optimiser happened to split a zone into two unlinked groups. When no swap can link
   the groups (k = 1, zones without any possible bridge) the plan says so in its warnings.

Algorithm: one small integer program solved by HiGHS (`scipy.optimize.milp`) rather than a greedy pass.
Greedy-by-least-load gets balance right on easy inputs but needs ever more repair rules once zones,
conflicts, bridge quotas and kept pairs interact; the program states them once and the solver finds
the optimum. It is a transportation problem (candidate → juror, capacity 1) whose constraint matrix is
totally unimodular, so the relaxation is already integral and solving is fast: about 40 ms for 40
candidates × 12 jurors, under half a second for 300 × 50.

* Coverage is a constraint: candidate `c` receives exactly `need(c)` jurors.
* Balance is a convex cost: a juror's t-th candidate costs `t`, so the total is Σ L(L+1)/2. Minimising a
  separable convex function over the loads of a flow gives the "decreasingly minimal" load vector: no
  juror can pass a candidate to a juror with two fewer, even along a chain of exchanges.
* Bridge quotas are soft constraints with a penalty larger than any balance gain, so they win over
  balance but an impossible quota (conflicts, zone too full of kept pairs) degrades into a warning
  instead of an infeasible program.
* The seed adds a tiny random cost to each pair, smaller in total than one unit of load cost. It only
  chooses among equally balanced plans: same inputs and seed → same plan; another seed → another plan
  with the same properties, which lets organisers draw again.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from jury.assignments.solver_models import AssignmentPlan, CandidateSlot, JurorSlot, Pair
from jury.assignments.solver_problem import Problem, validate
from jury.assignments.solver_report import report_plan
from jury.results.design import check_design

__all__ = ["propose_assignment"]

# Connectivity repair is a best effort after the optimiser: these bounds keep a hopeless case (k = 1,
# zones without any bridge) from turning the preview into a long computation.
_MAX_SWAP_TESTS = 40_000
_MAX_DESIGN_CHECKS = 60


def propose_assignment(
    *,
    candidates: Sequence[CandidateSlot],
    jurors: Sequence[JurorSlot],
    k: int,
    conflicts: Collection[Pair] = (),
    bridging: int = 2,
    bridge_min_per_zone: int = 8,
    existing: Collection[Pair] = (),
    seed: int = 0,
) -> AssignmentPlan:
    """Builds a plan where each candidate gets `k` jurors (see the module docstring for the guarantees).

    `conflicts` and `existing` are `(juror_id, candidate_id)` pairs. Conflicts naming someone outside
    this round are ignored silently: declarations are per person and may concern another panel.
    `existing` pairs are kept as they are, so that after a late conflict the plan only fills the hole
    instead of reshuffling jurors who may already have read their files; an existing pair that is now
    conflicted is dropped (and listed in `dropped`), since the conflict rule comes first.

    Infeasible requests (k larger than the jury, a candidate conflicted with most jurors, bridges that
    cannot be found) never raise: they come back in `uncovered` and `warnings`. Only malformed input
    (duplicate ids, negative numbers) raises ValueError, since that is a bug in the caller.
    """
    validate(
        candidates=candidates,
        jurors=jurors,
        numbers={"k": k, "bridging": bridging, "bridge_min_per_zone": bridge_min_per_zone},
    )
    rng = np.random.default_rng(seed)
    rnd = Problem.build(
        candidates=candidates,
        jurors=jurors,
        k=k,
        conflicts=conflicts,
        existing=existing,
        bridge_min_per_zone=bridge_min_per_zone,
    )
    bridges = _choose_bridges(rnd, bridging=bridging, rng=rng) if len(rnd.zones) >= 2 and bridging else []
    chosen = _solve(rnd, bridges=bridges, rng=rng)
    chosen = _link_components(rnd, chosen=chosen, bridges=set(bridges), rng=rng)
    return report_plan(rnd, chosen=chosen, bridges=bridges, seed=seed)


def _choose_bridges(rnd: Problem, *, bridging: int, rng: np.random.Generator) -> list[int]:
    """Picks the bridging jurors before optimising, so that the program stays a plain flow.

    A bridge must be allowed in every zone and willing (`can_bridge`). Preference order: jurors whose
    conflicts still let them meet every zone quota, then jurors who already bridge in the kept pairs
    (filling a hole must not move the bridge role to someone else), then the seed.
    """
    capable = [
        j
        for j, juror in enumerate(rnd.jurors)
        if juror.can_bridge and (juror.zones is None or all(z in juror.zones for z in rnd.zones))
    ]
    ties = rng.random(len(rnd.jurors))
    ranked = []
    for j in capable:
        reachable = {z: int(rnd.available[j, members].sum()) for z, members in rnd.zone_members.items()}
        progress = sum(
            min(rnd.required[z], sum(1 for c in members if (j, c) in rnd.locked))
            for z, members in rnd.zone_members.items()
        )
        capacity = sum(min(rnd.required[z], reachable[z]) for z in rnd.zones)
        complete = all(reachable[z] >= rnd.required[z] for z in rnd.zones)
        ranked.append(((not complete, -progress, -capacity, ties[j]), j))
    ranked.sort()
    if len(capable) < bridging:
        if not capable:
            who = "Aucun juré ne peut"
        elif len(capable) == 1:
            who = "Un seul juré peut"
        else:
            who = f"Seuls {len(capable)} jurés peuvent"
        rnd.warnings.append(
            f"{who} servir de passerelle entre les zones ({bridging} demandés) : il faut siéger dans "
            "toutes les zones et accepter ce rôle. Sans passerelles en nombre suffisant, les jurys de zone "
            "ne peuvent pas être comparés de façon fiable."
        )
    return sorted(j for _, j in ranked[:bridging])


def _solve(rnd: Problem, *, bridges: list[int], rng: np.random.Generator) -> set[tuple[int, int]]:
    """Solves the transportation program described in the module docstring.

    Variables, in order: x[j,c] for every available pair (1 if juror j marks candidate c); the load
    segments of each juror (see `_solve_capped`); s[b,z], the shortfall of bridge b in zone z, costing
    more than any balance gain (a juror's load never exceeds the candidate count).

    One unit segment per possible load would make big rounds slow (300 × 50 means 15,000 of them), so
    the first solve prices loads exactly only up to a cap well above the mean, and every unit beyond it
    at cap + 1. That cost is never above the true one and equals it below the cap, so a solution that
    stays below the cap is optimal for the true cost; otherwise the program is solved again uncapped.
    """
    n_j = len(rnd.jurors)
    pairs = [(int(j), int(c)) for j, c in zip(*np.nonzero(rnd.available), strict=True)]
    if not pairs:
        return set()
    quotas = [(b, set(rnd.zone_members[z]), rnd.required[z]) for b in bridges for z in rnd.zones]
    # Load costs are integers and the whole tie-break noise stays below 0.5, so noise never buys balance.
    noise = rng.random(len(pairs)) * (0.5 / (len(pairs) + 1))
    reachable = rnd.available.sum(axis=1).astype(int)
    mean = -(-int(rnd.need.sum()) // max(n_j, 1))
    cap = max(2 * mean + 2, sum(rnd.required.values()) + mean + 1) if bridges else 2 * mean + 2
    if cap < int(reachable.max()):
        chosen = _solve_capped(rnd, pairs=pairs, quotas=quotas, noise=noise, cap=cap)
        if chosen is not None:
            return chosen
    chosen = _solve_capped(rnd, pairs=pairs, quotas=quotas, noise=noise, cap=int(reachable.max()))
    assert chosen is not None  # Uncapped, nothing can overflow.
    return chosen


def _solve_capped(
    rnd: Problem,
    *,
    pairs: list[tuple[int, int]],
    quotas: list[tuple[int, set[int], int]],
    noise: np.ndarray,
    cap: int,
) -> set[tuple[int, int]] | None:
    """One solve with loads priced t for the t-th unit up to `cap`, cap + 1 beyond; None if used beyond."""
    n_j, n_c = rnd.available.shape
    n_x, n_s = len(pairs), len(quotas)
    x_of_juror: list[list[int]] = [[] for _ in range(n_j)]
    for i, (j, _) in enumerate(pairs):
        x_of_juror[j].append(i)

    # Segments per juror: unit segments costing 1..min(reachable, cap), then one overflow segment.
    seg_juror: list[int] = []
    seg_cost: list[float] = []
    seg_size: list[float] = []
    overflow: list[int] = []
    for j in range(n_j):
        reachable = len(x_of_juror[j])
        units = min(reachable, cap)
        seg_juror += [j] * units
        seg_cost += [float(t) for t in range(1, units + 1)]
        seg_size += [1.0] * units
        if reachable > units:
            overflow.append(len(seg_juror))
            seg_juror.append(j)
            seg_cost.append(float(cap + 1))
            seg_size.append(float(reachable - units))
    n_y = len(seg_juror)

    # Rows: n_c coverage equalities, n_j load definitions (Σx − Σy = 0), then one row per bridge quota.
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, (j, c) in enumerate(pairs):
        rows += [c, n_c + j]
        cols += [i, i]
        vals += [1.0, 1.0]
    for y, j in enumerate(seg_juror):
        rows.append(n_c + j)
        cols.append(n_x + y)
        vals.append(-1.0)
    for r, (b, members, _) in enumerate(quotas):
        hits = [i for i in x_of_juror[b] if pairs[i][1] in members]
        rows += [n_c + n_j + r] * (len(hits) + 1)
        cols += [*hits, n_x + n_y + r]
        vals += [1.0] * (len(hits) + 1)
    matrix = csr_matrix((vals, (rows, cols)), shape=(n_c + n_j + n_s, n_x + n_y + n_s))

    quota_floor = np.array([q for _, _, q in quotas], dtype=float)
    need = rnd.need.astype(float)
    result = milp(
        np.concatenate((noise, seg_cost, np.full(n_s, 2.0 * (n_c + 2)))),
        constraints=LinearConstraint(
            matrix,
            np.concatenate((need, np.zeros(n_j), quota_floor)),
            np.concatenate((need, np.zeros(n_j), np.full(n_s, np.inf))),
        ),
        bounds=Bounds(
            np.concatenate(([1.0 if p in rnd.locked else 0.0 for p in pairs], np.zeros(n_y + n_s))),
            np.concatenate((np.ones(n_x), seg_size, quota_floor)),
        ),
        integrality=np.concatenate((np.ones(n_x), np.zeros(n_y + n_s))),
        # The relaxation is integral (totally unimodular matrix), so HiGHS's MIP presolve only costs time.
        options={"mip_rel_gap": 0.0, "presolve": False, "disp": False},
    )
    if result.x is None:  # Feasible by construction (shortfalls are slack): reaching this is a bug.
        raise RuntimeError(f"assignment solver failed: {result.message}")
    if any(result.x[n_x + y] > 0.5 for y in overflow):
        return None
    return {pairs[i] for i in np.flatnonzero(result.x[:n_x] > 0.5)}


def _link_components(
    rnd: Problem, *, chosen: set[tuple[int, int]], bridges: set[int], rng: np.random.Generator
) -> set[tuple[int, int]]:
    """Joins unlinked groups by swapping (j1, c1), (j2, c2) into (j1, c2), (j2, c1).

    The optimiser knows nothing about connectivity, and within a zone it may split jurors into groups
    that never share a candidate. A swap keeps every load and every candidate's count, so balance and
    coverage survive; bridges only swap within a zone so that their quotas survive too. Kept pairs never
    move. Whether a swap helped is asked of `check_design`, the one definition of "linked".
    """
    # Swaps keep the number of pairs and of people involved; linking V people needs V - 1 pairs (k = 1
    # is the usual case), so when that fails no swap can help and trying would only cost time.
    involved = len({j for j, _ in chosen}) + len({c for _, c in chosen})
    if len(chosen) < involved - 1:
        return chosen
    j_index = {juror.id: j for j, juror in enumerate(rnd.jurors)}
    design = check_design(rnd.ids(chosen))
    swap_tests = design_checks = 0
    while len(design.components) > 1:
        groups = []
        for component in design.components:
            members = {j_index[juror] for juror in component.jurors}
            movable = sorted(p for p in chosen if p[0] in members and p not in rnd.locked)
            groups.append([movable[i] for i in rng.permutation(len(movable))])
        improved = False
        for side_a, side_b in itertools.combinations(groups, 2):
            for (j1, c1), (j2, c2) in itertools.product(side_a, side_b):
                swap_tests += 1
                if swap_tests > _MAX_SWAP_TESTS or design_checks >= _MAX_DESIGN_CHECKS:
                    return chosen
                if not (rnd.allowed[j1, c2] and rnd.allowed[j2, c1]):
                    continue
                if (j1, c2) in chosen or (j2, c1) in chosen:
                    continue
                if {j1, j2} & bridges and rnd.candidates[c1].zone != rnd.candidates[c2].zone:
                    continue
                trial = (chosen - {(j1, c1), (j2, c2)}) | {(j1, c2), (j2, c1)}
                design_checks += 1
                trial_design = check_design(rnd.ids(trial))
                if len(trial_design.components) < len(design.components):
                    chosen, design, improved = trial, trial_design, True
                    break
            if improved:
                break
        if not improved:
            break
    return chosen
