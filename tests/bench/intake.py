"""Intake benchmark: score-sheet writes through the full path, against a bare write on the same server.

Run with `.venv/bin/python tests/bench/intake.py [--seconds 20] [--clients 64]`. Not collected by pytest.

Why a baseline: absolute requests/s depend on the machine, its disk and whatever else runs on it; the ratio
of the full path (`PUT /api/jure/feuilles/…`: session, assignment and conflict checks, validation,
versioned upsert, audit event) to the cheapest write the same server process can do (`POST
/bench/baseline`: JSON parse, one upsert, one audit event, in the same middleware and per-request
transaction) says what the scoring code itself costs. The server is a real `jury serve` subprocess started
with JURY_BENCH_ROUTES=true, on the embedded PostgreSQL of a temporary data directory (or on DATABASE_URL
when set, in which case the data it creates stays there: use a throwaway database).

Each virtual client is one juror with their own session (signed in with an access code, as a tablet), who
keeps PUT-ing new versions of their sheets with fresh idempotency keys; a 409 (another writer won) only
re-reads the version, as a tablet would. Both kinds run at the same concurrency for the same total time,
in alternating slices after a short warm-up, and the server's own CPU time per request is reported too:
on a shared machine requests/s follow the neighbours' load, CPU per request hardly does.
The load generator shares the machine with the server, as it would in CI: its own CPU cost is in both phases alike.

The last printed line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import httpx

from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import PROJECT_ROOT

SEED = """
insert into contests (slug, name, organisers, candidate_kind)
values ('bench', 'Banc d''essai', 'Bench', 'company');
insert into editions (contest_id, slug, number, year) select id, 'bench-2025', 1, 2025 from contests where slug = 'bench';
insert into categories (edition_id, code, name) select id, 'general', 'Général' from editions where slug = 'bench-2025';
insert into criteria (category_id, code, label, help, scale_min, scale_max, scale_step, weight,
                      comment_required, eliminatory, position)
select c.id, v.code, v.label, '', v.lo, v.hi, v.step, v.weight, v.required, v.elim, v.pos
from categories c, (values
    ('innovation', 'Innovation', 0, 10, 0.5, 2, false, false, 1),
    ('pitch', 'Pitch', 0, 40, 1, 1, true, false, 2),
    ('impact', 'Impact', 0, 20, 1, 1, false, false, 3),
    ('theme', 'Respect du thème', 0, 1, 1, 1, false, true, 4)
) as v(code, label, lo, hi, step, weight, required, elim, pos)
where c.code = 'general';
insert into rounds (edition_id, kind, name, position, status)
select id, 'semi_final', 'Demi-finale', 1, 'open' from editions where slug = 'bench-2025';
insert into panels (round_id, name) select id, 'Jury banc' from rounds where name = 'Demi-finale';
insert into people (full_name, email)
select 'Juré ' || n, 'jure' || n || '@bench.example' from generate_series(1, {jurors}) n;
insert into panel_members (panel_id, person_id) select p.id, pe.id from panels p, people pe
where pe.email like '%@bench.example';
insert into candidates (edition_id, kind, organisation_name, email, entry_number, category_id)
select e.id, 'company', 'Entreprise ' || n, 'c' || n || '@bench.example', 100 + n, k.id
from editions e join categories k on k.edition_id = e.id, generate_series(1, {candidates}) n
where e.slug = 'bench-2025';
insert into candidate_rounds (candidate_id, round_id, panel_id, status)
select c.id, p.round_id, p.id, 'eligible' from candidates c, panels p;
"""
# Juror n marks `per_juror` consecutive candidates (wrapping), so every candidate is marked by several.
ASSIGN = """
insert into assignments (panel_id, person_id, candidate_id)
select p.id, pe.id, c.id
from panels p, people pe, candidates c
where pe.email like '%@bench.example' and c.email like '%@bench.example'
  and ((c.entry_number - 101) - (pe.id - (select min(id) from people where email like '%@bench.example')) * {per_juror}
       + {candidates} * 1000) % {candidates} < {per_juror};
insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict)
select p.round_id, a.person_id, a.candidate_id, false from assignments a join panels p on p.id = a.panel_id;
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"jury serve exited with {proc.returncode}")
            try:
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("jury serve did not become healthy")


async def _seed(database_url: str, *, jurors: int, per_juror: int) -> tuple[int, int, dict, list[str]]:
    """The edition in SQL (fast, and independent of the import code), then one access code per juror."""
    candidates = max(per_juror, jurors // 2)
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            # Integers from the command line, formatted in: plain multi-statement text, no parameters.
            await conn.execute(SEED.format(jurors=jurors, candidates=candidates))
            await conn.execute(ASSIGN.format(per_juror=per_juror, candidates=candidates))
            edition_id = await conn.fetchval("select id from editions where slug = 'bench-2025'")
            round_id = await conn.fetchval("select r.id from rounds r where r.edition_id = $1", edition_id)
            criteria = {
                r["code"]: r["id"]
                for r in await conn.fetch(
                    "select c.id, c.code from criteria c "
                    "join categories k on k.id = c.category_id where k.edition_id = $1",
                    edition_id,
                )
            }
            people = [
                r["id"]
                for r in await conn.fetch(
                    "select id from people where email like '%@bench.example' order by id"
                )
            ]
            db = Database(conn, Queries(PROJECT_ROOT / "sql" / "queries"), clock=system_clock)
            cards = await issue_codes(db, edition_id=edition_id, person_ids=people)
            mine = {
                r["person_id"]: r["ids"]
                for r in await conn.fetch(
                    "select person_id, array_agg(candidate_id order by candidate_id) ids from assignments "
                    "group by person_id"
                )
            }
    finally:
        await conn.close()
    return (
        round_id,
        edition_id,
        {"criteria": criteria, "mine": mine, "people": people},
        [c.code for c in cards],
    )


class Juror:
    """One tablet: its own HTTP client (so its own session cookie) and the versions it last saw."""

    def __init__(
        self, base: str, code: str, person_id: int, round_id: int, candidates: list[int], crit: dict
    ):
        self.client = httpx.AsyncClient(base_url=base, timeout=30.0, limits=httpx.Limits(max_connections=1))
        self.code, self.person_id, self.round_id = code, person_id, round_id
        self.candidates, self.crit = candidates, crit
        self.versions = dict.fromkeys(candidates, 0)
        self.turn = 0

    async def sign_in(self) -> None:
        response = await self.client.post("/acces", data={"code": self.code})
        assert response.status_code == 303 and response.headers["location"] == "/jure/", response.text[:200]

    def _body(self, candidate: int) -> dict:
        n = self.turn
        return {
            "version": self.versions[candidate],
            "idempotency_key": str(uuid.uuid4()),
            "values": {
                str(self.crit["innovation"]): (n % 21) / 2,
                str(self.crit["pitch"]): n % 41,
                str(self.crit["impact"]): n % 21,
                str(self.crit["theme"]): 1,
            },
            "comments": {str(self.crit["pitch"]): f"Présentation claire, essai {n}"},
            "comment": "Dossier solide.",
            "status": "submitted" if n % 2 else "draft",
        }

    async def full(self) -> int:
        candidate = self.candidates[self.turn % len(self.candidates)]
        self.turn += 1
        response = await self.client.put(
            f"/api/jure/feuilles/{self.round_id}/{candidate}", json=self._body(candidate)
        )
        if response.status_code in (200, 201):
            self.versions[candidate] = response.json()["version"]
        elif response.status_code == 409 and (current := response.json().get("current")):
            self.versions[candidate] = current["version"]
        return response.status_code

    async def baseline(self) -> int:
        candidate = self.candidates[self.turn % len(self.candidates)]
        self.turn += 1
        body = self._body(candidate) | {
            "sheet_key": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{self.person_id}/{candidate}"))
        }
        response = await self.client.post("/bench/baseline", json=body)
        return response.status_code


class Tally:
    """Latencies and statuses of one kind of request, summed over its slices."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.elapsed = 0.0
        self.server_cpu = 0.0

    def summary(self) -> dict:
        latencies = sorted(self.latencies)
        n = len(latencies)
        return {
            "requests": n,
            "ok": sum(v for k, v in self.statuses.items() if 200 <= k < 300),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "rps": round(n / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": round(1000 * statistics.median(latencies), 1) if n else None,
            "p99_ms": round(1000 * latencies[min(n - 1, int(0.99 * n))], 1) if n else None,
            # Seconds the server process itself ran on a CPU: unlike requests/s, this hardly moves with
            # the load other programs put on the machine.
            "server_cpu_ms_per_request": round(1000 * self.server_cpu / n, 2)
            if n and self.server_cpu
            else None,
        }


async def _phase(
    jurors: list[Juror], call: Callable[[Juror], Callable[[], Awaitable[int]]], seconds: float, tally: Tally
) -> None:
    """Every client loops until the deadline; requests that started before it count."""
    deadline = time.perf_counter() + seconds

    async def loop(juror: Juror) -> None:
        send = call(juror)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status = await send()
            tally.latencies.append(time.perf_counter() - start)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1

    started, cpu = time.perf_counter(), _cpu_seconds(SERVER_PID)
    await asyncio.gather(*(loop(j) for j in jurors))
    tally.elapsed += time.perf_counter() - started
    tally.server_cpu += _cpu_seconds(SERVER_PID) - cpu


SERVER_PID: int | None = None


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process (Linux /proc); 0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


async def run(args: argparse.Namespace, base: str, database_url: str) -> dict:
    round_id, _edition, data, codes = await _seed(database_url, jurors=args.clients, per_juror=args.sheets)
    jurors = [
        Juror(base, code, person, round_id, list(data["mine"][person]), data["criteria"])
        for code, person in zip(codes, data["people"], strict=True)
    ]
    try:
        for juror in jurors:  # one by one: sign-in is throttled per address (the limit is raised below)
            await juror.sign_in()
        await _phase(jurors, lambda j: j.full, args.warmup, Tally())
        await _phase(jurors, lambda j: j.baseline, args.warmup, Tally())
        # Alternating slices rather than two long phases: on a shared machine the load drifts over a
        # minute, and it must weigh on both sides alike for the ratio to mean anything.
        full_tally, baseline_tally = Tally(), Tally()
        for _ in range(args.slices):
            await _phase(jurors, lambda j: j.full, args.seconds / args.slices, full_tally)
            await _phase(jurors, lambda j: j.baseline, args.seconds / args.slices, baseline_tally)
        full, baseline = full_tally.summary(), baseline_tally.summary()
    finally:
        await asyncio.gather(*(j.client.aclose() for j in jurors))
    conn = await asyncpg.connect(database_url)
    try:
        stored = await conn.fetchval("select count(*) from score_sheets")
        audit = await conn.fetchval("select count(*) from audit_events")
    finally:
        await conn.close()
    return {
        "clients": args.clients,
        "seconds": args.seconds,
        "slices": args.slices,
        "cpus": os.cpu_count(),
        "synchronous_commit": args.synchronous_commit if not os.environ.get("DATABASE_URL") else None,
        "full": full,
        "baseline": baseline,
        "ratio_rps": round(full["rps"] / baseline["rps"], 3) if baseline["rps"] else None,
        "score_sheets": stored,
        "audit_events": audit,
    }


async def _set_synchronous_commit(admin_url: str, value: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"alter system set synchronous_commit = {value}")
        await conn.execute("select pg_reload_conf()")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each measured phase")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured warm-up of each phase")
    parser.add_argument("--slices", type=int, default=5, help="alternating slices the time is cut into")
    parser.add_argument("--clients", type=int, default=64, help="concurrent jurors (one session each)")
    parser.add_argument("--sheets", type=int, default=4, help="candidates assigned to each juror")
    parser.add_argument(
        "--synchronous-commit",
        choices=("on", "off"),
        default="on",
        help="embedded PostgreSQL only: 'off' shows how much of the time is spent waiting on WAL flushes",
    )
    args = parser.parse_args()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="jury-bench-") as tmp:
        env = os.environ | {
            "JURY_BENCH_ROUTES": "true",
            "JURY_SIGN_IN_ATTEMPTS_PER_MINUTE": str(10 * args.clients),
            "JURY_LOG_FORMAT": "json",
        }
        external = os.environ.get("DATABASE_URL")
        embedded = None
        if external:
            database_url = external
        else:
            # Started here and joined by the server (same data directory), so the seeding has its URL.
            from jury.db.embedded import EmbeddedPostgres, ensure_database
            from jury.runtime import EMBEDDED_DATABASE

            embedded = EmbeddedPostgres(Path(tmp) / "data" / "postgres")
            asyncio.run(ensure_database(embedded.url("postgres"), EMBEDDED_DATABASE))
            asyncio.run(_set_synchronous_commit(embedded.url("postgres"), args.synchronous_commit))
            database_url = embedded.url(EMBEDDED_DATABASE)
        command = [
            sys.executable,
            "-m",
            "jury",
            "serve",
            "--data-dir",
            str(Path(tmp) / "data"),
            "--port",
            str(port),
        ]
        # Its log goes to a file, not a pipe: an unread pipe would fill up and stall the server mid-run.
        server_log = (Path(tmp) / "server.log").open("wb")
        server = subprocess.Popen(command, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        global SERVER_PID
        SERVER_PID = server.pid
        try:
            asyncio.run(_wait_healthy(base, server))
            result = asyncio.run(run(args, base, database_url))
        except BaseException:
            print((Path(tmp) / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
            server_log.close()
            if embedded is not None:
                embedded.stop()

    for name in ("full", "baseline"):
        r = result[name]
        print(
            f"{name:9} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  "
            f"server CPU {r['server_cpu_ms_per_request']} ms/req  ({r['requests']} requests, statuses {r['statuses']})"
        )
    print(f"ratio full/baseline: {result['ratio_rps']}  (goal ≥ 0.7; full p99 goal < 150 ms)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
