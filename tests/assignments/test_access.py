"""Who may see and change assignments: both sides of every permission, with data that could leak."""

from __future__ import annotations

import pytest
from tests.assignments.conftest import ORGANISER, OTHER_ORGANISER, Edition, pairs_in_db
from tests.helpers import sign_in

from jury.auth.service import issue_codes
from jury.db.queries import Database


def _requests(edition: Edition) -> list[tuple[str, str, dict]]:
    api = f"/api/rounds/{edition.round}/assignments"
    page = f"/organisation/rounds/{edition.round}/affectations"
    pair = {
        "person_id": edition.jurors["Gaëlle Bonnet"],
        "candidate_id": edition.candidates["Solaris Énergie"],
    }
    form = {key: str(value) for key, value in pair.items()}
    html = {"accept": "text/html"}
    return [
        ("GET", api, {}),
        ("POST", f"{api}/preview", {"json": {"k": 3}}),
        ("POST", api, {"json": {"k": 3}}),
        ("POST", f"{api}/pairs", {"json": pair}),
        ("DELETE", f"{api}/pairs", {"params": pair}),
        ("GET", page, {"headers": html}),
        ("POST", f"{page}/automatique", {"data": {"k": "3", "confirm": "true"}, "headers": html}),
        ("POST", f"{page}/ajout", {"data": form, "headers": html}),
        ("POST", f"{page}/retrait", {"data": form, "headers": html}),
        ("GET", "/organisation/editions/made-in-92-2025/affectations", {"headers": html}),
    ]


async def _send(client, request: tuple[str, str, dict]):
    method, url, kwargs = request
    return await client.request(method, url, follow_redirects=False, **kwargs)


async def _planned(client, *, db: Database, edition: Edition) -> set:
    """A plan written by the contest's organiser, so that there are names to leak."""
    await sign_in(client, email=ORGANISER)
    response = await client.post(f"/api/rounds/{edition.round}/assignments", json={"k": 3})
    assert response.status_code == 200
    await client.post("/deconnexion")
    return await pairs_in_db(db, edition.round)


def _assert_no_names(text: str, edition: Edition, *, me: str = "") -> None:
    """`me`: the signed-in person, whose own name the page header shows."""
    for name in [*edition.jurors, *edition.candidates]:
        assert name == me or name not in text, name
    assert "Jury Nord" not in text and "Demi-finales" not in text


async def test_anonymous_gets_401_everywhere(client, db: Database, edition: Edition):
    before = await _planned(client, db=db, edition=edition)
    for method, url, kwargs in _requests(edition):
        response = await _send(client, (method, url, kwargs))
        assert response.status_code == 401, (method, url)
        _assert_no_names(response.text, edition)
    assert await pairs_in_db(db, edition.round) == before


async def test_juror_gets_403_everywhere(client, db: Database, edition: Edition):
    before = await _planned(client, db=db, edition=edition)
    # Signed in as Gaëlle, a juror of this very round: still not an organiser.
    [card] = await issue_codes(db, edition_id=edition.id, person_ids=[edition.jurors["Gaëlle Bonnet"]])
    assert (await client.post("/acces", data={"code": card.code}, follow_redirects=False)).status_code == 303
    for method, url, kwargs in _requests(edition):
        response = await _send(client, (method, url, kwargs))
        assert response.status_code == 403, (method, url)
        _assert_no_names(response.text, edition, me="Gaëlle Bonnet")
    assert await pairs_in_db(db, edition.round) == before


async def test_organiser_of_another_contest_gets_403_and_no_names(client, db: Database, edition: Edition):
    before = await _planned(client, db=db, edition=edition)
    events = await db.conn.fetchval("select count(*) from audit_events")
    await sign_in(client, email=OTHER_ORGANISER)
    for method, url, kwargs in _requests(edition):
        response = await _send(client, (method, url, kwargs))
        assert response.status_code == 403, (method, url)
        _assert_no_names(response.text, edition)
    assert await pairs_in_db(db, edition.round) == before
    assert await db.conn.fetchval("select count(*) from audit_events") == events


@pytest.mark.parametrize("index", range(10))
async def test_organiser_of_the_contest_is_let_through(client, db: Database, edition: Edition, index: int):
    """The other side of each refusal above: the same request succeeds for the contest's organiser."""
    await sign_in(client, email=ORGANISER)
    method, url, kwargs = _requests(edition)[index]
    if method == "DELETE" or url.endswith("/retrait"):
        pair = kwargs.get("params") or kwargs["data"]
        await db.conn.execute(
            "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
            edition.nord,
            int(pair["person_id"]),
            int(pair["candidate_id"]),
        )
    response = await _send(client, (method, url, kwargs))
    assert response.status_code in (200, 201, 303), (method, url, response.text[:300])


async def test_unknown_round_is_404(organiser, edition: Edition):
    response = await organiser.get("/api/rounds/999999/assignments")
    assert (response.status_code, response.json()["detail"]) == (404, "Tour inconnu.")
