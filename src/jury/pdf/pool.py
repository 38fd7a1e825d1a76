"""One process pool that renders every PDF of the service (diplomas, procès-verbaux) off the event loop.

WeasyPrint is CPU-bound, holds the GIL, is not known to be thread-safe and keeps memory it does not give
back, so it runs in *spawned* processes (no GLib/Pango state forked from the web process), recycled after
`max_tasks_per_child` tasks. One pool per process, sized by `settings.render_workers`, instead of one per
document: the cores a deployment gives to rendering are shared by whatever is being printed, and a
process that prints both documents pays the start-up of one set of workers. The pool starts on first use
(most requests never print anything) and is closed with the app or the worker.

Long jobs go through `run_batches`: a job is cut into batches fed to the pool through a small window, so a
single download requested meanwhile waits behind a few batches, not behind the whole job.

This module does not import WeasyPrint, nor any document: the documents hand it picklable functions that
import their renderer inside the render process (see `jury.pdf.process`).
"""

from __future__ import annotations

import asyncio
import inspect
import math
import multiprocessing
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from jury.pdf import process
from jury.settings import Settings

ProgressCallback = Callable[[int, int], Awaitable[None] | None]
"""on_progress(done, total), called on the event loop after each finished batch."""

BatchCallback = Callable[[int, list], Awaitable[None]]
"""on_batch(start, results): the results of items[start : start + len(results)], as soon as they exist."""

T = TypeVar("T")
Item = TypeVar("Item")
Result = TypeVar("Result")

DEFAULT_BATCH_SIZE = 16
DEFAULT_MAX_TASKS_PER_CHILD = 100

DOCUMENT_TEMPLATES = ("diplomas/base.html", "minutes/pv.html")
"""The entry template of each document, checked at construction: a wrong templates folder fails at
start-up in this process, not later in a render process with a pickled traceback."""


class PdfPool:
    """Spawned render processes, started on first use; use `run` for one task, `run_batches` for a job."""

    def __init__(
        self,
        templates_dir: Path,
        *,
        max_workers: int,
        max_tasks_per_child: int | None = DEFAULT_MAX_TASKS_PER_CHILD,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.templates_dir = Path(templates_dir).resolve()
        missing = [name for name in DOCUMENT_TEMPLATES if not (self.templates_dir / name).is_file()]
        if missing:
            raise FileNotFoundError(f"no {', '.join(missing)} in {self.templates_dir}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.max_workers = max(1, max_workers)
        self.max_tasks_per_child = max_tasks_per_child
        self.batch_size = batch_size
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    @classmethod
    def for_settings(cls, settings: Settings) -> PdfPool:
        """The pool of a web or worker process: the deployment's templates and `render_workers`."""
        return cls(settings.templates_dir, max_workers=settings.render_workers)

    # -- life cycle

    @property
    def executor(self) -> ProcessPoolExecutor:
        """The process pool, created on first use (nothing is spawned before someone prints)."""
        if self._closed:
            raise RuntimeError("PdfPool is closed")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.max_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=process.init_process,
                initargs=(str(self.templates_dir),),
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._executor

    async def warm_up(self) -> list[process.ProcessStats]:
        """Spawn the processes now (one trivial task per slot), e.g. before a benchmark; returns what each
        reports."""
        return list(await asyncio.gather(*(self.run(process.describe) for _ in range(self.max_workers))))

    async def close(self) -> None:
        """Stop the processes; queued tasks are cancelled, running ones finish. A closed pool refuses work."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- rendering

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """`fn(*args)` in a render process; `fn` and its arguments must pickle (module-level function)."""
        executor = self.executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            # A render process died (killed, out of memory): this call fails, the next ones get a new pool.
            if self._executor is executor:
                self._executor = None
                executor.shutdown(wait=False, cancel_futures=True)
            raise

    async def run_batches(
        self,
        fn: Callable[[list[Item]], list[Result]],
        items: Sequence[Item],
        *,
        batch_size: int | None = None,
        on_batch: BatchCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> list[Result]:
        """`fn` over `items` cut in batches (one result per item, in the order of `items`).
        `on_batch(start, results)` receives each batch as soon as it is done (before `on_progress`), so a
        caller can store it at once."""
        items = list(items)
        total = len(items)
        if total == 0:
            return []
        size = self.effective_batch_size(total, batch_size)
        batches = [items[start : start + size] for start in range(0, total, size)]
        results: list[list[Result] | None] = [None] * len(batches)
        # Batches in flight: enough to keep every process busy, few enough to let other requests in.
        window = self.max_workers + 1

        pending: dict[asyncio.Future, int] = {}
        next_batch = 0
        done = 0
        try:
            while next_batch < len(batches) or pending:
                while next_batch < len(batches) and len(pending) < window:
                    task = asyncio.ensure_future(self.run(fn, batches[next_batch]))
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
        return [result for batch in results if batch is not None for result in batch]

    def effective_batch_size(self, total: int, batch_size: int | None = None) -> int:
        """Never fewer batches than processes: ten diplomas on two cores are two batches of five,
        not one batch of ten on one core."""
        wanted = batch_size or self.batch_size
        if wanted < 1:
            raise ValueError("batch_size must be at least 1")
        return max(1, min(wanted, math.ceil(total / self.max_workers)))
