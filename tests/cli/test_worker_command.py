"""`jury worker` outside the scale-out test (tests/durability/test_scale_out.py runs it for real)."""

from __future__ import annotations

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
