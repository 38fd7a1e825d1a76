"""What jurors stumbled on (issue 17, item 6), checked in a real headless Chromium on a tablet viewport:
the declarations page (one tap for « Aucun conflit », the reason asked only for a conflict), the score
sheet (feedback beside « Valider la feuille », « Candidat suivant », no « version N », a « – » that neither
looks chosen nor goes unnamed) and tap targets of at least 44 px on every juror page."""

from __future__ import annotations

import pytest
from tests.scoring.conftest import BROWSER_MARKS, Edition

from jury.auth.service import issue_codes

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS

PORTRAIT = {"width": 820, "height": 1180}

# Every visible thing a finger taps, with its size: links, buttons, and the labels wrapping radios and
# checkboxes (the input itself is hidden or small; its label is the target).
SMALL_TARGETS_JS = """
() => {
  const targets = [...document.querySelectorAll('a[href], button, [role="button"], summary, label:has(input)')];
  return targets
    .filter(el => el.offsetParent !== null || el.getClientRects().length)
    .map(el => { const r = el.getBoundingClientRect(); const tap = el.matches('label.tap') ? el.querySelector('span') : el;
                 const t = tap.getBoundingClientRect();
                 return {what: (el.textContent || '').trim().slice(0, 40) || el.outerHTML.slice(0, 60),
                         width: Math.round(t.width), height: Math.round(t.height)}; })
    .filter(t => t.width > 0 && (t.width < 44 || t.height < 44));
}
"""


async def _signed_in(browser, server: str, db, edition: Edition, person_id: int):
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[person_id])
    context = await browser.new_context(viewport=PORTRAIT, has_touch=True, service_workers="block")
    page = await context.new_page()
    await page.goto(f"{server}/acces/{card.code}")
    assert page.url == f"{server}/jure/"
    return context, page


async def test_declarations_take_one_tap_for_no_conflict_and_ask_a_reason_only_for_a_conflict(
    db, edition: Edition, server, browser
):
    context, page = await _signed_in(browser, server, db, edition, edition.claire)
    # A sheet opened before the declarations says why it shows them instead.
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    assert page.url == f"{server}/jure/tours/{edition.round_id}/conflits?depuis=feuille"
    await expect(page.get_by_text("Avant d'ouvrir une feuille d'évaluation")).to_be_visible()

    reasons = page.locator("textarea[name^='reason-']")
    assert await reasons.count() == 4
    for i in range(4):  # nothing chosen yet: no reason box
        await expect(reasons.nth(i)).to_be_hidden()
    await page.check(f'input[name="choice-{edition.c(104)}"][value="conflict"]')
    await expect(page.locator(f'textarea[name="reason-{edition.c(104)}"]')).to_be_visible()
    await page.fill(f'textarea[name="reason-{edition.c(104)}"]', "Ancien associé")

    await page.get_by_role("button", name="Aucun conflit pour tous").click()
    await expect(page.locator("#all-none-status")).to_have_text(
        "« Aucun conflit » coché pour 3 candidats : vérifiez puis enregistrez vos déclarations."
    )
    for entry in (101, 102, 103):
        assert await page.is_checked(f'input[name="choice-{edition.c(entry)}"][value="none"]')
        await expect(page.locator(f'textarea[name="reason-{edition.c(entry)}"]')).to_be_hidden()
    assert await page.is_checked(f'input[name="choice-{edition.c(104)}"][value="conflict"]')  # kept
    await expect(page.locator(f'textarea[name="reason-{edition.c(104)}"]')).to_be_visible()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    assert page.url.endswith("/jure/?fait=declarations")
    declared = {
        r["candidate_id"]: (r["has_conflict"], r["reason"])
        for r in await db.conn.fetch(
            "select candidate_id, has_conflict, reason from conflict_declarations where person_id = $1",
            edition.claire,
        )
    }
    assert {k: v[0] for k, v in declared.items()} == {
        edition.c(101): False,
        edition.c(102): False,
        edition.c(103): False,
        edition.c(104): True,
    }
    assert declared[edition.c(104)][1] == "Ancien associé"
    await context.close()


async def test_sheet_feedback_sits_beside_the_button_and_leads_to_the_next_candidate(
    db, edition: Edition, server, browser
):
    context, page = await _signed_in(browser, server, db, edition, edition.sophie)
    await page.goto(f"{server}/jure/tours/{edition.round_id}/conflits")
    await page.get_by_role("button", name="Aucun conflit pour tous").click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    await page.click(f'a[data-sheet="{edition.round_id}/{edition.c(101)}"]')
    await page.wait_for_url(f"**/jure/feuilles/{edition.round_id}/{edition.c(101)}")

    # « – » is the untouched state: named for a screen reader, not drawn like a chosen mark.
    clear = page.get_by_role("radio", name="Non noté").first
    assert await clear.is_checked()
    chosen_look = "el => getComputedStyle(el.nextElementSibling).backgroundColor"
    assert await clear.evaluate(chosen_look) == "rgba(0, 0, 0, 0)"
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="7.5"])')
    mark = page.locator(f'input[name="value-{edition.innovation}"][value="7.5"]')
    assert await mark.evaluate(chosen_look) != "rgba(0, 0, 0, 0)"

    await page.fill(f'input[name="value-{edition.pitch}"]', "30")
    await page.fill(f'textarea[name="comment-{edition.pitch}"]', "Clair")
    await page.click(f'label.tap:has(input[name="value-{edition.theme}"][value="1"])')
    submit = page.get_by_role("button", name="Valider la feuille")
    await submit.scroll_into_view_if_needed()
    await submit.click()
    feedback = page.locator("#sheet-feedback")
    await expect(feedback).to_have_text("Feuille validée transmise")
    await expect(feedback).to_be_in_viewport()  # seen where the juror tapped, not at the top
    await expect(page.locator("#sheet-state")).to_have_text("Feuille validée transmise")
    assert "version" not in (await page.text_content("#sheet-state") or "")

    following = page.get_by_role("button", name="Candidat suivant")
    await expect(following).to_contain_text("N° 102")
    async with page.expect_navigation():
        await following.click()
    assert page.url == f"{server}/jure/feuilles/{edition.round_id}/{edition.c(102)}"
    # A sheet left empty: the refusal beside the button too.
    await page.get_by_role("button", name="Valider la feuille").click()
    await expect(feedback).to_have_text("La feuille n'est pas enregistrée : corrigez les champs signalés.")
    # The last candidate of the list has no « Candidat suivant ».
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(103)}")
    await expect(page.locator("#next-candidate")).to_be_hidden()
    await context.close()


async def test_every_juror_page_has_tap_targets_of_at_least_44_px(db, edition: Edition, server, browser):
    context, page = await _signed_in(browser, server, db, edition, edition.marc)
    small: dict[str, list] = {}
    small["/jure/ (déclarations à faire)"] = await page.evaluate(SMALL_TARGETS_JS)
    await page.goto(f"{server}/jure/tours/{edition.round_id}/conflits")
    await page.check(f'input[name="choice-{edition.c(104)}"][value="conflict"]')
    small["conflits"] = await page.evaluate(SMALL_TARGETS_JS)
    await page.get_by_role("button", name="Aucun conflit pour tous").click()
    await page.fill(f'textarea[name="reason-{edition.c(104)}"]', "Cousin")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    small["/jure/"] = await page.evaluate(SMALL_TARGETS_JS)
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    small["feuille"] = await page.evaluate(SMALL_TARGETS_JS)
    await page.goto(f"{server}/deliberation/")
    small["délibération"] = await page.evaluate(SMALL_TARGETS_JS)
    assert {where: found for where, found in small.items() if found} == {}
    await context.close()
