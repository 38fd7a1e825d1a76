"""Appending to and verifying the audit trail in PostgreSQL.

The hash of each new event is an HMAC under `db.audit_key` (see `jury.audit.chain`); a Database built
without a key (a bare connection in a test or a tool) appends with the public scheme of the events
recorded before the key, which a keyed verification then refuses.
"""

from __future__ import annotations

import asyncio
import weakref
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
) -> str | None:
    """Record one event inside the caller's transaction; return its hash, or None when sealed later.

    When `db.after_commit` is a list (a web request), the event is written to `audit_pending` without any
    lock and commits or rolls back with the change it records; `seal_after_commit`, left in that list,
    seals it into the chain right after the commit. Otherwise (CLI, jobs, tests) it is chained at once: a
    transaction-scoped advisory lock serialises appenders, so two never chain onto the same previous event,
    and is released at commit or rollback, with the change it records.
    """
    occurred_at = db.now()
    digest = digest_of(payload)
    if db.after_commit is not None:
        await db.execute(
            "insert_audit_pending",
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            target=target,
            digest=digest,
        )
        if seal_after_commit not in db.after_commit:
            db.after_commit.append(seal_after_commit)
        return None
    await seal_pending(db)  # takes the chain's lock; events committed before this one come first
    prev_hash = await db.fetchval("last_audit_hash") or GENESIS
    event_hash = _link(
        db,
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


def event_columns(
    db: Database, *, actor_id: int | None, actor_label: str, action: str, payload: Mapping[str, Any]
) -> dict[str, Any]:
    """The columns of an event that the caller's own statement records into `audit_pending` (the named
    query's `:actor_id`, `:actor_label`, `:action`, `:digest`; the target and time are the statement's),
    so a write and its event cost one round trip. Call `event_recorded` once the statement ran."""
    return {"actor_id": actor_id, "actor_label": actor_label, "action": action, "digest": digest_of(payload)}


async def event_recorded(db: Database) -> None:
    """After a statement recorded an event into `audit_pending` (see `event_columns`): in a web request it
    is sealed right after the commit, as `append_event`'s are; elsewhere (CLI, jobs, tests) it is chained
    at once, under the chain's lock held until the caller's transaction ends (or a transaction of its own
    when the statement was its own)."""
    if db.after_commit is not None:
        if seal_after_commit not in db.after_commit:
            db.after_commit.append(seal_after_commit)
        return
    if db.conn.is_in_transaction():
        await seal_pending(db)
        return
    async with db.transaction():  # the event's statement was its own transaction: the lock needs one
        await seal_pending(db)


def _link(
    db: Database, *, prev_hash: str, occurred_at: Any, actor: str, action: str, target: str, digest: str
) -> str:
    fields = {
        "prev_hash": prev_hash,
        "occurred_at": occurred_at,
        "actor": actor,
        "action": action,
        "target": target,
        "digest": digest,
    }
    key = db.audit_key
    return keyed_link_hash(key=key, **fields) if key is not None else link_hash(**fields)


async def seal_pending(db: Database, *, own_transaction: bool = False) -> int:
    """Move every committed pending event (and this transaction's own) into the chain, in the order they
    were recorded; return how many. Holds the chain's lock until the caller's transaction ends.

    `own_transaction`: the transaction does nothing but this seal, and its commit need not wait for the
    WAL to reach the disk. Nothing is lost by it: a seal lost in a crash never happened (its events are
    pending again, and sealed again into the same hashes), and any later commit that waits for the disk
    (the next sheet's) makes this one durable first, the WAL being written in order."""
    await db.execute("lock_audit_chain_for_seal" if own_transaction else "lock_audit_chain")
    rows = await db.fetch("take_audit_pending")
    if not rows:
        return 0
    prev = rows[0]["last_hash"] or GENESIS
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "occurred_at",
            "actor_id",
            "actor_label",
            "action",
            "target",
            "digest",
            "prev_hash",
            "hash",
        )
    }
    for row in rows:
        event_hash = _link(
            db,
            prev_hash=prev,
            occurred_at=row["occurred_at"],
            actor=row["actor_label"],
            action=row["action"],
            target=row["target"],
            digest=row["digest"],
        )
        for name in ("occurred_at", "actor_id", "actor_label", "action", "target", "digest"):
            columns[name].append(row[name])
        columns["prev_hash"].append(prev)
        columns["hash"].append(event_hash)
        prev = event_hash
    await db.execute("insert_sealed_audit_events", **columns)
    return len(rows)


async def seal_after_commit(db: Database) -> None:
    """A request's events, committed with its change, sealed into the chain before the answer leaves.

    No lock is held across a request's own work: the seal is a short transaction of its own, and the
    requests of one process that commit together share one (`_SealGroup`), so they do not queue on the
    chain's lock one by one; processes take turns on that lock.
    """
    group = _groups.get(asyncio.get_running_loop())
    if group is None:
        group = _groups[asyncio.get_running_loop()] = _SealGroup()
    await group.seal(db)


async def _seal_now(db: Database) -> None:
    """One seal in a transaction of its own: on a connection taken from `db.pool` when there is one (the
    request's own went back to the pool at its commit), else on `db`'s."""
    if db.pool is None:
        alone = not db.conn.is_in_transaction()  # else a savepoint in a caller's transaction
        async with db.transaction():
            await seal_pending(db, own_transaction=alone)
        return
    async with db.pool.acquire() as conn:
        sealer = Database(conn, db.q, clock=db.clock, audit_key=db.audit_key)
        async with conn.transaction():
            await seal_pending(sealer, own_transaction=True)


GATHER_SECONDS = 0.025
"""How long a seal that had to wait for another one waits more before it starts, under load."""


class _SealGroup:
    """Group commit for seals, per event loop: at most one seal running and one waiting to start.

    A request arriving while a seal runs cannot rely on it (it may have read the pending events before
    this request committed), so it joins the next one, which starts as soon as the running one ends and
    covers every event committed before it starts. If the seal a request joined fails, the request seals
    by itself, so one failure does not fail every request that shared it.
    """

    def __init__(self) -> None:
        self.running: asyncio.Future[None] | None = None
        self.waiting: asyncio.Future[None] | None = None

    async def seal(self, db: Database) -> None:
        if self.waiting is not None:
            if not await _joined(self.waiting):
                await _seal_now(db)
            return
        mine = self.waiting = asyncio.get_running_loop().create_future()
        if self.running is not None:
            while self.running is not None:
                await _joined(self.running)
            # Seals are running back to back: the service is busy. Let the requests committing in the next
            # moments join this seal too, so that a seal's five round trips and its commit are shared by
            # more sheets (issue 18). A request alone never waits here: nothing was running.
            await asyncio.sleep(GATHER_SECONDS)
        self.waiting, self.running = None, mine
        try:
            await _seal_now(db)
        except asyncio.CancelledError:
            mine.cancel()
            raise
        except Exception as exc:
            mine.set_exception(exc)
            mine.exception()  # retrieved: a seal nobody joined must not warn at garbage collection
            raise
        else:
            mine.set_result(None)
        finally:
            self.running = None


async def _joined(seal: asyncio.Future[None]) -> bool:
    """Wait for another request's seal; False if it failed or was cancelled (this request's own
    cancellation still propagates)."""
    try:
        await asyncio.shield(seal)
    except asyncio.CancelledError:
        if not seal.cancelled():
            raise
        return False
    except Exception:
        return False
    return True


_groups: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _SealGroup] = weakref.WeakKeyDictionary()


async def chain_events(db: Database) -> list[ChainEvent]:
    return [ChainEvent(**dict(row)) for row in await db.fetch("list_audit_chain")]


async def _seal_if_keyed(db: Database) -> None:
    """Pending events sealed before the chain is read, only with the key: without it they would get the
    public hash, which a keyed verification refuses."""
    if db.audit_key is not None:
        await seal_pending(db)


async def verify(db: Database) -> ChainReport:
    """The whole chain checked with `db.audit_key` (its links only, past the public part, without one)."""
    await _seal_if_keyed(db)
    keyed_after = await db.fetchval("audit_keyed_after") or 0
    return verify_chain(await chain_events(db), key=db.audit_key, keyed_after_id=keyed_after)


async def verify_against(
    db: Database, *, count: int, head_hash: str, last_event_id: int | None = None
) -> ChainReport:
    """The chain checked, then compared with a head written down earlier (a checkpoint, a procès-verbal):
    a broken link is named first; a chain that holds but is shorter, or has another event at that
    position, was truncated or rewritten since."""
    await _seal_if_keyed(db)
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
    chain can later be checked against it (`jury audit verify --expect-head H --expect-count N`). Pending
    events, this transaction's own included, are sealed first: the head covers everything recorded."""
    await seal_pending(db)
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
