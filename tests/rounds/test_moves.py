from tests import factories
from tests.helpers import make_contest, make_organiser, sign_in

from jury.auth.service import issue_codes
from jury.db.queries import Database


async def _round(db: Database, *, with_assignments: bool = True) -> dict:
    await make_contest(db)
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year) select id, 'made-in-92-2025', 10, 2025 "
        "from contests where slug = 'made-in-92' returning id"
    )
    category = await db.conn.fetchval(
        "insert into categories (edition_id, code, name) values ($1, 'energie', 'Transition énergétique') "
        "returning id",
        edition,
    )
    await db.conn.execute(
        "insert into criteria (category_id, code, label, scale_min, scale_max, scale_step, weight) "
        "values ($1, 'innovation', 'Innovation', 0, 10, 1, 20)",
        category,
    )
    round_id = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'semi_final', 'Demi-finale', 1) "
        "returning id",
        edition,
    )
    panel = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Nord') returning id", round_id
    )
    chair = await db.conn.fetchval(
        "insert into people (full_name, email) values ('Nadia Chair', 'nadia@exemple.fr') returning id"
    )
    juror = await db.conn.fetchval(
        "insert into people (full_name, email) values ('Paul Juré', 'paul@exemple.fr') returning id"
    )
    await db.conn.execute(
        "insert into panel_members (panel_id, person_id, role) values ($1, $2, 'chair'), ($1, $3, 'juror')",
        panel,
        chair,
        juror,
    )
    candidate = await db.conn.fetchval(
        "insert into candidates (edition_id, kind, organisation_name, email, insee_code, category_id) "
        "values ($1, 'company', 'Solaris', 'contact@solaris.fr', '92050', $2) returning id",
        edition,
        category,
    )
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id, panel_id) values ($1, $2, $3)",
        candidate,
        round_id,
        panel,
    )
    if with_assignments:
        await db.conn.execute(
            "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
            panel,
            juror,
            candidate,
        )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    return {"edition": edition, "round": round_id, "chair": chair, "juror": juror}


async def _status(db: Database, round_id: int) -> str:
    return await db.conn.fetchval("select status from rounds where id = $1", round_id)


async def test_organiser_opens_a_ready_round_and_the_move_is_audited(client, db):
    data = await _round(db)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})
    assert response.status_code == 200
    assert response.json() == {"round_id": data["round"], "previous": "draft", "status": "open"}
    assert await _status(db, data["round"]) == "open"
    event = await db.conn.fetchrow("select action, target from audit_events")
    assert dict(event) == {"action": "round.moved", "target": f"round:{data['round']}"}


async def test_round_without_assignments_cannot_open_and_says_why(client, db):
    data = await _round(db, with_assignments=False)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "tour",
            "message": "1 candidat(s) sans juré affecté.",
            "link": f"/organisation/rounds/{data['round']}/affectations",
        }
    ]
    assert await _status(db, data["round"]) == "draft"


async def test_chair_closes_deliberation_but_a_plain_juror_cannot(client, db):
    data = await _round(db)
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", data["round"])
    [juror_card, chair_card] = await issue_codes(
        db, edition_id=data["edition"], person_ids=[data["juror"], data["chair"]]
    )
    await client.post("/acces", data={"code": juror_card.code})
    refused = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "closed"})
    assert refused.status_code == 403
    assert await _status(db, data["round"]) == "deliberation"
    await client.post("/acces", data={"code": chair_card.code})
    accepted = await client.post(
        f"/api/rounds/{data['round']}/status", json={"to": "closed", "reason": "PV signé"}
    )
    assert accepted.status_code == 200
    assert await _status(db, data["round"]) == "closed"


async def test_closed_round_stays_closed(client, db):
    data = await _round(db)
    await db.conn.execute("update rounds set status = 'closed' where id = $1", data["round"])
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Le tour est clos : il ne peut plus changer d'état."


async def test_organiser_of_another_contest_cannot_move_the_round(client, db):
    data = await _round(db)
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    await sign_in(client, email="dep@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})
    assert response.status_code == 403
    assert await _status(db, data["round"]) == "draft"


async def test_anonymous_cannot_move_a_round(client, db):
    data = await _round(db)
    assert (await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})).status_code == 401


async def test_withdrawn_and_ineligible_entries_do_not_hold_a_round_back(client, db):
    """They keep their history in the round but need no panel and no juror: only those still in play do."""
    data = await _round(db)
    category = await db.conn.fetchval("select id from categories where edition_id = $1", data["edition"])
    for entry, status in ((2, "withdrawn"), (3, "ineligible")):
        candidate = await factories.candidate(
            db,
            edition_id=data["edition"],
            entry_number=entry,
            organisation_name=f"Hors jeu {entry}",
            category_id=category,
        )
        await factories.enter_round(db, candidate_id=candidate, round_id=data["round"], status=status)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/status", json={"to": "open"})
    assert response.status_code == 200, response.text
    assert await _status(db, data["round"]) == "open"
