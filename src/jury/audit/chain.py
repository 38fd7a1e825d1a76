"""The audit hash chain, as pure functions.

Each event's hash covers its own fields and the previous event's hash, so changing or deleting any row
breaks every later link. The chain hashes a digest of the change, never the personal data itself, so the
data can be purged later while the chain stays verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

GENESIS = "0" * 64


def digest_of(payload: Mapping[str, Any]) -> str:
    """A stable digest of a change: canonical JSON (sorted keys, no spaces) hashed with SHA-256."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def link_hash(
    *, prev_hash: str, occurred_at: dt.datetime, actor: str, action: str, target: str, digest: str
) -> str:
    fields = [prev_hash, occurred_at.astimezone(dt.UTC).isoformat(), actor, action, target, digest]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


class ChainEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    occurred_at: dt.datetime
    actor_label: str
    action: str
    target: str
    digest: str
    prev_hash: str
    hash: str


class ChainReport(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def verify_chain(events: Iterable[ChainEvent]) -> ChainReport:
    """Walk the events in id order; name the first one whose link does not hold."""
    expected_prev = GENESIS
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason="le maillon précédent manque ou a été modifié",
            )
        recomputed = link_hash(
            prev_hash=event.prev_hash,
            occurred_at=event.occurred_at,
            actor=event.actor_label,
            action=event.action,
            target=event.target,
            digest=event.digest,
        )
        if recomputed != event.hash:
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason="le contenu de l'événement a été modifié",
            )
        expected_prev = event.hash
        checked += 1
    return ChainReport(ok=True, checked=checked)
