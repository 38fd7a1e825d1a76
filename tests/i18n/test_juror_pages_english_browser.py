"""An English-speaking juror's tablet in a real headless Chromium: the pages follow the browser's language,
and juror.js speaks it too (its checks before sending, the live total's decimal point)."""

from __future__ import annotations

import pytest
from tests.scoring.conftest import BROWSER_MARKS, Edition, declare_none

from jury.auth.service import issue_codes

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS


async def test_an_english_tablet_gets_english_pages_and_script_messages(
    db, edition: Edition, server, browser
):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.claire])
    context = await browser.new_context(locale="en-GB", service_workers="block")
    page = await context.new_page()
    await page.goto(f"{server}/acces/{card.code}")
    assert page.url.endswith("/jure/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My candidates")

    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="7.5"])')
    await page.fill(f'input[name="value-{edition.pitch}"]', "31")
    await expect(page.locator("#live-total")).to_have_text("75.8")
    await page.get_by_role("button", name="Submit the sheet").click()
    await expect(page.locator("#sheet-feedback")).to_have_text(
        "The sheet is not saved: correct the fields marked."
    )
    await expect(page.locator("#sheet-errors")).to_contain_text("Comment required for “Pitch”")
    await expect(page.locator("#sheet-errors")).to_contain_text("Respect du thème: score missing")

    # « Français » brings the same page back in French, juror.js included.
    await page.get_by_role("button", name="Français").click()
    await expect(page.get_by_role("button", name="Valider la feuille")).to_be_visible()
    assert await page.locator("html").get_attribute("lang") == "fr"
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="7.5"])')
    await page.fill(f'input[name="value-{edition.pitch}"]', "31")
    await expect(page.locator("#live-total")).to_have_text("75,8")
    await context.close()
