"""Small factories shared by tests: they insert through the real services and sign in for real."""

from __future__ import annotations

import datetime as dt
import socket

from tests import factories

from jury.auth.service import create_organiser
from jury.db.queries import Database

PASSWORD = "mot-de-passe-solide"

TEST_NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
"""The instant of the `clock` fixture: tests that compute dates from \"now\" start from this one."""

TEST_AUDIT_KEY = "clé-d-audit-des-tests-" + "0" * 32
"""The audit key of the test settings, the `db` fixture and the `jury` processes tests start
(`JURY_AUDIT_KEY`), so that all of them hash and verify the chain alike."""


async def make_contest(db: Database, *, slug: str = "made-in-92", kind: str = "company") -> int:
    return await factories.contest(db, slug=slug, kind=kind)


async def make_organiser(db: Database, *, email: str, contests: list[str], admin: bool = False) -> int:
    return await create_organiser(
        db,
        full_name=email.split("@")[0],
        email=email,
        password=PASSWORD,
        contest_slugs=contests,
        is_admin=admin,
    )


async def sign_in(client, *, email: str, password: str = PASSWORD) -> None:
    response = await client.post("/connexion", data={"email": email, "password": password})
    assert response.status_code in (200, 303) and "incorrect" not in response.text


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
