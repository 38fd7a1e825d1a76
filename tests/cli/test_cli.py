import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.helpers import free_port

from jury.cli import main

JURY = [sys.executable, "-m", "jury"]


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "demo"):
        assert command in result.output


def test_migrate_applies_to_database_url_then_nothing(empty_database_url):
    env = {**os.environ, "DATABASE_URL": empty_database_url, "JURY_LOG_FORMAT": "json"}
    first = subprocess.run([*JURY, "migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "0001_initial" in first.stdout
    second = subprocess.run([*JURY, "migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0
    assert second.stdout.strip() == "0 migration(s) appliquée(s)."


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "server exited"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not become healthy")


def _postgres_running(data_dir: Path) -> bool:
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_serve_on_embedded_postgres_stops_cleanly_and_reuses_its_data(tmp_path: Path):
    data_dir = tmp_path / "jury-data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JURY_DATA_DIR"}}
    env["JURY_LOG_FORMAT"] = "json"
    cmd = [*JURY, "serve", "--data-dir", str(data_dir), "--port", str(port)]
    url = f"http://127.0.0.1:{port}"

    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_healthy(url, first)
        assert _postgres_running(data_dir)
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=30)
    assert first.returncode == 0
    assert not _postgres_running(data_dir)

    second = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_healthy(url, second)
    finally:
        second.send_signal(signal.SIGINT)
        _, err = second.communicate(timeout=30)
    assert second.returncode == 0
    assert "migration applied" not in err  # the data directory was reused, nothing re-applied
    assert (data_dir / "postgres" / "PG_VERSION").exists()
