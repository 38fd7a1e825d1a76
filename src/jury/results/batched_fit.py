"""The regularised affine fit (`jury.results.affine.fit`) for bootstrap replicates: many mark vectors on one
design, fitted at once on the jury's and the candidates' vectors instead of on every mark.

Why: the bootstrap refits 200 replicates of each section, about 40 iterations each, and with `affine.fit`
most of that time goes into per-mark sums (`bincount` over 200 × m marks, ~10 per iteration). When every
replicate shares the design (the same jurors marked the same candidates; only the marks are redrawn) and
the weights are per juror (the non-robust model: w = 1/σ_j²), every sum the fit needs is a product of the
design's incidence matrix M (candidates × jurors) with a vector of the jury or of the candidates, plus two
contractions of the marks laid out as a (B, candidates, jurors) table:

* the diagonal of the candidates' block, d = M·(a²/σ²), and the right-hand sides, M·… and Yᵀ…;
* the jury's Schur complement, diag(e + ridge) − (u uᵀ) ∘ (Mᵀ diag(1/d) M) with u = a/σ², where
  Mᵀ diag(1/d) M is one product of 1/d with the precomputed pairs M_ij·M_ik;
* each juror's 2 × 2 ridge regression for (a_j, b_j), and the residual variances, from the same table.

Same model, same updates in the same order, same stopping rule (a batch iterates until every one of its
rows has converged, as `affine.fit` does without `independent`), same severity prior
(`affine._severity_precision`, called as is) and constants: the scores agree with `affine.fit` to
rounding (`tests/results/test_batched_fit.py` checks 1e-9 of the marks' spread), and, being computed in a
fixed order, are identical for identical inputs whatever else runs.

Pure numpy; the robust (Huber) variant, whose weights are per mark, is left to `affine.fit`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from jury.results import affine
from jury.results.affine import Linked

_AGREES: dict[int, bool] = {}


def agrees(estimate: Callable[..., tuple[np.ndarray, object]]) -> bool:
    """Whether `affine_scores` gives the scores `estimate("affine", …)` gives, on a fixed design with
    uneven jurors (checked once per process and engine function, ~10 ms): the engine may change its
    model, and a bootstrap that silently disagreed with its own standing would be worse than a slow one.
    Agreement is to 1e-7 of the marks' spread; rounding leaves about 1e-13."""
    key = id(estimate)
    if key not in _AGREES:
        rng = np.random.default_rng(20261207)
        n_c, n_j = 12, 5
        pairs = sorted((j, i) for i in range(n_c) for j in rng.choice(n_j, 3 + i % 2, replace=False).tolist())
        juror = np.array([j for j, _ in pairs])
        candidate = np.array([i for _, i in pairs])
        quality = rng.normal(0.0, 12.0, n_c)
        scale = np.array([0.6, 1.0, 1.3, 0.9, 1.2])
        severity = np.array([-8.0, 3.0, 0.0, 6.0, -2.0])
        y = 50.0 + scale[juror] * quality[candidate] + severity[juror] + rng.normal(0.0, 4.0, (3, len(pairs)))
        make = lambda: Linked(juror=juror, candidate=candidate, n_jurors=n_j, n_candidates=n_c)  # noqa: E731
        expected = np.asarray(estimate("affine", make(), y, shrink=True)[0])
        got = affine_scores(make(), y)
        _AGREES[key] = bool(np.abs(expected - got).max() <= 1e-7 * float(y.std()))
    return _AGREES[key]


class Design:
    """The incidence structure of one linked component, computed once for all its replicates."""

    def __init__(self, data: Linked) -> None:
        if data.juror.ndim != 1:
            raise ValueError("a replicate design has one index row shared by every replicate")
        n_c, n_j = data.n_candidates, data.n_jurors
        self.data = data
        self.n_c, self.n_j = n_c, n_j
        self.m = data.juror.shape[-1]
        self.incidence = np.zeros((n_c, n_j))
        self.incidence[data.candidate, data.juror] = 1.0
        self.count = self.incidence.sum(axis=0)  # marks per juror, the same in every replicate
        # pairs[i, j·n_j + k] = M_ij·M_ik: Mᵀ diag(x) M is x @ pairs, one product per iteration.
        self.pairs = (self.incidence[:, :, None] * self.incidence[:, None, :]).reshape(n_c, n_j * n_j)
        self.dof = data.dof
        self.scale_prior = self.count / affine.SCALE_PRIOR_SD**2  # λ·n_j of the scales' ridge
        self.diagonal = np.arange(n_j)


class Marks:
    """The replicates' marks laid out per juror: `by_juror[j]` is (B, n_candidates), zero where juror j
    gave no mark, so that the two contractions each iteration needs are n_j vector operations."""

    def __init__(self, design: Design, y: np.ndarray) -> None:
        self.by_juror = np.zeros((design.n_j, y.shape[0], design.n_c))
        self.by_juror[design.data.juror, :, design.data.candidate] = y.T
        self.column = self.by_juror.sum(axis=2).T  # Σ_i Y_ij (B, n_j)
        self.squares = (self.by_juror * self.by_juror).sum(axis=2).T  # Σ_i Y_ij²

    def weighted_rows(self, u: np.ndarray) -> np.ndarray:
        """Σ_j u_j Y_ij (B, n_candidates)."""
        out = self.by_juror[0] * u[:, :1]
        for j in range(1, self.by_juror.shape[0]):
            out += self.by_juror[j] * u[:, j : j + 1]
        return out

    def weighted_columns(self, f: np.ndarray) -> np.ndarray:
        """Σ_i f_i Y_ij (B, n_jurors)."""
        return (self.by_juror * f[None, :, :]).sum(axis=2).T


def affine_scores(data: Linked, y: np.ndarray) -> np.ndarray:
    """Scores (B, n_candidates) of the non-robust regularised affine fit of each row of `y` (B, m), all
    rows on the design `data` (1-D indices): `affine.fit(data, y, affine=True).scores` to rounding."""
    # Centred marks, as `affine.fit` fits them (its severity prior pulls towards the panel at f = 0).
    level = y.mean(axis=1, keepdims=True)
    y = y - level
    design = Design(data)
    marks = Marks(design, y)
    batch = y.shape[0]
    a = np.ones((batch, design.n_j))
    f, b = _solve(design, marks, a, np.ones((batch, design.n_j)), None)
    var_floor = 1e-6 * y.var(axis=1, keepdims=True) + 1e-12
    var = _variances(design, marks, a, b, _sums(design, marks, f), var_floor)
    spread = y.std(axis=1) + 1e-12
    ridge = _prior(data, b, var, spread, y)
    for _ in range(affine.ITERATIONS):
        previous_f, previous_a = f, a
        v = 1.0 / var
        f, b = _solve(design, marks, a, v, ridge)
        a, b, (_, sum_ff, sum_fy) = _scales(design, marks, f, v)
        # The fitted values a_j·f_i + b_j, hence the residuals, do not change when normalised; with b_j
        # the intercept of the juror's regression, Σ(Y − a·f − b)² = ΣY² − a·(2ΣfY − a·Σf²) − n·b².
        rss = marks.squares - a * (2.0 * sum_fy - a * sum_ff) - design.count * b * b
        var = _pooled(design, rss, var_floor)
        f, a, b = _normalise(f, a, b)
        moved = np.maximum(np.abs(f - previous_f).max(axis=1), np.abs(a - previous_a).max(axis=1) * spread)
        if np.all(moved < affine.CONVERGED * spread):
            break
    f, b = _solve(design, marks, a, 1.0 / var, ridge)
    f, a, b = _normalise(f, a, b)
    return level + b.mean(axis=1)[:, None] + f


def _prior(data: Linked, b, var, spread, y):
    """The severity prior exactly as `affine.fit` computes it (its own function, so the two never differ),
    whether or not that function also reads the marks."""
    if "y" in _PRIOR_PARAMETERS:
        return affine._severity_precision(data, b, var, spread, y)
    return affine._severity_precision(data, b, var, spread)


_PRIOR_PARAMETERS = frozenset(inspect.signature(affine._severity_precision).parameters)


def _solve(design: Design, marks: Marks, a, v, ridge):
    """`affine._solve_f_b` with per-juror weights `v` (B, n_j): exact weighted least squares for (f, b)
    given the scales, the candidates eliminated, the jury's system pinned by the mean of its diagonal."""
    m = design.incidence
    u = v * a  # the f–b cross term of each of a juror's marks
    inverse_d = 1.0 / ((u * a) @ m.T)  # the candidates' block is diagonal
    rhs_f = marks.weighted_rows(u)
    e = v * design.count
    n_j = design.n_j
    flat = inverse_d @ design.pairs  # (B, n_j²): Mᵀ diag(1/d) M, row-major
    flat *= -(u[:, :, None] * u[:, None, :]).reshape(-1, n_j * n_j)
    flat[:, :: n_j + 1] += e if ridge is None else e + ridge  # the diagonal, as a strided view
    flat += affine._row_mean(e)
    schur = flat.reshape(-1, n_j, n_j)
    rhs = v * marks.column - u * ((rhs_f * inverse_d) @ m)
    b = np.linalg.solve(schur, rhs[:, :, None])[:, :, 0]
    f = (rhs_f - (u * b) @ m.T) * inverse_d
    shift = affine._row_mean(f)
    return f - shift, b + a * shift


def _sums(design: Design, marks: Marks, f):
    """Σ_i M_ij f_i, Σ_i M_ij f_i² and Σ_i f_i Y_ij per juror (B, n_j): all the fit needs of f."""
    m = design.incidence
    return f @ m, (f * f) @ m, marks.weighted_columns(f)


def _scales(design: Design, marks: Marks, f, v):
    """`affine.update_scales` with per-juror weights: each juror's ridge regression of marks on f, the
    weight 1/σ_j² factored out of the normal equations (a_j = (v(nΣfY − ΣfΣY) + λn) / (v(nΣf² − (Σf)²)
    + λn), b_j = (ΣY − a_jΣf)/n). Returns the new (a, b) and the sums of f they came from."""
    sums = _sums(design, marks, f)
    sum_f, sum_ff, sum_fy = sums
    count = design.count
    prior = design.scale_prior
    a = (v * (count * sum_fy - sum_f * marks.column) + prior) / (v * (count * sum_ff - sum_f * sum_f) + prior)
    a = np.maximum(a, affine.MIN_SCALE)
    return a, (marks.column - a * sum_f) / count, sums


def _normalise(f, a, b):
    mean_a = affine._row_mean(a)
    a = a / mean_a
    f = f * mean_a
    shift = affine._row_mean(f)
    return f - shift, a, b + a * shift


def _variances(design: Design, marks: Marks, a, b, sums, var_floor):
    """`affine._juror_variances` (no Huber weights): each juror's residual variance on the model's degrees
    of freedom, pooled towards the panel's with `PSEUDO_OBSERVATIONS` pseudo-marks. The residual sum of
    squares is expanded into sums of the jury's size, Σ(Y − a·f − b)² = ΣY² − 2a·ΣfY − 2b·ΣY + a²·Σf² +
    2ab·Σf + n·b², which is exact in the reals and loses a couple of digits of ~16 to cancellation (marks
    centred, residuals a few points): far below the variance floor."""
    sum_f, sum_ff, sum_fy = sums
    rss = marks.squares - 2.0 * a * sum_fy - 2.0 * b * marks.column + a * a * sum_ff
    rss += b * (2.0 * a * sum_f + design.count * b)
    return _pooled(design, rss, var_floor)


def _pooled(design: Design, rss, var_floor):
    """Residual sums of squares → the jurors' pooled variances, as `affine._juror_variances`."""
    count = design.count
    rss = np.maximum(rss, 0.0) * (design.m / design.dof)
    pooled = np.maximum(rss.sum(axis=1, keepdims=True) / count.sum(), var_floor)
    var = (rss + affine.PSEUDO_OBSERVATIONS * pooled) / (count + affine.PSEUDO_OBSERVATIONS)
    return np.maximum(var, var_floor)
