"""The public application form: its fields from the edition's setup, the rules checked as one types and
again on submit, documents recognised from their content, the honeypot, the rate limit, the closed form."""

from __future__ import annotations

import asyncio
import html
import re

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests.applications.conftest import GOOD, PDF, PNG, SLUG, Edition, apply
from tests.mail_server import Inbox, parts

from jury.app import create_app
from jury.clock import Clock
from jury.db.queries import Database
from jury.settings import Settings


async def test_the_form_shows_the_fields_of_the_edition(applicant: AsyncTestClient) -> None:
    page = await applicant.get(f"/candidater/{SLUG}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for label in (
        "Entreprise ou association",
        "Porteur du projet",
        "Commune du siège",
        "Forme juridique",
        "Date de création",
        "Projet",
        "Catégorie",
    ):
        assert label in text, label
    assert "Moins de 8 ans à la clôture des candidatures." in text
    assert '<option value="92050" >Nanterre (92050)</option>' in page.text
    assert "Nom de la création" not in text and "Montant demandé" not in text
    assert 'name="site_web"' in page.text and 'class="hp-field"' in page.text
    assert "ouvertes jusqu'au <strong>15 décembre 2026</strong>" in text
    assert '<script src="/static/applications.js" defer></script>' in page.text


async def test_the_check_names_every_failed_rule_and_writes_nothing(
    applicant: AsyncTestClient, db: Database
) -> None:
    response = await applicant.post(
        f"/candidater/{SLUG}/verification",
        json={**GOOD, "date_creation": "2012-01-10", "code_insee": "95018", "courriel": "ines@@x"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["eligible"] is False
    assert body["errors"] == [
        {
            "field": "courriel",
            "message": "Adresse électronique invalide : « ines@@x ».",
            "line": None,
            "link": None,
        }
    ]
    assert [f["rule"] for f in body["failures"]] == ["territory", "company_age"]
    assert body["failures"][1]["message"] == (
        "Entreprise créée le 10 janvier 2012 : 14 ans à la clôture du 15 décembre 2026 (moins de 8 ans exigés)"
    )
    ok = await applicant.post(f"/candidater/{SLUG}/verification", json=GOOD)
    assert ok.json() == {"eligible": True, "errors": [], "failures": []}
    assert await db.conn.fetchval("select count(*) from applications") == 0


async def test_an_ineligible_application_is_refused_with_its_reason(
    applicant: AsyncTestClient, db: Database
) -> None:
    response = await apply(applicant, {**GOOD, "date_creation": "2012-01-10"})
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Candidature refusée (1 motif) : rien n'a été enregistré." in text
    assert "Entreprise créée le 10 janvier 2012 : 14 ans à la clôture" in text
    assert 'value="Vasques &amp; Grès SAS"' in response.text  # what was typed is kept
    assert await db.conn.fetchval("select count(*) from applications") == 0


async def test_an_application_with_a_document_is_stored_and_acknowledged_by_mail(
    applicant: AsyncTestClient,
    db: Database,
    smtp_server: Inbox,
    mail_settings: Settings,
    capfd: pytest.CaptureFixture[str],
) -> None:
    response = await apply(applicant)
    assert response.status_code == 303, response.text
    [token] = re.findall(r"^/candidature/([A-Za-z0-9_-]{40,})\?envoyee=1$", response.headers["location"])

    [message] = await smtp_server.wait_for(1)
    assert smtp_server.envelopes == [("concours@exemple.fr", ["ines.morel@vasques.example"])]
    assert message["Subject"] == "Candidature reçue — Made In 92 2026"
    text, page = parts(message)
    assert f"http://jury.test/candidature/{token}" in text
    assert f'href="http://jury.test/candidature/{token}"' in page
    assert "Documents joints : statuts.pdf." in text
    assert "jusqu'au 15 décembre 2026" in text

    row = await db.conn.fetchrow("select status, email, display_name, fields from applications")
    assert (row["status"], row["email"], row["display_name"]) == (
        "submitted",
        "ines.morel@vasques.example",
        "Vasques & Grès SAS",
    )
    doc = await db.conn.fetchrow(
        "select file_name, media_type, size_bytes, sha256 from application_documents"
    )
    assert (doc["file_name"], doc["media_type"], doc["size_bytes"]) == (
        "statuts.pdf",
        "application/pdf",
        len(PDF),
    )
    assert (mail_settings.storage_dir / "applications" / doc["sha256"]).read_bytes() == PDF
    for _ in range(200):  # the worker marks the message sent just after the SMTP server took it
        mail = await db.conn.fetchrow("select kind, status, attempts, message from outgoing_mail")
        if mail["status"] == "sent":
            break
        await asyncio.sleep(0.05)
    assert (mail["kind"], mail["status"], mail["attempts"], mail["message"]) == (
        "application_ack",
        "sent",
        1,
        None,
    )
    event = await db.conn.fetchrow(
        "select actor_id, actor_label, action from audit_events order by id desc limit 1"
    )
    assert tuple(event) == (None, "candidat", "application.submitted")

    own = await applicant.get(f"/candidature/{token}?envoyee=1")
    assert own.status_code == 200
    assert "Candidature envoyée." in html.unescape(own.text) and "statuts.pdf" in own.text
    logs = capfd.readouterr()
    assert "path=/candidature/…" in logs.out or '"path": "/candidature/…"' in logs.out
    assert not [line for line in (logs.out + logs.err).splitlines() if token in line], (
        "a private link is never logged"
    )


async def test_a_document_is_judged_by_its_content_not_its_name(
    applicant: AsyncTestClient, db: Database
) -> None:
    renamed = await apply(applicant, files=[("documents", ("photo.pdf", PNG, "application/pdf"))])
    assert renamed.status_code == 303, renamed.text
    assert await db.conn.fetchval("select media_type from application_documents") == "image/png"

    word = await apply(
        applicant,
        {**GOOD, "courriel": "autre@vasques.example"},
        files=[("documents", ("budget.pdf", b"PK\x03\x04 a word file", "application/pdf"))],
    )
    assert word.status_code == 422
    assert "« budget.pdf » n'est ni un PDF, ni une image JPEG ou PNG (format reconnu à son contenu)." in (
        html.unescape(word.text)
    )
    assert await db.conn.fetchval("select count(*) from applications") == 1


async def test_a_document_over_the_size_limit_is_refused(
    mail_settings: Settings, clock: Clock, edition: Edition, db: Database
) -> None:
    settings = msgspec.structs.replace(mail_settings, application_document_max_bytes=1024)
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        response = await apply(
            client, files=[("documents", ("gros.pdf", PDF + b" " * 2000, "application/pdf"))]
        )
    assert response.status_code == 422
    assert "« gros.pdf » dépasse la taille maximale d'un document (1 Kio ; il en fait 2)." in html.unescape(
        response.text
    )
    assert await db.conn.fetchval("select count(*) from applications") == 0


async def test_a_robot_filling_the_honeypot_is_refused(applicant: AsyncTestClient, db: Database) -> None:
    response = await apply(applicant, {**GOOD, "site_web": "http://spam.example"})
    assert response.status_code == 422
    assert "Envoi refusé." in html.unescape(response.text)
    assert await db.conn.fetchval("select count(*) from applications") == 0


async def test_applications_from_one_address_are_limited_per_hour(
    mail_settings: Settings, clock: Clock, edition: Edition, db: Database
) -> None:
    settings = msgspec.structs.replace(mail_settings, applications_per_hour=2, smtp_host="")
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        statuses = [
            (await apply(client, {**GOOD, "courriel": f"c{i}@vasques.example"})).status_code for i in range(3)
        ]
        check = await client.post(f"/candidater/{SLUG}/verification", json=GOOD)
    assert statuses == [303, 303, 429]
    assert check.status_code == 200  # checking as one types is never throttled
    assert await db.conn.fetchval("select count(*) from applications") == 2


async def test_an_edition_not_taking_applications_says_so(
    applicant: AsyncTestClient, db: Database, edition: Edition
) -> None:
    await db.conn.execute("update editions set status = 'judging' where id = $1", edition.edition_id)
    page = await applicant.get(f"/candidater/{SLUG}")
    assert page.status_code == 200
    assert "Les candidatures à « Made In 92 2026 » ne sont pas ouvertes." in html.unescape(page.text)
    assert "<form" not in page.text.split("<main")[1]
    sent = await apply(applicant)
    assert sent.status_code == 409
    assert "ne sont pas ouvertes" in html.unescape(sent.text)
    check = await applicant.post(f"/candidater/{SLUG}/verification", json=GOOD)
    assert check.status_code == 409


async def test_applications_from_one_email_address_are_limited_per_hour(
    mail_settings: Settings, clock: Clock, edition: Edition, db: Database
) -> None:
    settings = msgspec.structs.replace(mail_settings, applications_per_hour=100, smtp_host="")
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        sent = [(await apply(client, {**GOOD, "projet": f"Projet {i}"})).status_code for i in range(3)]
        refused = await apply(client, {**GOOD, "courriel": "INES.MOREL@vasques.example"})
    assert sent == [303, 303, 303]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "3600"
    assert (
        "Trop de candidatures envoyées depuis l'adresse INES.MOREL@vasques.example : réessayez dans 60 minutes."
        in (html.unescape(refused.text))
    )
    assert await db.conn.fetchval("select count(*) from applications") == 3
