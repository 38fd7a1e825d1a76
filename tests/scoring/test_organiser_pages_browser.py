"""What organisers stumbled on (issue 17, item 6), in a real headless Chromium on a laptop viewport: one
sub-navigation on every page of an edition and its rounds with the current page marked, Suivi's tables
sortable (and still sorted after their refresh), a keyboard focus one can see, jurors in French order."""

from __future__ import annotations

import html

import pytest
from tests.helpers import PASSWORD, make_organiser, sign_in
from tests.scoring.conftest import BROWSER_MARKS, Edition

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect

LAPTOP = {"width": 1366, "height": 900}
EDITION_NAV = 'nav[aria-label="Édition"] a'


async def _organiser_page(browser, server: str, db):
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    context = await browser.new_context(viewport=LAPTOP)
    page = await context.new_page()
    await page.goto(f"{server}/connexion")
    await page.get_by_label("Adresse e-mail").fill("cci@exemple.fr")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Se connecter").click()
    return context, page


async def _nav(page) -> tuple[list[str], list[str]]:
    """The edition sub-navigation's links, and the one marked as the current page (with the round's row)."""
    links = [await a.get_attribute("href") for a in await page.locator(EDITION_NAV).all()]
    current = [await a.text_content() for a in await page.locator('nav.subnav a[aria-current="page"]').all()]
    return links, current


@pytest.mark.slow
@pytest.mark.skipif(BROWSER_MARKS[1].args[0], reason="Chromium is not installed")
async def test_every_edition_and_round_page_has_the_same_navigation_with_the_current_page_marked(
    db, edition: Edition, server, browser
):
    context, page = await _organiser_page(browser, server, db)
    slug, rid = "made-in-92-2025", edition.round_id
    pages = {
        f"/organisation/editions/{slug}": ["Tours"],
        f"/organisation/editions/{slug}/jures": ["Jurés"],
        f"/organisation/editions/{slug}/conflits": ["Conflits d'intérêts"],
        f"/organisation/editions/{slug}/decisions": ["Décisions et prix"],
        f"/organisation/editions/{slug}/diplomes": ["Diplômes"],
        f"/organisation/rounds/{rid}/suivi": ["Suivi"],
        f"/organisation/rounds/{rid}/classement": ["Classement"],
        f"/organisation/rounds/{rid}/affectations": ["Affectations du tour"],
        f"/organisation/rounds/{rid}/entrants": ["Candidats et jurys"],
    }
    seen = {}
    for path, marked in pages.items():
        await page.goto(server + path)
        links, current = await _nav(page)
        seen[path] = links
        assert current == marked, path
    first = next(iter(seen.values()))
    assert f"/organisation/editions/{slug}/diplomes" in first and len(first) >= 12
    assert {path: links for path, links in seen.items() if links != first} == {}
    await context.close()


@pytest.mark.slow
@pytest.mark.skipif(BROWSER_MARKS[1].args[0], reason="Chromium is not installed")
async def test_suivi_rows_sort_by_any_column_and_stay_sorted_after_the_refresh(
    db, edition: Edition, server, browser
):
    context, page = await _organiser_page(browser, server, db)
    await page.goto(f"{server}/organisation/rounds/{edition.round_id}/suivi")
    names = page.locator("#jurors-table tbody tr td:first-child")
    assert await names.all_text_contents() == ["Claire Dubois", "Marc Lefèvre", "Sophie Martin"]
    header = page.locator("#jurors-table").get_by_role("button", name="Juré")
    await header.click()
    await header.click()
    await expect(names).to_have_text(["Sophie Martin", "Marc Lefèvre", "Claire Dubois"])
    assert await page.get_attribute("#jurors-table th:first-child", "aria-sort") == "descending"
    expected = page.locator("#candidates-table").get_by_role("button", name="N°")
    await expected.click()
    await expected.click()
    numbers = page.locator("#candidates-table tbody tr td:first-child")
    await expect(numbers).to_have_text(["104", "103", "102", "101"])
    # The table is fetched again every 10 s; force one refresh now: the chosen order stays.
    await page.evaluate(
        "document.querySelector('#jurors-table').dataset.old = 'true';"
        "htmx.ajax('GET', location.pathname + '/tableau', {target: '#progress-table', swap: 'outerHTML'})"
    )
    await expect(page.locator("#jurors-table:not([data-old])[data-enhanced='true']")).to_have_count(1)
    await expect(names).to_have_text(["Sophie Martin", "Marc Lefèvre", "Claire Dubois"])
    await expect(numbers).to_have_text(["104", "103", "102", "101"])

    # A keyboard focus one sees: a 3 px ring on whatever the Tab key reaches.
    await page.keyboard.press("Tab")
    ring = await page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert ring == ["solid", "3px"]
    await context.close()


async def test_jurors_are_listed_in_french_alphabetical_order(client, db, edition: Edition):
    for name in ("Yannick Abadie", "Élodie Vasseur", "émile Zola", "Œdipe Roi"):
        person = await db.conn.fetchval(
            "insert into people (full_name, email) values ($1, $2) returning id",
            name,
            f"{abs(hash(name))}@exemple.fr",
        )
        await db.conn.execute(
            "insert into panel_members (panel_id, person_id) values ($1, $2)", edition.panel_id, person
        )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    text = html.unescape((await client.get("/organisation/editions/made-in-92-2025/jures")).text)
    order = ["Claire Dubois", "Élodie Vasseur", "émile Zola", "Marc Lefèvre", "Œdipe Roi", "Sophie Martin"]
    order.append("Yannick Abadie")
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
