"""Liveness with a database round trip: load balancers and Kubernetes readiness probes use it."""

from __future__ import annotations

import msgspec
import structlog
from litestar import Response, get
from litestar.datastructures import State

from jury import __version__
from jury.db.health import ping


class Health(msgspec.Struct, frozen=True):
    status: str
    database: str
    version: str


@get(
    "/healthz",
    summary="État du service",
    description="200 quand la base répond, 503 sinon.",
    tags=["système"],
)
async def healthz(state: State) -> Response[Health]:
    try:
        await ping(state.pool, state.queries)
    except Exception as exc:  # any failure to answer is "unavailable", whatever its kind
        structlog.get_logger(__name__).warning("database unreachable", error=repr(exc))
        return Response(
            Health(status="unavailable", database="unreachable", version=__version__), status_code=503
        )
    return Response(Health(status="ok", database="ok", version=__version__), status_code=200)
