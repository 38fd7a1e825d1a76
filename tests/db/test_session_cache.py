"""Sessions kept by a serving process until any process changes them (`jury.db.session_cache`).

Two stores with caches of their own on one database stand for two serving processes."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from jury.db.queries import Queries
from jury.db.session_cache import KEPT_FOR, SessionCache
from jury.db.store import PostgresStore

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


class Pools:
    """The pool a store uses, which a test can take away to prove a read used no database."""

    def __init__(self, pool) -> None:
        self.pool = pool

    def __call__(self):
        if self.pool is None:
            raise AssertionError("the database was read")
        return self.pool


async def process(pool, settings, *, clock=lambda: NOW) -> tuple[PostgresStore, SessionCache, Pools]:
    cache = SessionCache()
    await cache.start(settings.database_url)
    pools = Pools(pool)
    base = PostgresStore(pool_getter=pools, queries=Queries(settings.queries_dir), clock=clock)
    return base.with_namespace("sessions").with_cache(cache), cache, pools


async def until(condition, *, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the time allowed")


@pytest.fixture
async def two_processes(pool, settings):
    first = await process(pool, settings)
    second = await process(pool, settings)
    yield first, second
    await first[1].stop()
    await second[1].stop()


async def test_a_session_read_once_is_served_without_the_database(two_processes) -> None:
    (store, _cache, pools), _ = two_processes
    await store.set("tablet", b"juror 7", expires_in=3600)
    assert await store.get("tablet") == b"juror 7"
    pools.pool = None
    assert await store.get("tablet") == b"juror 7"
    with pytest.raises(AssertionError, match="the database was read"):
        await store.get("another")


async def test_a_session_another_process_changes_or_deletes_is_read_again(two_processes) -> None:
    (store, cache, _), (other, _other_cache, _) = two_processes
    await store.set("tablet", b"juror 7", expires_in=3600)
    assert await store.get("tablet") == b"juror 7"
    assert await other.get("tablet") == b"juror 7"

    await other.set("tablet", b"juror 7, english", expires_in=3600)
    await until(lambda: cache.get("jury_sessions", "tablet", now=NOW) is None)
    assert await store.get("tablet") == b"juror 7, english"

    await other.delete("tablet")  # signed out on the other process
    await until(lambda: cache.get("jury_sessions", "tablet", now=NOW) is None)
    assert await store.get("tablet") is None


async def test_a_session_deleted_by_any_statement_is_forgotten(two_processes, pool) -> None:
    (store, cache, _), _ = two_processes
    await store.set("tablet", b"juror 7", expires_in=3600)
    assert await store.get("tablet") == b"juror 7"
    await pool.execute("delete from kv_store where namespace = 'jury_sessions' and key = 'tablet'")
    await until(lambda: cache.get("jury_sessions", "tablet", now=NOW) is None)
    assert await store.get("tablet") is None


@pytest.mark.unit
def test_a_kept_session_is_read_again_after_a_minute_whatever_was_heard() -> None:
    cache = SessionCache()
    cache.listening = True
    cache.fill("jury_sessions", "tablet", value=b"v", expires_at=None, read_at_epoch=cache.epoch, now=NOW)
    assert cache.get("jury_sessions", "tablet", now=NOW + KEPT_FOR - dt.timedelta(seconds=1)) == b"v"
    assert cache.get("jury_sessions", "tablet", now=NOW + KEPT_FOR) is None


async def test_a_kept_session_ends_at_its_deadline(pool, settings) -> None:
    now = [NOW]
    store, cache, _pools = await process(pool, settings, clock=lambda: now[0])
    try:
        await store.set("tablet", b"juror 7", expires_in=60)
        assert await store.get("tablet") == b"juror 7"
        now[0] = NOW + dt.timedelta(seconds=61)
        assert await store.get("tablet") is None
    finally:
        await cache.stop()


async def test_nothing_is_kept_while_the_change_feed_is_down(two_processes, pool) -> None:
    (store, cache, pools), _ = two_processes
    await store.set("tablet", b"juror 7", expires_in=3600)
    assert await store.get("tablet") == b"juror 7"
    await pool.execute(
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where pid <> pg_backend_pid() and query like 'LISTEN%'"
    )
    await until(lambda: not cache.listening)
    assert cache.get("jury_sessions", "tablet", now=NOW) is None
    # Whatever changes meanwhile is read from the database.
    await pool.execute("update kv_store set value = 'juror 8' where key = 'tablet'")
    assert await store.get("tablet") == b"juror 8"
    # Listening again: the cache starts empty, then keeps what it reads.
    await until(lambda: cache.listening)
    assert cache.get("jury_sessions", "tablet", now=NOW) is None
    assert await store.get("tablet") == b"juror 8"
    pools.pool = None
    assert await store.get("tablet") == b"juror 8"


@pytest.mark.unit
def test_a_read_that_raced_with_a_change_does_not_fill_the_cache() -> None:
    cache = SessionCache()
    cache.listening = True
    began = cache.epoch
    cache.forget("jury_sessions", "tablet")  # a notification arrived while the read was in flight
    cache.fill("jury_sessions", "tablet", value=b"old", expires_at=None, read_at_epoch=began, now=NOW)
    assert cache.get("jury_sessions", "tablet", now=NOW) is None
    cache.fill("jury_sessions", "tablet", value=b"new", expires_at=None, read_at_epoch=cache.epoch, now=NOW)
    assert cache.get("jury_sessions", "tablet", now=NOW) == b"new"
