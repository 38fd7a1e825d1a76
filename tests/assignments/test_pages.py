"""The organisers' assignment page: what it shows, and the preview → confirm flow of its form."""

from __future__ import annotations

import html
import re

from tests.assignments.conftest import BOTH, Edition, pairs_in_db

from jury.db.queries import Database
from jury.results.design import check_design

CONNECTED = "Le plan est connexe : les deux demi-finales sont comparables grâce à 2 jurés passerelles."


def _text(response) -> str:
    return html.unescape(response.text)


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


async def test_preview_form_writes_nothing_and_confirm_writes_the_plan(
    organiser, db: Database, edition: Edition
):
    page = f"/organisation/rounds/{edition.round}/affectations"
    form = {"k": "3", "seed": "0", "bridging": "2", "bridge_min_per_zone": "8"}
    preview = await organiser.post(f"{page}/automatique", data=form)
    assert preview.status_code == 200
    text = _text(preview)
    assert "Aperçu du plan proposé (non enregistré)" in text
    assert "48</strong> affectations au total : 48 ajoutées, 0 retirée, 0 conservée." in text
    assert CONNECTED in text
    assert "remplacer les affectations du tour" in text
    for name in BOTH:
        assert re.search(rf"<td>{name}</td>\s*<td>8 / 8</td><td>7 / 7</td>\s*<td>complet</td>", text), name
    assert "Confirmer et enregistrer ce plan" in text
    assert await pairs_in_db(db, edition.round) == set()
    assert await db.conn.fetchval("select count(*) from audit_events") == 0

    confirm = {**form, "confirm": "true", "expected_digest": _hidden(text, "expected_digest")}
    saved = await organiser.post(f"{page}/automatique", data=confirm, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        f"{page}?fait=plan&k=3&ajouts=48&retraits=0",
    )
    assert len(await pairs_in_db(db, edition.round)) == 48
    shown = _text(await organiser.get(saved.headers["location"]))
    assert "Plan enregistré : 48 affectations ajoutées, 0 retirée." in shown
    assert await db.conn.fetchval("select action from audit_events") == "assignments.applied"


async def test_page_shows_grid_loads_holes_and_the_design_check(organiser, db: Database, edition: Edition):
    await organiser.post(f"/api/rounds/{edition.round}/assignments", json={"k": 3})
    # A late conflict: the conflict service deleted Hugo's assignment to Antony Habitat.
    hugo, antony = edition.jurors["Hugo Lambert"], edition.candidates["Antony Habitat"]
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Client')",
        edition.round,
        hugo,
        antony,
    )
    await db.conn.execute("delete from assignments where person_id = $1 and candidate_id = $2", hugo, antony)
    rows = await pairs_in_db(db, edition.round)
    fiedler = f"{check_design((p, c) for _, p, c in rows).fiedler:.2f}".replace(".", ",")

    response = await organiser.get(f"/organisation/rounds/{edition.round}/affectations")
    assert response.status_code == 200
    text = _text(response)
    assert CONNECTED in text
    assert f"Connectivité du plan (valeur de Fiedler normalisée) : <strong>{fiedler}</strong>" in text
    assert "Jury Nord <small>— zone Nord (T4, T5)</small>" in text
    assert "Jury Sud <small>— zone Sud (T2, T3)</small>" in text
    # The hole: Antony Habitat has two jurors of three; David, Emma and Farid may still complete it
    # unless they already mark it.
    assigned = {p for _, p, c in rows if c == antony}
    free = sum(
        1
        for name in ("David Morel", "Emma Girard", "Farid Haddad", "Gaëlle Bonnet")
        if edition.jurors[name] not in assigned
    )
    reason = f"2 jurés sur 3 : {free} juré{'s' if free > 1 else ''} disponible{'s' if free > 1 else ''}"
    assert re.search(
        rf"<td>Antony Habitat</td>\s*<td>Jury Sud</td>\s*<td>2 / 3</td>\s*<td>{reason} dans le jury « Jury Sud »\.</td>",
        text,
    )
    assert "Bruno Petit" in text and "(présidence)" in text
    # The conflicted cell says so instead of offering a button.
    assert 'aria-label="Affecter Hugo Lambert à Antony Habitat"' not in text
    assert 'aria-label="Affecter Bruno Petit à Solaris Énergie"' not in text
    assert text.count("<small>conflit</small>") == 3


async def test_fill_holes_checkbox_reaches_the_plan(organiser, edition: Edition):
    await organiser.post(f"/api/rounds/{edition.round}/assignments", json={"k": 2})
    response = await organiser.post(
        f"/organisation/rounds/{edition.round}/affectations/automatique",
        data={"k": "3", "seed": "0", "bridging": "2", "bridge_min_per_zone": "8", "fill_holes_only": "true"},
    )
    text = _text(response)
    assert "compléter seulement les trous" in text
    assert "32 conservées" in text and "0 retirée" in text
    assert '<input type="hidden" name="fill_holes_only" value="true">' in text


async def test_edition_link_leads_to_the_first_round_still_open(organiser, db: Database, edition: Edition):
    url = "/organisation/editions/made-in-92-2025/affectations"
    first = await organiser.get(url, follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (
        303,
        f"/organisation/rounds/{edition.round}/affectations",
    )
    await db.conn.execute("update rounds set status = 'closed' where id = $1", edition.round)
    second = await organiser.get(url, follow_redirects=False)
    assert second.headers["location"] == f"/organisation/rounds/{edition.final}/affectations"


async def test_openapi_documents_the_assignment_api(client, edition: Edition):
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    base = "/api/rounds/{round_id}/assignments"
    assert set(paths[base]) == {"get", "post"}
    assert set(paths[f"{base}/preview"]) == {"post"}
    assert set(paths[f"{base}/pairs"]) == {"post", "delete"}
    body = schema["components"]["schemas"]
    preview_ref = paths[f"{base}/preview"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "$ref"
    ]
    parameters = body[preview_ref.rsplit("/", 1)[-1]]["properties"]
    assert set(parameters) == {"k", "seed", "bridging", "bridge_min_per_zone", "fill_holes_only"}
