"""The grid digest kept on each category (migration 0035): the sheet write compares it with the digest of
the grid the service validated against, so it must follow every change of the category's criteria in the
statement that makes it, and be the digest `scoring_round_pair` computes from the grid itself."""

from __future__ import annotations

from tests import factories

from jury.db.queries import Database

EMPTY = "d751713988987e9331980363e24189ce"  # md5('[]'): a category without criteria


async def stored_and_computed(db: Database, category_id: int) -> tuple[str, str]:
    row = await db.conn.fetchrow(
        "select grid_digest, md5(jury_sheet_grid(id)::text) as computed from categories where id = $1",
        category_id,
    )
    return row["grid_digest"], row["computed"]


async def test_the_stored_digest_follows_every_change_of_the_criteria(db: Database) -> None:
    edition_id = await factories.edition(db, contest_id=await factories.contest(db))
    category_id = await factories.category(db, edition_id=edition_id)
    other_id = await factories.category(db, edition_id=edition_id, code="autre", name="Autre", position=2)
    assert await stored_and_computed(db, category_id) == (EMPTY, EMPTY)

    seen = []
    criterion_id = await factories.criterion(db, category_id=category_id, code="pitch", label="Pitch")
    stored, computed = await stored_and_computed(db, category_id)
    assert stored == computed != EMPTY
    seen.append(stored)

    await db.conn.execute("update criteria set weight = 2 where id = $1", criterion_id)
    stored, computed = await stored_and_computed(db, category_id)
    assert stored == computed and stored not in seen
    seen.append(stored)

    # A criterion moved to another category changes both grids.
    await db.conn.execute("update criteria set category_id = $1 where id = $2", other_id, criterion_id)
    assert await stored_and_computed(db, category_id) == (EMPTY, EMPTY)
    stored, computed = await stored_and_computed(db, other_id)
    assert stored == computed != EMPTY

    await db.conn.execute("delete from criteria where id = $1", criterion_id)
    assert await stored_and_computed(db, other_id) == (EMPTY, EMPTY)


async def test_a_category_deleted_with_its_criteria_leaves_the_others_untouched(db: Database) -> None:
    edition_id = await factories.edition(db, contest_id=await factories.contest(db))
    kept = await factories.category(db, edition_id=edition_id)
    await factories.criterion(db, category_id=kept)
    gone = await factories.category(db, edition_id=edition_id, code="autre", name="Autre", position=2)
    await factories.criterion(db, category_id=gone)
    before = await stored_and_computed(db, kept)

    await db.conn.execute("delete from categories where id = $1", gone)

    assert await stored_and_computed(db, kept) == before
    assert await db.conn.fetchval("select count(*) from categories where id = $1", gone) == 0
