"""Stored diploma PDFs: `storage_dir/diplomas/{code}-{digest}.pdf`, written once, atomically.

The name carries the digest of what the PDF prints, so a file is never rewritten: a corrected decision
or a new template makes a new name, and the old version is removed once the new one is recorded. A worker
that dies after writing a file but before recording it leaves a file the next attempt adopts instead of
rendering again. A reader (a winner's download, another replica sharing the volume) sees a whole PDF or
none: the bytes go to a temporary file in the same folder, then are linked under the final name.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

DIGEST_CHARS = 16  # 64 bits of the SHA-256: enough to tell versions of one diploma apart


def pdf_path(storage_dir: Path, *, code: str, digest: str) -> Path:
    return Path(storage_dir) / "diplomas" / f"{code}-{digest[:DIGEST_CHARS]}.pdf"


def _write_once(path: Path, data: bytes) -> bool:
    """False when the name already exists: same name, same content, nothing to do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # unlike a rename, never replaces an existing file
        except FileExistsError:
            return False
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)


async def write_pdf(path: Path, data: bytes) -> bool:
    """File I/O off the event loop: an fsync on a busy disk can take a while."""
    return await asyncio.to_thread(_write_once, path, data)


def _copy_out(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.replace(tmp, target)  # an export folder is the user's: a newer copy replaces the older one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def copy_out(source: Path, target: Path) -> None:
    await asyncio.to_thread(_copy_out, source, target)


def _remove_other_versions(path: Path) -> None:
    code = path.name[: -len(".pdf") - DIGEST_CHARS - 1]
    for other in path.parent.glob(f"{code}-*.pdf"):
        if other != path:
            other.unlink(missing_ok=True)


async def remove_other_versions(path: Path) -> None:
    await asyncio.to_thread(_remove_other_versions, path)
