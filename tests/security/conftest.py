"""One demo data set per test module: loading it takes seconds, and these tests only read it (or are refused)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from tests.conftest import create_test_database, drop_test_database, with_database

from jury.app import create_app
from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.demo.loader import DEMO_PASSWORD, load_demo
from jury.settings import Settings, load_settings

EDITION = "made-in-92-2025"
ORGANISER = "claire.vasseur@exemple.fr"
OTHER_ORGANISER = "leila.amrani@exemple.fr"


@dataclass(frozen=True)
class Demo:
    settings: Settings
    edition_id: int
    round_id: int  # the open semi-final of Made in 92 2025
    panel_id: int  # its first panel
    other_panel_id: int  # the other panel of the same round
    juror_id: int  # a plain juror of `panel_id`
    chair_id: int  # the chair of `panel_id`
    other_chair_id: int  # the chair of `other_panel_id`
    candidate_id: int  # assigned to `juror_id`, no conflict declared
    secrets: frozenset[str]  # names and e-mails of the edition's candidates and jurors
    people: dict[int, tuple[str, str]]  # person id → (full name, e-mail)


@pytest.fixture(scope="module")
async def demo_settings(
    pg_admin_url: str, template_database: str, tmp_path_factory
) -> AsyncIterator[Settings]:
    name = await create_test_database(pg_admin_url, template_database)
    url = with_database(pg_admin_url, name)
    settings = load_settings(
        {},
        database_url=url,
        data_dir=Path(tmp_path_factory.mktemp("data")),
        log_format="json",
        sign_in_attempts_per_minute=10_000,
    )
    conn = await asyncpg.connect(url)
    try:
        await load_demo(Database(conn, Queries(settings.queries_dir), clock=system_clock))
    finally:
        await conn.close()
    yield settings
    await drop_test_database(pg_admin_url, name)


@pytest.fixture(scope="module")
async def demo(demo_settings: Settings) -> Demo:
    conn = await asyncpg.connect(demo_settings.database_url)
    try:
        edition_id = await conn.fetchval("select id from editions where slug = $1", EDITION)
        round_id = await conn.fetchval(
            "select id from rounds where edition_id = $1 and status = 'open' order by position limit 1",
            edition_id,
        )
        panel_id, other_panel_id = [
            r["id"]
            for r in await conn.fetch("select id from panels where round_id = $1 order by id", round_id)
        ][:2]
        chairs = {
            r["panel_id"]: r["person_id"]
            for r in await conn.fetch(
                "select panel_id, person_id from panel_members where panel_id = any($1) and role = 'chair'",
                [panel_id, other_panel_id],
            )
        }
        row = await conn.fetchrow(
            "select a.person_id, a.candidate_id from assignments a "
            "join panel_members m on m.panel_id = a.panel_id and m.person_id = a.person_id and m.role <> 'chair' "
            "where a.panel_id = $1 and not exists (select 1 from conflict_declarations d "
            "  where d.round_id = $2 and d.person_id = a.person_id and d.candidate_id = a.candidate_id "
            "  and d.has_conflict) "
            "order by a.person_id, a.candidate_id limit 1",
            panel_id,
            round_id,
        )
        secrets: set[str] = set()
        for r in await conn.fetch(
            "select organisation_name, person_name, email from candidates where edition_id = $1", edition_id
        ):
            secrets.update(v for v in r.values() if v and len(v) > 5)
        people = {
            r["id"]: (r["full_name"], r["email"])
            for r in await conn.fetch(
                "select distinct pe.id, pe.full_name, pe.email from people pe "
                "join panel_members m on m.person_id = pe.id join panels p on p.id = m.panel_id "
                "join rounds r on r.id = p.round_id where r.edition_id = $1",
                edition_id,
            )
        }
        for full_name, email in people.values():
            secrets.update(v for v in (full_name, email) if v)
    finally:
        await conn.close()
    return Demo(
        settings=demo_settings,
        edition_id=edition_id,
        round_id=round_id,
        panel_id=panel_id,
        other_panel_id=other_panel_id,
        juror_id=row["person_id"],
        chair_id=chairs[panel_id],
        other_chair_id=chairs[other_panel_id],
        candidate_id=row["candidate_id"],
        secrets=frozenset(secrets),
        people=people,
    )


async def organiser_client(settings: Settings, email: str) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app(settings))
    await client.__aenter__()
    response = await client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code in (200, 303) and "incorrect" not in response.text
    return client


async def juror_client(settings: Settings, *, edition_id: int, person_id: int) -> AsyncTestClient:
    conn = await asyncpg.connect(settings.database_url)
    try:
        [card] = await issue_codes(
            Database(conn, Queries(settings.queries_dir), clock=system_clock),
            edition_id=edition_id,
            person_ids=[person_id],
        )
    finally:
        await conn.close()
    client = AsyncTestClient(app=create_app(settings))
    await client.__aenter__()
    response = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/jure/")
    return client


async def anonymous_client(settings: Settings) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app(settings))
    await client.__aenter__()
    return client
