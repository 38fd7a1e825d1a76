"""Browser-facing protections: cross-origin request refusal (CSRF) and security headers.

CSRF uses the `Sec-Fetch-Site` + `Origin` check (as Go's CrossOriginProtection and Datasette do) rather
than tokens: every tablet browser sends these headers, forms need no hidden field, and the JSON API used by
non-browser clients (which send neither header) keeps working.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _is_cross_origin(headers: dict[bytes, bytes]) -> bool:
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1")
    if site:
        return site not in {"same-origin", "none"}
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin or origin == "null":
        return bool(origin)  # "null" comes from sandboxed or privacy-sensitive contexts: refuse
    host = headers.get(b"host", b"").decode("latin-1")
    return urlsplit(origin).netloc != host


def security_middleware_factory(*, https: bool):
    def factory(app: Any) -> Any:
        async def middleware(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = dict(scope.get("headers") or [])
            if scope["method"] not in SAFE_METHODS and _is_cross_origin(headers):
                body = json.dumps(
                    {"status_code": 403, "detail": "Requête d'origine extérieure refusée."}
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"application/json"), *HEADERS],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
            is_docs = scope["path"].startswith("/schema")

            async def send_with_headers(message: dict) -> None:
                if message["type"] == "http.response.start":
                    extra = list(HEADERS)
                    if not is_docs:  # the OpenAPI viewers load their own scripts
                        extra.append((b"content-security-policy", CSP.encode()))
                    if https:
                        extra.append((b"strict-transport-security", b"max-age=31536000"))
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await send(message)

            await app(scope, receive, send_with_headers)

        return middleware

    return factory
