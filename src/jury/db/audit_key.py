"""The audit key: the secret that makes the audit chain's hashes HMACs, kept outside the database.

`JURY_AUDIT_KEY` when set (replicas sharing a database must share it); otherwise the file `audit.key` in
the data directory, created on first use with 0600 permissions. Whoever can write to the database but
cannot read this key cannot rewrite the audit trail without `jury audit verify` noticing.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import structlog

from jury.settings import Settings

log = structlog.get_logger(__name__)

KEY_FILE = "audit.key"


class AuditKeyMissing(LookupError):
    pass


def audit_key_path(settings: Settings) -> Path:
    return settings.data_dir / KEY_FILE


def load_audit_key(settings: Settings, *, create: bool = True) -> bytes | None:
    """The key's bytes; with `create`, a new random key file when there is none (None otherwise)."""
    if settings.audit_key:
        return settings.audit_key.encode()
    path = audit_key_path(settings)
    if not path.exists():
        if not create:
            return None
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("audit key readable by others", path=str(path), mode=oct(mode))
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise AuditKeyMissing(f"{path} est vide : restaurez la clé d'audit ou définissez JURY_AUDIT_KEY.")
    return key.encode()


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together keep the first key, never one each.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")
    log.info("audit key created", path=str(path))
