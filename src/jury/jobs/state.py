"""Writing a job's state row (started, progress, finished, failed) where the pages can see it at once."""

from __future__ import annotations

from typing import Any

import asyncpg

from jury.clock import Clock
from jury.db.queries import Database, Queries


class JobStateWriter:
    """Runs one named query on a pool connection of its own, autocommitted.

    The job's work holds its own connection and transaction for minutes; a progress write made on it would
    stay invisible to the page polling the job until the very end, and be lost with it on a failure.
    """

    def __init__(self, pool: asyncpg.Pool, queries: Queries, *, clock: Clock) -> None:
        self._pool = pool
        self._queries = queries
        self._clock = clock

    async def __call__(self, query: str, **params: Any) -> Any:
        """The query's first value (None for a query that returns nothing)."""
        async with self._pool.acquire() as conn:
            return await Database(conn, self._queries, clock=self._clock).fetchval(query, **params)
