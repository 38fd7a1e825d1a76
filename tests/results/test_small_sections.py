"""Small sections: a juror with one mark, three candidates marked twice, designs that cannot carry a model."""

import numpy as np
import pytest

from jury.results import support
from jury.results.normalise import normalise

pytestmark = pytest.mark.unit

# Three candidates, three jurors, each candidate marked twice by jurors who disagree.
SMALL = [
    ("a", "x", 60.0),
    ("b", "x", 70.0),
    ("b", "y", 55.0),
    ("c", "y", 65.0),
    ("c", "z", 50.0),
    ("a", "z", 62.0),
]


def panel_with_a_one_mark_juror():
    """Four jurors mark eight candidates; a fifth marks only c0, 30 points above its quality."""
    rng = np.random.default_rng(3)
    quality = rng.normal(60, 10, 8)
    marks = [
        (juror, f"c{i}", float(np.round(quality[i] + severity + rng.normal(0, 3))))
        for juror, severity in zip("abcd", (-4, 0, 2, 3), strict=True)
        for i in range(8)
    ]
    return [*marks, ("e", "c0", float(quality[0] + 30))]


def test_a_juror_with_one_mark_is_pulled_towards_the_panel_and_flagged():
    marks = panel_with_a_one_mark_juror()
    result = normalise(marks)
    assert result.method_used == "affine"  # eight marks per juror: severity and range use, with the prior
    shrunk = {d.juror: d for d in result.jurors}
    free = {d.juror: d for d in normalise(marks, method="additive").jurors}
    assert shrunk["e"].count == 1 and shrunk["e"].few_marks
    assert not any(shrunk[j].few_marks for j in "abcd")
    # The free model puts the whole mark on the juror's severity; the prior about halves it.
    assert free["e"].severity == pytest.approx(23.53, abs=0.01)
    assert shrunk["e"].severity == pytest.approx(12.00, abs=0.01)
    # And says how little it knows: its severity is far less certain than the others'.
    assert shrunk["e"].severity_sd > 1.5 * max(shrunk[j].severity_sd for j in "abcd")


def test_intervals_have_a_width_when_marks_disagree():
    result = normalise(SMALL, top_k=1, bootstrap=200, seed=5)
    widths = {c: high - low for c, (low, high) in result.intervals.items()}
    assert min(widths.values()) > 10.0
    assert all(0.0 < p < 1.0 for p in result.p_top_k.values())
    assert sum(result.p_top_k.values()) == pytest.approx(1.0)
    again = normalise(SMALL, top_k=1, bootstrap=200, seed=5)
    assert again.intervals == result.intervals and again.p_top_k == result.p_top_k


def test_podium_places_are_probabilities_of_each_place():
    result = normalise(SMALL, top_k=1, bootstrap=200, seed=5)
    for place in range(3):
        assert sum(p[place] for p in result.p_podium.values()) == pytest.approx(1.0)
    assert all(
        sum(p) == pytest.approx(1.0) for p in result.p_podium.values()
    )  # three candidates, three places
    assert {c: p[0] for c, p in result.p_podium.items()} == pytest.approx(result.p_top_k)


def test_marks_that_agree_give_no_width():
    marks = [(juror, candidate, 10.0 + i) for juror in "abc" for i, candidate in enumerate("xyz")]
    result = normalise(marks, top_k=1, bootstrap=50)
    assert all(high - low < 1e-6 for low, high in result.intervals.values())
    assert result.p_top_k == {"x": 0.0, "y": 0.0, "z": 1.0}


def test_a_section_too_small_for_the_affine_model_falls_back_and_says_why():
    result = normalise(SMALL)
    assert (result.method, result.method_used) == ("affine", "additive")
    assert result.fallback == (
        "trop peu de notes par juré pour estimer l'étendue de notation de chacun : seule la sévérité est corrigée"
    )
    # The fallback keeps the severity prior: not the free additive model a round may choose.
    assert result.scores != normalise(SMALL, method="additive").scores


def test_one_mark_per_juror_falls_back_to_the_raw_mean():
    marks = [("a", "x", 60.0), ("b", "x", 70.0), ("c", "y", 55.0), ("d", "y", 65.0)]
    result = normalise(marks)
    assert result.method_used == "raw"
    assert result.fallback.startswith("trop peu de notes en commun entre jurés")
    assert result.scores == {"x": 65.0, "y": 60.0}


def test_what_each_design_supports():
    def cap(pairs, n_jurors, n_candidates):
        juror = np.array([j for j, _ in pairs])
        candidate = np.array([c for _, c in pairs])
        return support.supported(juror, candidate, n_jurors=n_jurors, n_candidates=n_candidates)[0]

    assert cap([(j, c) for j in range(4) for c in range(12)], 4, 12) == "affine"
    assert cap([(j, c) for j in range(4) for c in range(8)], 4, 8) == "affine"  # 8 marks per juror
    assert cap([(j, c) for j in range(4) for c in range(6)], 4, 6) == "additive"  # 6 marks per juror
    assert cap([(0, c) for c in range(5)], 1, 5) == "raw"  # one juror
    assert cap([(0, 0), (1, 1), (2, 2)], 3, 3) == "raw"  # no candidate marked twice
    assert cap([(j, c) for j in range(2) for c in range(3)], 2, 3) == "additive"
    assert support.effective("affine-huber", [("affine", ""), ("additive", "x")]) == ("additive", "x")
    assert support.effective("zscore", [("raw", "y")]) == ("zscore", "")
    assert support.effective("raw", [("raw", "y")]) == ("raw", "")
