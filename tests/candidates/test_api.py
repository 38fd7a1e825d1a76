"""Adding, correcting, withdrawing a candidate and accepting one despite the rules, through the JSON API."""

from __future__ import annotations

from tests.candidates.conftest import GATEAU, M92, PROGRESS, World

NOBSOLETE = {
    "nom_structure": "Nobsolete",
    "nom_porteur": "Léa Martinet",
    "courriel": "lea@nobsolete.fr",
    "code_insee": "92022",
    "date_creation": "15/03/2021",
    "categorie": "TE",
    "projet": "Réparer plutôt que jeter",
}


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


async def events(db, action: str) -> list[tuple[str, str]]:
    rows = await db.conn.fetch(
        "select actor_label, target from audit_events where action = $1 order by id", action
    )
    return [(r["actor_label"], r["target"]) for r in rows]


async def test_add_enters_the_first_round_with_the_next_number(organiser, db, world: World):
    response = await organiser.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)
    assert response.status_code == 201, response.text
    body = response.json()
    candidate = body["candidate"]
    assert candidate["entry_number"] == 1
    assert (candidate["organisation_name"], candidate["email"], candidate["commune"]) == (
        "Nobsolete",
        "lea@nobsolete.fr",
        "Chaville",
    )
    assert (candidate["founded_on"], candidate["category"], candidate["withdrawn"]) == (
        "2021-03-15",
        "TE",
        False,
    )
    assert body["round"] == {
        "id": world.rounds[M92],
        "name": "Présélection",
        "kind": "preselection",
        "position": 1,
        "round_status": "draft",
        "status": "pending",
        "reason": "",
    }
    assert body["eligibility"] == {"eligible": True, "failures": [], "override": None, "accepted": True}
    second = await organiser.post(f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "courriel": "b@b.fr"})
    assert second.json()["candidate"]["entry_number"] == 2
    given = await organiser.post(f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "numero": 40})
    assert given.json()["candidate"]["entry_number"] == 40
    taken = await organiser.post(f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "numero": "40"})
    assert taken.status_code == 422
    assert [e["field"] for e in taken.json()["errors"]] == ["numero"]
    organiser_id = await db.conn.fetchval("select id from people where email = 'claire@exemple.fr'")
    assert (await events(db, "candidate.created"))[0] == (
        f"organiser:{organiser_id}",
        f"candidate:{candidate['id']}",
    )


async def test_argenteuil_is_flagged_for_the_gateau_but_accepted_where_listed(organiser, db, world: World):
    baker = {
        "nom_porteur": "Paul Fournil",
        "courriel": "paul@fournil.fr",
        "code_insee": "95018",
        "creation": "Opéra",
    }
    gateau = await organiser.post(f"/api/editions/{GATEAU}/candidates", json=baker)
    assert gateau.status_code == 201, gateau.text
    body = gateau.json()
    assert body["eligibility"] == {
        "eligible": False,
        "failures": [
            {
                "rule": "territory",
                "message": "Commune hors des Hauts-de-Seine et non acceptée par cette édition : "
                "Argenteuil (95018)",
            }
        ],
        "override": None,
        "accepted": False,
    }
    assert (body["round"]["status"], body["round"]["reason"]) == (
        "ineligible",
        "Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)",
    )
    # Kept, flagged, never dropped.
    assert await db.conn.fetchval("select count(*) from candidates where email = 'paul@fournil.fr'") == 1
    m92 = await organiser.post(f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "code_insee": "95018"})
    assert m92.json()["eligibility"]["eligible"] is True


async def test_a_company_of_nine_years_is_flagged_for_made_in_92(organiser):
    old = await organiser.post(
        f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "date_creation": "2016-03-15"}
    )
    assert old.status_code == 201
    assert old.json()["eligibility"]["failures"] == [
        {
            "rule": "company_age",
            "message": "Entreprise créée le 15 mars 2016 : 9 ans à la clôture du 31 mai 2025 "
            "(moins de 8 ans exigés)",
        }
    ]
    assert old.json()["round"]["status"] == "ineligible"
    just = await organiser.post(
        f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "date_creation": "2017-06-01"}
    )
    assert just.json()["eligibility"]["eligible"] is True  # 7 years and 364 days at the closing date


async def test_legal_form_and_request_outside_progress_rules_are_flagged(organiser, world: World):
    sarl = {
        "nom_structure": "Ma SARL",
        "courriel": "sarl@exemple.fr",
        "code_insee": "92050",
        "forme_juridique": "SARL",
        "montant_demande": "20 000 €",
    }
    response = await organiser.post(f"/api/editions/{PROGRESS}/candidates", json=sarl)
    assert response.status_code == 201, response.text
    failures = response.json()["eligibility"]["failures"]
    assert [(f["rule"], plain(f["message"])) for f in failures] == [
        (
            "legal_form",
            "Forme juridique non éligible pour cette édition : « SARL » (formes admises : Association, ESUS)",
        ),
        ("requested_amount", "Montant demandé (20 000 €) supérieur au plafond de 15 000 €"),
    ]
    ok = await organiser.post(
        f"/api/editions/{PROGRESS}/candidates",
        json={
            **sarl,
            "courriel": "asso@exemple.fr",
            "forme_juridique": "association",
            "montant_demande": 12000,
        },
    )
    assert ok.json()["candidate"]["legal_form"] == "Association"
    assert ok.json()["round"]["status"] == "eligible"  # the first round is an eligibility round


async def test_malformed_data_is_refused_with_the_field_named(organiser, db):
    bad = await organiser.post(
        f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "courriel": "lea@@x", "categorie": "ZZ"}
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["courriel", "categorie"]
    missing = await organiser.post(f"/api/editions/{M92}/candidates", json={"nom_structure": "Sans courriel"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["courriel", "code_insee"]
    assert await db.conn.fetchval("select count(*) from candidates") == 0


async def test_override_with_a_written_reason(organiser, db):
    created = await organiser.post(
        f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "date_creation": "2010-01-01"}
    )
    cid = created.json()["candidate"]["id"]
    no_reason = await organiser.post(f"/api/candidates/{cid}/eligibility-override", json={"reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    response = await organiser.post(
        f"/api/candidates/{cid}/eligibility-override", json={"reason": "Reprise d'activité en 2020"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["eligibility"]["eligible"] is False and body["eligibility"]["accepted"] is True
    assert body["eligibility"]["override"]["reason"] == "Reprise d'activité en 2020"
    assert (body["round"]["status"], body["round"]["reason"]) == (
        "pending",
        "Dérogation : Reprise d'activité en 2020",
    )
    again = await organiser.get(f"/api/candidates/{cid}")
    assert again.json()["eligibility"]["override"]["reason"] == "Reprise d'activité en 2020"
    eligible = await organiser.post(
        f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "courriel": "x@y.fr"}
    )
    refused = await organiser.post(
        f"/api/candidates/{eligible.json()['candidate']['id']}/eligibility-override",
        json={"reason": "Pourquoi pas"},
    )
    assert refused.status_code == 409
    assert [t for _, t in await events(db, "candidate.eligibility_overridden")] == [f"candidate:{cid}"]


async def test_patch_checks_again(organiser, db):
    created = await organiser.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)
    cid = created.json()["candidate"]["id"]
    older = await organiser.patch(f"/api/candidates/{cid}", json={"date_creation": "2012-05-01"})
    assert older.status_code == 200, older.text
    assert [f["rule"] for f in older.json()["eligibility"]["failures"]] == ["company_age"]
    assert older.json()["round"]["status"] == "ineligible"
    assert older.json()["candidate"]["organisation_name"] == "Nobsolete"  # untouched fields kept
    fixed = await organiser.patch(f"/api/candidates/{cid}", json={"date_creation": "2020-05-01", "numero": 7})
    assert fixed.json()["eligibility"]["eligible"] is True
    assert (fixed.json()["round"]["status"], fixed.json()["round"]["reason"]) == ("pending", "")
    assert fixed.json()["candidate"]["entry_number"] == 7
    bad = await organiser.patch(f"/api/candidates/{cid}", json={"courriel": "pas-un-courriel"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "courriel"
    assert len(await events(db, "candidate.updated")) == 2


async def test_withdrawal_keeps_history_and_leaves_assignments(organiser, db, world: World):
    created = await organiser.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)
    cid = created.json()["candidate"]["id"]
    await db.conn.execute(
        "update candidate_rounds set panel_id = $2 where candidate_id = $1", cid, world.panel
    )
    await db.conn.execute(
        "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
        world.panel,
        world.juror,
        cid,
    )
    missing = await organiser.post(f"/api/candidates/{cid}/withdrawal", json={})
    assert missing.status_code == 422  # the body's type refuses it, like the service would
    response = await organiser.post(
        f"/api/candidates/{cid}/withdrawal", json={"reason": "Cessation d'activité"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["candidate"]["withdrawn"] is True
    assert body["candidate"]["withdrawal_reason"] == "Cessation d'activité"
    assert (body["round"]["status"], body["round"]["reason"]) == ("withdrawn", "Cessation d'activité")
    assert await db.conn.fetchval("select count(*) from candidates where id = $1", cid) == 1
    assert await db.conn.fetchval("select count(*) from assignments where candidate_id = $1", cid) == 0
    again = await organiser.post(f"/api/candidates/{cid}/withdrawal", json={"reason": "Encore"})
    assert again.status_code == 409
    patch = await organiser.patch(f"/api/candidates/{cid}", json={"projet": "Autre"})
    assert patch.status_code == 409
    assert [t for _, t in await events(db, "candidate.withdrawn")] == [f"candidate:{cid}"]


async def test_refusals(anonymous, other, organiser, world: World):
    assert (await anonymous.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)).status_code == 401
    assert (await other.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)).status_code == 403
    cid = (await organiser.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)).json()["candidate"]["id"]
    assert (await anonymous.patch(f"/api/candidates/{cid}", json={"projet": "x"})).status_code == 401
    assert (await other.patch(f"/api/candidates/{cid}", json={"projet": "x"})).status_code == 403
    assert (await other.post(f"/api/candidates/{cid}/withdrawal", json={"reason": "x"})).status_code == 403
    assert (
        await other.post(f"/api/candidates/{cid}/eligibility-override", json={"reason": "x"})
    ).status_code == 403
    assert (await other.get(f"/api/candidates/{cid}")).status_code == 403
    assert (await organiser.get("/api/candidates/999999")).status_code == 404
    assert (await organiser.post("/api/editions/inconnue/candidates", json=NOBSOLETE)).status_code == 404


async def test_a_withdrawn_candidate_leaves_the_standings(organiser, db, world: World):
    """Sheets already given stay (history), but the standing no longer ranks the withdrawn candidate."""
    from tests import factories

    rnd = world.rounds[M92]
    category = await db.conn.fetchval("select id from categories where code = 'TE'")
    criterion = await factories.criterion(db, category_id=category)
    ids = []
    for name in ("Alpha", "Beta", "Gamma"):
        created = await organiser.post(
            f"/api/editions/{M92}/candidates", json={**NOBSOLETE, "nom_structure": name}
        )
        ids.append(created.json()["candidate"]["id"])
    await db.conn.execute("update candidate_rounds set panel_id = $1 where round_id = $2", world.panel, rnd)
    await db.conn.execute("update rounds set status = 'open' where id = $1", rnd)
    for k, cid in enumerate(ids):
        await factories.assign(db, panel_id=world.panel, person_id=world.juror, candidate_id=cid)
        await factories.sheet(
            db,
            round_id=rnd,
            panel_id=world.panel,
            person_id=world.juror,
            candidate_id=cid,
            scores={criterion: 5 + k},
        )

    async def ranked() -> list[str]:
        response = await organiser.get(f"/api/rounds/{rnd}/standings")
        assert response.status_code == 200, response.text
        return [line["name"] for s in response.json() for line in s["lines"]]

    assert sorted(await ranked()) == ["Alpha", "Beta", "Gamma"]
    withdrawn = await organiser.post(f"/api/candidates/{ids[2]}/withdrawal", json={"reason": "Abandon"})
    assert withdrawn.status_code == 200
    assert sorted(await ranked()) == ["Alpha", "Beta"]
    assert await db.conn.fetchval("select count(*) from score_sheets where candidate_id = $1", ids[2]) == 1


async def test_a_candidate_entering_a_round_with_one_panel_goes_before_it(organiser, world: World):
    """As qualifiers entering a final: with one panel there is nothing to choose, and a round whose
    candidates have no panel cannot open."""
    added = await organiser.post(f"/api/editions/{M92}/candidates", json=NOBSOLETE)
    assert added.status_code == 201, added.text
    entries = (await organiser.get(f"/api/rounds/{world.rounds[M92]}/entries")).json()
    assert [(e["candidate_id"], e["panel_id"]) for e in entries["entries"]] == [
        (added.json()["candidate"]["id"], world.panel)
    ]
