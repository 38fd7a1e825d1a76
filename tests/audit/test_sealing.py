"""Events of web requests are recorded without the chain's lock and sealed into it right after the commit
(issue 18): the chain still holds every committed event, in order, keyed, and nothing rolled back."""

from __future__ import annotations

import asyncio

import asyncpg
from tests.helpers import TEST_AUDIT_KEY

from jury.audit.service import append_event, chain_head, seal_after_commit, seal_pending, verify
from jury.db.queries import Database, Queries

KEY = TEST_AUDIT_KEY.encode()


def _web_db(conn: asyncpg.Connection, settings, clock) -> Database:
    """A Database as the web layer builds it for a request."""
    return Database(conn, Queries(settings.queries_dir), clock=clock, audit_key=KEY, after_commit=[])


async def _request(pool: asyncpg.Pool, settings, clock, *, n: int, fail: bool = False) -> None:
    """What `provide_db` does around a handler that appends one event."""
    async with pool.acquire() as conn:
        db = _web_db(conn, settings, clock)
        try:
            async with conn.transaction():
                hashed = await append_event(
                    db,
                    actor_id=None,
                    actor_label="jure:1",
                    action="sheet.saved",
                    target=f"sheet:{n}",
                    payload={"n": n},
                )
                assert hashed is None  # sealed after the commit, not here
                if fail:
                    raise RuntimeError("the handler failed")
        except RuntimeError:
            return
        for work in db.after_commit or ():
            await work(db)


async def test_a_request_event_is_pending_until_its_commit_then_sealed(pool, settings, clock, db):
    async with pool.acquire() as conn:
        web = _web_db(conn, settings, clock)
        async with conn.transaction():
            await append_event(
                web,
                actor_id=None,
                actor_label="jure:1",
                action="sheet.saved",
                target="sheet:7",
                payload={"v": 1},
            )
            assert await conn.fetchval("select count(*) from audit_events") == 0
            assert await conn.fetchval("select count(*) from audit_pending") == 1
        assert web.after_commit == [seal_after_commit]
        await seal_after_commit(web)
    rows = await db.conn.fetch("select action, target from audit_events order by id")
    assert [tuple(r) for r in rows] == [("sheet.saved", "sheet:7")]
    assert await db.conn.fetchval("select count(*) from audit_pending") == 0
    report = await verify(db)
    assert (report.ok, report.checked, report.unauthenticated) == (True, 1, 0)


async def test_concurrent_requests_are_all_sealed_in_one_valid_chain(pool, settings, clock, db):
    await asyncio.gather(*(_request(pool, settings, clock, n=n, fail=n % 5 == 0) for n in range(1, 31)))
    targets = {r["target"] for r in await db.conn.fetch("select target from audit_events")}
    assert targets == {f"sheet:{n}" for n in range(1, 31) if n % 5}  # the rolled-back ones left nothing
    assert await db.conn.fetchval("select count(*) from audit_pending") == 0
    report = await verify(db)
    assert (report.ok, report.checked) == (True, 24)


async def test_the_head_and_verification_seal_what_is_pending_first(pool, settings, clock, db):
    async with pool.acquire() as conn:
        web = _web_db(conn, settings, clock)
        async with conn.transaction():
            await append_event(
                web, actor_id=None, actor_label="jure:1", action="sheet.saved", target="sheet:1", payload={}
            )
        # Committed but not sealed (a process killed between its commit and its seal).
    async with db.transaction():
        await append_event(db, actor_id=None, actor_label="système", action="a", target="t:1", payload={})
        count, head = await chain_head(db)
    rows = await db.conn.fetch("select target, hash from audit_events order by id")
    assert [r["target"] for r in rows] == ["sheet:1", "t:1"]  # the earlier commit first
    assert (count, head) == (2, rows[-1]["hash"])
    async with pool.acquire() as conn:
        web = _web_db(conn, settings, clock)
        async with conn.transaction():
            await append_event(
                web, actor_id=None, actor_label="jure:1", action="sheet.saved", target="sheet:2", payload={}
            )
    report = await verify(db)
    assert (report.ok, report.checked) == (True, 3)


async def test_only_a_seal_alone_in_its_transaction_commits_without_waiting_for_the_disk(db) -> None:
    # The test server itself runs without waiting for the disk; a session asks for it as production does.
    await db.conn.execute("set synchronous_commit = on")
    try:
        async with db.transaction():  # a caller's change and its seal: the change must reach the disk
            await seal_pending(db)
            assert await db.conn.fetchval("show synchronous_commit") == "on"
        async with db.transaction():
            await seal_pending(db, own_transaction=True)
            assert await db.conn.fetchval("show synchronous_commit") == "off"
        assert await db.conn.fetchval("show synchronous_commit") == "on"  # for that transaction only
    finally:
        await db.conn.execute("reset synchronous_commit")
