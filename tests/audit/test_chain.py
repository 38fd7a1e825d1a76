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
