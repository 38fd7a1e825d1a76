"""Automatic juror assignment: the properties organisers rely on, checked over seeds and sizes."""

from __future__ import annotations

import random
from collections import Counter

import msgspec
import pytest

from jury.assignments.solver import propose_assignment
from jury.assignments.solver_models import AssignmentPlan, CandidateSlot, JurorSlot
from jury.results.design import check_design

EPT = ["Boucle Nord de Seine", "Paris Ouest La Défense", "Grand Paris Seine Ouest", "Vallée Sud Grand Paris"]
SIZES = [(40, 12, 4), (40, 10, 4), (25, 7, 3), (10, 4, 2), (7, 3, 2), (60, 15, 5), (9, 9, 1)]
SEEDS = [0, 1, 2, 7]


def make_candidates(n: int, zones: list[str] | None = None) -> list[CandidateSlot]:
    return [CandidateSlot(id=i, zone=zones[i % len(zones)] if zones else None) for i in range(n)]


def make_jurors(n: int) -> list[JurorSlot]:
    return [JurorSlot(id=f"j{i:02d}") for i in range(n)]


def random_conflicts(
    candidates: list[CandidateSlot], jurors: list[JurorSlot], *, rate: float, seed: int
) -> set[tuple[str, int]]:
    rng = random.Random(seed)
    return {(j.id, c.id) for j in jurors for c in candidates if rng.random() < rate}


def loads_of(plan: AssignmentPlan) -> dict:
    return {row.juror: row.load for row in plan.loads}


def jurors_per_candidate(plan: AssignmentPlan) -> Counter:
    return Counter(candidate for _, candidate in plan.pairs)


def seen_per_zone(plan: AssignmentPlan, juror, candidates: list[CandidateSlot]) -> Counter:
    zone_of = {c.id: c.zone for c in candidates}
    return Counter(zone_of[c] for j, c in plan.pairs if j == juror)


def assert_no_improving_transfer(
    plan: AssignmentPlan,
    candidates: list[CandidateSlot],
    jurors: list[JurorSlot],
    *,
    conflicts: set = frozenset(),
    kept: set = frozenset(),
) -> None:
    """Balance "when the constraints allow": no juror could hand one of their candidates to a juror
    carrying two fewer without breaking a conflict, a zone, a kept pair or a bridge quota."""
    loads = loads_of(plan)
    pairs = set(plan.pairs)
    zone_of = {c.id: c.zone for c in candidates}
    bridges = {b.juror: b for b in plan.bridges}
    for giver, candidate in pairs:
        if (giver, candidate) in kept:
            continue
        zone = zone_of[candidate]
        if (
            giver in bridges
            and zone is not None
            and bridges[giver].seen[zone] <= bridges[giver].required[zone]
        ):
            continue
        for taker in jurors:
            eligible = (
                (taker.id, candidate) not in pairs
                and (taker.id, candidate) not in conflicts
                and (zone is None or taker.zones is None or zone in taker.zones)
            )
            assert not (eligible and loads[giver] - loads[taker.id] >= 2), (giver, taker.id, candidate)


# --- coverage and balance -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("n_candidates", "n_jurors", "k"), SIZES)
def test_each_candidate_gets_exactly_k_distinct_jurors_when_feasible(n_candidates, n_jurors, k, seed):
    candidates = make_candidates(n_candidates)
    plan = propose_assignment(candidates=candidates, jurors=make_jurors(n_jurors), k=k, seed=seed)

    assert len(set(plan.pairs)) == len(plan.pairs) == n_candidates * k
    assert set(jurors_per_candidate(plan).values()) == {k}
    assert all(len(row.jurors) == k for row in plan.coverage)
    assert plan.uncovered == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("n_candidates", "n_jurors", "k"), SIZES)
def test_loads_are_within_one_when_nothing_constrains_them(n_candidates, n_jurors, k, seed):
    plan = propose_assignment(
        candidates=make_candidates(n_candidates), jurors=make_jurors(n_jurors), k=k, seed=seed
    )

    loads = loads_of(plan).values()
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == n_candidates * k


def test_small_plan_is_exactly_balanced():
    plan = propose_assignment(candidates=make_candidates(7), jurors=make_jurors(3), k=2)

    assert sorted(loads_of(plan).values()) == [4, 5, 5]
    assert len(plan.pairs) == 14
    assert plan.pairs == sorted(plan.pairs)


def test_every_juror_marks_every_candidate_when_k_equals_the_jury():
    plan = propose_assignment(candidates=make_candidates(3), jurors=make_jurors(3), k=3)

    assert plan.pairs == [(f"j0{j}", c) for j in range(3) for c in range(3)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("n_candidates", "n_jurors", "k"), [(40, 12, 4), (25, 8, 3), (30, 6, 2)])
def test_no_conflicted_pair_ever(n_candidates, n_jurors, k, seed):
    candidates, jurors = make_candidates(n_candidates), make_jurors(n_jurors)
    conflicts = random_conflicts(candidates, jurors, rate=0.15, seed=seed)

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=k, conflicts=conflicts, seed=seed)

    assert not set(plan.pairs) & conflicts
    for candidate in candidates:
        free = sum((j.id, candidate.id) not in conflicts for j in jurors)
        assert jurors_per_candidate(plan)[candidate.id] == min(k, free)
    assert_no_improving_transfer(plan, candidates, jurors, conflicts=conflicts)


@pytest.mark.parametrize("seed", SEEDS)
def test_loads_are_as_balanced_as_zones_and_conflicts_allow(seed):
    candidates = make_candidates(36, EPT[:3])
    jurors = [
        JurorSlot(id=f"{zone[:4]}-{n}", zones=frozenset({zone}), can_bridge=False)
        for zone in EPT[:3]
        for n in range(2 + EPT.index(zone))
    ] + [JurorSlot(id=f"libre-{n}") for n in range(3)]
    conflicts = random_conflicts(candidates, jurors, rate=0.1, seed=seed)

    plan = propose_assignment(
        candidates=candidates, jurors=jurors, k=3, conflicts=conflicts, bridging=2, seed=seed
    )

    assert_no_improving_transfer(plan, candidates, jurors, conflicts=conflicts)
    zone_of = {c.id: c.zone for c in candidates}
    restricted = {j.id: j.zones for j in jurors if j.zones is not None}
    assert all(zone_of[c] in restricted[j] for j, c in plan.pairs if j in restricted)


@pytest.mark.parametrize("seed", SEEDS)
def test_jurors_of_a_crowded_zone_share_it_evenly_far_above_the_mean_load(seed):
    candidates = [CandidateSlot(id=i, zone="Nord" if i < 40 else "Sud") for i in range(50)]
    jurors = [JurorSlot(id=f"nord-{n}", zones=frozenset({"Nord"})) for n in range(2)]
    jurors += [JurorSlot(id=f"sud-{n}", zones=frozenset({"Sud"})) for n in range(10)]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=1, bridging=0, seed=seed)

    assert loads_of(plan)["nord-0"] == loads_of(plan)["nord-1"] == 20
    assert {loads_of(plan)[f"sud-{n}"] for n in range(10)} == {1}
    # Balanced within each zone's jurors, which is all the solver promises: no warning.
    assert not any("Charges inégales" in w for w in plan.warnings)


# --- bridging jurors for territorial semi-finals -------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_two_zone_semi_final_has_two_bridges_seeing_eight_of_each_zone(seed):
    candidates = make_candidates(40, ["Nord", "Sud"])
    jurors = make_jurors(10)

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=4, seed=seed)

    assert len(plan.bridges) == 2
    for bridge in plan.bridges:
        seen = seen_per_zone(plan, bridge.juror, candidates)
        assert seen["Nord"] >= 8
        assert seen["Sud"] >= 8
        assert bridge.complete
    assert {row.juror for row in plan.loads if row.bridging} == {b.juror for b in plan.bridges}
    # Here the bridge quota (16) equals the average load, so balance is perfect.
    assert set(loads_of(plan).values()) == {16}
    assert plan.design.connected
    assert plan.warnings == []


@pytest.mark.parametrize("seed", SEEDS)
def test_four_zone_semi_final_has_two_bridges_seeing_eight_of_each_zone(seed):
    candidates = make_candidates(40, EPT)
    jurors = make_jurors(10)

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=4, seed=seed)

    assert len(plan.bridges) == 2
    for bridge in plan.bridges:
        seen = seen_per_zone(plan, bridge.juror, candidates)
        assert all(seen[zone] >= 8 for zone in EPT)
    assert set(jurors_per_candidate(plan).values()) == {4}
    others = [row.load for row in plan.loads if not row.bridging]
    assert max(others) - min(others) <= 1
    assert_no_improving_transfer(plan, candidates, jurors)
    assert plan.design.connected


def test_four_zone_semi_final_with_zone_jurors_uses_the_free_jurors_as_bridges():
    candidates = make_candidates(40, EPT)
    jurors = [JurorSlot(id=f"{zone}-{n}", zones=frozenset({zone})) for zone in EPT for n in range(2)]
    jurors += [JurorSlot(id="passerelle-1"), JurorSlot(id="passerelle-2")]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=4)

    assert {b.juror for b in plan.bridges} == {"passerelle-1", "passerelle-2"}
    assert set(jurors_per_candidate(plan).values()) == {4}
    assert plan.design.connected
    assert plan.uncovered == []


def test_bridges_see_every_candidate_of_a_zone_smaller_than_eight():
    candidates = make_candidates(30, ["Nord", "Nord", "Nord", "Sud", "Sud", "Est"])
    plan = propose_assignment(candidates=candidates, jurors=make_jurors(9), k=3, seed=3)

    assert Counter(c.zone for c in candidates)["Est"] == 5
    for bridge in plan.bridges:
        seen = seen_per_zone(plan, bridge.juror, candidates)
        assert seen["Est"] == 5
        assert seen["Nord"] >= 8
        assert seen["Sud"] >= 8
        assert bridge.required == {"Est": 5, "Nord": 8, "Sud": 8}


def test_jurors_who_decline_the_bridge_role_are_never_bridges():
    candidates = make_candidates(40, ["Nord", "Sud"])
    jurors = [JurorSlot(id=f"j{i}", can_bridge=i in (3, 7)) for i in range(10)]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=4)

    assert {b.juror for b in plan.bridges} == {"j3", "j7"}


def test_no_bridge_possible_is_a_warning_not_a_crash():
    candidates = make_candidates(24, ["Nord", "Sud"])
    jurors = [
        JurorSlot(id=f"{zone}-{n}", zones=frozenset({zone})) for zone in ("Nord", "Sud") for n in range(3)
    ]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=2)

    assert plan.bridges == []
    assert set(jurors_per_candidate(plan).values()) == {2}
    assert not plan.design.connected
    assert len(plan.design.components) == 2
    assert any("passerelle" in w for w in plan.warnings)
    assert any("2 groupes de jurés" in w for w in plan.warnings)


def test_no_bridges_outside_territorial_rounds():
    plan = propose_assignment(candidates=make_candidates(20), jurors=make_jurors(6), k=3)

    assert plan.bridges == []
    assert not any(row.bridging for row in plan.loads)


# --- connectivity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(("n_candidates", "n_jurors", "k"), [(8, 4, 2), (12, 6, 2), (40, 12, 4), (20, 10, 2)])
def test_design_is_connected(n_candidates, n_jurors, k, seed):
    plan = propose_assignment(
        candidates=make_candidates(n_candidates), jurors=make_jurors(n_jurors), k=k, seed=seed
    )

    assert plan.design.connected
    assert check_design(plan.pairs).connected
    loads = loads_of(plan).values()
    assert max(loads) - min(loads) <= 1


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n", [6, 10, 16])
def test_sparse_design_with_two_jurors_each_is_still_one_group(n, seed):
    """Loads of 2 and k = 2 make the graph a union of cycles: only a single long cycle links everyone."""
    plan = propose_assignment(candidates=make_candidates(n), jurors=make_jurors(n), k=2, seed=seed)

    assert plan.design.connected
    assert set(loads_of(plan).values()) == {2}
    assert set(jurors_per_candidate(plan).values()) == {2}


@pytest.mark.parametrize("seed", SEEDS)
def test_zoned_design_with_zone_jurors_is_connected_through_bridges(seed):
    candidates = make_candidates(32, EPT)
    jurors = [JurorSlot(id=f"{zone}-{n}", zones=frozenset({zone})) for zone in EPT for n in range(3)]
    jurors += [JurorSlot(id=f"libre-{n}") for n in range(3)]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=3, seed=seed)

    assert len(plan.bridges) == 2
    assert plan.design.connected


# --- infeasible requests are reported, never raised -----------------------------------------------------


def test_k_larger_than_the_jury_gives_everyone_to_everyone_and_says_why():
    plan = propose_assignment(candidates=make_candidates(5), jurors=make_jurors(3), k=4)

    assert len(plan.pairs) == 15
    assert [u.candidate for u in plan.uncovered] == [0, 1, 2, 3, 4]
    assert plan.uncovered[0].assigned == 3
    assert plan.uncovered[0].wanted == 4
    assert plan.uncovered[0].reason == "3 jurés sur 4 demandés : le jury ne compte que 3 jurés."


def test_candidate_conflicted_with_all_but_one_juror_gets_that_juror_and_a_reason():
    candidates, jurors = make_candidates(12), make_jurors(5)
    conflicts = {(j.id, 4) for j in jurors if j.id != "j02"}

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=3, conflicts=conflicts)

    assert [(u.candidate, u.assigned, u.wanted) for u in plan.uncovered] == [(4, 1, 3)]
    assert (
        plan.uncovered[0].reason
        == "1 juré sur 3 demandés : 4 jurés en conflit d'intérêts déclaré avec ce candidat."
    )
    assert [j for j, c in plan.pairs if c == 4] == ["j02"]
    assert all(n == 3 for c, n in jurors_per_candidate(plan).items() if c != 4)


def test_candidate_conflicted_with_every_juror_is_uncovered_with_zero():
    jurors = make_jurors(3)
    plan = propose_assignment(
        candidates=make_candidates(4), jurors=jurors, k=2, conflicts={(j.id, 0) for j in jurors}
    )

    assert [(u.candidate, u.assigned) for u in plan.uncovered] == [(0, 0)]
    assert plan.uncovered[0].reason.startswith("0 juré sur 2 demandés : 3 jurés en conflit")


def test_zone_with_too_few_jurors_names_the_zone():
    candidates = [CandidateSlot(id="a", zone="Sud"), CandidateSlot(id="b", zone="Nord")]
    jurors = [JurorSlot(id="x", zones=frozenset({"Nord"})), JurorSlot(id="y"), JurorSlot(id="z")]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=3, bridging=0)

    assert [(u.candidate, u.assigned) for u in plan.uncovered] == [("a", 2)]
    assert plan.uncovered[0].reason == "2 jurés sur 3 demandés : 1 juré ne siégeant pas dans la zone « Sud »."


def test_empty_round_is_an_empty_plan():
    plan = propose_assignment(candidates=[], jurors=[], k=3)

    assert plan.pairs == []
    assert plan.warnings == ["Aucune affectation proposée."]


def test_no_jurors_at_all_leaves_every_candidate_uncovered():
    plan = propose_assignment(candidates=make_candidates(2), jurors=[], k=2)

    assert [u.reason for u in plan.uncovered] == ["0 juré sur 2 demandés : le jury ne compte aucun juré."] * 2


def test_malformed_input_is_a_caller_bug():
    with pytest.raises(ValueError, match="duplicate juror id"):
        propose_assignment(candidates=make_candidates(2), jurors=[JurorSlot(id=1), JurorSlot(id=1)], k=1)
    with pytest.raises(ValueError, match="k must be"):
        propose_assignment(candidates=make_candidates(2), jurors=make_jurors(2), k=-1)


# --- filling holes --------------------------------------------------------------------------------------


def test_filling_a_hole_keeps_every_other_pair_and_adds_one_juror():
    candidates, jurors = make_candidates(40), make_jurors(12)
    first = propose_assignment(candidates=candidates, jurors=jurors, k=4, seed=5)
    juror, candidate = first.pairs[17]

    second = propose_assignment(
        candidates=candidates,
        jurors=jurors,
        k=4,
        conflicts={(juror, candidate)},
        existing=first.pairs,
        seed=99,
    )

    kept = set(first.pairs) - {(juror, candidate)}
    assert kept <= set(second.pairs)
    assert second.dropped == [(juror, candidate)]
    assert len(second.added) == 1
    newcomer, filled = second.added[0]
    assert filled == candidate
    assert newcomer != juror
    assert jurors_per_candidate(second)[candidate] == 4
    # The hole goes to one of the least loaded jurors who could take it.
    old_loads = loads_of(first)
    old_loads[juror] -= 1
    free = [j.id for j in jurors if (j.id, candidate) not in set(first.pairs)]
    assert old_loads[newcomer] == min(old_loads[j] for j in free)
    assert any("conflit d'intérêts" in w for w in second.warnings)


def test_filling_a_hole_in_a_semi_final_keeps_the_same_bridges():
    candidates, jurors = make_candidates(40, ["Nord", "Sud"]), make_jurors(10)
    first = propose_assignment(candidates=candidates, jurors=jurors, k=4, seed=2)
    bridges = {b.juror for b in first.bridges}
    juror, candidate = next(p for p in first.pairs if p[0] not in bridges)

    second = propose_assignment(
        candidates=candidates,
        jurors=jurors,
        k=4,
        conflicts={(juror, candidate)},
        existing=first.pairs,
        seed=2,
    )

    assert {b.juror for b in second.bridges} == bridges
    assert set(first.pairs) - {(juror, candidate)} <= set(second.pairs)
    assert len(second.added) == 1
    assert second.uncovered == []


def test_kept_pairs_survive_even_when_a_candidate_already_has_more_than_k():
    candidates, jurors = make_candidates(3), make_jurors(4)
    existing = [("j00", 0), ("j01", 0), ("j02", 0)]

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=2, existing=existing)

    assert set(existing) <= set(plan.pairs)
    assert jurors_per_candidate(plan)[0] == 3
    assert any("déjà 3 jurés" in w for w in plan.warnings)


def test_existing_pairs_naming_unknown_people_are_ignored_with_a_warning():
    plan = propose_assignment(
        candidates=make_candidates(2), jurors=make_jurors(2), k=1, existing=[("ghost", 0), ("j00", 99)]
    )

    assert len(plan.pairs) == 2
    assert sum("ignorée" in w for w in plan.warnings) == 2


# --- determinism, output --------------------------------------------------------------------------------


@pytest.mark.parametrize("zones", [None, ["Nord", "Sud"], EPT])
def test_same_inputs_and_seed_give_the_same_plan(zones):
    candidates, jurors = make_candidates(40, zones), make_jurors(10)
    conflicts = random_conflicts(candidates, jurors, rate=0.05, seed=1)

    plans = [
        propose_assignment(candidates=candidates, jurors=jurors, k=4, conflicts=conflicts, seed=11)
        for _ in range(3)
    ]

    encoded = {msgspec.json.encode(plan) for plan in plans}
    assert len(encoded) == 1


def test_another_seed_draws_another_plan_with_the_same_loads():
    candidates, jurors = make_candidates(40), make_jurors(12)
    plans = [propose_assignment(candidates=candidates, jurors=jurors, k=4, seed=s) for s in range(4)]

    assert len({tuple(p.pairs) for p in plans}) > 1
    assert len({tuple(sorted(loads_of(p).values())) for p in plans}) == 1


def test_plan_round_trips_through_json_for_the_preview():
    plan = propose_assignment(candidates=make_candidates(12, ["Nord", "Sud"]), jurors=make_jurors(5), k=2)

    assert msgspec.json.decode(msgspec.json.encode(plan), type=AssignmentPlan) == plan


def test_forty_by_twelve_semi_final_with_conflicts_covers_everyone_without_a_conflicted_pair():
    # How fast this plan is computed is measured by benchmarks (tests/bench/), not asserted here.
    candidates = make_candidates(40, ["Nord", "Sud"])
    jurors = make_jurors(12)
    conflicts = random_conflicts(candidates, jurors, rate=0.05, seed=0)

    plan = propose_assignment(candidates=candidates, jurors=jurors, k=4, conflicts=conflicts)

    assert set(jurors_per_candidate(plan).values()) == {4}
    assert plan.uncovered == []
    assert not set(plan.pairs) & conflicts
