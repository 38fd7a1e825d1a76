"""Standings over HTTP: who sees what, the page and its charts, the exports."""

from __future__ import annotations

import base64
import csv
import html as html_lib
import io
import re

import openpyxl
import pytest
from tests.helpers import make_contest, make_organiser, sign_in

from jury.auth.service import issue_codes
from jury.french.numbers import decimal_fr
from jury.results.criteria import severity_table

EVIL = '=HYPERLINK("http://evil.example","clic")'


async def juror_session(client, db, b, name: str) -> None:
    [card] = await issue_codes(db, edition_id=b.edition, person_ids=[b.people[name]])
    response = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    assert response.status_code in (200, 303)


@pytest.fixture
async def two_panels(small_round):
    """The small round plus a southern panel whose candidate no northern juror may see."""
    b = small_round
    await b.panel("Sud")
    await b.juror("Sami Sud", panels=["Sud"])
    await b.candidate("Boréal", panel="Sud", category="energie")
    await b.sheet("Sami Sud", "Boréal", {"innovation": 9, "impact": 19, "theme": 1})
    # Alice declared a conflict with Ventus (she marked it before; the declaration still hides it).
    await b.db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Ancienne associée')",
        b.round,
        b.people["Alice Martin"],
        b.candidates["Ventus"],
    )
    return b


async def test_organiser_gets_every_standing_with_diagnostics(client, db, two_panels):
    b = two_panels
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/api/rounds/{b.round}/standings")
    assert response.status_code == 200
    body = response.json()
    assert [(s["panel_name"], [line["name"] for line in s["lines"]]) for s in body] == [
        ("Nord", ["Solaris", "Ventus", EVIL]),
        ("Sud", ["Boréal"]),
    ]
    nord = body[0]
    assert [j["name"] for j in nord["jurors"]] == ["Alice Martin", "Bruno Petit", "Chloé Durand"]
    assert nord["method"] == "affine" and nord["seed"] == b.round and nord["top_k"] == 1
    assert len(nord["input_digest"]) == 64
    assert all(line["low"] is not None and line["p_top_k"] is not None for line in nord["lines"])


async def test_jurors_are_refused_before_deliberation_without_any_candidate_data(client, db, two_panels):
    b = two_panels
    await b.set_status("open")
    await juror_session(client, db, b, "Alice Martin")
    for url in (f"/api/rounds/{b.round}/standings", f"/api/rounds/{b.round}/standings/published"):
        response = await client.get(url)
        assert response.status_code == 403
        assert (
            response.json()["detail"]
            == "Le classement n'est visible des jurés qu'à partir de la délibération."
        )
        for name in ("Solaris", "Ventus", "Boréal", "HYPERLINK"):
            assert name not in response.text


async def test_jurors_in_deliberation_see_their_panel_without_conflicted_candidates(client, db, two_panels):
    b = two_panels
    await b.set_status("deliberation")
    await sign_in(client, email="cci@exemple.fr")
    assert (await client.post(f"/api/rounds/{b.round}/standings/publish")).status_code == 201

    await juror_session(client, db, b, "Alice Martin")
    for url in (f"/api/rounds/{b.round}/standings", f"/api/rounds/{b.round}/standings/published"):
        response = await client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        standings = body if isinstance(body, list) else body["standings"]
        assert [(s["panel_name"], [line["name"] for line in s["lines"]]) for s in standings] == [
            ("Nord", ["Solaris", EVIL])
        ]
        assert standings[0]["jurors"] == [] and standings[0]["outliers"] == []
        assert "Ventus" not in response.text and "Boréal" not in response.text
        assert str(b.candidates["Ventus"]) not in {
            str(line["candidate_id"]) for line in standings[0]["lines"]
        }

    # Bruno declared no conflict: he sees Ventus, still only in his panel.
    await juror_session(client, db, b, "Bruno Petit")
    response = await client.get(f"/api/rounds/{b.round}/standings")
    assert [line["name"] for line in response.json()[0]["lines"]] == ["Solaris", "Ventus", EVIL]
    assert "Boréal" not in response.text

    # The southern juror sees only the south.
    await juror_session(client, db, b, "Sami Sud")
    response = await client.get(f"/api/rounds/{b.round}/standings")
    assert [s["panel_name"] for s in response.json()] == ["Sud"]
    assert "Solaris" not in response.text


async def test_jurors_cannot_publish_change_the_method_or_open_the_page(client, db, two_panels):
    b = two_panels
    await b.set_status("deliberation")
    await juror_session(client, db, b, "Alice Martin")
    assert (await client.post(f"/api/rounds/{b.round}/standings/publish")).status_code == 403
    assert (
        await client.put(f"/api/rounds/{b.round}/standings/method", json={"method": "raw"})
    ).status_code == 403
    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 403 and "Solaris" not in page.text
    assert (await client.get(f"/organisation/rounds/{b.round}/classement.csv")).status_code == 403


async def test_a_juror_of_another_edition_is_refused(client, db, two_panels):
    b = two_panels
    await b.set_status("deliberation")
    other_edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year) select id, 'made-in-92-2026', 11, 2026 "
        "from contests where slug = 'made-in-92' returning id"
    )
    other_round = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'final', 'Finale', 1) returning id",
        other_edition,
    )
    panel = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Jury') returning id", other_round
    )
    await db.conn.execute(
        "insert into panel_members (panel_id, person_id) values ($1, $2)", panel, b.people["Alice Martin"]
    )
    [card] = await issue_codes(db, edition_id=other_edition, person_ids=[b.people["Alice Martin"]])
    await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    response = await client.get(f"/api/rounds/{b.round}/standings")
    assert response.status_code == 403 and "Solaris" not in response.text


async def test_an_organiser_of_another_contest_is_refused_everywhere(client, db, two_panels):
    b = two_panels
    await b.set_status("deliberation")
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    await sign_in(client, email="dep@exemple.fr")
    for method, url in [
        ("get", f"/api/rounds/{b.round}/standings"),
        ("get", f"/api/rounds/{b.round}/standings/published"),
        ("post", f"/api/rounds/{b.round}/standings/publish"),
        ("get", f"/organisation/rounds/{b.round}/classement"),
        ("get", f"/organisation/rounds/{b.round}/classement.csv"),
        ("get", f"/organisation/rounds/{b.round}/classement.xlsx"),
    ]:
        response = await getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "Solaris" not in response.text
    assert await db.conn.fetchval("select count(*) from standings") == 0
    assert (await client.get(f"/api/rounds/{b.round}/standings")).json()["detail"] == (
        "Vous n'organisez pas ce concours."
    )


async def test_anonymous_visitors_must_sign_in(client, small_round):
    assert (await client.get(f"/api/rounds/{small_round.round}/standings")).status_code == 401
    assert (await client.get(f"/organisation/rounds/{small_round.round}/classement.csv")).status_code == 401


async def test_method_api_and_published_versions(client, db, small_round):
    b = small_round
    await sign_in(client, email="cci@exemple.fr")
    response = await client.put(f"/api/rounds/{b.round}/standings/method", json={"method": "raw"})
    assert response.json() == {"round_id": b.round, "previous": "affine", "method": "raw"}
    assert (
        await client.put(f"/api/rounds/{b.round}/standings/method", json={"method": "dés"})
    ).status_code == 422
    assert (await client.get(f"/api/rounds/{b.round}/standings/published")).status_code == 404
    await b.set_status("deliberation")
    receipt = (await client.post(f"/api/rounds/{b.round}/standings/publish")).json()
    assert receipt["version"] == 1 and receipt["standings"][0]["method"] == "raw"
    published = (await client.get(f"/api/rounds/{b.round}/standings/published")).json()
    assert published["version"] == 1 and published["published_by"] == "cci"
    assert [line["name"] for line in published["standings"][0]["lines"]] == ["Solaris", "Ventus", EVIL]
    checks = (await client.get(f"/api/rounds/{b.round}/standings/published/verification")).json()
    assert [(c["same_input"], c["same_result"]) for c in checks] == [(True, True)]


def _rows_for_export():
    # raw method, no rank change: Solaris (70 + 83.33)/2, Ventus (66.67 + 60 + 73.33)/3, EVIL (40 + 50)/2
    return [
        ["Nord", "Energie", "1", "stable", "Solaris", "1", "2", "76,67", "1", "76,67"],
        ["Nord", "Energie", "2", "stable", "Ventus", "2", "3", "66,67", "2", "66,67"],
        ["Nord", "Energie", "3", "stable", "'" + EVIL, "3", "2", "45,00", "3", "45,00"],
    ]


async def test_csv_export_has_the_exact_rows_and_neutralises_formulas(client, db, small_round):
    b = small_round
    await db.conn.execute("update rounds set method = 'raw' where id = $1", b.round)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/organisation/rounds/{b.round}/classement.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="classement-tour-' in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:10] == [
        "Jury", "Catégorie", "Rang calibré", "Évolution", "Candidat", "N° d'inscription", "Notes",
        "Moyenne brute", "Rang brut", "Score calibré",
    ]  # fmt: skip
    assert [row[:10] for row in rows[1:]] == _rows_for_export()
    assert [row[14] for row in rows[1:]] == ["0", "0", "1"]  # eliminated by one juror
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


async def test_xlsx_export_has_the_same_rows_and_no_formula(client, db, small_round):
    b = small_round
    await db.conn.execute("update rounds set method = 'raw' where id = $1", b.round)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/organisation/rounds/{b.round}/classement.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows()]
    values = [[cell.value for cell in row] for row in cells]
    assert values[0][4] == "Candidat"
    assert [row[:7] for row in values[1:]] == [
        ["Nord", "Energie", 1, "stable", "Solaris", 1, 2],
        ["Nord", "Energie", 2, "stable", "Ventus", 2, 3],
        ["Nord", "Energie", 3, "stable", "'" + EVIL, 3, 2],
    ]
    assert [row[7] for row in values[1:]] == pytest.approx([(70 + 250 / 3) / 2, 200 / 3, 45.0], abs=1e-9)
    assert [row[14] for row in values[1:]] == [0, 0, 1]
    assert all(cell.data_type != "f" for row in cells for cell in row)


async def test_page_renders_the_standing_the_design_check_and_pygal_charts(client, db, small_round):
    b = small_round
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert response.status_code == 200, response.text
    html = response.text
    assert (
        "Tous les jurés sont reliés par des candidats notés en commun : leurs notes se comparent et le "
        "classement est unique (plan connexe, connectivité 1,29)."
    ) in html
    assert "Solaris" in html and "=HYPERLINK(&#34;http://evil.example&#34;,&#34;clic&#34;)" in html
    assert "éliminatoire" in html and "informatif, jamais appliqué" in html
    assert "<script" not in html
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 2
    for image in images:
        svg = base64.b64decode(image).decode("utf-8")
        assert svg.startswith("<svg") and "pygal" in svg and "<script" not in svg
    assert "Alice Martin" in base64.b64decode(images[0]).decode("utf-8")  # the juror chart names its points


async def test_page_shows_borderline_candidates_and_rank_changes(client, db, builder):
    """Two close candidates for one place: both are in the borderline band and highlighted."""
    b = builder
    await b.category("energie", [("note", 0, 100, 1, False)])
    await b.panel("Nord")
    for name in ("A", "B", "C"):
        await b.juror(name, panels=["Nord"])
    for name in ("Près", "Proche", "Loin"):
        await b.candidate(name, panel="Nord", category="energie")
    for juror, marks in {"A": (71, 70, 30), "B": (64, 66, 35), "C": (69, 70, 25)}.items():
        for candidate, note in zip(("Près", "Proche", "Loin"), marks, strict=True):
            await b.sheet(juror, candidate, {"note": note})
    await sign_in(client, email="cci@exemple.fr")
    html = (await client.get(f"/organisation/rounds/{b.round}/classement")).text
    assert "<mark>Près</mark>" in html and "<mark>Proche</mark>" in html
    assert "<mark>Loin</mark>" not in html
    assert "zone limite : à délibérer" in html


async def test_page_lists_sections_and_shows_the_chosen_one(client, db, builder):
    b = builder
    await b.category("energie", [("note", 0, 100, 1, False)])
    for panel in ("P1", "P2", "P3", "P4", "P5"):
        await b.panel(panel)
        await b.juror(f"Juré {panel}", panels=[panel])
        await b.candidate(f"Candidat {panel}", panel=panel, category="energie")
        await b.sheet(f"Juré {panel}", f"Candidat {panel}", {"note": 50})
    await sign_in(client, email="cci@exemple.fr")
    html = (await client.get(f"/organisation/rounds/{b.round}/classement")).text
    assert "Choisissez un classement" in html and "Candidat P3" not in html
    section = f"{b.panels['P3']}-{b.categories['energie']}"
    assert f"?section={section}" in html
    chosen = (await client.get(f"/organisation/rounds/{b.round}/classement?section={section}")).text
    assert "Candidat P3" in chosen and "Candidat P4" not in chosen
    assert (await client.get(f"/organisation/rounds/{b.round}/classement?section=9999-1")).status_code == 404


async def test_page_forms_change_the_method_and_publish(client, db, small_round):
    b = small_round
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(
        f"/organisation/rounds/{b.round}/classement/methode",
        data={"method": "median"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert await db.conn.fetchval("select method from rounds where id = $1", b.round) == "median"
    await b.set_status("deliberation")
    response = await client.post(f"/organisation/rounds/{b.round}/classement/publier", follow_redirects=False)
    assert response.status_code == 303
    assert await db.conn.fetchval("select count(*) from standings where round_id = $1", b.round) == 1
    page = (await client.get(f"/organisation/rounds/{b.round}/classement")).text
    assert "Publications :" in page and "n° 1 le" in page


async def test_the_organisers_page_shows_each_jurors_severity_criterion_by_criterion(client, db, small_round):
    b = small_round
    await sign_in(client, email="cci@exemple.fr")
    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 200
    html = page.text
    assert "Sévérité par critère" in html
    table = html[html.index("Sévérité par critère") :]
    table = table[: table.index("</table>")]
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", table).group(1)
    # The eliminatory « Theme » (pass or fail) has no severity; the two marked criteria, in grid order.
    assert re.findall(r"<th>(.*?)</th>", header) == ["Juré", "Innovation", "Impact"]
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", table)
    # The submitted, non-abstained marks: Alice 8/5/4 and 10/20/8, Bruno 9/—/6 and 14/12/6, Chloé 7 and 16.
    marks = [
        ("Innovation", "Alice Martin", "Solaris", 8),
        ("Innovation", "Alice Martin", "Ventus", 5),
        ("Innovation", "Alice Martin", EVIL, 4),
        ("Innovation", "Bruno Petit", "Solaris", 9),
        ("Innovation", "Bruno Petit", EVIL, 6),
        ("Innovation", "Chloé Durand", "Ventus", 7),
        ("Impact", "Alice Martin", "Solaris", 10),
        ("Impact", "Alice Martin", "Ventus", 20),
        ("Impact", "Alice Martin", EVIL, 8),
        ("Impact", "Bruno Petit", "Solaris", 14),
        ("Impact", "Bruno Petit", "Ventus", 12),
        ("Impact", "Bruno Petit", EVIL, 6),
        ("Impact", "Chloé Durand", "Ventus", 16),
    ]
    expected = severity_table(
        [(label, label, juror, candidate, float(mark)) for label, juror, candidate, mark in marks],
        jurors=[(n, n) for n in ("Alice Martin", "Bruno Petit", "Chloé Durand")],
    )
    assert [name for name, _ in rows] == ["Alice Martin", "Bruno Petit", "Chloé Durand"]
    for (name, cells), row in zip(rows, expected.rows, strict=True):
        shown = [html_lib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]
        wanted = [
            decimal_fr(c.severity, typographic_minus=True)
            + (f" ± {decimal_fr(2 * c.severity_sd)}" if c.severity_sd is not None else "")
            + (" <mark>trop peu de notes</mark>" if c.few_marks else "")
            for c in row.cells
        ]
        assert shown == wanted, name
    # Fewer than three marks: Chloé's one on each criterion, Bruno's two on « Innovation » (he left it
    # blank for Ventus); Alice has three on each.
    assert [[c.few_marks for c in row.cells] for row in expected.rows] == [
        [False, False],
        [True, False],
        [True, True],
    ]
