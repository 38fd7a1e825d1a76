"""After sending: the applicant's private link (see, correct, add documents until the closing date) and the
organiser's decision (accepted into the first round as a candidate, or refused with a reason), on the pages
and through the JSON API."""

from __future__ import annotations

import html
import re

from litestar.testing import AsyncTestClient
from tests.applications.conftest import GOOD, NO_FILE, OTHER_ORGANISER, PDF, PNG, SLUG, Edition, apply
from tests.helpers import sign_in
from tests.mail_server import Inbox, parts

from jury.db.queries import Database


async def _sent(applicant: AsyncTestClient, values: dict[str, str] | None = None) -> str:
    response = await apply(applicant, values)
    assert response.status_code == 303, response.text
    return re.findall(r"/candidature/([^?]+)", response.headers["location"])[0]


async def test_the_private_link_corrects_and_completes_the_application(
    applicant: AsyncTestClient, db: Database
) -> None:
    token = await _sent(applicant)
    response = await applicant.post(
        f"/candidature/{token}",
        data={**GOOD, "projet": "Vasques et lavabos en grès"},
        files=[("documents", ("atelier.png", PNG, "image/png"))],
    )
    assert response.status_code == 200, response.text
    assert "Modifications enregistrées." in html.unescape(response.text)
    assert "atelier.png" in response.text and "statuts.pdf" in response.text
    fields = await db.conn.fetchval("select fields from applications")
    assert fields["projet"] == "Vasques et lavabos en grès"
    assert await db.conn.fetchval("select count(*) from application_documents") == 2

    refused = await applicant.post(
        f"/candidature/{token}", data={**GOOD, "date_creation": "2010-05-02"}, files=NO_FILE
    )
    assert refused.status_code == 422
    assert "Entreprise créée le 2 mai 2010" in html.unescape(refused.text)
    assert (await db.conn.fetchval("select fields from applications"))["date_creation"] == "2021-03-15"

    unknown = await applicant.get("/candidature/pas-un-lien")
    assert unknown.status_code == 404


async def test_after_the_closing_date_the_application_is_read_only(
    applicant: AsyncTestClient, db: Database, edition: Edition
) -> None:
    token = await _sent(applicant)
    await db.conn.execute("update editions set closes_on = '2026-11-26' where id = $1", edition.edition_id)
    page = await applicant.get(f"/candidature/{token}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Les candidatures à « Made In 92 2026 » ont été closes le 26 novembre 2026." in text
    assert "Vasques en grès recyclé" in text and 'enctype="multipart/form-data"' not in page.text
    late = await applicant.post(f"/candidature/{token}", data=GOOD, files=NO_FILE)
    assert late.status_code == 409


async def test_the_organiser_accepts_an_application_into_the_first_round(
    applicant: AsyncTestClient, organiser: AsyncTestClient, db: Database, edition: Edition, smtp_server: Inbox
) -> None:
    await _sent(applicant)
    [listed] = (await organiser.get(f"/api/editions/{SLUG}/applications")).json()
    assert (listed["status"], listed["display_name"], listed["eligibility"]) == (
        "submitted",
        "Vasques & Grès SAS",
        [],
    )
    assert [d["file_name"] for d in listed["documents"]] == ["statuts.pdf"]
    page = await organiser.get(f"/organisation/editions/{SLUG}/candidatures")
    assert "Vasques &amp; Grès SAS" in page.text and "à examiner" in html.unescape(page.text)
    document = await organiser.get(
        f"/organisation/candidatures/{listed['id']}/documents/{listed['documents'][0]['id']}"
    )
    assert (document.status_code, document.content, document.headers["content-type"]) == (
        200,
        PDF,
        "application/pdf",
    )

    response = await organiser.post(
        f"/organisation/candidatures/{listed['id']}/acceptation", follow_redirects=False
    )
    assert response.status_code == 303, response.text
    candidate = await db.conn.fetchrow(
        "select c.id, c.organisation_name, c.email, c.insee_code, c.founded_on::text, k.code, cr.round_id, cr.status "
        "from candidates c join categories k on k.id = c.category_id "
        "join candidate_rounds cr on cr.candidate_id = c.id"
    )
    assert tuple(candidate)[1:] == (
        "Vasques & Grès SAS",
        "ines.morel@vasques.example",
        "92050",
        "2021-03-15",
        "industrie",
        edition.round_id,
        "pending",
    )
    accepted = (await organiser.get(f"/api/applications/{listed['id']}")).json()
    assert (accepted["status"], accepted["candidate_id"]) == ("accepted", candidate["id"])
    actions = [r["action"] for r in await db.conn.fetch("select action from audit_events order by id")]
    assert actions[-2:] == ["candidate.created", "application.accepted"]

    ack, decision = await smtp_server.wait_for(2)
    assert ack["Subject"] == "Candidature reçue — Made In 92 2026"
    assert decision["Subject"] == "Votre candidature est acceptée — Made In 92 2026"
    text, page = parts(decision)
    assert (
        "Vous êtes inscrit au premier tour, « Présélection »" in text and "<strong>acceptée</strong>" in page
    )

    again = await organiser.post(f"/api/applications/{listed['id']}/acceptance")
    assert again.status_code == 409
    assert again.json()["detail"] == "Cette candidature a déjà été acceptée."


async def test_the_organiser_refuses_an_application_with_a_reason(
    applicant: AsyncTestClient, organiser: AsyncTestClient, db: Database, smtp_server: Inbox
) -> None:
    await _sent(applicant)
    application_id = await db.conn.fetchval("select id from applications")
    missing = await organiser.post(f"/api/applications/{application_id}/refusal", json={"reason": "  "})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason"
    page = await organiser.post(
        f"/organisation/candidatures/{application_id}/refus",
        data={"reason": "Activité de négoce, hors du champ du concours"},
        follow_redirects=False,
    )
    assert page.status_code == 303
    row = await db.conn.fetchrow("select status, refusal_reason, candidate_id from applications")
    assert tuple(row) == ("refused", "Activité de négoce, hors du champ du concours", None)
    assert await db.conn.fetchval("select count(*) from candidates") == 0
    token_page = await organiser.get(f"/organisation/candidatures/{application_id}")
    assert "Activité de négoce" in html.unescape(token_page.text)
    _, decision = await smtp_server.wait_for(2)
    assert decision["Subject"] == "Votre candidature n'a pas été retenue — Made In 92 2026"
    text, _ = parts(decision)
    assert "n'a pas été retenue, pour le motif suivant :" in text
    assert "Activité de négoce, hors du champ du concours" in text


async def test_only_the_editions_organisers_see_and_decide_applications(
    applicant: AsyncTestClient, organiser: AsyncTestClient, db: Database
) -> None:
    await _sent(applicant)
    application_id = await db.conn.fetchval("select id from applications")
    anonymous = await applicant.get(f"/api/applications/{application_id}")
    assert anonymous.status_code == 401
    refused = await applicant.post(f"/api/applications/{application_id}/acceptance")
    assert refused.status_code == 401
    await sign_in(applicant, email=OTHER_ORGANISER)
    assert (await applicant.get(f"/api/applications/{application_id}")).status_code == 403
    assert (await applicant.get(f"/api/editions/{SLUG}/applications")).status_code == 403
    assert (await applicant.post(f"/api/applications/{application_id}/acceptance")).status_code == 403
    assert await db.conn.fetchval("select status from applications") == "submitted"
    assert (await organiser.get(f"/api/applications/{application_id}")).status_code == 200
