"""Live standings for organisers: the round's method and quota per (panel, category) section, raw and
calibrated ranks, eliminatory flags, the design message, groups without a common candidate, and the cache
keyed on the marks. What jurors may see is tested through HTTP in test_web.py."""

from __future__ import annotations

import pytest
from tests.helpers import make_contest, make_organiser

from jury.access.identity import Identity
from jury.errors import Forbidden
from jury.results.standings import standings

EVIL = '=HYPERLINK("http://evil.example","clic")'


def by_name(view, b):
    names = {v: k for k, v in b.candidates.items()}
    return {names[line.candidate_id]: line for line in view.lines}


async def test_raw_method_ranks_by_mean_total_and_flags_the_eliminatory_candidate(db, small_round, organiser):
    b = small_round
    await db.conn.execute("update rounds set method = 'raw' where id = $1", b.round)
    [view] = await standings(db, identity=organiser, round_id=b.round, bootstrap=0)
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
    assert view.design_message == (
        "Tous les jurés sont reliés par des candidats notés en commun : leurs notes se comparent et le "
        "classement est unique (plan connexe, connectivité 1,29)."
    )
    assert lines[EVIL].name == EVIL and lines["Solaris"].entry_number == 1


async def test_sections_are_panel_by_category_and_each_has_its_quota(db, builder, organiser):
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
    views = await standings(db, identity=organiser, round_id=b.round, bootstrap=0)
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


async def test_two_unlinked_groups_are_ranked_per_group(db, builder, organiser):
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
    [view] = await standings(db, identity=organiser, round_id=b.round, bootstrap=0)
    assert view.design_message == (
        "Deux groupes de jurés sans candidat commun : pas de classement global ; classement par groupe."
    )
    assert not view.global_ranking
    assert sorted((line.component, line.rank, line.name) for line in view.lines) == [
        (0, 1, "P"), (0, 2, "Q"), (1, 1, "R"), (1, 2, "S")
    ]  # fmt: skip


async def test_results_are_cached_per_input_digest(db, small_round, organiser):
    b = small_round
    identity = organiser
    first = await standings(db, identity=identity, round_id=b.round)
    key, digest = await db.conn.fetchrow("select cache_key, input_digest from standing_cache")
    assert digest == first[0].input_digest
    # The page reads the cache: a planted marker shows it is used as long as the key is current.
    await db.conn.execute(
        "update standing_cache set result = jsonb_set(result::jsonb, '{seed}', '4242')::json"
    )
    cached = await standings(db, identity=identity, round_id=b.round)
    assert cached[0].seed == 4242
    # A changed sheet changes the key: recomputed, and the one cache row replaced.
    await db.conn.execute(
        "update sheet_scores set value = 3 where sheet_id = $1 and criterion_id = $2",
        b.sheets[("Chloé Durand", "Ventus")],
        b.criteria[b.categories["energie"]]["innovation"]["id"],
    )
    fresh = await standings(db, identity=identity, round_id=b.round)
    assert fresh[0].seed == b.round
    rows = await db.conn.fetch("select cache_key from standing_cache")
    assert len(rows) == 1 and rows[0]["cache_key"] != key


async def test_an_organiser_of_another_contest_is_refused(db, small_round):
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    person = await db.conn.fetchval("select id from people where email = 'dep@exemple.fr'")
    other = Identity(person_id=person, name="Département", kind="organiser")
    with pytest.raises(Forbidden):
        await standings(db, identity=other, round_id=small_round.round)
