"""Standings service against a real PostgreSQL: totals, sections, methods, publication, digests, cache."""

from __future__ import annotations

import msgspec
import pytest
from tests.helpers import make_contest, make_organiser

from jury.access.identity import Identity
from jury.errors import Conflict, Forbidden, Invalid
from jury.results import service
from jury.results.models import StandingResult
from jury.results.normalise import normalise
from jury.scoring.totals import weighted_total

EVIL = '=HYPERLINK("http://evil.example","clic")'


async def organiser(db, email="cci@exemple.fr") -> Identity:
    person = await db.conn.fetchval("select id from people where email = $1", email)
    return Identity(person_id=person, name="CCI", kind="organiser")


def by_name(view, b):
    names = {v: k for k, v in b.candidates.items()}
    return {names[line.candidate_id]: line for line in view.lines}


async def test_totals_are_the_weighted_totals_of_submitted_sheets_only(db, small_round):
    b = small_round
    [section] = await service.read_sections(db, round_id=b.round)
    marks = {(j, c): (t, e) for j, c, t, e in section.observations}
    alice, bruno, chloe = (b.people[n] for n in ("Alice Martin", "Bruno Petit", "Chloé Durand"))
    solaris, ventus, evil = (b.candidates[n] for n in ("Solaris", "Ventus", EVIL))
    # Chloé's abstained sheet (Solaris) and draft sheet (EVIL) are not marks at all.
    assert set(marks) == {
        (alice, solaris),
        (alice, ventus),
        (alice, evil),
        (bruno, solaris),
        (bruno, ventus),
        (bruno, evil),
        (chloe, ventus),
    }
    # By hand: innovation 0–10 weight 2, impact 0–20 weight 1, theme eliminatory (never adds points).
    assert marks[(alice, solaris)][0] == pytest.approx(100 * (2 * 0.8 + 0.5) / 3, abs=1e-12)  # 70
    assert marks[(alice, solaris)][0] == pytest.approx(70.0, abs=1e-12)
    assert marks[(alice, ventus)][0] == pytest.approx(200 / 3, abs=1e-12)
    assert marks[(alice, evil)][0] == pytest.approx(40.0, abs=1e-12)
    assert marks[(bruno, solaris)][0] == pytest.approx(250 / 3, abs=1e-12)
    assert marks[(bruno, ventus)] == (pytest.approx(60.0, abs=1e-12), False)  # innovation abstained
    assert marks[(bruno, evil)] == (pytest.approx(50.0, abs=1e-12), True)  # failed the theme
    assert marks[(chloe, ventus)][0] == pytest.approx(220 / 3, abs=1e-12)
    # And bit for bit what weighted_total gives.
    sheets = {
        (alice, solaris): {"innovation": 8, "impact": 10, "theme": 1},
        (bruno, ventus): {"innovation": None, "impact": 12, "theme": 1},
        (bruno, evil): {"innovation": 6, "impact": 6, "theme": 0},
        (chloe, ventus): {"innovation": 7, "impact": 16, "theme": 1},
    }
    for key, values in sheets.items():
        expected = weighted_total(criteria=b.criteria_of("energie"), values=b.values("energie", values))
        assert marks[key] == (expected.total, expected.eliminated)


async def test_raw_method_ranks_by_mean_total_and_flags_the_eliminatory_candidate(db, small_round):
    b = small_round
    await db.conn.execute("update rounds set method = 'raw' where id = $1", b.round)
    [view] = await service.standings(db, identity=await organiser(db), round_id=b.round, bootstrap=0)
    lines = by_name(view, b)
    assert [line.candidate_id for line in view.lines] == [
        b.candidates[n] for n in ("Solaris", "Ventus", EVIL)
    ]
    assert lines["Solaris"].raw == pytest.approx((70 + 250 / 3) / 2, abs=1e-12)
    assert lines["Ventus"].raw == pytest.approx((200 / 3 + 60 + 220 / 3) / 3, abs=1e-12)
    assert lines[EVIL].raw == pytest.approx(45.0, abs=1e-12)
    assert [(line.marks, line.rank, line.raw_rank) for line in view.lines] == [
        (2, 1, 1),
        (3, 2, 2),
        (2, 3, 3),
    ]
    for line in view.lines:
        assert line.score == pytest.approx(line.raw, abs=1e-12)
    assert [line.eliminated_by for line in view.lines] == [0, 0, 1]
    assert view.method == "raw" and view.seed == b.round and view.top_k == 1
    # Overlaps A–B 3, A–C 1, B–C 1: Laplacian eigenvalues 0, 3, 7; mean load 7/3 → 3 / (7/3) = 1.29.
    assert view.design_message == "Plan connexe : les jurys sont comparables (connectivité 1,29)."
    assert lines[EVIL].name == EVIL and lines["Solaris"].entry_number == 1


async def _bridged(b):
    """Alice sees X and Y, Bruno Y and Z; Alice is 10 points more generous on the shared Y."""
    await b.category("energie", [("note", 0, 100, 1, False)])
    await b.panel("Nord")
    await b.juror("Alice Martin", panels=["Nord"])
    await b.juror("Bruno Petit", panels=["Nord"])
    for name in ("X", "Y", "Z"):
        await b.candidate(name, panel="Nord", category="energie")
    await b.sheet("Alice Martin", "X", {"note": 80})
    await b.sheet("Alice Martin", "Y", {"note": 70})
    await b.sheet("Bruno Petit", "Y", {"note": 60})
    await b.sheet("Bruno Petit", "Z", {"note": 70})


async def test_the_rounds_method_is_respected(db, builder):
    b = builder
    await _bridged(b)
    identity = await organiser(db)
    results = {}
    for method in ("raw", "additive", "affine"):
        await service.set_method(db, identity=identity, round_id=b.round, method=method)
        [view] = await service.standings(db, identity=identity, round_id=b.round, bootstrap=0)
        results[method] = {line.name: line for line in view.lines}
    raw, additive, affine = results["raw"], results["additive"], results["affine"]
    # Raw mean: X 80, Z 70, Y 65 — Z profits from having only the harsh juror... on paper.
    assert {n: line.score for n, line in raw.items()} == pytest.approx({"X": 80.0, "Y": 65.0, "Z": 70.0})
    assert [raw[n].rank for n in "XYZ"] == [1, 3, 2]
    # Additive: Alice +5, Bruno −5 (Σb = 0) → X 75, Y 65, Z 75: Z ties with X.
    assert {n: line.score for n, line in additive.items()} == pytest.approx(
        {"X": 75.0, "Y": 65.0, "Z": 75.0}, abs=1e-9
    )
    assert [additive[n].rank for n in "XYZ"] == [1, 3, 1]
    # Affine: exactly the engine's figures on the same marks.
    engine = normalise(
        [(b.people["Alice Martin"], b.candidates["X"], 80.0), (b.people["Alice Martin"], b.candidates["Y"], 70.0),
         (b.people["Bruno Petit"], b.candidates["Y"], 60.0), (b.people["Bruno Petit"], b.candidates["Z"], 70.0)],
        method="affine", top_k=1, seed=b.round, scale=(0.0, 100.0),
    )  # fmt: skip
    assert {n: line.score for n, line in affine.items()} == {n: engine.scores[b.candidates[n]] for n in "XYZ"}
    assert affine["Z"].raw == 70.0 and affine["Z"].raw_rank == 2
    events = await db.conn.fetch("select action from audit_events where action = 'round.method_changed'")
    assert len(events) == 3


async def test_unknown_method_is_refused_and_a_closed_round_keeps_its_method(db, small_round):
    identity = await organiser(db)
    with pytest.raises(Invalid):
        await service.set_method(db, identity=identity, round_id=small_round.round, method="coin-toss")
    await small_round.set_status("closed")
    with pytest.raises(Conflict):
        await service.set_method(db, identity=identity, round_id=small_round.round, method="raw")
    assert await db.conn.fetchval("select method from rounds where id = $1", small_round.round) == "affine"


async def test_publish_then_recompute_gives_identical_numbers(db, small_round):
    b = small_round
    identity = await organiser(db)
    await b.set_status("deliberation")
    receipt = await service.publish(db, identity=identity, round_id=b.round)
    assert receipt.version == 1 and len(receipt.standings) == 1
    stored = await db.conn.fetchrow("select * from standings where id = $1", receipt.standings[0].id)
    assert stored["method"] == "affine" and stored["seed"] == b.round
    assert stored["parameters"]["bootstrap"] == service.PAGE_BOOTSTRAP
    assert stored["observations"][0][:2] == [b.people["Alice Martin"], b.candidates["Solaris"]]

    # Recompute from the sheets, bypassing the cache: the very same figures, to the last bit.
    [section] = await service.read_sections(db, round_id=b.round)
    assert section.digest == stored["input_digest"]
    [again] = await service.compute(
        db,
        round_id=b.round,
        sections=[section],
        calibration=service.round_calibration(
            await db.conn.fetchrow("select * from rounds where id = $1", b.round), bootstrap=200
        ),
        use_cache=False,
    )
    frozen = msgspec.json.decode(
        await db.conn.fetchval("select result::text from standings where id = $1", stored["id"]),
        type=StandingResult,
    )
    assert again.result == frozen  # every score, rank, interval, probability and diagnostic
    assert frozen.lines[0].low is not None and frozen.lines[0].p_top_k is not None
    assert frozen.parameters["bootstrap"] == 200 and frozen.seed == b.round
    assert [check.same_input and check.same_result for check in
            await service.verify_published(db, identity=identity, round_id=b.round)] == [True]  # fmt: skip
    event = await db.conn.fetchrow(
        "select action, target from audit_events where action = 'standings.published'"
    )
    assert dict(event) == {"action": "standings.published", "target": f"round:{b.round}"}


async def test_a_sheet_change_changes_the_digest(db, small_round):
    b = small_round
    identity = await organiser(db)
    await b.set_status("deliberation")
    await service.publish(db, identity=identity, round_id=b.round)
    published = await db.conn.fetchval("select input_digest from standings where round_id = $1", b.round)
    await db.conn.execute(
        "update sheet_scores set value = 9 where sheet_id = $1 and criterion_id = $2",
        b.sheets[("Alice Martin", "Solaris")],
        b.criteria[b.categories["energie"]]["innovation"]["id"],
    )
    [view] = await service.standings(db, identity=identity, round_id=b.round)
    assert view.input_digest != published
    [check] = await service.verify_published(db, identity=identity, round_id=b.round)
    assert (check.same_input, check.same_result) == (False, False)
    assert check.published_digest == published and check.current_digest == view.input_digest
    # Withdrawing a sheet (back to draft) changes it too.
    await db.conn.execute(
        "update score_sheets set status = 'draft', submitted_at = null where id = $1",
        b.sheets[("Bruno Petit", "Ventus")],
    )
    [later] = await service.read_sections(db, round_id=b.round)
    assert later.digest not in {published, view.input_digest}
    # A second publication is a new version; the first stays as it was.
    receipt = await service.publish(db, identity=identity, round_id=b.round)
    assert receipt.version == 2
    first = await service.published(db, identity=identity, round_id=b.round, version=1)
    assert first.standings[0].input_digest == published


async def test_results_are_cached_per_input_digest(db, small_round):
    b = small_round
    identity = await organiser(db)
    first = await service.standings(db, identity=identity, round_id=b.round)
    key, digest = await db.conn.fetchrow("select cache_key, input_digest from standing_cache")
    assert digest == first[0].input_digest
    # The page reads the cache: a planted marker shows it is used as long as the key is current.
    await db.conn.execute(
        "update standing_cache set result = jsonb_set(result::jsonb, '{seed}', '4242')::json"
    )
    cached = await service.standings(db, identity=identity, round_id=b.round)
    assert cached[0].seed == 4242
    # A changed sheet changes the key: recomputed, and the one cache row replaced.
    await db.conn.execute(
        "update sheet_scores set value = 3 where sheet_id = $1 and criterion_id = $2",
        b.sheets[("Chloé Durand", "Ventus")],
        b.criteria[b.categories["energie"]]["innovation"]["id"],
    )
    fresh = await service.standings(db, identity=identity, round_id=b.round)
    assert fresh[0].seed == b.round
    rows = await db.conn.fetch("select cache_key from standing_cache")
    assert len(rows) == 1 and rows[0]["cache_key"] != key


async def test_publishing_needs_deliberation_and_marks(db, small_round, builder):
    identity = await organiser(db)
    with pytest.raises(Conflict):
        await service.publish(db, identity=identity, round_id=small_round.round)
    await db.conn.execute("update score_sheets set status = 'draft', submitted_at = null")
    await small_round.set_status("deliberation")
    with pytest.raises(Invalid):
        await service.publish(db, identity=identity, round_id=small_round.round)


async def test_sections_are_panel_by_category_and_each_has_its_quota(db, builder):
    b = builder
    await b.category("energie", [("note", 0, 100, 1, False)])
    await b.category("mobilite", [("note", 0, 100, 1, False)])
    await b.panel("Nord")
    await b.panel("Sud")
    await b.juror("Alice Martin", panels=["Nord"])
    await b.juror("Sami Sud", panels=["Sud"])
    await b.candidate("N-energie", panel="Nord", category="energie")
    await b.candidate("N-mobilite", panel="Nord", category="mobilite")
    await b.candidate("S-energie", panel="Sud", category="energie")
    await b.sheet("Alice Martin", "N-energie", {"note": 50})
    await b.sheet("Alice Martin", "N-mobilite", {"note": 60})
    await b.sheet("Sami Sud", "S-energie", {"note": 70})
    views = await service.standings(db, identity=await organiser(db), round_id=b.round, bootstrap=0)
    assert [(v.panel_name, v.category_name, [line.name for line in v.lines]) for v in views] == [
        ("Nord", "Energie", ["N-energie"]),
        ("Nord", "Mobilite", ["N-mobilite"]),
        ("Sud", "Energie", ["S-energie"]),
    ]
    assert all(v.top_k == 1 and v.lines[0].rank == 1 for v in views)
    assert (
        views[0].design_message
        == "Un seul juré : ses notes ne peuvent être comparées à celles d'aucun autre."
    )


async def test_two_unlinked_groups_are_ranked_per_group(db, builder):
    b = builder
    await b.category("energie", [("note", 0, 100, 1, False)])
    await b.panel("Nord")
    for name in ("A", "B", "C", "D"):
        await b.juror(name, panels=["Nord"])
    for name in ("P", "Q", "R", "S"):
        await b.candidate(name, panel="Nord", category="energie")
    for juror, candidate, note in [("A", "P", 60), ("A", "Q", 50), ("B", "P", 62), ("B", "Q", 48),
                                   ("C", "R", 90), ("C", "S", 80), ("D", "R", 88), ("D", "S", 82)]:  # fmt: skip
        await b.sheet(juror, candidate, {"note": note})
    [view] = await service.standings(db, identity=await organiser(db), round_id=b.round, bootstrap=0)
    assert view.design_message == (
        "Deux groupes de jurés sans candidat commun : pas de classement global ; classement par groupe."
    )
    assert not view.global_ranking
    assert sorted((line.component, line.rank, line.name) for line in view.lines) == [
        (0, 1, "P"), (0, 2, "Q"), (1, 1, "R"), (1, 2, "S")
    ]  # fmt: skip


async def test_values_for_another_categorys_criteria_are_refused(db, small_round):
    b = small_round
    other = await b.category("mobilite", [("note", 0, 100, 1, False)])
    row = b.criteria[other]["note"]
    await db.conn.execute(
        "insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value) values ($1, $2, $3, $4, 5)",
        b.sheets[("Alice Martin", "Solaris")],
        row["id"],
        row["scale_min"],
        row["scale_max"],
    )
    with pytest.raises(Conflict):
        await service.read_sections(db, round_id=b.round)


async def test_an_organiser_of_another_contest_is_refused(db, small_round):
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    other = await organiser(db, "dep@exemple.fr")
    with pytest.raises(Forbidden):
        await service.standings(db, identity=other, round_id=small_round.round)
    with pytest.raises(Forbidden):
        await service.organiser_page(db, identity=other, round_id=small_round.round)
