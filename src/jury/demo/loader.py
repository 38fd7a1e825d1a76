"""Writes the demo data: three contests with a decided and a current edition each.

Idempotent by edition: an edition whose slug (or whose contest's year or number) is already taken is left
alone, so `jury serve --demo` can run at every start and never touches data entered since. Deterministic:
everything generated comes from `random.Random(f"{seed}:{edition slug}")`, so two fresh loads give the same
rows, and skipping one edition does not change what another one gets.

The contest modules describe the data (`jury.demo.plan` values); this module only writes it, with the
named queries of `sql/queries/demo.sql`, bulk rows through `executemany`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import asyncpg
import msgspec
import structlog

from jury.access.passwords import hash_password
from jury.clock import system_clock
from jury.db.audit_key import load_audit_key
from jury.db.queries import Database, Queries
from jury.demo import gateau, made_in_92, progress
from jury.demo.people import ADMINISTRATOR, ORGANISER_GATEAU, ORGANISER_MADE_IN_92, ORGANISER_PROGRESS
from jury.demo.plan import Commune, Contest, Edition, Person
from jury.settings import Settings

log = structlog.get_logger(__name__)

DEFAULT_SEED = 92


class EditionCounts(msgspec.Struct, frozen=True, kw_only=True):
    """What one edition received, for the summary printed by `jury demo`."""

    candidates: int
    jurors: int
    rounds: int
    assignments: int
    conflicts_declared: int
    sheets_submitted: int
    sheets_draft: int
    scores: int
    decisions: int
    awards: int
    granted_eur: int


class DemoSummary(msgspec.Struct, frozen=True, kw_only=True):
    """What a load created and what it found already there; `created` is keyed by edition slug and only
    lists editions written by this call, so a second load returns an empty `created`."""

    seed: int
    contests_created: list[str]
    contests_present: list[str]
    editions_created: list[str]
    editions_present: list[str]
    people_created: int
    created: dict[str, EditionCounts]

    @property
    def changed(self) -> bool:
        return bool(self.contests_created or self.editions_created or self.people_created)


CONTEST_MODULES = (made_in_92, gateau, progress)
"""Each holds its contest's data: `CONTEST`, its `EDITIONS` as (facts, details) and `make_edition`."""


def contests(*, seed: int, communes: list[Commune]) -> list[Contest]:
    """The three contests as plain values, without a database (what `load_demo` writes)."""
    return [
        msgspec.structs.replace(
            module.CONTEST,
            editions=tuple(
                module.make_edition(facts, details, seed=seed, communes=communes)
                for facts, details in module.EDITIONS
            ),
        )
        for module in CONTEST_MODULES
    ]


class _Writer:
    """Holds the ids of people across editions: a juror of two editions is one person."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.people: dict[str, int] = {}
        self.people_created = 0

    async def person(self, person: Person) -> int:
        key = person.email.lower()
        if key not in self.people:
            row = await self.db.fetchrow(
                "demo_upsert_person", full_name=person.full_name, email=person.email, title=person.title
            )
            assert row is not None
            self.people[key] = row["id"]
            self.people_created += row["created"]
        return self.people[key]

    async def edition(self, contest_id: int, e: Edition) -> EditionCounts:
        db = self.db
        edition_id = await db.fetchval(
            "demo_insert_edition",
            **_params(
                e,
                drop=_EDITION_CONTENTS,
                contest_id=contest_id,
                eligible_legal_forms=list(e.eligible_legal_forms),
                accepted_outside_insee=list(e.accepted_outside_insee),
            ),
        )
        await db.executemany(
            "demo_insert_signatory",
            [_params(s, edition_id=edition_id, position=i) for i, s in enumerate(e.signatories, start=1)],
        )
        zones = {
            z.code: await db.fetchval(
                "demo_insert_zone", **_params(z, edition_id=edition_id, ept_codes=list(z.ept_codes))
            )
            for z in e.zones
        }
        categories = {
            c.code: await db.fetchval(
                "demo_insert_category",
                **_params(c, drop={"criteria"}, rename={"name": "category_name"}, edition_id=edition_id),
            )
            for c in e.categories
        }
        await db.executemany(
            "demo_insert_criterion",
            [_params(k, category_id=categories[c.code]) for c in e.categories for k in c.criteria],
        )
        prizes = {
            z.code: await db.fetchval(
                "demo_insert_prize",
                **_params(
                    z,
                    drop={"category"},
                    rename={"name": "prize_name"},
                    edition_id=edition_id,
                    category_id=categories[z.category] if z.category else None,
                ),
            )
            for z in e.prizes
        }
        people = {x.email: await self.person(x) for x in e.people}
        rounds: dict[int, int] = {}
        panels: dict[tuple[int, str], int] = {}
        members = []
        for r in e.rounds:
            rounds[r.position] = await db.fetchval(
                "demo_insert_round",
                **_params(r, drop={"panels"}, rename={"name": "round_name"}, edition_id=edition_id),
            )
            for panel in r.panels:
                panel_id = await db.fetchval(
                    "demo_insert_panel",
                    round_id=rounds[r.position],
                    panel_name=panel.name,
                    venue=panel.venue,
                    zone_id=zones[panel.zone] if panel.zone else None,
                )
                panels[(r.position, panel.name)] = panel_id
                members += [
                    {
                        "panel_id": panel_id,
                        "person_id": people[m.person],
                        "role": m.role,
                        "is_professional": m.is_professional,
                    }
                    for m in panel.members
                ]
        await db.executemany("demo_insert_panel_member", members)
        candidates = {
            c.key: await db.fetchval(
                "demo_insert_candidate",
                **_params(
                    c,
                    drop={"key", "category"},
                    edition_id=edition_id,
                    category_id=categories[c.category] if c.category else None,
                ),
            )
            for c in e.candidates
        }
        await db.executemany(
            "demo_insert_candidate_round",
            [
                {
                    "candidate_id": candidates[x.candidate],
                    "round_id": rounds[x.round],
                    "panel_id": panels[(x.round, x.panel)] if x.panel else None,
                    "status": x.status,
                    "reason": x.reason,
                    "updated_at": x.at,
                }
                for x in e.entries
            ],
        )
        await db.executemany(
            "demo_insert_assignment",
            [
                {
                    "panel_id": panels[(a.round, a.panel)],
                    "person_id": people[a.person],
                    "candidate_id": candidates[a.candidate],
                }
                for a in e.assignments
            ],
        )
        await db.executemany(
            "demo_insert_conflict",
            [
                {
                    "round_id": rounds[x.round],
                    "person_id": people[x.person],
                    "candidate_id": candidates[x.candidate],
                    "has_conflict": x.has_conflict,
                    "reason": x.reason,
                    "declared_at": x.at,
                }
                for x in e.conflicts
            ],
        )
        await db.executemany(
            "demo_insert_sheet",
            [
                {
                    "round_id": rounds[s.round],
                    "panel_id": panels[(s.round, s.panel)],
                    "person_id": people[s.person],
                    "candidate_id": candidates[s.candidate],
                    "status": "submitted" if s.submitted else "draft",
                    "comment": s.comment,
                    "idempotency_key": s.idempotency_key,
                    "created_at": s.at - dt.timedelta(minutes=6),
                    "updated_at": s.at,
                    "submitted_at": s.at if s.submitted else None,
                }
                for s in e.sheets
            ],
        )
        scores = [
            {
                "round_id": rounds[s.round],
                "person_id": people[s.person],
                "candidate_id": candidates[s.candidate],
                "category_id": categories[s.category],
                "criterion_code": code,
                "value": value,
            }
            for s in e.sheets
            for code, value in s.values
            if value is not None
        ]
        await db.executemany("demo_insert_sheet_score", scores)
        awarded = {a.decision for a in e.awards}
        decisions: dict[str, int] = {}
        plain = []
        for d in e.decisions:
            row = {
                "edition_id": edition_id,
                "round_id": rounds[d.round] if d.round else None,
                "candidate_id": candidates[d.candidate],
                "kind": d.kind,
                "reason": d.reason,
                "based_on": d.based_on,
                "decided_by": people[d.decided_by] if d.decided_by else None,
                "decided_at": d.at,
            }
            if d.key in awarded:  # awards point at their decision, so these need their id back
                decisions[d.key] = await db.fetchval("demo_insert_decision", **row)
            else:
                plain.append(row)
        await db.executemany("demo_insert_decision", plain)
        await db.executemany(
            "demo_insert_award",
            [
                {
                    "prize_id": prizes[a.prize],
                    "candidate_id": candidates[a.candidate],
                    "decision_id": decisions[a.decision],
                    "granted_eur": a.granted_eur,
                    "decided_on": a.decided_on,
                }
                for a in e.awards
            ],
        )
        return EditionCounts(
            candidates=len(e.candidates),
            jurors=len({m["person_id"] for m in members}),
            rounds=len(e.rounds),
            assignments=len(e.assignments),
            conflicts_declared=sum(x.has_conflict for x in e.conflicts),
            sheets_submitted=sum(s.submitted for s in e.sheets),
            sheets_draft=sum(not s.submitted for s in e.sheets),
            scores=len(scores),
            decisions=len(e.decisions),
            awards=len(e.awards),
            granted_eur=sum(a.granted_eur or 0 for a in e.awards),
        )


_EDITION_CONTENTS = frozenset(
    {"signatories", "zones", "categories", "prizes", "people", "rounds", "candidates", "entries"}
    | {"assignments", "conflicts", "sheets", "decisions", "awards"}
)
"""Edition fields written to tables of their own, not to `editions`."""


def _params(
    value: msgspec.Struct,
    *,
    drop: Collection[str] = (),
    rename: Mapping[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A plan value as its named query's parameters: every field under its parameter name, less `drop`,
    plus (or replaced by) `extra`: the database ids the query needs and values it takes in another form.
    The query refuses a missing or unexpected parameter, so a field added to a plan value and not to its
    query (or the reverse) fails at once."""
    names = rename or {}
    fields = msgspec.structs.asdict(value)
    return {names.get(k, k): v for k, v in fields.items() if k not in drop} | extra


async def load_demo(db: Database, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load whatever part of the demo is missing, in one transaction (a savepoint inside the caller's)."""
    writer = _Writer(db)
    contests_created: list[str] = []
    contests_present: list[str] = []
    editions_created: list[str] = []
    editions_present: list[str] = []
    created: dict[str, EditionCounts] = {}
    async with db.transaction():
        await db.execute("demo_lock")
        communes = [Commune(**dict(r)) for r in await db.fetch("demo_communes")]
        for contest in contests(seed=seed, communes=communes):
            row = await db.fetchrow(
                "demo_insert_contest",
                slug=contest.slug,
                contest_name=contest.name,
                organisers=contest.organisers,
                candidate_kind=contest.candidate_kind,
                description=contest.description,
            )
            assert row is not None
            contest_id = row["id"]
            if row["created"]:
                contests_created.append(contest.slug)
                for organiser in contest.organiser_people:
                    await db.execute(
                        "demo_insert_organiser",
                        person_id=await writer.person(organiser),
                        contest_id=contest_id,
                    )
            else:
                contests_present.append(contest.slug)
            for edition in contest.editions:
                if await db.fetchval(
                    "demo_edition_taken",
                    slug=edition.slug,
                    contest_id=contest_id,
                    year=edition.year,
                    number=edition.number,
                ):
                    editions_present.append(edition.slug)
                    continue
                created[edition.slug] = await writer.edition(contest_id, edition)
                editions_created.append(edition.slug)
        await _demo_passwords(db)
    summary = DemoSummary(
        seed=seed,
        contests_created=contests_created,
        contests_present=contests_present,
        editions_created=editions_created,
        editions_present=editions_present,
        people_created=writer.people_created,
        created=created,
    )
    log.info("demo_loaded", created=editions_created, present=editions_present)
    return summary


DEMO_PASSWORD = "demo-jury-92"
DEMO_ORGANISERS = (ORGANISER_MADE_IN_92, ORGANISER_GATEAU, ORGANISER_PROGRESS)


async def _demo_passwords(db: Database) -> None:
    """Let a newcomer sign in as each contest's organiser (README lists the accounts)."""
    for organiser in DEMO_ORGANISERS:
        await db.execute(
            "demo_set_password_if_missing", email=organiser.email, password_hash=hash_password(DEMO_PASSWORD)
        )
    await db.execute(
        "demo_ensure_administrator",
        full_name=ADMINISTRATOR.full_name,
        email=ADMINISTRATOR.email,
        title=ADMINISTRATOR.title,
        password_hash=hash_password(DEMO_PASSWORD),
    )


async def load_demo_with_url(settings: Settings, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """The CLI's entry point: one connection, one transaction, closed whatever happens."""
    if not settings.database_url:
        raise ValueError("settings.database_url is not set")
    conn = await asyncpg.connect(settings.database_url)
    try:
        async with conn.transaction():
            return await load_demo(
                Database(
                    conn,
                    Queries(settings.queries_dir),
                    clock=system_clock,
                    audit_key=load_audit_key(settings),
                ),
                seed=seed,
            )
    finally:
        await conn.close()
