import msgspec
import pytest

from jury.rounds.lifecycle import RoundSnapshot, is_back, move_problem, readiness_problems


@pytest.mark.parametrize(
    ("current", "target"), [("draft", "open"), ("open", "deliberation"), ("deliberation", "closed")]
)
def test_organisers_move_rounds_forward_one_step(current, target):
    assert move_problem(current=current, target=target, role="organiser") is None


@pytest.mark.parametrize(
    ("current", "target"),
    [("draft", "deliberation"), ("open", "draft"), ("deliberation", "draft"), ("closed", "deliberation")],
)
def test_skipping_or_going_back_is_refused(current, target):
    problem = move_problem(current=current, target=target, role="organiser")
    assert problem is not None and ("Passage impossible" in problem or "clos" in problem)


@pytest.mark.parametrize("role", ["organiser", "chair"])
def test_deliberation_is_the_one_step_that_goes_back_to_scoring(role):
    assert move_problem(current="deliberation", target="open", role=role) is None
    assert is_back(current="deliberation", target="open")
    assert not is_back(current="open", target="deliberation")


def test_closed_round_never_moves():
    assert move_problem(current="closed", target="open", role="organiser") == (
        "Le tour est clos : il ne peut plus changer d'état."
    )


def test_chair_runs_deliberation_but_does_not_open_scoring():
    assert move_problem(current="open", target="deliberation", role="chair") is None
    assert move_problem(current="deliberation", target="closed", role="chair") is None
    assert (
        move_problem(current="draft", target="open", role="chair")
        == "Seuls les organisateurs ouvrent la notation."
    )


def test_readiness_lists_every_problem():
    snapshot = RoundSnapshot(
        candidates=3,
        panels=1,
        panels_without_jurors=["Nord"],
        categories_without_criteria=["Gâteau"],
        candidates_without_panel=1,
        candidates_without_jurors=2,
    )
    assert readiness_problems(snapshot, kind="semi_final") == [
        "Le jury « Nord » n'a aucun juré.",
        "La catégorie « Gâteau » n'a aucun critère de notation.",
        "1 candidat(s) sans jury.",
        "2 candidat(s) sans juré affecté.",
    ]
    ready = RoundSnapshot(
        candidates=3,
        panels=1,
        panels_without_jurors=[],
        categories_without_criteria=[],
        candidates_without_panel=0,
        candidates_without_jurors=0,
    )
    assert readiness_problems(ready, kind="semi_final") == []


def test_an_eligibility_round_needs_candidates_but_no_panel_juror_or_grid():
    """The organisers decide it by the edition's rules: nothing is scored, so nothing is assigned."""
    unjudged = RoundSnapshot(
        candidates=7,
        panels=0,
        panels_without_jurors=[],
        categories_without_criteria=["Projet ESS"],
        candidates_without_panel=7,
        candidates_without_jurors=0,
    )
    assert readiness_problems(unjudged, kind="eligibility") == []
    assert readiness_problems(unjudged, kind="committee") == [
        "Aucun jury n'est constitué pour ce tour.",
        "La catégorie « Projet ESS » n'a aucun critère de notation.",
        "7 candidat(s) sans jury.",
    ]
    empty = msgspec.structs.replace(unjudged, candidates=0, candidates_without_panel=0)
    assert readiness_problems(empty, kind="eligibility") == ["Aucun candidat n'est inscrit à ce tour."]
