"""Diploma batches as queue jobs: the page enqueues, a worker (`jury worker`, or `jury serve` itself when
it consumes jobs) issues and renders, and the progress the page shows lives in `diploma_jobs`.

A worker may die in the middle of a batch. Its job is then taken up again by the next worker once its
heartbeat is stale, and the new attempt renders only what is not stored yet: every finished batch of
PDFs is stored and committed at once, under a name that carries the content digest (see `storage`), so
no diploma is rendered into storage twice.
"""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec
import structlog

from jury.access import policy
from jury.access.identity import Identity
from jury.clock import Clock
from jury.contests.service import organised_edition
from jury.db.audit_key import load_audit_key
from jury.db.queries import Database, Queries
from jury.diplomas.service import issue_diplomas, render_edition, sources_of_edition
from jury.jobs.queue import enqueue
from jury.jobs.state import JobStateWriter
from jury.pdf.pool import PdfPool
from jury.settings import Settings

log = structlog.get_logger(__name__)

ENTRYPOINT = "diplomas.generate"


class GenerationRequest(msgspec.Struct, frozen=True, kw_only=True):
    job_id: int
    edition_id: int
    actor_id: int | None
    actor_label: str


async def generate(db: Database, *, identity: Identity, slug: str) -> int:
    """An organiser's « Générer les diplômes »: the edition's batch, queued or joined (see below)."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await request_generation(
        db, edition_id=edition.id, actor_id=identity.person_id, actor_label=policy.actor_label(identity)
    )


async def request_generation(db: Database, *, edition_id: int, actor_id: int | None, actor_label: str) -> int:
    """The edition's pending job, or a new one: two clicks (on two replicas) make one batch."""
    async with db.transaction():
        await db.execute("diploma_lock_jobs", edition_id=edition_id)
        pending = await db.fetchval("diploma_pending_job", edition_id=edition_id)
        if pending is not None:
            return pending
        job_id = await db.fetchval("diploma_insert_job", edition_id=edition_id, total=0)
        request = GenerationRequest(
            job_id=job_id, edition_id=edition_id, actor_id=actor_id, actor_label=actor_label
        )
        queue_job_id = await enqueue(db.conn, entrypoint=ENTRYPOINT, payload=request)
        await db.execute("diploma_job_queued", job_id=job_id, queue_job_id=queue_job_id)
    log.info("diploma batch queued", job_id=job_id, edition_id=edition_id, queue_job_id=queue_job_id)
    return job_id


async def run_generation(
    payload: bytes,
    *,
    pool: asyncpg.Pool,
    queries: Queries,
    settings: Settings,
    renderer: PdfPool,
    clock: Clock,
) -> None:
    """The worker's side. Failures are written on the job for the page; only a dead worker leaves it
    running, and then the queue hands it to another one."""
    request = msgspec.json.decode(payload, type=GenerationRequest)
    job_id = request.job_id

    progress_db = JobStateWriter(pool, queries, clock=clock)
    attempt = await progress_db("diploma_job_start", job_id=job_id)
    log.info("diploma batch started", job_id=job_id, edition_id=request.edition_id, attempt=attempt)
    try:
        async with pool.acquire() as conn:
            db = Database(conn, queries, clock=clock, audit_key=load_audit_key(settings))
            async with conn.transaction():
                await issue_diplomas(
                    db,
                    edition_id=request.edition_id,
                    actor_id=request.actor_id,
                    actor_label=request.actor_label,
                )
            # The bar covers the whole edition: diplomas already up to date (rendered before, or by the
            # attempt of a worker that died) count as done from the start.
            diplomas = len(await sources_of_edition(db, edition_id=request.edition_id))
            up_to_date = 0

            async def set_total(stale: int) -> None:
                nonlocal up_to_date
                up_to_date = diplomas - stale
                await progress_db("diploma_job_total", job_id=job_id, total=diplomas, done=up_to_date)

            await render_edition(
                db,
                edition_id=request.edition_id,
                settings=settings,
                renderer=renderer,
                on_total=set_total,
                on_progress=lambda done, _total: progress_db(
                    "diploma_job_progress", job_id=job_id, done=up_to_date + done
                ),
            )
        await progress_db("diploma_job_finish", job_id=job_id, status="finished", error="")
        log.info("diploma batch finished", job_id=job_id, edition_id=request.edition_id)
    except asyncio.CancelledError:
        await asyncio.shield(
            progress_db("diploma_job_finish", job_id=job_id, status="failed", error="Génération interrompue.")
        )
        raise
    except Exception as exc:
        log.exception("diploma generation failed", job_id=job_id, edition_id=request.edition_id)
        await progress_db(
            "diploma_job_finish",
            job_id=job_id,
            status="failed",
            error=f"Échec de la génération : {exc}"[:500],
        )
