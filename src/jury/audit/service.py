"""Appending to and verifying the audit trail in PostgreSQL.

The hash of each new event is an HMAC under `db.audit_key` (see `jury.audit.chain`); a Database built
without a key (a bare connection in a test or a tool) appends with the public scheme of the events
recorded before the key, which a keyed verification then refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jury.audit.chain import (
    GENESIS,
    ChainEvent,
    ChainReport,
    Checkpoint,
    compare_with_head,
    digest_of,
    keyed_link_hash,
    link_hash,
    sign_checkpoint,
    verify_chain,
)
from jury.db.queries import Database


async def append_event(
    db: Database,
    *,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target: str,
    payload: Mapping[str, Any],
) -> str:
    """Append one event inside the caller's transaction and return its hash.

    A transaction-scoped advisory lock serialises appenders, so two requests never chain onto the same
    previous event; it is released at commit or rollback, with the change it records.
    """
    await db.execute("lock_audit_chain")
    prev_hash = await db.fetchval("last_audit_hash") or GENESIS
    occurred_at = db.now()
    digest = digest_of(payload)
    fields = {
        "prev_hash": prev_hash,
        "occurred_at": occurred_at,
        "actor": actor_label,
        "action": action,
        "target": target,
        "digest": digest,
    }
    key = db.audit_key
    event_hash = keyed_link_hash(key=key, **fields) if key is not None else link_hash(**fields)
    await db.execute(
        "insert_audit_event",
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        target=target,
        digest=digest,
        prev_hash=prev_hash,
        hash=event_hash,
    )
    return event_hash


async def chain_events(db: Database) -> list[ChainEvent]:
    return [ChainEvent(**dict(row)) for row in await db.fetch("list_audit_chain")]


async def verify(db: Database) -> ChainReport:
    """The whole chain checked with `db.audit_key` (its links only, past the public part, without one)."""
    keyed_after = await db.fetchval("audit_keyed_after") or 0
    return verify_chain(await chain_events(db), key=db.audit_key, keyed_after_id=keyed_after)


async def verify_against(
    db: Database, *, count: int, head_hash: str, last_event_id: int | None = None
) -> ChainReport:
    """The chain checked, then compared with a head written down earlier (a checkpoint, a procès-verbal):
    a broken link is named first; a chain that holds but is shorter, or has another event at that
    position, was truncated or rewritten since."""
    keyed_after = await db.fetchval("audit_keyed_after") or 0
    events = await chain_events(db)
    report = verify_chain(events, key=db.audit_key, keyed_after_id=keyed_after)
    if not report.ok:
        return report
    compared = compare_with_head(events, count=count, head_hash=head_hash, last_event_id=last_event_id)
    if not compared.ok:
        return compared
    return report


async def chain_head(db: Database) -> tuple[int, str]:
    """(number of events, hash of the last one): what a procès-verbal or a standing prints so that the
    chain can later be checked against it (`jury audit verify --expect-head H --expect-count N`)."""
    row = await db.fetchrow("audit_chain_head")
    assert row is not None
    return row["count"], row["head_hash"] or GENESIS


async def checkpoint(db: Database) -> Checkpoint:
    """The chain's head now, signed with the audit key, once the chain has been verified: a checkpoint
    of a broken chain would vouch for the damage."""
    if db.audit_key is None:
        raise ValueError("a checkpoint needs the audit key")
    report = await verify(db)
    if not report.ok:
        raise ChainBroken(report)
    # The head of the events just verified, not a second read that could include newer ones.
    return sign_checkpoint(
        key=db.audit_key,
        count=report.checked,
        last_event_id=report.last_id,
        head_hash=report.head_hash or GENESIS,
        created_at=db.now(),
    )


class ChainBroken(Exception):
    def __init__(self, report: ChainReport) -> None:
        super().__init__(report.reason)
        self.report = report
