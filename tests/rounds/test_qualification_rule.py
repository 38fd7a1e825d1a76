"""The qualification preview applies the round's rule to candidates, not to panel × category sections.

Two panels (Nord, Sud) × two categories, two jurors per panel who give every candidate the same marks, so
each calibrated score is the candidate's total, computed by hand below
(total = 100 × (2 × innovation/10 + impact/20) / 3):

    Nord: N1 énergie 9/18 = 90 · N2 énergie 7/12 = 66,67 · N3 santé 8/16 = 80 · N4 santé 3/5 = 28,33
    Sud:  S1 énergie 8/10 = 70 · S2 énergie 6/18 = 70 · S3 santé 5/10 = 50 · S4 santé 2/4 = 20

S1 and S2 tie at 70,00 but S1 has the better innovation mark (8 against 6).
"""

from __future__ import annotations

import pytest
from tests.helpers import make_contest, make_organiser, sign_in
from tests.results.conftest import GRID, RoundBuilder

from jury.auth.service import issue_codes
from jury.db.queries import Database

MARKS = {
    "Nord": {
        "N1": ("energie", 9, 18),
        "N2": ("energie", 7, 12),
        "N3": ("sante", 8, 16),
        "N4": ("sante", 3, 5),
    },
    "Sud": {
        "S1": ("energie", 8, 10),
        "S2": ("energie", 6, 18),
        "S3": ("sante", 5, 10),
        "S4": ("sante", 2, 4),
    },
}


@pytest.fixture
async def semi(db: Database) -> RoundBuilder:
    await make_contest(db)
    b = RoundBuilder(db)
    b.organiser = await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await b.setup(advance_count=3)
    await b.category("energie", GRID)
    await b.category("sante", GRID)
    for panel, marks in MARKS.items():
        await b.panel(panel)
        jurors = [f"{panel} Un", f"{panel} Deux"]
        for juror in jurors:
            await b.juror(juror, panels=[panel])
        for name, (category, *_) in marks.items():
            await b.candidate(name, panel=panel, category=category)
        for juror in jurors:
            for name, (_, innovation, impact) in marks.items():
                await b.sheet(juror, name, {"innovation": innovation, "impact": impact, "theme": 1})
    b.final = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'final', 'Finale', 2) returning id",
        b.edition,
    )
    await b.set_status("deliberation")
    return b


async def _rule(db: Database, b: RoundBuilder, *, count: int, scope: str, wildcards: int = 0) -> None:
    await db.conn.execute(
        "update rounds set advance_count = $1, quota_scope = $2, wildcards = $3 where id = $4",
        count,
        scope,
        wildcards,
        b.round,
    )


async def _preview(client, b: RoundBuilder) -> dict:
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/api/rounds/{b.round}/advancement")
    assert response.status_code == 200, response.text
    return response.json()


def _named(b: RoundBuilder, ids) -> list[str]:
    by_id = {cid: name for name, cid in b.candidates.items()}
    return sorted(by_id[c] for c in ids)


def _qualified(b: RoundBuilder, body: dict) -> list[str]:
    return _named(b, [c for p in body["panels"] for c in p["qualified"]])


async def test_overall_quota_proposes_n_candidates_for_the_whole_round_and_reports_the_tie(client, db, semi):
    b = semi
    body = await _preview(client, b)
    assert body["rule"] == "Les 3 premiers au classement général."
    assert _qualified(b, body) == ["N1", "N3"]  # the third place is tied between S1 and S2
    [group] = body["groups"]
    assert (group["label"], group["quota"], group["sections"]) == ("Classement général", 3, 4)
    assert _named(b, group["tied"]) == ["S1", "S2"] and group["places_for_tied"] == 1
    assert group["tie_break"][-1] == "égalité persistante : voix prépondérante de la présidence"
    assert _named(b, [line["candidate_id"] for line in body["uncertain"]]) == ["S1", "S2"]
    probabilities = {
        line["name"]: line["p_qualify"] for p in body["panels"] for s in p["sections"] for line in s["lines"]
    }
    assert (probabilities["N1"], probabilities["N3"], probabilities["N2"]) == (1.0, 1.0, 0.0)
    assert probabilities["S1"] + probabilities["S2"] == pytest.approx(1.0)


async def test_the_named_criterion_of_the_policy_settles_the_tie_at_the_cut(client, db, semi):
    b = semi
    innovation = b.criteria[b.categories["energie"]]["innovation"]["id"]
    await db.conn.execute(
        "update editions set tie_break_policy = $1 where id = $2",
        ["calibrated_score", f"criterion:{innovation}", "chair"],
        b.edition,
    )
    body = await _preview(client, b)
    assert _qualified(b, body) == ["N1", "N3", "S1"]
    [group] = body["groups"]
    assert group["tied"] == [] and group["places_for_tied"] == 0
    assert any(f"critère « {innovation} »" in note for note in group["tie_break"])
    s1 = next(
        line for p in body["panels"] for s in p["sections"] for line in s["lines"] if line["name"] == "S1"
    )
    assert s1["qualified"] and s1["tie_break"].startswith("départagé")


async def test_per_category_quota_takes_the_best_of_each_category_across_panels(client, db, semi):
    b = semi
    await _rule(db, b, count=1, scope="category")
    body = await _preview(client, b)
    assert body["rule"] == "Le premier par catégorie."
    assert _qualified(b, body) == ["N1", "N3"]
    assert [(g["label"], g["sections"]) for g in body["groups"]] == [("Energie", 2), ("Sante", 2)]


async def test_per_zone_quota_with_a_wildcard_from_the_rest_of_the_round(client, db, semi):
    b = semi
    await _rule(db, b, count=2, scope="zone", wildcards=1)
    body = await _preview(client, b)
    assert body["rule"] == "Les 2 premiers par zone, plus 1 repêché."
    # Nord: N1, N3; Sud: S1 and S2 tie at 70 but both fit in the two places; the wildcard is N2 (66,67).
    assert _qualified(b, body) == ["N1", "N2", "N3", "S1", "S2"]
    assert [g["label"] for g in body["groups"]] == ["Jury Nord", "Jury Sud", "Repêchage"]
    n2 = next(
        line for p in body["panels"] for s in p["sections"] for line in s["lines"] if line["name"] == "N2"
    )
    assert n2["wildcard"] and n2["qualified"]


async def test_the_page_states_the_rule_the_tie_and_the_uncertain_candidates_in_french(client, db, semi):
    b = semi
    await sign_in(client, email="cci@exemple.fr")
    page = await client.get(f"/organisation/rounds/{b.round}/qualification")
    assert page.status_code == 200
    text = page.text
    assert "Règle du tour : <strong>Les 3 premiers au classement général.</strong>" in text
    assert "Classement général <small>(4 classements réunis)</small>" in text
    assert "2 pour 1 place(s)" in text
    assert "À examiner d&#39;abord : qualification incertaine" in text or "À examiner d'abord" in text
    assert "score calibré, puis voix prépondérante de la présidence" in text
    assert text.index('id="incertains"') < text.index('id="jury-')
    assert "<strong>Prochaine étape</strong> : examinez d&#39;abord" in text or (
        "<strong>Prochaine étape</strong> : examinez d'abord" in text
    )


async def test_the_calibrated_score_rule_chosen_for_the_edition_settles_a_ballot_closed_from_the_form(
    client, db, semi
):
    """The panel page's « Clore » form sends no scores: the rule « score calibré » reads them from the
    panel's standing instead of being skipped."""
    b = semi
    n2, n3 = b.candidates["N2"], b.candidates["N3"]
    chair = b.people["Nord Un"]
    await db.conn.execute(
        "update panel_members set role = 'chair' where person_id = $1 and panel_id = $2",
        chair,
        b.panels["Nord"],
    )
    await sign_in(client, email="cci@exemple.fr")
    opened = await client.post(
        f"/api/rounds/{b.round}/ballots",
        json={
            "panel_id": b.panels["Nord"],
            "kind": "approval",
            "title": "Coup de cœur",
            "candidate_ids": [n2, n3],
        },
    )
    assert opened.status_code == 201, opened.text
    ballot = opened.json()["id"]
    for juror, approved in (("Nord Un", n2), ("Nord Deux", n3)):
        await client.post("/deconnexion")
        [card] = await issue_codes(db, edition_id=b.edition, person_ids=[b.people[juror]])
        assert (
            await client.post("/acces", data={"code": card.code}, follow_redirects=False)
        ).status_code == 303
        voted = await client.post(f"/api/ballots/{ballot}/votes", json={"approved": [approved]})
        assert voted.status_code == 200, voted.text
    await client.post("/deconnexion")
    [card] = await issue_codes(db, edition_id=b.edition, person_ids=[chair])
    await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    closed = await client.post(f"/deliberation/scrutins/{ballot}/cloture", follow_redirects=False)
    assert closed.status_code == 303
    result = (await client.get(f"/api/ballots/{ballot}")).json()["result"]
    assert result["counts"] == {str(n2): 1, str(n3): 1}
    assert result["order"] == [[n3], [n2]] and result["unresolved"] == []
    assert result["separations"][0]["reason"] == "N3 devant N2 : score calibré 80,00 contre 66,67"
    assert result["notes"] == []


async def test_the_standings_page_states_the_same_rule_and_probabilities(client, db, semi):
    b = semi
    body = await _preview(client, b)
    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 200
    assert "Règle de qualification : <strong>Les 3 premiers au classement général.</strong>" in page.text
    assert "Quota : 3 qualifié(s) par classement" not in page.text
    p = {
        line["name"]: line["p_qualify"]
        for pn in body["panels"]
        for s in pn["sections"]
        for line in s["lines"]
    }
    assert p["N4"] == 0.0 and p["N1"] == 1.0
    # Four sections, one rule: the page marks exactly the two candidates tied for the third place.
    assert page.text.count("zone limite : à délibérer") == 2


async def test_the_standings_page_shows_the_probability_of_being_above_the_funding_line(client, db, semi):
    b = semi
    await db.conn.execute("update editions set budget_eur = 30000 where id = $1", b.edition)
    for name, amount in (("N1", 15000), ("N3", 15000), ("S1", 10000), ("N2", 5000)):
        await db.conn.execute(
            "update candidates set requested_eur = $1 where id = $2", amount, b.candidates[name]
        )
    await sign_in(client, email="cci@exemple.fr")
    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 200
    text = page.text
    assert '<th scope="col">P(financé)</th>' in text
    # N1 (90) and N3 (80) take the 30 000 € whatever the draws: nothing is left for S1, tied for a place.

    def row(name: str) -> str:
        marked = f"<mark>{name}</mark>"  # a candidate in doubt is highlighted
        start = text.index(marked) if marked in text else text.index(f"<td>{name} <small>")
        return text[start : text.index("</tr>", start)]

    assert row("N1").count("<td>100 %</td>") == 2  # qualified and funded
    assert "<td>0 %</td>" in row("S1") and "<td>100 %</td>" not in row("S1")


async def test_the_edition_and_decisions_pages_state_the_rule_in_the_same_words(client, db, semi):
    b = semi
    await _rule(db, b, count=2, scope="zone", wildcards=1)
    slug = await db.conn.fetchval("select slug from editions where id = $1", b.edition)
    body = await _preview(client, b)
    assert body["rule"] == "Les 2 premiers par zone, plus 1 repêché."
    edition = await client.get(f"/organisation/editions/{slug}")
    assert edition.status_code == 200
    assert "<td>Les 2 premiers par zone, plus 1 repêché.</td>" in edition.text
    assert "<td>Aucune qualification (tour final ou sans suite).</td>" in edition.text  # the final
    decisions = await client.get(f"/organisation/editions/{slug}/decisions")
    assert decisions.status_code == 200
    assert (
        "Demi-finale — règle de qualification : <strong>Les 2 premiers par zone, plus 1 repêché.</strong> "
        f'<a href="/organisation/rounds/{b.round}/qualification">'
    ) in decisions.text
