"""The bootstrap's batched affine refit gives the engine's fit (to rounding), and a seed gives the same
standing however and wherever it is computed."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from jury.results import affine, batched_fit
from jury.results import bootstrap as resampling
from jury.results.affine import Linked
from jury.results.calibration import Calibration, calibrate_many
from jury.results.normalise import _estimate, normalise, normalise_many

pytestmark = pytest.mark.unit


def design(rng, *, candidates, jurors, per_candidate, lone_juror=False):
    """Index arrays sorted by (juror, candidate), as the engine passes them, and marks of one section."""
    pairs = {(int(j), c) for c in range(candidates) for j in rng.choice(jurors, per_candidate, replace=False)}
    if lone_juror:  # a juror with a single mark: the severity prior at full strength
        pairs.add((jurors, 0))
        jurors += 1
    pairs = sorted(pairs)
    juror = np.array([j for j, _ in pairs])
    candidate = np.array([c for _, c in pairs])
    severity = rng.normal(0, 6, jurors)
    scale = np.clip(rng.normal(1, 0.25, jurors), 0.4, 1.8)
    quality = rng.normal(0, 12, candidates)
    y = 50 + scale[juror] * quality[candidate] + severity[juror] + rng.normal(0, 6, len(pairs))
    return Linked(juror=juror, candidate=candidate, n_jurors=jurors, n_candidates=candidates), y


@pytest.mark.parametrize(
    ("candidates", "jurors", "per_candidate", "lone_juror"),
    [(18, 5, 4, False), (17, 6, 4, False), (12, 4, 3, True), (40, 10, 4, False), (5, 3, 3, False)],
)
def test_the_batched_refit_gives_the_engines_affine_scores(candidates, jurors, per_candidate, lone_juror):
    rng = np.random.default_rng(candidates * 100 + jurors)
    data, y = design(
        rng, candidates=candidates, jurors=jurors, per_candidate=per_candidate, lone_juror=lone_juror
    )
    replicates = y[None, :] + rng.normal(0, 5, (64, len(y)))

    expected = affine.fit(data, replicates, affine=True).scores
    got = batched_fit.affine_scores(data, replicates)

    assert got.shape == expected.shape == (64, data.n_candidates)
    assert np.abs(got - expected).max() <= 1e-9 * replicates.std()


def test_the_bootstrap_refit_matches_the_engine_loop_and_repeats_exactly():
    rng = np.random.default_rng(7)
    data, y = design(rng, candidates=18, jurors=5, per_candidate=4)
    marks = resampling.replicate_marks(fitted=y, sigma=np.full(len(y), 5.0), replicates=300, seed=11)

    fast = resampling.refit(method="affine", data=data, marks=marks, shrink=True, estimate=_estimate)
    again = resampling.refit(method="affine", data=data, marks=marks, shrink=True, estimate=_estimate)
    engine = np.vstack(
        [_estimate("affine", data, marks[chunk], shrink=True)[0] for chunk in resampling.chunks(300)]
    )

    assert np.array_equal(fast, again)
    assert np.abs(fast - engine).max() <= 1e-9 * marks.std()


def test_an_engine_that_no_longer_agrees_is_used_as_it_is(monkeypatch):
    """If the engine's model changes and the batched refit was not changed with it, the bootstrap uses
    the engine (slower, never different from the standing it comes with)."""
    monkeypatch.setattr(batched_fit, "_AGREES", {})
    rng = np.random.default_rng(8)
    data, y = design(rng, candidates=10, jurors=4, per_candidate=3)
    marks = y[None, :] + rng.normal(0, 5, (20, len(y)))

    def changed_engine(method, data, y, *, shrink=False):
        return _estimate(method, data, y, shrink=shrink)[0] + 1.0, None

    out = resampling.refit(method="affine", data=data, marks=marks, shrink=True, estimate=changed_engine)

    assert batched_fit.agrees(changed_engine) is False
    assert batched_fit.agrees(_estimate) is True
    assert np.array_equal(out, changed_engine("affine", data, marks, shrink=True)[0])


def sections(count):
    rng = np.random.default_rng(2025)
    out = []
    for k in range(count):
        data, y = design(rng, candidates=17 + k % 2, jurors=5 + k % 2, per_candidate=4)
        out.append(
            [
                (1000 * k + int(j), 100000 + 1000 * k + int(c), float(np.clip(v, 0, 100)))
                for j, c, v in zip(data.juror, data.candidate, y, strict=True)
            ]
        )
    return out


def test_a_seed_gives_the_same_bootstrap_alone_in_a_batch_and_twice():
    marks = sections(4)

    alone = [normalise(m, top_k=3, bootstrap=200, seed=9, scale=(0, 100)) for m in marks]
    batched = normalise_many(dict(enumerate(marks)), top_k=3, bootstrap=200, seed=9, scale=(0, 100))
    again = normalise_many(dict(enumerate(marks)), top_k=3, bootstrap=200, seed=9, scale=(0, 100))

    assert [batched[i] for i in range(4)] == alone
    assert batched == again
    assert all(low < high for r in alone for low, high in r.intervals.values())


def test_a_seed_gives_the_same_bytes_in_this_process_and_in_a_pool():
    observations = [[(j, c, v, False) for j, c, v in m] for m in sections(3)]
    calibration = Calibration(method="affine", top_k=3, bootstrap=200, seed=5)

    here = calibrate_many(observations, calibration=calibration)
    with ProcessPoolExecutor(max_workers=1) as pool:
        there = pool.submit(calibrate_many, observations, calibration=calibration).result()

    assert here == there
