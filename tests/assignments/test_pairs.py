"""Assigning by hand, one pair at a time, through the JSON API and the page's forms."""

from __future__ import annotations

import html

from tests.assignments.conftest import Edition, pairs_in_db

from jury.db.queries import Database

CLOSED = "Le tour est clos : les affectations ne peuvent plus changer."


async def _actions(db: Database) -> list[tuple[str, str]]:
    return [tuple(r) for r in await db.conn.fetch("select action, target from audit_events order by id")]


async def test_bridge_juror_is_written_with_the_panel_of_the_candidate(
    organiser, db: Database, edition: Edition
):
    url = f"/api/rounds/{edition.round}/assignments/pairs"
    gaelle, solaris = edition.jurors["Gaëlle Bonnet"], edition.candidates["Solaris Énergie"]
    created = await organiser.post(url, json={"person_id": gaelle, "candidate_id": solaris})
    assert created.status_code == 201
    assert created.json() == {
        "round_id": edition.round,
        "panel_id": edition.nord,
        "person_id": gaelle,
        "candidate_id": solaris,
        "changed": True,
    }
    again = await organiser.post(url, json={"person_id": gaelle, "candidate_id": solaris})
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert await pairs_in_db(db, edition.round) == {(edition.nord, gaelle, solaris)}

    removed = await organiser.delete(url, params={"person_id": gaelle, "candidate_id": solaris})
    assert (removed.status_code, removed.json()["changed"]) == (200, True)
    assert await pairs_in_db(db, edition.round) == set()
    gone = await organiser.delete(url, params={"person_id": gaelle, "candidate_id": solaris})
    assert gone.status_code == 404
    assert gone.json()["detail"] == "Gaëlle Bonnet n'est pas affecté à « Solaris Énergie »."
    assert await _actions(db) == [
        ("assignments.pair_added", f"round:{edition.round}"),
        ("assignments.pair_removed", f"round:{edition.round}"),
    ]


async def test_conflicted_pair_is_refused_in_french(organiser, db: Database, edition: Edition):
    response = await organiser.post(
        f"/api/rounds/{edition.round}/assignments/pairs",
        json={
            "person_id": edition.jurors["Bruno Petit"],
            "candidate_id": edition.candidates["Solaris Énergie"],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Bruno Petit a déclaré un conflit d'intérêts avec « Solaris Énergie » : affectation impossible."
    )
    assert await pairs_in_db(db, edition.round) == set() and await _actions(db) == []


async def test_declaring_no_conflict_does_not_block_the_pair(organiser, db: Database, edition: Edition):
    response = await organiser.post(
        f"/api/rounds/{edition.round}/assignments/pairs",
        json={
            "person_id": edition.jurors["Gaëlle Bonnet"],
            "candidate_id": edition.candidates["Antony Habitat"],
        },
    )
    assert (response.status_code, response.json()["panel_id"]) == (201, edition.sud)


async def test_juror_of_another_panel_is_refused(organiser, db: Database, edition: Edition):
    response = await organiser.post(
        f"/api/rounds/{edition.round}/assignments/pairs",
        json={
            "person_id": edition.jurors["Alice Martin"],
            "candidate_id": edition.candidates["Antony Habitat"],
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Alice Martin ne siège pas dans le jury « Jury Sud » où concourt « Antony Habitat » : "
        "affectation impossible."
    )
    assert await pairs_in_db(db, edition.round) == set() and await _actions(db) == []


async def test_people_and_candidates_outside_the_round_are_unknown(organiser, edition: Edition):
    url = f"/api/rounds/{edition.round}/assignments/pairs"
    organiser_id = edition.jurors["Alice Martin"] + 100
    stranger = await organiser.post(
        url, json={"person_id": organiser_id, "candidate_id": edition.candidates["Solaris Énergie"]}
    )
    assert (stranger.status_code, stranger.json()["detail"]) == (
        404,
        "Cette personne ne siège dans aucun jury de ce tour.",
    )
    elsewhere = await organiser.post(
        f"/api/rounds/{edition.final}/assignments/pairs",
        json={
            "person_id": edition.jurors["Alice Martin"],
            "candidate_id": edition.candidates["Solaris Énergie"],
        },
    )
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (
        404,
        "Ce candidat ne concourt pas dans ce tour.",
    )


async def test_closed_round_refuses_every_change(organiser, db: Database, edition: Edition):
    await organiser.post(f"/api/rounds/{edition.round}/assignments", json={"k": 2})
    before = await pairs_in_db(db, edition.round)
    events = await _actions(db)
    await db.conn.execute("update rounds set status = 'closed' where id = $1", edition.round)
    base = f"/api/rounds/{edition.round}/assignments"
    _, person, candidate = min(before)
    # A pair that would be accepted if the round were open: no conflict, juror on the candidate's panel.
    nord_jurors = [edition.jurors[n] for n in ("Alice Martin", "Chloé Roux", "Gaëlle Bonnet", "Hugo Lambert")]
    free = next(
        (p, c) for p in nord_jurors for c in edition.in_zone("Nord") if (edition.nord, p, c) not in before
    )
    responses = [
        await organiser.post(f"{base}/preview", json={"k": 3}),
        await organiser.post(base, json={"k": 3}),
        await organiser.post(f"{base}/pairs", json={"person_id": free[0], "candidate_id": free[1]}),
        await organiser.delete(f"{base}/pairs", params={"person_id": person, "candidate_id": candidate}),
    ]
    assert [(r.status_code, r.json()["detail"]) for r in responses] == [(409, CLOSED)] * 4
    assert await pairs_in_db(db, edition.round) == before and await _actions(db) == events
    # Reading stays possible, and says the round is closed.
    overview = (await organiser.get(base)).json()
    assert (overview["editable"], len(overview["pairs"])) == (False, len(before))
    page = await organiser.get(f"/organisation/rounds/{edition.round}/affectations")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert CLOSED in text and "affectations/automatique" not in text and "affectations/ajout" not in text


async def test_forms_add_and_remove_pairs_and_explain_refusals(organiser, db: Database, edition: Edition):
    page = f"/organisation/rounds/{edition.round}/affectations"
    gaelle, solaris = edition.jurors["Gaëlle Bonnet"], edition.candidates["Solaris Énergie"]
    added = await organiser.post(
        f"{page}/ajout", data={"person_id": str(gaelle), "candidate_id": str(solaris)}, follow_redirects=False
    )
    assert (added.status_code, added.headers["location"]) == (303, f"{page}?fait=ajout")
    shown = await organiser.get(added.headers["location"])
    assert "Affectation ajoutée." in shown.text
    assert await pairs_in_db(db, edition.round) == {(edition.nord, gaelle, solaris)}

    refused = await organiser.post(
        f"{page}/ajout",
        data={"person_id": str(edition.jurors["Bruno Petit"]), "candidate_id": str(solaris)},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert (
        "Bruno Petit a déclaré un conflit d'intérêts avec « Solaris Énergie » : affectation impossible."
        in html.unescape(refused.text)
    )

    removed = await organiser.post(
        f"{page}/retrait",
        data={"person_id": str(gaelle), "candidate_id": str(solaris)},
        follow_redirects=False,
    )
    assert (removed.status_code, removed.headers["location"]) == (303, f"{page}?fait=retrait")
    assert await pairs_in_db(db, edition.round) == set()
