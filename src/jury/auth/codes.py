"""Jurors' access codes: short, typeable on a tablet, unambiguous when read aloud, stored only hashed."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L, U: a juror reading a printed card should not hesitate.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
LENGTH = 8


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(typed: str) -> str | None:
    """What the juror typed, made canonical; None when it cannot be a code at all (saves a lookup)."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:]}"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
