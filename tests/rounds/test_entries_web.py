"""The organisers' page of a round's candidates and panels: place, seat, unseat, and refusals shown on it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests import factories as f
from tests.helpers import sign_in
from tests.rounds.test_entries import CCI, CMA, _panels, build_scene

from jury.db.queries import Database


@pytest.fixture
async def scene(db: Database) -> SimpleNamespace:
    return await build_scene(db)


async def test_the_page_shows_what_the_round_lacks_and_its_candidates(client, scene) -> None:
    await sign_in(client, email=CCI)
    page = await client.get(f"/organisation/rounds/{scene.final}/entrants/")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Candidats et jurys — Finale" in text
    assert "4 candidat(s) sans jury." in text and 'href="#candidats"' in text
    assert (
        "Le jury « Grand jury » n&#39;a aucun juré." in text
        or "Le jury « Grand jury » n'a aucun juré." in text
    )
    for n in range(1, 5):
        assert f"Société {n}" in text
    assert f'name="jury-{scene.c[0]}"' in text
    assert "Anne Présidente" in text  # a juror of the edition, offered for the seats


async def test_the_page_places_seats_and_unseats(client, db, scene) -> None:
    await sign_in(client, email=CCI)
    url = f"/organisation/rounds/{scene.final}/entrants/"
    form = {
        "action": "placer",
        **{f"jury-{c}": str(scene.grand) for c in scene.c[:3]},
        f"jury-{scene.c[3]}": "",
    }
    placed = await client.post(url, data=form)
    assert placed.status_code == 200, placed.text
    assert "3 candidat(s) placé(s)" in placed.text
    assert await _panels(db, scene.final) == {**{c: scene.grand for c in scene.c[:3]}, scene.c[3]: None}

    seated = await client.post(
        url,
        data={"action": "ajouter", "panel_id": str(scene.bis), "email": "bruno@exemple.fr", "role": "chair"},
    )
    assert seated.status_code == 200 and "Bruno Juré siège désormais" in seated.text
    seated = await client.post(
        url, data={"action": "ajouter", "panel_id": str(scene.bis), "person_id": str(scene.jurors[2])}
    )
    assert seated.status_code == 200, seated.text
    assert await db.conn.fetchval("select count(*) from panel_members where panel_id = $1", scene.bis) == 2

    unseated = await client.post(
        url, data={"action": "retirer", "panel_id": str(scene.bis), "person_id": str(scene.jurors[2])}
    )
    assert unseated.status_code == 200 and "Juré retiré du jury." in unseated.text
    rows = await db.conn.fetch("select action from audit_events order by id")
    assert [r["action"] for r in rows] == [
        "round.entries_placed",
        "panel.member_added",
        "panel.member_added",
        "panel.member_removed",
    ]


async def test_a_refusal_is_shown_on_the_page_and_nothing_is_written(client, db, scene) -> None:
    await sign_in(client, email=CCI)
    url = f"/organisation/rounds/{scene.final}/entrants/"
    wrong = await client.post(url, data={"action": "placer", f"jury-{scene.c[0]}": str(scene.nord)})
    assert wrong.status_code == 422
    assert (
        "Ce jury n&#39;appartient pas à ce tour." in wrong.text
        or "Ce jury n'appartient pas à ce tour." in wrong.text
    )
    stranger = await client.post(
        url, data={"action": "ajouter", "panel_id": str(scene.grand), "email": "olivier@exemple.fr"}
    )
    assert stranger.status_code == 422 and "Olivier" not in stranger.text
    other_round = await client.post(
        url, data={"action": "retirer", "panel_id": str(scene.nord), "person_id": str(scene.jurors[1])}
    )
    assert other_round.status_code == 422
    assert set((await _panels(db, scene.final)).values()) == {None}
    assert await db.conn.fetchval("select count(*) from panel_members where panel_id = $1", scene.nord) == 3
    assert await db.conn.fetchval("select count(*) from audit_events") == 0


async def test_another_contests_organiser_gets_nothing(client, db, scene) -> None:
    await sign_in(client, email=CMA)
    url = f"/organisation/rounds/{scene.final}/entrants/"
    for response in (
        await client.get(url),
        await client.post(url, data={"action": "placer", f"jury-{scene.c[0]}": str(scene.grand)}),
    ):
        assert response.status_code == 403
        assert "Société" not in response.text and "Anne" not in response.text
    assert set((await _panels(db, scene.final)).values()) == {None}


async def test_a_closed_round_is_shown_read_only(client, db, scene) -> None:
    await f.enter_round(
        db,
        candidate_id=await f.candidate(
            db, edition_id=scene.edition, entry_number=7, organisation_name="Tardive"
        ),
        round_id=scene.semi,
    )
    await sign_in(client, email=CCI)
    page = await client.get(f"/organisation/rounds/{scene.semi}/entrants/")
    assert page.status_code == 200
    assert "ne changent plus" in page.text and 'name="jury-' not in page.text and "Retirer" not in page.text
