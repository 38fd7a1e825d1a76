"""In a real headless Chromium: the organiser invites a juror from the invitations page, the juror opens the
link of the e-mail on a tablet and lands on their home page, signed in. Skipped where Playwright or
Chromium is missing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from tests.helpers import PASSWORD
from tests.invitations.conftest import ORGANISER, SLUG, Jury
from tests.mail_server import Inbox, parts, serving
from tests.scoring import conftest as scoring
from tests.scoring.conftest import BROWSER_MARKS

from jury.app import create_app
from jury.clock import Clock
from jury.settings import Settings

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS
browser = scoring.browser  # Debian's Chromium in French, shared with the juror pages' browser tests


@pytest.fixture
async def server(mail_settings: Settings, clock: Clock, jury: Jury) -> AsyncIterator[str]:
    async with serving(create_app(mail_settings, clock=clock)) as url:
        yield url


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
