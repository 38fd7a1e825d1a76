"""Issue 14, contests and editions through the organisers' pages: « Nouvelle édition », the settings page
with its lifecycle buttons, and the administrators' page creating a contest and naming organisers."""

from __future__ import annotations

from tests.contests.test_setup_api import ADMIN, CLAIRE, LEILA, made_in_92_2025, people
from tests.helpers import sign_in


async def test_an_organiser_creates_next_years_edition_from_the_contests_page(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    page = await client.get("/organisation/")
    assert page.status_code == 200
    assert 'action="/organisation/concours/made-in-92/editions"' in page.text
    assert 'value="2026"' in page.text and '<option value="made-in-92-2025" selected>' in page.text
    assert "/organisation/concours/nouveau" not in page.text  # not an administrator

    created = await client.post(
        "/organisation/concours/made-in-92/editions",
        data={"year": "2026", "copy_from": "made-in-92-2025"},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"] == "/organisation/editions/made-in-92-2026/parametres"
    assert (
        await db.conn.fetchval(
            "select count(*) from rounds r join editions e on e.id = r.edition_id where e.slug = 'made-in-92-2026'"
        )
        == 3
    )

    again = await client.post(
        "/organisation/concours/made-in-92/editions", data={"year": "2026", "copy_from": ""}
    )
    assert again.status_code == 409 and "existe déjà" in again.text


async def test_the_settings_page_saves_refuses_by_field_and_moves_the_edition(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    await client.post("/organisation/concours/made-in-92/editions", data={"year": "2027", "copy_from": ""})
    url = "/organisation/editions/made-in-92-2027/parametres"
    page = await client.get(url)
    assert page.status_code == 200
    assert "Passer à « candidatures ouvertes »" in page.text
    assert "Aucun tour n&#39;est défini." in page.text or "Aucun tour n'est défini." in page.text
    assert "/organisation/editions/made-in-92-2027/tours" in page.text

    form = {
        "number": "12",
        "theme": "Douze",
        "place": "Nanterre",
        "opens_on": "2027-03-01",
        "closes_on": "2027-01-15",
        "decision_on": "",
        "budget_eur": "10 000",
        "max_grant_eur": "20000",
        "max_company_age_years": "8",
        "eligible_legal_forms": "SAS\nSARL",
        "accepted_outside_insee": "95018",
        "tie_break_policy": "calibrated_score, chair",
        "retention_months": "24",
    }
    refused = await client.post(url, data=form)
    assert refused.status_code == 422
    assert "<strong>closes_on</strong>" in refused.text and "<strong>max_grant_eur</strong>" in refused.text
    assert 'value="Douze"' in refused.text  # what was typed comes back
    saved = await client.post(
        url, data=form | {"closes_on": "2027-04-15", "max_grant_eur": "5000"}, follow_redirects=False
    )
    assert saved.status_code == 303
    row = await db.conn.fetchrow(
        "select theme, budget_eur, eligible_legal_forms, accepted_outside_insee, allow_multiple_prizes "
        "from editions where slug = 'made-in-92-2027'"
    )
    assert tuple(row) == ("Douze", 10000, ["SAS", "SARL"], ["95018"], False)

    move = await client.post(
        "/organisation/editions/made-in-92-2027/etat", data={"status": "applications", "reason": ""}
    )
    assert move.status_code == 422 and "Aucun tour n" in move.text
    assert await db.conn.fetchval("select status from editions where slug = 'made-in-92-2027'") == "preparing"


async def test_the_administrators_page_creates_a_contest_and_names_an_organiser(client, db):
    await people(db)
    await sign_in(client, email=CLAIRE)
    assert (await client.get("/organisation/concours/nouveau")).status_code == 403
    assert (await client.post("/organisation/concours/nouveau", data={"slug": "x"})).status_code == 403
    client.cookies.clear()
    await sign_in(client, email=ADMIN)
    assert "/organisation/concours/nouveau" in (await client.get("/organisation/")).text
    form = {
        "slug": "curious-lab",
        "name": "Curious Lab'",
        "organisers": "Département des Hauts-de-Seine",
        "candidate_kind": "organisation",
        "description": "Projets étudiants pour les communes.",
    }
    refused = await client.post("/organisation/concours/nouveau", data=form | {"slug": "Curious Lab"})
    assert refused.status_code == 422 and "<strong>slug</strong>" in refused.text
    created = await client.post("/organisation/concours/nouveau", data=form, follow_redirects=False)
    assert created.status_code == 303
    page = await client.get(created.headers["location"])
    assert "Concours « curious-lab » créé" in page.text
    named = await client.post(
        "/organisation/concours/curious-lab/organisateurs",
        data={"email": LEILA, "name": "", "password": ""},
        follow_redirects=False,
    )
    assert named.status_code == 303
    assert (
        await db.conn.fetchval(
            "select count(*) from organisers o join contests c on c.id = o.contest_id where c.slug = 'curious-lab'"
        )
        == 1
    )
    no_password = await client.post(
        "/organisation/concours/curious-lab/organisateurs",
        data={"email": "x@exemple.fr", "name": "X", "password": ""},
    )
    assert no_password.status_code == 422 and "<strong>password</strong>" in no_password.text
