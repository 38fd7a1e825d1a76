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
from jury.results.marks import Section, read_sections, round_panel_keys
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
    batch: Sequence[Sequence[Observation]],
    *,
    calibration: Calibration,
    executor: Executor | None = None,
    tasks: int | None = None,
) -> list[bytes]:
    """Calibrates off the event loop: in a worker thread, or spread over `executor` (a process pool
    for a contest of a thousand sections, where one core would take minutes with a bootstrap) in
    `tasks` tasks (default: four per worker). Fewer, larger tasks keep the engine's batching of
    sections of the same shape (`normalise_many`), which is most of its speed without a bootstrap."""
    if not batch:
        return []
    if executor is None:
        return await anyio.to_thread.run_sync(
            functools.partial(calibrate_many, batch, calibration=calibration)
        )
    workers = getattr(executor, "_max_workers", 2)
    size = max(1, math.ceil(len(batch) / (tasks or workers * 4)))
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
    part = await _start(
        db,
        round_id=round_id,
        sections=sections,
        calibration=calibration,
        use_cache=use_cache,
        executor=executor,
    )
    return await _finish(db, round_id=round_id, parts=[part])


async def read_and_compute(
    db: Database, *, round_id: int, calibration: Calibration, executor: Executor | None = None
) -> list[Computed]:
    """Every section of the round, as `compute` of `read_sections`, but read a group of panels at a time
    and each group calibrated (off the event loop) while the next is read: PostgreSQL aggregating the
    marks and Python calibrating them then work at the same time, on different cores (a publication of
    a contest of a thousand sections). Same sections in the same order, same results: a section's
    standing never depends on what was calibrated with it.

    Each section is read by one statement, so it is consistent on its own; across the reads, the
    caller holds the round's row lock (`publish` does), which a move of candidates between panels also
    takes (`rounds.routing`), so no candidate can be read in two sections or in none."""
    keys = await round_panel_keys(db, round_id=round_id)
    # Without a process pool the parts are calibrated one after the other in a worker thread: threads
    # calibrating at once would only contend for the interpreter with each other and with the reads.
    one_at_a_time = asyncio.Lock() if executor is None else None
    count = max(1, min(READ_PARTS, len(keys) // PANELS_PER_PART))
    size = max(1, math.ceil(len(keys) / count))
    groups = [keys[start : start + size] for start in range(0, len(keys), size)] if count > 1 else [None]
    parts: list[_Part] = []
    try:
        for group in groups:
            sections = await read_sections(db, round_id=round_id, panel_keys=group)
            parts.append(
                await _start(
                    db,
                    round_id=round_id,
                    sections=sections,
                    calibration=calibration,
                    use_cache=True,
                    executor=executor,
                    lock=one_at_a_time,
                    tasks=PART_TASKS,
                )
            )
    except BaseException:
        for part in parts:
            part.pending.cancel()
        await asyncio.gather(*(part.pending for part in parts), return_exceptions=True)
        raise
    return await _finish(db, round_id=round_id, parts=parts)


READ_PARTS = 8  # a large round's marks are read in up to this many groups of panels
PANELS_PER_PART = 50  # and only when each group has at least this many panels (else one query)
PART_TASKS = 1  # one pool task per group: the 8 groups already spread the work over the workers


@dataclass(slots=True)
class _Part:
    """Sections read, their cache keys and cached results, and the calibration of the others under way."""

    sections: Sequence[Section]
    keys: list[str]
    cached: dict[str, bytes]
    missing: list[int]
    pending: asyncio.Future


async def _start(
    db: Database,
    *,
    round_id: int,
    sections: Sequence[Section],
    calibration: Calibration,
    use_cache: bool,
    executor: Executor | None,
    lock: asyncio.Lock | None = None,
    tasks: int | None = None,
) -> _Part:
    """Looks the sections up in the cache and starts calibrating the others (without waiting for them)."""
    keys = [calibration.cache_key(section.digest) for section in sections]
    cached: dict[str, bytes] = {}
    if use_cache and sections:
        rows = await db.fetch("get_standing_cache", round_id=round_id, cache_keys=keys)
        cached = {row["cache_key"]: row["result"].encode() for row in rows}
    missing = [i for i, key in enumerate(keys) if key not in cached]
    batch = [sections[i].observations for i in missing]
    pending = asyncio.ensure_future(
        _calibrate(batch, calibration=calibration, executor=executor, lock=lock, tasks=tasks)
    )
    return _Part(sections=sections, keys=keys, cached=cached, missing=missing, pending=pending)


async def _calibrate(
    batch: list[Sequence[Observation]],
    *,
    calibration: Calibration,
    executor: Executor | None,
    lock: asyncio.Lock | None,
    tasks: int | None,
) -> list[bytes]:
    if lock is None:
        return await run_calibrations(batch, calibration=calibration, executor=executor, tasks=tasks)
    async with lock:
        return await run_calibrations(batch, calibration=calibration, executor=executor)


async def _finish(db: Database, *, round_id: int, parts: Sequence[_Part]) -> list[Computed]:
    """Waits for the calibrations, caches what was calibrated (one statement), returns every standing."""
    fresh = await asyncio.gather(*(part.pending for part in parts))
    stored = []
    for part, encoded in zip(parts, fresh, strict=True):
        for i, result in zip(part.missing, encoded, strict=True):
            part.cached[part.keys[i]] = result
            stored.append((part.sections[i], part.keys[i], result))
    if stored:
        await db.execute(
            "put_standing_caches",
            round_id=round_id,
            panel_ids=[section.panel_key or None for section, _, _ in stored],
            category_ids=[section.category_key or None for section, _, _ in stored],
            cache_keys=[key for _, key, _ in stored],
            input_digests=[section.digest for section, _, _ in stored],
            results=[result.decode() for _, _, result in stored],
        )
    return [
        Computed(section=section, result=decode_result(part.cached[key]), encoded=part.cached[key])
        for part in parts
        for section, key in zip(part.sections, part.keys, strict=True)
    ]
