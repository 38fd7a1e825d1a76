"""In a real headless Chromium: the organiser invites a juror from the invitations page, the juror opens the
link of the e-mail on a tablet and lands on their home page, signed in. Skipped where Playwright or
Chromium is missing."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator

import pytest
from tests.helpers import PASSWORD
from tests.invitations.conftest import ORGANISER, SLUG, Jury
from tests.mail_server import Inbox, parts, serving

from jury.app import create_app
from jury.clock import Clock
from jury.settings import Settings

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")]


@pytest.fixture
async def server(mail_settings: Settings, clock: Clock, jury: Jury) -> AsyncIterator[str]:
    async with serving(create_app(mail_settings, clock=clock)) as url:
        yield url


@pytest.fixture
async def browser():
    async with playwright_api.async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # French tablets and desks: pages follow Accept-Language (jury.web.i18n).
            args=["--headless", "--no-sandbox", "--disable-gpu", "--accept-lang=fr-FR,fr"],
        )
        yield chromium
        await chromium.close()


async def test_a_juror_invited_by_email_signs_in_from_the_link(
    server: str, browser, jury: Jury, smtp_server: Inbox
) -> None:
    organiser = await (await browser.new_context()).new_page()
    await organiser.goto(f"{server}/connexion")
    await organiser.fill("input[name=email]", ORGANISER)
    await organiser.fill("input[name=password]", PASSWORD)
    await organiser.click("button[type=submit]")
    await organiser.goto(f"{server}/organisation/editions/{SLUG}/jures")
    await organiser.click("text=Inviter les jurés par e-mail")
    row = organiser.locator("tr", has_text="Marc Lefèvre")
    await row.locator("button", has_text="Inviter").click()
    await expect(organiser.locator("main")).to_contain_text("1 invitation en cours d'envoi.")

    [message] = await smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["marc@exemple.fr"]
    _, page_html = parts(message)
    [link] = re.findall(r'href="http://jury\.test(/acces/[A-Z0-9]{4}-[A-Z0-9]{4})"', page_html)

    tablet = await (
        await browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)
    ).new_page()
    await tablet.goto(f"{server}{link}")
    assert tablet.url == f"{server}/jure/"
    await expect(tablet.locator("body")).to_contain_text("Marc Lefèvre")

    for _ in range(50):  # the worker marks the message sent just after the SMTP server took it
        await organiser.reload()
        if "envoyé" in await organiser.locator("#messages").inner_text():
            break
        await asyncio.sleep(0.1)
    await expect(organiser.locator("#messages")).to_contain_text("Marc Lefèvre <marc@exemple.fr>")
    await expect(organiser.locator("#messages")).to_contain_text("envoyé")
