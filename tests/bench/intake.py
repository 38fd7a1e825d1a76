"""Intake benchmark: score-sheet writes through the full path against a bare Litestar + asyncpg app.

Run with `.venv/bin/python tests/bench/intake.py [--seconds 10] [--rounds 3] [--connections 64]
[--workers N]`. Not collected by pytest. Needs `wrk` (Debian package).

In one run, on one embedded PostgreSQL (a temporary data directory, same settings for both), two servers:

* the full path: `jury serve --workers N`, each connection a juror's tablet signed in with an access code
  (its own session cookie) PUT-ing new versions of its sheets to `/api/jure/feuilles/{round}/{candidate}`
  with fresh idempotency keys: session, assignment and conflict checks, validation, versioned upsert,
  audit event;
* the baseline: `tests/bench/bare_app.py` under uvicorn with the same worker count and pool size, no jury
  code or middleware, doing one upsert and one audit insert in one transaction for the same JSON body.

Load comes from `wrk` (one thread per connection; `intake.lua` gives each its juror, cookie and keys),
which costs far less CPU than a Python client. Phases alternate (full, bare, full, bare, …) after a
warm-up of each, so a neighbour's load on a shared machine weighs on both sides alike; the load average
is printed with each phase. Reported per side: requests/s, p50/p99 (from wrk's exact histograms, merged
over the phases), and CPU per request of the server processes and of PostgreSQL, which hardly move with
the machine's load where requests/s do.

The last printed line is one JSON object: `full_rps`, `bare_rps`, `ratio`, `full_p99_ms`, `bare_p99_ms`, …
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import psutil

from jury.auth.service import issue_codes
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent

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


async def _sign_in(base: str, codes: list[str]) -> list[str]:
    """One session per juror, as a tablet gets it: the access code posted to /acces. The cookie only."""
    cookies = []
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        for code in codes:  # one by one: sign-in is throttled per address (the limit is raised below)
            client.cookies.clear()
            response = await client.post("/acces", data={"code": code})
            assert response.status_code == 303, response.text[:200]
            cookies.append(f"jury_session={client.cookies['jury_session']}")
    return cookies


def _lua_value(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"[{_lua_value(k)}]={_lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ",".join(_lua_value(v) for v in value) + "}"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid Lua string for the ASCII we write
    return str(value)


async def _versions(database_url: str) -> dict[tuple[int, int], int]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("select person_id, candidate_id, version from score_sheets")
    finally:
        await conn.close()
    return {(r["person_id"], r["candidate_id"]): r["version"] for r in rows}


class Processes:
    """CPU seconds (user + system) of a process tree, and of the PostgreSQL server's processes."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)

    def cpu(self) -> float:
        total = 0.0
        for proc in [self.root, *self.root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total


def _postgres_cpu(data_dir: Path) -> float:
    try:
        postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
        return Processes(postmaster).cpu()
    except (OSError, ValueError, psutil.Error):
        return 0.0


def _wal(database_url: str) -> dict[str, float]:
    """PostgreSQL's WAL counters (`pg_stat_wal`): bytes, full-page images and syncs (fsyncs) so far. Per
    request they say what a write costs the disk, which the machine's load does not move."""

    async def read() -> dict[str, float]:
        conn = await asyncpg.connect(database_url)
        try:
            row = await conn.fetchrow("select wal_bytes, wal_fpi, wal_records from pg_stat_wal")
        finally:
            await conn.close()
        return {
            "bytes": float(row["wal_bytes"]),
            "fpi": float(row["wal_fpi"]),
            "records": float(row["wal_records"]),
        }

    return asyncio.run(read())


class Side:
    """One side's phases: requests, time, statuses, merged latency histogram, CPU."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.requests = self.ok = self.conflict = self.other = self.errors = 0
        self.seconds = self.server_cpu = self.db_cpu = 0.0
        self.wal = {"bytes": 0.0, "fpi": 0.0, "records": 0.0}
        self.histogram: dict[int, float] = {}
        self.phases: list[dict] = []

    def add(
        self, result: dict, *, server_cpu: float, db_cpu: float, load: tuple[float, float], wal: dict
    ) -> None:
        for name, value in wal.items():
            self.wal[name] += value
        seconds = result["duration_us"] / 1e6
        self.requests += result["requests"]
        self.ok += result["ok"]
        self.conflict += result["conflict"]
        self.other += result["other"]
        self.errors += result["socket_errors"] + result["timeouts"]
        self.seconds += seconds
        self.server_cpu += server_cpu
        self.db_cpu += db_cpu
        histogram = _histogram(result["quantiles"])
        for us, weight in histogram.items():
            self.histogram[us] = self.histogram.get(us, 0) + weight
        phase = {
            "rps": round(result["requests"] / seconds, 1),
            "p99_ms": _percentile(histogram, 0.99),
            "load_before": load[0],
            "load_after": load[1],
        }
        self.phases.append(phase)
        print(
            f"  {self.name:4} {phase['rps']:8.1f} req/s  p99 {phase['p99_ms']:7.1f} ms  "
            f"server CPU {1000 * server_cpu / max(1, result['requests']):.2f} ms/req  "
            f"load {load[0]:.2f}→{load[1]:.2f}",
            flush=True,
        )

    def summary(self) -> dict:
        n = max(1, self.requests)
        return {
            "requests": self.requests,
            "ok": self.ok,
            "conflict_409": self.conflict,
            "other_status": self.other,
            "socket_errors": self.errors,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": _percentile(self.histogram, 0.50),
            "p99_ms": _percentile(self.histogram, 0.99),
            "server_cpu_ms_per_request": round(1000 * self.server_cpu / n, 3),
            "postgres_cpu_ms_per_request": round(1000 * self.db_cpu / n, 3),
            "wal_bytes_per_request": round(self.wal["bytes"] / n),
            "wal_fpi_per_request": round(self.wal["fpi"] / n, 3),
            "wal_records_per_request": round(self.wal["records"] / n, 2),
            "phases": self.phases,
        }


def _histogram(quantiles: list[list]) -> dict[int, float]:
    """wrk's quantiles (microseconds, weight in requests) as a histogram that phases add up in."""
    out: dict[int, float] = {}
    for us, weight in quantiles:
        out[int(us)] = out.get(int(us), 0.0) + weight
    return out


def _percentile(histogram: dict[int, float], q: float) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = q * total, 0
    for us in sorted(histogram):
        seen += histogram[us]
        if seen >= rank:
            return round(us / 1000, 1)
    return None


def _wrk(*, url: str, data_file: Path, seconds: float, connections: int) -> dict:
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "intake.lua"),
        url,
    ]
    done = subprocess.run(
        command, env=os.environ | {"INTAKE_DATA": str(data_file)}, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _phase(
    side: Side | None,
    *,
    mode: str,
    url: str,
    seconds: float,
    plan: dict,
    cookies: list[str],
    versions: dict,
    tmp: Path,
    procs: Processes,
    pg_dir: Path,
    database_url: str,
    connections: int,
) -> None:
    jurors = []
    for person, cookie in zip(plan["people"], cookies, strict=True):
        mine = list(plan["mine"][person])
        jurors.append(
            {
                "cookie": cookie,
                "person": person,
                "candidates": mine,
                "versions": [versions.get((person, c), 0) for c in mine] if mode == "full" else [],
            }
        )
    data = {
        "mode": mode,
        "nonce": random.getrandbits(32),
        "round": plan["round_id"],
        "crit": plan["criteria"],
        "jurors": jurors,
    }
    data_file = tmp / f"intake-{mode}.lua"
    data_file.write_text("return " + _lua_value(data) + "\n")
    load_before = os.getloadavg()[0]
    cpu, db_cpu, wal = procs.cpu(), _postgres_cpu(pg_dir), _wal(database_url)
    result = _wrk(url=url, data_file=data_file, seconds=seconds, connections=connections)
    cpu, db_cpu = procs.cpu() - cpu, _postgres_cpu(pg_dir) - db_cpu
    wal = {name: value - wal[name] for name, value in _wal(database_url).items()}
    if side is not None:
        side.add(result, server_cpu=cpu, db_cpu=db_cpu, load=(load_before, os.getloadavg()[0]), wal=wal)


class WaitSampler:
    """What PostgreSQL's backends wait on during the full path's phases (`--waits`): pg_stat_activity
    sampled every 20 ms in a thread of its own; the counts say where requests queue."""

    def __init__(self, database_url: str) -> None:
        import threading

        self.url, self.counts, self.stop = database_url, {}, threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        conn = await asyncpg.connect(self.url)
        try:
            while not self.stop.is_set():
                rows = await conn.fetch(
                    "select state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait, "
                    "left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as query "
                    "from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() "
                    "and state <> 'idle' and query not like '%bare\\_%'"
                )
                for r in rows:
                    key = f"{r['wait']:28} {r['query']}"
                    self.counts[key] = self.counts.get(key, 0) + 1
                await asyncio.sleep(0.02)
        finally:
            await conn.close()

    def report(self) -> None:
        total = sum(self.counts.values()) or 1
        print("PostgreSQL backends during the full path (share of samples, top 15):")
        for key, n in sorted(self.counts.items(), key=lambda kv: -kv[1])[:15]:
            print(f"  {100 * n / total:5.1f}%  {key}")


def _start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    # Logs go to a file, not a pipe: an unread pipe would fill up and stall the server mid-run.
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measured phase")
    parser.add_argument("--rounds", type=int, default=3, help="measured (full, bare) pairs of phases")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured warm-up of each side")
    parser.add_argument("--connections", type=int, default=64, help="concurrent tablets (one session each)")
    parser.add_argument("--sheets", type=int, default=4, help="candidates assigned to each juror")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes of each app (default: CPUs)",
    )
    parser.add_argument("--waits", action="store_true", help="sample PostgreSQL's wait events (full path)")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="py-spy: record the full path's server into this file (collapsed stacks)",
    )
    args = parser.parse_args()
    if not Path("/usr/bin/wrk").exists() and not any(
        (Path(p) / "wrk").exists() for p in os.environ.get("PATH", "").split(":")
    ):
        raise SystemExit("wrk is needed: apt-get install wrk")

    from jury.db.embedded import EmbeddedPostgres, ensure_database
    from jury.runtime import EMBEDDED_DATABASE

    full_port, bare_port = _free_port(), _free_port()
    full_url, bare_url = f"http://127.0.0.1:{full_port}", f"http://127.0.0.1:{bare_port}"
    with tempfile.TemporaryDirectory(prefix="jury-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pg_dir = tmp / "data" / "postgres"
        # Started here and joined by `jury serve` (same data directory); the bare app gets its URL.
        embedded = EmbeddedPostgres(pg_dir)
        servers: list[subprocess.Popen] = []
        try:
            asyncio.run(ensure_database(embedded.url("postgres"), EMBEDDED_DATABASE))
            database_url = embedded.url(EMBEDDED_DATABASE)
            env = os.environ | {
                "JURY_SIGN_IN_ATTEMPTS_PER_MINUTE": str(10 * args.connections),
                "JURY_LOG_FORMAT": "json",
                "JURY_SECRET_KEY": secrets.token_hex(32),
            }
            env.pop("DATABASE_URL", None)
            full = _start(
                [
                    sys.executable,
                    "-m",
                    "jury",
                    "serve",
                    "--data-dir",
                    str(tmp / "data"),
                    "--port",
                    str(full_port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                log=tmp / "full.log",
            )
            servers.append(full)
            asyncio.run(_wait_healthy(full_url, full))  # migrated by now
            asyncio.run(_create_bare_tables(database_url))
            bare = _start(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(HERE),
                    "bare_app:app",
                    "--port",
                    str(bare_port),
                    "--workers",
                    str(args.workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                env=env | {"DATABASE_URL": database_url},
                log=tmp / "bare.log",
            )
            servers.append(bare)
            result = _measure(
                args,
                tmp=tmp,
                pg_dir=pg_dir,
                database_url=database_url,
                full=(full, full_url),
                bare=(bare, bare_url),
            )
        except BaseException:
            for name in ("full.log", "bare.log"):
                if (tmp / name).exists():
                    print((tmp / name).read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            for server in servers:
                _stop(server)
            embedded.stop()

    f, b = result["full"], result["bare"]
    for name, r in (("full", f), ("bare", b)):
        print(
            f"{name:4} {r['rps']:8.1f} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
            f"server CPU {r['server_cpu_ms_per_request']} ms/req  PostgreSQL CPU "
            f"{r['postgres_cpu_ms_per_request']} ms/req  WAL {r['wal_bytes_per_request']} B, "
            f"{r['wal_records_per_request']} records/req  ({r['requests']} requests: {r['ok']} ok, "
            f"{r['conflict_409']} 409, {r['other_status']} other, {r['socket_errors']} socket errors)"
        )
    print(
        f"ratio full/bare: {result['ratio']} (goal ≥ 0.7); p99 full/bare: {result['p99_ratio']} (goal ≤ 1.5); "
        f"load average {result['load_average']}"
    )
    print(json.dumps(result))


async def _create_bare_tables(database_url: str) -> None:
    sys.path.insert(0, str(HERE))
    from bare_app import SCHEMA

    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(SCHEMA)
    finally:
        await conn.close()


def _measure(args, *, tmp: Path, pg_dir: Path, database_url: str, full, bare) -> dict:
    full_proc, full_url = full
    bare_proc, bare_url = bare

    async def wait_bare() -> None:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if bare_proc.poll() is not None:
                    raise SystemExit(f"the bare app exited with {bare_proc.returncode}")
                try:
                    await client.put(f"{bare_url}/bare/0/0", json={})
                    return
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
        raise SystemExit("the bare app did not start")

    asyncio.run(wait_bare())
    round_id, _edition, plan, codes = asyncio.run(
        _seed(database_url, jurors=args.connections, per_juror=args.sheets)
    )
    plan["round_id"] = round_id
    cookies = asyncio.run(_sign_in(full_url, codes))
    procs = {"full": Processes(full_proc.pid), "bare": Processes(bare_proc.pid)}
    urls = {"full": full_url, "bare": bare_url}
    sides = {"full": Side("full"), "bare": Side("bare")}
    common = {
        "plan": plan,
        "cookies": cookies,
        "tmp": tmp,
        "pg_dir": pg_dir,
        "database_url": database_url,
        "connections": args.connections,
    }
    loads = [os.getloadavg()[0]]
    for mode in ("full", "bare"):
        _phase(
            None,
            mode=mode,
            url=urls[mode],
            seconds=args.warmup,
            versions=asyncio.run(_versions(database_url)),
            procs=procs[mode],
            **common,
        )
    sampler = WaitSampler(database_url) if args.waits else None
    if sampler is not None:
        sampler.thread.start()
    profiler = None
    if args.profile:
        profiler = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--subprocesses",
                "--format",
                "raw",
                "-o",
                str(args.profile),
                "--pid",
                str(full_proc.pid),
                "--rate",
                "200",
                "--nonblocking",
                # Only the thread holding the GIL: Python's own CPU, not the waits in the socket calls
                # (a write that wakes PostgreSQL on two busy cores is often descheduled there).
                "--gil",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    print(
        f"{args.rounds} rounds of {args.seconds:.0f} s per side, {args.connections} connections, "
        f"{args.workers} worker(s) each, {os.cpu_count()} CPUs",
        flush=True,
    )
    for _ in range(args.rounds):
        for mode in ("full", "bare"):
            versions = asyncio.run(_versions(database_url)) if mode == "full" else {}
            _phase(
                sides[mode],
                mode=mode,
                url=urls[mode],
                seconds=args.seconds,
                versions=versions,
                procs=procs[mode],
                **common,
            )
    loads.append(os.getloadavg()[0])
    if profiler is not None:
        profiler.send_signal(2)
        profiler.wait(60)
    if sampler is not None:
        sampler.stop.set()
        sampler.thread.join(10)
        sampler.report()
    f, b = sides["full"].summary(), sides["bare"].summary()
    return {
        "full_rps": f["rps"],
        "bare_rps": b["rps"],
        "ratio": round(f["rps"] / b["rps"], 3) if b["rps"] else None,
        "full_p50_ms": f["p50_ms"],
        "full_p99_ms": f["p99_ms"],
        "bare_p50_ms": b["p50_ms"],
        "bare_p99_ms": b["p99_ms"],
        "p99_ratio": round(f["p99_ms"] / b["p99_ms"], 2) if f["p99_ms"] and b["p99_ms"] else None,
        "full_server_cpu_ms": f["server_cpu_ms_per_request"],
        "bare_server_cpu_ms": b["server_cpu_ms_per_request"],
        "connections": args.connections,
        "workers": args.workers,
        "seconds_per_phase": args.seconds,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "load_average": {"start": loads[0], "end": loads[1]},
        "full": f,
        "bare": b,
    }


if __name__ == "__main__":
    main()
