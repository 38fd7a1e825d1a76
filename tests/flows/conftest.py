"""Whole flows start from the world as an operator leaves it: a migrated database with `jury demo` loaded.

The demo is loaded by the real command (`python -m jury demo`, as README says), in its own process, so
nothing in these tests reaches into the demo code or the database: after this fixture, everything goes
through HTTP, one client per person (see `browser_free_client`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from tests.conftest import create_test_database, drop_test_database, with_database
from tests.flows.browser_free_client import World
from tests.helpers import TEST_NOW

from jury.clock import fixed_clock
from jury.settings import load_settings


@pytest.fixture(scope="module")
async def demo_database(pg_admin_url: str, template_database: str) -> AsyncIterator[str]:
    """A migrated database of this module's own (one flow file, one world)."""
    name = await create_test_database(pg_admin_url, template_database)
    yield with_database(pg_admin_url, name)
    await drop_test_database(pg_admin_url, name)


@pytest.fixture(scope="module")
async def world(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    data_dir = Path(tmp_path_factory.mktemp("flow-data"))
    env = {
        **os.environ,
        "DATABASE_URL": demo_database,
        "JURY_DATA_DIR": str(data_dir),
        "JURY_LOG_FORMAT": "json",
        "JURY_LOG_LEVEL": "warning",
    }
    done = subprocess.run(
        [sys.executable, "-m", "jury", "demo"], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        pytest.fail(f"jury demo failed:\n{done.stderr[-3000:]}", pytrace=False)
    settings = load_settings(
        {},
        database_url=demo_database,
        data_dir=data_dir,
        log_format="json",
        log_level="warning",
        sign_in_attempts_per_minute=10_000,
    )
    # One render process: the machine is shared, and a flow renders a handful of PDFs.
    settings = msgspec.structs.replace(settings, render_workers=1)
    world = World(settings=settings, clock=fixed_clock(TEST_NOW))
    try:
        yield world
    finally:
        await world.aclose()
