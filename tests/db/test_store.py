"""Sessions in PostgreSQL: what a request writes, and when it writes nothing."""

from __future__ import annotations

import datetime as dt

from tests.helpers import make_contest, make_organiser, sign_in

from jury.clock import system_clock
from jury.db.queries import Database
from jury.db.store import REWRITE_AFTER, PostgresStore


async def session_rows(db: Database) -> list[dict]:
    rows = await db.conn.fetch(
        "select key, value, expires_at from kv_store where namespace like '%sessions' order by key"
    )
    return [dict(r) for r in rows]


async def test_anonymous_visits_store_no_session(client, db) -> None:
    for path in ("/", "/connexion", "/acces", "/api/contests"):
        assert (await client.get(path)).status_code == 200
    assert await session_rows(db) == []


async def test_a_signed_in_session_is_written_once_then_only_when_it_changes(client, db) -> None:
    await make_contest(db)
    await make_organiser(db, email="orga@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="orga@exemple.fr")
    [signed_in] = await session_rows(db)
    for _ in range(3):
        assert (await client.get("/organisation/")).status_code == 200
    [after] = await session_rows(db)
    assert after == signed_in, (
        "browsing neither rewrites the session nor moves its deadline by less than a minute"
    )

    assert (await client.post("/deconnexion", follow_redirects=False)).status_code == 303
    assert await session_rows(db) == []


async def test_an_unchanged_value_is_rewritten_once_its_deadline_moves_enough(pool, settings) -> None:
    from jury.db.queries import Queries

    store = PostgresStore(
        pool_getter=lambda: pool, queries=Queries(settings.queries_dir), clock=system_clock
    ).with_namespace("t")
    await store.set("k", b"v", expires_in=600)
    first = await pool.fetchval("select expires_at from kv_store where key = 'k'")
    await store.set("k", b"v", expires_in=600)
    assert await pool.fetchval("select expires_at from kv_store where key = 'k'") == first
    await store.set("k", b"v", expires_in=600 + int(REWRITE_AFTER.total_seconds()) + 5)
    later = await pool.fetchval("select expires_at from kv_store where key = 'k'")
    assert later - first > REWRITE_AFTER
    await store.set("k", b"w", expires_in=600)
    assert await store.get("k") == b"w"
    # Another process deleted the entry: a write of the remembered value still happens after a get.
    await pool.execute("delete from kv_store where key = 'k'")
    assert await store.get("k") is None
    await store.set("k", b"w", expires_in=600)
    assert await store.get("k") == b"w"
    assert isinstance(later, dt.datetime)
