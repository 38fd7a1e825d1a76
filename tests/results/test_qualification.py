"""The round's qualification rule on plain values: overall, per zone, per category, wildcards, ties at the cut."""

import pytest

from jury.results.qualification import Entrant, cut, group_key, p_funded, qualify, settle

pytestmark = pytest.mark.unit


def entrant(cid: int, score: float | None, *, group: str = "tous", state: str = "open", sd: float = 0.0):
    low = high = None
    if sd:
        low, high = score - 1.96 * sd, score + 1.96 * sd
    return Entrant(candidate_id=cid, group=group, score=score, low=low, high=high, state=state)


def test_the_quota_group_follows_the_scope():
    assert group_key(scope="overall", zone=3, panel=1, category=7) == "tous"
    assert group_key(scope="zone", zone=3, panel=1, category=7) == "zone:3"
    assert group_key(scope="zone", zone=None, panel=1, category=7) == "jury:1"
    assert group_key(scope="category", zone=3, panel=1, category=7) == "categorie:7"


def test_overall_top_n_counts_candidates_not_sections():
    # Two panels × two categories, four candidates each: 12 overall means 12, not 12 per section.
    entrants = [entrant(i, 100.0 - i) for i in range(16)]
    result = qualify(entrants, quota=12)
    [group] = result.groups
    assert group.chosen == list(range(12))
    assert group.tied == []
    assert result.wildcard_cut is None


def test_per_zone_takes_the_n_best_of_each_zone():
    nord = [entrant(i, 90.0 - i, group="zone:1") for i in range(5)]
    sud = [entrant(10 + i, 60.0 - i, group="zone:2") for i in range(5)]
    result = qualify(nord + sud, quota=2)
    assert [(g.group, g.chosen) for g in result.groups] == [("zone:1", [0, 1]), ("zone:2", [10, 11])]


def test_per_category_takes_the_n_best_of_each_category():
    entrants = [
        entrant(1, 80.0, group="categorie:5"),
        entrant(2, 70.0, group="categorie:5"),
        entrant(3, 40.0, group="categorie:6"),
        entrant(4, 30.0, group="categorie:6"),
    ]
    result = qualify(entrants, quota=1)
    assert [(g.group, g.chosen) for g in result.groups] == [("categorie:5", [1]), ("categorie:6", [3])]
    assert result.p_qualify == {1: 1.0, 2: 0.0, 3: 1.0, 4: 0.0}


def test_wildcards_are_the_best_of_the_rest_of_the_round():
    nord = [
        entrant(1, 90.0, group="zone:1"),
        entrant(2, 85.0, group="zone:1"),
        entrant(3, 50.0, group="zone:1"),
    ]
    sud = [entrant(4, 60.0, group="zone:2"), entrant(5, 40.0, group="zone:2")]
    result = qualify(nord + sud, quota=1, wildcards=1)
    assert [g.chosen for g in result.groups] == [[1], [4]]
    assert result.wildcard_cut is not None and result.wildcard_cut.chosen == [2]
    assert result.p_qualify == {1: 1.0, 2: 1.0, 3: 0.0, 4: 1.0, 5: 0.0}


def test_a_tie_at_the_cut_is_reported_with_the_places_left_not_settled_by_id():
    # 70.001 and 69.999 both print 70,00: a cut between them could not be justified.
    entrants = [entrant(1, 80.0), entrant(2, 70.001), entrant(3, 69.999), entrant(4, 50.0)]
    group = cut(entrants, group="tous", quota=2)
    assert (group.chosen, group.tied, group.places_for_tied) == ([1], [2, 3], 1)
    result = qualify(entrants, quota=2)
    assert result.uncertain[:2] == [2, 3]
    assert result.p_qualify[2] == pytest.approx(0.5, abs=0.05)


def test_a_tie_that_fits_inside_the_quota_is_no_tie():
    entrants = [entrant(1, 80.0), entrant(2, 70.0), entrant(3, 70.0), entrant(4, 50.0)]
    assert cut(entrants, group="tous", quota=3).chosen == [1, 2, 3]
    assert cut(entrants, group="tous", quota=3).tied == []


def test_the_tie_break_order_fills_the_places_left():
    group = cut(
        [entrant(1, 80.0), entrant(2, 70.0), entrant(3, 70.0), entrant(4, 70.0)], group="tous", quota=2
    )
    assert group.places_for_tied == 1
    assert settle(group, order=[[3], [2], [4]]) == ([3], [])
    assert settle(group, order=[[2, 3], [4]]) == ([], [2, 3])  # still tied: the chair decides


def test_advanced_candidates_hold_places_and_out_candidates_hold_none():
    entrants = [
        entrant(1, 50.0, state="advanced"),
        entrant(2, 99.0, state="out"),
        entrant(3, 80.0),
        entrant(4, 70.0),
    ]
    group = cut(entrants, group="tous", quota=2)
    assert group.chosen == [1, 3]
    assert qualify(entrants, quota=2).p_qualify == {3: 1.0, 4: 0.0}


def test_a_group_without_a_global_ranking_gets_no_proposal():
    entrants = [
        Entrant(candidate_id=1, group="tous", score=80.0, ranked=False),
        Entrant(candidate_id=2, group="tous", score=70.0),
    ]
    [group] = qualify(entrants, quota=1).groups
    assert group.chosen == [] and group.blocked is not None and "Pas de classement global" in group.blocked


def test_probabilities_follow_the_intervals_and_are_seeded():
    entrants = [entrant(1, 72.0, sd=3.0), entrant(2, 70.0, sd=3.0), entrant(3, 40.0, sd=1.0)]
    first = qualify(entrants, quota=1, seed=7)
    assert first.p_qualify == qualify(entrants, quota=1, seed=7).p_qualify
    assert 0.6 < first.p_qualify[1] < 0.8 and first.p_qualify[3] == 0.0
    assert first.p_qualify[1] + first.p_qualify[2] == pytest.approx(1.0)
    assert first.uncertain == [1, 2] or first.uncertain == [2, 1]


def test_the_funding_line_walks_down_the_ranking_within_the_budget():
    entrants = [entrant(1, 90.0), entrant(2, 80.0), entrant(3, 70.0), entrant(4, 60.0), entrant(5, 50.0)]
    requested = {1: 15_000, 2: 15_000, 3: 12_000, 4: 5_000, 5: 4_000}
    # 30,000 €: 1 and 2 fill it; 3 and 4 no longer fit... 4 000 € would not either: nothing left.
    assert p_funded(entrants, requested=requested, budget=30_000) == {1: 1.0, 2: 1.0, 3: 0.0, 4: 0.0, 5: 0.0}
    # 36,000 €: 3 (12 000) does not fit in the 6 000 left, 4 (5 000) does, 5 (4 000) no longer.
    assert p_funded(entrants, requested=requested, budget=36_000) == {1: 1.0, 2: 1.0, 3: 0.0, 4: 1.0, 5: 0.0}


def test_the_funding_line_is_uncertain_when_the_scores_are():
    entrants = [entrant(1, 90.0), entrant(2, 71.0, sd=3.0), entrant(3, 70.0, sd=3.0)]
    p = p_funded(entrants, requested={1: 10_000, 2: 10_000, 3: 10_000}, budget=20_000, seed=3)
    assert p[1] == 1.0 and 0.5 < p[2] < 0.8 and p[2] + p[3] == pytest.approx(1.0)
