"""Migration 0016 makes « juror of the edition » a fact: existing seats and cards become edition jurors.

A database as the earlier migrations left it (jurors seated by earlier imports, a card printed for someone
since taken off their panel) is migrated, and nobody who was a juror of an edition stops being one; after
it, any seat on a panel (the demo loader's SQL, here) records its holder as a juror of the panel's edition.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import asyncpg
from tests.conftest import MIGRATIONS

from jury.db.migrate import apply_migrations

BEFORE = """
insert into contests (slug, name, organisers, candidate_kind)
values ('made-in-92', 'Made in 92', 'CCI', 'company'), ('gateau-92', 'Gâteau', 'CMA', 'artisan');
insert into editions (contest_id, slug, number, year)
select id, 'made-in-92-2024', 9, 2024 from contests where slug = 'made-in-92';
insert into editions (contest_id, slug, number, year)
select id, 'gateau-2023', 5, 2023 from contests where slug = 'gateau-92';
insert into rounds (edition_id, kind, name, position)
select id, 'final', 'Finale', 1 from editions where slug = 'made-in-92-2024';
insert into panels (round_id, name) select id, 'Grand jury' from rounds where name = 'Finale';
insert into people (full_name, email) values
    ('Anne Assise', 'anne@exemple.fr'), ('Bruno Carte', 'bruno@exemple.fr'), ('Chloé Nulle', 'chloe@exemple.fr');
insert into panel_members (panel_id, person_id, role)
select p.id, pe.id, 'chair' from panels p, people pe where pe.email = 'anne@exemple.fr';
insert into access_codes (edition_id, person_id, code_hash)
select e.id, pe.id, 'hash-bruno' from editions e, people pe
where e.slug = 'gateau-2023' and pe.email = 'bruno@exemple.fr';
"""

JURORS = """
select e.slug, pe.full_name from edition_jurors ej
join editions e on e.id = ej.edition_id join people pe on pe.id = ej.person_id
order by e.slug, pe.full_name
"""


async def test_seats_and_cards_become_edition_jurors_and_later_seats_too(empty_database_url, tmp_path: Path):
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    for path in sorted(MIGRATIONS.glob("*.sql")):
        if path.name < "0016":
            shutil.copy(path, earlier / path.name)
    await apply_migrations(empty_database_url, earlier)
    conn = await asyncpg.connect(empty_database_url)
    try:
        await conn.execute(BEFORE)
        applied = await apply_migrations(empty_database_url, MIGRATIONS)
        assert "0016_edition_jurors" in applied
        assert [tuple(r) for r in await conn.fetch(JURORS)] == [
            ("gateau-2023", "Bruno Carte"),
            ("made-in-92-2024", "Anne Assise"),
        ]
        await conn.execute(
            "insert into panel_members (panel_id, person_id) "
            "select p.id, pe.id from panels p, people pe where pe.email = 'chloe@exemple.fr'"
        )
        await conn.execute("delete from panel_members where role = 'chair'")  # a seat taken away
        assert [tuple(r) for r in await conn.fetch(JURORS)] == [
            ("gateau-2023", "Bruno Carte"),
            ("made-in-92-2024", "Anne Assise"),
            ("made-in-92-2024", "Chloé Nulle"),
        ]
    finally:
        await conn.close()
