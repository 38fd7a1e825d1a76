"""Request-scoped dependencies: one connection and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State

from jury.db.audit_key import load_audit_key
from jury.db.queries import Database


def audit_key_of(state: State) -> bytes | None:
    """The app's audit key, read (or created) once from its settings and kept in the app state."""
    if "audit_key" not in state:
        state.audit_key = load_audit_key(state.settings)
    return state.audit_key


async def provide_db(state: State) -> AsyncGenerator[Database, None]:
    """Commit when the handler returns, roll back when it raises: nothing is written partially. The
    work the services left for after the commit runs then, before the answer is sent (the audit trail
    seals the request's events into its chain there, so no request holds the chain's lock while it works
    or commits)."""
    key = audit_key_of(state)
    async with state.pool.acquire() as conn:
        db = Database(conn, state.queries, clock=state.clock, audit_key=key, after_commit=[])
        async with conn.transaction():
            yield db
        for work in db.after_commit or ():
            await work(db)
