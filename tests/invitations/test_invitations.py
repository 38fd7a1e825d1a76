"""Jurors invited by e-mail with their personal link and QR code (the card's credential), reminded of their
unfinished sheets before the round's date, and the table of what was sent to whom and when; the e-mails
are multipart, sent by the job queue through a real SMTP server, retried when it fails."""

from __future__ import annotations

import asyncio
import html
import re

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from pgqueuer.errors import RetryRequested
from tests.helpers import sign_in
from tests.invitations.conftest import OTHER_ORGANISER, SLUG, Jury
from tests.mail_server import Inbox, parts

from jury.app import create_app
from jury.auth.service import issue_codes
from jury.clock import Clock
from jury.db.queries import Database, Queries
from jury.outbox import service as outbox
from jury.settings import Settings

PAGE = f"/organisation/editions/{SLUG}/invitations"


async def _until_sent(db: Database, count: int) -> None:
    for _ in range(400):
        if await db.conn.fetchval("select count(*) from outgoing_mail where status = 'sent'") >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("messages not marked sent")


async def test_an_invited_juror_signs_in_from_the_link_of_the_email(
    organiser: AsyncTestClient,
    db: Database,
    jury: Jury,
    smtp_server: Inbox,
    mail_settings: Settings,
    clock: Clock,
) -> None:
    response = await organiser.post(PAGE, data={"person_id": str(jury.marc)})
    assert response.status_code == 200, response.text
    assert "1 invitation en cours d'envoi." in html.unescape(response.text)

    [message] = await smtp_server.wait_for(1)
    assert smtp_server.envelopes == [("concours@exemple.fr", ["marc@exemple.fr"])]
    assert message["Subject"] == "Votre accès de juré — Made In 92 2026"
    assert message["To"] == "Marc Lefèvre <marc@exemple.fr>"
    text, page = parts(message)
    [code] = re.findall(r"http://jury\.test/acces/([A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert f"votre code d'accès {code} sur http://jury.test/acces" in text
    assert f'href="http://jury.test/acces/{code}"' in page and 'src="cid:qr-acces"' in page
    [image] = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<qr-acces>" and image.get_content().startswith(b"\x89PNG")

    async with AsyncTestClient(app=create_app(mail_settings, clock=clock)) as tablet:
        signed = await tablet.get(f"/acces/{code}", follow_redirects=False)
        assert (signed.status_code, signed.headers["location"]) == (303, "/jure/")
        home = await tablet.get("/jure/")
        assert home.status_code == 200 and "Marc Lefèvre" in home.text

    await _until_sent(db, 1)
    [sent] = (await organiser.get(f"/api/editions/{SLUG}/messages")).json()
    assert (sent["kind"], sent["recipient"], sent["person_name"], sent["status"], sent["attempts"]) == (
        "juror_invitation",
        "marc@exemple.fr",
        "Marc Lefèvre",
        "sent",
        1,
    )
    assert sent["queued_on"] == "27/11/2026 09:00"
    table = html.unescape((await organiser.get(PAGE)).text)
    assert "Invitation d'un juré" in table and "Marc Lefèvre <marc@exemple.fr>" in table and "envoyé" in table
    assert await db.conn.fetchval("select message from outgoing_mail") is None  # not kept once sent
    actions = [r["action"] for r in await db.conn.fetch("select action from audit_events order by id")]
    assert actions == ["access_codes.issued", "jurors.invited"]


async def test_inviting_everyone_sends_one_message_each_and_replaces_their_cards(
    organiser: AsyncTestClient, db: Database, jury: Jury, smtp_server: Inbox
) -> None:
    [old_card] = await issue_codes(db, edition_id=jury.edition_id, person_ids=[jury.claire])
    response = await organiser.post(f"/api/editions/{SLUG}/invitations", json={})
    assert response.status_code == 200, response.text
    assert sorted(response.json()["person_ids"]) == sorted([jury.claire, jury.marc, jury.sophie])
    messages = await smtp_server.wait_for(3)
    assert sorted(rcpt for _, [rcpt] in smtp_server.envelopes) == [
        "claire@exemple.fr",
        "marc@exemple.fr",
        "sophie@exemple.fr",
    ]
    assert all(m.is_multipart() for m in messages)
    refused = await organiser.post("/acces", data={"code": old_card.code}, follow_redirects=False)
    assert refused.status_code == 422  # the printed card gave way to the invitation


async def test_a_reminder_goes_only_to_jurors_with_sheets_to_validate(
    organiser: AsyncTestClient, db: Database, jury: Jury, smtp_server: Inbox
) -> None:
    response = await organiser.post(f"/organisation/rounds/{jury.round_id}/rappels")
    assert response.status_code == 200, response.text
    assert "1 rappel en cours d'envoi." in html.unescape(response.text)
    [message] = await smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["marc@exemple.fr"]
    assert message["Subject"] == "Fiches à valider — Demi-finale, Made In 92 2026"
    text, page = parts(message)
    assert (
        "Il vous reste 1 fiche d'évaluation à valider pour le tour « Demi-finale » du concours "
        "« Made In 92 » (2026), avant le 3 décembre 2026." in text
    )
    assert "<strong>1 fiche d'évaluation</strong>" in page
    assert "/acces/" not in text  # a reminder carries no credential
    await _until_sent(db, 1)
    [sent] = (await organiser.get(f"/api/editions/{SLUG}/messages")).json()
    assert (sent["kind"], sent["round_name"], sent["status"]) == ("juror_reminder", "Demi-finale", "sent")
    event = await db.conn.fetchrow("select action, target from audit_events order by id desc limit 1")
    assert tuple(event) == ("jurors.reminded", f"round:{jury.round_id}")


async def test_no_reminder_once_the_round_is_past_closed_or_done(
    organiser: AsyncTestClient, db: Database, jury: Jury
) -> None:
    await db.conn.execute("update rounds set scheduled_on = '2026-11-26' where id = $1", jury.round_id)
    past = await organiser.post(f"/api/rounds/{jury.round_id}/reminders")
    assert (past.status_code, past.json()["detail"]) == (
        409,
        "La date du tour « Demi-finale » (26 novembre 2026) est passée : aucun rappel.",
    )
    await db.conn.execute(
        "update rounds set scheduled_on = null, status = 'deliberation' where id = $1", jury.round_id
    )
    closed = await organiser.post(f"/api/rounds/{jury.round_id}/reminders")
    assert closed.status_code == 409 and "n'est pas en notation" in closed.json()["detail"]
    await db.conn.execute("update rounds set status = 'open' where id = $1", jury.round_id)
    await db.conn.execute("update score_sheets set status = 'submitted', submitted_at = now()")
    done = await organiser.post(f"/api/rounds/{jury.round_id}/reminders")
    assert (done.status_code, done.json()["detail"]) == (
        409,
        "Toutes les fiches du tour « Demi-finale » sont validées : aucun rappel à envoyer.",
    )
    assert await db.conn.fetchval("select count(*) from outgoing_mail") == 0


async def test_without_smtp_nothing_is_sent_nor_issued(
    settings: Settings, clock: Clock, db: Database, jury: Jury
) -> None:
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        await sign_in(client, email="cci@exemple.fr")
        response = await client.post(f"/api/editions/{SLUG}/invitations", json={"person_ids": [jury.marc]})
        page = await client.get(PAGE)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("L'envoi d'e-mails n'est pas configuré")
    assert "imprimez les" in html.unescape(page.text)
    assert await db.conn.fetchval("select count(*) from access_codes") == 0


async def test_only_the_contests_organisers_invite_and_remind(
    mail_settings: Settings, clock: Clock, db: Database, jury: Jury
) -> None:
    async with AsyncTestClient(app=create_app(mail_settings, clock=clock)) as client:
        assert (await client.post(f"/api/editions/{SLUG}/invitations", json={})).status_code == 401
        assert (await client.get(PAGE)).status_code == 401
        await sign_in(client, email=OTHER_ORGANISER)
        assert (await client.post(f"/api/editions/{SLUG}/invitations", json={})).status_code == 403
        assert (await client.post(f"/api/rounds/{jury.round_id}/reminders")).status_code == 403
        assert (await client.get(f"/api/editions/{SLUG}/messages")).status_code == 403
        unknown = await client.post(f"/api/editions/{SLUG}/invitations", json={"person_ids": [999_999]})
        assert unknown.status_code == 403
    assert await db.conn.fetchval("select count(*) from outgoing_mail") == 0


async def test_a_message_the_server_refuses_is_retried_then_given_up(
    settings: Settings, clock: Clock, db: Database, jury: Jury, pool, smtp_server: Inbox
) -> None:
    from tests.helpers import free_port

    down = msgspec.structs.replace(
        settings,
        in_process_jobs=False,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # nothing listens there
        smtp_from="concours@exemple.fr",
    )
    async with AsyncTestClient(app=create_app(down, clock=clock)) as client:
        await sign_in(client, email="cci@exemple.fr")
        response = await client.post(f"/api/editions/{SLUG}/invitations", json={"person_ids": [jury.marc]})
    [mail_id] = response.json()["mail_ids"]
    payload = msgspec.json.encode(outbox.Delivery(mail_id=mail_id))
    queries = Queries(settings.queries_dir)

    with pytest.raises(RetryRequested) as retry:
        await outbox.deliver(payload, pool=pool, queries=queries, settings=down, clock=clock)
    assert retry.value.delay.total_seconds() == 30
    row = await db.conn.fetchrow(
        "select status, attempts, last_error, message is null as cleared from outgoing_mail"
    )
    assert (row["status"], row["attempts"], row["cleared"]) == ("queued", 1, False)
    assert row["last_error"] == "Le serveur d'e-mails a refusé l'envoi (ConnectionRefusedError)."

    up = msgspec.structs.replace(down, smtp_port=smtp_server.port)
    assert await outbox.deliver(payload, pool=pool, queries=queries, settings=up, clock=clock) == "sent"
    assert [m["To"] for m in smtp_server.messages] == ["Marc Lefèvre <marc@exemple.fr>"]
    assert await outbox.deliver(payload, pool=pool, queries=queries, settings=up, clock=clock) == "gone"

    await db.conn.execute(
        "update outgoing_mail set status = 'queued', message = 'x', attempts = $1", outbox.MAX_ATTEMPTS - 1
    )
    assert await outbox.deliver(payload, pool=pool, queries=queries, settings=down, clock=clock) == "failed"
    row = await db.conn.fetchrow("select status, attempts, message from outgoing_mail")
    assert tuple(row) == ("failed", outbox.MAX_ATTEMPTS, None)
