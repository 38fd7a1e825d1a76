from tests.helpers import make_contest, make_organiser, sign_in

from jury.db.queries import Database

CANDIDATES = {
    "Nanterre Robotique": "92050",  # T4 → Nord
    "Clichy Textile": "92024",  # T5 → Nord
    "Antony Santé": "92002",  # T2 → Sud
    "Meudon Énergie": "92048",  # T3 → Sud
    "Argenteuil Café": "95018",  # T5 but outside the 92
    "Paris Start": "75056",  # Paris: outside
}


async def _semi_final(db: Database, *, accept_argenteuil: bool) -> dict:
    await make_contest(db)
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year, accepted_outside_insee) "
        "select id, 'made-in-92-2025', 10, 2025, $1 from contests where slug = 'made-in-92' returning id",
        ["95018"] if accept_argenteuil else [],
    )
    round_id = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'semi_final', 'Demi-finales', 2) "
        "returning id",
        edition,
    )
    panels = {}
    for code, label, epts in (("nord", "Nord", ["T4", "T5"]), ("sud", "Sud", ["T2", "T3"])):
        zone = await db.conn.fetchval(
            "insert into zones (edition_id, code, label, ept_codes) values ($1, $2, $3, $4) returning id",
            edition,
            code,
            label,
            epts,
        )
        panels[code] = await db.conn.fetchval(
            "insert into panels (round_id, zone_id, name) values ($1, $2, $3) returning id",
            round_id,
            zone,
            f"Demi-finale {label}",
        )
    ids = {}
    for name, insee in CANDIDATES.items():
        known = await db.conn.fetchval("select insee_code from communes where insee_code = $1", insee)
        ids[name] = await db.conn.fetchval(
            "insert into candidates (edition_id, kind, organisation_name, email, insee_code, commune_label) "
            "values ($1, 'company', $2, 'x@exemple.fr', $3, $4) returning id",
            edition,
            name,
            known,
            "Paris" if known is None else "",
        )
        await db.conn.execute(
            "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", ids[name], round_id
        )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    return {"round": round_id, "panels": panels, "ids": ids}


async def _placement(db: Database, round_id: int) -> dict[int, tuple]:
    rows = await db.conn.fetch(
        "select candidate_id, panel_id, status from candidate_rounds where round_id = $1", round_id
    )
    return {r["candidate_id"]: (r["panel_id"], r["status"]) for r in rows}


async def test_candidates_are_routed_to_the_panel_of_their_zone(client, db):
    data = await _semi_final(db, accept_argenteuil=True)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{data['round']}/routing")
    assert response.status_code == 200
    placement = await _placement(db, data["round"])
    ids, panels = data["ids"], data["panels"]
    assert placement[ids["Nanterre Robotique"]] == (panels["nord"], "pending")
    assert placement[ids["Clichy Textile"]] == (panels["nord"], "pending")
    assert placement[ids["Antony Santé"]] == (panels["sud"], "pending")
    assert placement[ids["Meudon Énergie"]] == (panels["sud"], "pending")
    assert placement[ids["Argenteuil Café"]] == (panels["nord"], "pending")
    assert placement[ids["Paris Start"]] == (None, "ineligible")
    reasons = {r["candidate_id"]: r["reason"] for r in response.json()["routed"]}
    assert reasons[ids["Paris Start"]] == "Code INSEE manquant"


async def test_argenteuil_is_ineligible_when_the_edition_does_not_accept_it(client, db):
    data = await _semi_final(db, accept_argenteuil=False)
    await sign_in(client, email="cci@exemple.fr")
    await client.post(f"/api/rounds/{data['round']}/routing")
    placement = await _placement(db, data["round"])
    assert placement[data["ids"]["Argenteuil Café"]] == (None, "ineligible")
    reason = await db.conn.fetchval(
        "select reason from candidate_rounds where candidate_id = $1", data["ids"]["Argenteuil Café"]
    )
    assert "Argenteuil" in reason


async def test_override_needs_a_written_reason_and_is_audited(client, db):
    data = await _semi_final(db, accept_argenteuil=False)
    await sign_in(client, email="cci@exemple.fr")
    await client.post(f"/api/rounds/{data['round']}/routing")
    paris = data["ids"]["Paris Start"]
    refused = await client.post(
        f"/api/rounds/{data['round']}/overrides",
        json={"candidate_id": paris, "panel_id": data["panels"]["nord"], "reason": ""},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "motif"
    accepted = await client.post(
        f"/api/rounds/{data['round']}/overrides",
        json={
            "candidate_id": paris,
            "panel_id": data["panels"]["nord"],
            "reason": "Siège transféré à Puteaux",
        },
    )
    assert accepted.status_code == 204
    assert (await _placement(db, data["round"]))[paris] == (data["panels"]["nord"], "eligible")
    assert await db.conn.fetchval("select count(*) from decisions where kind = 'override'") == 1
    assert (
        await db.conn.fetchval("select action from audit_events order by id desc limit 1")
        == "candidate.override"
    )
    # A second routing run keeps the override.
    await client.post(f"/api/rounds/{data['round']}/routing")
    assert (await _placement(db, data["round"]))[paris] == (data["panels"]["nord"], "eligible")


async def test_routing_is_for_organisers_of_the_contest_only(client, db):
    data = await _semi_final(db, accept_argenteuil=False)
    assert (await client.post(f"/api/rounds/{data['round']}/routing")).status_code == 401
    await make_contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    await sign_in(client, email="dep@exemple.fr")
    assert (await client.post(f"/api/rounds/{data['round']}/routing")).status_code == 403
    assert set((await _placement(db, data["round"])).values()) == {(None, "pending")}
