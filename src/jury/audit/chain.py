"""The audit hash chain and its checkpoints, as pure functions.

Each event's hash covers its own fields and the previous event's hash, so changing or deleting any row
breaks every later link. The chain hashes a digest of the change, never the personal data itself, so the
data can be purged later while the chain stays verifiable.

Two schemes, told apart by position: the events up to `keyed_after_id` (those that existed when migration
0014 ran) were hashed with plain SHA-256, which anyone can recompute; every later event is an HMAC-SHA256
under the audit key, kept outside the database. Someone who can write to the database but does not hold
the key can no longer rewrite history and recompute the later links: the first event they touch fails.

What the chain alone cannot show is a deleted tail: the remaining events still link. A checkpoint (the
count, the last event's id and the head hash, signed with the key) or a head written down elsewhere (a
procès-verbal) pins the chain: `compare_with_head` finds the events missing or rewritten since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

GENESIS = "0" * 64
CHECKPOINT_FORMAT = "jury-audit-checkpoint/1"


def digest_of(payload: Mapping[str, Any]) -> str:
    """A stable digest of a change: canonical JSON (sorted keys, no spaces) hashed with SHA-256."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _link_text(
    *, prev_hash: str, occurred_at: dt.datetime, actor: str, action: str, target: str, digest: str
) -> bytes:
    fields = [prev_hash, occurred_at.astimezone(dt.UTC).isoformat(), actor, action, target, digest]
    return "\x1f".join(fields).encode()


def link_hash(
    *, prev_hash: str, occurred_at: dt.datetime, actor: str, action: str, target: str, digest: str
) -> str:
    """The public scheme of the events recorded before the audit key (plain SHA-256)."""
    text = _link_text(
        prev_hash=prev_hash, occurred_at=occurred_at, actor=actor, action=action, target=target, digest=digest
    )
    return hashlib.sha256(text).hexdigest()


def keyed_link_hash(
    *,
    key: bytes,
    prev_hash: str,
    occurred_at: dt.datetime,
    actor: str,
    action: str,
    target: str,
    digest: str,
) -> str:
    """The keyed scheme: HMAC-SHA256 of the same fields under the audit key."""
    text = _link_text(
        prev_hash=prev_hash, occurred_at=occurred_at, actor=actor, action=action, target=target, digest=digest
    )
    return hmac.new(key, text, hashlib.sha256).hexdigest()


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
    unauthenticated: int = 0
    """Keyed events whose links were followed but whose hashes could not be checked (no key given)."""
    head_hash: str | None = None
    last_id: int | None = None
    truncated: bool = False


def _expected_hash(event: ChainEvent, *, key: bytes) -> str:
    return keyed_link_hash(
        key=key,
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor=event.actor_label,
        action=event.action,
        target=event.target,
        digest=event.digest,
    )


def _public_hash(event: ChainEvent) -> str:
    return link_hash(
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor=event.actor_label,
        action=event.action,
        target=event.target,
        digest=event.digest,
    )


EDITED = "le contenu de l'événement a été modifié"
MISSING_LINK = "le maillon précédent manque ou a été modifié"
REHASHED = "maillon recalculé sans la clé d'audit (historique réécrit)"


def verify_chain(
    events: Iterable[ChainEvent], *, key: bytes | None = None, keyed_after_id: int = 0
) -> ChainReport:
    """Walk the events in id order; name the first one whose link does not hold.

    Events with an id up to `keyed_after_id` must carry the public hash; every later one the keyed hash.
    Without `key`, a later event is accepted on its link alone when its hash is not the public one, and
    counted in `unauthenticated`: the report then proves order and continuity, not authenticity.
    """
    expected_prev = GENESIS
    checked = unauthenticated = 0
    last_id: int | None = None
    for event in events:
        broken = _broken(event, expected_prev=expected_prev, key=key, keyed_after_id=keyed_after_id)
        if broken == "unauthenticated":
            unauthenticated += 1
        elif broken:
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason=broken,
                unauthenticated=unauthenticated,
            )
        expected_prev = event.hash
        last_id = event.id
        checked += 1
    return ChainReport(
        ok=True,
        checked=checked,
        unauthenticated=unauthenticated,
        head_hash=expected_prev if checked else None,
        last_id=last_id,
    )


def _broken(event: ChainEvent, *, expected_prev: str, key: bytes | None, keyed_after_id: int) -> str:
    if event.prev_hash != expected_prev:
        return MISSING_LINK
    public = _public_hash(event) == event.hash
    if event.id <= keyed_after_id:
        return "" if public else EDITED
    if key is None:
        # Without the key a public hash can be checked but a keyed one cannot: the link must do.
        return "" if public else "unauthenticated"
    if _expected_hash(event, key=key) == event.hash:
        return ""
    return REHASHED if public else EDITED


# --- The published head ------------------------------------------------------------------------------


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True):
    """The chain's head at one moment, signed with the audit key: kept outside the database, it later
    shows whether events were deleted from the end or history rewritten since."""

    format: str = CHECKPOINT_FORMAT
    count: int
    last_event_id: int | None
    head_hash: str
    created_at: dt.datetime
    signature: str = ""


def _signed_text(checkpoint: Checkpoint) -> bytes:
    fields = {
        "format": checkpoint.format,
        "count": checkpoint.count,
        "last_event_id": checkpoint.last_event_id,
        "head_hash": checkpoint.head_hash,
        "created_at": checkpoint.created_at.astimezone(dt.UTC).isoformat(),
    }
    # A prefix of its own, so a checkpoint's signature can never be mistaken for an event's link.
    return b"checkpoint\x1f" + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign_checkpoint(
    *, key: bytes, count: int, last_event_id: int | None, head_hash: str, created_at: dt.datetime
) -> Checkpoint:
    unsigned = Checkpoint(
        count=count, last_event_id=last_event_id, head_hash=head_hash, created_at=created_at
    )
    signature = hmac.new(key, _signed_text(unsigned), hashlib.sha256).hexdigest()
    return msgspec.structs.replace(unsigned, signature=signature)


class CheckpointRefused(ValueError):
    """A checkpoint file that is unreadable or whose signature does not hold (French message)."""


def encode_checkpoint(checkpoint: Checkpoint) -> bytes:
    return msgspec.json.format(msgspec.json.encode(checkpoint), indent=2) + b"\n"


def decode_checkpoint(data: bytes, *, key: bytes) -> Checkpoint:
    """The checkpoint in `data`, refused unless well formed and signed with `key`."""
    try:
        checkpoint = msgspec.json.decode(data, type=Checkpoint)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise CheckpointRefused(f"Point de contrôle illisible : {exc}") from None
    if checkpoint.format != CHECKPOINT_FORMAT:
        raise CheckpointRefused(f"Point de contrôle d'un format inconnu : {checkpoint.format}")
    expected = hmac.new(key, _signed_text(checkpoint), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, checkpoint.signature):
        raise CheckpointRefused(
            "Point de contrôle refusé : sa signature ne correspond pas (fichier modifié, ou autre clé d'audit)."
        )
    return checkpoint


def compare_with_head(
    events: Sequence[ChainEvent], *, count: int, head_hash: str, last_event_id: int | None = None
) -> ChainReport:
    """Does the chain still hold, at position `count`, the head written down earlier?

    Fewer events than `count` is a deleted tail: the report names the last event left and how many are
    missing. A different event or hash at that position is rewritten history.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if len(events) < count:
        last = events[-1].id if events else None
        after = f"après l'événement n° {last}" if last is not None else "dès le premier événement"
        expected_last = f" (dernier attendu : n° {last_event_id})" if last_event_id is not None else ""
        return ChainReport(
            ok=False,
            checked=len(events),
            truncated=True,
            reason=(
                f"chaîne tronquée {after} : {count - len(events)} événement(s) manquent sur les {count} "
                f"attestés{expected_last}"
            ),
        )
    if count == 0:
        return ChainReport(ok=True, checked=0)
    at = events[count - 1]
    if at.hash != head_hash or (last_event_id is not None and at.id != last_event_id):
        return ChainReport(
            ok=False,
            checked=count - 1,
            first_broken_id=at.id,
            reason=(
                f"l'événement en position {count} n'est pas celui attesté "
                f"(historique réécrit : maillon {at.hash[:16]}…, attendu {head_hash[:16]}…)"
            ),
        )
    return ChainReport(ok=True, checked=count, head_hash=at.hash, last_id=at.id)
