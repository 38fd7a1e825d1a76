"""Plain numbered SQL migrations, applied in order, each once, each in its own transaction.

Semantics follow pgmigrate: up-only files, a checksum recorded per file (an edited applied file is an
error, never silently re-run), and a session advisory lock held on one dedicated connection so that two
processes starting together apply each file exactly once. A pooled connection would not do: asyncpg's
release runs `pg_advisory_unlock_all()`.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import asyncpg
import msgspec
import structlog

log = structlog.get_logger(__name__)

LOCK_NAME = "jury:migrate"
FILE_PATTERN = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


class Migration(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    path: Path
    sql: str
    checksum: str


def discover(directory: Path) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        if not FILE_PATTERN.match(path.name):
            raise MigrationError(f"{path.name}: migration files are named NNNN_slug.sql")
        sql = path.read_text(encoding="utf-8")
        migrations.append(
            Migration(id=path.stem, path=path, sql=sql, checksum=hashlib.sha256(sql.encode()).hexdigest())
        )
    numbers = [m.id[:4] for m in migrations]
    if len(set(numbers)) != len(numbers):
        raise MigrationError("two migration files share a number")
    return migrations


async def apply_migrations(database_url: str, directory: Path) -> list[str]:
    """Apply pending migrations; return the ids applied by this call."""
    migrations = discover(directory)
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("select pg_advisory_lock(hashtext($1))", LOCK_NAME)
        try:
            done = await _apply_locked(conn, migrations)
            await _converge_job_queue(conn)
            return done
        finally:
            await conn.execute("select pg_advisory_unlock(hashtext($1))", LOCK_NAME)
    finally:
        await conn.close()


async def _apply_locked(conn: asyncpg.Connection, migrations: list[Migration]) -> list[str]:
    await conn.execute(
        """
        create table if not exists schema_migrations (
            id text primary key,
            checksum text not null,
            applied_at timestamptz not null default now(),
            execution_ms integer not null
        )
        """
    )
    # Read what is applied only now, under the lock: another process may just have finished.
    applied = {
        row["id"]: row["checksum"] for row in await conn.fetch("select id, checksum from schema_migrations")
    }
    on_disk = {m.id for m in migrations}
    missing = sorted(set(applied) - on_disk)
    if missing:
        raise MigrationError(f"applied migrations missing from disk: {', '.join(missing)}")
    done = []
    for migration in migrations:
        if migration.id in applied:
            if applied[migration.id] != migration.checksum:
                raise MigrationError(
                    f"{migration.path.name} was changed after it was applied (checksum differs); "
                    "add a new migration instead of editing an applied one"
                )
            continue
        started = time.perf_counter()
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "insert into schema_migrations (id, checksum, execution_ms) values ($1, $2, $3)",
                migration.id,
                migration.checksum,
                round((time.perf_counter() - started) * 1000),
            )
        log.info("migration applied", migration=migration.id)
        done.append(migration.id)
    return done


async def _converge_job_queue(conn: asyncpg.Connection) -> None:
    """PgQueuer's tables belong to PgQueuer: its own planner brings them to what the installed release
    declares (created on a fresh database, altered after an upgrade of the library, untouched otherwise),
    under our migration lock so that replicas starting together do it once."""
    from pgqueuer import Queries

    plan = await Queries.from_asyncpg_connection(conn).apply_upgrade()
    if plan.statements:
        log.info("job queue schema converged", statements=len(plan.statements))
