"""The tablet pages without JavaScript: home, sheet form posts, errors and conflicts shown in French, CSP."""

from __future__ import annotations

import html
import re

from tests.scoring.conftest import Edition, declare_none, sign_in_juror


def page_url(fx: Edition, entry: int) -> str:
    return f"/jure/feuilles/{fx.round_id}/{fx.c(entry)}"


async def juror(client, db, fx: Edition, person: int) -> None:
    await declare_none(db, round_id=fx.round_id, person_id=person)
    await sign_in_juror(client, db, edition_id=fx.edition_id, person_id=person)


def assert_strict_csp_compatible(text: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline script"
    assert not re.search(r"\sstyle=", text), "inline style"
    assert not re.search(r"<style", text), "style element"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"


async def test_home_groups_candidates_with_progress(client, db, edition):
    await juror(client, db, edition, edition.claire)
    await db.conn.execute(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, submitted_at) "
        "values ($1, $2, $3, $4, 'submitted', now()), ($1, $2, $3, $5, 'draft', null)",
        edition.round_id,
        edition.panel_id,
        edition.claire,
        edition.c(101),
        edition.c(102),
    )
    response = await client.get("/jure/")
    assert response.status_code == 200
    text = response.text
    assert f'<h2 id="round-{edition.round_id}">Demi-finale</h2>' in text
    assert "<h3>Jury Nord</h3>" in text
    assert "1 / 4 évaluées" in text
    assert text.count('class="candidate-card"') == 4
    assert 'class="badge state-submitted">validée<' in text and 'class="badge state-draft">brouillon<' in text
    assert text.count('class="badge state-todo">à évaluer<') == 2
    assert f'data-sheet="{edition.round_id}/{edition.c(101)}"' in text
    assert '<script src="/static/juror.js" defer></script>' in text
    assert_strict_csp_compatible(text)
    assert "content-security-policy" in response.headers


async def test_home_asks_for_declarations_first(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.marc)
    text = html.unescape((await client.get("/jure/")).text)
    assert "déclarez vos éventuels conflits d'intérêts" in text
    assert f'href="/jure/tours/{edition.round_id}/conflits"' in text


async def test_sheet_page_has_tap_buttons_number_input_and_help(client, db, edition):
    await juror(client, db, edition, edition.claire)
    response = await client.get(page_url(edition, 101))
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert text.count(f'name="value-{edition.innovation}"') == 22  # 21 values and "not marked"
    assert 'value="7.5"' in text and "<span>7,5</span>" in text
    assert re.search(
        rf'<input type="number" class="mark-input" name="value-{edition.pitch}" value="" min="0"\s+max="40" step="1"',
        text,
    )
    assert text.count(f'name="value-{edition.theme}"') == 3
    assert "Nouveauté du produit ou du procédé." in text
    assert "Commentaire <strong>(obligatoire)</strong>" in text
    assert "Enregistrer le brouillon" in text and "Valider la feuille" in text
    assert f'data-api="/api/jure/feuilles/{edition.round_id}/{edition.c(101)}"' in text
    assert 'name="version" value="0"' in text
    assert_strict_csp_compatible(response.text)


async def test_form_post_saves_a_draft_then_submits(client, db, edition):
    await juror(client, db, edition, edition.claire)
    draft = await client.post(
        page_url(edition, 101),
        data={f"value-{edition.innovation}": "6.5", "version": "0", "action": "draft", "comment": "À revoir"},
        follow_redirects=False,
    )
    assert (draft.status_code, draft.headers["location"]) == (303, page_url(edition, 101) + "?fait=brouillon")
    shown = await client.get(draft.headers["location"])
    assert "Brouillon enregistré." in shown.text
    assert re.search(r'value="6.5"\s*checked', shown.text)
    assert 'name="version" value="1"' in shown.text
    submitted = await client.post(
        page_url(edition, 101),
        data={
            f"value-{edition.innovation}": "6.5",
            f"value-{edition.pitch}": "30",
            f"comment-{edition.pitch}": "Très clair",
            f"value-{edition.theme}": "1",
            "version": "1",
            "action": "submit",
        },
        follow_redirects=False,
    )
    assert submitted.headers["location"].endswith("?fait=validee")
    row = await db.conn.fetchrow("select status, version, idempotency_key from score_sheets")
    assert (row["status"], row["version"]) == ("submitted", 2)
    assert row["idempotency_key"] is not None  # the server generated its own key for the plain form
    final = await client.get(submitted.headers["location"])
    # (2 × 6.5/10 + 1 × 30/40) / 3 × 100 = 68.33…, shown to one decimal with a comma.
    assert '<span class="figure" id="live-total">68,3</span>' in final.text
    assert "Feuille validée et transmise." in html.unescape(final.text)


async def test_form_errors_are_shown_in_french_and_nothing_is_written(client, db, edition):
    await juror(client, db, edition, edition.claire)
    response = await client.post(
        page_url(edition, 101),
        data={
            f"value-{edition.innovation}": "7,3",
            f"value-{edition.pitch}": "douze",
            f"value-{edition.theme}": "1",
            "abstained": "on",
            "version": "0",
            "action": "submit",
        },
    )
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Innovation : la note doit aller de 0,5 en 0,5 (entre 0 et 10)" in text
    assert "Pitch : la note doit être comprise entre 0 et 40" in text
    assert "Motif d'abstention obligatoire" in text
    assert 'value="douze"' in text  # the juror's input is kept for correction
    assert await db.conn.fetchval("select count(*) from score_sheets") == 0
    assert await db.conn.fetchval("select count(*) from sheet_submissions") == 0


async def test_form_post_over_a_newer_version_shows_it(client, db, edition):
    await juror(client, db, edition, edition.claire)
    other_tablet = await client.post(
        page_url(edition, 101), data={f"value-{edition.innovation}": "9", "version": "0", "action": "draft"}
    )
    assert other_tablet.status_code == 200  # followed the redirect
    stale = await client.post(
        page_url(edition, 101),
        data={
            f"value-{edition.innovation}": "3",
            "comment": "Ma saisie perdue",
            "version": "0",
            "action": "draft",
        },
    )
    assert stale.status_code == 409
    text = html.unescape(stale.text)
    assert "Une version plus récente de cette feuille existe" in text
    assert re.search(r'value="9"\s*checked', text)  # the newer sheet is shown, not the stale input
    assert "Vos saisies non enregistrées" in text and "Innovation : 3" in text and "Ma saisie perdue" in text
    assert 'name="version" value="1"' in text
    assert await db.conn.fetchval("select value::text from sheet_scores") == "9.00"


async def test_closed_round_page_is_read_only(client, db, edition):
    await juror(client, db, edition, edition.claire)
    await client.post(page_url(edition, 101), data={f"value-{edition.innovation}": "8", "version": "0"})
    await db.conn.execute("update rounds set status = 'closed' where id = $1", edition.round_id)
    page = await client.get(page_url(edition, 101))
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Le tour n'est plus ouvert à la notation : cette feuille est en lecture seule." in text
    assert "Valider la feuille" not in text
    assert re.search(r'value="8"\s*checked disabled', text)
    posted = await client.post(
        page_url(edition, 101),
        data={f"value-{edition.innovation}": "2", "version": "1"},
        headers={"accept": "text/html"},
    )
    assert posted.status_code == 409
    assert "Le tour n'est plus ouvert à la notation." in html.unescape(posted.text)
    assert await db.conn.fetchval("select value::text from sheet_scores") == "8.00"
    home = html.unescape((await client.get("/jure/")).text)
    assert "vos feuilles sont en lecture seule" in home


async def test_conflicted_or_unassigned_sheet_pages_are_refused(client, db, edition):
    await juror(client, db, edition, edition.sophie)
    refused = await client.get(page_url(edition, 104), headers={"accept": "text/html"})
    assert refused.status_code == 403
    assert "Ce candidat ne vous est pas affecté." in html.unescape(refused.text)
    assert "Robotique Tessier" not in refused.text
    posted = await client.post(page_url(edition, 104), data={"version": "0"}, headers={"accept": "text/html"})
    assert posted.status_code == 403
    assert await db.conn.fetchval("select count(*) from score_sheets") == 0


async def test_juror_assets_are_served(client, db, edition):
    for path in ("/static/juror.js", "/static/juror.css", "/static/htmx.min.js"):
        response = await client.get(path)
        assert response.status_code == 200, path
    js = (await client.get("/static/juror.js")).text
    # The outbox is written before the request is sent, and retried on `online` and every 15 s.
    assert js.index("write(OUTBOX, items);\n      } catch") < js.index("flush();\n    });")
    assert 'addEventListener("online", flush)' in js and "RETRY_MS = 15000" in js
