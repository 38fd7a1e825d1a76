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


async def _committee(db, *, edition_round: int) -> dict:
    """The committee after the eligibility round: one panel (its only one), nobody in it yet."""
    edition = await db.conn.fetchval("select edition_id from rounds where id = $1", edition_round)
    committee = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'committee', 'Comité', 2) "
        "returning id",
        edition,
    )
    panel = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Comité de sélection') returning id", committee
    )
    return {"round": committee, "panel": panel}


async def _move(client, round_id: int, *steps: str) -> None:
    for step in steps:
        response = await client.post(f"/api/rounds/{round_id}/status", json={"to": step})
        assert response.status_code == 200, response.text


async def test_recording_again_honours_overrides_skips_withdrawals_and_decides_once(client, db):
    data = await _eligibility_round(db)
    ids = data["ids"]
    await sign_in(client, email="dep@exemple.fr")
    assert (await client.post(f"/api/rounds/{data['round']}/eligibility")).status_code == 200
    accepted = await client.post(
        f"/api/candidates/{ids['Trop Gourmande']}/eligibility-override",
        json={"reason": "Le plafond sera appliqué à la subvention."},
    )
    assert accepted.status_code == 200, accepted.text
    withdrawn = await client.post(
        f"/api/candidates/{ids['Start SAS']}/withdrawal", json={"reason": "Projet abandonné."}
    )
    assert withdrawn.status_code == 200, withdrawn.text

    again = await client.post(f"/api/rounds/{data['round']}/eligibility")
    assert again.status_code == 200, again.text
    outcome = {o["candidate_id"]: o for o in again.json()}
    assert ids["Start SAS"] not in outcome
    assert outcome[ids["Trop Gourmande"]] == {
        "candidate_id": ids["Trop Gourmande"],
        "eligible": True,
        "reasons": ["Montant demandé (20\u202f000\xa0€) supérieur au plafond de 15\u202f000\xa0€"],
        "overridden": True,
    }
    rows = await db.conn.fetch(
        "select candidate_id, status, reason from candidate_rounds where round_id = $1", data["round"]
    )
    entries = {r["candidate_id"]: (r["status"], r["reason"]) for r in rows}
    assert entries[ids["Start SAS"]][0] == "withdrawn"
    assert entries[ids["Trop Gourmande"]] == (
        "eligible",
        "Dérogation : Le plafond sera appliqué à la subvention.",
    )
    # One ineligible decision per project, however many times the rules are applied.
    decided = await db.conn.fetch(
        "select candidate_id from decisions where kind = 'ineligible' order by candidate_id"
    )
    assert [r["candidate_id"] for r in decided] == sorted(
        ids[n] for n in ("Start SAS", "Café Solidaire d'Argenteuil", "Trop Gourmande")
    )


async def test_the_eligible_projects_enter_the_committee_as_the_rounds_qualifiers(client, db):
    data = await _eligibility_round(db)
    ids = data["ids"]
    committee = await _committee(db, edition_round=data["round"])
    await sign_in(client, email="dep@exemple.fr")
    assert (await client.post(f"/api/rounds/{data['round']}/eligibility")).status_code == 200
    # No panel, no juror, no grid: an eligibility round opens with its candidates only.
    await _move(client, data["round"], "open", "deliberation")
    advance = f"/api/rounds/{data['round']}/advance"
    based_on = "Règles d'éligibilité de l'édition"

    ineligible = await client.post(
        advance, json={"advance": [ids["Les Jardins Partagés"], ids["Start SAS"]], "based_on": based_on}
    )
    assert ineligible.status_code == 422
    assert ineligible.json()["errors"] == [
        {
            "field": "advance[1]",
            "message": f"Candidat n° {ids['Start SAS']} : statut « inéligible », il ne peut pas être qualifié.",
        }
    ]
    left_out = await client.post(advance, json={"advance": [], "based_on": based_on})
    assert left_out.status_code == 422
    assert left_out.json()["errors"] == [
        {"field": "reason", "message": "1 candidat(s) éligible(s) non retenu(s) : indiquez pourquoi."}
    ]
    assert await db.conn.fetchval("select count(*) from decisions where kind <> 'ineligible'") == 0

    confirmed = await client.post(
        advance, json={"advance": [ids["Les Jardins Partagés"]], "based_on": based_on}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["advanced"] == [ids["Les Jardins Partagés"]]
    assert confirmed.json()["eliminated"] == []
    entered = await db.conn.fetch(
        "select candidate_id, status, panel_id from candidate_rounds where round_id = $1", committee["round"]
    )
    assert [tuple(r) for r in entered] == [(ids["Les Jardins Partagés"], "pending", committee["panel"])]
    events = await db.conn.fetch(
        "select action, target, actor_label from audit_events where action = 'deliberation.advanced'"
    )
    assert [(e["action"], e["target"]) for e in events] == [
        ("deliberation.advanced", f"round:{data['round']}")
    ]


async def test_no_project_moves_on_before_the_rules_are_applied(client, db):
    data = await _eligibility_round(db)
    await _committee(db, edition_round=data["round"])
    await sign_in(client, email="dep@exemple.fr")
    await _move(client, data["round"], "open", "deliberation")
    response = await client.post(
        f"/api/rounds/{data['round']}/advance",
        json={"advance": [data["ids"]["Les Jardins Partagés"]], "based_on": "Règles d'éligibilité"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "advance",
            "message": "4 candidat(s) dont l'éligibilité n'a pas été examinée : appliquez d'abord les "
            "règles d'éligibilité du tour.",
        }
    ]
    assert await db.conn.fetchval("select count(*) from decisions") == 0
