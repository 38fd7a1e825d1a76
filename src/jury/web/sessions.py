"""Server-side sessions that cost nothing to visitors who never sign in, and little to those who do.

Litestar's server-side backend stores a session after every response, even an empty one for a visitor
without a cookie: every anonymous page view (the public verification page, the home page, a bot) would
add a row to PostgreSQL. A session is stored here only once it holds something, or when the visitor
already has one.

It also builds the session's `Set-Cookie` header on every response with `dataclasses.asdict` over a
`Cookie`, a deep copy that was a tenth of the server's work on a tablet's sheet write (issue 18). The
header depends only on the session id and the configuration (`Max-Age`, not an absolute expiry), so it
is built once per session id and kept; the browser still gets it on every answer, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

HEADERS_KEPT = 4096
"""Session ids whose `Set-Cookie` header is kept (a venue's tablets and its organisers, many times over)."""


class LazySessionBackend(ServerSideSessionBackend):
    def __init__(self, config: ServerSideSessionConfig) -> None:
        super().__init__(config=config)
        self._headers: OrderedDict[str, str] = OrderedDict()

    @cached_property
    def _cookie_params(self) -> dict[str, Any]:
        return dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))

    def _set_cookie(self, session_id: str) -> str:
        header = self._headers.get(session_id)
        if header is None:
            header = Cookie(value=session_id, key=self.config.key, **self._cookie_params).to_header(header="")
            self._headers[session_id] = header
            if len(self._headers) > HEADERS_KEPT:
                self._headers.popitem(last=False)
        return header

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        """Litestar's `ServerSideSessionBackend.store_in_message`, with the header built once per id."""
        if not scope_session and self.config.key not in connection.cookies:
            return
        store = self.config.get_store_from_app(connection.scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        session_id = self.get_session_id(connection)
        if scope_session is Empty:
            await self.delete(session_id, store=store)
            self._headers.pop(session_id, None)
            cleared = Cookie(value="null", key=self.config.key, expires=0, **self._cookie_params)
            headers.add("Set-Cookie", cleared.to_header(header=""))  # dated now: not kept
        else:
            await self.set(
                session_id=session_id, data=self.serialize_data(scope_session, connection.scope), store=store
            )
            headers.add("Set-Cookie", self._set_cookie(session_id))


@dataclass
class LazySessionConfig(ServerSideSessionConfig):
    _backend_class = LazySessionBackend
