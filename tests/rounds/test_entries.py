"""A round's candidates before its panels, and who sits on them, through the JSON API.

A small Made in 92 edition: a closed semi-final whose panel seats three jurors of the edition, and a final
in preparation with two panels and four finalists not yet placed. Scenes are built with the factories;
every act under test goes through HTTP.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests import factories as f
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

CCI = "cci@exemple.fr"
CMA = "cma@exemple.fr"


@pytest.fixture
async def scene(db: Database) -> SimpleNamespace:
    return await build_scene(db)


async def build_scene(db: Database) -> SimpleNamespace:
    """Also the scene of the page's tests (tests/rounds/test_entries_web.py)."""
    contest = await f.contest(db, slug="made-in-92")
    await f.contest(db, slug="gateau", kind="artisan")
    edition = await f.edition(db, contest_id=contest, year=2025, slug="made-in-92-2025")
    category = await f.category(db, edition_id=edition)
    await f.criterion(db, category_id=category)
    semi = await f.round_(
        db, edition_id=edition, kind="semi_final", name="Demi-finales", position=1, status="closed"
    )
    final = await f.round_(db, edition_id=edition, kind="final", name="Finale", position=2, status="draft")
    nord = await f.panel(db, round_id=semi, name="Nord")
    grand = await f.panel(db, round_id=final, name="Grand jury")
    bis = await f.panel(db, round_id=final, name="Jury bis")
    jurors = [
        await f.person(db, full_name=name, email=email)
        for name, email in (
            ("Anne Présidente", "anne@exemple.fr"),
            ("Bruno Juré", "bruno@exemple.fr"),
            ("Chloé Jurée", "chloe@exemple.fr"),
        )
    ]
    for i, person in enumerate(jurors):
        await f.member(db, panel_id=nord, person_id=person, role="chair" if i == 0 else "juror")
    outsider = await f.person(db, full_name="Olivier Ailleurs", email="olivier@exemple.fr")
    candidates = []
    for n in range(1, 5):
        c = await f.candidate(
            db, edition_id=edition, entry_number=n, organisation_name=f"Société {n}", category_id=category
        )
        await f.enter_round(db, candidate_id=c, round_id=semi, panel_id=nord, status="advanced")
        await f.enter_round(db, candidate_id=c, round_id=final, status="pending")
        candidates.append(c)
    await make_organiser(db, email=CCI, contests=["made-in-92"])
    await make_organiser(db, email=CMA, contests=["gateau"])
    return SimpleNamespace(
        edition=edition,
        semi=semi,
        final=final,
        nord=nord,
        grand=grand,
        bis=bis,
        jurors=jurors,
        outsider=outsider,
        c=candidates,
        category=category,
    )


async def _events(db: Database, action: str) -> list[tuple[str, str]]:
    rows = await db.conn.fetch(
        "select actor_label, target from audit_events where action = $1 order by id", action
    )
    return [(r["actor_label"], r["target"]) for r in rows]


async def _panels(db: Database, round_id: int) -> dict[int, int | None]:
    rows = await db.conn.fetch(
        "select candidate_id, panel_id from candidate_rounds where round_id = $1", round_id
    )
    return {r["candidate_id"]: r["panel_id"] for r in rows}


async def test_the_organiser_places_candidates_before_the_rounds_panels(client, db, scene) -> None:
    await sign_in(client, email=CCI)
    c = scene.c
    body = {
        "entries": [
            {"candidate_id": c[0], "panel_id": scene.grand},
            {"candidate_id": c[1], "panel_id": scene.grand},
            {"candidate_id": c[2], "panel_id": scene.bis},
        ]
    }
    response = await client.post(f"/api/rounds/{scene.final}/entries/panels", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["unchanged"] == 0 and len(response.json()["placed"]) == 3
    assert await _panels(db, scene.final) == {
        c[0]: scene.grand,
        c[1]: scene.grand,
        c[2]: scene.bis,
        c[3]: None,
    }
    organiser = await db.conn.fetchval("select id from people where email = $1", CCI)
    assert await _events(db, "round.entries_placed") == [(f"organiser:{organiser}", f"round:{scene.final}")]

    listed = (await client.get(f"/api/rounds/{scene.final}/entries")).json()
    assert {p["name"]: p["candidates"] for p in listed["panels"]} == {"Grand jury": 2, "Jury bis": 1}
    assert "1 candidat(s) sans jury." in listed["problems"]

    again = await client.post(f"/api/rounds/{scene.final}/entries/panels", json=body)
    assert again.status_code == 200 and again.json()["unchanged"] == 3
    assert len(await _events(db, "round.entries_placed")) == 1  # nothing changed, nothing recorded


async def test_a_panel_of_another_round_or_a_stranger_candidate_is_refused_and_nothing_written(
    client, db, scene
) -> None:
    await sign_in(client, email=CCI)
    other = await f.candidate(db, edition_id=scene.edition, entry_number=9, organisation_name="Absente")
    response = await client.post(
        f"/api/rounds/{scene.final}/entries/panels",
        json={
            "entries": [
                {"candidate_id": scene.c[0], "panel_id": scene.grand},
                {"candidate_id": scene.c[1], "panel_id": scene.nord},
                {"candidate_id": other, "panel_id": scene.grand},
                {"candidate_id": scene.c[0], "panel_id": scene.bis},
            ]
        },
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [
        "entries[1].panel_id",
        "entries[2].candidate_id",
        "entries[3].candidate_id",
    ]
    assert set((await _panels(db, scene.final)).values()) == {None}
    assert await _events(db, "round.entries_placed") == []


async def test_another_contests_organiser_and_anonymous_are_refused(client, db, scene) -> None:
    body = {"entries": [{"candidate_id": scene.c[0], "panel_id": scene.grand}]}
    anonymous = await client.post(f"/api/rounds/{scene.final}/entries/panels", json=body)
    assert anonymous.status_code == 401
    await sign_in(client, email=CMA)
    for response in (
        await client.post(f"/api/rounds/{scene.final}/entries/panels", json=body),
        await client.get(f"/api/rounds/{scene.final}/entries"),
        await client.post(f"/api/panels/{scene.grand}/members", json={"person_id": scene.jurors[1]}),
        await client.delete(f"/api/panels/{scene.nord}/members/{scene.jurors[1]}"),
    ):
        assert response.status_code == 403, response.text
        assert "Société" not in response.text and "Bruno" not in response.text
    assert set((await _panels(db, scene.final)).values()) == {None}
    assert await db.conn.fetchval("select count(*) from panel_members where panel_id = $1", scene.grand) == 0


async def test_a_candidate_who_changes_panel_loses_the_old_panels_assignments_but_a_scored_one_stays(
    client, db, scene
) -> None:
    await db.conn.execute(
        "update candidate_rounds set panel_id = $2 where round_id = $1", scene.final, scene.grand
    )
    await db.conn.execute("update rounds set status = 'open' where id = $1", scene.final)
    await f.member(db, panel_id=scene.grand, person_id=scene.jurors[1])
    await f.assign(db, panel_id=scene.grand, person_id=scene.jurors[1], candidate_id=scene.c[0])
    await f.assign(db, panel_id=scene.grand, person_id=scene.jurors[1], candidate_id=scene.c[1])
    await f.sheet(
        db, round_id=scene.final, panel_id=scene.grand, person_id=scene.jurors[1], candidate_id=scene.c[1]
    )
    await sign_in(client, email=CCI)
    scored = await client.post(
        f"/api/rounds/{scene.final}/entries/panels",
        json={"entries": [{"candidate_id": scene.c[1], "panel_id": scene.bis}]},
    )
    assert scored.status_code == 422
    assert "déjà été noté" in scored.json()["errors"][0]["message"]

    moved = await client.post(
        f"/api/rounds/{scene.final}/entries/panels",
        json={"entries": [{"candidate_id": scene.c[0], "panel_id": scene.bis}]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["assignments_removed"] == 1
    assert await db.conn.fetchval("select count(*) from assignments where candidate_id = $1", scene.c[0]) == 0
    assert await db.conn.fetchval("select count(*) from assignments where candidate_id = $1", scene.c[1]) == 1


async def test_placements_wait_no_more_once_the_round_deliberates(client, db, scene) -> None:
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", scene.final)
    await sign_in(client, email=CCI)
    response = await client.post(
        f"/api/rounds/{scene.final}/entries/panels",
        json={"entries": [{"candidate_id": scene.c[0], "panel_id": scene.grand}]},
    )
    assert response.status_code == 409
    member = await client.post(f"/api/panels/{scene.grand}/members", json={"person_id": scene.jurors[1]})
    assert member.status_code == 409


async def test_members_are_added_among_the_editions_jurors_and_removed(client, db, scene) -> None:
    await sign_in(client, email=CCI)
    organiser = await db.conn.fetchval("select id from people where email = $1", CCI)
    chair = await client.post(
        f"/api/panels/{scene.grand}/members", json={"email": "ANNE@exemple.fr", "role": "chair"}
    )
    assert chair.status_code == 201, chair.text
    assert chair.json() == {
        "panel_id": scene.grand,
        "round_id": scene.final,
        "person_id": scene.jurors[0],
        "full_name": "Anne Présidente",
        "role": "chair",
        "is_professional": False,
    }
    juror = await client.post(
        f"/api/panels/{scene.grand}/members", json={"person_id": scene.jurors[1], "is_professional": True}
    )
    assert juror.status_code == 201, juror.text

    twice = await client.post(f"/api/panels/{scene.grand}/members", json={"person_id": scene.jurors[1]})
    assert twice.status_code == 409
    second_chair = await client.post(
        f"/api/panels/{scene.grand}/members", json={"person_id": scene.jurors[2], "role": "chair"}
    )
    assert second_chair.status_code == 409 and "présidence" in second_chair.json()["detail"]
    for body, field in (
        ({"email": "olivier@exemple.fr"}, "email"),  # known to the service, but no juror of this edition
        ({"email": "personne@exemple.fr"}, "email"),
        ({"person_id": scene.outsider}, "person_id"),
        ({}, "email"),
    ):
        refused = await client.post(f"/api/panels/{scene.grand}/members", json=body)
        assert refused.status_code == 422, (body, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        assert "Olivier" not in refused.text

    rows = await db.conn.fetch(
        "select person_id, role, is_professional from panel_members where panel_id = $1 order by person_id",
        scene.grand,
    )
    assert [tuple(r) for r in rows] == [(scene.jurors[0], "chair", False), (scene.jurors[1], "juror", True)]

    await f.assign(db, panel_id=scene.grand, person_id=scene.jurors[1], candidate_id=scene.c[0])
    removed = await client.delete(f"/api/panels/{scene.grand}/members/{scene.jurors[1]}")
    assert removed.status_code == 200, removed.text
    assert removed.json()["assignments_removed"] == 1
    gone = await client.delete(f"/api/panels/{scene.grand}/members/{scene.jurors[1]}")
    assert gone.status_code == 404

    assert await _events(db, "panel.member_added") == [(f"organiser:{organiser}", f"panel:{scene.grand}")] * 2
    assert await _events(db, "panel.member_removed") == [(f"organiser:{organiser}", f"panel:{scene.grand}")]


async def test_a_member_who_scored_in_the_panel_keeps_their_seat(client, db, scene) -> None:
    await sign_in(client, email=CCI)
    await db.conn.execute("update rounds set status = 'open' where id = $1", scene.semi)
    await f.sheet(
        db, round_id=scene.semi, panel_id=scene.nord, person_id=scene.jurors[2], candidate_id=scene.c[0]
    )
    response = await client.delete(f"/api/panels/{scene.nord}/members/{scene.jurors[2]}")
    assert response.status_code == 409
    assert (
        await db.conn.fetchval(
            "select count(*) from panel_members where panel_id = $1 and person_id = $2",
            scene.nord,
            scene.jurors[2],
        )
        == 1
    )


async def test_placed_and_seated_the_final_opens(client, db, scene) -> None:
    """Today's refusal « 4 candidat(s) sans jury », then the same round opened after setup by the API."""
    await sign_in(client, email=CCI)
    refused = await client.post(f"/api/rounds/{scene.final}/status", json={"to": "open"})
    assert refused.status_code == 422
    assert "4 candidat(s) sans jury." in [e["message"] for e in refused.json()["errors"]]

    halves = {c: scene.grand if i < 2 else scene.bis for i, c in enumerate(scene.c)}
    placed = await client.post(
        f"/api/rounds/{scene.final}/entries/panels",
        json={"entries": [{"candidate_id": c, "panel_id": p} for c, p in halves.items()]},
    )
    assert placed.status_code == 200, placed.text
    for panel in (scene.grand, scene.bis):
        for person in scene.jurors[1:]:
            seated = await client.post(f"/api/panels/{panel}/members", json={"person_id": person})
            assert seated.status_code == 201, seated.text
    plan = await client.post(f"/api/rounds/{scene.final}/assignments", json={"k": 2, "seed": 3})
    assert plan.status_code == 200, plan.text
    assert (await client.get(f"/api/rounds/{scene.final}/entries")).json()["problems"] == []
    opened = await client.post(f"/api/rounds/{scene.final}/status", json={"to": "open"})
    assert opened.status_code == 200, opened.text


async def test_a_juror_imported_without_a_panel_is_named_to_the_grand_jury(client, db, scene) -> None:
    """The jurors' import with an empty « jury » column makes a juror of the edition, named later."""
    await sign_in(client, email=CCI)
    table = "nom;courriel;qualite;jury;role;professionnel\r\nYves Remplaçant;yves@exemple.fr;Ancien lauréat;;;\r\n"
    imported = await client.post(
        "/api/editions/made-in-92-2025/imports/jures", files={"file": ("jures.csv", table.encode())}
    )
    assert imported.status_code == 201, imported.text
    assert (imported.json()["imported"], imported.json()["memberships"]) == (1, 0)
    yves = await db.conn.fetchval("select id from people where email = 'yves@exemple.fr'")

    entries = (await client.get(f"/api/rounds/{scene.final}/entries")).json()
    assert [(j["full_name"], j["person_id"]) for j in entries["jurors"]] == [
        ("Anne Présidente", scene.jurors[0]),
        ("Bruno Juré", scene.jurors[1]),
        ("Chloé Jurée", scene.jurors[2]),
        ("Yves Remplaçant", yves),
    ]
    named = await client.post(
        f"/api/panels/{scene.grand}/members", json={"email": "yves@exemple.fr", "is_professional": True}
    )
    assert named.status_code == 201, named.text
    assert named.json() == {
        "panel_id": scene.grand,
        "round_id": scene.final,
        "person_id": yves,
        "full_name": "Yves Remplaçant",
        "role": "juror",
        "is_professional": True,
    }
    [grand] = [
        p
        for p in (await client.get(f"/api/rounds/{scene.final}/entries")).json()["panels"]
        if p["id"] == scene.grand
    ]
    assert [(m["full_name"], m["role"]) for m in grand["members"]] == [("Yves Remplaçant", "juror")]
    # Still nobody else: someone the service knows but never imported into this edition.
    refused = await client.post(f"/api/panels/{scene.grand}/members", json={"person_id": scene.outsider})
    assert refused.status_code == 422
