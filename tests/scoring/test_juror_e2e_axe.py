"""A juror's whole morning on a tablet, in a real headless Chromium: typing the card's code, declaring
conflicts, tapping marks, submitting online and offline, then axe-core over each page a juror sees.

The browser-level tests next door check the outbox's details; these check that the path a juror actually
walks holds together end to end, in the tablet sizes the venues use (820×1180 portrait, 1180×820
landscape), and that no page of it carries a serious or critical accessibility fault. Skipped where
Playwright or Chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scoring.conftest import BROWSER_MARKS, Edition

from jury.auth.service import issue_codes

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS

AXE = Path(__file__).parent / "axe" / "axe.min.js"
PORTRAIT = {"width": 820, "height": 1180}
LANDSCAPE = {"width": 1180, "height": 820}


async def _sign_in_by_typing(page, server: str, code: str) -> None:
    """Types the code as a juror would (the QR link is the other way in, covered elsewhere)."""
    await page.goto(f"{server}/acces")
    await page.get_by_label("Code d'accès").type(code)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Ouvrir ma session").click()
    assert page.url == f"{server}/jure/"


async def _declare(page, server: str, edition: Edition, *, conflict_with: int, reason: str) -> None:
    """'Aucun conflit' for every candidate but one, 'conflit' with a reason for that one."""
    assert page.url == f"{server}/jure/tours/{edition.round_id}/conflits"
    for entry in (101, 102, 103, 104):
        cid = edition.c(entry)
        choice = "conflict" if entry == conflict_with else "none"
        await page.check(f'input[name="choice-{cid}"][value="{choice}"]')
        if entry == conflict_with:
            await page.fill(f'textarea[name="reason-{cid}"]', reason)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    assert page.url.endswith("/jure/?fait=declarations")


async def _mark(page, edition: Edition, *, innovation: str, pitch: str, theme: str) -> None:
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="{innovation}"])')
    await page.fill(f'input[name="value-{edition.pitch}"]', pitch)
    await page.fill(f'textarea[name="comment-{edition.pitch}"]', "Clair et convaincant")
    await page.click(f'label.tap:has(input[name="value-{edition.theme}"][value="{theme}"])')


async def _stored(db, edition: Edition, entry: int) -> list[dict]:
    rows = await db.conn.fetch(
        "select s.status, s.version, sc.criterion_id, sc.value::text as value from score_sheets s "
        "left join sheet_scores sc on sc.sheet_id = s.id where s.person_id = $1 and s.candidate_id = $2 "
        "order by sc.criterion_id",
        edition.claire,
        edition.c(entry),
    )
    return [dict(r) for r in rows]


async def test_juror_signs_in_declares_and_submits_online_then_offline(db, edition: Edition, server, browser):
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.claire])
    # The service worker is blocked: with it, network emulation reaches the page's requests late (see the
    # outbox tests); its own behaviour is tested next door.
    context = await browser.new_context(viewport=PORTRAIT, has_touch=True, service_workers="block")
    page = await context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    await _sign_in_by_typing(page, server, card.code)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Déclarer mes conflits d'intérêts").click()
    await _declare(page, server, edition, conflict_with=104, reason="Ancien associé de l'entreprise")
    declared = {
        r["candidate_id"]: (r["has_conflict"], r["reason"])
        for r in await db.conn.fetch(
            "select candidate_id, has_conflict, reason from conflict_declarations where person_id = $1",
            edition.claire,
        )
    }
    assert declared[edition.c(104)] == (True, "Ancien associé de l'entreprise")
    assert all(not declared[edition.c(e)][0] for e in (101, 102, 103))
    # The conflicted candidate is gone from the juror's list.
    assert await page.locator(f'a[data-sheet="{edition.round_id}/{edition.c(104)}"]').count() == 0

    # Online: tap, submit, exactly one submitted sheet with those marks.
    await page.click(f'a[data-sheet="{edition.round_id}/{edition.c(101)}"]')
    await page.wait_for_url(f"**/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    await _mark(page, edition, innovation="7.5", pitch="30", theme="1")
    assert await page.text_content("#live-total") == "75"
    await page.click('button[value="submit"]')
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    stored = await _stored(db, edition, 101)
    assert {(r["status"], r["version"]) for r in stored} == {("submitted", 1)}
    assert {r["criterion_id"]: r["value"] for r in stored} == {
        edition.innovation: "7.50",
        edition.pitch: "30.00",
        edition.theme: "1.00",
    }

    # Offline: kept on the tablet, nothing on the server; back online, sent once.
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(102)}")
    await _mark(page, edition, innovation="4", pitch="12", theme="1")
    await context.set_offline(True)
    await page.click('button[value="submit"]')
    await expect(page.locator("#sheet-state")).to_contain_text("enregistrée sur la tablette")
    assert await _stored(db, edition, 102) == []
    await context.set_offline(False)
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    assert (
        await db.conn.fetchval(
            "select count(*) from score_sheets where person_id = $1 and candidate_id = $2",
            edition.claire,
            edition.c(102),
        )
        == 1
    )
    stored = await _stored(db, edition, 102)
    assert {(r["status"], r["version"]) for r in stored} == {("submitted", 1)}
    assert {r["criterion_id"]: r["value"] for r in stored}[edition.pitch] == "12.00"
    assert await db.conn.fetchval("select count(*) from score_sheets") == 2
    assert csp_errors == []
    await context.close()


async def test_sheet_is_usable_in_landscape(db, edition: Edition, server, browser):
    """Landscape tablets must still show every tap button and both actions without horizontal scrolling."""
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.sophie])
    context = await browser.new_context(viewport=LANDSCAPE, has_touch=True, service_workers="block")
    page = await context.new_page()
    await _sign_in_by_typing(page, server, card.code)
    await page.goto(f"{server}/jure/tours/{edition.round_id}/conflits")
    for entry in (101, 102, 103):
        await page.check(f'input[name="choice-{edition.c(entry)}"][value="none"]')
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(103)}")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for button in await page.locator(".scale .tap span").all():
        box = await button.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44
    await page.get_by_role("button", name="Enregistrer le brouillon").scroll_into_view_if_needed()
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="10"])')
    await page.click('button[value="draft"]')
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    assert await db.conn.fetchval("select status from score_sheets where person_id = $1", edition.sophie) == (
        "draft"
    )
    await context.close()


async def _axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page.

    The app's CSP (`script-src 'self'`) refuses the inline script `add_script_tag` would insert, so the
    source goes through `page.evaluate`, which the DevTools protocol runs outside the page's CSP; the CSP
    stays on, so the pages are audited exactly as served.
    """
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "axe.run(document).then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))}))"
    )
    assert result["passes"] > 10, "axe-core did not audit the page"  # an empty run would pass silently
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


async def test_juror_pages_have_no_serious_accessibility_violation(db, edition: Edition, server, browser):
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.marc])
    context = await browser.new_context(viewport=PORTRAIT, has_touch=True, service_workers="block")
    page = await context.new_page()
    found: dict[str, list[dict]] = {}

    await page.goto(f"{server}/acces")
    found["/acces"] = await _axe(page)
    await page.get_by_label("Code d'accès").type("ZZZZ-9999")  # the error state is a page too
    async with page.expect_navigation():
        await page.get_by_role("button", name="Ouvrir ma session").click()
    found["/acces (code refusé)"] = await _axe(page)

    await _sign_in_by_typing(page, server, card.code)
    found["/jure/ (déclarations à faire)"] = await _axe(page)
    await page.goto(f"{server}/jure/tours/{edition.round_id}/conflits")
    found["conflits"] = await _axe(page)
    await page.check(f'input[name="choice-{edition.c(101)}"][value="none"]')
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    found["conflits (incomplet)"] = await _axe(page)
    for entry in (101, 102, 103, 104):
        await page.check(f'input[name="choice-{edition.c(entry)}"][value="none"]')
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    found["/jure/"] = await _axe(page)

    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    found["feuille"] = await _axe(page)
    await page.click('button[value="submit"]')  # empty: every criterion is named in the error list
    await expect(page.locator("#sheet-alert")).to_be_visible()
    found["feuille (erreurs)"] = await _axe(page)
    await _mark(page, edition, innovation="5", pitch="20", theme="1")
    await page.click('button[value="submit"]')
    await expect(page.locator("#sheet-state")).to_contain_text("transmise")
    found["feuille (validée)"] = await _axe(page)

    await page.set_viewport_size(LANDSCAPE)
    found["feuille (paysage)"] = await _axe(page)

    bad = {where: v for where, v in found.items() if v}
    assert bad == {}, "axe-core serious/critical violations:\n" + "\n".join(
        f"{where}: {v['id']} ({v['impact']}) {v['help']} → {[n['target'] for n in v['nodes']]}"
        for where, vs in bad.items()
        for v in vs
    )
    await context.close()
