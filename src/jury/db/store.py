"""A Litestar `Store` kept in PostgreSQL, for server-side sessions and rate-limit counters.

Keeping them in the database rather than in process memory is what lets several replicas serve one
contest: a juror signed in through one replica continues on another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from typing import Self

import asyncpg
from litestar.stores.base import NamespacedStore

from jury.clock import Clock
from jury.db.queries import Database, Queries
from jury.db.session_cache import SessionCache


def _deadline(expires_in: int | dt.timedelta | None, *, now: dt.datetime) -> dt.datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else expires_in
    return now + dt.timedelta(seconds=seconds)


REWRITE_AFTER = dt.timedelta(seconds=60)
"""An unchanged value is written again (to push its deadline) only when the deadline moves this much."""

KNOWN_ENTRIES = 10_000


class PostgresStore(NamespacedStore):
    """Litestar's session middleware writes the session back after every response, changed or not: on a
    juror's tablet that is one write per sheet saved. The store remembers, per key, the digest and deadline
    it last read or wrote, and skips a write that would change neither the value nor the deadline by more
    than `REWRITE_AFTER`. Idle expiry is then accurate to a minute. Another replica's change is never
    hidden: a skipped write only ever leaves the database as it was."""

    def __init__(
        self,
        *,
        pool_getter,
        queries: Queries,
        clock: Clock,
        namespace: str = "jury",
        cache: SessionCache | None = None,
    ) -> None:
        """`pool_getter` returns the app's pool, which exists only once the lifespan has started. `cache`
        (the sessions' store only): entries read are kept until any process changes them."""
        self._pool_getter = pool_getter
        self._queries = queries
        self._clock = clock
        self.namespace = namespace
        self._cache = cache
        self._known: OrderedDict[str, tuple[bytes, dt.datetime | None]] = OrderedDict()

    def with_namespace(self, namespace: str) -> Self:
        return type(self)(
            pool_getter=self._pool_getter,
            queries=self._queries,
            clock=self._clock,
            namespace=f"{self.namespace}_{namespace}",
        )

    def with_cache(self, cache: SessionCache) -> Self:
        """This namespace's store, keeping what it reads in `cache` (see `jury.db.session_cache`)."""
        return type(self)(
            pool_getter=self._pool_getter,
            queries=self._queries,
            clock=self._clock,
            namespace=self.namespace,
            cache=cache,
        )

    def _remember(self, key: str, value: bytes, expires_at: dt.datetime | None) -> None:
        self._known[key] = (hashlib.blake2b(value, digest_size=16).digest(), expires_at)
        self._known.move_to_end(key)
        while len(self._known) > KNOWN_ENTRIES:
            self._known.popitem(last=False)

    def _unchanged(self, key: str, value: bytes, expires_at: dt.datetime | None) -> bool:
        known = self._known.get(key)
        if known is None or known[0] != hashlib.blake2b(value, digest_size=16).digest():
            return False
        if known[1] is None or expires_at is None:
            return known[1] is expires_at
        return expires_at - known[1] < REWRITE_AFTER

    async def _run(self, method: str, name: str, **params):
        pool: asyncpg.Pool = self._pool_getter()
        async with pool.acquire() as conn:
            return await getattr(Database(conn, self._queries, clock=self._clock), method)(
                name, namespace=self.namespace, **params
            )

    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        expires_at = _deadline(expires_in, now=self._clock())
        if self._unchanged(key, data, expires_at):
            return
        await self._run("execute", "store_set", key=key, value=data, expires_at=expires_at)
        self._remember(key, data, expires_at)
        self._forget(key)

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        cache = self._cache if renew_for is None else None  # a renewal writes: it goes to the database
        epoch = 0
        if cache is not None:
            kept = cache.get(self.namespace, key, now=self._clock())
            if kept is not None:
                return kept
            epoch = cache.epoch
        row = await self._run("fetchrow", "store_get", key=key)
        if row is None:
            self._known.pop(key, None)
            return None
        value, expires_at = bytes(row["value"]), row["expires_at"]
        if renew_for is not None and expires_at is not None:
            expires_at = _deadline(renew_for, now=self._clock())
            await self._run("execute", "store_renew", key=key, expires_at=expires_at)
        self._remember(key, value, expires_at)
        if cache is not None:
            cache.fill(
                self.namespace,
                key,
                value=value,
                expires_at=expires_at,
                read_at_epoch=epoch,
                now=self._clock(),
            )
        return value

    async def delete(self, key: str) -> None:
        self._known.pop(key, None)
        self._forget(key)
        await self._run("execute", "store_delete", key=key)
        self._forget(key)  # and a read that raced with the delete keeps nothing (the epoch moved)

    async def delete_all(self) -> None:
        self._known.clear()
        if self._cache is not None:
            self._cache.forget_all()
        await self._run("execute", "store_delete_namespace")

    def _forget(self, key: str) -> None:
        """This process's own change, forgotten at once (the notification of it comes a moment later)."""
        if self._cache is not None:
            self._cache.forget(self.namespace, key)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await self._run("fetchrow", "store_get", key=key)
        if row is None or row["expires_at"] is None:
            return None
        return int((row["expires_at"] - self._clock()).total_seconds())

    async def purge_expired(self) -> None:
        pool: asyncpg.Pool = self._pool_getter()
        async with pool.acquire() as conn:
            await Database(conn, self._queries, clock=self._clock).execute("store_purge_expired")
