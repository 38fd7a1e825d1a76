"""Eligibility rules as data through HTTP: stored on the edition's columns exactly, refused naming the
field, shown on the « Grille » page, audited."""

from __future__ import annotations

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

SLUG = "gateau-des-hauts-de-seine-2026"


async def scene(db: Database) -> int:
    contest = await factories.contest(db, slug="gateau-des-hauts-de-seine", kind="artisan")
    await factories.contest(db, slug="progress", kind="organisation")
    edition = await factories.edition(db, contest_id=contest, year=2026, slug=SLUG, budget_eur=50_000)
    await make_organiser(db, email="cma@exemple.fr", contests=["gateau-des-hauts-de-seine"])
    await make_organiser(db, email="ess@exemple.fr", contests=["progress"])
    return edition


async def columns(db: Database, edition: int) -> tuple:
    row = await db.conn.fetchrow(
        "select territory_department, accepted_outside_insee, max_company_age_years, eligible_legal_forms, "
        "max_grant_eur, required_fields from editions where id = $1",
        edition,
    )
    return tuple(row.values())


async def test_rules_are_stored_on_the_edition_and_audited(client, db):
    edition = await scene(db)
    await sign_in(client, email="cma@exemple.fr")
    rules = {
        "territory": {"department": "92", "accepted_outside_insee": ["95018"]},
        "max_company_age_years": 8,
        "legal_forms": ["SARL", " sarl ", "Entreprise individuelle"],
        "max_request_eur": 15000,
        "required_fields": ["courriel", "code_insee", "courriel"],
    }
    response = await client.put(f"/api/editions/{SLUG}/eligibility", json=rules)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "territory": {"department": "92", "accepted_outside_insee": ["95018"]},
        "max_company_age_years": 8,
        "legal_forms": ["SARL", "Entreprise individuelle"],
        "max_request_eur": 15000,
        "required_fields": ["courriel", "code_insee"],
    }
    assert await columns(db, edition) == (
        "92",
        ["95018"],
        8,
        ["SARL", "Entreprise individuelle"],
        15000,
        ["courriel", "code_insee"],
    )
    # A PUT replaces: what is left out is cleared.
    cleared = await client.put(f"/api/editions/{SLUG}/eligibility", json={"territory": {"department": "92"}})
    assert cleared.status_code == 200
    assert await columns(db, edition) == ("92", [], None, [], None, [])
    rows = await db.conn.fetch("select actor_label, action, target from audit_events order by id")
    me = await db.conn.fetchval("select id from people where email = 'cma@exemple.fr'")
    assert [tuple(r.values()) for r in rows] == [
        (f"organiser:{me}", "eligibility.replaced", f"edition:{SLUG}")
    ] * 2


async def test_bad_rules_are_refused_naming_the_field(client, db):
    edition = await scene(db)
    await sign_in(client, email="cma@exemple.fr")
    response = await client.put(
        f"/api/editions/{SLUG}/eligibility",
        json={
            "territory": {"department": "92", "accepted_outside_insee": ["92050", "12345"]},
            "max_request_eur": 60000,
        },
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "territory.accepted_outside_insee[0]",
        "territory.accepted_outside_insee[1]",
        "max_request_eur",
    ]
    unknown = await client.put(f"/api/editions/{SLUG}/eligibility", json={"required_fields": ["telephone"]})
    assert unknown.status_code == 422  # refused by the body's type, which lists the columns
    assert [e["field"] for e in unknown.json()["errors"]] == ["required_fields[0]"]
    assert await columns(db, edition) == ("92", [], None, [], None, [])
    assert await db.conn.fetchval("select count(*) from audit_events") == 0


async def test_strangers_are_refused(client, db):
    await scene(db)
    body = {"territory": {"department": "92"}}
    assert (await client.put(f"/api/editions/{SLUG}/eligibility", json=body)).status_code == 401
    await sign_in(client, email="ess@exemple.fr")
    assert (await client.put(f"/api/editions/{SLUG}/eligibility", json=body)).status_code == 403
    assert (await client.put("/api/editions/inconnue-2026/eligibility", json=body)).status_code == 404


async def test_the_page_form_and_what_it_shows(client, db):
    edition = await scene(db)
    await sign_in(client, email="cma@exemple.fr")
    saved = await client.post(
        f"/organisation/editions/{SLUG}/grille/eligibilite",
        data={
            "department": "92",
            "accepted_outside_insee": "95018",
            "max_company_age_years": "8",
            "legal_forms": "SARL\r\nSAS\r\n",
            "max_request_eur": "",
            "required_fields": ["courriel", "projet"],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert await columns(db, edition) == ("92", ["95018"], 8, ["SARL", "SAS"], None, ["courriel", "projet"])
    page = await client.get(f"/organisation/editions/{SLUG}/grille", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'value="95018"' in page.text and 'name="max_company_age_years" min="1" value="8"' in page.text
    assert 'value="courriel" checked' in page.text
    refused = await client.post(
        f"/organisation/editions/{SLUG}/grille/eligibilite",
        data={"department": "92", "max_company_age_years": "huit"},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 422 and "max_company_age_years" in refused.text
