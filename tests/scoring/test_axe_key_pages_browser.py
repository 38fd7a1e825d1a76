"""axe-core over the key pages beyond the juror's own walk (issue 17, item 5): the juror's home with a
draft (the « brouillon » badge), and the organisers' progress, standings, qualification and decisions
pages, each without a serious or critical violation. The winner's and verification pages are audited in
test_diploma_pages_browser.py, the juror's access and sheet pages in test_juror_e2e_axe.py."""

from __future__ import annotations

import pytest
from tests import factories
from tests.helpers import PASSWORD, make_organiser
from tests.scoring.conftest import BROWSER_MARKS, Edition
from tests.scoring.test_juror_e2e_axe import _axe

from jury.auth.service import issue_codes

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = BROWSER_MARKS

PORTRAIT = {"width": 820, "height": 1180}
LAPTOP = {"width": 1366, "height": 900}


def _report(found: dict[str, list[dict]]) -> str:
    return "axe-core serious/critical violations:\n" + "\n".join(
        f"{where}: {v['id']} ({v['impact']}) {v['help']} → {[n['target'] for n in v['nodes']]}"
        for where, vs in found.items()
        for v in vs
    )


async def test_juror_home_with_a_draft_has_no_serious_violation(db, edition: Edition, server, browser):
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.sophie])
    context = await browser.new_context(viewport=PORTRAIT, has_touch=True, service_workers="block")
    page = await context.new_page()
    await page.goto(f"{server}/acces/{card.code}")
    await page.goto(f"{server}/jure/tours/{edition.round_id}/conflits")
    await page.get_by_role("button", name="Aucun conflit pour tous").click()
    async with page.expect_navigation():
        await page.get_by_role("button", name="Enregistrer mes déclarations").click()
    await page.goto(f"{server}/jure/feuilles/{edition.round_id}/{edition.c(101)}")
    await page.click(f'label.tap:has(input[name="value-{edition.innovation}"][value="6"])')
    await page.get_by_role("button", name="Enregistrer le brouillon").click()
    await expect(page.locator("#sheet-feedback")).to_have_text("Feuille brouillon transmise")
    await page.goto(f"{server}/jure/")
    await expect(page.locator(".badge.state-draft")).to_have_text("brouillon")
    found = {"/jure/ (un brouillon)": await _axe(page)}
    assert {k: v for k, v in found.items() if v} == {}, _report(found)
    await context.close()


async def test_organiser_key_pages_have_no_serious_violation(db, edition: Edition, server, browser):
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    # Pages with figures in them: Claire and Marc marked every candidate, Sophie one (and a draft).
    for juror, entries in ((edition.claire, (101, 102, 103, 104)), (edition.marc, (101, 102, 103, 104))):
        for n, entry in enumerate(entries):
            scores = {edition.innovation: 4 + n, edition.pitch: 20 + 3 * n, edition.theme: 1}
            await factories.sheet(
                db,
                round_id=edition.round_id,
                panel_id=edition.panel_id,
                person_id=juror,
                candidate_id=edition.c(entry),
                scores=scores,
            )
    await factories.sheet(
        db,
        round_id=edition.round_id,
        panel_id=edition.panel_id,
        person_id=edition.sophie,
        candidate_id=edition.c(101),
        scores={edition.innovation: 5},
        status="draft",
    )
    context = await browser.new_context(viewport=LAPTOP)
    page = await context.new_page()
    await page.goto(f"{server}/connexion")
    found = {"/connexion": await _axe(page)}
    await page.get_by_label("Adresse e-mail").fill("cci@exemple.fr")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Se connecter").click()
    rid, slug = edition.round_id, "made-in-92-2025"
    for where in (
        f"/organisation/rounds/{rid}/suivi",
        f"/organisation/rounds/{rid}/classement",
        f"/organisation/rounds/{rid}/qualification",
        f"/organisation/editions/{slug}/decisions",
        f"/organisation/editions/{slug}",
        f"/organisation/editions/{slug}/jures",
        f"/organisation/editions/{slug}/diplomes",
    ):
        response = await page.goto(server + where)
        assert response is not None and response.status == 200, (where, response and response.status)
        found[where] = await _axe(page)
    assert {k: v for k, v in found.items() if v} == {}, _report(found)
    await context.close()
