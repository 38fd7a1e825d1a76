"""A small Made in 92 edition being marked: one open semi-final with one panel, one category whose grid has
three criteria, three jurors and four candidates.

Criteria: Innovation 0–10 by 0.5 (21 values: tap buttons), weight 2; Pitch 0–40 by 1 (41 values: a
number input), weight 1, comment required; Respect du thème 0–1, eliminatory.
Assignments: Claire and Marc mark the four candidates, Sophie the first three (so candidate 104 starts
one juror short, and Sophie is the juror with an unassigned candidate). A second contest with its own
organiser checks that nothing crosses contests.

Candidates carry distinctive organisation, person, creation names and e-mails, so that tests can assert
that none of them reaches a page of a blind round.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from tests.helpers import free_port, make_organiser, sign_in

from jury.app import create_app
from jury.auth.service import issue_codes
from jury.db.queries import Database

SEED = """
insert into contests (slug, name, organisers, candidate_kind) values
    ('made-in-92', 'Made in 92', 'CCI Hauts-de-Seine et Département', 'company'),
    ('progress', 'Progr''ESS', 'Département des Hauts-de-Seine', 'organisation');
insert into editions (contest_id, slug, number, year)
select id, 'made-in-92-2025', 10, 2025 from contests where slug = 'made-in-92';
insert into editions (contest_id, slug, number, year)
select id, 'progress-2025', 4, 2025 from contests where slug = 'progress';

insert into categories (edition_id, code, name)
select id, 'industrie', 'Industrie' from editions where slug = 'made-in-92-2025';
insert into criteria (category_id, code, label, help, scale_min, scale_max, scale_step, weight,
                      comment_required, eliminatory, position)
select c.id, v.code, v.label, v.help, v.lo, v.hi, v.step, v.weight, v.required, v.elim, v.pos
from categories c, (values
    ('innovation', 'Innovation', 'Nouveauté du produit ou du procédé.', 0, 10, 0.5, 2, false, false, 1),
    ('pitch', 'Pitch', 'Clarté et conviction de la présentation.', 0, 40, 1, 1, true, false, 2),
    ('theme', 'Respect du thème', '0 : hors sujet.', 0, 1, 1, 1, false, true, 3)
) as v(code, label, help, lo, hi, step, weight, required, elim, pos)
where c.code = 'industrie';

insert into rounds (edition_id, kind, name, position, status)
select id, 'semi_final', 'Demi-finale', 1, 'open' from editions where slug = 'made-in-92-2025';
insert into panels (round_id, name) select id, 'Jury Nord' from rounds where name = 'Demi-finale';

insert into people (full_name, email) values
    ('Claire Dubois', 'claire@exemple.fr'), ('Marc Lefèvre', 'marc@exemple.fr'),
    ('Sophie Martin', 'sophie@exemple.fr');
insert into panel_members (panel_id, person_id, role)
select p.id, pe.id, case when pe.email = 'claire@exemple.fr' then 'chair' else 'juror' end
from panels p, people pe
where p.name = 'Jury Nord' and pe.email in ('claire@exemple.fr', 'marc@exemple.fr', 'sophie@exemple.fr');

insert into candidates (edition_id, kind, organisation_name, person_name, email, entry_number,
                        creation_name, project_title, category_id)
select e.id, 'company', v.org, v.person, v.email, v.entry, v.creation, v.project, k.id
from editions e
join categories k on k.edition_id = e.id,
(values
    (101, 'Brioches Verdier SAS', 'Jeanne Verdier', 'jeanne.verdier@brioches.example', 'Tarte Zéphyr', 'Four solaire'),
    (102, 'Atelier Quillard', 'Paul Quillard', 'paul@quillard.example', 'Éclair Borealis', 'Vélo-cargo'),
    (103, 'Cycles Ombeline', 'Ombeline Roche', 'ombeline@cycles.example', 'Dôme Aurore', 'Recyclerie'),
    (104, 'Robotique Tessier', 'Hugo Tessier', 'hugo@tessier.example', 'Mille-feuille Orion', 'Bras robot')
) as v(entry, org, person, email, creation, project)
where e.slug = 'made-in-92-2025';

insert into candidate_rounds (candidate_id, round_id, panel_id, status)
select c.id, p.round_id, p.id, 'eligible' from candidates c, panels p where p.name = 'Jury Nord';

insert into assignments (panel_id, person_id, candidate_id)
select p.id, pe.id, c.id
from panels p, people pe, candidates c
where p.name = 'Jury Nord'
  and pe.email in ('claire@exemple.fr', 'marc@exemple.fr', 'sophie@exemple.fr')
  and not (pe.email = 'sophie@exemple.fr' and c.entry_number = 104);

-- The other contest: an edition of its own with a juror, to check that nothing crosses editions.
insert into rounds (edition_id, kind, name, position, status)
select id, 'committee', 'Comité', 1, 'open' from editions where slug = 'progress-2025';
insert into panels (round_id, name) select id, 'Comité' from rounds where name = 'Comité';
insert into people (full_name, email) values ('Nadia Benali', 'nadia@exemple.fr');
insert into panel_members (panel_id, person_id)
select p.id, pe.id from panels p, people pe where p.name = 'Comité' and pe.email = 'nadia@exemple.fr';
"""

CANDIDATE_SECRETS = {
    101: (
        "Brioches Verdier SAS",
        "Jeanne Verdier",
        "jeanne.verdier@brioches.example",
        "Tarte Zéphyr",
        "Four solaire",
    ),
    102: ("Atelier Quillard", "Paul Quillard", "paul@quillard.example", "Éclair Borealis", "Vélo-cargo"),
    103: ("Cycles Ombeline", "Ombeline Roche", "ombeline@cycles.example", "Dôme Aurore", "Recyclerie"),
    104: ("Robotique Tessier", "Hugo Tessier", "hugo@tessier.example", "Mille-feuille Orion", "Bras robot"),
}


@dataclass(frozen=True)
class Edition:
    edition_id: int
    other_edition_id: int
    round_id: int
    other_round_id: int
    panel_id: int
    innovation: int
    pitch: int
    theme: int
    claire: int
    marc: int
    sophie: int
    nadia: int
    candidates: dict[int, int]  # entry number → candidate id

    def c(self, entry: int) -> int:
        return self.candidates[entry]


@pytest.fixture
async def edition(db: Database) -> Edition:
    await db.conn.execute(SEED)

    async def val(sql: str, *args):
        return await db.conn.fetchval(sql, *args)

    people = {r["email"].split("@")[0]: r["id"] for r in await db.conn.fetch("select id, email from people")}
    criteria = {r["code"]: r["id"] for r in await db.conn.fetch("select id, code from criteria")}
    return Edition(
        edition_id=await val("select id from editions where slug = 'made-in-92-2025'"),
        other_edition_id=await val("select id from editions where slug = 'progress-2025'"),
        round_id=await val("select id from rounds where name = 'Demi-finale'"),
        other_round_id=await val("select id from rounds where name = 'Comité'"),
        panel_id=await val("select id from panels where name = 'Jury Nord'"),
        innovation=criteria["innovation"],
        pitch=criteria["pitch"],
        theme=criteria["theme"],
        claire=people["claire"],
        marc=people["marc"],
        sophie=people["sophie"],
        nadia=people["nadia"],
        candidates={
            r["entry_number"]: r["id"] for r in await db.conn.fetch("select id, entry_number from candidates")
        },
    )


async def sign_in_juror(client, db: Database, *, edition_id: int, person_id: int) -> None:
    """Signs the test client in as this juror, with a freshly issued card (the previous session goes)."""
    [card] = await issue_codes(db, edition_id=edition_id, person_ids=[person_id])
    response = await client.post("/acces", data={"code": card.code}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/jure/")


async def declare_none(db: Database, *, round_id: int, person_id: int) -> None:
    """Declares "no conflict" for all the juror's candidates of the round, straight in SQL (test setup)."""
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict) "
        "select p.round_id, a.person_id, a.candidate_id, false from assignments a "
        "join panels p on p.id = a.panel_id where p.round_id = $1 and a.person_id = $2 "
        "on conflict do nothing",
        round_id,
        person_id,
    )


@pytest.fixture
async def organiser(client, db: Database, edition: Edition) -> str:
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    return "cci@exemple.fr"


@pytest.fixture
async def other_organiser(db: Database, edition: Edition) -> str:
    await make_organiser(db, email="dep@exemple.fr", contests=["progress"])
    return "dep@exemple.fr"


# --- a real browser on a real server (the Playwright modules of this folder) -----------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The venue's tablets are French: pages follow the browser's Accept-Language (jury.web.i18n), and Chromium's
# own default here would be English. The English pages have their own tests (tests/i18n).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--accept-lang=fr-FR,fr",
]
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture
async def server(settings) -> AsyncIterator[str]:
    """The app under uvicorn on a free port, in a thread with its own event loop and pool, so the browser
    talks to a real HTTP server while the test reads the same database."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        await asyncio.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    await asyncio.to_thread(thread.join, 10)


@pytest.fixture
async def browser():
    """Debian's Chromium driven by Playwright (imported here: only the browser modules need it)."""
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
