"""Standings computed from a round's marks: calibrated off the event loop and cached.

* **Method and quota.** Each section is calibrated with the round's method (`rounds.method`);
  `rounds.advance_count` is the quota of *each* standing (top k, P(top k), borderline); 0 or null means
  no quota.
* **Reproducibility.** The seed is the round id, so the page is stable and a publication can be
  recomputed exactly from the same marks and parameters.
* **Speed.** Intervals and P(top k) come from a 200-replicate bootstrap, run off the event loop (a
  thread, or a process pool the caller passes). Results are cached in `standing_cache` under a key made
  of the input digest and every parameter: shared by replicas, never stale.
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from jury.access.policy import RoundInEdition
from jury.db.queries import Database
from jury.errors import Conflict
from jury.results.calibration import Calibration, Observation, calibrate_many, decode_result
from jury.results.marks import Section
from jury.results.models import StandingResult
from jury.results.normalise import METHODS

PAGE_BOOTSTRAP = 200


def round_calibration(rnd: RoundInEdition | Mapping[str, Any], *, bootstrap: int) -> Calibration:
    """The calibration a round's standings use now: its method, its quota, its id as the seed.

    `rnd` is the round (`RoundInEdition`) or a row with `id`, `method` and `advance_count`, for callers
    that read the round with their own query."""
    if isinstance(rnd, RoundInEdition):
        round_id, method, advance_count = rnd.id, rnd.method, rnd.advance_count
    else:
        round_id, method, advance_count = rnd["id"], rnd["method"], rnd["advance_count"]
    if method not in METHODS:
        raise Conflict(f"Méthode de calcul inconnue pour ce tour : {method!r}.")
    return Calibration(method=method, top_k=advance_count or None, bootstrap=bootstrap, seed=round_id)


async def run_calibrations(
    batch: Sequence[Sequence[Observation]], *, calibration: Calibration, executor: Executor | None = None
) -> list[bytes]:
    """Calibrates off the event loop: in a worker thread, or spread over `executor` (a process pool
    for a contest of a thousand sections, where one core would take minutes with a bootstrap)."""
    if not batch:
        return []
    if executor is None:
        return await anyio.to_thread.run_sync(
            functools.partial(calibrate_many, batch, calibration=calibration)
        )
    workers = getattr(executor, "_max_workers", 2)
    size = max(1, math.ceil(len(batch) / (workers * 4)))
    loop = asyncio.get_running_loop()
    parts = await asyncio.gather(
        *(
            loop.run_in_executor(
                executor, functools.partial(calibrate_many, batch[i : i + size], calibration=calibration)
            )
            for i in range(0, len(batch), size)
        )
    )
    return [encoded for part in parts for encoded in part]


@dataclass(frozen=True, slots=True)
class Computed:
    section: Section
    result: StandingResult
    encoded: bytes


async def compute(
    db: Database,
    *,
    round_id: int,
    sections: Sequence[Section],
    calibration: Calibration,
    use_cache: bool = True,
    executor: Executor | None = None,
) -> list[Computed]:
    """The standing of every section, from the cache when its key is current, else calibrated now.

    Results always go through their JSON form, so a fresh, a cached and a published result of the same
    marks compare equal.
    """
    keys = [calibration.cache_key(section.digest) for section in sections]
    cached: dict[str, bytes] = {}
    if use_cache and sections:
        rows = await db.fetch("get_standing_cache", round_id=round_id, cache_keys=keys)
        cached = {row["cache_key"]: row["result"].encode() for row in rows}
    missing = [i for i, key in enumerate(keys) if key not in cached]
    fresh = await run_calibrations(
        [sections[i].observations for i in missing], calibration=calibration, executor=executor
    )
    for i, encoded in zip(missing, fresh, strict=True):
        cached[keys[i]] = encoded
    if missing:
        await db.executemany(
            "put_standing_cache",
            [
                {
                    "round_id": round_id,
                    "panel_id": sections[i].panel_key or None,
                    "category_id": sections[i].category_key or None,
                    "cache_key": keys[i],
                    "input_digest": sections[i].digest,
                    "result": cached[keys[i]].decode(),
                }
                for i in missing
            ],
        )
    return [
        Computed(section=section, result=decode_result(cached[key]), encoded=cached[key])
        for section, key in zip(sections, keys, strict=True)
    ]
