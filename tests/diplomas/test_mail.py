"""E-mailing the winners' links through a real SMTP server (aiosmtpd, on a local port)."""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import AsyncIterator, Iterator

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests.helpers import free_port

from jury.app import create_app
from jury.contests.service import get_edition
from jury.db.queries import Database
from jury.demo.loader import load_demo
from jury.diplomas import service
from jury.settings import Settings

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

EDITION = "gateau-des-hauts-de-seine-2023"
PAGE = f"/organisation/editions/{EDITION}/diplomes"


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
async def demo(db: Database) -> Database:
    await load_demo(db)
    return db


async def _sign_in(client: AsyncTestClient) -> None:
    response = await client.post(
        "/connexion", data={"email": "romain.texier@exemple.fr", "password": "demo-jury-92"}
    )
    assert response.status_code in (200, 303)


@pytest.fixture
async def mail_client(
    settings: Settings, demo: Database, smtp: tuple[Inbox, int]
) -> AsyncIterator[AsyncTestClient]:
    _, port = smtp
    settings = msgspec.structs.replace(
        settings,
        render_workers=1,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="concours@exemple.fr",
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


async def test_winners_receive_their_link_by_mail(
    mail_client: AsyncTestClient, demo: Database, smtp: tuple[Inbox, int], capfd: pytest.CaptureFixture[str]
) -> None:
    inbox, _ = smtp
    edition = await get_edition(demo, slug=EDITION)
    await service.issue_diplomas(demo, edition_id=edition.id)
    sources = await service.sources_of_edition(demo, edition_id=edition.id)
    await _sign_in(mail_client)

    response = await mail_client.post(f"{PAGE}/envoyer", data={"days": "90"})
    assert response.status_code == 200, response.text
    assert "3 e-mail(s) envoyé(s)" in html.unescape(response.text)
    assert len(inbox.messages) == 3
    assert sorted(rcpt for _, [rcpt] in inbox.envelopes) == sorted(s["email"] for s in sources)

    message = inbox.messages[0]
    assert message["From"] == "concours@exemple.fr"
    assert message["Subject"].startswith("Votre diplôme — Imaginez le gâteau des Hauts-de-Seine")
    body = message.get_content()
    assert "Félicitations" in body
    [token] = re.findall(r"/diplome/([A-Za-z0-9_-]{40,})", body)
    assert f"{mail_client.app.state.settings.base_url}/diplome/{token}" in body

    page = await mail_client.get(f"/diplome/{token}")
    assert page.status_code == 200
    [rcpt] = inbox.envelopes[0][1]
    own = next(s for s in sources if s["email"] == rcpt)
    assert own["verification_code"] in page.text

    emailed = await demo.conn.fetchval("select count(*) from diploma_links where emailed_at is not null")
    assert emailed == 3
    logs = capfd.readouterr()
    leaks = [line for line in (logs.out + logs.err).splitlines() if token in line]
    assert not leaks, "a link token must never be logged"


async def test_request_line_does_not_carry_link_tokens(
    settings: Settings, demo: Database, capfd: pytest.CaptureFixture[str]
) -> None:
    token = "jeton-secret-" + "y" * 32
    async with AsyncTestClient(app=create_app(msgspec.structs.replace(settings, render_workers=1))) as client:
        await client.get(f"/diplome/{token}")
    logs = capfd.readouterr()
    assert token not in logs.out + logs.err


async def test_sending_without_smtp_settings_says_so(settings: Settings, demo: Database) -> None:
    async with AsyncTestClient(app=create_app(msgspec.structs.replace(settings, render_workers=1))) as client:
        await _sign_in(client)
        response = await client.post(f"{PAGE}/envoyer", data={})
        assert response.status_code == 422
        assert "pas configuré" in html.unescape(response.text)
        assert await demo.conn.fetchval("select count(*) from diploma_links") == 0
