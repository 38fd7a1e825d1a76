"""The sheet page in a real headless Chromium: live total, the offline outbox, retry on reconnection, and a
version conflict shown instead of overwritten. Skipped where Playwright or Chromium is missing."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from tests.scoring.conftest import BROWSER_MARKS, Edition, declare_none

from jury.access.identity import Identity
from jury.auth.service import issue_codes
from jury.scoring import sheets
from jury.scoring.models import SheetSubmission

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS


OUTBOX_JS = "JSON.parse(localStorage.getItem('jury.outbox.v1.' + document.querySelector('[data-juror]').dataset.juror))"


async def go_offline(context) -> None:
    """Offline for the pages and for the service worker: a request a controlled page lets through its service
    worker leaves from the worker, which the emulation reaches later than the page (seen on a loaded
    machine), so the test waits until the worker too says it is offline."""
    await context.set_offline(True)
    assert context.service_workers, "the page is expected under its service worker"
    for worker in context.service_workers:
        for _ in range(100):
            if not await worker.evaluate("self.navigator.onLine"):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the service worker never went offline")


async def test_offline_outbox_retry_and_version_conflict(db, edition: Edition, server, browser):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.claire])
    # Without the service worker here (its own test is below): the network emulation then reaches every
    # request of the page at once.
    context = await browser.new_context(
        viewport={"width": 800, "height": 1280}, has_touch=True, service_workers="block"
    )
    page = await context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    await page.goto(f"{server}/acces/{card.code}")
    assert page.url.endswith("/jure/")
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")

    # Live total: (2 × 7.5/10 + 1 × 30/40) / 3 × 100 = 75.
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="7.5"])')
    await page.fill(f'input[name="value-{edition.pitch}"]', "30")
    await page.fill(f'textarea[name="comment-{edition.pitch}"]', "Convaincant")
    await page.click(f'label.tap:has(input[name="value-{edition.theme}"][value="1"])')
    assert await page.text_content("#live-total") == "75"

    # Offline: the sheet is kept on the tablet, nothing reaches the server.
    await context.set_offline(True)
    await page.click('button[value="submit"]')
    await expect(page.locator("#sheet-state")).to_contain_text("enregistrée sur la tablette")
    queued = await page.evaluate(
        "JSON.parse(localStorage.getItem('jury.outbox.v1.' + document.querySelector('[data-juror]').dataset.juror))"
    )
    assert len(queued) == 1 and queued[0]["state"] == "queued"
    assert queued[0]["body"]["status"] == "submitted" and queued[0]["body"]["version"] == 0
    assert uuid.UUID(queued[0]["key"]) and queued[0]["body"]["idempotency_key"] == queued[0]["key"]
    assert await db.conn.fetchval("select count(*) from score_sheets") == 0

    # Back online: the `online` event sends it, with the key it was queued with.
    await context.set_offline(False)
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    row = await db.conn.fetchrow("select status, version, idempotency_key from score_sheets")
    assert (row["status"], row["version"], str(row["idempotency_key"])) == ("submitted", 1, queued[0]["key"])
    assert (
        await page.evaluate(
            "JSON.parse(localStorage.getItem('jury.outbox.v1.' + document.querySelector('[data-juror]').dataset.juror))"
        )
        == []
    )
    assert await page.input_value('input[name="version"]') == "1"

    # Another tablet of the same juror writes version 2; this page, still on version 1, must not overwrite.
    claire = Identity(person_id=edition.claire, name="Claire", kind="juror", edition_id=edition.edition_id)
    async with db.transaction():
        await sheets.save_sheet(
            db,
            identity=claire,
            round_id=edition.round_id,
            candidate_id=edition.c(101),
            submission=SheetSubmission(
                version=1,
                idempotency_key=uuid.uuid4(),
                values={edition.innovation: 9.0},
                comment="Autre tablette",
            ),
        )
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="3"])')
    await page.click('button[value="draft"]')
    await expect(page.locator("#sheet-state")).to_contain_text("conflit de version")
    assert await page.is_visible("#conflict-box")
    assert "Innovation : 3" in await page.text_content("#conflict-lost")
    assert await page.is_checked(f'input[name="value-{edition.innovation}"][value="9"]')  # the newer sheet
    assert await page.input_value('textarea[name="comment"]') == "Autre tablette"
    assert await page.input_value('input[name="version"]') == "2"
    assert await db.conn.fetchval("select version from score_sheets") == 2
    assert (
        await db.conn.fetchval(
            "select value::text from sheet_scores where criterion_id = $1", edition.innovation
        )
        == "9.00"
    )

    # Saving again on top of the newer version goes through.
    await page.click('button[value="draft"]')
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    assert await db.conn.fetchval("select version from score_sheets") == 3
    assert csp_errors == []
    await context.close()


async def test_home_page_shows_sheets_waiting_on_the_tablet(db, edition: Edition, server, browser):
    await declare_none(db, round_id=edition.round_id, person_id=edition.marc)
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.marc])
    context = await browser.new_context(service_workers="block")
    page = await context.new_page()
    await page.goto(f"{server}/acces/{card.code}")
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(102)}")
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="4"])')
    await context.set_offline(True)
    await page.click('button[value="draft"]')
    await expect(page.locator("#sheet-state")).to_contain_text("enregistrée sur la tablette")
    # Wi-Fi back but the server still unreachable (route installed first: `online` sends at once).
    await page.route("**/api/jure/feuilles/**", lambda route: route.abort())
    await context.set_offline(False)
    await page.goto(f"{server}/jure/")
    badge = page.locator(f'a[data-sheet="{edition.round_id}/{edition.c(102)}"] [data-local-state]')
    await badge.wait_for(state="visible")
    assert await badge.text_content() == "enregistrée sur la tablette"
    assert "1 enregistrement attend le réseau" in await page.text_content("#outbox-summary")
    await page.unroute("**/api/jure/feuilles/**")
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    await badge.wait_for(state="hidden")
    assert await db.conn.fetchval("select count(*) from score_sheets where person_id = $1", edition.marc) == 1
    await context.close()


async def test_sheets_open_offline_from_the_tablet_cache(db, edition: Edition, server, browser):
    await declare_none(db, round_id=edition.round_id, person_id=edition.sophie)
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.sophie])
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{server}/acces/{card.code}")
    assert await page.evaluate("window.isSecureContext")
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    await page.reload()  # now under the service worker: the home page is kept too
    cached_js = (
        "caches.open('jury-pages-v1').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    )
    for _ in range(100):
        cached = await page.evaluate(cached_js)
        if len(cached) >= 4:
            break
        await asyncio.sleep(0.1)
    sheet_path = f"/jure/feuilles/{edition.round_id}/{edition.c(103)}"
    assert sorted(cached) == sorted(
        ["/jure/", *(f"/jure/feuilles/{edition.round_id}/{edition.c(e)}" for e in (101, 102, 103))]
    )

    await go_offline(context)
    # Offline emulation reaches a document served by the service worker a little late; the server stays
    # unreachable for the API all the same.
    await context.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    await page.goto(f"{server}{sheet_path}")  # never opened before: from the cache the home page warmed
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="6"])')
    await page.click('button[value="draft"]')
    await expect(page.locator("#sheet-state")).to_contain_text("enregistrée sur la tablette")
    await page.goto(f"{server}/jure/")
    badge = page.locator(f'a[data-sheet="{edition.round_id}/{edition.c(103)}"] [data-local-state]')
    await expect(badge).to_have_text("enregistrée sur la tablette")
    unknown = await page.goto(f"{server}/jure/feuilles/{edition.round_id}/999999")
    assert unknown.status == 503 and "Hors connexion" in await page.text_content("h1")
    assert await db.conn.fetchval("select count(*) from score_sheets") == 0

    await context.set_offline(False)
    await context.unroute("**/api/**")
    await page.goto(f"{server}/jure/")
    await expect(badge).to_be_hidden()
    row = await db.conn.fetchrow("select candidate_id, version from score_sheets")
    assert (row["candidate_id"], row["version"]) == (edition.c(103), 1)

    # Signing out empties the page cache: the next juror on this tablet finds none of Sophie's pages.
    await page.click('form[action="/deconnexion"] button')
    await page.wait_for_url(f"{server}/")
    assert await page.evaluate(cached_js) == []
    await context.close()
