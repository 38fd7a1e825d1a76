"""Putting work on the job queue: PgQueuer's table in our own PostgreSQL, so a job is enqueued in the same
transaction as the row the pages read its progress from, and never exists without it (or vice versa)."""

from __future__ import annotations

import asyncpg
import msgspec
from pgqueuer import Queries as QueueQueries

from jury.db.pool import JSON_TYPES, use_json_codecs


async def enqueue(conn: asyncpg.Connection, *, entrypoint: str, payload: msgspec.Struct) -> int:
    """Enqueue on `conn` (inside its transaction when one is open); returns PgQueuer's job id.

    PgQueuer hands jsonb parameters over as JSON text, which our pool's codecs would encode a second
    time; the connection speaks text for jsonb while it enqueues, then gets its codecs back.
    """
    for kind in JSON_TYPES:
        await conn.reset_type_codec(kind, schema="pg_catalog")
    try:
        [job_id] = await QueueQueries.from_asyncpg_connection(conn).enqueue(
            entrypoint, msgspec.json.encode(payload)
        )
    finally:
        await use_json_codecs(conn)
    return int(job_id)
