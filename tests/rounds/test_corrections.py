from tests.helpers import sign_in
from tests.rounds.test_moves import _round

from jury.auth.service import issue_codes


async def _closed_round_with_a_sheet(db) -> dict:
    data = await _round(db)
    panel = await db.conn.fetchval("select id from panels where round_id = $1", data["round"])
    candidate = await db.conn.fetchval(
        "select candidate_id from assignments where person_id = $1", data["juror"]
    )
    criterion = await db.conn.fetchval("select id from criteria")
    sheet = await db.conn.fetchval(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, submitted_at) "
        "values ($1, $2, $3, $4, 'submitted', now()) returning id",
        data["round"],
        panel,
        data["juror"],
        candidate,
    )
    await db.conn.execute(
        "insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value) "
        "values ($1, $2, 0, 10, 4)",
        sheet,
        criterion,
    )
    await db.conn.execute("update rounds set status = 'closed' where id = $1", data["round"])
    return {**data, "candidate": candidate, "criterion": criterion, "sheet": sheet}


async def _value(db, sheet: int) -> float:
    return float(await db.conn.fetchval("select value from sheet_scores where sheet_id = $1", sheet))


async def test_chair_corrects_a_closed_sheet_with_a_reason_and_it_is_audited(client, db):
    data = await _closed_round_with_a_sheet(db)
    [card] = await issue_codes(db, edition_id=data["edition"], person_ids=[data["chair"]])
    await client.post("/acces", data={"code": card.code})
    body = {
        "person_id": data["juror"],
        "candidate_id": data["candidate"],
        "values": {str(data["criterion"]): 7},
        "reason": "Erreur de report constatée à la signature du PV",
    }
    response = await client.post(f"/api/rounds/{data['round']}/corrections", json=body)
    assert response.status_code == 200
    assert response.json() == {"sheet_id": data["sheet"], "version": 2, "corrected": [data["criterion"]]}
    assert await _value(db, data["sheet"]) == 7.0
    event = await db.conn.fetchrow("select action, target from audit_events order by id desc limit 1")
    assert dict(event) == {"action": "sheet.corrected", "target": f"sheet:{data['sheet']}"}


async def test_correction_needs_a_reason_and_a_value_on_the_scale(client, db):
    data = await _closed_round_with_a_sheet(db)
    [card] = await issue_codes(db, edition_id=data["edition"], person_ids=[data["chair"]])
    await client.post("/acces", data={"code": card.code})
    base = {"person_id": data["juror"], "candidate_id": data["candidate"]}
    no_reason = await client.post(
        f"/api/rounds/{data['round']}/corrections",
        json={**base, "values": {str(data["criterion"]): 7}, "reason": ""},
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "motif"
    off_scale = await client.post(
        f"/api/rounds/{data['round']}/corrections",
        json={**base, "values": {str(data["criterion"]): 11}, "reason": "Erreur de report"},
    )
    assert off_scale.status_code == 422
    assert off_scale.json()["errors"][0]["message"].startswith(
        "Innovation : la note doit être comprise entre"
    )
    assert await _value(db, data["sheet"]) == 4.0


async def test_only_the_chair_corrects_and_only_after_closing(client, db):
    data = await _closed_round_with_a_sheet(db)
    body = {
        "person_id": data["juror"],
        "candidate_id": data["candidate"],
        "values": {str(data["criterion"]): 9},
        "reason": "Je préfère 9",
    }
    [juror_card] = await issue_codes(db, edition_id=data["edition"], person_ids=[data["juror"]])
    await client.post("/acces", data={"code": juror_card.code})
    assert (await client.post(f"/api/rounds/{data['round']}/corrections", json=body)).status_code == 403
    await sign_in(client, email="cci@exemple.fr")
    assert (await client.post(f"/api/rounds/{data['round']}/corrections", json=body)).status_code == 403
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", data["round"])
    [chair_card] = await issue_codes(db, edition_id=data["edition"], person_ids=[data["chair"]])
    await client.post("/acces", data={"code": chair_card.code})
    assert (await client.post(f"/api/rounds/{data['round']}/corrections", json=body)).status_code == 409
    assert await _value(db, data["sheet"]) == 4.0
