"""Juror diagnostics and outlying marks, shown to organisers for review and never applied to scores.

The figures describe each juror relative to the consensus of the chosen method: how many points they
add to an average candidate (severity), how much of the range they use (scale) and how closely they
follow the consensus once those two are accounted for (residual SD). A mark whose studentised residual
exceeds `OUTLIER_Z` is listed so that a human can ask why (favouritism, conflict of interest, a typo);
the engine itself never drops or edits it, because a legitimate dissent looks exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from jury.results import affine, support
from jury.results.affine import Fit, Linked

OUTLIER_Z = 2.5
# A mark that makes up more than half of its own fit (a candidate with one or two marks, a juror with
# two) cannot be judged against the others: its residual says nothing, so it is never flagged.
MAX_LEVERAGE = 0.5


class JurorDiagnostics(msgspec.Struct, frozen=True, kw_only=True):
    """One juror, relative to the consensus of their component.

    `severity` is b_j in points: what the juror adds to a candidate of average quality, so a harsh juror
    has a negative severity. `scale` is a_j: 1 is the panel's average range use, 0.5 means the juror
    spreads candidates half as much. `residual_sd` is the typical disagreement left after both, in
    points; None below three marks, where it would mean nothing. `severity_sd` is the uncertainty of the
    severity (posterior SD, in points), and `few_marks` says the juror has fewer than three marks: their
    severity and range cannot be told from the quality of the few candidates they saw (« trop peu de
    notes »), so the engine pulls them towards the panel's and the page says so.
    """

    juror: Any
    component: int
    count: int
    severity: float
    scale: float
    residual_sd: float | None
    severity_sd: float | None = None
    few_marks: bool = False


class Outlier(msgspec.Struct, frozen=True, kw_only=True):
    """A mark far from what the juror's own severity and scale predict for this candidate."""

    juror: Any
    candidate: Any
    score: float
    expected: float
    z: float


@dataclass(frozen=True, slots=True)
class JurorModel:
    """Per-juror parameters and fitted marks for one component (first batch row only)."""

    severity: np.ndarray
    scale: np.ndarray
    sigma: np.ndarray
    fitted: np.ndarray
    leverage: np.ndarray
    severity_sd: np.ndarray


def from_fit(data: Linked, fit: Fit) -> JurorModel:
    """Affine methods: the fit already holds everything; the severity's SD is that of the jury's system
    once the candidates are eliminated (what the marks say about b_j), with the severity prior."""
    lev = affine.leverage(data, fit.a[0], fit.weights[0])
    w, ak = fit.weights[0], fit.a[0][data.juror]
    d = affine.sum_by(data.candidate, (w * ak * ak)[None, :], data.n_candidates)[0]
    info = affine.sum_by(data.juror, (w - (w * ak) ** 2 / d[data.candidate])[None, :], data.n_jurors)[0]
    prior = 0.0 if fit.prior is None else fit.prior[0]
    severity_sd = 1.0 / np.sqrt(np.maximum(info, 0.0) + prior + 1e-12)
    return JurorModel(
        severity=fit.b[0],
        scale=fit.a[0],
        sigma=fit.sigma[0],
        fitted=fit.fitted[0],
        leverage=lev,
        severity_sd=severity_sd,
    )


def from_scores(data: Linked, y: np.ndarray, scores: np.ndarray) -> JurorModel:
    """Other methods: regress each juror's marks on the method's scores, with the same N(1, 0.3²) prior
    on the slope as the affine model, so that a juror with two marks still gets a sensible scale."""
    jj, cc = data.juror, data.candidate
    centre = scores.mean()
    f = (scores - centre)[None, :]
    resid0 = y - scores[cc]
    resid0 = resid0 - (affine.sum_by(jj, resid0[None, :], data.n_jurors)[0] / _counts(data))[jj]
    pooled = max(float(np.sum(resid0**2)) / data.dof, 1e-6 * float(y.var()) + 1e-12)
    w = np.full((1, len(y)), 1.0 / pooled)
    a, b = affine.update_scales(data, y[None, :], f, w)
    fitted = (a[:, jj] * f[:, cc] + b[:, jj])[0]
    resid = y - fitted
    rss = affine.sum_by(jj, resid[None, :] ** 2, data.n_jurors)[0] * len(y) / data.dof
    pooled = max(float(rss.sum()) / len(y), 1e-6 * float(y.var()) + 1e-12)
    sigma = np.sqrt(
        (rss + affine.PSEUDO_OBSERVATIONS * pooled) / (_counts(data) + affine.PSEUDO_OBSERVATIONS)
    )
    lev = affine.leverage(data, np.ones(data.n_jurors), np.ones(len(y)))
    return JurorModel(
        severity=b[0] - centre,
        scale=a[0],
        sigma=sigma,
        fitted=fitted,
        leverage=lev,
        severity_sd=sigma / np.sqrt(_counts(data)),
    )


def describe(
    *, data: Linked, y: np.ndarray, model: JurorModel, component: int, jurors: list, candidates: list
) -> tuple[list[JurorDiagnostics], list[Outlier]]:
    """Builds the published diagnostics of one component; `jurors`/`candidates` map local indices to ids."""
    jj, cc = data.juror, data.candidate
    counts = _counts(data).astype(int)
    resid = y - model.fitted
    rss = affine.sum_by(jj, resid[None, :] ** 2, data.n_jurors)[0] * len(y) / data.dof
    diagnostics = [
        JurorDiagnostics(
            juror=jurors[j],
            component=component,
            count=int(counts[j]),
            severity=float(model.severity[j]),
            scale=float(model.scale[j]),
            residual_sd=float(np.sqrt(rss[j] / counts[j])) if counts[j] >= 3 else None,
            severity_sd=float(model.severity_sd[j]),
            few_marks=bool(counts[j] < support.FEW_MARKS),
        )
        for j in range(data.n_jurors)
    ]
    z = resid / (model.sigma[jj] * np.sqrt(1.0 - model.leverage))
    outliers = [
        Outlier(
            juror=jurors[jj[k]],
            candidate=candidates[cc[k]],
            score=float(y[k]),
            expected=float(model.fitted[k]),
            z=float(z[k]),
        )
        for k in np.flatnonzero((np.abs(z) > OUTLIER_Z) & (model.leverage <= MAX_LEVERAGE))
    ]
    return diagnostics, outliers


def _counts(data: Linked) -> np.ndarray:
    return np.bincount(data.juror, minlength=data.n_jurors).astype(float)
