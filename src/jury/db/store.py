"""A Litestar `Store` kept in PostgreSQL, for server-side sessions and rate-limit counters.

Keeping them in the database rather than in process memory is what lets several replicas serve one
contest: a juror signed in through one replica continues on another.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

import asyncpg
from litestar.stores.base import NamespacedStore

from jury.db.queries import Database, Queries


def _deadline(expires_in: int | dt.timedelta | None) -> dt.datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else expires_in
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


class PostgresStore(NamespacedStore):
    def __init__(self, *, pool_getter, queries: Queries, namespace: str = "jury") -> None:
        """`pool_getter` returns the app's pool, which exists only once the lifespan has started."""
        self._pool_getter = pool_getter
        self._queries = queries
        self.namespace = namespace

    def with_namespace(self, namespace: str) -> Self:
        return type(self)(
            pool_getter=self._pool_getter, queries=self._queries, namespace=f"{self.namespace}_{namespace}"
        )

    async def _run(self, method: str, name: str, **params):
        pool: asyncpg.Pool = self._pool_getter()
        async with pool.acquire() as conn:
            return await getattr(Database(conn, self._queries), method)(
                name, namespace=self.namespace, **params
            )

    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        await self._run("execute", "store_set", key=key, value=data, expires_at=_deadline(expires_in))

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        row = await self._run("fetchrow", "store_get", key=key)
        if row is None:
            return None
        if renew_for is not None and row["expires_at"] is not None:
            await self._run("execute", "store_renew", key=key, expires_at=_deadline(renew_for))
        return bytes(row["value"])

    async def delete(self, key: str) -> None:
        await self._run("execute", "store_delete", key=key)

    async def delete_all(self) -> None:
        await self._run("execute", "store_delete_namespace")

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await self._run("fetchrow", "store_get", key=key)
        if row is None or row["expires_at"] is None:
            return None
        return int((row["expires_at"] - dt.datetime.now(dt.UTC)).total_seconds())

    async def purge_expired(self) -> None:
        pool: asyncpg.Pool = self._pool_getter()
        async with pool.acquire() as conn:
            await Database(conn, self._queries).execute("store_purge_expired")
