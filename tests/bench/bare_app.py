"""The intake benchmark's baseline: a bare Litestar + asyncpg app, none of jury's code or middleware.

`PUT /bare/{round_id}/{candidate_id}` takes the same JSON body a tablet sends to the full path, decodes it
into a struct, and in one transaction upserts one row per (round, juror, candidate) and inserts one audit
row (the SHA-256 digest of the marks, as jury's events carry). No session, no checks, no chain: the least
a sheet write can cost on this stack. Run by `tests/bench/intake.py` with uvicorn, the same worker count
and the same PostgreSQL as `jury serve`; the tables are created by the benchmark (`SCHEMA`).

The juror is the `X-Juror` header (an integer), so the load generator's script is the same for both apps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar import Litestar, Request, put

SCHEMA = """
create table if not exists bare_sheets (
    id bigserial primary key,
    round_id integer not null,
    person_id integer not null,
    candidate_id integer not null,
    status text not null,
    comment text not null,
    marks jsonb not null,
    version integer not null,
    idempotency_key uuid not null,
    updated_at timestamptz not null,
    unique (round_id, person_id, candidate_id)
);
create table if not exists bare_audit (
    id bigserial primary key,
    occurred_at timestamptz not null,
    actor_id integer,
    action text not null,
    target text not null,
    digest text not null
);
"""

UPSERT = """
insert into bare_sheets as s (round_id, person_id, candidate_id, status, comment, marks, version,
                              idempotency_key, updated_at)
values ($1, $2, $3, $4, $5, $6::jsonb, 1, $7, $8)
on conflict (round_id, person_id, candidate_id) do update
set status = excluded.status, comment = excluded.comment, marks = excluded.marks,
    version = s.version + 1, idempotency_key = excluded.idempotency_key, updated_at = excluded.updated_at
returning id, version
"""

AUDIT = "insert into bare_audit (occurred_at, actor_id, action, target, digest) values ($1, $2, $3, $4, $5)"


class Submission(msgspec.Struct, kw_only=True):
    version: int
    idempotency_key: uuid.UUID
    values: dict[int, float | None] = {}
    comments: dict[int, str] = {}
    comment: str = ""
    status: str = "draft"


@asynccontextmanager
async def pool(app: Litestar) -> AsyncGenerator[None, None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=int(os.environ.get("JURY_POOL_MIN_SIZE", "1")),
        max_size=int(os.environ.get("JURY_POOL_MAX_SIZE", "10")),
    )
    try:
        yield
    finally:
        await app.state.pool.close()


@put("/bare/{round_id:int}/{candidate_id:int}", status_code=200)
async def write(request: Request, round_id: int, candidate_id: int, data: Submission) -> dict:
    person_id = int(request.headers.get("x-juror", "0"))
    marks = msgspec.json.encode({"values": data.values, "comments": data.comments})
    now = dt.datetime.now(dt.UTC)
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            UPSERT,
            round_id,
            person_id,
            candidate_id,
            data.status,
            data.comment,
            marks.decode(),
            data.idempotency_key,
            now,
        )
        digest = hashlib.sha256(marks).hexdigest()
        await conn.execute(AUDIT, now, person_id, "sheet." + data.status, f"sheet:{row['id']}", digest)
    return {"id": row["id"], "version": row["version"], "status": data.status}


app = Litestar(route_handlers=[write], lifespan=[pool], logging_config=None, debug=False)
