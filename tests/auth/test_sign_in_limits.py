"""Sign-in that fits a venue (issue 17): failures are limited per credential and per browser session, the
client address only has a generous ceiling, so 60 tablets behind one address sign in together."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import structlog
import uvicorn
from tests import factories
from tests.helpers import PASSWORD, free_port, make_organiser

from jury.app import create_app
from jury.auth.codes import ALPHABET
from jury.auth.limits import SignInLimits, wait_seconds
from jury.auth.service import issue_codes
from jury.db.queries import Database
from jury.errors import Throttled
from jury.settings import Settings

NOW = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)


async def _jurors_with_cards(db: Database, count: int) -> list[str]:
    contest_id = await factories.contest(db)
    edition_id = await factories.edition(db, contest_id=contest_id)
    round_id = await factories.round_(db, edition_id=edition_id)
    panel_id = await factories.panel(db, round_id=round_id)
    people = []
    for n in range(count):
        person = await factories.person(db, full_name=f"Juré {n:02d}")
        await factories.member(db, panel_id=panel_id, person_id=person)
        people.append(person)
    return [card.code for card in await issue_codes(db, edition_id=edition_id, person_ids=people)]


def _new_tablet(client) -> None:
    """The next requests come from another browser (no cookies) at the same client address."""
    client.cookies.clear()


@pytest.fixture
async def server(settings: Settings, clock) -> AsyncIterator[str]:
    """The app served by a real uvicorn on 127.0.0.1, with the default limits: every tablet one address."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, clock=clock), host="127.0.0.1", port=port, log_config=None, lifespan="on"
    )
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    while not served.started:
        assert not task.done(), "the server stopped before it started"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        await task


async def test_sixty_tablets_behind_one_address_sign_in_together_within_seconds(server, db):
    codes = await _jurors_with_cards(db, 60)

    async def sign_in(n: int, code: str) -> list[int]:
        async with httpx.AsyncClient(base_url=server, timeout=60) as tablet:
            statuses = []
            if n % 6 == 0:  # one juror in six mistypes the last letter of their code first
                typo = code[:-1] + ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]
                statuses.append((await tablet.post("/acces", data={"code": typo})).status_code)
            signed = await tablet.post("/acces", data={"code": code.lower()})
            statuses.append(signed.status_code)
            assert signed.headers["location"] == "/jure/"
            home = await tablet.get("/jure/")
            statuses.append(home.status_code)
            assert f"Juré {n:02d}" in home.text
            return statuses

    started = time.perf_counter()
    results = await asyncio.gather(*(sign_in(n, code) for n, code in enumerate(codes)))
    elapsed = time.perf_counter() - started
    assert [r for r in results if r[-2:] != [303, 200]] == []
    assert sum(r == [422, 303, 200] for r in results) == 10
    assert elapsed < 15, f"60 tablets took {elapsed:.1f} s"
    print(f"60 tablets signed in from one address in {elapsed:.2f} s")


async def test_an_access_code_tried_too_often_is_refused_with_the_wait_logged_as_429(client, db):
    [real] = await _jurors_with_cards(db, 1)
    statuses = []
    for _ in range(5):  # five tablets, one wrong code each time: the code's limit, not a session's
        _new_tablet(client)
        statuses.append((await client.post("/acces", data={"code": "ABCD-2345"})).status_code)
    assert statuses == [422] * 5
    with structlog.testing.capture_logs() as logs:
        refused = await client.post("/acces", data={"code": "abcd 2345"}, headers={"accept": "text/html"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "900"  # every failure at the test's fixed instant: 15 min
    assert "Trop de tentatives de connexion : réessayez dans 15 minutes." in html.unescape(refused.text)
    assert "<form" in refused.text  # the juror's access page, not raw JSON
    assert [e["status"] for e in logs if e.get("event") == "request"] == [429]
    # Another code from the same address and session is not held back, the real one signs in.
    assert (await client.post("/acces", data={"code": "WXYZ-2345"})).status_code == 422
    signed = await client.post("/acces", data={"code": real}, follow_redirects=False)
    assert (signed.status_code, signed.headers["location"]) == (303, "/jure/")


async def test_a_tablet_trying_many_codes_is_stopped_by_its_session_limit_not_its_neighbours(client, db):
    [real, neighbour] = await _jurors_with_cards(db, 2)
    wrong = [f"ABCD-{n}{n}{n}{n}" for n in range(2, 10)] + ["ABCD-EFGH", "ABCD-JKMN"]
    statuses = [(await client.post("/acces", data={"code": code})).status_code for code in wrong]
    assert statuses == [422] * 10
    refused = await client.post("/acces", data={"code": real})
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "900")
    _new_tablet(client)
    signed = await client.post("/acces", data={"code": neighbour}, follow_redirects=False)
    assert (signed.status_code, signed.headers["location"]) == (303, "/jure/")


async def test_an_organiser_address_tried_too_often_waits_even_with_the_right_password(client, db):
    await factories.contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    for _ in range(5):
        _new_tablet(client)
        wrong = await client.post("/connexion", data={"email": "CCI@exemple.fr ", "password": "mauvais"})
        assert wrong.status_code == 422
    refused = await client.post("/connexion", data={"email": "cci@exemple.fr", "password": PASSWORD})
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "900")
    assert "réessayez dans 15 minutes" in html.unescape(refused.text)
    assert (await client.get("/organisation/")).status_code == 401


async def test_a_successful_sign_in_forgets_the_codes_failures(client, db):
    [real] = await _jurors_with_cards(db, 1)
    for _ in range(4):
        _new_tablet(client)
        await client.post("/acces", data={"code": real[:-1] + ("2" if real[-1] != "2" else "3")})
    assert await db.conn.fetchval("select count(*) from sign_in_failures") == 8  # code and session keys
    assert (await client.post("/acces", data={"code": real}, follow_redirects=False)).status_code == 303
    assert await db.conn.fetchval("select count(*) from sign_in_failures where key like 'code:%'") == 4


def test_the_wait_runs_until_the_failure_keeping_a_key_at_its_limit_leaves_the_window():
    limits = SignInLimits(per_credential=3, per_session=5, window_seconds=600)
    minutes = [NOW - dt.timedelta(minutes=m) for m in (9, 4, 1)]
    assert wait_seconds({"code:x": minutes}, limits=limits, now=NOW) == 60
    assert wait_seconds({"code:x": minutes[1:]}, limits=limits, now=NOW) is None
    assert wait_seconds({"session:x": minutes}, limits=limits, now=NOW) is None  # sessions may fail 5 times
    six = [NOW - dt.timedelta(minutes=m) for m in (8, 7, 6, 4, 1, 1)]
    assert wait_seconds({"session:x": six, "email:y": minutes}, limits=limits, now=NOW) == 180


def test_the_wait_is_said_in_french_words():
    assert Throttled.sign_in(1).message == "Trop de tentatives de connexion : réessayez dans 1 seconde."
    assert Throttled.sign_in(45).message == "Trop de tentatives de connexion : réessayez dans 45 secondes."
    assert (Throttled.sign_in(61).message, Throttled.sign_in(61).retry_after) == (
        "Trop de tentatives de connexion : réessayez dans 2 minutes.",
        61,
    )
