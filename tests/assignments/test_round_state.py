"""A round's assignments without a database: the overview's holes and design words, and hand-edit refusals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jury.assignments.models import PairRequest
from jury.assignments.round_state import (
    RoundAssignments,
    design_message,
    overview_of,
    pair_to_add,
    pair_to_remove,
    zone_keys,
)
from jury.assignments.wording import counted
from jury.errors import Conflict, Invalid, NotFound


@dataclass(frozen=True)
class Header:
    id: int = 1
    edition_id: int = 1
    name: str = "Demi-finales"
    kind: str = "semi_final"
    status: str = "open"


def panel(panel_id: int, name: str, zone: str | None) -> dict:
    return {"id": panel_id, "name": name, "zone_label": zone, "ept_codes": []}


def candidate(candidate_id: int, panel_id: int | None, *, competing: bool = True) -> dict:
    return {
        "id": candidate_id,
        "name": f"Candidat {candidate_id}",
        "entry_number": candidate_id,
        "commune": "Nanterre",
        "ept_code": None,
        "panel_id": panel_id,
        "competing": competing,
    }


def member(person_id: int, panel_id: int, role: str = "juror") -> dict:
    return {"person_id": person_id, "full_name": f"Juré {person_id}", "panel_id": panel_id, "role": role}


def two_panel_round(*, pairs=(), conflicts=(), scored=()) -> RoundAssignments:
    """Nord (10) judged by 1, 2 and the bridge 3; Sud (20) by 3 and 4; candidate 103 has no panel."""
    return RoundAssignments.from_rows(
        Header(),
        panels=[panel(10, "Jury Nord", "Nord"), panel(20, "Jury Sud", "Sud")],
        members=[member(1, 10, "chair"), member(2, 10), member(3, 10), member(3, 20), member(4, 20)],
        candidates=[
            candidate(101, 10),
            candidate(102, 20),
            candidate(103, None),
            candidate(104, 10, competing=False),
        ],
        pairs=[{"panel_id": pn, "person_id": p, "candidate_id": c} for pn, p, c in pairs],
        conflicts=[{"person_id": p, "candidate_id": c} for p, c in conflicts],
        scored=[{"person_id": p, "candidate_id": c} for p, c in scored],
    )


def test_rows_become_lookups_with_chairs_and_former_candidates():
    rnd = two_panel_round()

    assert rnd.members[3]["panels"] == {10, 20} and rnd.members[1]["chairs"] == {10}
    assert set(rnd.candidates) == {101, 102, 103}
    assert rnd.candidate_name(104) == "Candidat 104"
    assert rnd.zone_of_panel == {10: "Nord", 20: "Sud"}


def test_panels_without_their_own_zone_are_told_apart_by_name():
    assert zone_keys([panel(1, "A", None), panel(2, "B", None)]) == {1: "A", 2: "B"}
    assert zone_keys([panel(1, "A", "Nord"), panel(2, "B", "Nord")]) == {1: "A", 2: "B"}
    assert zone_keys([panel(1, "A", "Nord")]) == {1: None}


def test_overview_infers_k_and_explains_each_hole():
    rnd = two_panel_round(pairs=[(10, 1, 101), (10, 2, 101), (20, 4, 102)], conflicts=[(3, 102)])

    view = overview_of(rnd)

    assert view.k == 2
    reasons = {hole.candidate_id: hole.reason for hole in view.holes}
    assert reasons[102] == (
        "1 juré sur 2 : aucun autre juré disponible dans le jury « Jury Sud » (1 conflit d'intérêts déclaré)."
    )
    assert reasons[103].startswith("Rattaché à aucun jury de ce tour")
    assert 101 not in reasons


def test_the_page_window_keeps_its_panels_structs_and_every_round_wide_figure():
    pairs = [(10, 1, 101), (10, 2, 101), (10, 3, 101), (20, 3, 102), (20, 4, 102)]
    rnd = two_panel_round(pairs=pairs)

    whole, window = overview_of(rnd), overview_of(rnd, panels={20})

    assert [c.id for c in window.candidates] == [102, 103]  # Sud's candidate, and the hole 103 by name
    assert [(p.person_id, p.candidate_id) for p in window.pairs] == [(3, 102), (4, 102)]
    assert [c.jurors for c in window.candidates] == [[3, 4], []]
    assert [(j.person_id, j.load, j.bridging) for j in window.jurors] == [
        (1, 1, False),
        (2, 1, False),
        (3, 2, True),
        (4, 1, False),
    ]
    assert (window.k, window.holes, window.design, window.panels) == (
        whole.k,
        whole.holes,
        whole.design,
        whole.panels,
    )


def test_the_page_window_builds_only_the_jurors_asked_for_with_their_round_wide_loads():
    rnd = two_panel_round(pairs=[(10, 1, 101), (10, 3, 101), (20, 3, 102), (20, 4, 102)])

    window = overview_of(rnd, panels={20}, jurors={3, 4})

    assert [(j.person_id, j.load, j.bridging) for j in window.jurors] == [(3, 2, True), (4, 1, False)]


def test_pairs_read_as_columns_give_the_same_round():
    pairs = [(10, 1, 101), (10, 2, 101), (20, 4, 102)]
    rows = two_panel_round(pairs=pairs)
    columns = RoundAssignments.from_rows(
        Header(),
        panels=[panel(10, "Jury Nord", "Nord"), panel(20, "Jury Sud", "Sud")],
        members=[member(1, 10, "chair"), member(2, 10), member(3, 10), member(3, 20), member(4, 20)],
        candidates=[
            candidate(101, 10),
            candidate(102, 20),
            candidate(103, None),
            candidate(104, 10, competing=False),
        ],
        pairs=[],
        conflicts=[],
        scored=[],
        pair_columns={"person_ids": [1, 2, 4], "candidate_ids": [101, 101, 102], "panel_ids": [10, 10, 20]},
    )

    assert columns.pairs == rows.pairs == {(1, 101): 10, (2, 101): 10, (4, 102): 20}
    assert overview_of(columns) == overview_of(rows)


def test_adding_a_pair_refuses_conflicts_and_jurors_of_another_panel():
    rnd = two_panel_round(pairs=[(10, 1, 101)], conflicts=[(2, 101)])

    assert pair_to_add(rnd, PairRequest(person_id=1, candidate_id=101)) is None
    added = pair_to_add(rnd, PairRequest(person_id=3, candidate_id=101))
    assert (added.panel_id, added.person_id, added.candidate_id) == (10, 3, 101)
    with pytest.raises(Invalid, match="conflit d'intérêts"):
        pair_to_add(rnd, PairRequest(person_id=2, candidate_id=101))
    with pytest.raises(Invalid, match="ne siège pas dans le jury « Jury Sud »"):
        pair_to_add(rnd, PairRequest(person_id=1, candidate_id=102))
    with pytest.raises(NotFound):
        pair_to_add(rnd, PairRequest(person_id=1, candidate_id=104))


def test_removing_a_pair_already_marked_is_refused():
    rnd = two_panel_round(pairs=[(10, 1, 101), (10, 2, 101)], scored=[(2, 101)])

    assert pair_to_remove(rnd, PairRequest(person_id=1, candidate_id=101)).panel_id == 10
    with pytest.raises(Conflict):
        pair_to_remove(rnd, PairRequest(person_id=2, candidate_id=101))
    with pytest.raises(NotFound):
        pair_to_remove(rnd, PairRequest(person_id=3, candidate_id=101))


def test_design_message_names_the_semi_finals_and_their_bridges():
    message = design_message(connected=True, components=1, panels=2, bridges=1, kind="semi_final")

    assert (
        message == "Le plan est connexe : les deux demi-finales sont comparables grâce à 1 juré passerelle."
    )


def test_counts_agree_on_every_word():
    assert [counted(n, "affectation ajoutée") for n in (0, 1, 3)] == [
        "0 affectation ajoutée",
        "1 affectation ajoutée",
        "3 affectations ajoutées",
    ]
