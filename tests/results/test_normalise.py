"""Normalisation engine: synthetic panels with a known truth, plus the contract of the result."""

from __future__ import annotations

import random
from decimal import Decimal

import msgspec
import numpy as np
import pytest

from jury.results.normalise import METHODS, NormalisationResult, normalise, ranking


def simulate(rng, quality, jurors):
    """Marks `50 + scale·quality + severity + noise` for jurors {name: (severity, scale, noise, seen)}."""
    observations = []
    for name, (severity, scale, noise, seen) in jurors.items():
        for c in seen:
            observations.append(
                (name, f"c{c:02d}", 50 + scale * quality[c] + severity + rng.normal(0, noise))
            )
    return observations


def territorial(seed, *, bridged=True):
    """Two panels of 12; the northern candidates are truly better by about 10 points."""
    rng = np.random.default_rng(seed)
    quality = np.r_[rng.normal(10, 5, 12), rng.normal(0, 5, 12)]
    jurors = {f"n{k}": (rng.normal(0, 3), 1.0, 1.0, range(12)) for k in range(3)}
    jurors |= {f"s{k}": (rng.normal(0, 3), 1.0, 1.0, range(12, 24)) for k in range(3)}
    if bridged:
        jurors["bridge1"] = (2.0, 1.0, 1.0, range(24))
        jurors["bridge2"] = (-2.0, 1.0, 1.0, range(0, 24, 2))
    return quality, simulate(rng, quality, jurors)


def panel_gap(result: NormalisationResult) -> float:
    scores = np.array([result.scores[f"c{c:02d}"] for c in range(24)])
    return float(scores[:12].mean() - scores[12:].mean())


def test_additive_recovers_planted_severities():
    rng = np.random.default_rng(7)
    quality = rng.normal(0, 10, 30)
    planted = {"j0": -6.0, "j1": -2.0, "j2": 0.0, "j3": 3.0, "j4": 5.0}  # already centred
    jurors = {
        name: (severity, 1.0, 1.0, [c for c in range(30) if (c + k) % 5 != 0])
        for k, (name, severity) in enumerate(planted.items())
    }

    result = normalise(simulate(rng, quality, jurors), method="additive")

    for row in result.jurors:
        assert row.severity == pytest.approx(planted[row.juror], abs=0.3)
        assert row.count == 24


def test_non_affine_methods_estimate_juror_diagnostics_from_the_data():
    rng = np.random.default_rng(6)
    quality = rng.normal(0, 8, 20)
    quality -= quality.mean()  # so that "severity at an average candidate" is the planted one
    jurors = {"harsh": (-5.0, 1.0, 1.0, range(20)), "wide": (2.5, 2.0, 1.0, range(20))}
    jurors |= {f"j{k}": (2.5 * (k % 2 * 2 - 1) / 2, 1.0, 1.0, range(20)) for k in range(4)}

    result = normalise(simulate(rng, quality, jurors), method="raw")

    rows = {row.juror: row for row in result.jurors}
    # Relative to the consensus, i.e. the mean of all six jurors (mean severity -5/12, mean scale 7/6).
    assert rows["harsh"].severity == pytest.approx(-5.0 + 5 / 12, abs=0.4)
    assert rows["wide"].scale == pytest.approx(2.0 / (7 / 6), abs=0.15)
    assert rows["harsh"].residual_sd == pytest.approx(1.0, abs=0.4)
    assert rows["harsh"].count == 20


def test_affine_recovers_a_narrow_range_jurors_scale():
    rng = np.random.default_rng(8)
    quality = rng.normal(0, 10, 30)
    jurors = {f"j{k}": (0.0, 1.0, 1.5, range(30)) for k in range(5)}
    jurors["narrow"] = (0.0, 0.4, 1.5, range(30))

    result = normalise(simulate(rng, quality, jurors))

    scales = {row.juror: row.scale for row in result.jurors}
    # Scales are relative to the panel's mean range use: 0.4 / 0.9 ≈ 0.44 and 1 / 0.9 ≈ 1.11.
    assert scales["narrow"] == pytest.approx(0.44, abs=0.08)
    for k in range(5):
        assert scales[f"j{k}"] == pytest.approx(1.11, abs=0.05)


def test_zscore_erases_a_territorial_gap_that_affine_keeps_with_bridging_jurors():
    quality, observations = territorial(9)
    true_gap = float(quality[:12].mean() - quality[12:].mean())

    affine_gap = panel_gap(normalise(observations, method="affine"))
    zscore_gap = panel_gap(normalise(observations, method="zscore"))

    assert true_gap == pytest.approx(6.64, abs=0.01)
    assert affine_gap == pytest.approx(true_gap, abs=1.0)
    assert zscore_gap < 0.5 * true_gap


def test_disconnected_design_refuses_a_global_ranking_by_default():
    _, observations = territorial(3, bridged=False)

    result = normalise(observations)

    assert result.design.connected is False
    assert len(result.design.components) == 2
    assert result.global_ranking is False
    assert result.assumption is None
    assert sorted(result.ranks.values()).count(1) == 2  # one leader per panel
    north = {f"c{c:02d}" for c in range(12)}
    assert {result.component[c] for c in north} == {0} or {result.component[c] for c in north} == {1}


def test_equal_severity_assumption_ranks_across_components_and_says_so():
    rng = np.random.default_rng(4)
    quality = np.r_[rng.normal(6, 5, 10), rng.normal(0, 5, 10)]
    # The assumption holds here (both panels' jurors are, on average, equally severe), so the
    # difference between the panels' marks is read as a difference of quality, as documented.
    jurors = {f"n{k}": (severity, 1.0, 1.0, range(10)) for k, severity in enumerate((-2.0, 0.0, 2.0))}
    jurors |= {f"s{k}": (severity, 1.0, 1.0, range(10, 20)) for k, severity in enumerate((3.0, -3.0, 0.0))}
    observations = simulate(rng, quality, jurors)

    refused = normalise(observations)
    assumed = normalise(observations, across_components="equal-severity")

    assert assumed.global_ranking is True
    assert assumed.assumption == "equal-severity"
    assert assumed.parameters["across_components"] == "equal-severity"
    assert sorted(assumed.ranks.values()) == list(range(1, 21))
    assert assumed.scores == refused.scores
    north = np.mean([assumed.scores[f"c{c:02d}"] for c in range(10)])
    south = np.mean([assumed.scores[f"c{c:02d}"] for c in range(10, 20)])
    marks_gap = np.mean([s for j, _, s in observations if j[0] == "n"]) - np.mean(
        [s for j, _, s in observations if j[0] == "s"]
    )
    # Up to the shrinkage of severities (a few thousandths of a point here).
    assert north - south == pytest.approx(marks_gap, abs=0.01)
    assert north - south == pytest.approx(quality[:10].mean() - quality[10:].mean(), abs=1.0)


def test_equal_severity_on_a_connected_design_assumes_nothing():
    _, observations = territorial(5)

    result = normalise(observations, across_components="equal-severity")

    assert result.global_ranking is True
    assert result.assumption is None


@pytest.mark.parametrize("method", METHODS)
def test_order_of_observations_does_not_change_the_result(method):
    _, observations = territorial(11)
    shuffled = list(observations)
    random.Random(1).shuffle(shuffled)

    first = normalise(observations, method=method, bootstrap=50, top_k=5, seed=3)
    second = normalise(shuffled, method=method, bootstrap=50, top_k=5, seed=3)

    assert msgspec.json.encode(first) == msgspec.json.encode(second)


def test_bootstrap_probability_of_top_k_is_certain_far_from_the_cut():
    rng = np.random.default_rng(12)
    quality = rng.normal(0, 3, 16)
    quality[0], quality[1] = 40.0, -40.0
    jurors = {
        f"j{k}": (rng.normal(0, 2), 1.0, 2.0, [c for c in range(16) if (c + k) % 4 != 0]) for k in range(6)
    }

    result = normalise(simulate(rng, quality, jurors), top_k=4, bootstrap=300, seed=1)

    assert result.p_top_k["c00"] == 1.0
    assert result.p_top_k["c01"] == 0.0
    assert set(result.p_top_k) == set(result.scores)
    assert sum(result.p_top_k.values()) == pytest.approx(4.0)
    low, high = result.intervals["c00"]
    assert low < result.scores["c00"] < high
    assert "c00" not in result.borderline and "c01" not in result.borderline
    assert all(0.1 <= result.p_top_k[c] <= 0.9 for c in result.borderline)


def test_borderline_band_is_a_parameter():
    _, observations = territorial(13)

    wide = normalise(observations, top_k=6, bootstrap=200, borderline=(0.0, 1.0))
    narrow = normalise(observations, top_k=6, bootstrap=200, borderline=(0.45, 0.55))

    assert len(wide.borderline) == 24
    assert len(narrow.borderline) < len(wide.borderline)
    assert wide.borderline == sorted(wide.borderline, key=lambda c: wide.ranks[c])


def test_without_bootstrap_there_is_no_uncertainty():
    _, observations = territorial(13)

    result = normalise(observations, top_k=6)

    assert result.intervals == {} and result.p_top_k == {} and result.borderline == []


def test_refused_ranking_applies_top_k_within_each_component():
    _, observations = territorial(14, bridged=False)

    result = normalise(observations, top_k=3, bootstrap=100)

    for number in (0, 1):
        members = [c for c, k in result.component.items() if k == number]
        assert sum(result.p_top_k[c] for c in members) == pytest.approx(3.0)


def test_a_planted_outlier_is_flagged_but_not_applied():
    rng = np.random.default_rng(15)
    quality = rng.normal(0, 5, 20)
    jurors = {f"j{k}": (0.0, 1.0, 1.0, range(20)) for k in range(5)}
    observations = simulate(rng, quality, jurors)
    observations = [(j, c, s + 15.0 if (j, c) == ("j2", "c07") else s) for j, c, s in observations]

    result = normalise(observations, method="raw")

    flagged = [(o.juror, o.candidate) for o in result.outliers]
    assert flagged[0] == ("j2", "c07")
    assert result.outliers[0].z > 2.5
    marks_of_c07 = [s for _, c, s in observations if c == "c07"]
    assert result.scores["c07"] == pytest.approx(np.mean(marks_of_c07), abs=1e-9)


def test_huber_variant_resists_a_favouritism_mark():
    rng = np.random.default_rng(16)
    quality = rng.normal(0, 5, 24)
    jurors = {
        f"j{k}": (rng.normal(0, 2), 1.0, 1.0, [c for c in range(24) if (c + k) % 3 != 0]) for k in range(6)
    }
    clean = simulate(rng, quality, jurors)
    target = next(c for j, c, _ in clean if j == "j1")
    dirty = [(j, c, s + 20.0 if (j, c) == ("j1", target) else s) for j, c, s in clean]

    def shift(method):
        return normalise(dirty, method=method).scores[target] - normalise(clean, method=method).scores[target]

    assert shift("affine-huber") < 0.6 * shift("affine")


@pytest.mark.parametrize("method", METHODS)
def test_every_method_ranks_a_clear_panel_correctly(method):
    rng = np.random.default_rng(17)
    quality = np.linspace(30, 0, 7)
    jurors = {f"j{k}": (rng.normal(0, 2), 1.0, 0.5, range(7)) for k in range(5)}

    result = normalise(simulate(rng, quality, jurors), method=method)

    assert result.method == method
    assert [c for c, _ in ranking(result.scores)] == [f"c{c:02d}" for c in range(7)]
    assert all(np.isfinite(list(result.scores.values())))
    assert len(result.jurors) == 5


def test_simple_methods_give_exact_values():
    marks = [1.0, 2.0, 3.0, 4.0, 10.0]
    five = [(f"j{k}", "five", m) for k, m in enumerate(marks)]
    four = [(f"j{k}", "four", m) for k, m in enumerate(marks[:4])]
    observations = five + four

    assert normalise(observations, method="raw").scores == {"five": 4.0, "four": 2.5}
    assert normalise(observations, method="median").scores == {"five": 3.0, "four": 2.5}
    assert normalise(observations, method="trimmed").scores == {"five": 3.0, "four": 2.5}


def test_zscore_rescales_with_the_mean_and_sd_of_the_marks():
    observations = [("a", "x", 10.0), ("a", "y", 20.0), ("b", "x", 0.0), ("b", "y", 40.0)]

    scores = normalise(observations, method="zscore").scores

    # Both jurors put x one SD below their mean; all marks have mean 17.5 and SD sqrt(218.75).
    assert scores["x"] == pytest.approx(17.5 - np.sqrt(218.75))
    assert scores["y"] == pytest.approx(17.5 + np.sqrt(218.75))


def test_unknown_method_is_rejected_naming_the_allowed_ones():
    with pytest.raises(ValueError) as error:
        normalise([("a", "x", 1.0)], method="elo")

    for method in METHODS:
        assert method in str(error.value)


def test_empty_input_gives_an_empty_result():
    result = normalise([], top_k=3, bootstrap=100)

    assert result.scores == {} and result.ranks == {} and result.jurors == [] and result.outliers == []
    assert result.design.components == [] and result.design.connected is False
    assert result.global_ranking is True and result.assumption is None


@pytest.mark.parametrize(
    ("observations", "options", "message"),
    [
        ([("a", "x", 1.0), ("a", "x", 2.0)], {}, "more than once"),
        ([("a", "x", float("nan"))], {}, "not finite"),
        ([("a", "x", "high")], {}, "not a number"),
        ([("a", "x", 120.0)], {"scale": (0, 100)}, "outside the scale"),
        ([("a", "x", 1.0)], {"top_k": 0}, "top_k"),
        ([("a", "x", 1.0)], {"bootstrap": -1}, "bootstrap"),
        ([("a", "x", 1.0)], {"across_components": "guess"}, "equal-severity"),
        ([("a", "x", 1.0)], {"borderline": (0.9, 0.1)}, "borderline"),
        ([("a", "x", 1.0)], {"seed": -1}, "seed"),
    ],
)
def test_invalid_input_is_rejected_clearly(observations, options, message):
    with pytest.raises(ValueError, match=message):
        normalise(observations, **options)


def test_decimal_scores_from_the_database_are_accepted():
    observations = [("a", "x", Decimal("12.5")), ("a", "y", Decimal("7.5"))]

    assert normalise(observations, method="raw").scores == {"x": 12.5, "y": 7.5}


def test_result_records_what_is_needed_to_reproduce_it():
    _, observations = territorial(18)

    result = normalise(observations, method="affine-huber", top_k=5, bootstrap=20, seed=42)

    assert result.seed == 42
    assert result.parameters["method"] == "affine-huber"
    assert result.parameters["top_k"] == 5
    assert result.parameters["bootstrap"] == 20
    assert result.parameters["seed"] == 42
    options = {k: result.parameters[k] for k in ("method", "top_k", "bootstrap", "seed", "across_components")}
    assert normalise(observations, **options) == result


def test_result_serialises_to_json():
    _, observations = territorial(19)

    encoded = msgspec.json.encode(normalise(observations, top_k=5, bootstrap=20))

    assert b'"method":"affine"' in encoded


def test_ranking_shares_ranks_between_equal_scores_ordered_by_id():
    scores = {"b": 5.0, "a": 5.0, "c": 7.0, "d": 1.0, "e": 0.1 + 0.2, "f": 0.3}

    assert ranking(scores) == [("c", 1), ("a", 2), ("b", 2), ("d", 4), ("e", 5), ("f", 5)]


def test_candidates_tied_at_the_cut_share_the_probability():
    observations = [(juror, candidate, 10.0) for juror in "abc" for candidate in "xyz"]

    result = normalise(observations, top_k=1, bootstrap=20)

    assert result.p_top_k == pytest.approx({"x": 1 / 3, "y": 1 / 3, "z": 1 / 3})
    assert result.ranks == {"x": 1, "y": 1, "z": 1}


def test_marks_that_make_their_own_fit_are_never_flagged():
    # Two jurors, four marks: every residual is mostly the mark itself, so nothing can be an outlier.
    observations = [("a", "x", 5.0), ("a", "y", 7.0), ("b", "y", 3.0), ("b", "z", 19.0)]

    for method in METHODS:
        assert normalise(observations, method=method).outliers == []
