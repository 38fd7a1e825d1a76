"""Async front of a process pool that renders diplomas.

WeasyPrint is CPU-bound, holds the GIL, is not known to be thread-safe and keeps memory it does not
give back, so it runs in *spawned* worker processes (no GLib/Pango state forked from the web
process), each set up once by `render.init_worker` and recycled after `max_tasks_per_child` batches.
The event loop only ships contexts out and PDF bytes back.

A large job is cut into batches (one multi-page document each; measured 1.3–1.5× cheaper per
diploma than one document each) and fed to the pool through a small window, so a single download
requested meanwhile waits behind a few batches, not behind the whole job.

This module does not import WeasyPrint: the web process never loads Pango/GLib, only the workers do
(through the small trampolines at the bottom, which import `render` inside the worker).
"""

from __future__ import annotations

import asyncio
import inspect
import math
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

from jury.diplomas.models import DiplomaContext

if TYPE_CHECKING:
    from jury.diplomas.render import RenderStats

ProgressCallback = Callable[[int, int], Awaitable[None] | None]
"""on_progress(done, total), called on the event loop after each finished batch."""

BatchCallback = Callable[[int, list[bytes]], Awaitable[None]]
"""on_batch(start, pdfs): the PDFs of contexts[start : start + len(pdfs)], as soon as they are rendered."""

T = TypeVar("T")

DEFAULT_BATCH_SIZE = 16
DEFAULT_MAX_TASKS_PER_CHILD = 100


class DiplomaRenderer:
    """Renders `DiplomaContext`s to PDF bytes in worker processes; use as an async context manager."""

    def __init__(
        self,
        templates_dir: Path,
        *,
        max_workers: int | None = None,
        max_tasks_per_child: int | None = DEFAULT_MAX_TASKS_PER_CHILD,
        batch_size: int = DEFAULT_BATCH_SIZE,
        split: str = "copy",
    ) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        if not (self.templates_dir / "base.html").is_file():
            # Fail in the web process at start-up, not later in a worker with a pickled traceback.
            raise FileNotFoundError(f"no diploma templates in {self.templates_dir}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.max_workers = max_workers or os.cpu_count() or 1
        self.max_tasks_per_child = max_tasks_per_child
        self.batch_size = batch_size
        self.split = split
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    # -- life cycle

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.max_workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(str(self.templates_dir), self.split),
            max_tasks_per_child=self.max_tasks_per_child,
        )

    @property
    def executor(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("DiplomaRenderer is closed")
        if self._executor is None:
            self._executor = self._new_executor()
        return self._executor

    async def start(self, *, warm_up: bool = True) -> None:
        """Create the pool; warming up spawns the workers and loads fonts now, so the first
        diploma of the day does not pay a few seconds of start-up."""
        _ = self.executor
        if warm_up:
            await self.warm_up()

    async def warm_up(self) -> list[RenderStats]:
        """Run one trivial task per worker slot; returns what each worker reports (pid, versions)."""
        return list(await asyncio.gather(*(self._run(_describe) for _ in range(self.max_workers))))

    async def close(self) -> None:
        """Stop the workers; queued batches are cancelled, running ones finish."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- rendering

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        executor = self.executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this call fails, the next ones get a new pool.
            if self._executor is executor:
                self._executor = None
                executor.shutdown(wait=False, cancel_futures=True)
            raise

    async def render(self, ctx: DiplomaContext) -> bytes:
        """One diploma, e.g. for a laureate's download link."""
        return await self._run(_render_one, ctx)

    async def render_many(
        self,
        contexts: Sequence[DiplomaContext],
        *,
        batch_size: int | None = None,
        on_batch: BatchCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> list[bytes]:
        """Many diplomas, one PDF each, in the order of `contexts`. `on_batch(start, pdfs)` receives each
        batch as soon as it is rendered (before `on_progress`), so a caller can store it at once."""
        contexts = list(contexts)
        total = len(contexts)
        if total == 0:
            return []
        size = self.effective_batch_size(total, batch_size)
        batches = [contexts[start : start + size] for start in range(0, total, size)]
        results: list[list[bytes] | None] = [None] * len(batches)
        # Batches in flight: enough to keep every worker busy, few enough to let other requests in.
        window = self.max_workers + 1

        pending: dict[asyncio.Future, int] = {}
        next_batch = 0
        done = 0
        try:
            while next_batch < len(batches) or pending:
                while next_batch < len(batches) and len(pending) < window:
                    task = asyncio.ensure_future(self._run(_render_batch, batches[next_batch]))
                    pending[task] = next_batch
                    next_batch += 1
                finished, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    index = pending.pop(task)
                    results[index] = task.result()
                    if on_batch is not None:
                        await on_batch(index * size, results[index])
                    done += len(batches[index])
                    if on_progress is not None:
                        outcome = on_progress(done, total)
                        if inspect.isawaitable(outcome):
                            await outcome
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        return [pdf for batch in results if batch is not None for pdf in batch]

    def effective_batch_size(self, total: int, batch_size: int | None = None) -> int:
        """Never fewer batches than workers: ten diplomas on two cores are two batches of five,
        not one batch of ten on one core."""
        wanted = batch_size or self.batch_size
        if wanted < 1:
            raise ValueError("batch_size must be at least 1")
        return max(1, min(wanted, math.ceil(total / self.max_workers)))


# ---------------------------------------------------------------- run in the workers


def _init_worker(templates_dir: str, split: str) -> None:
    from jury.diplomas import render

    render.init_worker(templates_dir, split)


def _render_one(ctx: DiplomaContext) -> bytes:
    from jury.diplomas import render

    return render.render_one(ctx)


def _render_batch(contexts: list[DiplomaContext]) -> list[bytes]:
    from jury.diplomas import render

    return render.render_batch(contexts)


def _describe() -> RenderStats:
    from jury.diplomas import render

    return render.describe()
