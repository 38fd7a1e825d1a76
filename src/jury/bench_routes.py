"""A baseline for the intake benchmark (`tests/bench/intake.py`), served only when JURY_BENCH_ROUTES=true.

The benchmark's question is how much the score-sheet path (session, assignment and conflict checks,
validation, versioned upsert, audit) costs over the least a write can cost on the same server: the same
middleware, pool and per-request transaction, one JSON parse, one upsert, one audit event. Measuring that
floor in the same process as the full path keeps the ratio free of machine and database noise.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, post

from jury.bench_service import record_baseline
from jury.db.queries import Database

__all__ = ["bench_baseline"]


@post("/bench/baseline", include_in_schema=False, status_code=200)
async def bench_baseline(request: Request, db: Database) -> dict[str, Any]:
    """No guard and no validation on purpose: anything more would no longer be the floor."""
    return await record_baseline(db, body=await request.body())
