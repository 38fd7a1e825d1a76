"""Design checks: linked components and algebraic connectivity of the juror-overlap graph."""

from __future__ import annotations

import pytest

from jury.results.design import Component, check_design


def test_complete_design_is_connected_with_fiedler_equal_to_number_of_jurors():
    pairs = [(juror, candidate) for juror in ("a", "b", "c") for candidate in range(5)]

    check = check_design(pairs)

    assert check.connected is True
    assert check.components == [Component(jurors=["a", "b", "c"], candidates=[0, 1, 2, 3, 4])]
    assert check.fiedler == pytest.approx(3.0, abs=1e-9)


def test_two_jurors_sharing_one_candidate_have_fiedler_one():
    # Overlap weight 1, Laplacian eigenvalues 0 and 2, mean load 2.
    check = check_design([("a", 1), ("a", 2), ("b", 2), ("b", 3)])

    assert check.connected is True
    assert check.fiedler == pytest.approx(1.0, abs=1e-9)


def test_unbridged_panels_are_two_components_largest_first():
    north = [(f"n{j}", f"N{i}") for j in range(2) for i in range(3)]
    south = [(f"s{j}", f"S{i}") for j in range(3) for i in range(4)]

    check = check_design(south + north)

    assert check.connected is False
    assert check.fiedler == 0.0
    assert check.components == [
        Component(jurors=["s0", "s1", "s2"], candidates=["S0", "S1", "S2", "S3"]),
        Component(jurors=["n0", "n1"], candidates=["N0", "N1", "N2"]),
    ]


def test_a_single_bridging_mark_links_panels_but_weakly():
    north = [(f"n{j}", f"N{i}") for j in range(3) for i in range(6)]
    south = [(f"s{j}", f"S{i}") for j in range(3) for i in range(6)]
    complete = check_design([(j, c) for j in range(6) for c in range(12)])

    bridged = check_design([*north, *south, ("n0", "S0")])

    assert bridged.connected is True
    assert 0.0 < bridged.fiedler < 0.1 * complete.fiedler


def test_single_juror_is_connected_with_zero_fiedler():
    check = check_design([("a", 1), ("a", 2)])

    assert check.connected is True
    assert check.fiedler == 0.0


def test_duplicate_pairs_are_ignored():
    assert check_design([("a", 1), ("a", 1), ("b", 1)]) == check_design([("b", 1), ("a", 1)])


def test_empty_design_has_no_component_and_is_not_connected():
    check = check_design([])

    assert check.components == []
    assert check.connected is False
    assert check.fiedler == 0.0


def test_mixed_id_types_are_sorted_deterministically():
    check = check_design([("x", 2), (1, "b"), ("x", "b"), (1, 10)])

    assert check.components == [Component(jurors=[1, "x"], candidates=[2, 10, "b"])]
