"""Editions of the three contest kinds, with categories and panels, and a signed-in organiser's client.

The demo data is someone else's file; these few rows are all the import tests need, inserted with SQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient
from tests.helpers import make_organiser, sign_in

from jury.app import create_app
from jury.db.queries import Database
from jury.settings import Settings

SEED = """
insert into contests (slug, name, organisers, candidate_kind) values
    ('made-in-92', 'Made in 92', 'CCI Hauts-de-Seine et Département', 'company'),
    ('gateau-92', 'Imaginez le gâteau des Hauts-de-Seine', 'CMA et Département', 'artisan'),
    ('progress', 'Progr''ESS', 'Département des Hauts-de-Seine', 'organisation');

insert into editions (contest_id, slug, number, year, theme, budget_eur, max_grant_eur, eligible_legal_forms)
select id, 'made-in-92-2024', 9, 2024, 'Décrochez vos médailles', null, null, '{}'
from contests where slug = 'made-in-92';
insert into editions (contest_id, slug, number, year, theme)
select id, 'gateau-2023', 5, 2023, 'Caramel agrémenté d''une saveur' from contests where slug = 'gateau-92';
insert into editions (contest_id, slug, number, year, theme, budget_eur, max_grant_eur, eligible_legal_forms)
select id, 'progress-2024', 3, 2024, 'Inclusion', 100000, 15000, '{Association,Fondation,Mutuelle,ESUS}'
from contests where slug = 'progress';

insert into categories (edition_id, code, name, position)
select e.id, v.code, v.name, v.position
from editions e, (values ('TE', 'Prix de la transition énergétique', 1),
                         ('EF', 'Prix de l''entrepreneuriat au féminin', 2)) as v(code, name, position)
where e.slug = 'made-in-92-2024';

insert into rounds (edition_id, kind, name, position)
select id, 'semi_final', 'Demi-finale', 1 from editions where slug = 'made-in-92-2024';
insert into rounds (edition_id, kind, name, position)
select id, 'final', 'Finale', 2 from editions where slug = 'made-in-92-2024';
insert into rounds (edition_id, kind, name, position, blind)
select id, 'tasting', 'Dégustation', 1, true from editions where slug = 'gateau-2023';

insert into panels (round_id, name)
select r.id, v.name from rounds r join editions e on e.id = r.edition_id,
     (values ('Jury Nord'), ('Jury Sud')) as v(name)
where e.slug = 'made-in-92-2024' and r.name = 'Demi-finale';
insert into panels (round_id, name)
select r.id, v.name from rounds r join editions e on e.id = r.edition_id,
     (values ('Grand jury'), ('Jury Nord')) as v(name)
where e.slug = 'made-in-92-2024' and r.name = 'Finale';
insert into panels (round_id, name)
select r.id, 'Jury de dégustation' from rounds r join editions e on e.id = r.edition_id
where e.slug = 'gateau-2023';
"""


@pytest.fixture
async def editions(db: Database) -> None:
    await db.conn.execute(SEED)


ORGANISER = "organisation@exemple.fr"


@pytest.fixture
async def anonymous_client(settings: Settings, editions: None) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
async def import_client(anonymous_client: AsyncTestClient, db: Database) -> AsyncTestClient:
    """Signed in as an organiser of the three contests (not an administrator)."""
    await make_organiser(db, email=ORGANISER, contests=["made-in-92", "gateau-92", "progress"])
    await sign_in(anonymous_client, email=ORGANISER)
    return anonymous_client
