"""Request-scoped dependencies: one connection and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import structlog
from litestar.datastructures import State
from litestar.types import Scope

from jury.db.audit_key import load_audit_key
from jury.db.queries import Database


def audit_key_of(state: State) -> bytes | None:
    """The app's audit key, read (or created) once from its settings and kept in the app state."""
    if "audit_key" not in state:
        state.audit_key = load_audit_key(state.settings)
    return state.audit_key


AFTER_RESPONSE = "jury.after_response"
"""Where `after_response_middleware` keeps, in the request's scope, the work to run once the answer left."""

log = structlog.get_logger(__name__)


async def provide_db(state: State, scope: Scope) -> AsyncGenerator[Database, None]:
    """Commit when the handler returns, roll back when it raises: nothing is written partially.

    The work the services left for after the commit (the audit trail seals the request's events into its
    chain there, so no request holds the chain's lock while it works or commits) runs once the connection
    is back in the pool, and, behind `after_response_middleware`, once the answer has left: a tablet does
    not wait for the seal, which the requests of one process that commit together share (`db.pool` gives
    it a connection). The events are committed with the change they record, so a process killed before
    its seal loses none: the next seal takes them, in order."""
    key = audit_key_of(state)
    async with state.pool.acquire() as conn:
        db = Database(conn, state.queries, clock=state.clock, audit_key=key, after_commit=[], pool=state.pool)
        async with conn.transaction():
            yield db
    await _after_commit(db, scope)


async def provide_statement_db(state: State, scope: Scope) -> AsyncGenerator[Database, None]:
    """A connection without a transaction, for a handler whose service writes in one statement (its own
    transaction, `jury.scoring.sheets.save_sheet`): no BEGIN and COMMIT round trips. The work left for
    after the commit runs as `provide_db`'s does."""
    key = audit_key_of(state)
    async with state.pool.acquire() as conn:
        db = Database(conn, state.queries, clock=state.clock, audit_key=key, after_commit=[], pool=state.pool)
        yield db
    await _after_commit(db, scope)


async def _after_commit(db: Database, scope: Scope) -> None:
    """The work left for after the commit: now, or once the answer left when the middleware is there."""
    if not db.after_commit:
        return
    later = scope.get("state", {}).get(AFTER_RESPONSE)
    if later is None:
        await _run_after_commit(db)
    else:
        later.append(lambda: _run_after_commit(db))


async def _run_after_commit(db: Database) -> None:
    for work in db.after_commit or ():
        await work(db)


def after_response_middleware(app: Any) -> Any:
    """ASGI middleware: runs the requests' after-commit work once their answer is complete (see
    `provide_db`). A failure there is logged, never raised: the answer is sent, and the events left
    pending are sealed by the next seal."""

    async def middleware(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        later: list[Callable[[], Awaitable[None]]] = []
        scope.setdefault("state", {})[AFTER_RESPONSE] = later
        try:
            await app(scope, receive, send)
        finally:
            for work in later:
                try:
                    await work()
                except Exception:
                    log.warning("after-commit work failed: left for the next seal", exc_info=True)

    return middleware
