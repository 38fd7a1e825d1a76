"""What organisers and winners stumbled on around diplomas (issue 17, item 6), in a real headless Chromium
on the demo's Gâteau 2023 edition: the table follows the generation without a reload, a link for one
laureate with a « Copier » button, why e-mail is unavailable written on the page, the winner's page
without the staff's entrances, and `/verifier` where the printed code is typed."""

from __future__ import annotations

import re

import pytest
from tests.scoring.conftest import BROWSER_MARKS
from tests.scoring.test_juror_e2e_axe import _axe

from jury.db.queries import Database
from jury.demo.loader import load_demo

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = [*BROWSER_MARKS, pytest.mark.pdf]

PAGE = "/organisation/editions/gateau-des-hauts-de-seine-2023/diplomes"
LAPTOP = {"width": 1366, "height": 900}


async def test_diplomas_from_generation_to_a_winner_and_a_verifier(db: Database, server, browser):
    await load_demo(db)
    context = await browser.new_context(viewport=LAPTOP)
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = await context.new_page()
    await page.goto(f"{server}/connexion")
    await page.get_by_label("Adresse e-mail").fill("romain.texier@exemple.fr")
    await page.get_by_label("Mot de passe").fill("demo-jury-92")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Se connecter").click()

    await page.goto(server + PAGE)
    states = page.locator("#laureates tbody tr td:nth-child(3)")
    assert [s.split()[0] for s in await states.all_text_contents()] == ["à"] * 3  # « à générer »
    # Why the e-mail button is off, in words on the page (not a tooltip a finger never sees).
    send = page.get_by_role("button", name="Envoyer les liens par e-mail")
    assert await send.is_disabled()
    await expect(page.locator("#smtp-missing")).to_be_visible()
    assert await send.get_attribute("aria-describedby") == "smtp-missing"

    async with page.expect_navigation():
        await page.get_by_role("button", name="Générer les diplômes").click()
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    await expect(states).to_have_text([re.compile(r"^prêt\s*PDF$")] * 3, timeout=120_000)
    assert loads == []  # the table followed the generation by itself

    first = (await page.locator("#laureates tbody tr td:first-child").all_text_contents())[0]
    async with page.expect_navigation():
        await page.get_by_role("button", name=f"Créer un lien pour {first}").click()
    fields = page.locator("input[id^='new-link-']")
    assert await fields.count() == 1  # for that laureate alone
    url = await fields.first.input_value()
    # The address the laureate receives, on the configured public base (JURY_BASE_URL).
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/diplome/[A-Za-z0-9_-]{40,}", url), url
    copy = page.locator("button[data-copy]")
    await expect(copy).to_have_text("Copier")
    # The page may write to the clipboard (granted above; headless Chromium settles that on a first use).
    assert await page.evaluate("navigator.clipboard.writeText('').then(() => 'ok', e => String(e))") == "ok"
    await copy.click()
    await expect(copy).to_have_text("Copié")
    assert await page.evaluate("navigator.clipboard.readText()") == url
    found = {"diplômes (lien créé)": await _axe(page)}

    winner = await context.new_page()
    await winner.goto(server + url.removeprefix("http://127.0.0.1:8000"))
    await expect(winner.get_by_role("heading", name="Votre diplôme")).to_be_visible()
    header = await winner.locator("header").inner_text()
    assert "Je suis juré" not in header and "Organisateurs" not in header
    code = (await winner.locator("dd code").inner_text()).strip()
    found["page du lauréat"] = await _axe(winner)

    # The address printed on the diploma: a field to type the code, in any case, without dashes.
    await winner.goto(f"{server}/verifier")
    header = await winner.locator("header").inner_text()
    assert "Je suis juré" not in header and "Organisateurs" not in header
    found["/verifier"] = await _axe(winner)
    await winner.get_by_label("Code de vérification").fill(code.lower().replace("-", " "))
    async with winner.expect_navigation():
        await winner.get_by_role("button", name="Vérifier").click()
    assert winner.url == f"{server}/verifier/{code}"
    await expect(winner.get_by_text("Ce diplôme est authentique.")).to_be_visible()
    found["/verifier/{code}"] = await _axe(winner)
    assert {where: v for where, v in found.items() if v} == {}, found
    await context.close()
