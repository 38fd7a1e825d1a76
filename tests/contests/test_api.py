import datetime as dt

from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database


async def _seed(db: Database) -> None:
    await db.conn.execute(
        """
        insert into contests (slug, name, organisers, candidate_kind)
        values ('made-in-92', 'Made in 92', 'CCI Hauts-de-Seine et Département', 'company'),
               ('progress', 'Progr''ESS', 'Département des Hauts-de-Seine', 'organisation');
        insert into editions
            (contest_id, slug, number, year, theme, status, decision_on, budget_eur, max_grant_eur)
        select id, 'made-in-92-2025', 10, 2025, 'Dix ans', 'judging', null::date, null::int, null::int
        from contests where slug = 'made-in-92'
        union all
        select id, 'progress-2024', 3, 2024, 'Inclusion', 'decided', '2025-03-14', 100000, 15000 from contests
        where slug = 'progress';
        """
    )


async def test_contests_are_listed_with_slugs_and_editions(client, db):
    await _seed(db)
    response = await client.get("/api/contests")
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body] == ["made-in-92", "progress"]
    assert [e["slug"] for e in body[0]["editions"]] == ["made-in-92-2025"]
    progress = body[1]["editions"][0]
    assert progress["number"] == 3
    assert progress["budget_eur"] == 100000
    assert progress["decision_on"] == dt.date(2025, 3, 14).isoformat()


async def test_unknown_edition_is_a_404_with_a_french_message(client):
    response = await client.get("/api/editions/nope-2020")
    assert response.status_code == 404
    assert response.json()["detail"] == "Édition inconnue : nope-2020"


async def test_unknown_page_is_a_french_html_404(client, db):
    await make_organiser(db, email="admin@exemple.fr", contests=[], admin=True)
    await sign_in(client, email="admin@exemple.fr")
    response = await client.get("/organisation/editions/nope-2020", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Édition inconnue : nope-2020" in response.text
    assert "Traceback" not in response.text


async def test_organiser_pages_list_the_edition(client, db):
    await _seed(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92", "progress"])
    await sign_in(client, email="cci@exemple.fr")
    page = await client.get("/organisation/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Made in 92" in page.text
    assert 'href="/organisation/editions/progress-2024"' in page.text
    edition = await client.get("/organisation/editions/progress-2024")
    assert "100\u202f000\u00a0€" in edition.text


async def test_openapi_schema_documents_every_route(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/contests" in paths
    assert "/healthz" in paths
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


async def test_organiser_pages_require_sign_in(client, db):
    await _seed(db)
    html = {"Accept": "text/html"}
    assert (await client.get("/organisation/", headers=html)).status_code == 401
    assert (await client.get("/api/editions/progress-2024/candidates")).status_code == 401


async def test_organisers_are_scoped_to_their_contests(client, db):
    await _seed(db)
    await db.conn.execute(
        "insert into candidates (edition_id, kind, organisation_name, email) "
        "select id, 'organisation', 'Association Secrète', 'secret@exemple.fr' from editions "
        "where slug = 'progress-2024'"
    )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    index = await client.get("/organisation/")
    assert "Made in 92" in index.text and "progress-2024" not in index.text
    denied = await client.get("/api/editions/progress-2024/candidates")
    assert denied.status_code == 403
    assert "Association Secrète" not in denied.text
    page = await client.get("/organisation/editions/progress-2024/candidats")
    assert page.status_code == 403 and "secret@exemple.fr" not in page.text
    allowed = await client.get("/api/editions/made-in-92-2025/candidates")
    assert allowed.status_code == 200 and allowed.json() == []
