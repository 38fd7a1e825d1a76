"""Server-side sessions that cost nothing to visitors who never sign in.

Litestar's server-side backend stores a session after every response, even an empty one for a visitor
without a cookie: every anonymous page view (the public verification page, the home page, a bot) would
add a row to PostgreSQL. A session is stored here only once it holds something, or when the visitor
already has one.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, ScopeSession


class LazySessionBackend(ServerSideSessionBackend):
    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        if not scope_session and self.config.key not in connection.cookies:
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class LazySessionConfig(ServerSideSessionConfig):
    _backend_class = LazySessionBackend
