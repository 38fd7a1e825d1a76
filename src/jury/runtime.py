"""Resolve which PostgreSQL to use: DATABASE_URL if set, else the embedded server in the data directory.

A process that starts the embedded server stops it however it ends: normal exit, an error, Ctrl-C
(SIGINT) or SIGTERM (what systemd, Docker and Kubernetes send). SIGTERM becomes `Terminated`, an
exception that unwinds through `database_settings` like Ctrl-C's KeyboardInterrupt does, so the server is
stopped on the way out rather than orphaned by the default action (the process dying on the spot).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import msgspec

from jury.clock import Clock, system_clock
from jury.db.embedded import EmbeddedPostgres
from jury.settings import Settings

EMBEDDED_DATABASE = "jury"


class Terminated(SystemExit):
    """SIGTERM received: the process unwinds (stopping what it started) and exits with 128 + 15."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


def _raise_terminated(_signum: int, _frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` (main thread only: signals go nowhere else)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def database_settings(settings: Settings) -> Iterator[Settings]:
    """Yield settings whose `database_url` points at a running server; stop the embedded one on exit."""
    if settings.database_url:
        yield settings
        return
    import asyncio

    from jury.db.embedded import ensure_database

    with terminated_on_sigterm():
        server = EmbeddedPostgres(settings.postgres_dir)
        try:
            asyncio.run(ensure_database(server.url("postgres"), EMBEDDED_DATABASE))
            yield msgspec.structs.replace(settings, database_url=server.url(EMBEDDED_DATABASE))
        finally:
            server.stop()


async def run_in_database(
    settings: Settings, work, *, clock: Clock = system_clock, create_audit_key: bool = True
):
    """Run `work(db)` in one transaction on a fresh connection: the shape of every CLI command, which
    runs at the real time unless its caller pins the clock. The audit key comes from the settings (or
    its file, created on first use unless `create_audit_key` is false: a reader must not invent one)."""
    import asyncpg

    from jury.db.audit_key import load_audit_key
    from jury.db.queries import Database, Queries

    key = load_audit_key(settings, create=create_audit_key)
    conn = await asyncpg.connect(settings.database_url)
    try:
        async with conn.transaction():
            return await work(Database(conn, Queries(settings.queries_dir), clock=clock, audit_key=key))
    finally:
        await conn.close()
