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


# --- `jury serve --workers N` -------------------------------------------------------------------------

WORKER_PARENT = "JURY_SERVE_PARENT"


def serve_workers(settings: Settings, *, workers: int) -> None:
    """Serve with `workers` uvicorn processes on one socket and one database (embedded or not).

    Each process builds its app from the environment prepared here (`worker_app`): the database the
    parent resolved, and the parent's secret key and data directory, so a session signed by one process
    is read by another and all share the audit key's file. The parent supervises and keeps owning the
    embedded PostgreSQL; a worker dies with it even when it is killed with SIGKILL (`worker_app`).
    """
    import os

    import uvicorn

    os.environ.update(
        {
            "DATABASE_URL": settings.database_url or "",
            "JURY_SECRET_KEY": settings.secret_key,
            "JURY_DATA_DIR": str(settings.data_dir),
            "JURY_BASE_URL": settings.base_url,
            WORKER_PARENT: str(os.getpid()),
        }
    )
    uvicorn.run(
        "jury.runtime:worker_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        lifespan="on",
    )


def worker_app():
    """The app of one `jury serve --workers N` process (uvicorn's factory).

    On Linux the process asks to be killed when its parent dies (PR_SET_PDEATHSIG): a supervisor killed
    with SIGKILL must not leave workers holding the port and writing to a database nobody owns.
    """
    import ctypes
    import os
    import sys

    from jury.app import create_app
    from jury.log import configure_logging
    from jury.settings import load_settings

    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        if str(os.getppid()) != os.environ.get(WORKER_PARENT, str(os.getppid())):
            os._exit(1)  # the parent died before the request above
    settings = load_settings()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    return create_app(settings)
