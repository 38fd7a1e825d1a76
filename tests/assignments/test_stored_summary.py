"""The assignment page reads the round-wide figures from a summary stored per round (issue 18), and only its
window's rows: what it shows must equal the overview computed from every pair, and every change those
figures depend on must make the stored summary stale (migration 0033's triggers bump the round's version).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable

import msgspec
import pytest
from tests.assignments.conftest import ORGANISER, Edition

from jury.access.identity import Identity
from jury.assignments import service
from jury.assignments.models import HOLES_SHOWN, PairRequest, PlanParameters
from jury.db.queries import Database


async def _identity(db: Database) -> Identity:
    person = await db.conn.fetchval("select id from people where email = $1", ORGANISER)
    return Identity(person_id=person, name="cci", kind="organiser")


async def _version(db: Database, round_id: int) -> int:
    version = await db.conn.fetchval(
        "select version from round_assignment_versions where round_id = $1", round_id
    )
    return version or 0


async def _stored(db: Database, round_id: int) -> list[tuple[int, int]]:
    rows = await db.conn.fetch(
        "select wanted, version from round_assignment_summaries where round_id = $1 order by wanted", round_id
    )
    return [(r["wanted"], r["version"]) for r in rows]


async def assert_page_matches_full_overview(
    db: Database,
    round_id: int,
    *,
    k: int | None = None,
    panel_page: int = 1,
    panels_per_page: int = 1,
    juror_page: int = 1,
) -> None:
    """The page's view (stored summary + window rows) against the JSON mirror's view from every pair."""
    identity = await _identity(db)
    page = await service.page(
        db,
        identity=identity,
        round_id=round_id,
        k=k,
        panel_page=panel_page,
        panels_per_page=panels_per_page,
        juror_page=juror_page,
    )
    full = await service.overview(db, identity=identity, round_id=round_id, k=k)
    view = page.view
    assert (view.k, view.design, view.warnings) == (full.k, full.design, full.warnings)
    assert view.holes == full.holes[:HOLES_SHOWN] and page.hole_total == len(full.holes)
    assert [(p.id, p.name, p.zone, p.ept_codes) for p in view.panels] == [
        (p.id, p.name, p.zone, p.ept_codes) for p in full.panels
    ]
    first = (min(panel_page, -(-len(full.panels) // panels_per_page) or 1) - 1) * panels_per_page
    shown = full.panels[first : first + panels_per_page]
    assert [p for p in view.panels if p.jurors or p.candidates] == [
        p for p in shown if p.jurors or p.candidates
    ]
    in_shown = {c for p in shown for c in p.candidates}
    named = {h.candidate_id for h in full.holes[:HOLES_SHOWN]}
    assert view.candidates == [c for c in full.candidates if c.id in in_shown | named]
    assert view.pairs == [
        p for p in full.pairs if p.panel_id in {s.id for s in shown} or p.candidate_id in in_shown | named
    ]
    columns = {person for p in shown for person in p.jurors}
    assert view.jurors == [j for j in full.jurors if j.person_id in columns | set(page.shown_jurors)]
    assert page.juror_total == len(full.jurors)
    assert page.shown_jurors == [j.person_id for j in full.jurors][(juror_page - 1) * 50 : juror_page * 50]


async def _plan(db: Database, edition: Edition, *, k: int = 3) -> None:
    await service.apply_plan(
        db, identity=await _identity(db), round_id=edition.round, parameters=PlanParameters(k=k)
    )


async def _with_warnings(db: Database, edition: Edition) -> None:
    """Pairs the warnings name: one despite a declared conflict, some in the other panel (one of them the
    same juror and candidate as in the candidate's own panel)."""
    j, c = edition.jurors, edition.candidates
    await db.conn.execute(
        "insert into assignments (panel_id, person_id, candidate_id) "
        "values ($1, $2, $3), ($4, $5, $6), ($7, $5, $8), ($4, $5, $8) on conflict do nothing",
        edition.nord, j["Bruno Petit"], c["Solaris Énergie"],
        edition.sud, j["Gaëlle Bonnet"], c["Asnières Vélo"],
        edition.nord, c["Issy Cloud"],
    )  # fmt: skip


@pytest.mark.parametrize("k", [None, 2, 5, 8])
async def test_the_page_shows_what_every_pair_says_on_each_page(db: Database, edition: Edition, k):
    await assert_page_matches_full_overview(db, edition.round, k=k)  # no pair yet: every candidate a hole
    await _plan(db, edition)
    await _with_warnings(db, edition)
    for panel_page in (1, 2, 3):
        await assert_page_matches_full_overview(db, edition.round, k=k, panel_page=panel_page)
    await assert_page_matches_full_overview(db, edition.round, k=k, panels_per_page=10)
    await assert_page_matches_full_overview(db, edition.final, k=k)


async def test_the_summary_is_stored_per_k_and_read_back_while_nothing_changes(
    db: Database, edition: Edition
):
    await _plan(db, edition)
    version = await _version(db, edition.round)
    assert version > 0
    await assert_page_matches_full_overview(db, edition.round)
    await assert_page_matches_full_overview(db, edition.round, k=4)
    assert await _stored(db, edition.round) == [(0, version), (4, version)]
    # Nothing changed: the next visit reads the stored figures (tampered here to tell them apart).
    await db.conn.execute(
        "update round_assignment_summaries set summary = jsonb_set(summary, '{warnings}', '[\"stored\"]') "
        "where round_id = $1 and wanted = 0",
        edition.round,
    )
    page = await service.page(db, identity=await _identity(db), round_id=edition.round)
    assert page.view.warnings == ["stored"]


async def test_a_summary_computed_at_an_older_version_does_not_replace_a_newer_one(
    db: Database, edition: Edition
):
    await _plan(db, edition)
    await assert_page_matches_full_overview(db, edition.round)
    version = await _version(db, edition.round)
    await db.execute(
        "store_assignment_summary", round_id=edition.round, wanted=0, version=version - 1, summary="{}"
    )
    assert await _stored(db, edition.round) == [(0, version)]
    await assert_page_matches_full_overview(db, edition.round)


Change = Callable[[Database, Edition], Awaitable[object]]


def _sql(statement: str, *names: str) -> Change:
    """A change as one SQL statement; `names` pick its arguments from the edition ("j:" jurors, "c:"
    candidates, else attributes)."""

    async def run(db: Database, edition: Edition) -> None:
        args = []
        for name in names:
            kind, _, key = name.partition(":")
            args.append(
                edition.jurors[key]
                if kind == "j"
                else edition.candidates[key]
                if kind == "c"
                else getattr(edition, name)
            )
        await db.conn.execute(statement, *args)

    return run


CHANGES: dict[str, Change] = {
    "pair added": _sql(
        "insert into assignments (panel_id, person_id, candidate_id) "
        "select pm.panel_id, pm.person_id, cr.candidate_id from panel_members pm "
        "join candidate_rounds cr on cr.panel_id = pm.panel_id where pm.panel_id = $1 "
        "and (pm.person_id, cr.candidate_id) not in (select person_id, candidate_id from assignments) "
        "order by 2, 3 limit 1",
        "sud",
    ),
    "pair removed": _sql(
        "delete from assignments where person_id = $1 and candidate_id = $2", "j:Gaëlle Bonnet", "c:Asnières Vélo"
    ),
    "plan applied again": lambda db, edition: _plan(db, edition, k=2),
    "juror joins a panel": _sql(
        "insert into panel_members (panel_id, person_id) values ($1, $2)", "sud", "j:Alice Martin"
    ),
    "juror leaves a panel": _sql(
        "delete from panel_members where panel_id = $1 and person_id = $2", "sud", "j:Farid Haddad"
    ),
    "chair steps down": _sql("update panel_members set role = 'juror' where panel_id = $1 and role = 'chair'", "nord"),
    "panel renamed": _sql("update panels set name = 'Jury Septentrion' where id = $1", "nord"),
    "panel added": _sql("insert into panels (round_id, name) values ($1, 'Jury Est')", "round"),
    "panel removed": _sql("delete from panels where round_id = $1 and name = 'Jury Ouest'", "round"),
    "candidate withdrawn": _sql(
        "update candidate_rounds set status = 'withdrawn' where candidate_id = $1", "c:Rueil Bio"
    ),
    "candidate moved to the other panel": _sql(
        "update candidate_rounds set panel_id = $1 where candidate_id = $2", "sud", "c:Rueil Bio"
    ),
    "candidate left the round": _sql("delete from candidate_rounds where candidate_id = $1", "c:Rueil Bio"),
    "conflict declared": _sql(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Cousin')",
        "round", "j:Chloé Roux", "c:Rueil Bio",
    ),
    "conflict withdrawn": _sql(
        "update conflict_declarations set has_conflict = false, reason = '' "
        "where person_id = $1 and candidate_id = $2",
        "j:Bruno Petit", "c:Solaris Énergie",
    ),
    "conflict erased": _sql(
        "delete from conflict_declarations where person_id = $1 and candidate_id = $2",
        "j:Bruno Petit", "c:Solaris Énergie",
    ),
    "candidate renamed": _sql(
        "update candidates set organisation_name = 'Solaris Soleil' where id = $1", "c:Solaris Énergie"
    ),
    "candidate's commune changed": _sql(
        "update candidates set insee_code = '92002' where id = $1", "c:Solaris Énergie"
    ),
    "juror renamed": _sql("update people set full_name = 'Bruno Grand' where id = $1", "j:Bruno Petit"),
    "zone redrawn": _sql(
        "update zones set ept_codes = array['T4'] where id = (select zone_id from panels where id = $1)", "nord"
    ),
    "commune moved to another EPT": _sql(
        "update communes set ept_code = 'T2' where insee_code = "
        "(select insee_code from candidates where id = $1)",
        "c:Solaris Énergie",
    ),
    "round's kind changed": _sql("update rounds set kind = 'preselection' where id = $1", "round"),
}  # fmt: skip

UNCHANGED: dict[str, Change] = {
    "no conflict declared": _sql(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict) "
        "values ($1, $2, $3, false)",
        "round", "j:Chloé Roux", "c:Rueil Bio",
    ),
    "round opened": _sql("update rounds set status = 'open' where id = $1", "round"),
    "candidate advanced": _sql(
        "update candidate_rounds set status = 'advanced' where candidate_id = $1", "c:Rueil Bio"
    ),
    "juror's password changed": _sql("update people set password_hash = 'x' where id = $1", "j:Bruno Petit"),
    "panel of another round renamed": _sql("update panels set name = 'Grand jury final' where id = $1", "grand_jury"),
}  # fmt: skip


@pytest.mark.parametrize("change", list(CHANGES))
async def test_each_change_the_figures_depend_on_makes_the_stored_summary_stale(
    db: Database, edition: Edition, change: str
):
    await _plan(db, edition)
    await _with_warnings(db, edition)
    await db.conn.execute("insert into panels (round_id, name) values ($1, 'Jury Ouest')", edition.round)
    await assert_page_matches_full_overview(db, edition.round)
    before = await _version(db, edition.round)
    assert await _stored(db, edition.round) == [(0, before)]

    await CHANGES[change](db, edition)

    assert await _version(db, edition.round) > before
    await assert_page_matches_full_overview(db, edition.round)
    await assert_page_matches_full_overview(db, edition.round, panel_page=2)
    assert await _stored(db, edition.round) == [(0, await _version(db, edition.round))]


@pytest.mark.parametrize("change", list(UNCHANGED))
async def test_changes_the_figures_do_not_depend_on_keep_the_stored_summary(
    db: Database, edition: Edition, change: str
):
    await _plan(db, edition)
    await assert_page_matches_full_overview(db, edition.round)
    before = await _version(db, edition.round)

    await UNCHANGED[change](db, edition)

    assert await _version(db, edition.round) == before
    assert await _stored(db, edition.round) == [(0, before)]
    await assert_page_matches_full_overview(db, edition.round)


async def test_rows_moved_to_another_round_or_candidate_bump_every_round_they_touch(
    db: Database, edition: Edition
):
    await _plan(db, edition)
    semi, final = await _version(db, edition.round), await _version(db, edition.final)
    await db.conn.execute(
        "update candidate_rounds set round_id = $1, panel_id = $2 where candidate_id = $3",
        edition.final, edition.grand_jury, edition.candidates["Rueil Bio"],
    )  # fmt: skip
    assert (await _version(db, edition.round), await _version(db, edition.final)) == (semi + 1, final + 1)
    await db.conn.execute(
        "update conflict_declarations set candidate_id = $1 where person_id = $2 and candidate_id = $3",
        edition.candidates["Clichy Textile"], edition.jurors["Bruno Petit"], edition.candidates["Solaris Énergie"],
    )  # fmt: skip
    assert await _version(db, edition.round) == semi + 2
    await assert_page_matches_full_overview(db, edition.round)
    await assert_page_matches_full_overview(db, edition.final)


async def test_a_change_rolled_back_leaves_the_version_as_it_was(db: Database, edition: Edition):
    await _plan(db, edition)
    before = await _version(db, edition.round)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await CHANGES["pair added"](db, edition)
            raise RuntimeError
    assert await _version(db, edition.round) == before


async def test_hand_edits_through_the_page_change_the_figures_on_the_next_visit(
    organiser, db: Database, edition: Edition
):
    await _plan(db, edition)
    url = f"/organisation/rounds/{edition.round}/affectations"
    first = html.unescape((await organiser.get(url)).text)
    assert "Aucun : chaque candidat a au moins 3 jurés." in first
    pair = await db.conn.fetchrow(
        "select a.person_id, a.candidate_id from assignments a where a.panel_id = $1 "
        "order by a.person_id, a.candidate_id limit 1",
        edition.nord,
    )
    name = edition.candidate_name(pair["candidate_id"])

    removed = await organiser.post(f"{url}/retrait", data=dict(pair))
    after_removal = html.unescape(removed.text)
    assert "Affectation retirée." in after_removal
    assert re.search(rf"<td>{re.escape(name)}</td>\s*<td>Jury Nord</td>\s*<td>2 / 3</td>", after_removal)
    assert "Aucun : chaque candidat" not in after_removal

    added = await organiser.post(f"{url}/ajout", data=dict(pair))
    after_adding = html.unescape(added.text)
    assert "Affectation ajoutée." in after_adding
    assert "Aucun : chaque candidat a au moins 3 jurés." in after_adding
    await assert_page_matches_full_overview(db, edition.round)


async def test_hand_edits_through_the_api_and_a_declared_conflict_show_on_the_next_visit(
    organiser, db: Database, edition: Edition
):
    await _plan(db, edition)
    url = f"/organisation/rounds/{edition.round}/affectations"
    assert "malgré un conflit" not in html.unescape((await organiser.get(url)).text)
    pair = await db.conn.fetchrow(
        "select a.person_id, a.candidate_id from assignments a where a.panel_id = $1 "
        "order by a.person_id, a.candidate_id limit 1",
        edition.sud,
    )
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Voisin')",
        edition.round, pair["person_id"], pair["candidate_id"],
    )  # fmt: skip
    juror, name = edition.juror_name(pair["person_id"]), edition.candidate_name(pair["candidate_id"])
    warned = html.unescape((await organiser.get(url)).text)
    assert f"{juror} est affecté à « {name} » malgré un conflit d'intérêts déclaré" in warned

    removed = await organiser.delete(f"/api/rounds/{edition.round}/assignments/pairs", params=dict(pair))
    assert removed.status_code == 200
    assert "malgré un conflit" not in html.unescape((await organiser.get(url)).text)
    await assert_page_matches_full_overview(db, edition.round)


async def test_the_plan_preview_page_still_reads_the_whole_round(db: Database, edition: Edition):
    await _plan(db, edition)
    await service.add_pair(
        db,
        identity=await _identity(db),
        round_id=edition.round,
        pair=PairRequest(
            person_id=edition.jurors["Hugo Lambert"], candidate_id=edition.candidates["Issy Cloud"]
        ),
    )
    identity = await _identity(db)
    plan = PlanParameters(k=3)
    previewed = await service.page(db, identity=identity, round_id=edition.round, k=3, plan=plan)
    stored = await service.page(db, identity=identity, round_id=edition.round, k=3)
    assert previewed.preview is not None and stored.preview is None
    assert msgspec.to_builtins(previewed.view.design) == msgspec.to_builtins(stored.view.design)
    assert (previewed.view.holes, previewed.hole_total) == (stored.view.holes, stored.hole_total)
    assert previewed.view.warnings == stored.view.warnings
