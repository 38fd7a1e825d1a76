"""Seeded parametric bootstrap of a standing: intervals and probabilities of qualifying.

Each replicate redraws every mark as `fitted + σ_j·z` (z standard normal): the expected mark under the
model of the method actually used, plus the noise that juror shows (σ_j pooled towards the panel's, see
`normalise._noise_model`), then refits the whole standing. Why parametric rather than the textbook
alternatives:

* resampling each candidate's marks: with two to four marks there are a handful of distinct resamples,
  the same juror can appear twice and a bridging juror can vanish, so the resampled design is not the
  one that was run;
* resampling jurors: with 3–10 jurors a resample regularly drops both bridging jurors or every juror of
  some candidate;
* the wild residual bootstrap (each mark `fitted ± residual`): where the model nearly reproduces every
  mark (three candidates marked twice), the residuals are zero and every interval has width 0 even when
  the jurors disagree. Drawing from σ_j, estimated on the model's residual degrees of freedom, gives
  intervals a width wherever marks disagree.

Refitting each replicate re-estimates the jurors' severities, so the luck of which jurors judged whom is
part of the spread. It does not measure model misspecification (nor does any bootstrap of a fixed design).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jury.results import batched_fit
from jury.results.affine import Linked

Estimate = Callable[..., tuple[np.ndarray, object]]
"""The engine's fit: `(method, data, marks (B, m), shrink=...) -> (scores (B, n_candidates), fit)`."""

CHUNK = 256  # replicates refitted at once; bounds memory for large contests


def replicate_marks(*, fitted: np.ndarray, sigma: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """Returns (replicates, m) resampled marks; the same seed always gives the same draws."""
    rng = np.random.default_rng(seed)
    return fitted[None, :] + sigma[None, :] * rng.standard_normal((replicates, len(fitted)))


def chunks(replicates: int) -> list[slice]:
    return [slice(start, min(start + CHUNK, replicates)) for start in range(0, replicates, CHUNK)]


def refit(*, method: str, data: Linked, marks: np.ndarray, shrink: bool, estimate: Estimate) -> np.ndarray:
    """Scores (replicates, n_candidates) of every replicate of one component refitted with `method`.

    `estimate` is the engine's own fit (`normalise._estimate`). The affine method, whose refits are
    nearly all of a bootstrap's time, goes through `batched_fit.affine_scores` instead: the same fit to
    rounding, on the jury's vectors rather than on every mark, several times faster. It is used only
    once this process has checked that it agrees with `estimate` (`batched_fit.agrees`), so an engine
    changed without it falls back on the engine, slower but never different. Replicates are refitted
    CHUNK at a time either way (each chunk iterates until its slowest replicate has converged)."""
    out = np.empty((marks.shape[0], data.n_candidates))
    fast = method == "affine" and batched_fit.agrees(estimate)
    for chunk in chunks(marks.shape[0]):
        if fast:
            out[chunk] = batched_fit.affine_scores(data, marks[chunk])
        else:
            out[chunk] = estimate(method, data, marks[chunk], shrink=shrink)[0]
    return out


def intervals(samples: np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per column of a (replicates, n) array."""
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(samples, [tail, 100.0 - tail], axis=0)
    return low, high


def probability_top_k(samples: np.ndarray, *, k: int) -> np.ndarray:
    """Share of replicates in which each column ranks in the first k.

    Candidates tied at the cut share the remaining places equally: breaking the tie by id would give
    one of two identical candidates probability 1 and the other 0.
    """
    n = samples.shape[1]
    if k >= n:
        return np.ones(n)
    cut = -np.partition(-samples, k - 1, axis=1)[:, k - 1 : k]
    tolerance = 1e-9 * (np.abs(cut) + 1.0)
    above = samples > cut + tolerance
    at = np.abs(samples - cut) <= tolerance
    share = (k - above.sum(axis=1, keepdims=True)) / at.sum(axis=1, keepdims=True)
    return (above + at * share).mean(axis=0)
