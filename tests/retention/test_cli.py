"""`jury purge` from the command line, and `jury audit verify` after it."""

from __future__ import annotations

import datetime as dt

from tests.audit.test_cli import run_jury
from tests.retention.world import make_world


async def test_purge_refuses_then_simulates_then_purges_and_the_chain_still_verifies(db, database_url):
    recent = await make_world(db, year=2026, decision_on=dt.date.today())
    old = await make_world(db, year=2022, decision_on=dt.date(2022, 6, 1), tag="old")

    refused = await run_jury(database_url, "purge", "--edition", recent.slug)
    assert refused.returncode == 1
    assert "purge refusée" in refused.stderr and "--force" in refused.stderr

    dry = await run_jury(database_url, "purge", "--edition", old.slug, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "simulation" in dry.stdout and "coordonnées de candidats seraient effacés : 3" in dry.stdout
    assert await db.conn.fetchval("select email from candidates where id = $1", old.other) == (
        "contact2old@exemple.fr"
    )

    done = await run_jury(database_url, "purge", "--edition", old.slug)
    assert done.returncode == 0, done.stderr
    assert "coordonnées de candidats effacés : 3" in done.stdout
    assert "lauréats dont le nom est conservé : 1" in done.stdout
    assert await db.conn.fetchval("select email from candidates where id = $1", old.other) == (
        f"purge-{old.other}@invalid.example"
    )

    verified = await run_jury(database_url, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("Chaîne d'audit intègre : 11 événements vérifiés.")


async def test_purge_of_an_unknown_edition_says_so(database_url):
    result = await run_jury(database_url, "purge", "--edition", "inconnue-2020")
    assert result.returncode == 1
    assert "Édition inconnue : inconnue-2020" in result.stderr
