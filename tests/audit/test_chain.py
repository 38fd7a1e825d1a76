"""The audit chain: pure rules (keyed links, the public part before the key, heads and checkpoints), then
in the database."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from jury.audit.chain import (
    EDITED,
    GENESIS,
    MISSING_LINK,
    REHASHED,
    ChainEvent,
    CheckpointRefused,
    compare_with_head,
    decode_checkpoint,
    encode_checkpoint,
    keyed_link_hash,
    link_hash,
    sign_checkpoint,
    verify_chain,
)
from jury.audit.service import append_event, verify


async def test_appended_events_form_a_verifiable_chain(db):
    async with db.transaction():
        first = await append_event(
            db, actor_id=None, actor_label="système", action="import", target="edition:1", payload={"rows": 3}
        )
        second = await append_event(
            db, actor_id=None, actor_label="système", action="import", target="edition:1", payload={"rows": 4}
        )
    assert first != second
    report = await verify(db)
    assert report.ok and report.checked == 2
    rows = await db.conn.fetch("select prev_hash, hash from audit_events order by id")
    assert rows[1]["prev_hash"] == rows[0]["hash"] == first


async def test_modified_or_deleted_event_is_detected(db):
    async with db.transaction():
        for n in range(4):
            await append_event(
                db, actor_id=None, actor_label="système", action="a", target=f"t:{n}", payload={"n": n}
            )
    ids = [r["id"] for r in await db.conn.fetch("select id from audit_events order by id")]
    await db.conn.execute("alter table audit_events disable trigger audit_events_no_update")
    await db.conn.execute("update audit_events set target = 't:99' where id = $1", ids[1])
    report = await verify(db)
    assert (report.ok, report.first_broken_id) == (False, ids[1])
    await db.conn.execute("update audit_events set target = 't:1' where id = $1", ids[1])
    await db.conn.execute("delete from audit_events where id = $1", ids[2])
    report = await verify(db)
    assert (report.ok, report.first_broken_id) == (False, ids[3])


async def test_audit_rows_cannot_be_updated_through_normal_sql(db):
    async with db.transaction():
        await append_event(db, actor_id=None, actor_label="x", action="a", target="t", payload={})
    import asyncpg
    import pytest

    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        await db.conn.execute("delete from audit_events")


# --- The keyed chain and its checkpoints, as pure functions -----------------------------------------------

KEY = b"une-cle-d-audit-de-test-assez-longue-pour-hmac"
T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def build(n: int, *, key: bytes | None = KEY, public_up_to: int = 0, start: int = 1) -> list[ChainEvent]:
    """`n` events from id `start`, the first ones (id <= public_up_to) with the public hash."""
    events, prev = [], GENESIS
    for i in range(start, start + n):
        fields = dict(
            prev_hash=prev,
            occurred_at=T0 + dt.timedelta(minutes=i),
            actor="système",
            action="test",
            target=f"t:{i}",
            digest=f"{i:064x}",
        )
        use_key = key is not None and i > public_up_to
        h = keyed_link_hash(key=key, **fields) if use_key else link_hash(**fields)
        events.append(
            ChainEvent(
                id=i,
                occurred_at=fields["occurred_at"],
                actor_label="système",
                action="test",
                target=f"t:{i}",
                digest=fields["digest"],
                prev_hash=prev,
                hash=h,
            )
        )
        prev = h
    return events


def rehash_from(events: list[ChainEvent], index: int, *, key: bytes | None) -> list[ChainEvent]:
    """What a forger does after editing event `index`: recompute every later link (public function when
    `key` is None)."""
    out = events[:index]
    prev = out[-1].hash if out else GENESIS
    for e in events[index:]:
        fields = dict(
            prev_hash=prev,
            occurred_at=e.occurred_at,
            actor=e.actor_label,
            action=e.action,
            target=e.target,
            digest=e.digest,
        )
        h = keyed_link_hash(key=key, **fields) if key else link_hash(**fields)
        out.append(msgspec.structs.replace(e, prev_hash=prev, hash=h))
        prev = h
    return out


def test_a_keyed_chain_verifies_with_its_key_only():
    events = build(5)
    report = verify_chain(events, key=KEY)
    assert (report.ok, report.checked, report.head_hash, report.last_id) == (True, 5, events[-1].hash, 5)
    wrong = verify_chain(events, key=b"x" * 40)
    assert (wrong.ok, wrong.first_broken_id, wrong.reason) == (False, 1, EDITED)


def test_the_public_part_before_the_key_is_verified_the_old_way():
    events = build(6, public_up_to=3)
    assert verify_chain(events, key=KEY, keyed_after_id=3).ok
    # The boundary is recorded by the migration: a keyed event is not accepted as public, nor the reverse.
    assert verify_chain(events, key=KEY, keyed_after_id=4).first_broken_id == 4
    assert verify_chain(events, key=KEY, keyed_after_id=2).first_broken_id == 3


def test_an_edited_event_is_named():
    events = build(5)
    events[2] = msgspec.structs.replace(events[2], target="t:99")
    report = verify_chain(events, key=KEY)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, EDITED)


def test_a_rewrite_rehashed_with_the_public_function_is_named_at_the_first_event_touched():
    events = build(6, public_up_to=2)
    events[3] = msgspec.structs.replace(events[3], target="t:forgé")
    forged = rehash_from(events, 3, key=None)
    report = verify_chain(forged, key=KEY, keyed_after_id=2)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 4, REHASHED)


def test_a_reordered_chain_is_named_at_the_first_event_out_of_place():
    events = build(5)
    swapped = [events[0], events[2], events[1], events[3], events[4]]
    report = verify_chain(swapped, key=KEY)
    assert (report.ok, report.first_broken_id, report.reason) == (False, 3, MISSING_LINK)
    # Swapping the ids too (rows renumbered) still breaks at the first moved event.
    renumbered = [
        msgspec.structs.replace(e, id=i) for i, e in enumerate([events[0], events[2], events[1]], 1)
    ]
    assert verify_chain(renumbered, key=KEY).first_broken_id == 2


def test_without_the_key_keyed_events_are_followed_but_not_authenticated():
    events = build(4, public_up_to=1)
    report = verify_chain(events, key=None, keyed_after_id=1)
    assert (report.ok, report.checked, report.unauthenticated) == (True, 4, 3)
    broken = [events[0], events[2], events[3]]
    assert verify_chain(broken, key=None, keyed_after_id=1).first_broken_id == 3


def test_a_truncated_tail_verifies_alone_but_not_against_the_head():
    events = build(6)
    head = (6, events[-1].hash, 6)
    assert verify_chain(events[:4], key=KEY).ok  # what the issue found: the chain alone cannot tell
    report = compare_with_head(events[:4], count=head[0], head_hash=head[1], last_event_id=head[2])
    assert (report.ok, report.truncated) == (False, True)
    assert "après l'événement n° 4 : 2 événement(s) manquent sur les 6 attestés" in report.reason
    assert compare_with_head(events, count=6, head_hash=events[-1].hash, last_event_id=6).ok
    assert compare_with_head(build(8), count=6, head_hash=build(8)[5].hash).ok  # the chain grew since


def test_history_rewritten_with_the_key_is_caught_by_the_head():
    events = build(6)
    events[1] = msgspec.structs.replace(events[1], target="t:forgé")
    forged = rehash_from(events, 1, key=KEY)
    assert verify_chain(forged, key=KEY).ok  # someone holding the key
    report = compare_with_head(forged, count=6, head_hash=build(6)[-1].hash, last_event_id=6)
    assert (report.ok, report.first_broken_id) == (False, 6)
    assert "historique réécrit" in report.reason


def test_a_signed_checkpoint_round_trips_and_a_tampered_one_is_refused():
    events = build(3)
    cp = sign_checkpoint(key=KEY, count=3, last_event_id=3, head_hash=events[-1].hash, created_at=T0)
    data = encode_checkpoint(cp)
    assert decode_checkpoint(data, key=KEY) == cp
    for field, value in (("count", 2), ("head_hash", GENESIS), ("last_event_id", 2)):
        tampered = msgspec.json.encode(msgspec.structs.replace(cp, **{field: value}))
        with pytest.raises(CheckpointRefused, match="signature"):
            decode_checkpoint(tampered, key=KEY)
    with pytest.raises(CheckpointRefused, match="signature"):
        decode_checkpoint(data, key=b"y" * 40)
    with pytest.raises(CheckpointRefused, match="illisible"):
        decode_checkpoint(b"{pas du json", key=KEY)


# --- In the database ------------------------------------------------------------------------------------


async def test_events_appended_with_the_key_are_hmacs_and_verify_only_with_it(db):
    async with db.transaction():
        first = await append_event(
            db, actor_id=None, actor_label="système", action="a", target="t:1", payload={"n": 1}
        )
    row = await db.conn.fetchrow("select * from audit_events")
    fields = dict(
        prev_hash=GENESIS,
        occurred_at=row["occurred_at"],
        actor="système",
        action="a",
        target="t:1",
        digest=row["digest"],
    )
    assert first == keyed_link_hash(key=db.audit_key, **fields) != link_hash(**fields)
    assert (await verify(db)).ok
    from jury.db.queries import Database

    other = Database(db.conn, db.q, clock=db.clock, audit_key=b"z" * 40)
    assert (await verify(other)).first_broken_id == row["id"]


async def test_the_scheme_boundary_cannot_be_moved(db):
    import asyncpg

    assert await db.fetchval("audit_keyed_after") == 0
    with pytest.raises(asyncpg.RaiseError, match="fixed by migration 0014"):
        await db.conn.execute("update audit_chain_scheme set keyed_after_id = 1000")


async def test_chain_head_gives_the_count_and_the_last_hash(db):
    from jury.audit.service import chain_head

    assert await chain_head(db) == (0, GENESIS)
    async with db.transaction():
        for n in range(3):
            last = await append_event(
                db, actor_id=None, actor_label="x", action="a", target=f"t:{n}", payload={}
            )
    assert await chain_head(db) == (3, last)
