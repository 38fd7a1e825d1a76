"""The write of the intake benchmark's baseline route (`jury.bench_routes`): the least a sheet write can cost.

One upsert and one audit event, nothing else: no guard, no validation, no version check. It lives apart
from the route so the route stays a web handler like the others (SQL only below the web layer), at the
price of one function call, which the benchmark cannot see.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from jury.audit.service import append_event
from jury.db.queries import Database

__all__ = ["record_baseline"]


async def record_baseline(db: Database, *, body: bytes) -> dict[str, Any]:
    """Stores the request body as the client's sheet (one row per `sheet_key`, replaced by each version)."""
    fields = msgspec.json.decode(body)
    # One row per sheet of the client (an upsert, as for score sheets), whatever the request's own key.
    key = uuid.UUID(str(fields.get("sheet_key") or fields.get("idempotency_key")))
    version = int(fields.get("version", 0))
    row_id = await db.fetchval("upsert_bench_sheet", key=key, body=body.decode(), version=version)
    await append_event(
        db,
        actor_id=None,
        actor_label="bench",
        action="bench.baseline",
        target=f"bench_sheet:{row_id}",
        payload={"key": str(key), "version": version},
    )
    return {"id": row_id, "version": version}
