"""Issue 14, contests and editions over the JSON API: creating a contest and naming its organisers, next
year's edition copied from this one (its setup and nothing else), settings, and the edition's lifecycle."""

from __future__ import annotations

import datetime as dt

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

ADMIN = "admin@exemple.fr"
CLAIRE = "claire@exemple.fr"  # organises Made in 92
LEILA = "leila@exemple.fr"  # organises Progr'ESS

# Every table of an edition's setup, with how its rows are counted per edition.
SETUP_COUNTS = {
    "signatories": "select count(*) from signatories where edition_id = $1",
    "zones": "select count(*) from zones where edition_id = $1",
    "categories": "select count(*) from categories where edition_id = $1",
    "criteria": "select count(*) from criteria c join categories k on k.id = c.category_id where k.edition_id = $1",
    "prizes": "select count(*) from prizes where edition_id = $1",
    "rounds": "select count(*) from rounds where edition_id = $1",
    "panels": "select count(*) from panels p join rounds r on r.id = p.round_id where r.edition_id = $1",
    "panel_categories": "select count(*) from panel_categories pc join panels p on p.id = pc.panel_id "
    "join rounds r on r.id = p.round_id where r.edition_id = $1",
}
# What an edition's people and results live in: never copied.
PEOPLE_AND_RESULTS = {
    "candidates": "select count(*) from candidates where edition_id = $1",
    "candidate_rounds": "select count(*) from candidate_rounds cr join rounds r on r.id = cr.round_id "
    "where r.edition_id = $1",
    "panel_members": "select count(*) from panel_members m join panels p on p.id = m.panel_id "
    "join rounds r on r.id = p.round_id where r.edition_id = $1",
    "assignments": "select count(*) from assignments a join panels p on p.id = a.panel_id "
    "join rounds r on r.id = p.round_id where r.edition_id = $1",
    "score_sheets": "select count(*) from score_sheets s join rounds r on r.id = s.round_id where r.edition_id = $1",
    "conflict_declarations": "select count(*) from conflict_declarations d join rounds r on r.id = d.round_id "
    "where r.edition_id = $1",
    "decisions": "select count(*) from decisions where edition_id = $1",
    "awards": "select count(*) from awards a join prizes p on p.id = a.prize_id where p.edition_id = $1",
    "access_codes": "select count(*) from access_codes where edition_id = $1",
}


async def counts(db: Database, edition_id: int, queries: dict[str, str]) -> dict[str, int]:
    return {table: await db.conn.fetchval(sql, edition_id) for table, sql in queries.items()}


async def people(db: Database) -> None:
    await factories.contest(db, slug="made-in-92")
    await factories.contest(db, slug="progress", kind="organisation")
    await make_organiser(db, email=ADMIN, contests=[], admin=True)
    await make_organiser(db, email=CLAIRE, contests=["made-in-92"])
    await make_organiser(db, email=LEILA, contests=["progress"])


async def made_in_92_2025(db: Database) -> dict[str, int]:
    """An edition being judged, with a full setup and people and results in every table."""
    contest = await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(
        db,
        contest_id=contest,
        year=2025,
        number=10,
        theme="Dix ans",
        opens_on=dt.date(2024, 11, 4),
        closes_on=dt.date(2025, 1, 31),
        max_company_age_years=8,
        accepted_outside_insee=["95018"],
        budget_eur=30_000,
        max_grant_eur=5_000,
        retention_months=36,
    )
    c = db.conn
    for position, name in ((1, "Georges Siffredi"), (2, "Benoît Feytit")):
        await c.execute(
            "insert into signatories (edition_id, position, full_name, title) values ($1, $2, $3, 'Président')",
            edition,
            position,
            name,
        )
    nord = await c.fetchval(
        "insert into zones (edition_id, code, label, ept_codes) values ($1, 'nord', 'Nord', '{T4,T5}') returning id",
        edition,
    )
    sud = await c.fetchval(
        "insert into zones (edition_id, code, label, ept_codes) values ($1, 'sud', 'Sud', '{T2,T3}') returning id",
        edition,
    )
    innovation = await factories.category(db, edition_id=edition, code="innovation", name="Innovation")
    commerce = await factories.category(db, edition_id=edition, code="commerce", name="Commerce")
    crit = await factories.criterion(db, category_id=innovation, code="projet", label="Projet")
    await factories.criterion(db, category_id=innovation, code="equipe", label="Équipe", position=2)
    await factories.criterion(db, category_id=commerce, code="offre", label="Offre")
    await c.execute(
        "update editions set tie_break_policy = $2 where id = $1",
        edition,
        ["calibrated_score", f"criterion:{crit}", "chair"],
    )
    prize = await c.fetchval(
        "insert into prizes (edition_id, category_id, code, name, kind, amount_eur) "
        "values ($1, $2, 'prix-innovation', 'Prix Innovation', 'category', 5000) returning id",
        edition,
        innovation,
    )
    await c.execute(
        "insert into prizes (edition_id, code, name, kind, position) values ($1, 'special', 'Prix spécial', 'special', 2)",
        edition,
    )
    pre = await factories.round_(
        db,
        edition_id=edition,
        kind="preselection",
        name="Présélection",
        position=1,
        status="closed",
        advance_count=24,
        scheduled_on=dt.date(2025, 2, 20),
    )
    semi = await factories.round_(
        db,
        edition_id=edition,
        kind="semi_final",
        name="Demi-finales",
        position=2,
        status="open",
        advance_count=12,
        scheduled_on=dt.date(2025, 5, 15),
    )
    await factories.round_(
        db, edition_id=edition, kind="final", name="Finale", position=3, status="draft", blind=False
    )
    pre_panel = await factories.panel(db, round_id=pre, name="Comité de présélection")
    semi_nord = await factories.panel(db, round_id=semi, name="Jury Nord", zone_id=nord)
    await factories.panel(db, round_id=semi, name="Jury Sud", zone_id=sud)
    await c.execute(
        "insert into panel_categories (panel_id, category_id) values ($1, $2)", semi_nord, innovation
    )
    juror = await factories.person(db, full_name="Karim Benali", email="karim@exemple.fr")
    await factories.member(db, panel_id=pre_panel, person_id=juror, role="chair")
    await factories.member(db, panel_id=semi_nord, person_id=juror)
    candidate = await factories.candidate(
        db, edition_id=edition, entry_number=1, organisation_name="Nobsolete", category_id=innovation
    )
    await factories.enter_round(
        db, candidate_id=candidate, round_id=pre, panel_id=pre_panel, status="advanced"
    )
    await factories.enter_round(db, candidate_id=candidate, round_id=semi, panel_id=semi_nord)
    await factories.assign(db, panel_id=pre_panel, person_id=juror, candidate_id=candidate)
    await factories.sheet(
        db, round_id=pre, panel_id=pre_panel, person_id=juror, candidate_id=candidate, scores={crit: 7}
    )
    await c.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict) values ($1, $2, $3, false)",
        pre,
        juror,
        candidate,
    )
    decision = await c.fetchval(
        "insert into decisions (edition_id, round_id, candidate_id, kind) values ($1, $2, $3, 'advance') returning id",
        edition,
        pre,
        candidate,
    )
    await c.execute(
        "insert into awards (prize_id, candidate_id, decision_id, decided_on) values ($1, $2, $3, '2025-07-03')",
        prize,
        candidate,
        decision,
    )
    await c.execute(
        "insert into access_codes (edition_id, person_id, code_hash) values ($1, $2, 'h')", edition, juror
    )
    return {"edition": edition, "criterion": crit}


# --- Contests and organisers -------------------------------------------------------------------------------

CONTEST = {
    "slug": "label-artisan-tourisme",
    "name": "Label « Artisan du tourisme »",
    "organisers": "CMA Île-de-France et Département",
    "candidate_kind": "artisan",
    "description": "Un label d'un an, renouvelable.",
}


async def test_an_administrator_creates_a_contest_and_names_its_organisers(client, db):
    await people(db)
    await sign_in(client, email=ADMIN)
    created = await client.post("/api/contests", json=CONTEST)
    assert created.status_code == 201, created.text
    assert created.json() | {"id": 0} == {"id": 0, **CONTEST, "editions": []}
    again = await client.post("/api/contests", json=CONTEST)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "slug"

    new = await client.post(
        f"/api/contests/{CONTEST['slug']}/organisers",
        json={
            "email": "Sarah.Tourisme@exemple.fr",
            "name": "Sarah Tourisme",
            "password": "premier-mot-de-passe",
        },
    )
    assert new.status_code == 201, new.text
    assert new.json()["created"] is True
    known = await client.post(
        f"/api/contests/{CONTEST['slug']}/organisers", json={"email": CLAIRE.upper(), "name": "Ignoré"}
    )
    assert known.status_code == 201 and known.json()["created"] is False
    assert known.json()["full_name"] == "claire"  # an existing person is linked as they are

    # The new organiser signs in with that password and may create the contest's first edition.
    client.cookies.clear()
    await sign_in(client, email="sarah.tourisme@exemple.fr", password="premier-mot-de-passe")
    first = await client.post(f"/api/contests/{CONTEST['slug']}/editions", json={"year": 2026})
    assert first.status_code == 201, first.text
    assert (first.json()["slug"], first.json()["number"], first.json()["status"]) == (
        "label-artisan-tourisme-2026",
        1,
        "preparing",
    )
    actions = await db.conn.fetch("select action, target from audit_events order by id")
    assert [tuple(r) for r in actions] == [
        ("contest.created", "contest:label-artisan-tourisme"),
        ("contest.organiser_named", "contest:label-artisan-tourisme"),
        ("contest.organiser_named", "contest:label-artisan-tourisme"),
        ("edition.created", "edition:label-artisan-tourisme-2026"),
    ]


async def test_only_administrators_create_contests(client, db):
    await people(db)
    anonymous = await client.post("/api/contests", json=CONTEST)
    assert anonymous.status_code == 401
    await sign_in(client, email=CLAIRE)
    refused = await client.post("/api/contests", json=CONTEST)
    assert refused.status_code == 403
    organisers = await client.post("/api/contests/made-in-92/organisers", json={"email": LEILA, "name": "L"})
    assert organisers.status_code == 403
    assert await db.conn.fetchval("select count(*) from contests") == 2
    assert (
        await db.conn.fetchval(
            "select count(*) from organisers where person_id = (select id from people where email = $1)",
            LEILA,
        )
        == 1
    )


async def test_a_bad_contest_or_organiser_is_refused_naming_the_field(client, db):
    await people(db)
    await sign_in(client, email=ADMIN)
    bad = await client.post("/api/contests", json=CONTEST | {"slug": "Label Tourisme"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["slug"]
    chef = await client.post("/api/contests", json=CONTEST | {"candidate_kind": "chef"})
    assert chef.status_code == 422  # refused by the body's type, which lists the kinds
    assert chef.json()["errors"] == [
        {
            "field": "candidate_kind",
            "message": "Valeur non reconnue : 'chef' ; valeurs admises : artisan, company, organisation.",
        }
    ]
    no_password = await client.post(
        "/api/contests/made-in-92/organisers", json={"email": "nouveau@exemple.fr", "name": "Nouveau"}
    )
    assert no_password.status_code == 422 and no_password.json()["errors"][0]["field"] == "password"
    assert await db.conn.fetchval("select count(*) from people where email = 'nouveau@exemple.fr'") == 0
    unknown = await client.post("/api/contests/inconnu/organisers", json={"email": CLAIRE, "name": "C"})
    assert unknown.status_code == 404


# --- Copying an edition --------------------------------------------------------------------------------------


async def test_next_years_edition_copies_the_setup_and_nothing_else(client, db):
    await people(db)
    source = await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    response = await client.post(
        "/api/contests/made-in-92/editions",
        json={"year": 2026, "copy_from": "made-in-92-2025", "theme": "Onze"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["slug"], body["number"], body["year"], body["status"], body["theme"]) == (
        "made-in-92-2026",
        11,
        2026,
        "preparing",
        "Onze",
    )
    # The rules come along; the dates move by a year; the decision date does not.
    assert (body["opens_on"], body["closes_on"], body["decision_on"]) == ("2025-11-04", "2026-01-31", None)
    assert (body["max_company_age_years"], body["accepted_outside_insee"], body["budget_eur"]) == (
        8,
        ["95018"],
        30000,
    )
    assert (body["max_grant_eur"], body["retention_months"]) == (5000, 36)
    new = await db.conn.fetchval("select id from editions where slug = 'made-in-92-2026'")
    expected = await counts(db, source["edition"], SETUP_COUNTS)
    assert expected == {
        "signatories": 2,
        "zones": 2,
        "categories": 2,
        "criteria": 3,
        "prizes": 2,
        "rounds": 3,
        "panels": 3,
        "panel_categories": 1,
    }
    assert await counts(db, new, SETUP_COUNTS) == expected
    assert body["copied"] == expected
    assert set((await counts(db, new, PEOPLE_AND_RESULTS)).values()) == {0}
    assert set((await counts(db, source["edition"], PEOPLE_AND_RESULTS)).values()) == {1, 2}  # untouched
    rounds = await db.conn.fetch(
        "select name, status, scheduled_on, advance_count from rounds where edition_id = $1 order by position",
        new,
    )
    assert [tuple(r) for r in rounds] == [
        ("Présélection", "draft", dt.date(2026, 2, 20), 24),
        ("Demi-finales", "draft", dt.date(2026, 5, 15), 12),
        ("Finale", "draft", None, None),
    ]
    # Panels point at the new edition's zones; the tie-break rule at the copy of its criterion.
    zones = await db.conn.fetch(
        "select p.name, z.code, z.edition_id from panels p join rounds r on r.id = p.round_id "
        "join zones z on z.id = p.zone_id where r.edition_id = $1 order by p.name",
        new,
    )
    assert [(r["name"], r["code"], r["edition_id"]) for r in zones] == [
        ("Jury Nord", "nord", new),
        ("Jury Sud", "sud", new),
    ]
    copy_of_criterion = await db.conn.fetchval(
        "select c.id from criteria c join categories k on k.id = c.category_id where k.edition_id = $1 and c.code = 'projet'",
        new,
    )
    assert body["tie_break_policy"] == ["calibrated_score", f"criterion:{copy_of_criterion}", "chair"]
    event = await db.conn.fetchrow(
        "select actor_label, action, target from audit_events order by id desc limit 1"
    )
    claire = await db.conn.fetchval("select id from people where email = $1", CLAIRE)
    assert tuple(event) == (f"organiser:{claire}", "edition.created", "edition:made-in-92-2026")


async def test_an_edition_is_copied_only_within_its_contest_by_its_organisers(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=LEILA)
    other = await client.post(
        "/api/contests/made-in-92/editions", json={"year": 2026, "copy_from": "made-in-92-2025"}
    )
    assert other.status_code == 403
    across = await client.post(
        "/api/contests/progress/editions", json={"year": 2026, "copy_from": "made-in-92-2025"}
    )
    assert across.status_code == 422 and across.json()["errors"][0]["field"] == "copy_from"
    unknown = await client.post("/api/contests/inconnu/editions", json={"year": 2026})
    assert unknown.status_code == 404
    client.cookies.clear()
    assert (await client.post("/api/contests/made-in-92/editions", json={"year": 2026})).status_code == 401
    await sign_in(client, email=CLAIRE)
    taken = await client.post("/api/contests/made-in-92/editions", json={"year": 2025})
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "year"
    bad = await client.post(
        "/api/contests/made-in-92/editions",
        json={
            "year": 2027,
            "budget_eur": 1000,
            "max_grant_eur": 5000,
            "opens_on": "2027-03-01",
            "closes_on": "2027-01-01",
        },
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["closes_on", "max_grant_eur"]
    assert await db.conn.fetchval("select count(*) from editions") == 1


# --- Settings ------------------------------------------------------------------------------------------------


async def test_patch_changes_only_the_named_settings_and_names_a_refused_one(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    url = "/api/editions/made-in-92-2025"
    ok = await client.patch(
        url, json={"theme": "Dix ans d'entrepreneurs", "budget_eur": None, "max_grant_eur": None}
    )
    assert ok.status_code == 200, ok.text
    assert (ok.json()["theme"], ok.json()["budget_eur"], ok.json()["max_company_age_years"]) == (
        "Dix ans d'entrepreneurs",
        None,
        8,
    )
    for change, field in (
        ({"closes_on": "2024-10-01"}, "closes_on"),
        ({"budget_eur": 1000, "max_grant_eur": 2000}, "max_grant_eur"),
        ({"accepted_outside_insee": ["92050"]}, "accepted_outside_insee"),
        ({"accepted_outside_insee": ["99999"]}, "accepted_outside_insee"),
        ({"tie_break_policy": ["criterion:999999"]}, "tie_break_policy"),
        ({"retention_months": 500}, "retention_months"),
        ({"number": None}, "number"),
    ):
        refused = await client.patch(url, json=change)
        assert refused.status_code in (400, 422), (change, refused.text)
        if refused.status_code == 422:
            assert [e["field"] for e in refused.json()["errors"]] == [field], change
    assert (await client.patch(url, json={"year": 2030})).status_code == 422  # the slug carries the year
    assert await db.conn.fetchval("select count(*) from audit_events where action = 'edition.updated'") == 1
    client.cookies.clear()
    await sign_in(client, email=LEILA)
    assert (await client.patch(url, json={"theme": "x"})).status_code == 403


# --- Lifecycle -----------------------------------------------------------------------------------------------


async def test_the_lifecycle_refuses_with_what_is_missing_then_moves(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    created = await client.post("/api/contests/made-in-92/editions", json={"year": 2027})
    assert created.status_code == 201 and created.json()["status"] == "preparing"
    status = "/api/editions/made-in-92-2027/status"

    empty = await client.post(status, json={"status": "applications"})
    assert empty.status_code == 422
    assert [e["field"] for e in empty.json()["errors"]] == ["rounds", "categories", "opens_on", "closes_on"]
    skipped = await client.post(status, json={"status": "judging"})
    assert skipped.status_code == 409 and "candidatures ouvertes" in skipped.json()["detail"]
    archived = await client.post(status, json={"status": "archived"})
    assert archived.status_code == 409

    # The copy of 2025 has everything applications need; judging needs candidates (none are copied).
    copy = await client.post(
        "/api/contests/made-in-92/editions", json={"year": 2026, "copy_from": "made-in-92-2025"}
    )
    assert copy.status_code == 201
    status = "/api/editions/made-in-92-2026/status"
    opened = await client.post(status, json={"status": "applications"})
    assert opened.status_code == 200, opened.text
    assert opened.json() == {
        "slug": "made-in-92-2026",
        "previous": "preparing",
        "status": "applications",
        "decision_on": None,
    }
    judging = await client.post(status, json={"status": "judging"})
    assert judging.status_code == 422 and [e["field"] for e in judging.json()["errors"]] == ["candidates"]
    back = await client.post(status, json={"status": "preparing"})
    assert back.status_code == 409 and "motif" in back.json()["detail"]
    back = await client.post(status, json={"status": "preparing", "reason": "Grille à revoir"})
    assert back.status_code == 200

    # 2025 is being judged: deciding needs its rounds closed, then takes today's date (Paris).
    status = "/api/editions/made-in-92-2025/status"
    early = await client.post(status, json={"status": "decided"})
    assert early.status_code == 422
    assert [e["message"] for e in early.json()["errors"]] == [
        "Le tour « Demi-finales » n'est pas clos.",
        "Le tour « Finale » n'est pas clos.",
    ]
    await db.conn.execute(
        "update rounds set status = 'closed' where edition_id = (select id from editions where slug = 'made-in-92-2025')"
    )
    decided = await client.post(status, json={"status": "decided"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision_on"] == "2026-11-27"
    frozen = await client.patch("/api/editions/made-in-92-2025", json={"budget_eur": 1})
    assert frozen.status_code == 409 and frozen.json()["errors"][0]["field"] == "budget_eur"
    assert (
        await client.patch("/api/editions/made-in-92-2025", json={"retention_months": 48})
    ).status_code == 200
    assert (await client.post(status, json={"status": "archived"})).status_code == 200
    assert (await client.post(status, json={"status": "decided"})).status_code == 409

    moves = await db.conn.fetch(
        "select target from audit_events where action = 'edition.status_changed' order by id"
    )
    assert [r["target"] for r in moves] == [
        "edition:made-in-92-2026",
        "edition:made-in-92-2026",
        "edition:made-in-92-2025",
        "edition:made-in-92-2025",
    ]
    client.cookies.clear()
    await sign_in(client, email=LEILA)
    assert (
        await client.post("/api/editions/made-in-92-2026/status", json={"status": "applications"})
    ).status_code == 403


# --- Signatories ---------------------------------------------------------------------------------------------

PRESIDENT = {"name": "Georges Siffredi", "title": "Le Président du Département des Hauts-de-Seine"}
CHAIR = {
    "name": "Stéphane Glacier",
    "title": "Le Président du jury",
    "distinction": "Meilleur Ouvrier de France",
}


async def test_an_edition_from_scratch_gets_its_signatories_through_the_api(client, db):
    await people(db)
    await made_in_92_2025(db)
    await sign_in(client, email=CLAIRE)
    created = await client.post("/api/contests/made-in-92/editions", json={"year": 2027})
    assert created.status_code == 201 and created.json()["copied"] == {}
    url = "/api/editions/made-in-92-2027/signatories"
    edition = await db.conn.fetchval("select id from editions where slug = 'made-in-92-2027'")
    stored = (
        "select position, full_name, title, distinction from signatories where edition_id = $1 order by 1"
    )
    assert await db.conn.fetch(stored, edition) == []

    put = await client.put(url, json=[PRESIDENT, CHAIR])
    assert put.status_code == 200, put.text
    assert put.json() == [
        {"position": 1, **PRESIDENT, "distinction": None},
        {"position": 2, **CHAIR},
    ]
    assert [tuple(r) for r in await db.conn.fetch(stored, edition)] == [
        (1, PRESIDENT["name"], PRESIDENT["title"], ""),
        (2, CHAIR["name"], CHAIR["title"], CHAIR["distinction"]),
    ]

    # Refused, naming the field, and nothing written.
    for body, fields in (
        ([{**CHAIR, "title": "Le Président du jury, Meilleur Ouvrier de France"}], ["signatories[0].title"]),
        ([PRESIDENT, {"name": " ", "title": "La Vice-Présidente"}], ["signatories[1].name"]),
        ([PRESIDENT, {**PRESIDENT, "title": "x" * 121}], ["signatories[1].title"]),
        ([PRESIDENT] * 5, ["signatories"]),
    ):
        refused = await client.put(url, json=body)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == fields
    assert (await client.put(url, json=[{**PRESIDENT, "organisation": "CCI"}])).status_code == 422
    assert len(await db.conn.fetch(stored, edition)) == 2

    # The whole list is replaced: one signatory now, then none.
    again = await client.put(url, json=[{**PRESIDENT, "name": "  Georges Siffredi  "}])
    assert again.status_code == 200 and again.json() == [{"position": 1, **PRESIDENT, "distinction": None}]
    assert [r["full_name"] for r in await db.conn.fetch(stored, edition)] == [PRESIDENT["name"]]
    assert (await client.put(url, json=[])).json() == []
    events = await db.conn.fetch(
        "select actor_label, target from audit_events where action = 'signatories.replaced' order by id"
    )
    claire = await db.conn.fetchval("select id from people where email = $1", CLAIRE)
    assert [tuple(e) for e in events] == [(f"organiser:{claire}", "edition:made-in-92-2027")] * 3

    # An archived edition keeps its signatories; other contests' organisers and visitors are refused.
    await db.conn.execute("update editions set status = 'archived' where id = $1", edition)
    frozen = await client.put(url, json=[PRESIDENT])
    assert frozen.status_code == 409 and frozen.json()["errors"][0]["field"] == "signatories"
    assert (await client.put("/api/editions/inconnue-2027/signatories", json=[])).status_code == 404
    client.cookies.clear()
    assert (await client.put(url, json=[PRESIDENT])).status_code == 401
    await sign_in(client, email=LEILA)
    assert (
        await client.put("/api/editions/made-in-92-2025/signatories", json=[PRESIDENT])
    ).status_code == 403
