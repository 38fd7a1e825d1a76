"""Least-squares juror models, fitted on one linked component and batched over bootstrap replicates.

Model: `y_ij = μ + a_j·f_i + b_j + e_ij`, `e_ij ~ N(0, σ_j² / h_ij)`.

* `b_j` (severity) gets a prior N(0, τ²) whose τ is *estimated from the panel* (empirical Bayes, see
  `_severity_precision`), at full strength for every juror: the posterior mean of each severity. A
  juror with many marks is corrected by nearly their full severity; one with a single mark, whose
  severity cannot be told from the quality of the one candidate they saw, is pulled towards the panel,
  and their mark informs that candidate's score instead of being absorbed by their own severity. When
  the panel's jurors really differ little, τ is small and every correction modest. The marks are
  centred first, so that the prior is about a juror's mark for an average candidate.
* `a_j` (range use) gets a prior N(1, 0.3²). With 3–5 marks per candidate an unregularised affine fit
  lets a juror's scale absorb noise (a juror who saw only good candidates looks "compressed"); the
  prior makes the model fall back on the additive one unless the data clearly show a different range.
  After each update the scales are renormalised to mean 1, so "1" always means "the panel's average
  range use" and the reported `μ + f_i` is on the input scale of an average juror.
* `σ_j²` is pooled towards the panel's residual variance with `PSEUDO_OBSERVATIONS` pseudo-marks: a
  juror's own 10–20 residuals are too few to estimate a variance, but a juror who is clearly noisier
  should count a little less (mild precision weights).
* `h_ij` are Huber weights (robust variant only): a single favouritism mark cannot drag a candidate.

Every step is closed form. Given the scales and weights, `(f, b)` is a weighted linear least-squares
problem solved exactly (eliminating `f`, whose normal matrix is diagonal, leaves one system of the size
of the jury), so weakly bridged panels converge in one step instead of the hundreds that plain
coordinate descent needs. Then each juror's `(a_j, b_j)` is a 2×2 ridge regression, then `σ_j²`.

Arrays carry a leading batch axis B so that a bootstrap refits all replicates at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

SCALE_PRIOR_SD = 0.3
PSEUDO_OBSERVATIONS = 20.0
ITERATIONS = 40
HUBER_C = 1.345
CONVERGED = 1e-9
MIN_SCALE = 0.1  # a juror anti-correlated with the panel is not allowed to flip the sign of a candidate
SEVERITY_PRIOR_WIDTH = 1.0  # τ of the severity prior, in spreads of the free severities
WELL_MEASURED = 3  # marks a juror needs to inform the panel's spread of severities
SEVERITY_FLOOR = 0.02  # τ of the severity prior never below 2 % of the marks' spread (a mild shrinkage)


@dataclass(frozen=True, slots=True)
class Linked:
    """Marks of one connected component, with local indices, sorted so that sums are order-independent."""

    juror: np.ndarray  # (m,) int, or (B, m) when every batch row is a different section of the same shape
    candidate: np.ndarray  # (m,) int, or (B, m)
    n_jurors: int
    n_candidates: int
    # Flattened `bincount` indices per (which, rows), built once: a fit calls `per_juror` ~100 times.
    _flat: dict = field(default_factory=dict, compare=False, repr=False)

    def per_juror(self, values: np.ndarray) -> np.ndarray:
        """Sums (..., m) values per juror (`bincount` rather than a product with an incidence matrix:
        it stays single-threaded, and BLAS threads only contend on a busy server)."""
        return self._sum(0, self.juror, values, self.n_jurors)

    def per_candidate(self, values: np.ndarray) -> np.ndarray:
        return self._sum(1, self.candidate, values, self.n_candidates)

    def _sum(self, which: int, index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
        """`sum_by` with the flattened index cached (same sums, in the same order)."""
        lead = values.shape[:-1]
        rows = math.prod(lead)
        flat = self._flat.get((which, lead))
        if flat is None:
            if index.ndim == 1:
                flat = (np.arange(rows)[:, None] * size + index[None, :]).ravel()
            else:  # one index row per batch row: broadcast over the stacked quantities
                flat = (np.arange(rows).reshape(*lead, 1) * size + index).ravel()
            self._flat[(which, lead)] = flat
        return np.bincount(flat, weights=values.ravel(), minlength=rows * size).reshape(*lead, size)

    def at_juror(self, x: np.ndarray) -> np.ndarray:
        """(B, n_jurors) → (B, m): each mark's juror's value."""
        return x[:, self.juror] if self.juror.ndim == 1 else np.take_along_axis(x, self.juror, axis=1)

    def at_candidate(self, x: np.ndarray) -> np.ndarray:
        """(B, n_candidates) → (B, m): each mark's candidate's value."""
        if self.candidate.ndim == 1:
            return x[:, self.candidate]
        return np.take_along_axis(x, self.candidate, axis=1)

    @property
    def dof(self) -> float:
        """Residual degrees of freedom of the additive model, floored so saturated designs stay finite."""
        m = self.juror.shape[-1]
        return max(m - (self.n_candidates + self.n_jurors - 1), m / 4.0, 1.0)


@dataclass(frozen=True, slots=True)
class Fit:
    mu: np.ndarray  # (B,)
    f: np.ndarray  # (B, n_candidates), centred
    a: np.ndarray  # (B, n_jurors), mean 1
    b: np.ndarray  # (B, n_jurors), mean 0
    sigma: np.ndarray  # (B, n_jurors)
    fitted: np.ndarray  # (B, m)
    weights: np.ndarray  # (B, m) total weights h_ij / σ_j² of the last linear solve
    prior: np.ndarray | None = None  # (B, n_jurors) precision of the severity prior; None: free severities

    @property
    def scores(self) -> np.ndarray:
        return self.mu[:, None] + self.f


def sum_by(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Row-wise `bincount`: sums `values[..., k]` into `out[..., index[k]]` for every leading index.

    Callers stack several quantities along a leading axis so that one call does the work of five:
    with jury-sized arrays the per-call overhead, not the arithmetic, is what costs.
    """
    lead = values.shape[:-1]
    rows = math.prod(lead)
    flat = (np.arange(rows)[:, None] * size + index[None, :]).ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=rows * size)
    return sums.reshape(*lead, size)


def fit(
    data: Linked,
    y: np.ndarray,
    *,
    affine: bool,
    robust: bool = False,
    independent: bool = False,
    shrink: bool = False,
) -> Fit:
    """Fits the additive model (`affine=False`: `a ≡ 1`, equal weights, one exact solve; `shrink=True`
    adds the severity prior and precision weights, as when the affine model falls back on it) or the
    regularised affine one. `y` has shape (B, m).

    `independent=True` (used when the rows are different sections, see `normalise_many`): a row stops
    being updated as soon as it has converged, exactly as if it had been fitted alone, so that a
    section's result never depends on the sections batched with it. Without it (bootstrap replicates)
    every row iterates until all have converged, as before."""
    # Centred marks: the severity prior pulls each b_j towards the panel's at f = 0, so f = 0 must be the
    # average candidate, not a mark of 0 (with range uses a_j ≠ 1 the juror's mark there lies far
    # outside the data, and a prior on it shrank the wrong thing).
    level = y.mean(axis=1, keepdims=True)
    out = _fit(data, y - level, affine=affine, robust=robust, independent=independent, shrink=shrink)
    return Fit(
        mu=out.mu + level[:, 0],
        f=out.f,
        a=out.a,
        b=out.b,
        sigma=out.sigma,
        fitted=out.fitted + level,
        weights=out.weights,
        prior=out.prior,
    )


def _fit(data, y, *, affine, robust, independent, shrink):
    batch = y.shape[0]
    ones_w = np.ones_like(y)
    a = np.ones((batch, data.n_jurors))
    f, b = _solve_f_b(data, y, a, ones_w)
    var_floor = 1e-6 * y.var(axis=1, keepdims=True) + 1e-12
    if not affine:
        fitted = data.at_candidate(f) + data.at_juror(b)
        var = _juror_variances(data, y - fitted, ones_w, var_floor)
        if not shrink:
            return _finish(f, a, b, np.sqrt(var), fitted, ones_w)
        # The additive model as the affine one falls back to: the same severity prior, then one solve.
        ridge = _severity_precision(data, b, var, y.std(axis=1) + 1e-12, y)
        # Equal weights: a few marks per juror estimate their noise too poorly to weight by it (a complete
        # panel of five would then rank worse than the raw mean).
        w = ones_w / _row_mean(var)
        f, b = _solve_f_b(data, y, a, w, ridge)
        fitted = data.at_candidate(f) + data.at_juror(b)
        return _finish(f, a, b, np.sqrt(var), fitted, w, prior=ridge)

    huber = np.ones_like(y)
    var = _juror_variances(data, y - data.at_candidate(f) - data.at_juror(b), huber, var_floor)
    # The slow part is the fixed point between precision weights and residuals (the scales alone settle
    # in about 20 updates). After ITERATIONS updates the scores are within about 0.1 % of the marks'
    # spread of it, far below the resolution of any mark; easy designs stop earlier, once nothing moves
    # by more than a billionth of that spread.
    spread = y.std(axis=1) + 1e-12
    active = np.ones(batch, dtype=bool)
    ridge = _severity_precision(data, b, var, spread, y)
    for _ in range(ITERATIONS):
        previous = f, a, b, var, huber
        w = huber / data.at_juror(var)
        f, b = _solve_f_b(data, y, a, w, ridge)
        a, b = update_scales(data, y, f, w)
        f, a, b = _normalise(f, a, b)
        resid = y - data.at_juror(a) * data.at_candidate(f) - data.at_juror(b)
        var = _juror_variances(data, resid, huber, var_floor)
        if robust:
            z = np.abs(resid) / np.sqrt(data.at_juror(var))
            huber = np.minimum(1.0, HUBER_C / np.maximum(z, 1e-12))
        moved = np.maximum(np.abs(f - previous[0]).max(axis=1), np.abs(a - previous[1]).max(axis=1) * spread)
        if not independent:
            if np.all(moved < CONVERGED * spread):
                break
            continue
        if not active.all():  # rows that had converged keep the state they stopped at
            frozen = ~active[:, None]
            f, a, b, var, huber = (
                np.where(frozen, old, new) for old, new in zip(previous, (f, a, b, var, huber), strict=True)
            )
        active &= ~(moved < CONVERGED * spread)
        if not active.any():
            break
    w = huber / data.at_juror(var)
    f, b = _solve_f_b(data, y, a, w, ridge)
    f, a, b = _normalise(f, a, b)
    fitted = data.at_juror(a) * data.at_candidate(f) + data.at_juror(b)
    return _finish(f, a, b, np.sqrt(var), fitted, w, prior=ridge)


def _severity_precision(data: Linked, b, var, spread, y):
    """Precision of each juror's severity prior (B, n_jurors), estimated from the panel (empirical Bayes).

    The severities are re-solved freely with weights 1/σ_j². Over the jurors with at least
    `WELL_MEASURED` marks (all of them if fewer than two have that many), the scatter of the free
    severities around their mean holds the spread of the true ones (τ²) plus the sampling noise of the
    estimates, whose exact covariance C is the inverse of the jury's system once the candidates are
    eliminated (it counts the noise of the candidates' estimates too, not only σ_j²/n_j). Hence the
    unbiased moment estimator τ² = (Σ_W (b̂_j − b̄_W)² − tr_W C + 1ᵀ_W C 1_W / |W|) / (|W| − 1), floored at
    `SEVERITY_FLOOR` of the marks' spread. Jurors with one or two marks are left out of it: their free
    severity is mostly the noise of one mark, and a single odd mark would otherwise widen the prior of
    the whole panel and so escape the very shrinkage it needs.

    The prior applies at full strength to every juror (the posterior mean of each severity): a juror with
    many marks keeps nearly all of theirs; one with a single mark keeps about τ²/(τ² + its sampling
    variance). Estimated once before the iterations, so shrunk severities never feed back into their own
    prior. `b` is unused (the signature is shared with `batched_fit`)."""
    del b
    batch, n_j = y.shape[0], data.n_jurors
    w = 1.0 / data.at_juror(var)
    a = np.ones((batch, n_j))
    _, free = _solve_f_b(data, y, a, w)
    schur = _jury_system(data, y, a, w)[3]
    # S has the null vector 1 (a common shift of every severity, taken up by the candidates): S + c·11ᵀ
    # is invertible, and the part c adds (a multiple of 11ᵀ) cancels in the centred sums below.
    c = _row_mean(np.diagonal(schur, axis1=1, axis2=2))[:, :, None]
    cov = np.linalg.inv(schur + c)
    counts = data.per_juror(np.ones_like(y))
    chosen = (counts >= WELL_MEASURED).astype(float)
    chosen = np.where(chosen.sum(axis=1, keepdims=True) >= 2, chosen, 1.0)
    size = chosen.sum(axis=1)
    centred = free - (chosen * free).sum(axis=1, keepdims=True) / size[:, None]
    scatter = (chosen * centred * centred).sum(axis=1)
    noise = (chosen * np.diagonal(cov, axis1=1, axis2=2)).sum(axis=1)
    noise -= np.einsum("bj,bjk,bk->b", chosen, cov, chosen) / size
    tau2 = SEVERITY_PRIOR_WIDTH**2 * (scatter - noise) / np.maximum(size - 1, 1)
    floor = (SEVERITY_FLOOR * spread) ** 2
    return np.repeat((1.0 / np.maximum(tau2, floor))[:, None], n_j, axis=1)


def leverage(data: Linked, a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix of the linear `(f, b)` solve for scales `a` (n_j,) and weights `w` (m,).

    Studentising residuals with it matters with four marks per candidate: each mark pulls its own
    candidate's fit towards itself by about a quarter, hiding a quarter of any anomaly.
    """
    n_c, n = data.n_candidates, data.n_candidates + data.n_jurors
    x = np.zeros((len(w), n))
    rows = np.arange(len(w))
    column_b = n_c + data.juror
    ak = a[data.juror]
    x[rows, data.candidate] = ak
    x[rows, column_b] = 1.0
    normal = (x * w[:, None]).T @ x
    # The model is invariant under f + δ, b − a·δ; pin that direction (it does not move fitted values).
    pin = np.concatenate([np.ones(n_c), np.zeros(data.n_jurors)])
    normal += np.outer(pin, pin) * np.mean(np.diag(normal))
    inverse = np.linalg.inv(normal)
    cc = data.candidate
    quadratic = ak * ak * inverse[cc, cc] + 2.0 * ak * inverse[cc, column_b] + inverse[column_b, column_b]
    h = w * quadratic
    return np.clip(h, 0.0, 0.99)


def _finish(f, a, b, sigma, fitted, weights, prior=None) -> Fit:
    mu = b.mean(axis=1)
    return Fit(mu=mu, f=f, a=a, b=b - mu[:, None], sigma=sigma, fitted=fitted, weights=weights, prior=prior)


def _solve_f_b(data: Linked, y, a, w, ridge=None):
    """Exact weighted least squares for `(f, b)` given the scales, by eliminating `f` (its block of the
    normal matrix is diagonal), which leaves one system of the size of the jury. `ridge`: the
    precisions of the jurors' severity priors (B, n_jurors), added to the diagonal of the jury's system."""
    d, rhs_f, cross, schur, e, rhs_b = _jury_system(data, y, a, w)
    if ridge is not None:
        n_j = data.n_jurors
        schur[:, np.arange(n_j), np.arange(n_j)] += ridge
    # Pin the invariant direction (f + δ, b − a·δ) by penalising the sum of b; re-centred below.
    schur += _row_mean(e)[:, :, None]
    rhs = rhs_b - np.matmul((rhs_f / d)[:, None, :], cross)[:, 0, :]
    b = np.linalg.solve(schur, rhs[:, :, None])[:, :, 0]
    f = (rhs_f - np.matmul(cross, b[:, :, None])[:, :, 0]) / d
    shift = _row_mean(f)
    return f - shift, b + a * shift


def _jury_system(data: Linked, y, a, w):
    """The pieces of the `(f, b)` normal equations: the candidates' diagonal block `d` and right-hand side,
    the (candidate, juror) cross block, the jury's Schur complement (neither pinned nor ridged), the
    diagonal `e` of the jury's block and its right-hand side."""
    jj, cc, n_c, n_j = data.juror, data.candidate, data.n_candidates, data.n_jurors
    batch = y.shape[0]
    ak = data.at_juror(a)
    cross_k = w * ak  # entry (candidate, juror) of the f–b block, one per mark
    d, rhs_f = data.per_candidate(_stack(cross_k * ak, cross_k * y))  # d: diagonal of the f block
    e, rhs_b = data.per_juror(_stack(w, w * y))  # e: diagonal of the b block
    cross = np.zeros((batch, n_c, n_j))
    if jj.ndim == 1:
        cross[:, cc, jj] = cross_k
    else:
        cross[np.arange(batch)[:, None], cc, jj] = cross_k
    scaled = cross / np.sqrt(d)[:, :, None]
    schur = -np.matmul(scaled.transpose(0, 2, 1), scaled)
    schur[:, np.arange(n_j), np.arange(n_j)] += e
    return d, rhs_f, cross, schur, e, rhs_b


def update_scales(data: Linked, y, f, w):
    """Per juror ridge regression of the marks on `f`, with prior N(1, SCALE_PRIOR_SD²) on the slope."""
    fk = data.at_candidate(f)
    wf = w * fk
    s_w, s_f, s_ff, s_y, s_fy = data.per_juror(_stack(w, wf, wf * fk, w * y, wf * y))
    lam = 1.0 / SCALE_PRIOR_SD**2
    det = (s_ff + lam) * s_w - s_f * s_f
    a = (s_w * (s_fy + lam) - s_f * s_y) / det
    a = np.maximum(a, MIN_SCALE)
    b = (s_y - a * s_f) / s_w
    return a, b


def _normalise(f, a, b):
    mean_a = _row_mean(a)
    a = a / mean_a
    f = f * mean_a
    shift = _row_mean(f)
    return f - shift, a, b + a * shift


def _juror_variances(data: Linked, resid, huber, var_floor):
    inflate = data.juror.shape[-1] / data.dof
    rss, count = data.per_juror(_stack(huber * resid * resid, huber))
    rss = rss * inflate
    pooled = rss.sum(axis=1, keepdims=True) / count.sum(axis=1, keepdims=True)
    pooled = np.maximum(pooled, var_floor)
    var = (rss + PSEUDO_OBSERVATIONS * pooled) / (count + PSEUDO_OBSERVATIONS)
    return np.maximum(var, var_floor)


def _stack(*arrays: np.ndarray) -> np.ndarray:
    """`np.stack` of same-shaped arrays without its generic checks (a fit calls it ~100 times)."""
    out = np.empty((len(arrays), *arrays[0].shape))
    for i, array in enumerate(arrays):
        out[i] = array
    return out


def _row_mean(x: np.ndarray) -> np.ndarray:
    """`x.mean(axis=1, keepdims=True)` with the same arithmetic (a sum, then one division), minus the
    overhead of `np.mean`'s generic path."""
    return np.add.reduce(x, axis=1, keepdims=True) / x.shape[1]
