"""Rounds and panels of an edition through HTTP: add, change, reorder, remove while empty, panels; the
refusals (401, 403, 422 naming the field, 409) and the audit events of each change."""

from __future__ import annotations

import datetime as dt

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

SLUG = "made-in-92-2026"


async def scene(db: Database) -> dict[str, int]:
    contest = await factories.contest(db, slug="made-in-92")
    await factories.contest(db, slug="progress", kind="organisation")
    edition = await factories.edition(db, contest_id=contest, year=2026, slug=SLUG, status="preparing")
    await db.conn.execute(
        "insert into zones (edition_id, code, label, ept_codes) values ($1, 'nord', 'Nord', '{T4,T5}'), "
        "($1, 'sud', 'Sud', '{T2,T3}')",
        edition,
    )
    category = await factories.category(db, edition_id=edition, code="innovation", name="Innovation")
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await make_organiser(db, email="ess@exemple.fr", contests=["progress"])
    return {"edition": edition, "category": category}


async def rounds(db: Database, edition: int) -> list[tuple]:
    rows = await db.conn.fetch(
        "select name, kind, position, status, advance_count, quota_scope, wildcards, blind, method, scheduled_on "
        "from rounds where edition_id = $1 order by position",
        edition,
    )
    return [tuple(r.values()) for r in rows]


async def events(db: Database) -> list[tuple[str, str, str]]:
    rows = await db.conn.fetch("select actor_label, action, target from audit_events order by id")
    return [(r["actor_label"], r["action"], r["target"]) for r in rows]


async def organiser_id(db: Database, email: str = "cci@exemple.fr") -> int:
    return await db.conn.fetchval("select id from people where email = $1", email)


async def test_an_organiser_adds_rounds_with_their_rule(client, db):
    s = await scene(db)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(
        f"/api/editions/{SLUG}/rounds",
        json={
            "kind": "semi_final",
            "name": "Demi-finales",
            "advance_count": 6,
            "quota_scope": "zone",
            "wildcards": 2,
            "scheduled_on": "2026-05-12",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["position"] == 1 and body["rule"] == "Les 6 premiers par zone, plus 2 repêchés."
    final = await client.post(
        f"/api/editions/{SLUG}/rounds", json={"kind": "final", "name": "Finale", "blind": False}
    )
    first = await client.post(
        f"/api/editions/{SLUG}/rounds",
        json={
            "kind": "preselection",
            "name": "Présélection",
            "position": 1,
            "advance_count": 24,
            "method": "zscore",
            "blind": True,
        },
    )
    assert (final.status_code, first.status_code) == (201, 201)
    assert await rounds(db, s["edition"]) == [
        ("Présélection", "preselection", 1, "draft", 24, "overall", 0, True, "zscore", None),
        ("Demi-finales", "semi_final", 2, "draft", 6, "zone", 2, False, "affine", dt.date(2026, 5, 12)),
        ("Finale", "final", 3, "draft", None, "overall", 0, False, "affine", None),
    ]
    me = await organiser_id(db)
    assert [e[:2] for e in await events(db)] == [(f"organiser:{me}", "round.created")] * 3
    assert (await events(db))[0][2] == f"round:{body['id']}"
    listed = await client.get(f"/api/editions/{SLUG}/rounds")
    assert [r["name"] for r in listed.json()] == ["Présélection", "Demi-finales", "Finale"]


async def test_bad_rounds_are_refused_naming_the_field(client, db):
    s = await scene(db)
    await sign_in(client, email="cci@exemple.fr")
    # What one value cannot be is the body's type's to refuse (the schema shows it), field by field...
    for field, value in (("kind", "demi"), ("name", " "), ("method", "vote"), ("wildcards", -1)):
        body = {"kind": "final", "name": "Finale", field: value}
        response = await client.post(f"/api/editions/{SLUG}/rounds", json=body)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]
    # ... what depends on the edition is the service's, which names every field at once.
    response = await client.post(
        f"/api/editions/{SLUG}/rounds",
        json={"kind": "final", "name": "Finale", "position": 3, "quota_scope": "category", "wildcards": 1},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["position", "wildcards"]
    await db.conn.execute("delete from zones where edition_id = $1", s["edition"])
    response = await client.post(
        f"/api/editions/{SLUG}/rounds", json={"kind": "final", "name": "Finale", "quota_scope": "zone"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "quota_scope"
    assert await rounds(db, s["edition"]) == [] and await events(db) == []


async def test_anonymous_and_other_contests_are_refused(client, db):
    s = await scene(db)
    round_id = await factories.round_(db, edition_id=s["edition"], status="draft")
    body = {"kind": "final", "name": "Finale"}
    assert (await client.post(f"/api/editions/{SLUG}/rounds", json=body)).status_code == 401
    assert (await client.patch(f"/api/rounds/{round_id}", json={"name": "X"})).status_code == 401
    assert (await client.delete(f"/api/rounds/{round_id}")).status_code == 401
    assert (await client.post(f"/api/rounds/{round_id}/panels", json={"name": "J"})).status_code == 401
    await sign_in(client, email="ess@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/rounds", json=body)).status_code == 403
    assert (await client.patch(f"/api/rounds/{round_id}", json={"name": "X"})).status_code == 403
    assert (await client.delete(f"/api/rounds/{round_id}")).status_code == 403
    assert (await client.post(f"/api/rounds/{round_id}/panels", json={"name": "J"})).status_code == 403
    assert (await client.get(f"/organisation/editions/{SLUG}/tours")).status_code == 403
    assert (await client.patch("/api/rounds/999999", json={"name": "X"})).status_code == 404


async def test_rename_reorder_and_change_the_rule(client, db):
    s = await scene(db)
    ids = [
        await factories.round_(db, edition_id=s["edition"], name=n, kind=k, position=i + 1, status="draft")
        for i, (n, k) in enumerate([("A", "preselection"), ("B", "semi_final"), ("C", "final")])
    ]
    await sign_in(client, email="cci@exemple.fr")
    response = await client.patch(
        f"/api/rounds/{ids[2]}",
        json={
            "name": "Grande finale",
            "position": 1,
            "advance_count": 3,
            "quota_scope": "category",
            "wildcards": 1,
            "blind": True,
            "method": "raw",
            "scheduled_on": "2026-06-30",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["rule"] == "Les 3 premiers par catégorie, plus 1 repêché."
    assert await rounds(db, s["edition"]) == [
        ("Grande finale", "final", 1, "draft", 3, "category", 1, True, "raw", dt.date(2026, 6, 30)),
        ("A", "preselection", 2, "draft", None, "overall", 0, False, "affine", None),
        ("B", "semi_final", 3, "draft", None, "overall", 0, False, "affine", None),
    ]
    assert (await client.patch(f"/api/rounds/{ids[0]}", json={"position": 3})).status_code == 200
    assert [r[0] for r in await rounds(db, s["edition"])] == ["Grande finale", "B", "A"]
    cleared = await client.patch(f"/api/rounds/{ids[2]}", json={"advance_count": None, "wildcards": 0})
    assert cleared.json()["advance_count"] is None
    bad = await client.patch(f"/api/rounds/{ids[2]}", json={"position": 4})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "position"
    me = await organiser_id(db)
    assert await events(db) == [
        (f"organiser:{me}", "round.updated", f"round:{r}") for r in (ids[2], ids[0], ids[2])
    ]


async def test_started_rounds_keep_their_place_and_anonymity(client, db):
    s = await scene(db)
    opened = await factories.round_(db, edition_id=s["edition"], name="Ouvert", position=1, status="open")
    draft = await factories.round_(db, edition_id=s["edition"], name="Brouillon", position=2, status="draft")
    closed = await factories.round_(db, edition_id=s["edition"], name="Clos", position=3, status="closed")
    await sign_in(client, email="cci@exemple.fr")
    moved = await client.patch(f"/api/rounds/{draft}", json={"position": 1})
    assert moved.status_code == 409 and "Ouvert" in moved.json()["detail"]
    assert (await client.patch(f"/api/rounds/{opened}", json={"blind": True})).status_code == 409
    assert (await client.patch(f"/api/rounds/{closed}", json={"advance_count": 3})).status_code == 409
    assert (await client.patch(f"/api/rounds/{closed}", json={"name": "Clos (2025)"})).status_code == 200
    assert (await client.delete(f"/api/rounds/{opened}")).status_code == 409
    assert [e[1] for e in await events(db)] == ["round.updated"]


async def test_only_an_empty_draft_round_is_deleted(client, db):
    s = await scene(db)
    first = await factories.round_(db, edition_id=s["edition"], name="A", position=1, status="draft")
    second = await factories.round_(db, edition_id=s["edition"], name="B", position=2, status="draft")
    third = await factories.round_(db, edition_id=s["edition"], name="C", position=3, status="draft")
    staffed = await factories.panel(db, round_id=second)
    await factories.member(db, panel_id=staffed, person_id=await factories.person(db))
    candidate = await factories.candidate(
        db, edition_id=s["edition"], entry_number=1, organisation_name="Nobsolete"
    )
    await factories.enter_round(db, candidate_id=candidate, round_id=second)
    await factories.panel(db, round_id=first, name="Jury vide")
    await sign_in(client, email="cci@exemple.fr")
    held = await client.delete(f"/api/rounds/{second}")
    assert held.status_code == 409
    assert (
        held.json()["detail"]
        == "Le tour n'est pas vide : il contient 1 candidat(s), 1 jury(s) avec des membres."
    )
    assert (await client.delete(f"/api/rounds/{first}")).status_code == 204
    assert [(r[0], r[2]) for r in await rounds(db, s["edition"])] == [("B", 1), ("C", 2)]
    me = await organiser_id(db)
    assert await events(db) == [(f"organiser:{me}", "round.deleted", f"round:{first}")]
    assert (await client.delete(f"/api/rounds/{first}")).status_code == 404
    assert third


async def test_panels_with_zone_and_categories(client, db):
    s = await scene(db)
    final = await factories.round_(db, edition_id=s["edition"], name="Finale", status="draft")
    candidates = [
        await factories.candidate(
            db, edition_id=s["edition"], entry_number=n, organisation_name=f"Société {n}"
        )
        for n in (1, 2)
    ]
    for c in candidates:
        await factories.enter_round(db, candidate_id=c, round_id=final)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(
        f"/api/rounds/{final}/panels",
        json={"name": "Grand jury", "venue": "Hôtel du Département", "categories": ["innovation"]},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["zone"], body["categories"], body["placed"]) == (
        "Grand jury",
        None,
        ["innovation"],
        2,
    )
    row = await db.conn.fetchrow("select name, venue, zone_id from panels where id = $1", body["id"])
    assert tuple(row.values()) == ("Grand jury", "Hôtel du Département", None)
    assert await db.conn.fetchval(
        "select array_agg(category_id) from panel_categories where panel_id = $1", body["id"]
    ) == [s["category"]]
    assert (
        await db.conn.fetchval(
            "select count(*) from candidate_rounds where round_id = $1 and panel_id = $2", final, body["id"]
        )
        == 2
    )
    nord = await client.post(f"/api/rounds/{final}/panels", json={"name": "Nord", "zone": "nord"})
    assert nord.status_code == 201 and nord.json()["zone"] == "nord" and nord.json()["placed"] == 0
    bad = await client.post(
        f"/api/rounds/{final}/panels",
        json={"name": "Grand jury", "zone": "est", "categories": ["x", "innovation"]},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["name", "zone", "categories[0]"]
    me = await organiser_id(db)
    assert await events(db) == [
        (f"organiser:{me}", "panel.created", f"panel:{body['id']}"),
        (f"organiser:{me}", "panel.created", f"panel:{nord.json()['id']}"),
    ]
    await db.conn.execute("update rounds set status = 'closed' where id = $1", final)
    assert (await client.post(f"/api/rounds/{final}/panels", json={"name": "Tard"})).status_code == 409


async def test_opening_names_the_page_that_fixes_each_missing_thing(client, db):
    s = await scene(db)
    final = await factories.round_(db, edition_id=s["edition"], name="Finale", position=2, status="draft")
    await factories.round_(
        db, edition_id=s["edition"], name="Demi", kind="semi_final", position=1, status="closed"
    )
    c = await factories.candidate(
        db, edition_id=s["edition"], entry_number=1, organisation_name="Nobsolete", category_id=s["category"]
    )
    await factories.enter_round(db, candidate_id=c, round_id=final)
    await sign_in(client, email="cci@exemple.fr")
    response = await client.post(f"/api/rounds/{final}/status", json={"to": "open"})
    assert response.status_code == 422
    assert [(e["message"], e["link"]) for e in response.json()["errors"]] == [
        ("Aucun jury n'est constitué pour ce tour.", f"/organisation/editions/{SLUG}/tours#tour-{final}"),
        (
            "La catégorie « Innovation » n'a aucun critère de notation.",
            f"/organisation/editions/{SLUG}/grille",
        ),
        ("1 candidat(s) sans jury.", f"/organisation/rounds/{final}/affectations"),
    ]
    page = await client.get(f"/organisation/editions/{SLUG}/tours", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert f'href="/organisation/rounds/{final}/affectations"' in page.text
    assert "1 candidat(s) sans jury." in page.text
    html = await client.post(
        f"/organisation/rounds/{final}/etat", data={"to": "open"}, headers={"Accept": "text/html"}
    )
    assert html.status_code == 422 and f'href="/organisation/editions/{SLUG}/grille"' in html.text


async def test_the_pages_forms_go_through_the_same_service(client, db):
    s = await scene(db)
    await sign_in(client, email="cci@exemple.fr")
    added = await client.post(
        f"/organisation/editions/{SLUG}/tours",
        data={
            "kind": "final",
            "name": "Finale",
            "position": "",
            "advance_count": "",
            "quota_scope": "overall",
            "wildcards": "0",
            "blind": "non",
            "method": "affine",
            "scheduled_on": "2026-06-30",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    round_id = await db.conn.fetchval("select id from rounds where edition_id = $1", s["edition"])
    assert added.headers["location"] == f"/organisation/editions/{SLUG}/tours#tour-{round_id}"
    changed = await client.post(
        f"/organisation/rounds/{round_id}/reglage",
        data={
            "name": "Grande finale",
            "position": "1",
            "blind": "oui",
            "advance_count": "3",
            "quota_scope": "overall",
            "wildcards": "",
            "method": "affine",
            "scheduled_on": "",
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303, changed.text
    panel = await client.post(
        f"/organisation/rounds/{round_id}/jurys",
        data={"name": "Grand jury", "zone": "", "venue": "Nanterre", "categories": "innovation"},
        follow_redirects=False,
    )
    assert panel.status_code == 303, panel.text
    page = await client.get(f"/organisation/editions/{SLUG}/tours", headers={"Accept": "text/html"})
    assert "Grande finale" in page.text and "Grand jury" in page.text
    assert "Les 3 premiers au classement général." in page.text
    assert await rounds(db, s["edition"]) == [
        ("Grande finale", "final", 1, "draft", 3, "overall", 0, True, "affine", None)
    ]
    bad = await client.post(
        f"/organisation/rounds/{round_id}/reglage",
        data={"advance_count": "trois"},
        headers={"Accept": "text/html"},
    )
    assert bad.status_code == 422 and "advance_count" in bad.text
    await db.conn.execute("delete from panels where round_id = $1", round_id)
    removed = await client.post(f"/organisation/rounds/{round_id}/suppression", follow_redirects=False)
    assert removed.status_code == 303
    assert [e[1] for e in await events(db)] == [
        "round.created",
        "round.updated",
        "panel.created",
        "round.deleted",
    ]
