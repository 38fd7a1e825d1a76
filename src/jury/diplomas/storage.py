"""Stored diploma PDFs: `storage_dir/diplomas/{code}.pdf`, written atomically.

A reader (a winner's download, another replica sharing the volume) sees the old file or the new one,
never half a PDF: the bytes go to a temporary file in the same folder, then replace the name.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path


def pdf_path(storage_dir: Path, code: str) -> Path:
    return Path(storage_dir) / "diplomas" / f"{code}.pdf"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def write_pdf(path: Path, data: bytes) -> None:
    """File I/O off the event loop: an fsync on a busy disk can take a while."""
    await asyncio.to_thread(_write_atomic, path, data)


async def read_pdf(path: Path) -> bytes:
    return await asyncio.to_thread(Path(path).read_bytes)
