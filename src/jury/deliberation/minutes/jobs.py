"""Procès-verbaux as queue jobs: the request builds the context (its permission checks and the lines
this reader may see), a worker renders it, the PDF is kept in `minutes_jobs` under the digest of what it
prints, and the request waits a little for it (a PV is a second or two of work).

The same deliberation asked again is served from the stored PDF; a changed vote or decision changes the
digest and makes a new one. The time the copy was drawn up is left out of the digest on purpose, and so
is the audit chain's head printed with it: every event of the whole application (a sheet in another
contest, a sign-in card) moves the head, so a digest covering it would draw every procès-verbal up again
after any unrelated event. A copy served again is the copy drawn up earlier, with the head and the time
of that drawing up, which are true of it; a change of what the minutes say is itself an event, changes
the digest, and the new copy carries the newer head.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from pathlib import Path

import asyncpg
import msgspec
import structlog

from jury.clock import Clock
from jury.db.queries import Database, Queries
from jury.deliberation.minutes.render import MinutesContext, render_minutes
from jury.errors import JuryError
from jury.jobs.queue import enqueue
from jury.jobs.state import JobStateWriter
from jury.pdf.pool import PdfPool
from jury.templates_digest import templates_digest

log = structlog.get_logger(__name__)

ENTRYPOINT = "minutes.render"


class MinutesUnavailable(JuryError):
    """The worker could not render this procès-verbal; asking again starts a new attempt."""

    status_code = 503


class RenderRequest(msgspec.Struct, frozen=True, kw_only=True):
    job_id: int
    context: MinutesContext


def content_digest(context: MinutesContext, *, templates_dir: Path) -> str:
    digest = hashlib.sha256(msgspec.json.encode(msgspec.structs.replace(context, generated="", audit=None)))
    digest.update(templates_digest(Path(templates_dir) / "minutes").encode())
    return digest.hexdigest()


async def request_pdf(
    pool: asyncpg.Pool,
    queries: Queries,
    *,
    round_id: int,
    panel_id: int,
    context: MinutesContext,
    templates_dir: Path,
    wait_seconds: float,
    clock: Clock,
) -> tuple[int, bytes | None]:
    """(job id, the PDF) — the PDF is None when it is not ready within `wait_seconds`.

    On a connection of its own, not the request's: the job must be committed before a worker can see it.
    """
    digest = content_digest(context, templates_dir=templates_dir)
    async with pool.acquire() as conn:
        db = Database(conn, queries, clock=clock)
        job = await db.fetchrow("minutes_job_for_content", panel_id=panel_id, content_digest=digest)
        if job is not None:
            job_id = job["id"]
        else:
            async with db.transaction():
                job_id = await db.fetchval(
                    "minutes_insert_job", round_id=round_id, panel_id=panel_id, content_digest=digest
                )
                request = RenderRequest(job_id=job_id, context=context)
                await enqueue(conn, entrypoint=ENTRYPOINT, payload=request)
            log.info("minutes queued", job_id=job_id, round_id=round_id, panel_id=panel_id)
        return job_id, await wait_for_pdf(db, job_id=job_id, wait_seconds=wait_seconds)


async def wait_for_pdf(db: Database, *, job_id: int, wait_seconds: float) -> bytes | None:
    deadline = time.monotonic() + wait_seconds
    pause = 0.05
    while True:
        state = await db.fetchrow("minutes_job_state", job_id=job_id)
        if state is None:
            raise MinutesUnavailable("Ce procès-verbal n'existe plus ; demandez-le à nouveau.")
        if state["status"] == "finished":
            return state["pdf"]
        if state["status"] == "failed":
            raise MinutesUnavailable(f"Le procès-verbal n'a pas pu être établi : {state['error']}")
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 0.5)


async def run_rendering(
    payload: bytes, *, pool: asyncpg.Pool, queries: Queries, renderer: PdfPool, clock: Clock
) -> None:
    """The worker's side; a failure is written on the job for the page that waits on it."""
    request = msgspec.json.decode(payload, type=RenderRequest)

    write = JobStateWriter(pool, queries, clock=clock)
    if await write("minutes_job_start", job_id=request.job_id) is None:
        # The job was deleted after it was queued (the retention purge deletes procès-verbaux): nobody
        # waits for it, and a PDF drawn from the queued context would print what the purge erased.
        log.info("minutes job gone", job_id=request.job_id)
        return
    try:
        pdf = await render_minutes(renderer, request.context)
    except asyncio.CancelledError:
        await asyncio.shield(
            write("minutes_job_finish", job_id=request.job_id, status="failed", pdf=None, error="interrompu")
        )
        raise
    except Exception as exc:
        log.exception("minutes rendering failed", job_id=request.job_id)
        await write(
            "minutes_job_finish", job_id=request.job_id, status="failed", pdf=None, error=str(exc)[:500]
        )
        return
    if await write("minutes_job_finish", job_id=request.job_id, status="finished", pdf=pdf, error="") is None:
        log.info("minutes job gone", job_id=request.job_id)  # deleted while it rendered: nothing kept
        return
    log.info("minutes rendered", job_id=request.job_id, bytes=len(pdf))
