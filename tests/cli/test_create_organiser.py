"""`jury create-organiser`: the account, its contests, an audit event that names no personal data, and a
clear error (nothing written) for a contest that does not exist."""

from __future__ import annotations

import asyncio

import asyncpg
from click.testing import CliRunner

from jury.access.passwords import verify_password
from jury.audit.service import verify
from jury.cli import main
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import load_settings

EMAIL = "nouvelle.orga@exemple.fr"


async def invoke(database_url: str, *args: str):
    """In a thread: the command runs its own event loop, as it does from a shell."""
    return await asyncio.to_thread(
        CliRunner().invoke,
        main,
        [
            "create-organiser",
            "--email",
            EMAIL,
            "--name",
            "Nouvelle Orga",
            *args,
            "--password",
            "un-mot-de-passe",
        ],
        env={"DATABASE_URL": database_url, "JURY_LOG_FORMAT": "json"},
    )


async def test_creates_the_account_with_its_contests_and_audits_it(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            "insert into contests (slug, name, organisers, candidate_kind) "
            "values ('gateau', 'Gâteau', 'CMA', 'artisan')"
        )
        result = await invoke(database_url, "--contest", "gateau")
        assert result.exit_code == 0, result.output
        person = await conn.fetchrow(
            "select id, full_name, password_hash from people where email = $1", EMAIL
        )
        assert result.output.strip().endswith(f"Organisateur n° {person['id']} : {EMAIL}")
        assert person["full_name"] == "Nouvelle Orga"
        assert verify_password(person["password_hash"], "un-mot-de-passe")
        contests = await conn.fetch(
            "select c.slug from organisers o join contests c on c.id = o.contest_id where o.person_id = $1",
            person["id"],
        )
        assert [r["slug"] for r in contests] == ["gateau"]
        [event] = await conn.fetch("select * from audit_events")
        assert (event["action"], event["target"], event["actor_label"]) == (
            "organiser.upsert",
            f"person:{person['id']}",
            "cli",
        )
        assert EMAIL not in str(dict(event)) and "Nouvelle" not in str(dict(event))
        assert (await verify(Database(conn, Queries(load_settings({}).queries_dir), clock=system_clock))).ok
    finally:
        await conn.close()


async def test_an_unknown_contest_is_refused_and_nothing_is_written(database_url: str) -> None:
    result = await invoke(database_url, "--contest", "inexistant")
    assert result.exit_code == 1
    assert "Concours inconnu : inexistant" in result.output
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("select count(*) from people where email = $1", EMAIL) == 0
        assert await conn.fetchval("select count(*) from audit_events") == 0
    finally:
        await conn.close()
