"""Turns jurors' marks into calibrated candidate scores, with the evidence organisers need to trust them.

Jurors differ in severity, in range use and in noise, and in an incomplete design a raw mean mixes a
candidate's quality with the luck of who judged them. The default method (`affine`) estimates each
juror's severity and range use from the overlap between jurors and removes them; the other methods are
kept so that a standing can be compared with simpler rules (or reproduce one published with them).

Everything here is pure and deterministic: ids are sorted, marks are processed in sorted order, and the
bootstrap uses a seeded generator, so the same marks always give the same standing whatever order they
arrive in. The result records the method and every parameter so a published standing can be recomputed.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Literal

import msgspec
import numpy as np

from jury.results import affine, diagnostics, support
from jury.results import bootstrap as resampling
from jury.results.affine import Linked
from jury.results.design import DesignCheck, _union_find_labels, check_indexed, id_sort_key
from jury.results.diagnostics import JurorDiagnostics, Outlier

__all__ = ["METHODS", "NormalisationResult", "normalise", "normalise_many", "ranking"]

METHODS = ("affine", "affine-huber", "additive", "zscore", "trimmed", "median", "raw")
ACROSS_COMPONENTS = ("refuse", "equal-severity")
ENGINE_VERSION = 3  # 2: severity prior, fallback, parametric bootstrap; 3: empirical-Bayes τ², centred marks
TRIM_FROM = 5  # ISU-style trimming only means something with at least five marks


class NormalisationResult(msgspec.Struct, frozen=True, kw_only=True):
    """A standing and how it was obtained.

    Scores are on the input scale (higher is better). When the design splits into several components
    (panels sharing no juror) and the caller did not choose `across_components="equal-severity"`,
    `global_ranking` is False: scores are computed per component, `ranks` and `p_top_k` are *within*
    each component (`component` tells which, an index into `design.components`), and comparing numbers
    across components is meaningless. With the assumption, `assumption == "equal-severity"` and ranks
    are global. `assumption` stays None when the design is connected, since nothing was assumed.

    `intervals` (2.5–97.5 %) and `p_top_k` are empty unless a bootstrap was asked for (`p_top_k` also
    needs `top_k`); `borderline` lists, in ranking order, the candidates whose probability of being in
    the top k falls inside the borderline band: those deserve deliberation, not a coin toss.
    """

    method: str
    parameters: dict[str, Any]
    seed: int
    scores: dict[Any, float]
    ranks: dict[Any, int]
    marks: dict[Any, int]
    component: dict[Any, int]
    design: DesignCheck
    global_ranking: bool
    assumption: str | None
    intervals: dict[Any, tuple[float, float]]
    p_top_k: dict[Any, float]
    borderline: list[Any]
    jurors: list[JurorDiagnostics]
    outliers: list[Outlier]
    p_podium: dict[Any, list[float]] = msgspec.field(default_factory=dict)
    """P(1st), P(2nd), P(3rd) within the candidate's ranking group, from the bootstrap (empty without)."""
    method_used: str = ""
    """The method actually applied: `method`, or a simpler model the design supports (see
    `jury.results.support`); `fallback` then says why, in French."""
    fallback: str = ""


def normalise(
    observations: Iterable[tuple[Hashable, Hashable, float]],
    *,
    method: str = "affine",
    top_k: int | None = None,
    bootstrap: int = 0,
    seed: int = 0,
    across_components: Literal["refuse", "equal-severity"] = "refuse",
    borderline: tuple[float, float] = (0.1, 0.9),
    scale: tuple[float, float] | None = None,
) -> NormalisationResult:
    """Calibrates `(juror_id, candidate_id, score)` marks, one per juror and candidate.

    `score` is the juror's total for the candidate (`jury.scoring.totals.weighted_total`, 0–100).

    Methods (all computed per component, see `across_components`):
    - `raw`: mean of the marks. `median`. `trimmed`: drops the highest and the lowest mark when there
      are at least five (ISU rule), mean otherwise. Kept for comparison and for rules that demand them.
    - `zscore`: each juror's marks standardised by the juror's own mean and SD, averaged, mapped back
      with the mean and SD of all marks. Assumes every juror saw candidates of the same average level,
      so it erases real gaps between territorial panels.
    - `additive`: least squares `y = q_i + b_j` with Σb = 0 (Roos et al. 2011): removes severity.
    - `affine` (default): `y = μ + a_j·f_i + b_j + e`, also removing range use, with a prior on a_j
      and mildly precision-weighted jurors (`jury.results.affine`). Scores are `μ + f_i`.
    - `affine-huber`: the same, iteratively reweighted with Huber weights against outlying marks.

    Options:
    - `method`: one of `METHODS`; `affine` (default) is the most accurate in our simulations
      (`tests/bench/fairness.py`), `affine-huber` when favouritism or erratic jurors are suspected.
    - `top_k`: number of qualifiers (per component when the design is split and no assumption is made,
      like a quota per semi-final); needed for `p_top_k` and `borderline`.
    - `bootstrap`: number of replicates (0 = none; 1000 gives probabilities to about ±1.5 %).
    - `seed`: seeds the bootstrap; stored with the result.
    - `across_components`: `"refuse"` ranks each component on its own; `"equal-severity"` assumes every
      component's jurors are, on average, equally severe, which makes scores comparable across them.
    - `borderline`: inclusive band of P(top k) flagged for deliberation.
    - `scale`: the possible range of a mark, e.g. `(0, 100)`; marks outside it are rejected as a data
      error. Calibrated scores are *not* clipped to it: clipping would create false ties at the top.

    Empty input gives an empty result (no scores, no components) rather than an error, so that a
    standings page can be shown before any mark is in.
    """
    return _normalise(
        observations,
        method=method,
        top_k=top_k,
        bootstrap=bootstrap,
        seed=seed,
        across_components=across_components,
        borderline=borderline,
        scale=scale,
    )


def _normalise(
    observations,
    *,
    method,
    top_k,
    bootstrap,
    seed,
    across_components,
    borderline,
    scale,
    prepared=None,
    fitted: affine.Fit | None = None,
) -> NormalisationResult:
    """`normalise`, optionally with the marks already `_prepare`d and, for a connected design, the
    affine fit already computed (by `normalise_many`, row by row identical to a fit of its own)."""
    _check_options(
        method=method,
        top_k=top_k,
        bootstrap=bootstrap,
        seed=seed,
        across_components=across_components,
        borderline=borderline,
        scale=scale,
    )
    parameters: dict[str, Any] = {
        "method": method,
        "top_k": top_k,
        "bootstrap": bootstrap,
        "seed": seed,
        "across_components": across_components,
        "borderline": list(borderline),
        "scale": list(scale) if scale is not None else None,
        "scale_prior_sd": affine.SCALE_PRIOR_SD,
        "pseudo_observations": affine.PSEUDO_OBSERVATIONS,
        "iterations": affine.ITERATIONS,
        "huber_c": affine.HUBER_C,
        "outlier_z": diagnostics.OUTLIER_Z,
        "trim_from": TRIM_FROM,
        "severity_prior_width": affine.SEVERITY_PRIOR_WIDTH,
        "engine_version": ENGINE_VERSION,
    }
    jurors, candidates, jj, cc, y = prepared if prepared is not None else _prepare(observations, scale)
    design = check_indexed(jurors, candidates, jj, cc)
    split = len(design.components) > 1
    global_ranking = not split or across_components == "equal-severity"

    scores = np.zeros(len(candidates))
    component_of = np.zeros(len(candidates), dtype=int)
    samples = np.zeros((bootstrap, len(candidates)))
    juror_rows: list[JurorDiagnostics] = []
    outliers: list[Outlier] = []
    juror_index = {juror: i for i, juror in enumerate(jurors)}
    candidate_index = {candidate: i for i, candidate in enumerate(candidates)}
    groups = []
    restricted = []
    for comp in design.components:
        g_candidates = np.array([candidate_index[c] for c in comp.candidates])
        g_jurors = np.array([juror_index[j] for j in comp.jurors])
        data, marks = _restrict(jj, cc, g_jurors, g_candidates, len(jurors), len(candidates))
        restricted.append((g_candidates, data, marks))
    used, fallback = support.effective(
        method,
        [
            support.supported(
                data.juror, data.candidate, n_jurors=data.n_jurors, n_candidates=data.n_candidates
            )
            for _, data, _ in restricted
        ],
    )
    if used != method:
        fitted = None
    shrink = method in ("affine", "affine-huber")  # a fallback keeps the severity prior
    for number, (comp, (g_candidates, data, marks)) in enumerate(
        zip(design.components, restricted, strict=True)
    ):
        y_comp = y[marks]
        if fitted is not None and split:
            raise ValueError("a precomputed fit only applies to a connected design")
        point, fit = (
            (fitted.scores, fitted)
            if fitted is not None
            else _estimate(used, data, y_comp[None, :], shrink=shrink)
        )
        scores[g_candidates] = point[0]
        component_of[g_candidates] = number
        groups.append(g_candidates)
        model = (
            diagnostics.from_fit(data, fit)
            if fit is not None and (used != "additive" or shrink)
            else diagnostics.from_scores(data, y_comp, point[0])
        )
        rows, flagged = diagnostics.describe(
            data=data, y=y_comp, model=model, component=number, jurors=comp.jurors, candidates=comp.candidates
        )
        juror_rows.extend(rows)
        outliers.extend(flagged)
        if bootstrap:
            samples[:, g_candidates] = _replicate(
                data=data,
                y=y_comp,
                model=model,
                method=used,
                replicates=bootstrap,
                seed=seed + number,
                shrink=shrink,
            )
    if global_ranking:
        groups = [np.arange(len(candidates))]

    score_map = {candidates[i]: float(scores[i]) for i in range(len(candidates))}
    ranks: dict[Any, int] = {}
    for group in groups:
        ranks.update(ranking({candidates[i]: score_map[candidates[i]] for i in group}))
    intervals, p_top_k = _uncertainty(samples, groups=groups, candidates=candidates, top_k=top_k)
    p_podium = _podium(samples, groups=groups, candidates=candidates)
    ordered = sorted(candidates, key=lambda c: (ranks[c], id_sort_key(c)))
    outliers.sort(key=lambda o: (-abs(o.z), id_sort_key(o.juror), id_sort_key(o.candidate)))
    juror_rows.sort(key=lambda d: id_sort_key(d.juror))
    return NormalisationResult(
        method=method,
        parameters=parameters,
        seed=seed,
        scores=score_map,
        ranks=ranks,
        marks={candidates[i]: int(n) for i, n in enumerate(np.bincount(cc, minlength=len(candidates)))},
        component={candidates[i]: int(component_of[i]) for i in range(len(candidates))},
        design=design,
        global_ranking=global_ranking,
        assumption="equal-severity" if split and global_ranking else None,
        intervals=intervals,
        p_top_k=p_top_k,
        borderline=[c for c in ordered if c in p_top_k and borderline[0] <= p_top_k[c] <= borderline[1]],
        jurors=juror_rows,
        outliers=outliers,
        p_podium=p_podium,
        method_used=used,
        fallback=fallback,
    )


def normalise_many(
    sections: Mapping[Hashable, Iterable[tuple[Hashable, Hashable, float]]], **options: Any
) -> dict[Hashable, NormalisationResult]:
    """`normalise` of every section (a mapping key → marks) with the same options, in key order given.

    Each result is exactly what `normalise(marks, **options)` returns for that section alone (a
    section's standing never depends on which other sections were computed with it), so a standing
    published in a batch can be recomputed on its own. The options are checked once, before any
    section is computed, so a bad option fails fast instead of after the first section.

    Speed: with the affine methods, connected sections of the same shape (jurors, candidates, marks)
    are fitted together, one batch row per section (`affine.fit(..., independent=True)`): a section of
    18 candidates and 5 jurors costs about the same as a batch of a hundred, since the time goes into
    per-call overhead, not arithmetic. Each row stops iterating when it has converged, as it would alone.
    """
    settings = {
        "method": "affine",
        "top_k": None,
        "bootstrap": 0,
        "seed": 0,
        "across_components": "refuse",
        "borderline": (0.1, 0.9),
        "scale": None,
    }
    unknown = set(options) - set(settings)
    if unknown:
        raise TypeError(f"unknown options: {', '.join(sorted(unknown))}")
    settings.update(options)
    _check_options(**settings)
    method = settings["method"]
    if method not in ("affine", "affine-huber"):
        return {key: _normalise(marks, **settings) for key, marks in sections.items()}
    prepared = {key: _prepare(marks, settings["scale"]) for key, marks in sections.items()}
    shapes: dict[tuple[int, int, int], list[Hashable]] = {}
    for key, (jurors, candidates, jj, _, y) in prepared.items():
        cc = prepared[key][3]
        if (
            len(jurors) >= 1
            and _connected(jj, cc, len(jurors), len(candidates))
            and support.supported(jj, cc, n_jurors=len(jurors), n_candidates=len(candidates))[0] == "affine"
        ):
            shapes.setdefault((len(jurors), len(candidates), len(y)), []).append(key)
    fits: dict[Hashable, affine.Fit] = {}
    for (n_j, n_c, _), keys in shapes.items():
        for start in range(0, len(keys), BATCH):
            part = keys[start : start + BATCH]
            data = Linked(
                juror=np.stack([prepared[k][2] for k in part]),
                candidate=np.stack([prepared[k][3] for k in part]),
                n_jurors=n_j,
                n_candidates=n_c,
            )
            y = np.stack([prepared[k][4] for k in part])
            fit = affine.fit(data, y, affine=True, robust=method == "affine-huber", independent=True)
            for row, key in enumerate(part):
                fits[key] = _fit_row(fit, row)
    return {
        key: _normalise(marks, **settings, prepared=prepared[key], fitted=fits.get(key))
        for key, marks in sections.items()
    }


BATCH = 256  # sections fitted at once by `normalise_many`; bounds memory


def _connected(jj, cc, n_jurors, n_candidates) -> bool:
    labels = _union_find_labels(jj, cc + n_jurors, n_jurors + n_candidates)
    return int(labels.max()) == 0


def _fit_row(fit: affine.Fit, row: int) -> affine.Fit:
    r = slice(row, row + 1)
    return affine.Fit(
        mu=fit.mu[r],
        f=fit.f[r],
        a=fit.a[r],
        b=fit.b[r],
        sigma=fit.sigma[r],
        fitted=fit.fitted[r],
        weights=fit.weights[r],
        prior=None if fit.prior is None else fit.prior[r],
    )


def ranking(scores: Mapping[Any, float]) -> list[tuple[Any, int]]:
    """Competition ranking ("1, 2, 2, 4"), best first; equal scores share a rank and are listed by id.

    Scores closer than 1e-9 (relative) count as equal, so that two candidates with the same marks tie
    even when floating-point sums reach them in a different order.
    """
    ordered = sorted(scores.items(), key=lambda item: (-item[1], id_sort_key(item[0])))
    result: list[tuple[Any, int]] = []
    previous: float | None = None
    rank = 0
    for position, (candidate, score) in enumerate(ordered, start=1):
        if previous is None or not math.isclose(score, previous, rel_tol=1e-9, abs_tol=1e-9):
            rank = position
            previous = score
        result.append((candidate, rank))
    return result


def _check_options(*, method, top_k, bootstrap, seed, across_components, borderline, scale) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; allowed methods: {', '.join(METHODS)}")
    if across_components not in ACROSS_COMPONENTS:
        raise ValueError(
            f"unknown across_components {across_components!r}; allowed: {', '.join(ACROSS_COMPONENTS)}"
        )
    if top_k is not None and not (_is_int(top_k) and top_k >= 1):
        raise ValueError(f"top_k must be a positive integer or None, not {top_k!r}")
    if not (_is_int(bootstrap) and bootstrap >= 0):
        raise ValueError(f"bootstrap must be a non-negative integer, not {bootstrap!r}")
    if not (_is_int(seed) and seed >= 0):
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    if not 0.0 <= borderline[0] <= borderline[1] <= 1.0:
        raise ValueError(f"borderline band must satisfy 0 <= low <= high <= 1, not {borderline!r}")
    if scale is not None and not scale[0] < scale[1]:
        raise ValueError(f"scale must be (low, high) with low < high, not {scale!r}")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _uncertainty(samples, *, groups, candidates, top_k):
    """Intervals for every candidate, and P(top k) within each ranking group, from bootstrap samples."""
    if samples.shape[0] == 0:
        return {}, {}
    low, high = resampling.intervals(samples)
    intervals = {candidates[i]: (float(low[i]), float(high[i])) for i in range(len(candidates))}
    p_top_k: dict[Any, float] = {}
    if top_k is not None:
        for group in groups:
            probabilities = resampling.probability_top_k(samples[:, group], k=top_k)
            p_top_k.update({candidates[i]: float(p) for i, p in zip(group, probabilities, strict=True)})
    return intervals, p_top_k


PODIUM = 3
PODIUM_MAX_GROUP = 300


def _podium(samples, *, groups, candidates) -> dict[Any, list[float]]:
    """P(place 1), P(place 2), P(place 3) of each candidate within its ranking group: the share of
    replicates in which it holds that place (ties in a replicate share the places they span)."""
    if samples.shape[0] == 0:
        return {}
    out: dict[Any, list[float]] = {}
    for group in groups:
        values = samples[:, group]
        n = values.shape[1]
        if n > PODIUM_MAX_GROUP:  # (replicates, n, n) comparisons; a podium is read in small sections
            continue
        places = min(PODIUM, n)
        # Competition bounds of each candidate in each replicate: how many are strictly above / level.
        above = (values[:, None, :] > values[:, :, None] + 1e-9 * (np.abs(values[:, :, None]) + 1.0)).sum(
            axis=2
        )
        level = (
            np.abs(values[:, None, :] - values[:, :, None]) <= 1e-9 * (np.abs(values[:, :, None]) + 1.0)
        ).sum(axis=2)
        table = np.zeros((n, PODIUM))
        for place in range(places):
            holds = (above <= place) & (place < above + level)
            table[:, place] = (holds / np.maximum(level, 1)).mean(axis=0)
        for position, i in enumerate(group):
            out[candidates[i]] = [float(v) for v in table[position]]
    return out


def _prepare(observations, scale):
    """Validates the marks; returns sorted ids and index arrays sorted by (juror, candidate)."""
    rows = []
    seen = set()
    for row in observations:
        juror, candidate, raw = row
        try:
            score = float(raw)
        except (TypeError, ValueError):
            raise ValueError(
                f"score of juror {juror!r} for candidate {candidate!r} is not a number: {raw!r}"
            ) from None
        if not math.isfinite(score):
            raise ValueError(f"score of juror {juror!r} for candidate {candidate!r} is not finite: {raw!r}")
        if scale is not None and not scale[0] <= score <= scale[1]:
            raise ValueError(
                f"score of juror {juror!r} for candidate {candidate!r} is outside the scale {scale!r}: "
                f"{raw!r}"
            )
        if (juror, candidate) in seen:
            raise ValueError(f"juror {juror!r} marked candidate {candidate!r} more than once")
        seen.add((juror, candidate))
        rows.append((juror, candidate, score))
    jurors = sorted({r[0] for r in rows}, key=id_sort_key)
    candidates = sorted({r[1] for r in rows}, key=id_sort_key)
    j_index = {juror: i for i, juror in enumerate(jurors)}
    c_index = {candidate: i for i, candidate in enumerate(candidates)}
    jj = np.array([j_index[r[0]] for r in rows], dtype=np.intp)
    cc = np.array([c_index[r[1]] for r in rows], dtype=np.intp)
    y = np.array([r[2] for r in rows], dtype=float)
    order = np.lexsort((cc, jj))
    return jurors, candidates, jj[order], cc[order], y[order]


def _restrict(jj, cc, g_jurors, g_candidates, n_jurors, n_candidates):
    """Local indices for one component; marks keep their global sorted order."""
    local_j = np.full(n_jurors, -1, dtype=np.intp)
    local_j[g_jurors] = np.arange(len(g_jurors))
    local_c = np.full(n_candidates, -1, dtype=np.intp)
    local_c[g_candidates] = np.arange(len(g_candidates))
    marks = np.flatnonzero(local_j[jj] >= 0)
    data = Linked(
        juror=local_j[jj[marks]],
        candidate=local_c[cc[marks]],
        n_jurors=len(g_jurors),
        n_candidates=len(g_candidates),
    )
    return data, marks


def _estimate(method: str, data: Linked, y: np.ndarray, *, shrink: bool = False):
    """Scores of shape (B, n_candidates) for marks of shape (B, m), plus the model fit when there is one.
    `shrink`: the additive model keeps the affine one's severity prior (a fallback, not a choice)."""
    if method in ("affine", "affine-huber", "additive"):
        fit = affine.fit(
            data,
            y,
            affine=method != "additive",
            robust=method == "affine-huber",
            shrink=shrink,
        )
        return fit.scores, fit
    if method == "raw":
        return _mean(data, y), None
    if method == "zscore":
        return _zscore(data, y), None
    padded = _padded(data, y)
    if method == "median":
        return np.nanmedian(padded, axis=2), None
    counts = np.bincount(data.candidate, minlength=data.n_candidates)
    total = np.nansum(padded, axis=2)
    trimmed = (total - np.nanmax(padded, axis=2) - np.nanmin(padded, axis=2)) / np.maximum(counts - 2, 1)
    return np.where(counts >= TRIM_FROM, trimmed, total / counts), None


def _mean(data: Linked, y: np.ndarray) -> np.ndarray:
    counts = np.bincount(data.candidate, minlength=data.n_candidates)
    return affine.sum_by(data.candidate, y, data.n_candidates) / counts


def _zscore(data: Linked, y: np.ndarray) -> np.ndarray:
    """Per-juror z-scores averaged per candidate, mapped back with the component's mean and SD.

    A juror with one mark, or who gave everyone the same mark, carries no ranking information: z = 0.
    """
    jj, n_j = data.juror, data.n_jurors
    counts = np.bincount(jj, minlength=n_j)
    mean = affine.sum_by(jj, y, n_j) / counts
    dev = y - mean[:, jj]
    sd = np.sqrt(affine.sum_by(jj, dev * dev, n_j) / counts)
    usable = sd > 1e-9 * (np.abs(mean) + 1.0)
    z = np.where(usable[:, jj], dev / np.where(usable, sd, 1.0)[:, jj], 0.0)
    return y.mean(axis=1, keepdims=True) + y.std(axis=1, keepdims=True) * _mean(data, z)


def _padded(data: Linked, y: np.ndarray) -> np.ndarray:
    """(B, n_candidates, max_marks) array of each candidate's marks, NaN-padded, for order statistics."""
    counts = np.bincount(data.candidate, minlength=data.n_candidates)
    order = np.argsort(data.candidate, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    slot = np.arange(len(order)) - starts[data.candidate[order]]
    padded = np.full((y.shape[0], data.n_candidates, counts.max()), np.nan)
    padded[:, data.candidate[order], slot] = y[:, order]
    return padded


def _replicate(
    *, data: Linked, y, model, method: str, replicates: int, seed: int, shrink: bool = False
) -> np.ndarray:
    """Bootstrap scores (replicates, n_candidates) of one component (see `jury.results.bootstrap`):
    marks redrawn from the fitted model of the method used with each juror's noise, then refitted."""
    marks = _replicate_marks(
        data=data, y=y, model=model, method=method, replicates=replicates, seed=seed, shrink=shrink
    )
    return resampling.refit(method=method, data=data, marks=marks, shrink=shrink, estimate=_estimate)


def _replicate_marks(
    *, data: Linked, y, model, method: str, replicates: int, seed: int, shrink: bool = False
) -> np.ndarray:
    fitted, sigma = _noise_model(data=data, y=y, model=model, method=method, shrink=shrink)
    # At the numerical floor of the fit the "noise" is no disagreement
    # (the variance floor of `affine.fit` is a millionth of the marks' variance: σ up to 1e-3 of their SD).
    sigma = np.where(sigma < 2e-3 * float(np.std(y)) + 1e-6 * (np.abs(y).mean() + 1.0), 0.0, sigma)
    return resampling.replicate_marks(
        fitted=fitted, sigma=sigma[data.juror], replicates=replicates, seed=seed
    )


def _noise_model(
    *, data: Linked, y, model, method: str, shrink: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Each mark's expected value and each juror's noise SD under the model the method assumes.

    The affine methods bring their own (σ_j pooled towards the panel, on the model's residual degrees of
    freedom). The others are read as the additive model (`additive`) or as "every juror marks the
    candidate's quality plus noise" (raw, median, trimmed, zscore): the residuals' sum of squares over
    its degrees of freedom, pooled like the affine σ_j. Where no degree of freedom is left (every
    candidate marked once), nothing tells noise from quality and the spread of all marks is used: the
    interval then says "we cannot tell", not "certain"."""
    if method in ("affine", "affine-huber") or (method == "additive" and shrink):
        return model.fitted, model.sigma
    if method == "additive":
        fit = affine.fit(data, y[None, :], affine=False)
        fitted = fit.fitted[0]
        dof = data.juror.shape[-1] - (data.n_candidates + data.n_jurors - 1)
    else:
        fitted = _mean(data, y[None, :])[0][data.candidate]
        dof = data.juror.shape[-1] - data.n_candidates
    resid = y - fitted
    counts = np.bincount(data.juror, minlength=data.n_jurors).astype(float)
    if dof < 1:
        return fitted, np.full(data.n_jurors, float(np.std(y)))
    inflate = len(y) / dof
    rss = affine.sum_by(data.juror, (resid * resid)[None, :], data.n_jurors)[0] * inflate
    pooled = max(float(rss.sum()) / len(y), 1e-12)
    var = (rss + affine.PSEUDO_OBSERVATIONS * pooled) / (counts + affine.PSEUDO_OBSERVATIONS)
    return fitted, np.sqrt(var)
