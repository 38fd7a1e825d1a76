"""Resolve which PostgreSQL to use: DATABASE_URL if set, else the embedded server in the data directory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import msgspec

from jury.clock import Clock, system_clock
from jury.db.embedded import EmbeddedPostgres
from jury.settings import Settings

EMBEDDED_DATABASE = "jury"


@contextmanager
def database_settings(settings: Settings) -> Iterator[Settings]:
    """Yield settings whose `database_url` points at a running server; stop the embedded one on exit."""
    if settings.database_url:
        yield settings
        return
    import asyncio

    from jury.db.embedded import ensure_database

    server = EmbeddedPostgres(settings.postgres_dir)
    try:
        asyncio.run(ensure_database(server.url("postgres"), EMBEDDED_DATABASE))
        yield msgspec.structs.replace(settings, database_url=server.url(EMBEDDED_DATABASE))
    finally:
        server.stop()


async def run_in_database(settings: Settings, work, *, clock: Clock = system_clock):
    """Run `work(db)` in one transaction on a fresh connection: the shape of every CLI command, which
    runs at the real time unless its caller pins the clock."""
    import asyncpg

    from jury.db.queries import Database, Queries

    conn = await asyncpg.connect(settings.database_url)
    try:
        async with conn.transaction():
            return await work(Database(conn, Queries(settings.queries_dir), clock=clock))
    finally:
        await conn.close()
