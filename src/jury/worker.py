"""The one place that wires a job consumer: PgQueuer's `QueueManager` on a dedicated connection, with
the handlers of diploma batches and procès-verbaux.

`jury worker` runs it alone; `jury serve` runs one inside the app unless `JURY_IN_PROCESS_JOBS=false`
(a single machine then needs no second process; a scaled-out deployment runs workers beside stateless
replicas). A worker that dies holds its job only until its heartbeat is stale
(`JURY_JOB_HEARTBEAT_SECONDS`); the next dequeue of any worker takes it up again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import structlog
from litestar import Litestar
from pgqueuer import Job, QueueManager
from pgqueuer import Queries as QueueQueries

from jury.audit.export import export_checkpoint
from jury.clock import Clock, system_clock
from jury.db.audit_key import load_audit_key
from jury.db.pool import create_pool
from jury.db.queries import Database, Queries
from jury.deliberation.minutes import jobs as minutes_jobs
from jury.diplomas import jobs as diploma_jobs
from jury.outbox import service as outbox
from jury.pdf.pool import PdfPool
from jury.settings import Settings

log = structlog.get_logger(__name__)

JOBS_AT_ONCE = 2
"""Jobs one consumer runs together: each already keeps every render process busy."""


@dataclass(frozen=True, kw_only=True)
class JobResources:
    settings: Settings
    pool: asyncpg.Pool
    queries: Queries
    pdf: PdfPool
    """The process's one PDF pool: diploma batches and procès-verbaux share its render processes."""
    clock: Clock


def build_queue_manager(connection: asyncpg.Connection, resources: JobResources) -> QueueManager:
    manager = QueueManager(QueueQueries.from_asyncpg_connection(connection))

    @manager.entrypoint(diploma_jobs.ENTRYPOINT)
    async def generate_diplomas(job: Job) -> None:
        await diploma_jobs.run_generation(
            job.payload or b"",
            pool=resources.pool,
            queries=resources.queries,
            settings=resources.settings,
            renderer=resources.pdf,
            clock=resources.clock,
        )

    @manager.entrypoint(minutes_jobs.ENTRYPOINT)
    async def render_minutes(job: Job) -> None:
        await minutes_jobs.run_rendering(
            job.payload or b"",
            pool=resources.pool,
            queries=resources.queries,
            renderer=resources.pdf,
            clock=resources.clock,
        )

    @manager.entrypoint(outbox.ENTRYPOINT)
    async def deliver_mail(job: Job) -> None:
        await outbox.deliver(
            job.payload or b"",
            pool=resources.pool,
            queries=resources.queries,
            settings=resources.settings,
            clock=resources.clock,
        )

    return manager


AUDIT_CHECKPOINT_EVERY = timedelta(hours=1)
"""How often a consumer writes an audit checkpoint to DATA_DIR/audit-checkpoints (when the chain moved):
the first one an interval after it starts, so that short-lived processes (tests, one-off commands) never
pay for a whole-chain verification."""


async def export_checkpoints(resources: JobResources, *, every: timedelta) -> None:
    """Every `every`, a signed checkpoint of the verified chain (see `jury.audit.export.export_checkpoint`);
    without an audit key there is nothing to sign with, and a failure is logged, not fatal to the jobs."""
    while True:
        await asyncio.sleep(every.total_seconds())
        key = load_audit_key(resources.settings, create=False)
        if key is None:
            continue
        try:
            async with resources.pool.acquire() as conn:
                db = Database(conn, resources.queries, clock=resources.clock, audit_key=key)
                path = await export_checkpoint(db, data_dir=resources.settings.data_dir)
        except Exception as exc:
            log.error("audit checkpoint failed", error=repr(exc))
            continue
        if path is not None:
            log.info("audit checkpoint written", path=str(path))


IN_PROCESS_GRACE_SECONDS = 5.0
"""How long `jury serve` lets a job in progress run on after Ctrl-C; what a batch stored is kept, and the
job is taken up again by the next consumer once its heartbeat is stale."""


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("job consumer failed", error=repr(task.exception()))


@asynccontextmanager
async def consuming(
    resources: JobResources,
    *,
    grace_seconds: float | None = None,
    checkpoint_every: timedelta = AUDIT_CHECKPOINT_EVERY,
) -> AsyncIterator[asyncio.Task[None]]:
    """Consume jobs while the block runs, and write audit checkpoints on a schedule; yields the consumer's
    task (done only if it failed).

    On exit, jobs in progress finish first (`grace_seconds=None`, as a stopping container wants: its
    orchestrator bounds the wait), or are cancelled after `grace_seconds`."""
    heartbeat = timedelta(seconds=resources.settings.job_heartbeat_seconds)
    connection = await asyncpg.connect(resources.settings.database_url)
    manager = build_queue_manager(connection, resources)
    task = asyncio.create_task(
        manager.run(
            # A stale job of a dead worker is found by polling; notifications bring new ones at once.
            dequeue_timeout=heartbeat,
            batch_size=1,
            max_concurrent_tasks=JOBS_AT_ONCE,
            heartbeat_timeout=heartbeat,
            log_aggregation_interval=timedelta(0),
        ),
        name="jury-job-consumer",
    )
    task.add_done_callback(_log_failure)  # said when it happens, not only at shutdown
    checkpoints = asyncio.create_task(
        export_checkpoints(resources, every=checkpoint_every), name="jury-audit-checkpoints"
    )
    log.info("job consumer started", heartbeat_seconds=heartbeat.total_seconds())
    try:
        yield task
    finally:
        checkpoints.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await checkpoints
        manager.shutdown.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=grace_seconds)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            log.warning("job consumer cancelled with jobs in progress", grace_seconds=grace_seconds)
        except Exception:
            pass  # already logged by _log_failure
        finally:
            await connection.close()
            log.info("job consumer stopped")


@asynccontextmanager
async def in_process_consumer(app: Litestar) -> AsyncGenerator[None, None]:
    """`jury serve`'s own consumer, sharing the app's database and PDF pools (after their lifespans)."""
    settings: Settings = app.state.settings
    if not settings.in_process_jobs:
        yield
        return
    resources = JobResources(
        settings=settings,
        pool=app.state.pool,
        queries=app.state.queries,
        pdf=app.state.pdf,
        clock=app.state.clock,
    )
    async with consuming(resources, grace_seconds=IN_PROCESS_GRACE_SECONDS):
        yield


async def run_worker(settings: Settings, *, stop: asyncio.Event) -> None:
    """`jury worker`: consume until `stop` is set; a consumer that fails (database gone) ends the process
    with an error, so that the orchestrator restarts it."""
    pool = await create_pool(settings.database_url or "", min_size=1, max_size=settings.pool_max_size)
    pdf = PdfPool.for_settings(settings)
    resources = JobResources(
        settings=settings,
        pool=pool,
        queries=Queries(settings.queries_dir),
        pdf=pdf,
        clock=system_clock,
    )
    try:
        async with consuming(resources) as consumer:
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({consumer, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if consumer.done():
                consumer.result()  # re-raise why it stopped
                raise RuntimeError("the job consumer stopped on its own")
    finally:
        with contextlib.suppress(Exception):
            await pdf.close()
        await pool.close()
