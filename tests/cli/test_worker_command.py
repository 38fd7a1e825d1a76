"""`jury worker` outside the scale-out test (tests/durability/test_scale_out.py runs it for real)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from jury.cli import main


def test_the_worker_needs_a_shared_database() -> None:
    result = CliRunner().invoke(main, ["worker"], env={"DATABASE_URL": "", "JURY_LOG_FORMAT": "json"})
    assert result.exit_code == 2
    assert "jury worker a besoin de DATABASE_URL" in result.output


def test_the_render_processes_are_at_least_one() -> None:
    result = CliRunner().invoke(
        main, ["worker", "--render-workers", "0"], env={"DATABASE_URL": "postgresql://x/y"}
    )
    assert result.exit_code == 2
    assert "--render-workers" in result.output


def test_help_lists_the_worker() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "worker" in result.output and "procès-verbaux" in result.output


@pytest.mark.slow
def test_the_worker_stops_cleanly_on_sigterm(database_url: str, tmp_path) -> None:
    """What an orchestrator sends first: the consumer stops taking jobs and the process exits 0."""
    log = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "JURY_LOG_FORMAT": "json",
        "JURY_DATA_DIR": str(tmp_path),
    }
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "jury", "worker"], env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while "job consumer started" not in log.read_text():
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker did not start within 60 s"
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
    events = [json.loads(line)["event"] for line in log.read_text().splitlines() if line.startswith("{")]
    assert events[-2:] == ["job consumer stopped", "worker stopped"]
