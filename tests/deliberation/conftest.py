"""Data for the deliberation tests, written with plain SQL: a Made in 92 semi-final deliberating on two
panels, a blind Gâteau tasting with its podium, a Progr'ESS committee with its budget, and an organiser of
an unrelated contest. Sign-in helpers go through the real forms (organisers) and access cards (jurors)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests import factories
from tests.helpers import make_contest, make_organiser, sign_in

from jury.auth.service import issue_codes
from jury.db.queries import Database


async def _person(db: Database, name: str) -> int:
    email = name.lower().replace(" ", ".").replace("é", "e").replace("è", "e") + "@exemple.fr"
    return await db.conn.fetchval(
        "insert into people (full_name, email) values ($1, $2) returning id", name, email
    )


async def _candidate(db: Database, *, edition: int, name: str, **fields) -> int:
    columns = {"organisation_name": name, "email": "contact@exemple.fr", "kind": "company", **fields}
    names = ", ".join(columns)
    values = ", ".join(f"${i}" for i in range(2, len(columns) + 2))
    return await db.conn.fetchval(
        f"insert into candidates (edition_id, {names}) values ($1, {values}) returning id",
        edition,
        *columns.values(),
    )


async def _member(db: Database, *, panel: int, person: int, role: str = "juror") -> None:
    await db.conn.execute(
        "insert into panel_members (panel_id, person_id, role) values ($1, $2, $3)", panel, person, role
    )


async def _enter(db: Database, *, candidate: int, round_id: int, panel: int | None) -> None:
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id, panel_id) values ($1, $2, $3)",
        candidate,
        round_id,
        panel,
    )


@pytest.fixture
async def made_in_92(db: Database) -> SimpleNamespace:
    """Semi-final in deliberation: Nord (Nadia chairs; Paul, Léa, Hugo) and Sud (Sophie chairs; Marc).

    Paul declared a conflict of interest with Verdure. The final (next round) is in preparation.
    """
    await make_contest(db, slug="made-in-92")
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year) "
        "select id, 'made-in-92-2025', 10, 2025 from contests where slug = 'made-in-92' returning id"
    )
    energie = await db.conn.fetchval(
        "insert into categories (edition_id, code, name, position) "
        "values ($1, 'energie', 'Transition énergétique', 1) returning id",
        edition,
    )
    feminin = await db.conn.fetchval(
        "insert into categories (edition_id, code, name, position) "
        "values ($1, 'feminin', 'Entrepreneuriat au féminin', 2) returning id",
        edition,
    )
    await db.conn.execute(
        "insert into prizes (edition_id, category_id, code, name, kind, amount_eur, position) values "
        "($1, $2, 'energie', 'Prix de la transition énergétique', 'category', 15000, 1), "
        "($1, $3, 'feminin', 'Prix de l''entrepreneuriat au féminin', 'category', 10000, 2), "
        "($1, null, 'special', 'Prix spécial Made in 92', 'special', 5000, 3)",
        edition,
        energie,
        feminin,
    )
    semi = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position, status) "
        "values ($1, 'semi_final', 'Demi-finales', 1, 'deliberation') returning id",
        edition,
    )
    final = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position) values ($1, 'final', 'Grande finale', 2) "
        "returning id",
        edition,
    )
    nord = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Nord') returning id", semi
    )
    sud = await db.conn.fetchval("insert into panels (round_id, name) values ($1, 'Sud') returning id", semi)
    people = {}
    for name in ("Nadia Chair", "Paul Juré", "Léa Jurée", "Hugo Juré", "Sophie Chair", "Marc Juré"):
        people[name.split()[0].lower().replace("é", "e")] = await _person(db, name)
    await _member(db, panel=nord, person=people["nadia"], role="chair")
    for key in ("paul", "lea", "hugo"):
        await _member(db, panel=nord, person=people[key])
    await _member(db, panel=sud, person=people["sophie"], role="chair")
    await _member(db, panel=sud, person=people["marc"])
    candidates = {
        "solaris": await _candidate(
            db, edition=edition, name="Solaris", category_id=energie, insee_code="92050"
        ),
        "verdure": await _candidate(
            db, edition=edition, name="Verdure", category_id=energie, insee_code="92025"
        ),
        "elles": await _candidate(
            db, edition=edition, name="Elles & Co", category_id=feminin, insee_code="92004"
        ),
        "batiment": await _candidate(
            db, edition=edition, name="Bâtiment Vert", category_id=energie, insee_code="92024"
        ),
        "ondine": await _candidate(
            db, edition=edition, name="Ondine", category_id=feminin, insee_code="92012"
        ),
        "kiosque": await _candidate(
            db, edition=edition, name="Kiosque", category_id=energie, insee_code="92040"
        ),
    }
    for key in ("solaris", "verdure", "elles", "batiment"):
        await _enter(db, candidate=candidates[key], round_id=semi, panel=nord)
    for key in ("ondine", "kiosque"):
        await _enter(db, candidate=candidates[key], round_id=semi, panel=sud)
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Associé du fondateur')",
        semi,
        people["paul"],
        candidates["verdure"],
    )
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    return SimpleNamespace(
        edition=edition,
        slug="made-in-92-2025",
        semi=semi,
        final=final,
        nord=nord,
        sud=sud,
        people=people,
        c=candidates,
        categories={"energie": energie, "feminin": feminin},
    )


@pytest.fixture
async def gateau(db: Database) -> SimpleNamespace:
    """A blind tasting in deliberation, four cakes known by entry number, a three-place podium."""
    await make_contest(db, slug="gateau-des-hauts-de-seine", kind="artisan")
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year, theme) "
        "select id, 'gateau-2023', 5, 2023, 'Caramel agrémenté d''une saveur' from contests "
        "where slug = 'gateau-des-hauts-de-seine' returning id"
    )
    await db.conn.execute(
        "insert into prizes (edition_id, code, name, kind, place, position) values "
        "($1, 'premier', '1er prix', 'podium', 1, 1), ($1, 'deuxieme', '2e prix', 'podium', 2, 2), "
        "($1, 'troisieme', '3e prix', 'podium', 3, 3)",
        edition,
    )
    tasting = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position, status, blind) "
        "values ($1, 'tasting', 'Dégustation', 1, 'deliberation', true) returning id",
        edition,
    )
    panel = await db.conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Jury de dégustation') returning id", tasting
    )
    chair = await _person(db, "Stéphane Président")
    juror = await _person(db, "Claire Pâtissière")
    await _member(db, panel=panel, person=chair, role="chair")
    await _member(db, panel=panel, person=juror)
    cakes = {}
    for number, (baker, shop) in enumerate(
        [
            ("Fabienne Zacchi", "Comptoir des Pipelettes"),
            ("Cyril Huet", "L'Écrin"),
            ("Grégoire Delachaux", "Le Miel de Greg"),
            ("Sylvain Gendron", "Chez Madeleine"),
        ],
        start=1,
    ):
        cakes[number] = await _candidate(
            db,
            edition=edition,
            name=shop,
            kind="artisan",
            person_name=baker,
            entry_number=number,
            insee_code="92032",
        )
        await _enter(db, candidate=cakes[number], round_id=tasting, panel=panel)
    await make_organiser(db, email="cma@exemple.fr", contests=["gateau-des-hauts-de-seine"])
    return SimpleNamespace(
        edition=edition,
        slug="gateau-2023",
        tasting=tasting,
        panel=panel,
        chair=chair,
        juror=juror,
        cakes=cakes,
    )


@pytest.fixture
async def progress(db: Database) -> SimpleNamespace:
    """A Progr'ESS committee: 100 000 € budget, 15 000 € ceiling, associations and ESUS structures only."""
    await make_contest(db, slug="progress", kind="organisation")
    edition = await db.conn.fetchval(
        "insert into editions (contest_id, slug, number, year, budget_eur, max_grant_eur, eligible_legal_forms) "
        "select id, 'progress-2024', 3, 2024, 100000, 15000, '{Association,Structure agréée ESUS}' "
        "from contests where slug = 'progress' returning id"
    )
    await db.conn.execute(
        "insert into prizes (edition_id, code, name, kind, max_winners) "
        "values ($1, 'laureat', 'Lauréat Progr''ESS', 'laureate', null)",
        edition,
    )
    committee = await db.conn.fetchval(
        "insert into rounds (edition_id, kind, name, position, status) "
        "values ($1, 'committee', 'Comité de sélection', 1, 'deliberation') returning id",
        edition,
    )
    rows = [
        ("Repair Café Nanterre", "Association", "92050", 15000),
        ("Jardins partagés de Boulogne", "Association", "92012", 12000),
        ("Coop d'Argenteuil", "Association", "95018", 8000),
        ("Profit SAS", "SAS", "92050", 10000),
        ("Épicerie solidaire", "Structure agréée ESUS", "92025", 15000),
        ("Vélo-école", "Association", "92040", 15000),
        ("Ressourcerie", "Association", "92002", 15000),
        ("Café des aidants", "Association", "92024", 15000),
        ("Ludothèque", "Association", "92004", 15000),
    ]
    candidates = {}
    for name, form, insee, requested in rows:
        candidates[name] = await _candidate(
            db,
            edition=edition,
            name=name,
            kind="organisation",
            legal_form=form,
            insee_code=insee,
            requested_eur=requested,
        )
        await _enter(db, candidate=candidates[name], round_id=committee, panel=None)
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    return SimpleNamespace(edition=edition, slug="progress-2024", committee=committee, c=candidates)


@pytest.fixture
async def stranger(db: Database) -> str:
    """An organiser of an unrelated contest: must be refused everywhere in the others."""
    await make_contest(db, slug="autre-concours")
    await make_organiser(db, email="autre@exemple.fr", contests=["autre-concours"])
    return "autre@exemple.fr"


@pytest.fixture
def as_juror(client, db: Database):
    """Sign the test client's tablet in with a freshly issued access card."""

    async def sign(edition_id: int, person_id: int) -> None:
        [card] = await issue_codes(db, edition_id=edition_id, person_ids=[person_id])
        response = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
        assert response.status_code == 303

    return sign


@pytest.fixture
def as_organiser(client):
    async def sign(email: str) -> None:
        await sign_in(client, email=email)

    return sign


@pytest.fixture
def count(db: Database):
    async def run(sql: str, *args) -> int:
        return await db.conn.fetchval(sql, *args)

    return run


COMMITTEE_MARKS = {
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
"""Out of 20 for the `scored` committee; every juror gives the same mark, so the ranking is this order."""


@pytest.fixture
async def scored(db: Database, progress: SimpleNamespace) -> SimpleNamespace:
    """The Progr'ESS committee scored: three jurors mark every project on one criterion, all alike, so the
    committee round's ranking is the marks' order (not the order of the applications)."""
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
        for name, mark in COMMITTEE_MARKS.items():
            await factories.sheet(
                db,
                round_id=p.committee,
                panel_id=panel,
                person_id=juror,
                candidate_id=p.c[name],
                scores={criterion: mark},
            )
    return SimpleNamespace(**vars(p), panel=panel, category=category)
