"""Clean stops of the embedded PostgreSQL (issue 19): a real `jury serve` on a data directory of its own.

SIGTERM (what systemd, Docker and Kubernetes send) and SIGINT stop the server it started, and « stopped »
is logged after « embedded postgres stopped »; after kill -9 the orphan is taken over by the next start
through `postmaster.pid`, and stopped by it in turn. One-shot commands stop what they start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from tests.helpers import TEST_AUDIT_KEY, free_port

pytestmark = pytest.mark.slow


def postgres_of(pgdata: Path) -> list[psutil.Process]:
    """The PostgreSQL processes serving `pgdata` (the postmaster names it on its command line)."""
    found = []
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and str(pgdata) in " ".join(cmdline):
            found.append(proc)
    return found


@pytest.fixture
def data_dir():
    # Short path: the server's Unix socket lives in the data directory and socket paths are short.
    root = Path(tempfile.mkdtemp(prefix="jury-stop-"))
    yield root
    for proc in postgres_of(root / "postgres"):  # never leave a server behind a failed test
        proc.kill()
    import shutil

    shutil.rmtree(root, ignore_errors=True)


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JURY_TEST_DATABASE_URL"}}
    return env | {
        "JURY_DATA_DIR": str(data_dir),
        "JURY_LOG_FORMAT": "json",
        "JURY_AUDIT_KEY": TEST_AUDIT_KEY,
        "JURY_IN_PROCESS_JOBS": "false",
    }


def start_serve(data_dir: Path, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jury", "serve", "--port", str(free_port())],
            env=env_for(data_dir),
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + 120
    while '"serving"' not in log.read_text() or "Application startup complete" not in log.read_text():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "jury serve did not start within 120 s"
        time.sleep(0.2)
    return proc


def events(log: Path) -> list[str]:
    return [json.loads(line)["event"] for line in log.read_text().splitlines() if line.startswith("{")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_serve_and_its_embedded_postgres(data_dir: Path, tmp_path: Path, signum) -> None:
    log = tmp_path / "serve.log"
    serve = start_serve(data_dir, log)
    try:
        assert postgres_of(data_dir / "postgres"), "the embedded server should be running"
        serve.send_signal(signum)
        assert serve.wait(timeout=60) == 0, log.read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
    assert postgres_of(data_dir / "postgres") == []
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    seen = events(log)
    assert seen[-2:] == ["embedded postgres stopped", "stopped"], seen


def test_after_kill_9_the_next_start_takes_the_orphan_over_and_stops_it(
    data_dir: Path, tmp_path: Path
) -> None:
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_serve(data_dir, first_log)
    first.kill()
    first.wait(timeout=30)
    orphans = postgres_of(data_dir / "postgres")
    assert orphans, "kill -9 leaves the server running: the orphan of the issue"
    orphan_pid = int((data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0])

    second = start_serve(data_dir, second_log)
    try:
        assert "embedded postgres orphan taken over" in events(second_log)
        taken = next(
            json.loads(line)
            for line in second_log.read_text().splitlines()
            if '"embedded postgres orphan taken over"' in line
        )
        assert taken["postgres_pid"] == orphan_pid
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0, second_log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
    assert postgres_of(data_dir / "postgres") == []
    assert events(second_log)[-2:] == ["embedded postgres stopped", "stopped"]


def test_a_one_shot_command_stops_the_server_it_started(data_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jury", "migrate"],
        env=env_for(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    verify = subprocess.run(
        [sys.executable, "-m", "jury", "audit", "verify"],
        env=env_for(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert verify.returncode == 0, verify.stderr
    assert postgres_of(data_dir / "postgres") == []
    logged = [json.loads(line)["event"] for line in verify.stdout.splitlines() if line.startswith("{")]
    logged += [json.loads(line)["event"] for line in verify.stderr.splitlines() if line.startswith("{")]
    assert logged.count("embedded postgres stopped") == 1, logged


def test_a_one_shot_beside_serve_leaves_the_server_to_serve(data_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    serve = start_serve(data_dir, log)
    try:
        verify = subprocess.run(
            [sys.executable, "-m", "jury", "audit", "verify"],
            env=env_for(data_dir),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert verify.returncode == 0, verify.stderr
        assert "embedded postgres left running" in verify.stdout + verify.stderr
        assert "embedded postgres stopped" not in verify.stdout + verify.stderr
        assert postgres_of(data_dir / "postgres")
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0, log.read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
    assert postgres_of(data_dir / "postgres") == []
