"""Issue 14: Made in 92's final is set up through the API after its semi-finals, with no SQL.

Before, confirming the finalists entered them in the final with no panel, and opening the final answered
422 « 12 candidat(s) sans jury » with nothing in the pages or the API to fix it. Now the final's single
panel (the Grand jury) takes them at once; with two panels the organiser places them
(`POST /api/rounds/{id}/entries/panels`), seats jurors (`POST /api/panels/{id}/members`), assigns and opens.

The scene is the demo's current Made in 92 edition (the semi-finals half-scored), one fresh copy per test;
everything after the scene goes through HTTP as the demo's organiser.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from tests.conftest import create_test_database, drop_test_database, with_database

from jury.app import create_app
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.demo.loader import DEMO_PASSWORD, load_demo
from jury.settings import Settings, load_settings

EDITION = "made-in-92-2025"
CLAIRE = "claire.vasseur@exemple.fr"  # organises Made in 92
BASED_ON = "affine, empreinte 3f2a"


@pytest.fixture(scope="module")
async def demo_template(pg_admin_url: str, template_database: str) -> AsyncIterator[str]:
    """The demo loaded once for the module; each test copies it."""
    name = await create_test_database(pg_admin_url, template_database)
    url = with_database(pg_admin_url, name)
    conn = await asyncpg.connect(url)
    try:
        await load_demo(
            Database(conn, Queries(load_settings({}, database_url=url).queries_dir), clock=system_clock)
        )
    finally:
        await conn.close()
    yield name
    await drop_test_database(pg_admin_url, name)


@pytest.fixture
async def demo(pg_admin_url: str, demo_template: str, tmp_path: Path) -> AsyncIterator[Settings]:
    name = await create_test_database(pg_admin_url, demo_template)
    url = with_database(pg_admin_url, name)
    yield load_settings(
        {},
        database_url=url,
        data_dir=tmp_path / "data",
        log_format="json",
        sign_in_attempts_per_minute=10_000,
    )
    await drop_test_database(pg_admin_url, name)


@pytest.fixture
async def claire(demo: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(demo)) as client:
        response = await client.post("/connexion", data={"email": CLAIRE, "password": DEMO_PASSWORD})
        assert response.status_code in (200, 303) and "incorrect" not in response.text
        yield client


async def _sql(settings: Settings, sql: str, *args):
    """Reading the scene (and, for the two-panel case, adding the second panel no route creates yet)."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def _rounds(client: AsyncTestClient) -> dict[str, int]:
    response = await client.get(f"/api/editions/{EDITION}/rounds")
    assert response.status_code == 200, response.text
    return {r["kind"]: r["id"] for r in response.json()}


async def _qualify_finalists(client: AsyncTestClient, semi: int) -> list[int]:
    """Semi-finals to deliberation, six finalists confirmed per panel, semi-finals closed."""
    moved = await client.post(f"/api/rounds/{semi}/status", json={"to": "deliberation"})
    assert moved.status_code == 200, moved.text
    setup = (await client.get(f"/api/rounds/{semi}/entries")).json()
    finalists: list[int] = []
    for panel in setup["panels"]:
        mine = [e["candidate_id"] for e in setup["entries"] if e["panel_id"] == panel["id"]][:6]
        response = await client.post(
            f"/api/rounds/{semi}/advance",
            json={"advance": mine, "based_on": BASED_ON, "panel_id": panel["id"]},
        )
        assert response.status_code == 200, response.text
        finalists += mine
    closed = await client.post(f"/api/rounds/{semi}/status", json={"to": "closed"})
    assert closed.status_code == 200, closed.text
    return finalists


async def test_the_finalists_stand_before_the_grand_jury_and_the_final_opens(
    claire: AsyncTestClient, demo: Settings
) -> None:
    rounds = await _rounds(claire)
    finalists = await _qualify_finalists(claire, rounds["semi_final"])
    assert len(finalists) == 12

    final = (await claire.get(f"/api/rounds/{rounds['final']}/entries")).json()
    [grand_jury] = final["panels"]
    assert grand_jury["name"] == "Grand jury" and grand_jury["members"]
    assert sorted(e["candidate_id"] for e in final["entries"]) == sorted(finalists)
    assert {e["panel_id"] for e in final["entries"]} == {grand_jury["id"]}
    assert grand_jury["candidates"] == 12
    assert not [p for p in final["problems"] if "sans jury" in p]

    k = len(grand_jury["members"])
    plan = await claire.post(f"/api/rounds/{rounds['final']}/assignments", json={"k": k, "seed": 1})
    assert plan.status_code == 200, plan.text
    assert (await claire.get(f"/api/rounds/{rounds['final']}/entries")).json()["problems"] == []
    opened = await claire.post(f"/api/rounds/{rounds['final']}/status", json={"to": "open"})
    assert opened.status_code == 200, opened.text
    assert opened.json()["status"] == "open"


async def test_with_two_panels_the_organiser_places_the_finalists_then_the_final_opens(
    claire: AsyncTestClient, demo: Settings
) -> None:
    """Today's bug, reproduced where it still applies (no single panel to choose), then fixed by the API."""
    rounds = await _rounds(claire)
    final_id = rounds["final"]
    await _sql(demo, "insert into panels (round_id, name) values ($1, 'Grand jury bis')", final_id)
    finalists = await _qualify_finalists(claire, rounds["semi_final"])

    refused = await claire.post(f"/api/rounds/{final_id}/status", json={"to": "open"})
    assert refused.status_code == 422
    assert "12 candidat(s) sans jury." in [e["message"] for e in refused.json()["errors"]]

    final = (await claire.get(f"/api/rounds/{final_id}/entries")).json()
    panels = {p["name"]: p for p in final["panels"]}
    grand, bis = panels["Grand jury"], panels["Grand jury bis"]
    assert {e["panel_id"] for e in final["entries"]} == {None}

    # A panel of another round is refused, naming the line; nothing is written.
    semi_panel = (await claire.get(f"/api/rounds/{rounds['semi_final']}/entries")).json()["panels"][0]["id"]
    wrong = await claire.post(
        f"/api/rounds/{final_id}/entries/panels",
        json={
            "entries": [
                {"candidate_id": finalists[0], "panel_id": grand["id"]},
                {"candidate_id": finalists[1], "panel_id": semi_panel},
            ]
        },
    )
    assert wrong.status_code == 422, wrong.text
    assert [e["field"] for e in wrong.json()["errors"]] == ["entries[1].panel_id"]
    assert {
        e["panel_id"] for e in (await claire.get(f"/api/rounds/{final_id}/entries")).json()["entries"]
    } == {None}

    halves = {c: (grand if i % 2 == 0 else bis)["id"] for i, c in enumerate(sorted(finalists))}
    placed = await claire.post(
        f"/api/rounds/{final_id}/entries/panels",
        json={"entries": [{"candidate_id": c, "panel_id": p} for c, p in halves.items()]},
    )
    assert placed.status_code == 200, placed.text
    assert len(placed.json()["placed"]) == 12

    # The second panel gets two of the Grand jury's members (jurors of the edition already).
    for member in grand["members"][:2]:
        seated = await claire.post(
            f"/api/panels/{bis['id']}/members", json={"person_id": member["person_id"]}
        )
        assert seated.status_code == 201, seated.text
    final = (await claire.get(f"/api/rounds/{final_id}/entries")).json()
    assert {e["candidate_id"]: e["panel_id"] for e in final["entries"]} == halves
    assert not [p for p in final["problems"] if "sans jury" in p or "aucun juré" in p]

    plan = await claire.post(f"/api/rounds/{final_id}/assignments", json={"k": 2, "seed": 1})
    assert plan.status_code == 200, plan.text
    opened = await claire.post(f"/api/rounds/{final_id}/status", json={"to": "open"})
    assert opened.status_code == 200, opened.text

    events = await _sql(
        demo,
        "select action, target from audit_events where action in ('round.entries_placed', 'panel.member_added') "
        "order by id",
    )
    assert [(e["action"], e["target"]) for e in events] == [
        ("round.entries_placed", f"round:{final_id}"),
        ("panel.member_added", f"panel:{bis['id']}"),
        ("panel.member_added", f"panel:{bis['id']}"),
    ]
