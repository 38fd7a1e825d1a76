"""The confirmation of « Passer en délibération » in Chromium: the page names every missing sheet and the
drafts it would freeze before anything moves; the round then goes back to scoring with a written reason."""

from __future__ import annotations

from tests import factories
from tests.helpers import PASSWORD, make_organiser
from tests.scoring import conftest as scoring
from tests.scoring.conftest import BROWSER_MARKS, Edition

from jury.db.queries import Database

pytestmark = BROWSER_MARKS
# The scoring folder's seeded edition, real server and Chromium, shared rather than copied.
edition, server, browser = scoring.edition, scoring.server, scoring.browser


async def test_moving_to_deliberation_names_the_missing_sheets_first(
    db: Database, edition: Edition, server, browser
):
    e = edition
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await factories.sheet(
        db,
        round_id=e.round_id,
        panel_id=e.panel_id,
        person_id=e.claire,
        candidate_id=e.c(101),
        scores={e.innovation: 8, e.pitch: 30, e.theme: 1},
    )
    await factories.sheet(
        db, round_id=e.round_id, panel_id=e.panel_id, person_id=e.marc, candidate_id=e.c(102), status="draft"
    )
    status = "select status from rounds where id = $1"

    page = await (await browser.new_context(viewport={"width": 1024, "height": 1366})).new_page()
    await page.goto(f"{server}/connexion")
    await page.fill('input[name="email"]', "cci@exemple.fr")
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.goto(f"{server}/organisation/editions/made-in-92-2025")
    await page.click("text=Passer en délibération…")

    consequences = await page.locator("article.consequences").inner_text()
    assert (
        "10 feuille(s) manquante(s) sur 11 attendue(s), dont 1 brouillon(s) qui seront figés en l'état."
        in (consequences)
    )
    assert "lecture seule" in consequences
    rows = await page.locator("table.missing-sheets tbody tr").all_inner_texts()
    assert len(rows) == 10
    assert any("Marc" in r and "Atelier Quillard" in r and "brouillon" in r for r in rows), rows
    assert not any("Claire" in r and "Brioches Verdier" in r for r in rows), rows  # submitted: not missing
    assert await db.conn.fetchval(status, e.round_id) == "open"  # nothing moved yet

    await page.click("button:has-text('Confirmer')")
    await page.wait_for_url(f"{server}/organisation/editions/made-in-92-2025")
    assert await db.conn.fetchval(status, e.round_id) == "deliberation"

    # A mistake: back to scoring, with a reason the form requires.
    await page.click("text=Revenir à la notation…")
    assert "Les jurés pourront de nouveau saisir" in await page.locator("article.consequences").inner_text()
    await page.fill('input[name="reason"]', "Passage trop tôt : dix feuilles manquaient")
    await page.click("button:has-text('Confirmer')")
    await page.wait_for_url(f"{server}/organisation/editions/made-in-92-2025")
    assert await db.conn.fetchval(status, e.round_id) == "open"
