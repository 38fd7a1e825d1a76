"""The automatic plan through the JSON API: preview, apply, fill holes, and what the database holds after."""

from __future__ import annotations

from collections import Counter

from tests.assignments.conftest import BOTH, NORD_ONLY, SUD_ONLY, Edition, pairs_in_db

from jury.audit.chain import digest_of
from jury.db.queries import Database
from jury.results.design import check_design

CONNECTED = "Le plan est connexe : les deux demi-finales sont comparables grâce à 2 jurés passerelles."


async def _count(db: Database, table: str) -> int:
    return await db.conn.fetchval(f"select count(*) from {table}")


async def test_preview_proposes_a_plan_and_writes_nothing(organiser, db: Database, edition: Edition):
    response = await organiser.post(f"/api/rounds/{edition.round}/assignments/preview", json={"k": 3})
    assert response.status_code == 200
    plan = response.json()
    assert plan["parameters"] == {
        "k": 3,
        "seed": 0,
        "bridging": 2,
        "bridge_min_per_zone": 8,
        "fill_holes_only": False,
    }
    assert (len(plan["pairs"]), len(plan["added"]), plan["removed"], plan["kept"]) == (48, 48, [], 0)
    assert plan["uncovered"] == []
    assert plan["design"]["connected"] is True
    assert plan["design"]["message"] == CONNECTED
    assert sorted(b["full_name"] for b in plan["bridges"]) == sorted(BOTH)
    for bridge in plan["bridges"]:
        assert (bridge["seen"], bridge["required"], bridge["complete"]) == (
            {"Nord": 8, "Sud": 7},
            {"Nord": 8, "Sud": 7},
            True,
        )
    assert await _count(db, "assignments") == 0
    assert await _count(db, "audit_events") == 0


async def test_same_seed_same_plan_other_seed_other_plan(organiser, edition: Edition):
    url = f"/api/rounds/{edition.round}/assignments/preview"
    first = (await organiser.post(url, json={"k": 3, "seed": 7})).json()
    again = (await organiser.post(url, json={"k": 3, "seed": 7})).json()
    other = (await organiser.post(url, json={"k": 3, "seed": 8})).json()
    assert first["pairs"] == again["pairs"] and first["digest"] == again["digest"]
    assert other["digest"] != first["digest"]


async def test_apply_writes_a_linked_balanced_plan_without_conflicted_pairs(
    organiser, db: Database, edition: Edition
):
    response = await organiser.post(f"/api/rounds/{edition.round}/assignments", json={"k": 3})
    assert response.status_code == 200
    summary = response.json()
    assert {key: summary[key] for key in ("pairs", "added", "removed", "kept", "uncovered", "connected")} == {
        "pairs": 48,
        "added": 48,
        "removed": 0,
        "kept": 0,
        "uncovered": 0,
        "connected": True,
    }
    rows = await pairs_in_db(db, edition.round)
    assert len(rows) == 48

    # Exactly k jurors per candidate.
    per_candidate = Counter(candidate for _, _, candidate in rows)
    assert sorted(per_candidate) == sorted(edition.candidates.values())
    assert set(per_candidate.values()) == {3}

    # No pair with a declared conflict; the "no conflict" declaration did not count as one.
    conflicts = {
        (r["person_id"], r["candidate_id"])
        for r in await db.conn.fetch(
            "select person_id, candidate_id from conflict_declarations where has_conflict"
        )
    }
    assert len(conflicts) == 2 and not conflicts & {(p, c) for _, p, c in rows}

    # Each pair's panel holds both the juror and the candidate.
    members = {(r["panel_id"], r["person_id"]) for r in await db.conn.fetch("select * from panel_members")}
    panel_of = {
        r["candidate_id"]: r["panel_id"]
        for r in await db.conn.fetch(
            "select candidate_id, panel_id from candidate_rounds where round_id = $1", edition.round
        )
    }
    for panel, person, candidate in rows:
        assert (panel, person) in members
        assert panel_of[candidate] == panel

    # Loads: the jurors of one panel only are within one of each other; the two bridges carry the link.
    load = Counter(person for _, person, _ in rows)
    nord = sorted(load[edition.jurors[name]] for name in NORD_ONLY)
    sud = sorted(load[edition.jurors[name]] for name in SUD_ONLY)
    assert (nord, sud) == ([3, 4, 4], [2, 2, 3])
    assert [load[edition.jurors[name]] for name in BOTH] == [15, 15]

    # Each bridge sees at least min(8, zone size) candidates of each zone.
    for name in BOTH:
        person = edition.jurors[name]
        seen = {
            zone: sum(1 for _, p, c in rows if p == person and c in edition.in_zone(zone))
            for zone in ("Nord", "Sud")
        }
        assert seen["Nord"] >= min(8, 9) and seen["Sud"] >= min(8, 7)

    design = check_design((p, c) for _, p, c in rows)
    assert design.connected and design.fiedler > 0


async def test_apply_appends_one_audit_event_with_counts_and_parameters_only(
    organiser, db: Database, edition: Edition
):
    body = {"k": 3, "seed": 4, "bridging": 2, "bridge_min_per_zone": 8}
    summary = (await organiser.post(f"/api/rounds/{edition.round}/assignments", json=body)).json()
    events = await db.conn.fetch("select actor_id, actor_label, action, target, digest from audit_events")
    organiser_id = await db.conn.fetchval("select id from people where email = 'cci@exemple.fr'")
    assert len(events) == 1
    event = dict(events[0])
    # The trail keeps a digest of the payload: rebuilding it proves what it holds, ids and counts only.
    expected_payload = {
        "k": 3,
        "seed": 4,
        "bridging": 2,
        "bridge_min_per_zone": 8,
        "fill_holes_only": False,
        "digest": summary["digest"],
        "pairs": 48,
        "added": 48,
        "removed": 0,
        "kept": 0,
        "uncovered": 0,
        "bridging_jurors": 2,
        "connected": True,
        "components": 1,
    }
    assert event == {
        "actor_id": organiser_id,
        "actor_label": f"organiser:{organiser_id}",
        "action": "assignments.applied",
        "target": f"round:{edition.round}",
        "digest": digest_of(expected_payload),
    }


async def test_confirming_a_stale_preview_writes_nothing(organiser, db: Database, edition: Edition):
    url = f"/api/rounds/{edition.round}/assignments"
    preview = (await organiser.post(f"{url}/preview", json={"k": 3})).json()
    # Meanwhile a juror declares a conflict with a candidate the plan gave them.
    person, candidate = preview["added"][0]["person_id"], preview["added"][0]["candidate_id"]
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Cousin')",
        edition.round,
        person,
        candidate,
    )
    response = await organiser.post(url, json={"k": 3, "expected_digest": preview["digest"]})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Les données du tour ont changé depuis l'aperçu")
    assert await _count(db, "assignments") == 0 and await _count(db, "audit_events") == 0


async def test_fill_holes_keeps_existing_pairs_and_fills_only_the_missing_one(
    organiser, db: Database, edition: Edition
):
    url = f"/api/rounds/{edition.round}/assignments"
    await organiser.post(url, json={"k": 3})
    before = await pairs_in_db(db, edition.round)
    # Chloé declares a conflict with one of her candidates; the conflict service deletes the assignment.
    chloe = edition.jurors["Chloé Roux"]
    panel, _, candidate = min(row for row in before if row[1] == chloe)
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Sœur gérante')",
        edition.round,
        chloe,
        candidate,
    )
    await db.conn.execute(
        "delete from assignments where person_id = $1 and candidate_id = $2", chloe, candidate
    )

    overview = (await organiser.get(url)).json()
    assert overview["k"] == 3
    assert [(h["candidate_id"], h["assigned"], h["wanted"]) for h in overview["holes"]] == [(candidate, 2, 3)]

    preview = (
        await organiser.post(f"{url}/preview", json={"k": 3, "fill_holes_only": True, "seed": 1})
    ).json()
    assert preview["removed"] == [] and preview["kept"] == 47
    [added] = preview["added"]
    assert added["candidate_id"] == candidate and added["panel_id"] == panel
    already = {p for _, p, c in before if c == candidate}
    assert added["person_id"] not in already  # not Chloé, nor the two jurors who kept it

    applied = (await organiser.post(url, json={"k": 3, "fill_holes_only": True, "seed": 1})).json()
    assert (applied["added"], applied["removed"], applied["kept"], applied["pairs"]) == (1, 0, 47, 48)
    after = await pairs_in_db(db, edition.round)
    assert after == (before - {(panel, chloe, candidate)}) | {(panel, added["person_id"], candidate)}
    assert (await organiser.get(url)).json()["holes"] == []


async def test_replacing_keeps_pairs_a_juror_already_started_to_mark(
    organiser, db: Database, edition: Edition
):
    url = f"/api/rounds/{edition.round}/assignments"
    await organiser.post(url, json={"k": 3, "seed": 0})
    panel, person, candidate = min(await pairs_in_db(db, edition.round))
    await db.conn.execute(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id) values ($1, $2, $3, $4)",
        edition.round,
        panel,
        person,
        candidate,
    )
    for seed in range(1, 6):
        await organiser.post(url, json={"k": 3, "seed": seed})
        assert (panel, person, candidate) in await pairs_in_db(db, edition.round)
    refused = await organiser.delete(f"{url}/pairs", params={"person_id": person, "candidate_id": candidate})
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"{edition.juror_name(person)} a déjà une fiche de notation pour "
        f"« {edition.candidate_name(candidate)} » : l'affectation ne peut pas être retirée."
    )


async def test_unlinked_panels_are_reported_in_plain_french(organiser, db: Database, edition: Edition):
    # By hand: each panel judged only by its own jurors, no one sitting on both.
    for name in ("Alice Martin", "Bruno Petit"):
        for candidate in edition.in_zone("Nord")[1:4]:
            await db.conn.execute(
                "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
                edition.nord,
                edition.jurors[name],
                candidate,
            )
    for name in ("David Morel", "Farid Haddad"):
        for candidate in edition.in_zone("Sud")[:3]:
            await db.conn.execute(
                "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
                edition.sud,
                edition.jurors[name],
                candidate,
            )
    overview = (await organiser.get(f"/api/rounds/{edition.round}/assignments")).json()
    assert overview["k"] == 2
    assert overview["design"] == {
        "connected": False,
        "components": 2,
        "fiedler": 0.0,
        "bridging_jurors": [],
        "message": "Attention : 2 groupes sans juré commun, les classements ne seront pas comparables entre eux.",
    }


async def test_overview_lists_panels_loads_and_holes(organiser, db: Database, edition: Edition):
    url = f"/api/rounds/{edition.round}/assignments"
    await organiser.post(url, json={"k": 3})
    overview = (await organiser.get(url)).json()
    assert (overview["round_name"], overview["round_status"], overview["editable"]) == (
        "Demi-finales",
        "draft",
        True,
    )
    assert [(p["name"], p["zone"], p["ept_codes"]) for p in overview["panels"]] == [
        ("Jury Nord", "Nord", ["T4", "T5"]),
        ("Jury Sud", "Sud", ["T2", "T3"]),
    ]
    loads = Counter(edition.juror_name(p) for _, p, _ in await pairs_in_db(db, edition.round))
    assert {j["full_name"]: (j["load"], j["bridging"]) for j in overview["jurors"]} == {
        name: (loads[name], name in BOTH) for name in edition.jurors
    }
    assert overview["holes"] == []
    assert overview["design"]["message"] == CONNECTED
    # Asking for more jurors than planned turns every candidate into a hole, with a reason.
    wider = (await organiser.get(url, params={"k": 4})).json()
    assert len(wider["holes"]) == 16
    solaris = next(h for h in wider["holes"] if h["candidate_id"] == edition.candidates["Solaris Énergie"])
    # Five jurors sit on Jury Nord: three mark Solaris, Bruno declared a conflict, one is left.
    assert solaris["reason"] == "3 jurés sur 4 : 1 juré disponible dans le jury « Jury Nord »."


async def test_single_panel_round_has_no_zones_and_no_bridges(organiser, db: Database, edition: Edition):
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id, panel_id) "
        "select id, $1, $2 from candidates where entry_number <= 4",
        edition.final,
        edition.grand_jury,
    )
    plan = (await organiser.post(f"/api/rounds/{edition.final}/assignments", json={"k": 3})).json()
    assert (plan["pairs"], plan["uncovered"], plan["connected"]) == (12, 0, True)
    overview = (await organiser.get(f"/api/rounds/{edition.final}/assignments")).json()
    assert overview["design"]["message"] == (
        "Le plan est connexe : toutes les notes du tour sont comparables entre elles."
    )
    assert {j["full_name"]: j["load"] for j in overview["jurors"]} == {
        "Alice Martin": 4,
        "David Morel": 4,
        "Gaëlle Bonnet": 4,
    }


async def test_fill_holes_only_adds_and_replacing_cleans_up(organiser, db: Database, edition: Edition):
    url = f"/api/rounds/{edition.round}/assignments"
    await organiser.post(url, json={"k": 3})
    before = await pairs_in_db(db, edition.round)
    rueil = edition.candidates["Rueil Bio"]
    await db.conn.execute(
        "update candidate_rounds set status = 'withdrawn' where candidate_id = $1 and round_id = $2",
        rueil,
        edition.round,
    )
    withdrawn = {row for row in before if row[2] == rueil}
    assert len(withdrawn) == 3
    overview = (await organiser.get(url)).json()
    assert overview["warnings"] == [
        f"{edition.juror_name(person)} est affecté à « Rueil Bio », qui ne concourt plus dans ce tour."
        for _, person, _ in sorted(withdrawn, key=lambda row: row[1])
    ]
    filling = (await organiser.post(f"{url}/preview", json={"k": 3, "fill_holes_only": True})).json()
    assert (filling["added"], filling["removed"], filling["kept"]) == ([], [], 48)
    replacing = (await organiser.post(f"{url}/preview", json={"k": 3})).json()
    assert {(p["panel_id"], p["person_id"], p["candidate_id"]) for p in replacing["removed"]} >= withdrawn


async def test_candidate_routed_outside_its_zone_is_pointed_out(organiser, db: Database, edition: Edition):
    await db.conn.execute(
        "update candidate_rounds set panel_id = $1 where candidate_id = $2",
        edition.sud,
        edition.candidates["Solaris Énergie"],
    )
    overview = (await organiser.get(f"/api/rounds/{edition.round}/assignments")).json()
    assert overview["warnings"] == [
        "« Solaris Énergie » (Nanterre, T4) concourt dans le jury « Jury Sud », dont la zone couvre T2, T3."
    ]
