"""A baseline for the intake benchmark (`tests/bench/intake.py`), served only when JURY_BENCH_ROUTES=true.

The benchmark's question is how much the score-sheet path (session, assignment and conflict checks,
validation, versioned upsert, audit) costs over the least a write can cost on the same server: the same
middleware, pool and per-request transaction, one JSON parse, one upsert, one audit event. Measuring that
floor in the same process as the full path keeps the ratio free of machine and database noise.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, post

from jury.audit.service import append_event
from jury.db.queries import Database

__all__ = ["bench_baseline"]


@post("/bench/baseline", include_in_schema=False, status_code=200)
async def bench_baseline(request: Request, db: Database) -> dict[str, Any]:
    """No guard and no validation on purpose: anything more would no longer be the floor."""
    raw = await request.body()
    body = msgspec.json.decode(raw)
    # One row per sheet of the client (an upsert, as for score sheets), whatever the request's own key.
    key = uuid.UUID(str(body.get("sheet_key") or body.get("idempotency_key")))
    version = int(body.get("version", 0))
    row_id = await db.fetchval("upsert_bench_sheet", key=key, body=raw.decode(), version=version)
    await append_event(
        db,
        actor_id=None,
        actor_label="bench",
        action="bench.baseline",
        target=f"bench_sheet:{row_id}",
        payload={"key": str(key), "version": version},
    )
    return {"id": row_id, "version": version}
