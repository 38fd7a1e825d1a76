"""Issue 8: two `jury serve` replicas and one `jury worker` on one PostgreSQL, without containers.

A session opened on one replica goes on on the other; sheets go in through both; a diploma batch asked on
one replica is consumed by the worker (the replicas do not consume jobs); the worker is killed with its
render process part-way, and the batch completes once a worker starts again, each diploma stored once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from tests.durability.conftest import SECRET_KEY, World, body, sign_in, start_server, stop, stored_sheets

from jury.auth.service import create_organiser
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import load_settings

pytestmark = [pytest.mark.slow, pytest.mark.pdf]

LAUREATES = 40
ORGANISER = "orga.replicas@exemple.fr"
PASSWORD = "replicas-organiser-1"
HEARTBEAT_SECONDS = "2"


async def add_laureates(database_url: str, round_id: int) -> str:
    """An organiser of the contest and forty laureates of a 'Prix du public': a batch long enough to be
    interrupted (each diploma is a tenth of a second of one render process)."""
    conn = await asyncpg.connect(database_url)
    try:
        edition_id, slug, contest = await conn.fetchrow(
            "select e.id, e.slug, c.slug from rounds r join editions e on e.id = r.edition_id "
            "join contests c on c.id = e.contest_id where r.id = $1",
            round_id,
        )
        await create_organiser(
            Database(conn, Queries(load_settings({}).queries_dir), clock=system_clock),
            full_name="Organisatrice Réplicas",
            email=ORGANISER,
            password=PASSWORD,
            contest_slugs=[contest],
        )
        prize_id = await conn.fetchval(
            "insert into prizes (edition_id, code, name, kind, max_winners) "
            "values ($1, 'public', 'Prix du public', 'special', $2) returning id",
            edition_id,
            LAUREATES,
        )
        ids = await conn.fetch(
            "insert into candidates (edition_id, kind, organisation_name, person_name, email, entry_number) "
            "select $1, 'company', 'Entreprise ' || n, 'Lauréat ' || n, 'laureat' || n || '@exemple.fr', 900 + n "
            "from generate_series(1, $2) n returning id",
            edition_id,
            LAUREATES,
        )
        await conn.executemany(
            "insert into awards (prize_id, candidate_id, decided_on) values ($1, $2, $3)",
            [(prize_id, r["id"], dt.date(2025, 6, 12)) for r in ids],
        )
    finally:
        await conn.close()
    return slug


def start_worker(database_url: str, data_dir: Path, log_path: Path) -> subprocess.Popen:
    """In a session of its own, so that a SIGKILL of the group takes its render process too, as when a
    container dies."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "JURY_DATA_DIR": str(data_dir),
        "JURY_SECRET_KEY": SECRET_KEY,
        "JURY_LOG_FORMAT": "json",
        "JURY_RENDER_WORKERS": "1",
        "JURY_JOB_HEARTBEAT_SECONDS": HEARTBEAT_SECONDS,
    }
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "jury", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


async def job_state(database_url: str, slug: str) -> dict | None:
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            "select j.status, j.total, j.done, j.attempts from diploma_jobs j join editions e on e.id = j.edition_id "
            "where e.slug = $1 order by j.id desc limit 1",
            slug,
        )
    finally:
        await conn.close()
    return dict(row) if row else None


async def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stored_files(data_dir: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in (data_dir / "storage" / "diplomas").glob("*.pdf")
    }


def stored_events(log_path: Path) -> list[int]:
    """The diploma ids the worker stored, one entry per file written, across every run of the worker."""
    ids = []
    for line in log_path.read_text().splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("event") == "diploma stored":
            ids.append(event["diploma_id"])
    return ids


async def test_two_replicas_and_a_worker_share_sessions_sheets_and_a_diploma_batch(
    world: World, database_url: str, tmp_path: Path
) -> None:
    slug = await add_laureates(database_url, world.round_id)
    data_dir = tmp_path / "shared"  # the stored PDFs' volume, shared by every process
    replica_env = {"JURY_IN_PROCESS_JOBS": "false"}
    first = await start_server(database_url, data_dir, extra_env=replica_env)
    second = await start_server(database_url, data_dir, extra_env=replica_env)
    log_path = tmp_path / "worker.log"
    worker = start_worker(database_url, data_dir, log_path)
    a = httpx.AsyncClient(base_url=first.url, timeout=30)
    b = httpx.AsyncClient(base_url=second.url, timeout=30)
    try:
        # An organiser signs in on one replica and goes on on the other with the same cookie.
        response = await a.post("/connexion", data={"email": ORGANISER, "password": PASSWORD})
        assert response.status_code == 303, response.text
        b.cookies = a.cookies
        page = f"/organisation/editions/{slug}/diplomes/"
        on_b = await b.get(page)
        assert on_b.status_code == 200 and "Lauréat 17" in on_b.text
        assert (await httpx.AsyncClient(base_url=second.url).get(page)).status_code == 401

        # A juror signs in on one replica; sheets go in through both, alternately.
        juror = sorted(world.codes)[0]
        await sign_in(a, world.codes[juror])  # the organiser's session is replaced by the juror's
        b.cookies = a.cookies
        sent = {}
        for i, candidate in enumerate(world.candidates):
            client = (a, b)[i % 2]
            sheet = body(world, key=uuid.uuid4(), version=0, juror=juror, candidate=candidate)
            answer = await client.put(f"/api/jure/feuilles/{world.round_id}/{candidate}", json=sheet)
            assert answer.status_code == 201, answer.text
            sent[candidate] = sheet["values"]
        stored = await stored_sheets(database_url, world.round_id)
        assert {c: {k: float(v) for k, v in stored[(juror, c)][0]["values"].items()} for c in sent} == sent

        # The organiser asks for the diplomas on the second replica; the worker takes the batch.
        response = await b.post("/connexion", data={"email": ORGANISER, "password": PASSWORD})
        assert response.status_code == 303
        a.cookies = b.cookies
        assert (await b.post(f"{page}generer", follow_redirects=False)).status_code == 303
        assert (await a.post(f"{page}generer", follow_redirects=False)).status_code == 303  # joins it

        # Killed (with its render process) once the first batch of PDFs is stored, before the last one.
        state = await wait_for(
            lambda: _running_part_way(database_url, slug), timeout=120, what="the first stored batch"
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        before_kill = stored_files(data_dir)
        assert 0 < len(before_kill) < LAUREATES, state
        stalled = await job_state(database_url, slug)
        assert stalled["status"] == "running" and stalled["done"] < LAUREATES
        progress = await b.get(f"{page}progression")
        assert f"{stalled['done']} / {stalled['total']}" in progress.text

        async def said_silent() -> bool:
            return "Le processus de rendu ne répond plus" in (await b.get(f"{page}progression")).text

        # Once the dead worker's heartbeat is stale, the page says the batch waits for another worker.
        await wait_for(said_silent, timeout=30, what="the page to say the worker went silent")

        # A new worker takes the job up once the dead one's heartbeat is stale, and finishes it.
        worker = start_worker(database_url, data_dir, log_path)

        async def resumed() -> dict | None:
            state = await job_state(database_url, slug)
            return state if state["attempts"] == 2 and state["total"] else None

        # The bar does not go back: what the dead worker stored counts as done from the resumption on.
        resumption = await wait_for(resumed, timeout=120, what="the second attempt")
        assert resumption["total"] == LAUREATES and resumption["done"] >= len(before_kill), resumption
        finished = await wait_for(
            lambda: _finished(database_url, slug), timeout=180, what="the batch to finish after the restart"
        )
        assert finished["attempts"] == 2 and finished["total"] == finished["done"] == LAUREATES
        progress = await a.get(f"{page}progression")
        assert f"terminée : {finished['total']} diplôme(s)" in progress.text
    finally:
        await a.aclose()
        await b.aclose()
        stop(first)
        stop(second)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)

    files = stored_files(data_dir)
    assert len(files) == LAUREATES, sorted(files)
    for name, identity in before_kill.items():
        assert files[name] == identity, f"{name} was written again after the restart"
    events = stored_events(log_path)
    assert len(events) == LAUREATES and len(set(events)) == LAUREATES, events
    conn = await asyncpg.connect(database_url)
    try:
        jobs = await conn.fetchval("select count(*) from diploma_jobs")
        recorded = await conn.fetchval("select count(*) from diplomas where pdf_path is not null")
    finally:
        await conn.close()
    assert jobs == 1, "two clicks on two replicas make one batch"
    assert recorded == LAUREATES


async def _running_part_way(database_url: str, slug: str) -> dict | None:
    state = await job_state(database_url, slug)
    if state and state["status"] == "running" and 0 < state["done"] < state["total"]:
        return state
    return None


async def _finished(database_url: str, slug: str) -> dict | None:
    state = await job_state(database_url, slug)
    assert state is None or state["status"] != "failed", state
    return state if state and state["status"] == "finished" else None
