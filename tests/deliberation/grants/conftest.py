"""The Progr'ESS committee scored: three jurors mark every project on one criterion, all alike, so the
committee round's ranking is the marks' order (not the order of the applications)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests import factories

from jury.db.queries import Database

MARKS = {
    "Ludothèque": 19,
    "Café des aidants": 18,
    "Profit SAS": 17,
    "Vélo-école": 16,
    "Jardins partagés de Boulogne": 15,
    "Coop d'Argenteuil": 14,
    "Épicerie solidaire": 13,
    "Repair Café Nanterre": 12,
    "Ressourcerie": 11,
}
"""Out of 20; every juror gives the same mark, so the ranking is this order."""


@pytest.fixture
async def scored(db: Database, progress: SimpleNamespace) -> SimpleNamespace:
    p = progress
    category = await factories.category(db, edition_id=p.edition, code="projet", name="Projets")
    criterion = await factories.criterion(
        db, category_id=category, code="impact", label="Impact", scale=(0, 20, 1)
    )
    panel = await factories.panel(db, round_id=p.committee, name="Comité")
    await db.conn.execute("update candidates set category_id = $1 where edition_id = $2", category, p.edition)
    await db.conn.execute("update candidate_rounds set panel_id = $1 where round_id = $2", panel, p.committee)
    for n in range(3):
        juror = await factories.person(db, full_name=f"Juré {n + 1}")
        await factories.member(db, panel_id=panel, person_id=juror)
        for name, mark in MARKS.items():
            await factories.sheet(
                db,
                round_id=p.committee,
                panel_id=panel,
                person_id=juror,
                candidate_id=p.c[name],
                scores={criterion: mark},
            )
    return SimpleNamespace(**vars(p), panel=panel, category=category)
