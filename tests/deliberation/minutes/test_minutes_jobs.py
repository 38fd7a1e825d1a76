"""Procès-verbaux through the job queue: rendered once per content, served again from PostgreSQL, waited for
a bounded time (then a page that reloads itself), taken up by whichever process consumes jobs."""

from __future__ import annotations

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests.deliberation.awards.test_advancement import build_round
from tests.deliberation.minutes.test_minutes import audit_line, deliberate, pdf_text
from tests.helpers import sign_in

from jury.app import create_app
from jury.audit.service import append_event, chain_head
from jury.db.queries import Database
from jury.deliberation.minutes.jobs import ENTRYPOINT, MinutesUnavailable, run_rendering, wait_for_pdf
from jury.settings import Settings

pytestmark = pytest.mark.pdf


@pytest.fixture
async def deliberated(db: Database):
    b = await build_round(db)
    b.facts = await deliberate(db, b)
    return b


def minutes_url(b) -> str:
    return f"/organisation/rounds/{b.round}/panels/{b.panels['Nord']}/proces-verbal.pdf"


async def jobs(db: Database) -> list[dict]:
    rows = await db.conn.fetch("select id, status, attempts, panel_id from minutes_jobs order by id")
    return [dict(r) for r in rows]


async def test_the_same_deliberation_is_rendered_once_and_served_again(client, db, deliberated) -> None:
    b = deliberated
    await sign_in(client, email="cci@exemple.fr")
    first = await client.get(minutes_url(b))
    again = await client.get(minutes_url(b))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content, "served from the stored PDF, not drawn up again"
    assert [(j["status"], j["attempts"], j["panel_id"]) for j in await jobs(db)] == [
        ("finished", 1, b.panels["Nord"])
    ]


async def test_a_changed_content_makes_a_new_proces_verbal(client, db, deliberated) -> None:
    b = deliberated
    await sign_in(client, email="cci@exemple.fr")
    first = await client.get(minutes_url(b))
    await db.conn.execute("update panels set name = 'Nord-Ouest' where id = $1", b.panels["Nord"])
    second = await client.get(minutes_url(b))
    assert second.status_code == 200
    assert "Nord-Ouest" in pdf_text(second.content) and "Nord-Ouest" not in pdf_text(first.content)
    assert [j["status"] for j in await jobs(db)] == ["finished", "finished"]


async def test_an_unrelated_event_serves_the_copy_with_the_head_it_was_drawn_up_with(
    client, db, deliberated
) -> None:
    """The chain's head is left out of the content digest: an event elsewhere moves it without drawing
    every procès-verbal up again; the stored copy keeps the head of its own drawing up, and a change of
    content draws a new copy with the newer head."""
    b = deliberated
    await sign_in(client, email="cci@exemple.fr")
    first = await client.get(minutes_url(b))
    count, head = await chain_head(db)
    await append_event(db, actor_id=None, actor_label="test", action="test.elsewhere", target="x", payload={})
    assert (await chain_head(db))[0] == count + 1
    again = await client.get(minutes_url(b))
    assert again.content == first.content
    assert audit_line(count, head) in pdf_text(again.content)
    assert len(await jobs(db)) == 1
    await db.conn.execute("update panels set name = 'Nord-Ouest' where id = $1", b.panels["Nord"])
    later_count, later_head = await chain_head(db)
    changed = pdf_text((await client.get(minutes_url(b))).content)
    assert audit_line(later_count, later_head) in changed
    assert later_count == count + 1 and len(await jobs(db)) == 2


async def test_without_a_worker_the_request_answers_a_page_that_reloads_until_one_comes(
    settings: Settings, db, deliberated
) -> None:
    """A replica that does not consume jobs waits JURY_MINUTES_WAIT_SECONDS, then answers 202; once a
    process that consumes jobs is up, the same request gets the PDF of the job already queued."""
    b = deliberated
    replica = msgspec.structs.replace(settings, in_process_jobs=False, minutes_wait_seconds=0.3)
    async with AsyncTestClient(app=create_app(replica)) as client:
        await sign_in(client, email="cci@exemple.fr")
        pending = await client.get(minutes_url(b))
        assert pending.status_code == 202
        assert pending.headers["content-type"].startswith("text/html")
        assert pending.headers["retry-after"] == "5"
        assert "Procès-verbal en préparation" in pending.text
        assert '<meta http-equiv="refresh" content="5">' in pending.text
        assert [j["status"] for j in await jobs(db)] == ["queued"]
        again = await client.get(minutes_url(b))
        assert again.status_code == 202
        assert len(await jobs(db)) == 1, "asking again joins the queued job"

    async with AsyncTestClient(app=create_app(settings)) as client:  # consumes jobs
        await sign_in(client, email="cci@exemple.fr")
        served = await client.get(minutes_url(b))
        assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
        assert "Nadia Présidente" in pdf_text(served.content)
    assert [(j["status"], j["attempts"]) for j in await jobs(db)] == [("finished", 1)]


async def test_a_failed_rendering_is_reported_then_asked_again(client, db, deliberated) -> None:
    b = deliberated
    job_id = await db.conn.fetchval(
        "insert into minutes_jobs (round_id, panel_id, content_digest, status, error) "
        "values ($1, $2, 'x', 'failed', 'police introuvable') returning id",
        b.round,
        b.panels["Nord"],
    )
    with pytest.raises(MinutesUnavailable) as refused:
        await wait_for_pdf(db, job_id=job_id, wait_seconds=1)
    assert refused.value.status_code == 503
    assert refused.value.message == "Le procès-verbal n'a pas pu être établi : police introuvable"

    # The same content failed before: a new request starts a new job instead of repeating the failure.
    await sign_in(client, email="cci@exemple.fr")
    first = await client.get(minutes_url(b))
    assert first.status_code == 200
    digest = await db.conn.fetchval("select content_digest from minutes_jobs where status = 'finished'")
    await db.conn.execute("update minutes_jobs set status = 'failed' where content_digest = $1", digest)
    second = await client.get(minutes_url(b))
    assert second.status_code == 200
    assert [j["status"] for j in await jobs(db)] == ["failed", "failed", "finished"]


class _RefusingRenderer:
    """A PDF pool that must not be used: counts the renderings asked of it."""

    def __init__(self) -> None:
        self.calls = 0

    async def run(self, *args: object) -> bytes:
        self.calls += 1
        raise AssertionError("a deleted job was rendered")


async def test_a_job_deleted_before_its_turn_is_not_rendered(
    settings: Settings, pool, db, deliberated
) -> None:
    """The purge deletes procès-verbaux, queued ones included: the worker then finds no job to start and
    renders nothing (it used to render it and write its state into no row)."""
    b = deliberated
    replica = msgspec.structs.replace(settings, in_process_jobs=False, minutes_wait_seconds=0.1)
    async with AsyncTestClient(app=create_app(replica)) as client:
        await sign_in(client, email="cci@exemple.fr")
        assert (await client.get(minutes_url(b))).status_code == 202
    [job] = await jobs(db)
    payload = await db.conn.fetchval("select payload from pgqueuer where entrypoint = $1", ENTRYPOINT)
    await db.conn.execute("delete from minutes_jobs where id = $1", job["id"])

    renderer = _RefusingRenderer()
    await run_rendering(bytes(payload), pool=pool, queries=db.q, renderer=renderer, clock=db.clock)
    assert renderer.calls == 0
    assert await jobs(db) == []
