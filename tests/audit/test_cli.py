"""`jury audit verify`, run as operators run it: a process of its own against DATABASE_URL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from tests.helpers import TEST_AUDIT_KEY

from jury.audit.service import append_event


async def run_jury(
    database_url: str, *args: str, audit_key: str = TEST_AUDIT_KEY
) -> subprocess.CompletedProcess:
    """A `jury` process on the test database, holding the tests' audit key (as the `db` fixture does)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JURY_LOG_FORMAT": "json",
        "JURY_AUDIT_KEY": audit_key,
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "jury", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def append_events(db, count: int) -> list[int]:
    async with db.transaction():
        for n in range(count):
            await append_event(
                db,
                actor_id=None,
                actor_label="système",
                action="test.event",
                target=f"t:{n}",
                payload={"n": n},
            )
    return [r["id"] for r in await db.conn.fetch("select id from audit_events order by id")]


async def test_an_intact_chain_is_reported_with_its_length_and_head(db, database_url):
    await append_events(db, 3)
    head = await db.conn.fetchval("select hash from audit_events order by id desc limit 1")
    result = await run_jury(database_url, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Chaîne d'audit intègre : 3 événements vérifiés.",
        f"Dernier maillon : {head}",
    ]


async def test_an_empty_chain_is_intact(database_url):
    result = await run_jury(database_url, "audit", "verify")
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "Chaîne d'audit intègre : 0 événements vérifiés.",
    )


async def test_a_modified_event_is_named_and_fails(db, database_url):
    ids = await append_events(db, 4)
    await db.conn.execute("alter table audit_events disable trigger audit_events_no_update")
    await db.conn.execute("update audit_events set actor_label = 'quelqu''un' where id = $1", ids[2])
    result = await run_jury(database_url, "audit", "verify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne rompue à l'événement n° {ids[2]} : le contenu de l'événement a été modifié"
    )
    assert "intègre" not in result.stdout


async def test_a_deleted_event_breaks_the_next_link(db, database_url):
    ids = await append_events(db, 4)
    await db.conn.execute("alter table audit_events disable trigger audit_events_no_update")
    await db.conn.execute("delete from audit_events where id = $1", ids[1])
    result = await run_jury(database_url, "audit", "verify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne rompue à l'événement n° {ids[2]} : le maillon précédent manque ou a été modifié"
    )
