"""The asyncpg pool: jsonb decoded as Python values, small sizes for a 2-core machine."""

from __future__ import annotations

import json

import asyncpg

JSON_TYPES = ("json", "jsonb")


async def use_json_codecs(conn: asyncpg.Connection) -> None:
    for kind in JSON_TYPES:
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(database_url: str, *, min_size: int, max_size: int) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        database_url, min_size=min_size, max_size=max_size, init=use_json_codecs, command_timeout=60
    )
