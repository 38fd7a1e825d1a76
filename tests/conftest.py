"""Test harness: one real PostgreSQL per test session, one fresh database per test.

The server is the embedded one (or the one named by DATABASE_URL). Migrations run once into a template
database; each test gets `CREATE DATABASE … TEMPLATE`, so tests commit for real and stay isolated.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from tests.helpers import TEST_AUDIT_KEY, TEST_NOW

from jury.app import create_app
from jury.clock import Clock, fixed_clock
from jury.db.migrate import apply_migrations
from jury.db.pool import create_pool
from jury.db.queries import Database, Queries
from jury.settings import PROJECT_ROOT, Settings, load_settings

MIGRATIONS = PROJECT_ROOT / "sql" / "migrations"


INFRASTRUCTURE_FIXTURES = {"pg_admin_url", "empty_database_url", "database_url", "template_database"}
"""Every fixture that reaches PostgreSQL depends on one of these."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark pure tests `unit`, so that `pytest -m unit` is a feedback loop of seconds.

    Derived from what a test uses rather than written by hand, so the mark cannot drift: a test is pure
    when none of its fixtures reaches PostgreSQL and it is not marked `slow` (servers, processes) or
    `pdf` (WeasyPrint).
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        heavy = item.get_closest_marker("slow") or item.get_closest_marker("pdf")
        if not fixtures & INFRASTRUCTURE_FIXTURES and not heavy:
            item.add_marker(pytest.mark.unit)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _migrations_hash() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(version("pgqueuer").encode())  # the migrator also converges PgQueuer's tables
    for path in sorted(MIGRATIONS.glob("*.sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    external = os.environ.get("JURY_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    from jury.db.embedded import EmbeddedPostgres

    # Not under pytest's basetemp: pytest prunes old basetemps, which would pull the data directory from
    # under a concurrently running session's server.
    root = Path(tempfile.mkdtemp(prefix="jury-test-pg-"))
    server = EmbeddedPostgres(root / "data")

    async def tune() -> None:
        conn = await asyncpg.connect(server.url("postgres"))
        try:
            # Durability is pointless for throwaway test data; this halves the suite's time.
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                await conn.execute(f"alter system set {setting} = off")
            await conn.execute("select pg_reload_conf()")
        finally:
            await conn.close()

    asyncio.run(tune())
    try:
        yield server.url("postgres")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
async def template_database(pg_admin_url: str) -> str:
    name = f"jury_tpl_{_migrations_hash()}"
    conn = await asyncpg.connect(pg_admin_url)
    try:
        await conn.execute(f'drop database if exists "{name}" with (force)')
        await conn.execute(f'create database "{name}"')
    finally:
        await conn.close()
    await apply_migrations(with_database(pg_admin_url, name), MIGRATIONS)
    return name


async def create_test_database(admin_url: str, template: str | None) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(admin_url)
    try:
        suffix = f' template "{template}" strategy file_copy' if template else ""
        await conn.execute(f'create database "{name}"{suffix}')
    finally:
        await conn.close()
    return name


async def drop_test_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'drop database if exists "{name}" with (force)')
    finally:
        await conn.close()


@pytest.fixture
async def empty_database_url(pg_admin_url: str) -> AsyncIterator[str]:
    """A database with nothing in it, for tests of the migrator itself."""
    name = await create_test_database(pg_admin_url, None)
    yield with_database(pg_admin_url, name)
    await drop_test_database(pg_admin_url, name)


@pytest.fixture
async def database_url(pg_admin_url: str, template_database: str) -> AsyncIterator[str]:
    """A migrated database of this test's own."""
    name = await create_test_database(pg_admin_url, template_database)
    yield with_database(pg_admin_url, name)
    await drop_test_database(pg_admin_url, name)


@pytest.fixture
def clock() -> Clock:
    """The time every test's services and app see: fixed, so that no rule mixes it with the real one.
    A test that needs another instant overrides this fixture."""
    return fixed_clock(TEST_NOW)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        {},
        database_url=database_url,
        data_dir=tmp_path / "data",
        log_format="json",
        audit_key=TEST_AUDIT_KEY,
    )


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url or "", min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
async def db(pool: asyncpg.Pool, settings: Settings, clock: Clock) -> AsyncIterator[Database]:
    async with pool.acquire() as conn:
        yield Database(
            conn, Queries(settings.queries_dir), clock=clock, audit_key=settings.audit_key.encode()
        )


@pytest.fixture
async def client(settings: Settings, clock: Clock) -> AsyncIterator[AsyncTestClient]:
    """The app under test with its own pool: Litestar's test client runs it in a portal thread and loop."""
    async with AsyncTestClient(app=create_app(settings, clock=clock)) as client:
        yield client
