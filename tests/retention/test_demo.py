"""Purging the demo's decided editions: realistic data meets every constraint of the schema."""

from __future__ import annotations

import datetime as dt

from jury.audit.service import verify
from jury.demo import load_demo
from jury.retention.service import edition_id_by_slug, purge_personal_data

DECIDED = ("made-in-92-2024", "gateau-des-hauts-de-seine-2023", "progress-2023")
LATER = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

KEPT = """
select (select sum(value) from sheet_scores), (select count(*) from score_sheets where status = 'submitted'),
       (select count(*) from decisions), (select string_agg(candidate_id || ':' || prize_id, ',' order by id) from awards),
       (select count(*) from candidates), (select count(*) from deliberation_notes)
"""


async def test_the_demo_editions_purge_cleanly_and_keep_their_results(db):
    async with db.transaction():
        await load_demo(db)
    before = await db.conn.fetchrow(KEPT)
    current = await db.conn.fetchval(
        "select count(*) from candidates c join editions e on e.id = c.edition_id "
        "where e.slug not in ($1, $2, $3) and c.email not like 'purge-%'",
        *DECIDED,
    )
    async with db.transaction():
        for slug in DECIDED:
            edition_id = await edition_id_by_slug(db, slug=slug)
            report = await purge_personal_data(db, edition_id=edition_id, now=LATER)
            assert report.contacts > 0 and report.laureates_kept > 0
    assert await db.conn.fetchrow(KEPT) == before
    assert (
        await db.conn.fetchval(
            "select count(*) from candidates c join editions e on e.id = c.edition_id "
            "where e.slug = any($1) and (c.email not like 'purge-%' or c.phone <> '')",
            list(DECIDED),
        )
        == 0
    )
    # The current editions are untouched.
    assert (
        await db.conn.fetchval(
            "select count(*) from candidates c join editions e on e.id = c.edition_id "
            "where e.slug not in ($1, $2, $3) and c.email not like 'purge-%'",
            *DECIDED,
        )
        == current
    )
    assert (await verify(db)).ok
