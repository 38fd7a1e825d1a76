"""The Gâteau tasting of `tests/deliberation/conftest.py`, tasted: both jurors mark the four cakes alike,
so the standing ranks them 1, 2, 3, 4 by entry number."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests import factories

from jury.db.queries import Database

TASTING_MARKS = {1: 18, 2: 16, 3: 14, 4: 12}


@pytest.fixture
async def tasted(db: Database, gateau: SimpleNamespace) -> SimpleNamespace:
    g = gateau
    category = await factories.category(db, edition_id=g.edition, code="gateau", name="Gâteaux")
    criterion = await factories.criterion(
        db, category_id=category, code="gout", label="Goût", scale=(0, 20, 1)
    )
    await db.conn.execute("update candidates set category_id = $1 where edition_id = $2", category, g.edition)
    for person in (g.chair, g.juror):
        for number, mark in TASTING_MARKS.items():
            await factories.sheet(
                db,
                round_id=g.tasting,
                panel_id=g.panel,
                person_id=person,
                candidate_id=g.cakes[number],
                scores={criterion: mark},
            )
    return g
