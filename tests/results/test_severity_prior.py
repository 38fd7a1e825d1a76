"""The severity prior of the affine engine: estimated from the panel, applied where the data are thin."""

import numpy as np
import pytest

from jury.results import affine
from jury.results.affine import Linked
from jury.results.normalise import normalise

pytestmark = pytest.mark.unit


def complete_panel():
    """Four jurors mark five candidates; severities −3, 0, 1, 2 and small, fixed disagreements."""
    quality = [62.0, 55.0, 70.0, 48.0, 58.0]
    severity = [-3.0, 0.0, 1.0, 2.0]
    disagreement = [
        [0.5, -1.0, 0.0, 1.5, -1.0],
        [-1.5, 0.5, 1.0, 0.0, 0.0],
        [1.0, 0.5, -1.5, -0.5, 0.5],
        [0.0, 0.0, 0.5, -1.0, 0.5],
    ]
    juror = np.repeat(np.arange(4), 5)
    candidate = np.tile(np.arange(5), 4)
    y = np.array(
        [quality[c] + severity[j] + disagreement[j][c] for j, c in zip(juror, candidate, strict=True)]
    )
    return Linked(juror=juror, candidate=candidate, n_jurors=4, n_candidates=5), y


def test_prior_width_on_a_complete_panel_is_the_two_way_anova_estimate():
    """On a complete panel with one noise level, the estimator is the textbook one of a two-way
    layout: τ² = (mean square between jurors − residual mean square) / candidates per juror."""
    data, y = complete_panel()
    table = y.reshape(4, 5)
    resid = table - table.mean(axis=1, keepdims=True) - table.mean(axis=0, keepdims=True) + table.mean()
    ms_error = (resid**2).sum() / (3 * 4)
    ms_jurors = 5 * ((table.mean(axis=1) - table.mean()) ** 2).sum() / 3
    expected = (ms_jurors - ms_error) / 5

    precision = affine._severity_precision(
        data, None, np.full((1, 4), ms_error), np.array([y.std()]), (y - y.mean())[None, :]
    )

    assert expected == pytest.approx(4.4417, abs=1e-4)
    assert precision == pytest.approx(np.full((1, 4), 1.0 / expected), rel=1e-9)


def test_the_prior_never_goes_below_its_floor_when_jurors_agree():
    data, _ = complete_panel()
    quality = np.array([62.0, 55.0, 70.0, 48.0, 58.0])
    same = quality[data.candidate] + np.array([0.5, -0.5, 0.25, -0.25] * 5)
    precision = affine._severity_precision(
        data, None, np.full((1, 4), 1.0), np.array([same.std()]), (same - same.mean())[None, :]
    )
    assert precision[0, 0] == pytest.approx(1.0 / (affine.SEVERITY_FLOOR * same.std()) ** 2)


def test_a_well_measured_juror_keeps_nearly_all_of_their_severity():
    """Eight marks each: every juror keeps more than 85 % of their free severity (a one-mark juror in the
    same panel keeps about half, see test_small_sections)."""
    rng = np.random.default_rng(3)
    quality = rng.normal(60, 10, 8)
    planted = {"a": -4.0, "b": 0.0, "c": 2.0, "d": 3.0}
    marks = [
        (juror, f"c{i}", float(np.round(quality[i] + severity + rng.normal(0, 3))))
        for juror, severity in planted.items()
        for i in range(8)
    ]
    shrunk = {d.juror: d.severity for d in normalise(marks).jurors}
    free = {d.juror: d.severity for d in normalise(marks, method="additive").jurors}
    kept = {juror: shrunk[juror] / free[juror] for juror in planted if abs(free[juror]) > 1.0}
    assert len(kept) == 3
    assert all(0.85 < share < 1.0 for share in kept.values()), kept


def test_shifting_every_mark_shifts_every_score_and_nothing_else():
    """The prior is about a juror's mark for an average candidate, so where the scale starts does not
    matter: every score moves by the shift, severities and range uses stay (the prior used to pull the
    jurors' marks at a quality of 0 points, far below the data: here a shift of 30 moved scores by up to
    0.012 more or less than 30)."""
    rng = np.random.default_rng(11)
    quality = rng.normal(0, 8, 24)
    jurors = {f"j{k}": (rng.normal(0, 4), float(np.exp(rng.normal(0, 0.3)))) for k in range(8)}
    marks = []
    for k, (name, (severity, scale)) in enumerate(jurors.items()):
        for i in range(24):
            if (i + k) % 2 == 0:
                marks.append((name, f"c{i:02d}", 50 + scale * quality[i] + severity + rng.normal(0, 2)))
    base = normalise(marks, method="affine")
    shifted = normalise([(j, c, y + 30.0) for j, c, y in marks], method="affine")
    assert base.method_used == "affine"
    for candidate, score in base.scores.items():
        assert shifted.scores[candidate] == pytest.approx(score + 30.0, abs=1e-6)
    assert shifted.ranks == base.ranks
    for before, after in zip(base.jurors, shifted.jurors, strict=True):
        assert after.severity == pytest.approx(before.severity, abs=1e-6)
        assert after.scale == pytest.approx(before.scale, abs=1e-6)
