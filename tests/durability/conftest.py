"""Shared by the tests that run the real `jury` processes: a seeded round with eight jurors and their access
codes, servers started on free ports, sign-in by code and score sheet bodies."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
from tests.helpers import free_port
from tests.scoring.conftest import SEED

from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import load_settings

SECRET_KEY = "durability-test-secret-key-0123456789abcdef"

JURORS = 8
EXTRA_JURORS = [f"jure{i}@exemple.fr" for i in range(4, JURORS + 1)]


@dataclass
class World:
    round_id: int
    criteria: dict[str, int]
    candidates: list[int]
    codes: dict[int, str]  # person id → access code


@dataclass
class Server:
    url: str
    process: subprocess.Popen = field(repr=False)


async def start_server(
    database_url: str, data_dir: Path, port: int | None = None, *, extra_env: dict[str, str] | None = None
) -> Server:
    port = port or free_port()
    env = (
        os.environ
        | {
            "DATABASE_URL": database_url,
            "JURY_SECRET_KEY": SECRET_KEY,
            "JURY_SIGN_IN_ATTEMPTS_PER_MINUTE": "10000",
            "JURY_LOG_FORMAT": "json",
        }
        | (extra_env or {})
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "jury", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as probe:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server exited at start"
            try:
                if (await probe.get(url + "/healthz")).status_code == 200:
                    return Server(url=url, process=process)
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start within 60 s")


def stop(server: Server, sig: int = signal.SIGTERM) -> None:
    if server.process.poll() is None:
        os.kill(server.process.pid, sig)
    server.process.wait(timeout=30)


@pytest.fixture
async def world(database_url: str) -> World:
    settings = load_settings({}, database_url=database_url)
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(SEED)
        await conn.executemany(
            "insert into people (full_name, email) values ($1, $1)", [(e,) for e in EXTRA_JURORS]
        )
        await conn.execute(
            "insert into panel_members (panel_id, person_id, role) "
            "select p.id, pe.id, 'juror' from panels p, people pe where p.name = 'Jury Nord' and pe.email = any($1)",
            EXTRA_JURORS,
        )
        await conn.execute(
            "insert into assignments (panel_id, person_id, candidate_id) "
            "select p.id, pe.id, c.id from panels p, people pe, candidates c "
            "where p.name = 'Jury Nord' and pe.email = any($1) and c.edition_id = "
            "(select edition_id from rounds where id = p.round_id)",
            EXTRA_JURORS,
        )
        round_id = await conn.fetchval("select id from rounds where name = 'Demi-finale'")
        # Every juror declares: no conflict with the candidates assigned (the sheets open only then).
        await conn.execute(
            "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict) "
            "select p.round_id, a.person_id, a.candidate_id, false from assignments a "
            "join panels p on p.id = a.panel_id where p.round_id = $1",
            round_id,
        )
        people = [
            r["id"]
            for r in await conn.fetch(
                "select distinct m.person_id as id from panel_members m join panels p on p.id = m.panel_id "
                "where p.round_id = $1 order by 1",
                round_id,
            )
        ]
        assert len(people) == JURORS
        edition_id = await conn.fetchval("select edition_id from rounds where id = $1", round_id)
        cards = await issue_codes(
            Database(conn, Queries(settings.queries_dir), clock=system_clock),
            edition_id=edition_id,
            person_ids=people,
        )
        criteria = {r["code"]: r["id"] for r in await conn.fetch("select id, code from criteria")}
        # Sophie (in the seed) is not assigned candidate 104: use the three candidates everyone marks.
        candidates = [
            r["id"]
            for r in await conn.fetch(
                "select candidate_id as id from assignments group by candidate_id having count(*) = $1 order by 1",
                JURORS,
            )
        ]
    finally:
        await conn.close()
    return World(
        round_id=round_id,
        criteria=criteria,
        candidates=candidates,
        codes={c.person_id: c.code for c in cards},
    )


async def sign_in(client: httpx.AsyncClient, code: str) -> None:
    response = await client.post("/acces", data={"code": code})
    assert response.status_code == 303, response.text


def body(world: World, *, key: uuid.UUID, version: int, juror: int, candidate: int) -> dict:
    return {
        "idempotency_key": str(key),
        "version": version,
        "status": "draft",
        "values": {
            str(world.criteria["innovation"]): float((juror + candidate) % 10),
            str(world.criteria["pitch"]): float((juror * 3 + candidate) % 40),
            str(world.criteria["theme"]): 1.0,
        },
    }


async def stored_sheets(database_url: str, round_id: int) -> dict[tuple[int, int], list[dict]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "select s.id, s.person_id, s.candidate_id, s.version, "
            "coalesce(jsonb_object_agg(v.criterion_id::text, v.value::float) filter (where v.sheet_id is not null), "
            "'{}') as values from score_sheets s left join sheet_scores v on v.sheet_id = s.id "
            "where s.round_id = $1 group by s.id",
            round_id,
        )
    finally:
        await conn.close()
    out: dict[tuple[int, int], list[dict]] = {}
    for r in rows:
        out.setdefault((r["person_id"], r["candidate_id"]), []).append(
            {
                "version": r["version"],
                "values": json.loads(r["values"]) if isinstance(r["values"], str) else r["values"],
            }
        )
    return out
