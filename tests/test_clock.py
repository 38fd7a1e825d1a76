"""Time is an input: no rule reads the real clock behind its caller's back.

`jury.clock` is the one module allowed to read it; the entry points (app factory, CLI, worker) choose
the clock and pass it down. SQL takes `:now` from the caller's clock too, except where the database's own
time is the point (a job's heartbeat, which PgQueuer stamps with the server's time).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from tests.helpers import make_contest, make_organiser, sign_in

from jury.audit.service import append_event
from jury.clock import fixed_clock
from jury.db.queries import Queries
from jury.settings import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "src" / "jury"
CLOCK_MODULE = SOURCE / "clock.py"

REAL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}
"""Calls that read the wall clock. `time.monotonic` and `perf_counter` measure durations, not dates."""

SQL_CLOCK = re.compile(
    r"\b(now\s*\(\s*\)|(current_date|current_timestamp|localtimestamp|transaction_timestamp|"
    r"statement_timestamp|clock_timestamp)\b)",
    re.IGNORECASE,
)

SQL_CLOCK_ALLOWED = {
    "diploma_latest_job": "compares PgQueuer's heartbeat, stamped by the server, with the "
    "server's time: a worker's liveness is physical time, not a rule",
}


def real_clock_reads(source: str) -> list[int]:
    """Line numbers of wall-clock reads in a module's source."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in REAL_CLOCK_CALLS:
                lines.append(node.lineno)
    return lines


TESTS_ON_THE_REAL_CLOCK = {
    "tests/audit/test_every_action_audited.py": "drives `jury` subprocesses and an app on the real clock, "
    "and checks each event's stamp falls within the test's own run",
    "tests/retention/test_cli.py": "`jury purge` runs as a subprocess on the real clock: the edition decided "
    "today is the one whose period has not run",
}
"""Tests that read the real clock, and why: each drives processes that run on it. Any other test takes
its time from the `clock` fixture, so it never mixes a fixed instant with the real one."""


def sql_clock_reads(queries: Queries) -> list[str]:
    return [name for name in queries.names() if SQL_CLOCK.search(queries[name].sql)]


def columns_defaulting_to_now(migrations: str) -> dict[str, set[str]]:
    """`table → columns` declared `timestamptz not null default now()` in the migrations' create tables."""
    found: dict[str, set[str]] = {}
    for table in re.finditer(r"create table (\w+) \((.*?)\n\);", migrations, re.S):
        for column in re.finditer(r"^\s*(\w+) timestamptz not null default now\(\)", table.group(2), re.M):
            found.setdefault(table.group(1), set()).add(column.group(1))
    return found


def inserts_leaving_the_stamp_to_the_server(queries: Queries, stamped: dict[str, set[str]]) -> list[str]:
    """Named queries inserting into such a table without setting the column: the server's clock would
    stamp the row, not the caller's."""
    found = []
    for name in queries.names():
        for insert in re.finditer(r"insert into (\w+)\s*\(([^)]*)\)", queries[name].sql, re.I):
            listed = {column.strip() for column in insert.group(2).split(",")}
            if stamped.get(insert.group(1), set()) - listed:
                found.append(name)
    return found


def test_only_the_clock_module_reads_the_real_time():
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in sorted(SOURCE.rglob("*.py"))
        if path != CLOCK_MODULE and (lines := real_clock_reads(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_tests_read_the_real_clock_only_where_they_drive_real_processes():
    tests = PROJECT_ROOT / "tests"
    readers = {
        str(path.relative_to(PROJECT_ROOT))
        for path in tests.rglob("*.py")
        if "bench" not in path.parts and real_clock_reads(path.read_text(encoding="utf-8"))
    }
    assert readers == set(TESTS_ON_THE_REAL_CLOCK)


@pytest.mark.parametrize(
    "snippet",
    [
        "import datetime as dt\nx = dt.datetime.now(dt.UTC)",
        "from datetime import date\nx = date.today()",
        "import time\nx = time.time()",
        "import datetime\nx = datetime.datetime.utcnow()",
    ],
)
def test_the_guard_catches_a_rule_reading_the_real_time(snippet):
    assert real_clock_reads(snippet) == [2]


def test_the_guard_lets_durations_and_given_times_pass():
    assert real_clock_reads("import time\nt = time.monotonic()\nu = time.perf_counter()") == []
    assert real_clock_reads("def rule(*, now):\n    return now.date()") == []


def test_named_queries_take_now_from_the_caller(tmp_path: Path):
    queries = Queries(PROJECT_ROOT / "sql" / "queries")
    assert set(sql_clock_reads(queries)) == set(SQL_CLOCK_ALLOWED)
    (tmp_path / "bad.sql").write_text("-- name: stamp_it\nupdate t set at = now() where id = :id\n")
    assert sql_clock_reads(Queries(tmp_path)) == ["stamp_it"]


def test_rows_are_stamped_by_the_callers_clock_not_the_servers(tmp_path: Path):
    """A column defaulting to now() (a decision's time, a ballot's opening…) is still set by every insert
    from `:now`: the procès-verbal of a test run on a fixed clock once printed the real date."""
    migrations = "\n".join(p.read_text() for p in sorted((PROJECT_ROOT / "sql" / "migrations").glob("*.sql")))
    stamped = columns_defaulting_to_now(migrations)
    assert stamped["decisions"] == {"decided_at"}
    assert inserts_leaving_the_stamp_to_the_server(Queries(PROJECT_ROOT / "sql" / "queries"), stamped) == []
    (tmp_path / "bad.sql").write_text(
        "-- name: decide\ninsert into decisions (candidate_id, kind) values (:candidate_id, :kind)\n"
        "-- name: decide_at\ninsert into decisions (candidate_id, kind, decided_at) values (:c, :k, :now)\n"
    )
    assert inserts_leaving_the_stamp_to_the_server(Queries(tmp_path), stamped) == ["decide"]


async def test_a_service_stamps_what_it_records_with_the_callers_clock(db):
    """The audit trail, the retention period's start and every decision date come from this stamp."""
    pinned = dt.datetime(2031, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    db.clock = fixed_clock(pinned)
    async with db.transaction():
        await append_event(db, actor_id=None, actor_label="test", action="a.b", target="t:1", payload={})
    assert await db.conn.fetchval("select max(occurred_at) from audit_events") == pinned


async def test_the_app_runs_on_the_clock_it_was_given(client, db, clock, settings):
    """A signed-in session expires `JURY_SESSION_IDLE_MINUTES` after the app's clock, not the server's."""
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    deadlines = await db.conn.fetch("select expires_at from kv_store where namespace like '%sessions'")
    assert [r["expires_at"] for r in deadlines] == [
        clock() + dt.timedelta(minutes=settings.session_idle_minutes)
    ]
