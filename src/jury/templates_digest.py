"""One fingerprint for a folder of templates (and the fonts, logos and stylesheets beside them).

Stored PDFs — diplomas on disk, procès-verbaux in PostgreSQL — are kept under the digest of what they were
rendered from; a new logo, font or wording must change that digest, or the old PDF would be served again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path


def templates_digest(templates_dir: Path) -> str:
    """SHA-256 of every file under `templates_dir` (names and bytes). Cached on the files' paths, sizes
    and mtimes, so a request pays a directory walk, and the files are read again only when one changed."""
    files = sorted(p for p in Path(templates_dir).rglob("*") if p.is_file())
    stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _digest_files(stamp)


@lru_cache(maxsize=8)
def _digest_files(stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in stamp:
        path = Path(name)
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
