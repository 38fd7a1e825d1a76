"""The juror pages in English: from the browser's Accept-Language, or from the « English / Français »
switch, which a juror keeps across signing in. French stays the default and the source text."""

from __future__ import annotations

import html
import json
import re

from tests.scoring.conftest import Edition, declare_none, sign_in_juror

from jury.auth.service import issue_codes

EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text_of(response) -> str:
    return html.unescape(response.text)


async def test_access_page_follows_the_browser_language(client):
    english = text_of(await client.get("/acces", headers=EN))
    assert '<html lang="en">' in english
    assert "<h1>Juror access</h1>" in english
    assert "Scan the QR code on your card, or type the code printed on it." in english
    assert '<button type="submit">Sign in</button>' in english
    assert "Accès juré" not in english and "Ouvrir ma session" not in english
    # The switch offers the other language, named in itself, and comes back to this page.
    assert '<input type="hidden" name="langue" value="fr">' in english
    assert '<input type="hidden" name="suite" value="/acces">' in english
    assert 'lang="fr">Français</button>' in english

    french = text_of(await client.get("/acces", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}))
    assert '<html lang="fr">' in french and "<h1>Accès juré</h1>" in french
    assert 'lang="en">English</button>' in french
    assert text_of(await client.get("/acces")) == french  # no header: French


async def test_pages_not_translated_yet_stay_wholly_french(client):
    """An organiser's browser in English: the sign-in page is French, its language and navigation included."""
    await client.post("/langue", data={"langue": "en", "suite": "/"}, follow_redirects=False)
    text = text_of(await client.get("/connexion", headers=EN))
    assert '<html lang="fr">' in text
    assert '<li><a href="/acces">Je suis juré</a></li>' in text
    assert "I am a juror" not in text and "/langue" not in text


async def test_refused_code_is_explained_in_english(client):
    response = await client.post("/acces", data={"code": "ZZZZ-2222"}, headers=EN)
    assert response.status_code == 422
    assert '<p class="error" role="alert">Unknown or revoked access code.</p>' in response.text


async def test_juror_home_in_english(client, db, edition: Edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.marc)
    text = text_of(await client.get("/jure/", headers=EN))
    assert "<h1>My candidates</h1>" in text
    assert '<span class="badge">scoring</span>' in text  # the round's status
    assert "<strong>0 / 4 scored</strong>" in text
    assert "(4 candidates without a declaration)." in text
    assert "Declare my conflicts of interest</a>" in text
    assert "Sign out</button>" in text
    assert "Mes candidats" not in text and "évaluées" not in text
    raw = (await client.get("/jure/", headers=EN)).text
    messages = json.loads(
        html.unescape(re.search(r'id="juror-messages" hidden data-messages="([^"]*)"', raw)[1])
    )
    assert messages["nextCandidate"] == "Next candidate: {label}"
    assert messages["decimal"] == "."


async def test_conflicts_page_in_english(client, db, edition: Edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.marc)
    text = text_of(await client.get(f"/jure/tours/{edition.round_id}/conflits", headers=EN))
    assert "<h1>Conflicts of interest</h1>" in text
    assert "For each candidate assigned to you, say whether you have a link with them" in text
    assert "> No conflict</label>" in text and "> Conflict of interest</label>" in text
    assert '<button type="submit">Save my declarations</button>' in text
    raw = (await client.get(f"/jure/tours/{edition.round_id}/conflits", headers=EN)).text
    status = re.search(r'id="all-none-status" role="status" aria-live="polite" data-messages="([^"]*)"', raw)
    assert json.loads(html.unescape(status[1]))["many"] == (
        "“No conflict” ticked for {n} candidates: check, then save your declarations."
    )
    response = await client.post(f"/jure/tours/{edition.round_id}/conflits", data={}, headers=EN)
    assert "Declarations not saved: correct the rows marked." in text_of(response)


async def test_score_sheet_in_english_with_english_numbers(client, db, edition: Edition):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.claire)
    url = f"/jure/feuilles/{edition.round_id}/{edition.c(101)}"
    text = text_of(await client.get(url, headers=EN))
    assert re.search(r"<small>Score from 0 to 10, in steps of 0\.5\s+· weight 2</small>", text)
    assert "· eliminatory: 0 eliminates</small>" in text
    assert "<span>7.5</span>" in text and "<span>7,5</span>" not in text
    assert 'value="7.5"' in text  # form values are the same in every language
    assert "Comment <strong>(required)</strong>" in text
    assert "Save draft</button>" in text and "Submit the sheet</button>" in text
    assert "Sheet not saved yet" in text
    assert 'id="live-total">—</span>' in text

    data = {
        "version": "0",
        "action": "draft",
        f"value-{edition.innovation}": "7.5",
        f"value-{edition.pitch}": "31",
    }
    saved = await client.post(url, data=data, headers=EN, follow_redirects=True)
    text = text_of(saved)
    assert "Sheet draft on the server" in text
    assert "Draft saved." in text
    assert 'id="live-total">75.8</span>' in text  # (2 × 7.5/10 + 1 × 31/40) / 3 × 100, rounded


async def test_the_switch_sets_the_language_and_it_survives_signing_in(client, db, edition: Edition):
    switched = await client.post("/langue", data={"langue": "en", "suite": "/acces"}, follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (303, "/acces")
    assert "<h1>Juror access</h1>" in (await client.get("/acces")).text
    [card] = await issue_codes(db, edition_id=edition.edition_id, person_ids=[edition.sophie])
    signed_in = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/jure/")
    home = await client.get("/jure/", headers={"Accept-Language": "fr"})  # the choice wins over the browser
    assert "<h1>My candidates</h1>" in home.text
    back = await client.post("/langue", data={"langue": "fr", "suite": "/jure/"}, follow_redirects=False)
    assert (back.status_code, back.headers["location"]) == (303, "/jure/")
    assert "<h1>Mes candidats</h1>" in (await client.get("/jure/", headers=EN)).text


async def test_the_switch_only_goes_back_to_a_page_of_this_site(client):
    for elsewhere in ("https://example.org/", "//example.org/", "/\\example.org", "jure"):
        response = await client.post(
            "/langue", data={"langue": "en", "suite": elsewhere}, follow_redirects=False
        )
        assert (response.status_code, response.headers["location"]) == (303, "/")


async def test_the_switch_refuses_an_unknown_language(client):
    response = await client.post("/langue", data={"langue": "de", "suite": "/acces"}, follow_redirects=False)
    assert response.status_code == 422
    assert '<html lang="fr">' in (await client.get("/acces")).text
