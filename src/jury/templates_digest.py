"""One fingerprint for a folder of templates (and the fonts, logos and stylesheets beside them).

Stored PDFs — diplomas on disk, procès-verbaux in PostgreSQL — are kept under the digest of what they were
rendered from; a new logo, font or wording must change that digest, or the old PDF would be served again.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


def templates_digest(templates_dir: Path) -> str:
    """SHA-256 of every file under `templates_dir` (names and bytes). Cached on the files' paths, sizes
    and mtimes, so a request pays a directory walk, and the files are read again only when one changed.
    The walk is `os.scandir` with one stat per file: `Path.rglob` with two was a sixth of a stored
    diploma's download (tests/bench/diplomas.py)."""
    stamp = []
    folders = [os.fspath(templates_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=True):
                    folders.append(entry.path)
                elif entry.is_file():
                    stat = entry.stat()
                    stamp.append((entry.path, stat.st_size, stat.st_mtime_ns))
    stamp.sort(key=lambda item: item[0].split(os.sep))  # the order of the paths' parts, as Path sorts
    return _digest_files(tuple(stamp))


@lru_cache(maxsize=8)
def _digest_files(stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in stamp:
        path = Path(name)
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
