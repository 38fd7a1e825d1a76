"""Route guards: who may call a route. Finer checks (this contest, this panel) live in the services.

The guards are coroutines although they never await: Litestar runs a plain function guard in a worker
thread (`sync_to_thread`), a thread hop on every guarded request for a dictionary lookup.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from jury.access.identity import Identity


def current_identity(connection: ASGIConnection) -> Identity | None:
    if "session" not in connection.scope:
        return None
    return Identity.from_session(connection.session)


async def requires_organiser(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    identity = current_identity(connection)
    if identity is None:
        raise NotAuthorizedException("Connexion requise.")
    if identity.kind != "organiser":
        raise PermissionDeniedException("Réservé aux organisateurs.")


async def requires_juror(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    identity = current_identity(connection)
    if identity is None:
        raise NotAuthorizedException("Connexion requise.")
    if identity.kind != "juror":
        raise PermissionDeniedException("Réservé aux jurés.")


async def requires_sign_in(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """For routes both organisers and jurors use; the service decides what each may do there."""
    if current_identity(connection) is None:
        raise NotAuthorizedException("Connexion requise.")
