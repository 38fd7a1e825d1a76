"""In a real headless Chromium: an applicant applies with a document, sees the edition's rules checked as
they type, receives the acknowledgement e-mail and opens its link; the organiser accepts them into the first
round. Skipped where Playwright or Chromium is missing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from tests.applications.conftest import ORGANISER, PDF, SLUG, Edition
from tests.helpers import PASSWORD
from tests.mail_server import Inbox, parts, serving
from tests.scoring import conftest as scoring
from tests.scoring.conftest import BROWSER_MARKS

from jury.app import create_app
from jury.clock import Clock
from jury.db.queries import Database
from jury.settings import Settings

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS
browser = scoring.browser  # Debian's Chromium in French, shared with the juror pages' browser tests


@pytest.fixture
async def server(mail_settings: Settings, clock: Clock, edition: Edition) -> AsyncIterator[str]:
    async with serving(create_app(mail_settings, clock=clock)) as url:
        yield url


async def test_an_applicant_applies_with_a_document_and_the_organiser_accepts_them(
    server: str, browser, db: Database, edition: Edition, smtp_server: Inbox, tmp_path
) -> None:
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(PDF)
    context = await browser.new_context()
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))

    await page.goto(f"{server}/candidater/{SLUG}")
    await page.fill("#f-nom_structure", "Vasques & Grès SAS")
    await page.fill("#f-nom_porteur", "Inès Morel")
    await page.fill("#f-courriel", "ines.morel@vasques.example")
    await page.select_option("#f-code_insee", "92050")
    await page.fill("#f-forme_juridique", "SAS")
    await page.fill("#f-projet", "Vasques en grès recyclé")
    await page.select_option("#f-categorie", "industrie")
    # The rules are checked as the applicant types: a company founded in 2012 is too old for the edition.
    await page.fill("#f-date_creation", "2012-01-10")
    await expect(page.locator("#checks")).to_contain_text(
        "Entreprise créée le 10 janvier 2012 : 14 ans à la clôture du 15 décembre 2026 (moins de 8 ans exigés)"
    )
    await page.fill("#f-date_creation", "2021-03-15")
    await expect(page.locator("#checks")).to_contain_text(
        "Votre candidature remplit les règles de l'édition."
    )
    await page.set_input_files("#f-documents", str(statutes))
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/candidature/[A-Za-z0-9_-]+\?envoyee=1$"))
    await expect(page.locator("main")).to_contain_text("Candidature envoyée.")
    await expect(page.locator("main")).to_contain_text("statuts.pdf")

    [message] = await smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["ines.morel@vasques.example"]
    text, _ = parts(message)
    [link] = re.findall(r"http://jury\.test(/candidature/[A-Za-z0-9_-]+)", text)
    await page.goto(f"{server}{link}")
    await expect(page.locator("main")).to_contain_text("État : à examiner")
    assert not [m for m in console if "Content Security Policy" in m], console
    await context.close()

    organiser = await (await browser.new_context()).new_page()
    await organiser.goto(f"{server}/connexion")
    await organiser.fill("input[name=email]", ORGANISER)
    await organiser.fill("input[name=password]", PASSWORD)
    await organiser.click("button[type=submit]")
    await organiser.goto(f"{server}/organisation/editions/{SLUG}/candidatures")
    await organiser.click("text=Vasques & Grès SAS")
    await expect(organiser.locator("main")).to_contain_text("statuts.pdf")
    await organiser.click("text=Accepter la candidature")
    await expect(organiser.locator("main")).to_contain_text("État : acceptée")
    await organiser.click("text=Voir le candidat")
    await expect(organiser.locator("main")).to_contain_text("Présélection")

    entry = await db.conn.fetchrow(
        "select c.organisation_name, cr.round_id, cr.status from candidates c "
        "join candidate_rounds cr on cr.candidate_id = c.id"
    )
    assert tuple(entry) == ("Vasques & Grès SAS", edition.round_id, "pending")
