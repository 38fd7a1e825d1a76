"""The asyncpg pool: jsonb decoded as Python values, small sizes for a 2-core machine."""

from __future__ import annotations

import json

import asyncpg

JSON_TYPES = ("json", "jsonb")


async def use_json_codecs(conn: asyncpg.Connection) -> None:
    for kind in JSON_TYPES:
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


class PooledConnection(asyncpg.Connection):
    """A pooled connection never holds session state: its advisory locks are transaction-scoped
    (`pg_advisory_xact_lock`), nothing on it LISTENs, SETs a session variable or keeps a cursor (the
    migrator and the job consumer use connections of their own). So the reset query asyncpg sends on every
    release, one round trip per request and per session read, is skipped; an open transaction is still
    rolled back by asyncpg itself."""

    def get_reset_query(self) -> str:
        return ""


async def create_pool(database_url: str, *, min_size: int, max_size: int) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        init=use_json_codecs,
        command_timeout=60,
        connection_class=PooledConnection,
    )
