"""The worker writes audit checkpoints on a schedule, so a head exists outside the database without anyone
thinking of `jury audit checkpoint` (issue 19): a file when the chain moved, nothing when it did not, each
one accepted by `jury audit verify --checkpoint`."""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import timedelta

import asyncpg
from tests.helpers import TEST_NOW

from jury.audit.chain import decode_checkpoint
from jury.audit.export import CHECKPOINTS_DIR, export_checkpoint, latest_checkpoint
from jury.audit.service import append_event, chain_head
from jury.clock import fixed_clock
from jury.db.queries import Database, Queries
from jury.settings import Settings
from jury.worker import JobResources, export_checkpoints


async def _event(db: Database, n: int) -> None:
    await append_event(
        db, actor_id=None, actor_label="test", action="test.event", target=f"t:{n}", payload={}
    )


def _at(db: Database, settings: Settings, when: dt.datetime) -> Database:
    return Database(db.conn, Queries(settings.queries_dir), clock=fixed_clock(when), audit_key=db.audit_key)


async def test_a_checkpoint_is_written_when_the_chain_moved_and_only_then(
    settings: Settings, db: Database
) -> None:
    for n in range(3):
        await _event(db, n)
    directory = settings.data_dir / CHECKPOINTS_DIR

    first = await export_checkpoint(db, data_dir=settings.data_dir)
    assert first is not None and first.parent == directory and first.name == "20261127T080000Z.json"
    count, head = await chain_head(db)
    assert latest_checkpoint(directory) == (count, head)
    pinned = decode_checkpoint(first.read_bytes(), key=db.audit_key or b"")
    assert (pinned.count, pinned.head_hash) == (count, head)

    quiet = await export_checkpoint(
        _at(db, settings, TEST_NOW + timedelta(hours=1)), data_dir=settings.data_dir
    )
    assert quiet is None and len(list(directory.iterdir())) == 1

    await _event(db, 3)
    later = await export_checkpoint(
        _at(db, settings, TEST_NOW + timedelta(hours=2)), data_dir=settings.data_dir
    )
    assert later is not None and later.name == "20261127T100000Z.json"
    assert latest_checkpoint(directory) == (count + 1, (await chain_head(db))[1])


async def test_the_worker_schedule_writes_them(settings: Settings, db: Database, pool: asyncpg.Pool) -> None:
    await _event(db, 0)
    resources = JobResources(
        settings=settings, pool=pool, queries=Queries(settings.queries_dir), pdf=None, clock=db.clock
    )  # type: ignore[arg-type]
    task = asyncio.create_task(export_checkpoints(resources, every=timedelta(seconds=0.2)))
    try:
        directory = settings.data_dir / CHECKPOINTS_DIR
        for _ in range(100):
            if directory.exists() and any(directory.iterdir()):
                break
            await asyncio.sleep(0.1)
        assert latest_checkpoint(directory) == await chain_head(db)
    finally:
        task.cancel()
