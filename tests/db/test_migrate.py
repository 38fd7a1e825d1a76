import asyncio
import shutil
from pathlib import Path

import asyncpg
import pytest
from tests.conftest import MIGRATIONS

from jury.db.migrate import MigrationError, apply_migrations


async def _applied(url: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(url)
    try:
        return [
            (r["id"], r["checksum"])
            for r in await conn.fetch("select id, checksum from schema_migrations order by id")
        ]
    finally:
        await conn.close()


async def test_empty_database_gets_every_migration_in_order(empty_database_url):
    applied = await apply_migrations(empty_database_url, MIGRATIONS)
    expected = sorted(p.stem for p in MIGRATIONS.glob("*.sql"))
    assert applied == expected
    assert [row[0] for row in await _applied(empty_database_url)] == expected
    conn = await asyncpg.connect(empty_database_url)
    try:
        assert await conn.fetchval("select count(*) from communes where department_code = '92'") == 36
    finally:
        await conn.close()


async def test_second_run_applies_nothing(empty_database_url):
    await apply_migrations(empty_database_url, MIGRATIONS)
    before = await _applied(empty_database_url)
    assert await apply_migrations(empty_database_url, MIGRATIONS) == []
    assert await _applied(empty_database_url) == before


async def test_changed_applied_file_is_an_error(empty_database_url, tmp_path: Path):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy)
    await apply_migrations(empty_database_url, copy)
    first = sorted(copy.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await apply_migrations(empty_database_url, copy)


async def test_failing_migration_leaves_nothing_behind(empty_database_url, tmp_path: Path):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy)
    (copy / "9999_broken.sql").write_text("create table half_done (id int);\nselect * from no_such_table;\n")
    with pytest.raises(asyncpg.UndefinedTableError):
        await apply_migrations(empty_database_url, copy)
    conn = await asyncpg.connect(empty_database_url)
    try:
        assert await conn.fetchval("select to_regclass('half_done')") is None
        assert await conn.fetchval("select count(*) from schema_migrations where id = '9999_broken'") == 0
    finally:
        await conn.close()


async def test_concurrent_starts_apply_each_file_exactly_once(empty_database_url):
    results = await asyncio.gather(*(apply_migrations(empty_database_url, MIGRATIONS) for _ in range(4)))
    applied_ids = [mid for result in results for mid in result]
    expected = sorted(p.stem for p in MIGRATIONS.glob("*.sql"))
    assert sorted(applied_ids) == expected  # each file applied by exactly one of the four starters
    assert [row[0] for row in await _applied(empty_database_url)] == expected


async def test_misnamed_file_is_refused(empty_database_url, tmp_path: Path):
    (tmp_path / "initial.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match=r"NNNN_slug\.sql"):
        await apply_migrations(empty_database_url, tmp_path)
