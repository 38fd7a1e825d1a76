from tests.helpers import make_contest, make_organiser, sign_in

APPLICANTS = [
    # name, legal form, INSEE, requested
    ("Les Jardins Partagés", "Association", "92050", 12000),
    ("Start SAS", "SAS", "92012", 8000),
    ("Café Solidaire d'Argenteuil", "Association", "95018", 5000),
    ("Trop Gourmande", "Association", "92002", 20000),
]


async def _eligibility_round(db) -> dict:
    await make_contest(db, slug="progress", kind="organisation")
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year, budget_eur, max_grant_eur, eligible_legal_forms) "
        "select id, 'progress-2024', 3, 2024, 100000, 15000, '{Association,ESUS}' from contests "
        "where slug = 'progress' returning id"
    )
    round_id = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'eligibility', 'Éligibilité', 1) "
        "returning id",
        edition,
    )
    ids = {}
    for name, form, insee, requested in APPLICANTS:
        ids[name] = await db.conn.fetchval(
            "insert into candidates (edition_id, kind, organisation_name, email, insee_code, legal_form, requested_eur) "
            "values ($1, 'organisation', $2, 'x@exemple.fr', $3, $4, $5) returning id",
            edition,
            name,
            insee,
            form,
            requested,
        )
        await db.conn.execute(
            "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", ids[name], round_id
        )
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    return {"round": round_id, "ids": ids}


async def test_eligibility_rules_are_applied_and_recorded_with_reasons(client, db):
    data = await _eligibility_round(db)
    await sign_in(client, email="dep@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/eligibility")
    assert response.status_code == 200
    outcome = {o["candidate_id"]: o for o in response.json()}
    ids = data["ids"]
    assert outcome[ids["Les Jardins Partagés"]]["eligible"] is True
    assert [
        o["eligible"]
        for o in (outcome[ids[n]] for n in ("Start SAS", "Café Solidaire d'Argenteuil", "Trop Gourmande"))
    ] == [False, False, False]
    assert "SAS" in outcome[ids["Start SAS"]]["reasons"][0]
    rows = await db.conn.fetch(
        "select candidate_id, status from candidate_rounds where round_id = $1", data["round"]
    )
    statuses = {r["candidate_id"]: r["status"] for r in rows}
    assert statuses[ids["Les Jardins Partagés"]] == "eligible"
    assert statuses[ids["Start SAS"]] == "ineligible"
    assert await db.conn.fetchval("select count(*) from decisions where kind = 'ineligible'") == 3


async def test_eligibility_is_for_the_contest_organisers_only(client, db):
    data = await _eligibility_round(db)
    assert (await client.post(f"/api/rounds/{data['round']}/eligibility")).status_code == 401
    await make_contest(db, slug="made-in-92")
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    denied = await client.post(f"/api/rounds/{data['round']}/eligibility")
    assert denied.status_code == 403 and "Jardins" not in denied.text
    assert await db.conn.fetchval("select count(*) from decisions") == 0
