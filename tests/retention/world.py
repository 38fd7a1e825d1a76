"""An ended edition full of personal data, built with the shared factories so every value is known by hand.

Shared by the retention and audit tests: what a purge must blank, what it must keep, and audit events
whose targets resolve to the edition through each kind of target.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from tests import factories

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
    contest = await factories.contest(db, slug=contest_slug)
    slug = f"{contest_slug}-{year}"
    edition = await factories.edition(
        db, contest_id=contest, year=year, decision_on=decision_on, status="decided"
    )
    category = await factories.category(db, edition_id=edition)
    criterion = await factories.criterion(db, category_id=category)
    round_id = await factories.round_(db, edition_id=edition, status=round_status)
    panel = await factories.panel(db, round_id=round_id)
    juror = await factories.person(db, full_name=juror_name, email=f"juliette{tag}@exemple.fr")
    await factories.member(db, panel_id=panel, person_id=juror, role="chair")

    async def candidate(organisation: str, person: str, entry: int) -> int:
        return await factories.candidate(
            db,
            edition_id=edition,
            entry_number=entry,
            organisation_name=organisation,
            person_name=person,
            email=f"contact{entry}{tag}@exemple.fr",
            phone="06 12 34 56 78",
            category_id=category,
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
        await factories.enter_round(
            db, candidate_id=candidate_id, round_id=round_id, panel_id=panel, status=status
        )
        await factories.assign(db, panel_id=panel, person_id=juror, candidate_id=candidate_id)
        abstained = candidate_id == world.artisan
        world.sheets[candidate_id] = await factories.sheet(
            db,
            round_id=round_id,
            panel_id=panel,
            person_id=juror,
            candidate_id=candidate_id,
            scores=None if abstained else {criterion: 8 if candidate_id == world.laureate else 5},
            abstention_reason="Marc est mon cousin" if abstained else "",
            comment="" if abstained else "Dossier solide, fondatrice très investie",
            score_comment="Présentation personnelle touchante",
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
