"""Confirming the candidates who advance: next-round entries, statuses, decisions with their basis."""

from __future__ import annotations

BASED_ON = "affine · sha256:3f9a0c"


async def _statuses(db, round_id: int) -> dict[int, str]:
    rows = await db.conn.fetch(
        "select candidate_id, status from candidate_rounds where round_id = $1", round_id
    )
    return {r["candidate_id"]: r["status"] for r in rows}


async def test_advancement_enters_the_next_round_and_settles_the_panel(client, db, made_in_92, as_organiser):
    m = made_in_92
    c = m.c
    await as_organiser("cci@exemple.fr")
    response = await client.post(
        f"/api/rounds/{m.semi}/advance",
        json={
            "advance": [c["solaris"], c["elles"]],
            "based_on": BASED_ON,
            "reason": "Deux finalistes pour le Nord",
            "panel_id": m.nord,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["advanced"] == [c["solaris"], c["elles"]]
    assert body["eliminated"] == sorted([c["verdure"], c["batiment"]])
    assert await _statuses(db, m.semi) == {
        c["solaris"]: "advanced",
        c["elles"]: "advanced",
        c["verdure"]: "eliminated",
        c["batiment"]: "eliminated",
        c["ondine"]: "pending",  # Sud is settled by its own confirmation
        c["kiosque"]: "pending",
    }
    assert await _statuses(db, m.final) == {c["solaris"]: "pending", c["elles"]: "pending"}
    decisions = await db.conn.fetch(
        "select candidate_id, kind, round_id, based_on, reason, decided_by from decisions order by id"
    )
    organiser = await db.conn.fetchval("select id from people where email = 'cci@exemple.fr'")
    assert [tuple(d) for d in decisions] == [
        (c["solaris"], "advance", m.semi, BASED_ON, "Deux finalistes pour le Nord", organiser),
        (c["elles"], "advance", m.semi, BASED_ON, "Deux finalistes pour le Nord", organiser),
        *[
            (cid, "eliminate", m.semi, BASED_ON, "Deux finalistes pour le Nord", organiser)
            for cid in sorted([c["verdure"], c["batiment"]])
        ],
    ]
    assert body["decision_ids"] == [
        d for d in await db.conn.fetchval("select array_agg(id order by id) from decisions")
    ]
    event = await db.conn.fetchrow(
        "select action, target from audit_events where action = 'deliberation.advanced'"
    )
    assert dict(event) == {"action": "deliberation.advanced", "target": f"round:{m.semi}"}

    listed = (await client.get(f"/api/editions/{m.slug}/decisions")).json()
    assert [(d["kind"], d["candidate"], d["based_on"], d["decided_by"]) for d in listed][:2] == [
        ("advance", "Solaris", BASED_ON, "cci"),
        ("advance", "Elles & Co", BASED_ON, "cci"),
    ]


async def test_based_on_is_required(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    missing = await client.post(f"/api/rounds/{m.semi}/advance", json={"advance": [m.c["solaris"]]})
    assert missing.status_code == 422
    blank = await client.post(
        f"/api/rounds/{m.semi}/advance", json={"advance": [m.c["solaris"]], "based_on": "  "}
    )
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {"field": "based_on", "message": "Indiquez le classement (méthode et empreinte)."}
    ]
    assert await db.conn.fetchval("select count(*) from decisions") == 0
    assert await db.conn.fetchval("select count(*) from candidate_rounds where round_id = $1", m.final) == 0


async def test_a_bad_list_writes_nothing(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    response = await client.post(
        f"/api/rounds/{m.semi}/advance",
        json={
            "advance": [m.c["solaris"], m.c["ondine"], m.c["solaris"]],
            "based_on": BASED_ON,
            "panel_id": m.nord,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "advance[1]", "message": f"Candidat n° {m.c['ondine']} absent de ce tour (ou de ce jury)."},
        {"field": "advance[2]", "message": f"Candidat n° {m.c['solaris']} cité deux fois."},
    ]
    assert set((await _statuses(db, m.semi)).values()) == {"pending"}
    assert await db.conn.fetchval("select count(*) from decisions") == 0


async def test_only_while_deliberating_and_only_by_the_contest_organisers(
    client, db, made_in_92, stranger, as_juror, as_organiser
):
    m = made_in_92
    body = {"advance": [m.c["solaris"]], "based_on": BASED_ON}
    await as_juror(m.edition, m.people["nadia"])
    assert (await client.post(f"/api/rounds/{m.semi}/advance", json=body)).status_code == 403
    await as_organiser(stranger)
    refused = await client.post(f"/api/rounds/{m.semi}/advance", json=body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Vous n'organisez pas ce concours."
    assert (await client.get(f"/api/editions/{m.slug}/decisions")).status_code == 403

    await db.conn.execute("update rounds set status = 'closed' where id = $1", m.semi)
    await as_organiser("cci@exemple.fr")
    closed = await client.post(f"/api/rounds/{m.semi}/advance", json=body)
    assert closed.status_code == 409
    assert closed.json()["detail"] == (
        "Les confirmations de qualifiés ne sont possibles que pendant la délibération ; état du tour : clos."
    )
    assert await db.conn.fetchval("select count(*) from decisions") == 0


async def test_last_round_has_no_next_round(client, db, made_in_92, as_organiser):
    m = made_in_92
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", m.final)
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", m.c["solaris"], m.final
    )
    await as_organiser("cci@exemple.fr")
    response = await client.post(
        f"/api/rounds/{m.final}/advance", json={"advance": [m.c["solaris"]], "based_on": BASED_ON}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Ce tour est le dernier de l'édition : il n'y a pas de tour suivant."


async def test_advancement_through_the_decisions_page(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    page = await client.get(f"/organisation/editions/{m.slug}/decisions")
    assert page.status_code == 200 and "Confirmer les qualifiés" in page.text
    assert "<script" not in page.text and "style=" not in page.text
    response = await client.post(
        f"/organisation/editions/{m.slug}/decisions/qualifies",
        data={
            "round_id": str(m.semi),
            "panel_id": str(m.sud),
            "advance": [str(m.c["ondine"])],
            "based_on": BASED_ON,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await _statuses(db, m.semi))[m.c["kiosque"]] == "eliminated"
    assert await _statuses(db, m.final) == {m.c["ondine"]: "pending"}
    page = await client.get(f"/organisation/editions/{m.slug}/decisions")
    assert "Ondine" in page.text and BASED_ON in page.text
