"""The demo data: what it contains, that loading it twice changes nothing, and that it is reproducible.

Most checks only read, so they share one database loaded once for the module; the idempotency test needs
its own fresh database and, loading the same seed there, also proves two loads give identical rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from tests.helpers import TEST_NOW

from jury.clock import fixed_clock
from jury.db.queries import Database, Queries
from jury.demo import DemoSummary, load_demo, load_demo_with_url
from jury.settings import PROJECT_ROOT

CONTESTS = ["gateau-des-hauts-de-seine", "made-in-92", "progress"]
EDITIONS = [
    "made-in-92-2024",
    "made-in-92-2025",
    "gateau-des-hauts-de-seine-2023",
    "gateau-des-hauts-de-seine-2025",
    "progress-2023",
    "progress-2024",
]
DECIDED = {"made-in-92-2024", "gateau-des-hauts-de-seine-2023", "progress-2023"}
# Computed once from seed 92 and written down: if the generator changes, these change, on purpose.
# slug: (candidates, submitted sheets, draft sheets)
COUNTS = {
    "made-in-92-2024": (40, 316, 0),
    "made-in-92-2025": (40, 208, 6),
    "gateau-des-hauts-de-seine-2023": (12, 108, 0),
    "gateau-des-hauts-de-seine-2025": (14, 50, 4),
    "progress-2023": (24, 88, 0),
    "progress-2024": (20, 40, 4),
}
DECIDED_VALUES_SUM = Decimal("19624.50")

TABLES = [
    "contests",
    "editions",
    "signatories",
    "zones",
    "categories",
    "criteria",
    "prizes",
    "rounds",
    "panels",
    "people",
    "organisers",
    "panel_members",
    "candidates",
    "candidate_rounds",
    "assignments",
    "conflict_declarations",
    "score_sheets",
    "sheet_scores",
    "decisions",
    "awards",
]

# Everything that matters, by natural keys (never ids or insertion times), so two databases compare.
FINGERPRINT = """
select md5(string_agg(line, E'\\n' order by line)) from (
    select concat_ws('|', e.slug, c.organisation_name, c.person_name, c.email, c.insee_code, c.legal_form,
                     c.founded_on, c.requested_eur, c.entry_number, c.creation_name) as line
    from candidates c join editions e on e.id = c.edition_id
    union all
    select concat_ws('|', e.slug, r.position, p.email, c.organisation_name, c.person_name, s.status,
                     s.comment, s.submitted_at, s.idempotency_key, k.code, v.value)
    from sheet_scores v
    join score_sheets s on s.id = v.sheet_id
    join criteria k on k.id = v.criterion_id
    join rounds r on r.id = s.round_id join editions e on e.id = r.edition_id
    join people p on p.id = s.person_id join candidates c on c.id = s.candidate_id
    union all
    select concat_ws('|', e.slug, z.code, c.organisation_name, c.person_name, a.granted_eur, d.reason)
    from awards a join prizes z on z.id = a.prize_id join editions e on e.id = z.edition_id
    join candidates c on c.id = a.candidate_id join decisions d on d.id = a.decision_id
) lines
"""


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


async def _counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {table: await conn.fetchval(f"select count(*) from {table}") for table in TABLES}


@pytest.fixture(scope="module")
async def loaded(pg_admin_url: str, template_database: str) -> AsyncIterator[tuple[Database, DemoSummary]]:
    """One database with the demo, shared by the read-only tests of this module."""
    name = f"t_demo_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_admin_url)
    await admin.execute(f'create database "{name}" template "{template_database}" strategy file_copy')
    conn = await asyncpg.connect(_with_database(pg_admin_url, name))
    try:
        db = Database(conn, Queries(PROJECT_ROOT / "sql" / "queries"), clock=fixed_clock(TEST_NOW))
        yield db, await load_demo(db)
    finally:
        await conn.close()
        await admin.execute(f'drop database if exists "{name}" with (force)')
        await admin.close()


async def test_loading_creates_the_three_contests_and_six_editions(loaded):
    db, summary = loaded
    assert sorted(summary.contests_created) == CONTESTS
    assert sorted(summary.editions_created) == sorted(EDITIONS)
    assert summary.contests_present == summary.editions_present == []
    assert await db.conn.fetchval("select array_agg(slug order by slug) from contests") == CONTESTS
    assert await db.conn.fetchval("select array_agg(slug order by slug) from editions") == sorted(EDITIONS)
    decided = await db.conn.fetchval(
        "select array_agg(slug order by slug) from editions where status = 'decided'"
    )
    assert set(decided) == DECIDED
    # three organisers, one per contest, without password
    rows = await db.conn.fetch(
        "select o.contest_id, p.password_hash from organisers o join people p on p.id = o.person_id"
    )
    assert len(rows) == 3 and all(r["password_hash"].startswith("$argon2id$") for r in rows)


async def test_counts_per_edition_are_the_recorded_ones(loaded):
    db, summary = loaded
    rows = await db.conn.fetch(
        """
        select e.slug,
               (select count(*) from candidates c where c.edition_id = e.id) as candidates,
               count(s.id) filter (where s.status = 'submitted') as submitted,
               count(s.id) filter (where s.status = 'draft') as drafts
        from editions e
        left join rounds r on r.edition_id = e.id
        left join score_sheets s on s.round_id = r.id
        group by e.id
        """
    )
    assert {r["slug"]: (r["candidates"], r["submitted"], r["drafts"]) for r in rows} == COUNTS
    for slug, (candidates, submitted, drafts) in COUNTS.items():
        counts = summary.created[slug]
        assert (counts.candidates, counts.sheets_submitted, counts.sheets_draft) == (
            candidates,
            submitted,
            drafts,
        )
    total = await db.conn.fetchval(
        """
        select sum(v.value) from sheet_scores v join score_sheets s on s.id = v.sheet_id
        join rounds r on r.id = s.round_id join editions e on e.id = r.edition_id
        where e.status = 'decided'
        """
    )
    assert total == DECIDED_VALUES_SUM


async def test_every_mark_is_on_its_criterion_scale_and_submitted_sheets_are_complete(loaded):
    db, _ = loaded
    off_scale = await db.conn.fetchval(
        """
        select count(*) from sheet_scores v join criteria k on k.id = v.criterion_id
        where v.value < k.scale_min or v.value > k.scale_max or mod(v.value - k.scale_min, k.scale_step) <> 0
        """
    )
    assert off_scale == 0
    incomplete = await db.conn.fetchval(
        """
        select count(*) from score_sheets s
        join candidates c on c.id = s.candidate_id
        where s.status = 'submitted'
          and (select count(*) from sheet_scores v where v.sheet_id = s.id and v.value is not null)
              <> (select count(*) from criteria k where k.category_id = c.category_id)
        """
    )
    assert incomplete == 0
    # every sheet belongs to an assignment, and closed rounds have no drafts left
    assert (
        await db.conn.fetchval(
            """
        select count(*) from score_sheets s
        where not exists (select 1 from assignments a where a.panel_id = s.panel_id
                          and a.person_id = s.person_id and a.candidate_id = s.candidate_id)
        """
        )
        == 0
    )
    assert (
        await db.conn.fetchval(
            "select count(*) from score_sheets s join rounds r on r.id = s.round_id "
            "where r.status = 'closed' and s.status = 'draft'"
        )
        == 0
    )


async def test_weights_match_the_grids(loaded):
    db, _ = loaded
    rows = await db.conn.fetch(
        """
        select e.slug, cat.code, array_agg(k.weight::int order by k.position) as weights,
               array_agg(distinct k.scale_step) as steps
        from criteria k join categories cat on cat.id = k.category_id join editions e on e.id = cat.edition_id
        group by e.slug, cat.code
        """
    )
    for row in rows:
        if row["slug"].startswith("made-in-92"):
            assert row["weights"] == [20, 25, 20, 15, 10, 10] and row["steps"] == [1]
        elif row["slug"].startswith("gateau"):
            assert row["weights"] == [35, 15, 15, 15, 10, 10] and row["steps"] == [Decimal("0.5")]
        else:
            assert row["weights"] == [25, 20, 20, 15, 10, 10] and row["steps"] == [1]
    made_in_92_categories = await db.conn.fetchval(
        "select count(*) from categories c join editions e on e.id = c.edition_id where e.slug = 'made-in-92-2024'"
    )
    assert made_in_92_categories == 5


async def test_decided_editions_award_every_prize_once(loaded):
    db, _ = loaded
    rows = await db.conn.fetch(
        """
        select e.slug, z.kind, z.code, count(a.id) as awards, bool_and(a.decided_on = e.decision_on) as on_time,
               bool_and(d.kind in ('award', 'laureate')) as decided
        from prizes z join editions e on e.id = z.edition_id
        left join awards a on a.prize_id = z.id left join decisions d on d.id = a.decision_id
        where e.status = 'decided'
        group by e.slug, z.kind, z.code
        """
    )
    by_edition: dict[str, dict[str, int]] = {}
    for row in rows:
        by_edition.setdefault(row["slug"], {})[row["code"]] = row["awards"]
        assert row["on_time"] and row["decided"]
    assert by_edition["made-in-92-2024"] == {
        "transition-energetique": 1,
        "sante-sport-bien-etre": 1,
        "gastronomie-culture-tourisme": 1,
        "innovation-educative": 1,
        "entrepreneuriat-feminin": 1,
        "special": 1,
    }
    assert by_edition["gateau-des-hauts-de-seine-2023"] == {
        "premier-prix": 1,
        "deuxieme-prix": 1,
        "troisieme-prix": 1,
    }
    assert by_edition["progress-2023"]["laureat"] >= 5
    # no candidate holds two prizes, and every category prize went to a finalist of that category
    assert (
        await db.conn.fetchval(
            "select count(*) from (select candidate_id from awards group by candidate_id having count(*) > 1) t"
        )
        == 0
    )
    assert (
        await db.conn.fetchval(
            """
        select count(*) from awards a join prizes z on z.id = a.prize_id join candidates c on c.id = a.candidate_id
        join editions e on e.id = z.edition_id
        where z.kind = 'category' and c.category_id <> z.category_id
           or not exists (select 1 from candidate_rounds cr join rounds r on r.id = cr.round_id
                          where cr.candidate_id = c.id and r.kind in ('final', 'tasting', 'committee')
                            and cr.status = 'laureate')
        """
        )
        == 0
    )
    # the current editions have decided nothing
    assert (
        await db.conn.fetchval(
            "select count(*) from awards a join prizes z on z.id = a.prize_id join editions e on e.id = z.edition_id "
            "where e.status <> 'decided'"
        )
        == 0
    )


async def test_progress_grants_stay_within_the_rules(loaded):
    db, _ = loaded
    row = await db.conn.fetchrow(
        """
        select sum(a.granted_eur) as total, bool_and(a.granted_eur > 0 and a.granted_eur <= c.requested_eur
                                                    and c.requested_eur <= e.max_grant_eur) as each_ok,
               max(e.budget_eur) as budget
        from awards a join candidates c on c.id = a.candidate_id join editions e on e.id = c.edition_id
        where e.slug = 'progress-2023'
        """
    )
    assert row["each_ok"] and 0 < row["total"] <= row["budget"] == 100_000
    assert await db.conn.fetchval(
        "select bool_and(requested_eur <= 15000) from candidates c join editions e on e.id = c.edition_id "
        "where e.slug like 'progress-%'"
    )
    ineligible = await db.conn.fetch(
        """
        select c.legal_form, cr.reason, e.eligible_legal_forms
        from candidate_rounds cr join rounds r on r.id = cr.round_id join candidates c on c.id = cr.candidate_id
        join editions e on e.id = r.edition_id
        where e.slug = 'progress-2023' and r.kind = 'eligibility' and cr.status = 'ineligible'
        """
    )
    assert 1 <= len(ineligible) <= 2
    for row in ineligible:
        assert row["legal_form"] not in row["eligible_legal_forms"] and "Forme juridique" in row["reason"]
    # the ineligible never reach the committee
    assert (
        await db.conn.fetchval(
            """
        select count(*) from candidate_rounds cr join rounds r on r.id = cr.round_id
        where r.kind = 'committee' and cr.candidate_id in (
            select candidate_id from candidate_rounds where status = 'ineligible')
        """
        )
        == 0
    )


async def test_conflicted_pairs_are_neither_assigned_nor_scored(loaded):
    db, _ = loaded
    conflicts = await db.conn.fetch(
        "select d.round_id, d.person_id, d.candidate_id, d.reason from conflict_declarations d where d.has_conflict"
    )
    assert len(conflicts) == 5  # two in Made in 92 2024, one in 2025, one per Progr'ESS edition
    assert all(c["reason"].strip() for c in conflicts)
    assert (
        await db.conn.fetchval(
            """
        select count(*) from conflict_declarations d
        join panels p on p.round_id = d.round_id
        where d.has_conflict and (
            exists (select 1 from score_sheets s where s.round_id = d.round_id and s.person_id = d.person_id
                    and s.candidate_id = d.candidate_id)
            or exists (select 1 from assignments a where a.panel_id = p.id and a.person_id = d.person_id
                       and a.candidate_id = d.candidate_id))
        """
        )
        == 0
    )
    # every other opened sheet was preceded by an « aucun conflit » declaration
    assert (
        await db.conn.fetchval(
            """
        select count(*) from score_sheets s
        where not exists (select 1 from conflict_declarations d where d.round_id = s.round_id
                          and d.person_id = s.person_id and d.candidate_id = s.candidate_id
                          and not d.has_conflict)
        """
        )
        == 0
    )


async def test_made_in_92_semi_finals_are_bridged_and_fully_assigned(loaded):
    db, _ = loaded
    for slug in ("made-in-92-2024", "made-in-92-2025"):
        panels = await db.conn.fetch(
            """
            select p.id, p.name, z.ept_codes,
                   (select count(*) from panel_members m where m.panel_id = p.id and m.role = 'chair') as chairs
            from panels p join rounds r on r.id = p.round_id join editions e on e.id = r.edition_id
            join zones z on z.id = p.zone_id
            where e.slug = $1 and r.kind = 'semi_final' order by p.name
            """,
            slug,
        )
        assert [p["name"] for p in panels] == ["Demi-finale Nord", "Demi-finale Sud"]
        assert [sorted(p["ept_codes"]) for p in panels] == [["T4", "T5"], ["T2", "T3"]]
        assert all(p["chairs"] == 1 for p in panels)
        bridges = await db.conn.fetch(
            """
            select m.person_id, array_agg((select count(*) from assignments a where a.panel_id = m.panel_id
                                            and a.person_id = m.person_id)) as loads
            from panel_members m where m.panel_id = any($1::int[])
            group by m.person_id having count(*) = 2
            """,
            [p["id"] for p in panels],
        )
        assert len(bridges) >= 2
        assert all(min(b["loads"]) >= 8 for b in bridges)
        # 4 jurors per candidate, each in the candidate's own panel, and the candidate's commune in its zone
        wrong = await db.conn.fetchval(
            """
            select count(*) from candidate_rounds cr join panels p on p.id = cr.panel_id
            join zones z on z.id = p.zone_id join candidates c on c.id = cr.candidate_id
            join communes m on m.insee_code = c.insee_code
            where p.id = any($1::int[]) and (
                m.ept_code <> all(z.ept_codes)
                or (select count(*) from assignments a where a.panel_id = p.id and a.candidate_id = c.id) <> 4)
            """,
            [p["id"] for p in panels],
        )
        assert wrong == 0


async def test_candidates_are_real_communes_and_young_companies(loaded):
    db, _ = loaded
    assert (
        await db.conn.fetchval(
            "select count(*) from candidates c left join communes m on m.insee_code = c.insee_code "
            "where m.insee_code is null or m.department_code <> '92'"
        )
        == 0
    )
    assert (
        await db.conn.fetchval(
            "select count(distinct insee_code) from candidates c join editions e on e.id = c.edition_id "
            "where e.slug = 'made-in-92-2024'"
        )
        >= 30
    )
    assert (
        await db.conn.fetchval(
            """
        select count(*) from candidates c join editions e on e.id = c.edition_id
        where e.max_company_age_years is not null
          and (c.founded_on is null or c.founded_on <= e.closes_on - make_interval(years => e.max_company_age_years)
               or c.founded_on > e.closes_on)
        """
        )
        == 0
    )
    assert (
        await db.conn.fetchval("select count(*) from candidates where email !~ '@exemple\\.(fr|org)$'") == 0
    )


async def test_gateau_is_blind_chaired_by_a_mof_and_half_professional(loaded):
    db, _ = loaded
    for slug in ("gateau-des-hauts-de-seine-2023", "gateau-des-hauts-de-seine-2025"):
        row = await db.conn.fetchrow(
            """
            select r.blind, r.kind,
                   (select p.title from panel_members m join people p on p.id = m.person_id
                    where m.panel_id = pa.id and m.role = 'chair') as chair_title,
                   (select count(*) filter (where m.is_professional) * 2 - count(*)
                    from panel_members m where m.panel_id = pa.id) as professional_surplus,
                   (select array_agg(entry_number order by entry_number) from candidates c
                    where c.edition_id = e.id) as numbers,
                   (select bool_and(creation_name <> '') from candidates c where c.edition_id = e.id) as named
            from editions e join rounds r on r.edition_id = e.id join panels pa on pa.round_id = r.id
            where e.slug = $1
            """,
            slug,
        )
        assert row["blind"] and row["kind"] == "tasting" and row["named"]
        assert row["chair_title"] == "Meilleur Ouvrier de France pâtissier"
        assert row["professional_surplus"] == 0
        assert row["numbers"] == list(range(1, len(row["numbers"]) + 1))


async def test_every_edition_has_signatories_and_decided_ones_a_decision_date(loaded):
    db, _ = loaded
    rows = await db.conn.fetch(
        """
        select e.slug, e.status, e.decision_on, e.place, array_agg(s.full_name order by s.position) as names
        from editions e left join signatories s on s.edition_id = e.id group by e.id
        """
    )
    for row in rows:
        assert "Georges Siffredi" in row["names"] and row["place"] == "Nanterre"
        assert (row["decision_on"] is not None) == (row["status"] == "decided")
        if row["slug"].startswith("gateau"):
            assert "Stéphane Glacier" in row["names"]
        if row["slug"].startswith("made-in-92"):
            assert len(row["names"]) == 2


async def test_second_load_is_a_no_op_and_data_is_reproducible(settings, db, loaded):
    first = await load_demo_with_url(settings)
    assert sorted(first.editions_created) == sorted(EDITIONS)
    before = await _counts(db.conn)
    second = await load_demo(db)
    assert await _counts(db.conn) == before
    assert sorted(second.editions_present) == sorted(EDITIONS) and second.editions_created == []
    assert sorted(second.contests_present) == CONTESTS and second.contests_created == []
    assert second.created == {} and second.people_created == 0 and not second.changed
    # a separate fresh database loaded with the same seed holds the very same data
    other, _ = loaded
    assert await db.conn.fetchval(FINGERPRINT) == await other.conn.fetchval(FINGERPRINT)


async def test_a_missing_edition_is_added_back_alone(db):
    await load_demo(db)
    # score_sheets.round_id does not cascade: an edition with sheets goes only once its sheets have gone
    await db.conn.execute(
        "delete from score_sheets where round_id in "
        "(select r.id from rounds r join editions e on e.id = r.edition_id where e.slug = 'progress-2024')"
    )
    await db.conn.execute("delete from editions where slug = 'progress-2024'")
    again = await load_demo(db)
    assert again.editions_created == ["progress-2024"]
    assert again.people_created == 0  # its committee already existed
    assert again.created["progress-2024"].candidates == 20


async def test_demo_organisers_can_sign_in_with_the_documented_password(client, db):
    from jury.demo.loader import DEMO_PASSWORD, load_demo

    await load_demo(db)
    response = await client.post(
        "/connexion",
        data={"email": "claire.vasseur@exemple.fr", "password": DEMO_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = await client.get("/organisation/")
    assert "Made in 92" in page.text and "progress-2023" not in page.text
