"""Appending to and verifying the audit trail in PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jury.audit.chain import GENESIS, ChainEvent, ChainReport, digest_of, link_hash, verify_chain
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
    event_hash = link_hash(
        prev_hash=prev_hash,
        occurred_at=occurred_at,
        actor=actor_label,
        action=action,
        target=target,
        digest=digest,
    )
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


async def verify(db: Database) -> ChainReport:
    rows = await db.fetch("list_audit_chain")
    return verify_chain(ChainEvent(**dict(row)) for row in rows)
