"""The organisers' audit page and CSV: who sees which events, filters, pages, a formula-safe export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from tests.helpers import TEST_NOW, make_organiser, sign_in
from tests.retention.world import make_world

from jury.audit.service import append_event
from jury.diplomas.service import issue_diplomas

EVIL = '=HYPERLINK("http://evil.example","clic")'


@pytest.fixture
async def two_contests(db):
    """Two contests run by different organisers, each edition with an event on every kind of target, and
    events no edition owns (a system task, a deleted round)."""
    a = await make_world(db, contest_slug="made-in-92", juror_name=EVIL, tag="a")
    b = await make_world(db, contest_slug="gateau-des-hauts-de-seine", juror_name="Bernard Gâteau", tag="b")
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await make_organiser(db, email="cma@exemple.fr", contests=["gateau-des-hauts-de-seine"])
    await make_organiser(db, email="admin@exemple.fr", contests=[], admin=True)
    async with db.transaction():
        for world in (a, b):
            [world.diploma] = await issue_diplomas(db, edition_id=world.edition, actor_label="cli")
        for target in ("kv:sessions", "round:999999", "edition:supprimee-2020"):
            await append_event(
                db, actor_id=None, actor_label="système", action="system.task", target=target, payload={}
            )
    return a, b


def targets_of(world) -> set[str]:
    return {
        f"edition:{world.slug}",
        f"round:{world.round}",
        f"candidate:{world.other}",
        f"sheet:{world.sheets[world.laureate]}",
        f"ballot:{world.ballot}",
        f"diploma:{world.diploma}",
    }


def parse_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


async def test_an_organiser_sees_only_the_events_of_their_contests(client, two_contests):
    a, b = two_contests
    await sign_in(client, email="cci@exemple.fr")
    rows = parse_csv(await client.get("/organisation/audit.csv"))
    assert {r["Cible"] for r in rows} == targets_of(a)
    assert {r["Édition"] for r in rows} == {a.slug}

    page = await client.get("/organisation/audit")
    assert page.status_code == 200
    assert "6 événements" in page.text
    for leak in ("Bernard", b.slug, "kv:sessions", "round:999999", "supprimee"):
        assert leak not in page.text
    # Asking for the other contest's targets by name gives nothing either.
    for target in targets_of(b):
        assert parse_csv(await client.get("/organisation/audit.csv", params={"cible": target})) == []


async def test_the_other_organiser_sees_the_other_side(client, two_contests):
    _, b = two_contests
    await sign_in(client, email="cma@exemple.fr")
    rows = parse_csv(await client.get("/organisation/audit.csv"))
    assert {r["Cible"] for r in rows} == targets_of(b)
    assert "HYPERLINK" not in (await client.get("/organisation/audit")).text


async def test_an_administrator_sees_everything(client, two_contests):
    a, b = two_contests
    await sign_in(client, email="admin@exemple.fr")
    rows = parse_csv(await client.get("/organisation/audit.csv"))
    assert {r["Cible"] for r in rows} == targets_of(a) | targets_of(b) | {
        "kv:sessions",
        "round:999999",
        "edition:supprimee-2020",
    }
    assert [int(r["N°"]) for r in rows] == sorted((int(r["N°"]) for r in rows), reverse=True)
    assert "tous les événements" in (await client.get("/organisation/audit")).text


async def test_the_trail_is_closed_to_visitors_and_jurors(client, db, two_contests):
    a, _ = two_contests
    for url in ("/organisation/audit", "/organisation/audit.csv"):
        response = await client.get(url)
        assert response.status_code == 401 and a.slug not in response.text
    from jury.auth.service import issue_codes

    [card] = await issue_codes(db, edition_id=a.edition, person_ids=[a.juror])
    assert (await client.post("/acces", data={"code": card.code})).status_code in (200, 303)
    for url in ("/organisation/audit", "/organisation/audit.csv"):
        response = await client.get(url)
        assert response.status_code == 403 and a.slug not in response.text


async def test_filters_by_action_target_prefix_and_paris_days(client, two_contests):
    a, _ = two_contests
    await sign_in(client, email="cci@exemple.fr")

    async def targets(**params) -> set[str]:
        return {r["Cible"] for r in parse_csv(await client.get("/organisation/audit.csv", params=params))}

    today = TEST_NOW.date()  # the events were stamped by the test clock
    assert await targets(action="sheet.submitted") == {f"sheet:{a.sheets[a.laureate]}"}
    assert await targets(cible="round:") == {f"round:{a.round}"}
    assert await targets(
        du=(today - dt.timedelta(days=1)).isoformat(), au=(today + dt.timedelta(days=1)).isoformat()
    ) == targets_of(a)
    assert await targets(du=(today + dt.timedelta(days=2)).isoformat()) == set()
    assert await targets(au=(today - dt.timedelta(days=2)).isoformat()) == set()
    assert await targets(action="", cible="", du="", au="") == targets_of(a)

    page = await client.get("/organisation/audit", params={"action": "round.moved"})
    assert "1 événement " in page.text and f"round:{a.round}" in page.text
    assert 'href="/organisation/audit.csv?action=round.moved"' in page.text

    bad = await client.get(
        "/organisation/audit", params={"du": "27/11/2026"}, headers={"accept": "text/html"}
    )
    assert bad.status_code == 422 and "AAAA-MM-JJ" in bad.text
    reversed_range = await client.get(
        "/organisation/audit.csv", params={"du": "2026-02-01", "au": "2026-01-01"}
    )
    assert reversed_range.status_code == 422
    assert reversed_range.json()["detail"] == "La date de fin précède la date de début."


async def test_pages_hold_a_hundred_events_and_keep_the_filters(client, db, two_contests):
    a, _ = two_contests
    async with db.transaction():
        for n in range(230):
            await append_event(
                db,
                actor_id=None,
                actor_label="organiser:0",
                action="bulk.test",
                target=f"round:{a.round}",
                payload={"n": n},
            )
    await sign_in(client, email="cci@exemple.fr")
    first = await client.get("/organisation/audit", params={"action": "bulk.test"})
    assert first.text.count("<td><code title=") == 100
    assert "230 événements — page 1 sur 3" in first.text
    assert 'href="/organisation/audit?action=bulk.test&amp;page=2"' in first.text
    assert "Page précédente" not in first.text
    last = await client.get("/organisation/audit", params={"action": "bulk.test", "page": 3})
    assert last.text.count("<td><code title=") == 30
    assert "Page suivante" not in last.text and "page=2" in last.text
    assert len(parse_csv(await client.get("/organisation/audit.csv", params={"action": "bulk.test"}))) == 230


async def test_the_export_neutralises_formulas(client, two_contests):
    await sign_in(client, email="cci@exemple.fr")
    response = await client.get("/organisation/audit.csv")
    rows = parse_csv(response)
    # The juror's events carry the formula-shaped name; the diploma's issue was the command line's (no name).
    assert {r["Nom de l'acteur"] for r in rows} == {"'" + EVIL, ""}
    assert 'attachment; filename="journal-audit-' in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert all(
        not cell.startswith(("=", "+", "-", "@"))
        for row in csv.reader(io.StringIO(text), delimiter=";")
        for cell in row
    )
