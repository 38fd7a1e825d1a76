"""An ended edition full of personal data, inserted with plain SQL so every value is known by hand.

Shared by the retention and audit tests: what a purge must blank, what it must keep, and audit events
whose targets resolve to the edition through each kind of target.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from tests.helpers import make_contest

from jury.audit.service import append_event
from jury.db.queries import Database


@dataclass
class World:
    contest: int
    edition: int
    slug: str
    round: int
    panel: int
    juror: int
    laureate: int
    other: int
    artisan: int
    sheets: dict[int, int] = field(default_factory=dict)  # candidate id → sheet id
    ballot: int = 0
    diploma: int = 0  # set by the tests that issue the laureate's diploma


async def make_world(
    db: Database,
    *,
    contest_slug: str = "made-in-92",
    year: int = 2023,
    decision_on: dt.date | None = dt.date(2023, 6, 15),
    round_status: str = "closed",
    juror_name: str = "Juliette Juré",
    tag: str = "",
) -> World:
    """`tag` makes names and e-mails unique when one test builds two worlds."""
    conn = db.conn
    contest = await conn.fetchval("select id from contests where slug = $1", contest_slug)
    if contest is None:
        contest = await make_contest(db, slug=contest_slug)
    slug = f"{contest_slug}-{year}"
    edition = await conn.fetchval(
        "insert into editions (contest_id, slug, number, year, decision_on, status) "
        "values ($1, $2, $3 - 2000, $3, $4, 'decided') returning id",
        contest,
        slug,
        year,
        decision_on,
    )
    category = await conn.fetchval(
        "insert into categories (edition_id, code, name) values ($1, 'general', 'Général') returning id",
        edition,
    )
    criterion = await conn.fetchval(
        "insert into criteria (category_id, code, label, scale_min, scale_max, scale_step, weight) "
        "values ($1, 'qualite', 'Qualité', 0, 10, 1, 1) returning id",
        category,
    )
    round_id = await conn.fetchval(
        "insert into rounds (edition_id, kind, name, position, status) "
        "values ($1, 'final', 'Finale', 1, $2) returning id",
        edition,
        round_status,
    )
    panel = await conn.fetchval(
        "insert into panels (round_id, name) values ($1, 'Jury unique') returning id", round_id
    )
    juror = await conn.fetchval(
        "insert into people (full_name, email) values ($1, $2) returning id",
        juror_name,
        f"juliette{tag}@exemple.fr",
    )
    await conn.execute(
        "insert into panel_members (panel_id, person_id, role) values ($1, $2, 'chair')", panel, juror
    )

    async def candidate(organisation: str, person: str, entry: int) -> int:
        return await conn.fetchval(
            "insert into candidates (edition_id, kind, organisation_name, person_name, email, phone, "
            "entry_number, category_id) values ($1, 'company', $2, $3, $4, '06 12 34 56 78', $5, $6) returning id",
            edition,
            organisation,
            person,
            f"contact{entry}{tag}@exemple.fr",
            entry,
            category,
        )

    world = World(
        contest=contest,
        edition=edition,
        slug=slug,
        round=round_id,
        panel=panel,
        juror=juror,
        laureate=await candidate(f"Lauréate SAS{tag}", "Léa Lauréate", 1),
        other=await candidate(f"Autre SARL{tag}", "Paul Perdant", 2),
        artisan=await candidate("", "Marc Seul", 3),
    )
    for candidate_id, status in (
        (world.laureate, "laureate"),
        (world.other, "eliminated"),
        (world.artisan, "eliminated"),
    ):
        await conn.execute(
            "insert into candidate_rounds (candidate_id, round_id, panel_id, status) values ($1, $2, $3, $4)",
            candidate_id,
            round_id,
            panel,
            status,
        )
        await conn.execute(
            "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
            panel,
            juror,
            candidate_id,
        )
        abstained = candidate_id == world.artisan
        sheet = await conn.fetchval(
            "insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, abstained, "
            "abstention_reason, comment, submitted_at) values ($1, $2, $3, $4, 'submitted', $5, $6, $7, now()) "
            "returning id",
            round_id,
            panel,
            juror,
            candidate_id,
            abstained,
            "Marc est mon cousin" if abstained else "",
            "" if abstained else "Dossier solide, fondatrice très investie",
        )
        world.sheets[candidate_id] = sheet
        if not abstained:
            await conn.execute(
                "insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value, comment) "
                "values ($1, $2, 0, 10, $3, 'Présentation personnelle touchante')",
                sheet,
                criterion,
                8 if candidate_id == world.laureate else 5,
            )
    await conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Marc est mon cousin')",
        round_id,
        juror,
        world.artisan,
    )
    await conn.execute(
        "insert into deliberation_notes (round_id, panel_id, person_id, candidate_id, text) "
        "values ($1, $2, $3, $4, 'Léa traverse un divorce difficile')",
        round_id,
        panel,
        juror,
        world.laureate,
    )
    await conn.execute(
        "insert into sheet_submissions (key, person_id, round_id, candidate_id, sheet_id, status_code, response) "
        "values ($1, $2, $3, $4, $5, 200, $6)",
        uuid.uuid4(),
        juror,
        round_id,
        world.laureate,
        world.sheets[world.laureate],
        b'{"comment": "Dossier solide, fondatrice tr\\u00e8s investie"}',
    )
    await conn.execute(
        "insert into access_codes (edition_id, person_id, code_hash) values ($1, $2, $3)",
        edition,
        juror,
        uuid.uuid4().hex * 2,
    )
    prize = await conn.fetchval(
        "insert into prizes (edition_id, category_id, code, name, kind, amount_eur) "
        "values ($1, $2, 'grand-prix', 'Grand prix', 'laureate', 5000) returning id",
        edition,
        category,
    )
    decision = await conn.fetchval(
        "insert into decisions (edition_id, round_id, candidate_id, kind, reason, decided_by) "
        "values ($1, $2, $3, 'laureate', 'Meilleure note du jury', $4) returning id",
        edition,
        round_id,
        world.laureate,
        juror,
    )
    await conn.execute(
        "insert into awards (prize_id, candidate_id, decision_id, granted_eur, decided_on) "
        "values ($1, $2, $3, 5000, $4)",
        prize,
        world.laureate,
        decision,
        decision_on or dt.date(year, 6, 15),
    )
    world.ballot = await conn.fetchval(
        "insert into ballots (round_id, panel_id, kind, title, candidates) "
        "values ($1, $2, 'approval', 'Grand prix', $3) returning id",
        round_id,
        panel,
        [world.laureate, world.other],
    )
    async with db.transaction():
        for action, target, payload in (
            ("edition.imported", f"edition:{slug}", {"rows": 3}),
            ("round.moved", f"round:{round_id}", {"from": "deliberation", "to": "closed", "reason": ""}),
            ("candidate.override", f"candidate:{world.other}", {"reason": "Paul a déménagé"}),
            ("sheet.submitted", f"sheet:{world.sheets[world.laureate]}", {"comment": "Dossier solide"}),
            ("deliberation.vote_cast", f"ballot:{world.ballot}", {"approved": [world.laureate]}),
        ):
            await append_event(
                db,
                actor_id=juror,
                actor_label=f"juror:{juror}",
                action=action,
                target=target,
                payload=payload,
            )
    return world
