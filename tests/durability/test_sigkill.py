"""The real server, killed with SIGKILL while tablets submit sheets, then restarted: every acknowledged sheet
is stored once with its values, retries with the same idempotency key never duplicate; two servers on one
database never lose an update (a stale version is answered 409).
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from pathlib import Path

import httpx
import pytest
from tests.durability.conftest import World, body, sign_in, start_server, stop, stored_sheets

pytestmark = pytest.mark.slow


async def test_sheets_acknowledged_before_a_sigkill_are_stored_exactly_once(
    world: World, database_url: str, tmp_path: Path
) -> None:
    server = await start_server(database_url, tmp_path / "data")
    port = int(server.url.rsplit(":", 1)[1])
    jurors = sorted(world.codes)
    clients = {j: httpx.AsyncClient(base_url=server.url, timeout=10) for j in jurors}
    pending = {
        (j, c): body(world, key=uuid.uuid4(), version=0, juror=j, candidate=c)
        for j in jurors
        for c in world.candidates
    }
    acknowledged: dict[tuple[int, int], dict] = {}
    try:
        for j in jurors:
            await sign_in(clients[j], world.codes[j])

        async def submit(j: int, c: int) -> None:
            try:
                response = await clients[j].put(
                    f"/api/jure/feuilles/{world.round_id}/{c}", json=pending[(j, c)]
                )
            except httpx.TransportError:
                return  # unacknowledged: retried after the restart
            assert response.status_code in (200, 201), response.text
            acknowledged[(j, c)] = pending[(j, c)]

        async def kill_part_way() -> None:
            while len(acknowledged) < len(pending) // 3:
                await asyncio.sleep(0.001)
            os.kill(server.process.pid, signal.SIGKILL)

        killer = asyncio.create_task(kill_part_way())
        await asyncio.gather(*(submit(j, c) for (j, c) in pending))
        if not killer.done():
            killer.cancel()
        server.process.wait(timeout=30)
        assert len(acknowledged) > 0, "nothing was acknowledged before the kill"

        server = await start_server(database_url, tmp_path / "data", port=port)
        for j in jurors:
            if (await clients[j].get("/api/jure/feuilles")).status_code == 401:
                await sign_in(clients[j], world.codes[j])
        # The tablets retry every write they have no answer for, and resend a few answered ones too.
        resend = [k for k in pending if k not in acknowledged] + list(acknowledged)[:4]
        for j, c in resend:
            response = await clients[j].put(f"/api/jure/feuilles/{world.round_id}/{c}", json=pending[(j, c)])
            assert response.status_code in (200, 201), (j, c, response.status_code, response.text)
            if (j, c) in acknowledged:
                assert response.headers.get("Idempotent-Replay") == "true"
    finally:
        for client in clients.values():
            await client.aclose()
        stop(server)

    stored = await stored_sheets(database_url, world.round_id)
    assert all(len(rows) == 1 for rows in stored.values()), "duplicate sheets"
    assert set(stored) == set(pending)
    for key, sent in pending.items():
        [row] = stored[key]
        assert row["version"] == 1, (key, row)
        assert {k: float(v) for k, v in row["values"].items()} == sent["values"], key


async def test_two_servers_on_one_database_never_lose_an_update(
    world: World, database_url: str, tmp_path: Path
) -> None:
    first = await start_server(database_url, tmp_path / "a")
    second = await start_server(database_url, tmp_path / "b")
    juror = sorted(world.codes)[0]
    a = httpx.AsyncClient(base_url=first.url, timeout=10)
    b = httpx.AsyncClient(base_url=second.url, timeout=10)
    try:
        await sign_in(a, world.codes[juror])
        await sign_in(b, world.codes[juror])
        last_acknowledged: dict[int, dict] = {}
        for candidate in world.candidates:
            path = f"/api/jure/feuilles/{world.round_id}/{candidate}"
            version = 0
            for attempt in range(5):
                # Both tablets edit the same version at once, through different servers.
                writes = [
                    body(
                        world,
                        key=uuid.uuid4(),
                        version=version,
                        juror=juror + attempt * 2 + i,
                        candidate=candidate,
                    )
                    for i in range(2)
                ]
                answers = await asyncio.gather(a.put(path, json=writes[0]), b.put(path, json=writes[1]))
                codes = sorted(r.status_code for r in answers)
                assert codes in ([200, 409], [201, 409]), [(r.status_code, r.text) for r in answers]
                winner = next(i for i, r in enumerate(answers) if r.status_code in (200, 201))
                loser = answers[1 - winner]
                assert loser.json()["current"]["version"] == version + 1
                last_acknowledged[candidate] = writes[winner]
                version = answers[winner].json()["version"]
    finally:
        await a.aclose()
        await b.aclose()
        stop(first)
        stop(second)

    stored = await stored_sheets(database_url, world.round_id)
    for candidate, sent in last_acknowledged.items():
        [row] = stored[(juror, candidate)]
        assert row["version"] == 5
        assert {k: float(v) for k, v in row["values"].items()} == sent["values"]
