"""Issue 7: what the application logs never carries a credential.

Logs travel further than the database (a terminal's scrollback, a log shipper, a support ticket), so
the password typed at sign-in, a juror's access code, a winner's diploma token, the session cookie and
the database password must not be in them: not in request lines, not in tracebacks (whose frames hold
the request's values), not in an exception's message, not at startup.

The test captures the real output: `configure_logging` (JSON lines, as in production) writing to the
captured stderr, requests through the real application, startup through uvicorn's own lifespan runner.
It also checks that the request lines are there, so that it cannot pass by capturing nothing.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import secrets
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import structlog
from litestar import Request, post
from litestar.testing import AsyncTestClient
from tests.security.conftest import ORGANISER, Demo
from uvicorn.config import Config
from uvicorn.lifespan.on import LifespanOn

from jury.app import create_app
from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.demo.loader import DEMO_PASSWORD
from jury.diplomas import links as diploma_links
from jury.diplomas import service as diplomas
from jury.log import configure_logging

DIPLOMA_EDITION = "gateau-des-hauts-de-seine-2023"
WRONG_PASSWORD = "Mauvais-mot-de-passe-7391"
DB_PASSWORD = "Pg-s3cret-7d41c9"


class Captured:
    """What the application wrote: its log handler's stream, plus anything printed to stdout or stderr."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self._stream = io.StringIO()
        self._printed = ""
        self.attach()

    def attach(self) -> None:
        """Point the root handlers (re-created by every `configure_logging`) at the captured stream."""
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(self._stream)

    def read(self) -> str:
        out, err = self._capsys.readouterr()
        self._printed += out + err
        return self._stream.getvalue() + self._printed

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.read().splitlines() if line.startswith("{")]


@pytest.fixture
def captured(capsys: pytest.CaptureFixture[str]) -> Iterator[Captured]:
    """The production logging set-up (JSON lines), captured; the previous set-up restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_structlog = structlog.get_config()
    saved_uvicorn = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
        for name in ("uvicorn", "uvicorn.error")
    }
    configure_logging(log_format="json", level="info")
    try:
        yield Captured(capsys)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        structlog.configure(**saved_structlog)
        for name, (handlers, propagate) in saved_uvicorn.items():
            logging.getLogger(name).handlers[:] = handlers
            logging.getLogger(name).propagate = propagate


def with_password(url: str) -> tuple[str, str]:
    """The test database's URL with a password in it (the embedded server trusts local connections and
    ignores it; an external server's URL keeps its own) and that password."""
    parts = urlsplit(url)
    if parts.password:
        return url, parts.password
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{parts.username or 'postgres'}:{DB_PASSWORD}@{parts.hostname or ''}{port}"
    return urlunsplit(parts._replace(netloc=netloc)), DB_PASSWORD


def assert_no_secret(text: str, found_secrets: dict[str, str]) -> None:
    leaked = {name: value for name, value in found_secrets.items() if value in text}
    assert not leaked, f"secrets in the logs: {sorted(leaked)}"


@post("/essai/panne", include_in_schema=False)
async def broken_sign_in(request: Request) -> None:
    """A bug in a handler holding a password in a local variable, whose message quotes a connection URL."""
    form = await request.form()
    password = str(form.get("password"))
    url = f"postgresql://jury:{password}@base.invalid/jury"
    raise RuntimeError(f"connexion impossible à {url}")


def _altered(secret: str) -> str:
    """A wrong credential of the same shape: the last character swapped for a different one (a fixed
    replacement would equal the real one whenever the random secret already ends with it)."""
    replacement = "Z" if secret[-1] != "Z" else "Y"
    return secret[:-1] + replacement


async def _diploma_token(demo: Demo) -> str:
    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        db = Database(conn, Queries(demo.settings.queries_dir), clock=system_clock)
        edition = await diplomas.get_edition(db, slug=DIPLOMA_EDITION)
        await diplomas.issue_diplomas(db, edition_id=edition.id)
        [source, *_] = await diplomas.sources_of_edition(db, edition_id=edition.id)
        token = secrets.token_urlsafe(32)
        await db.execute(
            "diploma_insert_link",
            token_hash=diploma_links.hash_token(token),
            diploma_id=source["diploma_id"],
            expires_at=None,
        )
        return token
    finally:
        await conn.close()


async def _access_codes(demo: Demo, count: int) -> list[str]:
    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        db = Database(conn, Queries(demo.settings.queries_dir), clock=system_clock)
        jurors = sorted(p for p in demo.people if p != demo.juror_id)[:count]
        cards = await issue_codes(db, edition_id=demo.edition_id, person_ids=jurors)
        return [card.code for card in cards]
    finally:
        await conn.close()


async def test_requests_carrying_credentials_log_none_of_them(demo: Demo, captured: Captured) -> None:
    """Why: a password, an access code, a diploma token or a session cookie in a log line is a credential
    handed to whoever reads the logs; a traceback's local variables are the usual way they get there."""
    code_by_form, code_by_link = await _access_codes(demo, 2)
    token = await _diploma_token(demo)
    found: dict[str, str] = {
        "password": DEMO_PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "access code (form)": code_by_form,
        "access code (link)": code_by_link,
        "diploma token": token,
    }
    app = create_app(demo.settings)
    app.register(broken_sign_in)
    async with AsyncTestClient(app=app) as client:
        wrong = await client.post("/connexion", data={"email": ORGANISER, "password": WRONG_PASSWORD})
        assert wrong.status_code == 422
        good = await client.post("/connexion", data={"email": ORGANISER, "password": DEMO_PASSWORD})
        assert good.status_code in (200, 303) and "incorrect" not in good.text
        cookie = client.cookies.get("jury_session")
        assert cookie
        found["session cookie"] = cookie
        assert (await client.get("/organisation", follow_redirects=False)).status_code == 200
        crash = await client.post("/essai/panne", data={"password": DEMO_PASSWORD})
        assert crash.status_code == 500
    async with AsyncTestClient(app=create_app(demo.settings)) as juror:
        response = await juror.post("/acces", data={"code": code_by_form}, follow_redirects=False)
        assert response.status_code == 303
        response = await juror.get(f"/acces/{code_by_link}", follow_redirects=False)
        assert response.status_code == 303
        found["juror session cookie"] = juror.cookies.get("jury_session") or "absent"
        refused = await juror.get(f"/acces/{_altered(code_by_form)}", follow_redirects=False)
        assert refused.status_code == 422
        assert (await juror.get(f"/diplome/{token}")).status_code == 200
        assert (await juror.get(f"/diplome/{_altered(token)}")).status_code == 404

    text = captured.read()
    lines = captured.lines()
    requests = [
        (line["method"], line["path"], line["status"]) for line in lines if line.get("event") == "request"
    ]
    assert ("POST", "/connexion", 422) in requests
    assert ("POST", "/acces", 303) in requests
    assert ("GET", "/acces/…", 303) in requests
    assert ("GET", "/diplome/…", 200) in requests
    assert ("POST", "/essai/panne", 500) in requests
    [crash_line] = [line for line in lines if line.get("event") == "unhandled error"]
    assert crash_line["exception"][0]["exc_type"] == "RuntimeError"
    assert "postgresql://jury:***@base.invalid/jury" in crash_line["exception"][0]["exc_value"]
    assert_no_secret(text, found)


async def test_startup_with_a_database_password_logs_no_password(
    demo: Demo, captured: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: DATABASE_URL carries the database password; neither a normal startup nor a failed one (whose
    traceback goes through the connection code holding the URL) may print it."""
    url, password = with_password(demo.settings.database_url or "")
    environ = {
        "DATABASE_URL": url,
        "JURY_SECRET_KEY": "k" * 64,
        "JURY_LOG_FORMAT": "json",
        "JURY_DATA_DIR": str(demo.settings.data_dir),
    }
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # What `uvicorn jury.asgi:app` does: import the module, which reads the environment, configures logging
    # and builds the app.
    asgi = (
        importlib.reload(sys.modules["jury.asgi"])
        if "jury.asgi" in sys.modules
        else importlib.import_module("jury.asgi")
    )
    app = asgi.app
    captured.attach()
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/healthz")).status_code == 200

    environ["DATABASE_URL"] = f"postgresql://jury:{password}@127.0.0.1:1/jury"  # nothing listens there
    failing = asgi.make_app(environ)
    captured.attach()
    lifespan = LifespanOn(Config(app=failing, lifespan="on", log_config=None))
    await lifespan.startup()
    assert lifespan.should_exit  # the startup failed, and uvicorn logged why

    lines = captured.lines()
    assert any(line.get("event") == "request" and line["path"] == "/healthz" for line in lines)
    assert any("Application startup failed" in line.get("event", "") for line in lines)
    assert any("127.0.0.1" in json.dumps(line) for line in lines), "the failure's cause must still be logged"
    assert_no_secret(captured.read(), {"database password": password})
