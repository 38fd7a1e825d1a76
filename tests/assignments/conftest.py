"""A small territorial edition: two semi-final panels (Nord = T4 + T5, Sud = T2 + T3) and a final.

Jurors: three sit on Nord only, three on Sud only, two on both panels (the possible bridges). Candidates:
nine in Nord, seven in Sud, each with the INSEE code of a commune of its zone. One declared conflict in
each zone, and one "no conflict" declaration that must not count. A second contest with its own organiser
checks that nothing leaks across contests.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

SEED = """
insert into contests (slug, name, organisers, candidate_kind) values
    ('made-in-92', 'Made in 92', 'CCI Hauts-de-Seine et Département', 'company'),
    ('progress', 'Progr''ESS', 'Département des Hauts-de-Seine', 'organisation');
insert into editions (contest_id, slug, number, year)
select id, 'made-in-92-2025', 10, 2025 from contests where slug = 'made-in-92';
insert into editions (contest_id, slug, number, year)
select id, 'progress-2025', 4, 2025 from contests where slug = 'progress';

insert into zones (edition_id, code, label, ept_codes)
select e.id, v.code, v.label, v.epts from editions e,
    (values ('nord', 'Nord', array['T4', 'T5']), ('sud', 'Sud', array['T2', 'T3'])) as v(code, label, epts)
where e.slug = 'made-in-92-2025';

insert into rounds (edition_id, kind, name, position)
select id, 'semi_final', 'Demi-finales', 1 from editions where slug = 'made-in-92-2025';
insert into rounds (edition_id, kind, name, position)
select id, 'final', 'Finale', 2 from editions where slug = 'made-in-92-2025';

insert into panels (round_id, zone_id, name)
select r.id, z.id, 'Jury ' || z.label
from rounds r join zones z on z.edition_id = r.edition_id
where r.name = 'Demi-finales';
insert into panels (round_id, name) select id, 'Grand jury' from rounds where name = 'Finale';

insert into people (full_name, email) values
    ('Alice Martin', 'alice@exemple.fr'), ('Bruno Petit', 'bruno@exemple.fr'),
    ('Chloé Roux', 'chloe@exemple.fr'), ('David Morel', 'david@exemple.fr'),
    ('Emma Girard', 'emma@exemple.fr'), ('Farid Haddad', 'farid@exemple.fr'),
    ('Gaëlle Bonnet', 'gaelle@exemple.fr'), ('Hugo Lambert', 'hugo@exemple.fr');

insert into panel_members (panel_id, person_id, role)
select p.id, pe.id, v.role
from (values ('Jury Nord', 'alice@exemple.fr', 'chair'), ('Jury Nord', 'bruno@exemple.fr', 'juror'),
             ('Jury Nord', 'chloe@exemple.fr', 'juror'), ('Jury Nord', 'gaelle@exemple.fr', 'juror'),
             ('Jury Nord', 'hugo@exemple.fr', 'juror'),
             ('Jury Sud', 'david@exemple.fr', 'chair'), ('Jury Sud', 'emma@exemple.fr', 'juror'),
             ('Jury Sud', 'farid@exemple.fr', 'juror'), ('Jury Sud', 'gaelle@exemple.fr', 'juror'),
             ('Jury Sud', 'hugo@exemple.fr', 'juror'),
             ('Grand jury', 'alice@exemple.fr', 'chair'), ('Grand jury', 'david@exemple.fr', 'juror'),
             ('Grand jury', 'gaelle@exemple.fr', 'juror')) as v(panel, email, role)
join panels p on p.name = v.panel
join people pe on pe.email = v.email;

insert into candidates (edition_id, kind, organisation_name, email, insee_code, entry_number)
select e.id, 'company', v.name, 'contact' || v.entry || '@exemple.fr', v.insee, v.entry
from editions e, (values
    (1, 'Solaris Énergie', '92050'), (2, 'Brasserie de la Défense', '92026'), (3, 'Asnières Vélo', '92004'),
    (4, 'Colombes Recyclage', '92025'), (5, 'Levallois Numérique', '92044'), (6, 'Clichy Textile', '92024'),
    (7, 'Rueil Bio', '92063'), (8, 'Gennevilliers Logistique', '92036'), (9, 'Suresnes Robotique', '92073'),
    (10, 'Antony Habitat', '92002'), (11, 'Boulogne Studio', '92012'), (12, 'Issy Cloud', '92040'),
    (13, 'Montrouge Chocolat', '92049'), (14, 'Bagneux Mobilité', '92007'), (15, 'Meudon Optique', '92048'),
    (16, 'Sceaux Jardins', '92071')) as v(entry, name, insee)
where e.slug = 'made-in-92-2025';

-- Each candidate competes in the semi-final panel of its commune's zone.
insert into candidate_rounds (candidate_id, round_id, panel_id, status)
select c.id, p.round_id, p.id, 'eligible'
from candidates c
join communes m on m.insee_code = c.insee_code
join zones z on m.ept_code = any (z.ept_codes)
join panels p on p.zone_id = z.id;

insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason)
select r.id, pe.id, c.id, v.has_conflict, v.reason
from (values ('bruno@exemple.fr', 'Solaris Énergie', true, 'Ancien associé'),
             ('emma@exemple.fr', 'Issy Cloud', true, 'Cliente de son cabinet'),
             ('gaelle@exemple.fr', 'Antony Habitat', false, '')) as v(email, candidate, has_conflict, reason)
join people pe on pe.email = v.email
join candidates c on c.organisation_name = v.candidate
join rounds r on r.name = 'Demi-finales';
"""

ORGANISER = "cci@exemple.fr"
OTHER_ORGANISER = "dep@exemple.fr"
NORD_ONLY = ("Alice Martin", "Bruno Petit", "Chloé Roux")
SUD_ONLY = ("David Morel", "Emma Girard", "Farid Haddad")
BOTH = ("Gaëlle Bonnet", "Hugo Lambert")


@dataclass(frozen=True)
class Edition:
    id: int
    round: int
    final: int
    nord: int
    sud: int
    grand_jury: int
    jurors: dict[str, int]
    candidates: dict[str, int]
    zone_of: dict[str, str]

    def juror_name(self, person_id: int) -> str:
        return next(name for name, pid in self.jurors.items() if pid == person_id)

    def candidate_name(self, candidate_id: int) -> str:
        return next(name for name, cid in self.candidates.items() if cid == candidate_id)

    def in_zone(self, zone: str) -> list[int]:
        return [cid for name, cid in self.candidates.items() if self.zone_of[name] == zone]


@pytest.fixture
async def edition(db: Database) -> Edition:
    await db.conn.execute(SEED)
    await make_organiser(db, email=ORGANISER, contests=["made-in-92"])
    await make_organiser(db, email=OTHER_ORGANISER, contests=["progress"])
    panels = {r["name"]: r["id"] for r in await db.conn.fetch("select id, name from panels")}
    rounds = {r["name"]: r["id"] for r in await db.conn.fetch("select id, name from rounds")}
    candidates = await db.conn.fetch(
        "select c.id, c.organisation_name, z.label from candidates c "
        "join candidate_rounds cr on cr.candidate_id = c.id join panels p on p.id = cr.panel_id "
        "join zones z on z.id = p.zone_id order by c.entry_number"
    )
    return Edition(
        id=await db.conn.fetchval("select id from editions where slug = 'made-in-92-2025'"),
        round=rounds["Demi-finales"],
        final=rounds["Finale"],
        nord=panels["Jury Nord"],
        sud=panels["Jury Sud"],
        grand_jury=panels["Grand jury"],
        jurors={
            r["full_name"]: r["id"]
            for r in await db.conn.fetch(
                "select distinct pe.id, pe.full_name from people pe "
                "join panel_members pm on pm.person_id = pe.id order by pe.id"
            )
        },
        candidates={r["organisation_name"]: r["id"] for r in candidates},
        zone_of={r["organisation_name"]: r["label"] for r in candidates},
    )


@pytest.fixture
async def organiser(client, edition: Edition):
    await sign_in(client, email=ORGANISER)
    return client


@pytest.fixture
async def other_organiser(client, edition: Edition):
    await sign_in(client, email=OTHER_ORGANISER)
    return client


async def pairs_in_db(db: Database, round_id: int) -> set[tuple[int, int, int]]:
    """(panel_id, person_id, candidate_id) of the round, straight from the table."""
    rows = await db.conn.fetch(
        "select a.panel_id, a.person_id, a.candidate_id from assignments a "
        "join panels p on p.id = a.panel_id where p.round_id = $1",
        round_id,
    )
    return {(r["panel_id"], r["person_id"], r["candidate_id"]) for r in rows}
