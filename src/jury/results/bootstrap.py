"""Seeded bootstrap of a standing: intervals and probabilities of qualifying.

Why a *wild residual* bootstrap (each mark redrawn as `fitted + v·r̃`, `v = ±1`, `r̃` the residual
inflated by `1/√(1 − leverage)`), and not the two textbook alternatives:

* resampling each candidate's marks: with four marks there are only 35 distinct resamples, the same
  juror can appear twice and a bridging juror can vanish from a candidate, so the resampled design is
  not the one that was run and its calibration differs for reasons unrelated to noise;
* resampling jurors: with 5–10 jurors a resample regularly drops both bridging jurors (disconnecting
  the panels) or every juror of some candidate.

The wild bootstrap keeps the design exactly as it was run, keeps each juror's own noise level and any
asymmetry of their residuals, and asks the question organisers care about: "if the same jurors had
marked the same candidates again, with the same kind of disagreement, how often would this candidate
qualify?". It does not measure model misspecification (nor does any bootstrap of a fixed design).
"""

from __future__ import annotations

import numpy as np

CHUNK = 256  # replicates refitted at once; bounds memory for large contests


def replicate_marks(
    *, fitted: np.ndarray, residuals: np.ndarray, leverage: np.ndarray, replicates: int, seed: int
) -> np.ndarray:
    """Returns (replicates, m) resampled marks; the same seed always gives the same draws."""
    rng = np.random.default_rng(seed)
    # Capped: where a mark is most of its own fit the residual is unreliable, and blowing it up by
    # 1/√(1 − 0.99) = 10 would invent uncertainty.
    inflated = residuals / np.sqrt(1.0 - np.clip(leverage, 0.0, 0.5))
    signs = rng.integers(0, 2, size=(replicates, len(fitted))) * 2.0 - 1.0
    return fitted[None, :] + signs * inflated[None, :]


def chunks(replicates: int) -> list[slice]:
    return [slice(start, min(start + CHUNK, replicates)) for start in range(0, replicates, CHUNK)]


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
