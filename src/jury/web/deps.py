"""Request-scoped dependencies: one connection and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State

from jury.db.queries import Database


async def provide_db(state: State) -> AsyncGenerator[Database, None]:
    """Commit when the handler returns, roll back when it raises: nothing is written partially."""
    async with state.pool.acquire() as conn, conn.transaction():
        yield Database(conn, state.queries, clock=state.clock)
