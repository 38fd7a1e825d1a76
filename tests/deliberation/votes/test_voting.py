import random

import msgspec
import pytest

from jury.deliberation.votes.voting import (
    ExcludedVote,
    SchulzeResult,
    Separation,
    approval_vote,
    break_ties,
    schulze,
)

# --- Schulze: the worked example of Wikipedia's "Schulze method" article ------------------------------

# 45 voters, five candidates; each line is (number of voters, order).
WIKIPEDIA_GROUPS = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]

# d[X][Y]: voters preferring X to Y. Counted by hand from the groups above, e.g. d[A][B] = 5 (ACBED)
# + 5 (ADECB) + 3 (CABED) + 7 (CAEBD) = 20; these are the figures of the article's table.
D = {
    "A": {"B": 20, "C": 26, "D": 30, "E": 22},
    "B": {"A": 25, "C": 16, "D": 33, "E": 18},
    "C": {"A": 19, "B": 29, "D": 17, "E": 24},
    "D": {"A": 15, "B": 12, "C": 28, "E": 14},
    "E": {"A": 23, "B": 27, "C": 21, "D": 31},
}

# Strongest paths, worked by hand over the winning links A→C 26, A→D 30, B→A 25, B→D 33, C→B 29,
# C→E 24, D→C 28, E→A 23, E→B 27, E→D 31. E.g. p[E][A] = 25 by E→B→A (min(27, 25)) beats the direct
# link of 23; p[A][E] = 24 by A→D→C→E (min(30, 28, 24)); p[E][B] = 28 by E→D→C→B (min(31, 28, 29)).
P = {
    "A": {"B": 28, "C": 28, "D": 30, "E": 24},
    "B": {"A": 25, "C": 28, "D": 33, "E": 24},
    "C": {"A": 25, "B": 29, "D": 29, "E": 24},
    "D": {"A": 25, "B": 28, "C": 28, "E": 24},
    "E": {"A": 25, "B": 28, "C": 28, "D": 31},
}


def wikipedia_ballots() -> dict[str, list[set[str]]]:
    ballots: dict[str, list[set[str]]] = {}
    for count, order in WIKIPEDIA_GROUPS:
        for _ in range(count):
            ballots[f"v{len(ballots) + 1:02d}"] = [{c} for c in order]
    assert len(ballots) == 45
    return ballots


@pytest.fixture(scope="module")
def wikipedia() -> SchulzeResult:
    return schulze(ballots=wikipedia_ballots(), candidates="ABCDE")


def test_wikipedia_pairwise_matrix(wikipedia):
    assert wikipedia.d == D
    assert wikipedia.d["A"]["B"] == 20
    assert wikipedia.d["B"]["A"] == 25
    # Every pair is decided by all 45 voters since nobody ties or leaves a candidate out.
    for x in "ABCDE":
        for y in "ABCDE":
            if x != y:
                assert wikipedia.d[x][y] + wikipedia.d[y][x] == 45


def test_wikipedia_strongest_paths(wikipedia):
    assert wikipedia.p == P
    assert wikipedia.p["E"]["A"] == 25
    assert wikipedia.p["A"]["E"] == 24


def test_wikipedia_winner_and_order(wikipedia):
    assert wikipedia.winners == ("E",)
    assert wikipedia.tiers == (("E",), ("A",), ("C",), ("B",), ("D",))
    assert wikipedia.candidates == ("A", "B", "C", "D", "E")
    assert wikipedia.excluded == ()


def test_result_does_not_depend_on_ballot_key_order():
    ballots = wikipedia_ballots()
    reversed_ballots = dict(reversed(list(ballots.items())))
    assert schulze(ballots=reversed_ballots, candidates="EDCBA") == schulze(
        ballots=ballots, candidates="ABCDE"
    )


def test_result_round_trips_through_json(wikipedia):
    assert msgspec.json.decode(msgspec.json.encode(wikipedia), type=SchulzeResult) == wikipedia


def test_mutual_tie_gives_one_tier():
    result = schulze(ballots={"j1": [{"A"}, {"B"}], "j2": [{"B"}, {"A"}]}, candidates=["A", "B"])
    assert result.d == {"A": {"B": 1}, "B": {"A": 1}}
    assert result.p == {"A": {"B": 0}, "B": {"A": 0}}
    assert result.winners == ("A", "B")
    assert result.tiers == (("A", "B"),)


def test_ties_within_a_ballot_give_no_preference():
    result = schulze(ballots={"j1": [{"A", "B"}, {"C"}]}, candidates="ABC")
    assert result.d["A"]["B"] == 0
    assert result.d["B"]["A"] == 0
    assert result.d["A"]["C"] == 1
    assert result.d["B"]["C"] == 1
    assert result.tiers == (("A", "B"), ("C",))


def test_unranked_candidates_rank_below_ranked_ones_and_tie_among_themselves():
    result = schulze(ballots={"j1": [{"B"}]}, candidates="ABC")
    assert result.d["B"] == {"A": 1, "C": 1}
    assert result.d["A"] == {"B": 0, "C": 0}
    assert result.d["C"] == {"A": 0, "B": 0}
    assert result.tiers == (("B",), ("A", "C"))


def test_empty_ballot_counts_for_nothing():
    result = schulze(ballots={"j1": []}, candidates="AB")
    assert result.d == {"A": {"B": 0}, "B": {"A": 0}}
    assert result.tiers == (("A", "B"),)


def test_condorcet_cycle_resolved_by_strongest_paths():
    # A cycle A>B>C>A; Schulze overrules its weakest link (C→A).
    ballots: dict[str, list[set[str]]] = {}
    for i, order in enumerate(["ABC"] * 4 + ["BCA"] * 3 + ["CAB"] * 2):
        ballots[f"j{i}"] = [{c} for c in order]
    result = schulze(ballots=ballots, candidates="ABC")
    # d: A>B = 4+2 = 6, B>C = 4+3 = 7, C>A = 3+2 = 5.
    assert result.d["A"]["B"] == 6
    assert result.d["B"]["C"] == 7
    assert result.d["C"]["A"] == 5
    # p[A][C] = min(6, 7) = 6 > p[C][A] = 5; p[B][A] = min(7, 5) = 5 < p[A][B] = 6.
    assert result.p["A"]["C"] == 6
    assert result.p["C"]["A"] == 5
    assert result.p["B"]["A"] == 5
    assert result.tiers == (("A",), ("B",), ("C",))


def test_conflicted_juror_preferences_involving_the_candidate_are_excluded():
    ballots = {
        "alice": [{"A"}, {"B"}, {"C"}],
        "bob": [{"B"}, {"A"}, {"C"}],
        "chloe": [{"B"}, {"C"}, {"A"}],
    }
    free = schulze(ballots=ballots, candidates="ABC")
    assert free.d["A"]["B"] == 1
    assert free.d["B"]["A"] == 2
    assert free.winners == ("B",)

    # Alice declared a conflict with A: her A>B and A>C are dropped, her B>C remains.
    result = schulze(ballots=ballots, candidates="ABC", conflicts={("alice", "A")})
    assert result.excluded == (ExcludedVote(juror="alice", candidate="A"),)
    assert result.d["A"] == {"B": 0, "C": 1}
    assert result.d["B"] == {"A": 2, "C": 3}
    assert result.d["C"] == {"A": 1, "B": 0}


def test_conflict_can_change_the_winner():
    # Without the conflict A wins 2-1 over B; with juror j1 conflicted on A it is 1-1.
    ballots = {"j1": [{"A"}, {"B"}], "j2": [{"A"}, {"B"}], "j3": [{"B"}, {"A"}]}
    assert schulze(ballots=ballots, candidates="AB").winners == ("A",)
    result = schulze(ballots=ballots, candidates="AB", conflicts=[("j1", "A")])
    assert result.d == {"A": {"B": 1}, "B": {"A": 1}}
    assert result.winners == ("A", "B")


def test_conflict_of_a_juror_without_ballot_is_not_reported():
    result = schulze(ballots={"j1": [{"A"}, {"B"}]}, candidates="AB", conflicts={("j9", "A")})
    assert result.excluded == ()


def test_schulze_rejects_unknown_or_repeated_candidates():
    with pytest.raises(ValueError, match="Bulletin de j1 : candidat inconnu Z"):
        schulze(ballots={"j1": [{"A"}, {"Z"}]}, candidates="AB")
    with pytest.raises(ValueError, match="Bulletin de j1 : A est classé deux fois"):
        schulze(ballots={"j1": [{"A"}, {"A", "B"}]}, candidates="AB")
    with pytest.raises(ValueError, match="Candidat en double"):
        schulze(ballots={}, candidates=["A", "A"])


def test_schulze_without_candidates():
    result = schulze(ballots={}, candidates=())
    assert result.winners == ()
    assert result.tiers == ()


# --- Approval -------------------------------------------------------------------------------------------


def test_approval_tally():
    result = approval_vote(
        ballots={"alice": {"A", "B"}, "bob": {"A"}, "chloe": {"B", "C"}, "david": set()},
        candidates=["A", "B", "C", "D"],
    )
    assert result.counts == {"A": 2, "B": 2, "C": 1, "D": 0}
    assert result.voters == {"A": 4, "B": 4, "C": 4, "D": 4}
    assert result.order == (("A", "B"), ("C",), ("D",))
    assert result.excluded == ()


def test_approval_excludes_conflicted_pairs_and_reports_them():
    result = approval_vote(
        ballots={"alice": {"A", "B"}, "bob": {"A"}, "chloe": {"B", "C"}},
        candidates="ABC",
        conflicts={("alice", "A"), ("chloe", "A"), ("bob", "C")},
    )
    # Alice's approval of A is dropped (reported); Chloé did not approve A, so nothing to report for her;
    # Bob did not approve C either. Alice's approval of B still counts.
    assert result.counts == {"A": 1, "B": 2, "C": 1}
    assert result.excluded == (ExcludedVote(juror="alice", candidate="A"),)
    assert result.voters == {"A": 1, "B": 3, "C": 2}
    assert result.order == (("B",), ("A", "C"))


def test_approval_rejects_unknown_candidate():
    with pytest.raises(ValueError, match="Bulletin de bob : candidat inconnu Z"):
        approval_vote(ballots={"bob": {"A", "Z"}}, candidates="AB")


# --- Tie-breaking ---------------------------------------------------------------------------------------

POLICY = ["calibrated_score", "criterion:innovation", "chair"]


def test_rules_applied_in_order_with_deciding_rule_reported():
    result = break_ties(
        tier={"D", "C", "B", "A"},
        policy=POLICY,
        calibrated={"A": 15.0, "B": 14.0, "C": 14.0, "D": 14.001},
        criterion_scores={"B": {"innovation": 8.5}, "C": {"innovation": 7.0}, "D": {"innovation": 7.0}},
        chair_order=["D", "C", "B", "A"],
    )
    assert result.order == (("A",), ("B",), ("D",), ("C",))
    assert result.resolved
    assert result.unresolved == ()
    assert result.notes == ()
    assert result.separations == (
        Separation(
            above=("A",),
            below=("B", "C", "D"),
            rule="calibrated_score",
            reason="A devant B, C et D : score calibré 15,00 contre 14,00",
        ),
        Separation(
            above=("B",),
            below=("C", "D"),
            rule="criterion:innovation",
            reason="B devant C et D : critère « innovation » 8,50 contre 7,00",
        ),
        Separation(
            above=("D",),
            below=("C",),
            rule="chair",
            reason="D devant C : voix prépondérante du président du jury",
        ),
    )


def test_first_rule_alone_can_settle_everything():
    result = break_ties(tier=["A", "B"], policy=POLICY, calibrated={"A": 12.5, "B": 13.25})
    assert result.order == (("B",), ("A",))
    assert [s.rule for s in result.separations] == ["calibrated_score"]
    assert result.separations[0].reason == "B devant A : score calibré 13,25 contre 12,50"


def test_policy_order_matters():
    scores = {"A": {"innovation": 9.0, "pitch": 5.0}, "B": {"innovation": 6.0, "pitch": 8.0}}
    first = break_ties(tier="AB", policy=["criterion:innovation", "criterion:pitch"], criterion_scores=scores)
    second = break_ties(
        tier="AB", policy=["criterion:pitch", "criterion:innovation"], criterion_scores=scores
    )
    assert first.order == (("A",), ("B",))
    assert second.order == (("B",), ("A",))
    assert second.separations[0].rule == "criterion:pitch"


def test_without_chair_vote_the_tie_is_reported_not_guessed():
    result = break_ties(
        tier="ABC",
        policy=POLICY,
        calibrated={"A": 14.0, "B": 14.0, "C": 13.0},
        criterion_scores={"A": {"innovation": 7.0}, "B": {"innovation": 7.0}},
    )
    assert result.order == (("A", "B"), ("C",))
    assert not result.resolved
    assert result.unresolved == (("A", "B"),)
    assert result.notes == (
        "Égalité non résolue entre A et B : voix prépondérante du président du jury non exprimée",
    )
    assert [s.rule for s in result.separations] == ["calibrated_score"]


def test_chair_vote_must_rank_every_tied_candidate():
    result = break_ties(tier="ABC", policy=["chair"], chair_order=["B", "A"])
    assert result.order == (("A", "B", "C"),)
    assert result.notes == (
        "Égalité non résolue entre A, B et C : la voix prépondérante du président du jury ne classe pas C",
    )


def test_policy_without_chair_leaves_the_tie():
    result = break_ties(
        tier="AB", policy=["calibrated_score"], calibrated={"A": 1, "B": 1}, chair_order=["A", "B"]
    )
    assert result.unresolved == (("A", "B"),)
    assert result.notes == (
        "Égalité non résolue entre A et B : "
        "aucune règle de départage restante dans la politique de l'édition",
    )


def test_chair_settles_only_what_is_left():
    # A and B are split by the score; the chair's order (which would put B first) only settles C vs D.
    result = break_ties(
        tier="ABCD",
        policy=["calibrated_score", "chair"],
        calibrated={"A": 16, "B": 15, "C": 15, "D": 15},
        chair_order=["D", "B", "C", "A"],
    )
    assert result.order == (("A",), ("D",), ("B",), ("C",))
    assert [s.rule for s in result.separations] == ["calibrated_score", "chair", "chair"]
    assert result.separations[0].below == ("B", "C", "D")


def test_scores_compared_at_published_precision():
    result = break_ties(tier="AB", policy=["calibrated_score"], calibrated={"A": 14.201, "B": 14.199})
    assert result.unresolved == (("A", "B"),)
    finer = break_ties(
        tier="AB", policy=["calibrated_score"], calibrated={"A": 14.201, "B": 14.199}, decimals=3
    )
    assert finer.order == (("A",), ("B",))
    assert finer.separations[0].reason == "A devant B : score calibré 14,201 contre 14,199"


def test_single_candidate_needs_no_rule():
    result = break_ties(tier=["A"], policy=POLICY)
    assert result.order == (("A",),)
    assert result.resolved
    assert result.separations == ()


def test_missing_score_is_an_error_not_a_tie():
    with pytest.raises(ValueError, match="Score calibré manquant pour B"):
        break_ties(tier="AB", policy=POLICY, calibrated={"A": 1.0})
    with pytest.raises(ValueError, match="Note du critère « innovation » manquante pour B"):
        break_ties(tier="AB", policy=["criterion:innovation"], criterion_scores={"A": {"innovation": 1.0}})
    with pytest.raises(ValueError, match="non numérique pour A"):
        break_ties(tier="AB", policy=POLICY, calibrated={"A": float("nan"), "B": 1.0})


@pytest.mark.parametrize("policy", [["coin_toss"], ["criterion:"], ["chair", "chair"]])
def test_bad_policy_is_refused(policy):
    with pytest.raises(ValueError, match="Règle de départage"):
        break_ties(tier="AB", policy=policy)


def _widest_path_by_enumeration(d: dict[str, dict[str, int]], x: str, y: str) -> int:
    """Independent check of p: try every simple path from x to y over winning links."""
    names = list(d)
    best = 0

    def walk(node: str, strength: int, seen: set[str]) -> None:
        nonlocal best
        for nxt in names:
            if nxt in seen or d[node][nxt] <= d[nxt][node]:
                continue
            s = min(strength, d[node][nxt])
            if nxt == y:
                best = max(best, s)
            else:
                walk(nxt, s, seen | {nxt})

    walk(x, 10**9, {x})
    return best


@pytest.mark.parametrize("seed", range(25))
def test_strongest_paths_and_tiers_on_random_ballots(seed):
    rng = random.Random(seed)
    names = "ABCDE"
    ballots: dict[str, list[set[str]]] = {}
    for j in range(rng.randint(1, 12)):
        ranked = rng.sample(names, rng.randint(0, 5))
        ballot: list[set[str]] = []
        for c in ranked:
            if ballot and rng.random() < 0.3:
                ballot[-1].add(c)  # tie with the previous candidate
            else:
                ballot.append({c})
        ballots[f"j{j}"] = ballot
    conflicts = {(f"j{rng.randrange(12)}", rng.choice(names)) for _ in range(3)}
    result = schulze(ballots=ballots, candidates=names, conflicts=conflicts)

    for x in names:
        for y in names:
            if x != y:
                assert result.p[x][y] == _widest_path_by_enumeration(result.d, x, y)
    # Tiers: candidates of one tier are equal on strongest paths; none is beaten by a later tier.
    assert sorted(c for t in result.tiers for c in t) == list(names)
    for i, tier in enumerate(result.tiers):
        for x in tier:
            for y in tier:
                if x != y:
                    assert result.p[x][y] == result.p[y][x]
            for later in result.tiers[i + 1 :]:
                for y in later:
                    assert result.p[y][x] <= result.p[x][y]
