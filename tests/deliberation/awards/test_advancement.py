"""Advancement preview: the top N of each panel's calibrated standing, confirmed with its method and digest."""

from __future__ import annotations

import pytest
from tests.helpers import make_contest, make_organiser, sign_in
from tests.results.conftest import GRID, RoundBuilder

from jury.db.queries import Database

# (innovation /10, impact /20) per juror and candidate; the eliminatory theme criterion is always met.
NORD = {
    "Nadia Présidente": {"Alpha": (9, 18), "Bravo": (7, 12), "Charlie": (6, 13), "Delta": (2, 4)},
    "Paul Juré": {"Alpha": (10, 19), "Bravo": (6, 11), "Charlie": (7, 14)},  # déporté pour Delta
    "Léa Jurée": {"Alpha": (8, 17), "Bravo": (7, 13), "Charlie": (6, 12), "Delta": (2, 6)},
}
SUD = {
    "Sophie Présidente": {"Echo": (9, 18), "Foxtrot": (6, 11), "Golf": (2, 4)},
    "Marc Juré": {"Echo": (8, 19), "Foxtrot": (5, 10), "Golf": (3, 5)},
    "Inès Jurée": {"Echo": (9, 17), "Foxtrot": (6, 12), "Golf": (2, 3)},
}


async def build_round(db: Database) -> RoundBuilder:
    """A semi-final in deliberation, two panels of three jurors, two qualifiers per panel (its quota per
    zone: panels without a zone are each their own territory), a final next.

    Paul declared a conflict with Delta and did not mark it. Nadia and Sophie chair their panels.
    """
    await make_contest(db)
    b = RoundBuilder(db)
    b.organiser = await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await b.setup(advance_count=2)
    await db.conn.execute("update rounds set quota_scope = 'zone' where id = $1", b.round)
    await b.category("energie", GRID)
    for panel, marks in (("Nord", NORD), ("Sud", SUD)):
        await b.panel(panel)
        for juror in marks:
            await b.juror(juror, panels=[panel])
        for name in dict.fromkeys(c for sheet in marks.values() for c in sheet):
            await b.candidate(name, panel=panel, category="energie")
        for juror, sheet in marks.items():
            for name, (innovation, impact) in sheet.items():
                await b.sheet(juror, name, {"innovation": innovation, "impact": impact, "theme": 1})
    await db.conn.execute(
        "update panel_members set role = 'chair' where person_id = any($1::int[])",
        [b.people["Nadia Présidente"], b.people["Sophie Présidente"]],
    )
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Cousin du gérant')",
        b.round,
        b.people["Paul Juré"],
        b.candidates["Delta"],
    )
    b.final = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'final', 'Grande finale', 2) "
        "returning id",
        b.edition,
    )
    await b.set_status("deliberation")
    return b


@pytest.fixture
async def semi(db: Database) -> RoundBuilder:
    return await build_round(db)


def _names(b: RoundBuilder, ids) -> list[str]:
    by_id = {cid: name for name, cid in b.candidates.items()}
    return [by_id[c] for c in ids]


async def test_preview_lists_the_top_two_of_each_panel_by_calibrated_score(client, semi):
    b = semi
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/api/rounds/{b.round}/advancement")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["advance_count"] == 2 and body["next_round"] == "Grande finale" and body["can_confirm"]
    panels = {p["panel_name"]: p for p in body["panels"]}
    assert set(panels) == {"Nord", "Sud"}
    assert _names(b, panels["Nord"]["qualified"]) == ["Alpha", "Bravo"]
    assert _names(b, panels["Sud"]["qualified"]) == ["Echo", "Foxtrot"]
    standings = (await client.get(f"/api/rounds/{b.round}/standings")).json()
    for standing in standings:
        panel = panels[standing["panel_name"]]
        [section] = panel["sections"]
        # Exactly the two best calibrated scores of the results service, with its method and digest.
        best = sorted(standing["lines"], key=lambda line: -line["score"])[:2]
        assert panel["qualified"] == [line["candidate_id"] for line in best]
        assert section["method"] == standing["method"] == "affine"
        assert section["input_digest"] == standing["input_digest"]
        # Three jurors, three or four candidates: too few marks for range use, the additive model is applied.
        assert standing["method_used"] == "additive"
        assert panel["based_on"] == f"méthode affine, empreinte {standing['input_digest']}"
        assert [line["p_top_k"] for line in section["lines"]] == [
            line["p_top_k"] for line in standing["lines"]
        ]
        assert all(line["p_top_k"] is not None for line in section["lines"])
        non_qualified = [line["candidate_id"] for line in section["lines"] if not line["qualified"]]
        assert [w["candidate_id"] for w in panel["wildcards"]] == non_qualified


async def test_preview_marks_the_borderline_band_of_the_standing(client, semi):
    b = semi
    await sign_in(client, email="cci@exemple.fr")
    body = (await client.get(f"/api/rounds/{b.round}/advancement")).json()
    standings = (await client.get(f"/api/rounds/{b.round}/standings")).json()
    flags = {line["candidate_id"]: line["borderline"] for s in standings for line in s["lines"]}
    seen = {
        line["candidate_id"]: line["borderline"]
        for p in body["panels"]
        for s in p["sections"]
        for line in s["lines"]
    }
    assert seen == flags
    # Bravo and Charlie split the jurors: the standing cannot tell them apart with confidence.
    nord = next(p for p in body["panels"] if p["panel_name"] == "Nord")
    borderline = [line["name"] for line in nord["sections"][0]["lines"] if line["borderline"]]
    assert "Charlie" in borderline or "Bravo" in borderline
    assert nord["sections"][0]["borderline_band"] == [0.1, 0.9]
    page = await client.get(f"/organisation/rounds/{b.round}/qualification")
    assert page.status_code == 200
    assert "zone limite" in page.text
    assert page.text.count('data-borderline="oui"') == sum(flags.values())


async def test_confirming_from_the_page_moves_the_statuses(client, db, semi):
    b = semi
    await sign_in(client, email="cci@exemple.fr")
    preview = (await client.get(f"/api/rounds/{b.round}/advancement")).json()
    nord = next(p for p in preview["panels"] if p["panel_name"] == "Nord")
    page = await client.get(f"/organisation/rounds/{b.round}/qualification")
    assert nord["based_on"] in page.text
    assert f'action="/organisation/editions/{b.contest}-2025/decisions/qualifies"' in page.text
    charlie = b.candidates["Charlie"]
    assert f'name="advance" value="{charlie}">' in page.text  # a wildcard, unticked
    response = await client.post(
        f"/organisation/editions/{b.contest}-2025/decisions/qualifies",
        data={
            "round_id": str(b.round),
            "panel_id": str(b.panels["Nord"]),
            "advance": [str(c) for c in [*nord["qualified"], charlie]],
            "based_on": nord["based_on"],
            "reason": "Repêchage de Charlie, à égalité de mérite",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    statuses = dict(
        await db.conn.fetch(
            "select c.organisation_name, cr.status from candidate_rounds cr join candidates c on c.id = cr.candidate_id "
            "where cr.round_id = $1",
            b.round,
        )
    )
    assert statuses == {
        "Alpha": "advanced",
        "Bravo": "advanced",
        "Charlie": "advanced",
        "Delta": "eliminated",
        "Echo": "pending",
        "Foxtrot": "pending",
        "Golf": "pending",
    }
    entered = await db.conn.fetchval("select count(*) from candidate_rounds where round_id = $1", b.final)
    assert entered == 3
    based_on = await db.conn.fetch("select distinct based_on from decisions where round_id = $1", b.round)
    assert [r["based_on"] for r in based_on] == [nord["based_on"]]
    again = (await client.get(f"/api/rounds/{b.round}/advancement")).json()
    nord_after = next(p for p in again["panels"] if p["panel_name"] == "Nord")
    assert nord_after["in_play"] == 0 and not nord_after["confirmable"]


async def test_confirming_through_the_api_with_the_previewed_digest(client, db, semi):
    b = semi
    await sign_in(client, email="cci@exemple.fr")
    preview = (await client.get(f"/api/rounds/{b.round}/advancement")).json()
    sud = next(p for p in preview["panels"] if p["panel_name"] == "Sud")
    response = await client.post(
        f"/api/rounds/{b.round}/advance",
        json={"advance": sud["qualified"], "based_on": sud["based_on"], "panel_id": sud["panel_id"]},
    )
    assert response.status_code == 200, response.text
    assert _names(b, response.json()["advanced"]) == ["Echo", "Foxtrot"]
    assert _names(b, response.json()["eliminated"]) == ["Golf"]
    kinds = await db.conn.fetch(
        "select kind, count(*) as n from decisions where round_id = $1 and based_on = $2 group by kind order by kind",
        b.round,
        sud["based_on"],
    )
    assert [(r["kind"], r["n"]) for r in kinds] == [("advance", 2), ("eliminate", 1)]


async def test_preview_is_for_the_contest_organisers_only(client, db, semi, as_juror):
    b = semi
    assert (await client.get(f"/api/rounds/{b.round}/advancement")).status_code == 401
    await make_contest(db, slug="autre-concours")
    await make_organiser(db, email="autre@exemple.fr", contests=["autre-concours"])
    await sign_in(client, email="autre@exemple.fr")
    for url in (f"/api/rounds/{b.round}/advancement", f"/organisation/rounds/{b.round}/qualification"):
        response = await client.get(url)
        assert response.status_code == 403
        assert "Alpha" not in response.text and "Nord" not in response.text
    await client.post("/deconnexion")
    await as_juror(b.edition, b.people["Nadia Présidente"])
    assert (await client.get(f"/api/rounds/{b.round}/advancement")).status_code == 403


async def test_a_withdrawn_candidate_leaves_their_place_to_the_next(client, db, semi):
    b = semi
    await db.conn.execute(
        "update candidate_rounds set status = 'withdrawn' where round_id = $1 and candidate_id = $2",
        b.round,
        b.candidates["Bravo"],
    )
    await sign_in(client, email="cci@exemple.fr")
    body = (await client.get(f"/api/rounds/{b.round}/advancement")).json()
    nord = next(p for p in body["panels"] if p["panel_name"] == "Nord")
    assert _names(b, nord["qualified"]) == ["Alpha", "Charlie"]
    # A withdrawn candidate leaves the standings altogether (their sheets are kept, not ranked).
    assert b.candidates["Bravo"] not in [line["candidate_id"] for line in nord["sections"][0]["lines"]]
    assert b.candidates["Bravo"] not in [w["candidate_id"] for w in nord["wildcards"]]
