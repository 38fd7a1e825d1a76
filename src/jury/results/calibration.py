"""One standing from its marks: the engine's calibration plus the raw means and eliminatory flags.

Pure and picklable, so that it runs in a worker thread or in a process of a pool (`compute` decides
where). The result always round-trips through its JSON form (`StandingResult`), so a fresh, a cached and
a published result of the same marks compare equal.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import msgspec

from jury.results.models import DesignSummary, JurorLine, Line, OutlierLine, StandingResult
from jury.results.normalise import ENGINE_VERSION, NormalisationResult, normalise, normalise_many, ranking

SCALE = (0.0, 100.0)
RESULT_FORMAT = 2  # bump when StandingResult changes shape: old cache entries then simply miss

# (juror, candidate, total or None when nothing was scored, eliminated)
Observation = tuple[int, int, float | None, bool]

encode = msgspec.json.Encoder().encode
decode_result = msgspec.json.Decoder(StandingResult).decode


class Calibration(msgspec.Struct, frozen=True, kw_only=True):
    """Every parameter a standing depends on besides its marks: the key of the cache and of a
    publication's reproducibility."""

    method: str
    top_k: int | None
    bootstrap: int
    seed: int

    def cache_key(self, digest: str) -> str:
        key = [RESULT_FORMAT, ENGINE_VERSION, digest, self.method, self.top_k, self.bootstrap, self.seed]
        return hashlib.sha256(encode(key)).hexdigest()


def calibrate(
    observations: Sequence[Observation], *, calibration: Calibration, fit: NormalisationResult | None = None
) -> StandingResult:
    """One standing from its marks: the engine's result plus the raw means and eliminatory flags.

    `fit`: the engine's result when already computed for these marks (by `calibrate_many`, through
    `normalise_many`).
    """
    if fit is None:
        fit = normalise(_marks(observations), **_engine_options(calibration))
    totals: dict[int, list[float]] = {}
    eliminated: dict[int, int] = {}
    for _, candidate, total, failed in observations:
        eliminated[candidate] = eliminated.get(candidate, 0) + int(failed)
        if total is not None:
            totals.setdefault(candidate, []).append(total)
    raw = {candidate: math.fsum(values) / len(values) for candidate, values in totals.items()}
    # Raw ranks within the same groups as the calibrated ones, so that the rank change means something.
    groups: dict[int, dict[int, float]] = {}
    for candidate, value in raw.items():
        groups.setdefault(0 if fit.global_ranking else fit.component[candidate], {})[candidate] = value
    raw_rank: dict[int, int] = {}
    for group in groups.values():
        raw_rank.update(ranking(group))
    borderline = set(fit.borderline)
    lines = []
    for candidate in sorted(eliminated):
        interval = fit.intervals.get(candidate)
        lines.append(
            Line(
                candidate_id=candidate,
                marks=fit.marks.get(candidate, 0),
                raw=raw.get(candidate),
                raw_rank=raw_rank.get(candidate),
                score=fit.scores.get(candidate),
                rank=fit.ranks.get(candidate),
                component=fit.component.get(candidate),
                low=interval[0] if interval else None,
                high=interval[1] if interval else None,
                p_top_k=fit.p_top_k.get(candidate),
                borderline=candidate in borderline,
                eliminated_by=eliminated[candidate],
                p_podium=fit.p_podium.get(candidate),
            )
        )
    lines.sort(
        key=lambda line: (
            line.rank is None,
            0 if fit.global_ranking else (line.component or 0),
            line.rank or 0,
            line.candidate_id,
        )
    )
    components = fit.design.components
    return StandingResult(
        method=fit.method,
        parameters=fit.parameters,
        seed=fit.seed,
        top_k=calibration.top_k,
        global_ranking=fit.global_ranking,
        assumption=fit.assumption,
        design=DesignSummary(
            connected=fit.design.connected,
            fiedler=fit.design.fiedler,
            components=len(components),
            jurors=sum(len(c.jurors) for c in components),
            candidates=sum(len(c.candidates) for c in components),
        ),
        lines=lines,
        jurors=[
            JurorLine(
                juror_id=d.juror,
                component=d.component,
                count=d.count,
                severity=d.severity,
                scale=d.scale,
                residual_sd=d.residual_sd,
                severity_sd=d.severity_sd,
                few_marks=d.few_marks,
            )
            for d in fit.jurors
        ],
        outliers=[
            OutlierLine(juror_id=o.juror, candidate_id=o.candidate, score=o.score, expected=o.expected, z=o.z)
            for o in fit.outliers
        ],
        method_used=fit.method_used,
        fallback=fit.fallback,
    )


def calibrate_many(batch: Sequence[Sequence[Observation]], *, calibration: Calibration) -> list[bytes]:
    """Several standings at once, encoded: one thread hop or one process task for a whole batch.

    The engine calibrates the batch in one `normalise_many` call (same results as one `normalise` per
    standing, much less per-call overhead for many small sections)."""
    fits = normalise_many(
        {i: _marks(observations) for i, observations in enumerate(batch)}, **_engine_options(calibration)
    )
    return [
        encode(calibrate(observations, calibration=calibration, fit=fits[i]))
        for i, observations in enumerate(batch)
    ]


def _marks(observations: Sequence[Observation]) -> list[tuple]:
    return [(juror, candidate, total) for juror, candidate, total, _ in observations if total is not None]


def _engine_options(calibration: Calibration) -> dict:
    return {
        "method": calibration.method,
        "top_k": calibration.top_k,
        "bootstrap": calibration.bootstrap,
        "seed": calibration.seed,
        "scale": SCALE,
    }
