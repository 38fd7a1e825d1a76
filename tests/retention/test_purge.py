"""Purging an ended edition: what goes, what stays, when it is refused, and that the chain survives."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.retention.world import make_world

from jury.audit.service import append_event, verify
from jury.errors import Conflict
from jury.retention.service import PLACEHOLDER, add_months, purge_personal_data, retention_start

NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)


async def purge(db, **kwargs):
    async with db.transaction():
        return await purge_personal_data(db, now=NOW, **kwargs)


async def snapshot(db, world) -> dict:
    """Everything a purge must keep, to compare before and after."""
    conn = db.conn
    return {
        "scores": await conn.fetch(
            "select ss.sheet_id, ss.criterion_id, ss.value from sheet_scores ss "
            "join score_sheets s on s.id = ss.sheet_id where s.round_id = $1 order by 1, 2",
            world.round,
        ),
        "sheets": await conn.fetch(
            "select id, status, abstained, submitted_at from score_sheets where round_id = $1 order by id",
            world.round,
        ),
        "decisions": await conn.fetch(
            "select * from decisions where edition_id = $1 order by id", world.edition
        ),
        "awards": await conn.fetch("select * from awards order by id"),
        "candidate_rounds": await conn.fetch(
            "select * from candidate_rounds where round_id = $1 order by candidate_id", world.round
        ),
        "kept_candidate_fields": await conn.fetch(
            "select id, organisation_name, entry_number, category_id, siret, project_title from candidates "
            "where edition_id = $1 order by id",
            world.edition,
        ),
        "notes": await conn.fetchval(
            "select count(*) from deliberation_notes where round_id = $1", world.round
        ),
        "conflicts": await conn.fetch(
            "select person_id, candidate_id, has_conflict from conflict_declarations where round_id = $1",
            world.round,
        ),
    }


def test_periods_end_on_the_same_day_or_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2024, 6, 15), 24) == dt.date(2026, 6, 15)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)


def test_the_period_starts_at_the_decision_else_when_the_last_round_closed():
    moved = dt.datetime(2024, 3, 2, 18, tzinfo=dt.UTC)
    common = {
        "rounds": 2,
        "unclosed_rounds": 0,
        "last_round_move": moved,
        "last_round_day": dt.date(2024, 3, 1),
    }
    assert retention_start(decision_on=dt.date(2024, 5, 1), **common) == dt.date(2024, 5, 1)
    assert retention_start(decision_on=None, **common) == dt.date(2024, 3, 2)
    assert retention_start(decision_on=None, **{**common, "last_round_move": None}) == dt.date(2024, 3, 1)
    assert retention_start(decision_on=None, **{**common, "unclosed_rounds": 1}) is None
    assert retention_start(decision_on=None, **{**common, "rounds": 0, "unclosed_rounds": 0}) is None


async def test_purge_blanks_contacts_and_comments_and_keeps_results_and_laureates(db):
    world = await make_world(db)
    before = await snapshot(db, world)

    report = await purge(db, edition_id=world.edition)

    assert (report.contacts, report.names, report.laureates_kept) == (3, 2, 1)
    assert (report.sheet_comments, report.score_comments, report.notes) == (3, 2, 1)
    assert (report.conflict_reasons, report.submissions, report.access_codes) == (1, 1, 1)
    candidates = {
        r["id"]: r
        for r in await db.conn.fetch(
            "select id, organisation_name, person_name, email, phone from candidates where edition_id = $1",
            world.edition,
        )
    }
    assert all(
        c["email"] == f"purge-{c['id']}@invalid.example" and c["phone"] == "" for c in candidates.values()
    )
    assert candidates[world.laureate]["person_name"] == "Léa Lauréate"  # printed on a public diploma
    assert candidates[world.other]["person_name"] == ""
    assert candidates[world.artisan]["person_name"] == "Candidat n° 3"  # a candidate must keep a name
    assert await snapshot(db, world) == before

    values = []
    for query in (
        "select comment, abstention_reason from score_sheets",
        "select comment from sheet_scores",
        "select text from deliberation_notes",
        "select reason from conflict_declarations",
        "select response from sheet_submissions",
        "select email, phone, person_name from candidates",
    ):
        values += [str(v) for row in await db.conn.fetch(query) for v in row.values()]
    texts = "\n".join(values)
    for secret in ("investie", "touchante", "divorce", "cousin", "Paul", "Marc", "06 12", "exemple.fr"):
        assert secret not in texts
    assert (
        await db.conn.fetchval(
            "select abstention_reason from score_sheets where id = $1", world.sheets[world.artisan]
        )
        == PLACEHOLDER
    )
    assert await db.conn.fetchval("select purged_at from editions where id = $1", world.edition) == NOW
    assert (
        await db.conn.fetchval(
            "select count(*) from access_codes where edition_id = $1 and revoked_at is null", world.edition
        )
        == 0
    )


async def test_the_chain_still_verifies_after_a_purge_which_it_records(db):
    world = await make_world(db)
    await purge(db, edition_id=world.edition)
    report = await verify(db)
    assert report.ok and report.checked == 6
    last = await db.conn.fetchrow(
        "select actor_label, action, target from audit_events order by id desc limit 1"
    )
    assert tuple(last) == ("système:purge", "edition.personal_data_purged", f"edition:{world.slug}")


async def test_a_dry_run_counts_the_same_and_changes_nothing(db):
    world = await make_world(db)
    rows_before = await db.conn.fetch("select * from candidates order by id")
    events_before = await db.conn.fetchval("select count(*) from audit_events")

    dry = await purge(db, edition_id=world.edition, dry_run=True)

    assert dry.dry_run and dry.contacts == 3 and dry.notes == 1
    assert await db.conn.fetch("select * from candidates order by id") == rows_before
    assert await db.conn.fetchval("select count(*) from audit_events") == events_before
    assert await db.conn.fetchval("select purged_at from editions where id = $1", world.edition) is None
    real = await purge(db, edition_id=world.edition)
    assert (real.contacts, real.names, real.notes, real.submissions) == (
        dry.contacts,
        dry.names,
        dry.notes,
        dry.submissions,
    )


async def test_a_second_purge_changes_nothing_more(db):
    world = await make_world(db)
    await purge(db, edition_id=world.edition)
    again = await purge(db, edition_id=world.edition)
    assert (again.contacts, again.names, again.sheet_comments, again.score_comments) == (0, 0, 0, 0)
    assert (again.notes, again.conflict_reasons, again.submissions, again.access_codes) == (0, 0, 0, 0)
    assert (await verify(db)).ok


async def test_purge_is_refused_within_the_period_unless_forced(db):
    world = await make_world(db, decision_on=dt.date(2025, 6, 15))
    with pytest.raises(Conflict, match=r"court jusqu'au 15/06/2027 : purge refusée"):
        await purge(db, edition_id=world.edition)
    assert await db.conn.fetchval("select email from candidates where id = $1", world.laureate) == (
        "contact1@exemple.fr"
    )
    await db.conn.execute("update editions set retention_months = 12 where id = $1", world.edition)
    assert (await purge(db, edition_id=world.edition)).contacts == 3


async def test_an_edition_not_yet_over_is_refused_unless_forced(db):
    world = await make_world(db, decision_on=None, round_status="deliberation")
    with pytest.raises(Conflict, match="n'est pas terminée"):
        await purge(db, edition_id=world.edition)
    forced = await purge(db, edition_id=world.edition, force=True)
    assert forced.forced and forced.contacts == 3


async def test_without_a_decision_date_the_period_runs_from_the_last_round_closure(db):
    # The world's round.moved event was appended now (2026 in this test's clock), so the period has not run.
    world = await make_world(db, decision_on=None)
    with pytest.raises(Conflict, match="purge refusée"):
        await purge(db, edition_id=world.edition)
    later = NOW + dt.timedelta(days=366 * 2 + 1)
    async with db.transaction():
        report = await purge_personal_data(db, edition_id=world.edition, now=later)
    assert report.contacts == 3


async def test_other_editions_are_untouched(db):
    world = await make_world(db)
    other = await make_world(db, year=2024, decision_on=dt.date(2024, 6, 1), tag="b")
    await purge(db, edition_id=world.edition)
    assert await db.conn.fetchval("select email from candidates where id = $1", other.laureate) == (
        "contact1b@exemple.fr"
    )
    assert await db.conn.fetchval("select count(*) from deliberation_notes where text = $1", PLACEHOLDER) == 1
    async with db.transaction():
        await append_event(db, actor_id=None, actor_label="x", action="a", target="t", payload={})
    assert (await verify(db)).ok


async def test_stored_proces_verbaux_of_the_edition_are_deleted_and_no_others(db):
    """A stored procès-verbal prints jurors' names, conflict reasons and notes: the purge deletes it."""
    world = await make_world(db)
    other = await make_world(db, year=2024, decision_on=dt.date(2024, 6, 1), tag="b")
    for w in (world, other):
        await db.conn.execute(
            "insert into minutes_jobs (round_id, panel_id, content_digest, status, pdf) "
            "values ($1, $2, 'd', 'finished', '%PDF-1.7 Juliette Juré')",
            w.round,
            w.panel,
        )
    report = await purge(db, edition_id=world.edition)
    assert report.minutes == 1
    remaining = await db.conn.fetch("select round_id from minutes_jobs")
    assert [r["round_id"] for r in remaining] == [other.round]
