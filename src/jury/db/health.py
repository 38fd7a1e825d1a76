"""Whether the database answers: the round trip behind `/healthz`.

It takes a connection of its own from the pool rather than the request's transaction, so a probe needs no
session, no transaction and no clock, and it gives up after `timeout` seconds: a load balancer waiting on
a hung database would otherwise keep sending traffic to this process.
"""

from __future__ import annotations

import asyncio

import asyncpg

from jury.db.queries import Queries

PING_TIMEOUT = 2.0


async def ping(pool: asyncpg.Pool, queries: Queries, *, timeout: float = PING_TIMEOUT) -> None:
    """Returns once the database has answered the cheapest query; raises whatever stopped it."""
    async with asyncio.timeout(timeout):
        async with pool.acquire() as conn:
            await conn.fetchval(queries.ping.sql)
