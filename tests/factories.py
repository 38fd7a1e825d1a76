"""One way to build test data: contests, editions, categories and criteria, rounds, panels, people,
candidates, assignments and score sheets, each a small function with defaults a test overrides by name.

Plain inserts on purpose: a test of a service must not depend on another service to set the scene, and
every value it asserts on is visible in the test. Whole flows (an organiser's journey) go through HTTP
instead, in `tests/flows/`. Each factory returns the new row's id and takes the `Database` first.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

from jury.db.queries import Database

_serial = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other row of this test has: tests that build twice never collide."""
    return f"{prefix}-{next(_serial)}"


async def contest(
    db: Database, *, slug: str = "made-in-92", name: str | None = None, kind: str = "company"
) -> int:
    """The contest with this slug, created if the test has none yet."""
    existing = await db.conn.fetchval("select id from contests where slug = $1", slug)
    if existing is not None:
        return existing
    return await db.conn.fetchval(
        "insert into contests (slug, name, organisers, candidate_kind) values ($1, $2, 'Organisateur', $3) "
        "returning id",
        slug,
        name or slug.replace("-", " ").title(),
        kind,
    )


async def edition(
    db: Database,
    *,
    contest_id: int,
    year: int = 2025,
    slug: str | None = None,
    status: str = "judging",
    decision_on: dt.date | None = None,
    number: int | None = None,
    **columns: object,
) -> int:
    """Other columns of `editions` (budget_eur, max_grant_eur, eligible_legal_forms…) by name."""
    contest_slug = await db.conn.fetchval("select slug from contests where id = $1", contest_id)
    names = ["contest_id", "slug", "number", "year", "status", "decision_on", *columns]
    values = [contest_id, slug or f"{contest_slug}-{year}", number or year - 2000, year, status, decision_on]
    return await _insert(db, "editions", names, [*values, *columns.values()])


async def category(
    db: Database, *, edition_id: int, code: str = "general", name: str = "Général", position: int = 1
) -> int:
    names = ["edition_id", "code", "name", "position"]
    return await _insert(db, "categories", names, [edition_id, code, name, position])


async def criterion(
    db: Database,
    *,
    category_id: int,
    code: str = "qualite",
    label: str = "Qualité",
    scale: tuple[float, float, float] = (0, 10, 1),
    weight: float = 1,
    position: int = 1,
    **columns: object,
) -> int:
    """`scale` is (min, max, step); other columns (comment_required, eliminatory, help) by name."""
    names = ["category_id", "code", "label", "scale_min", "scale_max", "scale_step", "weight", "position"]
    values = [category_id, code, label, *scale, weight, position]
    return await _insert(db, "criteria", [*names, *columns], [*values, *columns.values()])


async def round_(
    db: Database,
    *,
    edition_id: int,
    kind: str = "final",
    name: str = "Finale",
    position: int = 1,
    status: str = "open",
    **columns: object,
) -> int:
    names = ["edition_id", "kind", "name", "position", "status", *columns]
    return await _insert(db, "rounds", names, [edition_id, kind, name, position, status, *columns.values()])


async def panel(db: Database, *, round_id: int, name: str = "Jury unique", zone_id: int | None = None) -> int:
    return await _insert(db, "panels", ["round_id", "name", "zone_id"], [round_id, name, zone_id])


async def person(db: Database, *, full_name: str = "Juliette Juré", email: str | None = None) -> int:
    email = email or f"{unique('personne')}@exemple.fr"
    return await _insert(db, "people", ["full_name", "email"], [full_name, email])


async def member(db: Database, *, panel_id: int, person_id: int, role: str = "juror") -> None:
    await db.conn.execute(
        "insert into panel_members (panel_id, person_id, role) values ($1, $2, $3)", panel_id, person_id, role
    )


async def candidate(
    db: Database,
    *,
    edition_id: int,
    entry_number: int,
    organisation_name: str = "",
    person_name: str = "",
    category_id: int | None = None,
    kind: str = "company",
    email: str | None = None,
    **columns: object,
) -> int:
    """Other columns (phone, insee_code, creation_name, project_title, legal_form…) by name."""
    names = ["edition_id", "kind", "organisation_name", "person_name", "email", "entry_number", "category_id"]
    email = email or f"{unique('candidat')}@exemple.fr"
    values = [edition_id, kind, organisation_name, person_name, email, entry_number, category_id]
    return await _insert(db, "candidates", [*names, *columns], [*values, *columns.values()])


async def enter_round(
    db: Database, *, candidate_id: int, round_id: int, panel_id: int | None = None, status: str = "eligible"
) -> None:
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id, panel_id, status) values ($1, $2, $3, $4)",
        candidate_id,
        round_id,
        panel_id,
        status,
    )


async def assign(db: Database, *, panel_id: int, person_id: int, candidate_id: int) -> None:
    await db.conn.execute(
        "insert into assignments (panel_id, person_id, candidate_id) values ($1, $2, $3)",
        panel_id,
        person_id,
        candidate_id,
    )


async def sheet(
    db: Database,
    *,
    round_id: int,
    panel_id: int,
    person_id: int,
    candidate_id: int,
    scores: Mapping[int, float] | None = None,
    status: str = "submitted",
    abstention_reason: str = "",
    abstained: bool | None = None,
    comment: str = "",
    score_comment: str = "",
) -> int:
    """A score sheet stamped at the database's clock (`db.now()`); `scores` maps criterion id → value
    (None: that criterion left unmarked), each criterion's scale copied from the grid as the service does.
    An abstention has a reason (`abstained` defaults to whether one is given) and no scores."""
    sheet_id = await db.conn.fetchval(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, abstained, "
        "abstention_reason, comment, submitted_at) values ($1, $2, $3, $4, $5, $6, $7, $8, "
        "case when $5 = 'submitted' then $9::timestamptz end) returning id",
        round_id,
        panel_id,
        person_id,
        candidate_id,
        status,
        bool(abstention_reason) if abstained is None else abstained,
        abstention_reason,
        comment,
        db.now(),
    )
    for criterion_id, value in (scores or {}).items():
        await db.conn.execute(
            "insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value, comment) "
            "select $1, id, scale_min, scale_max, $3, $4 from criteria where id = $2",
            sheet_id,
            criterion_id,
            value,
            score_comment,
        )
    return sheet_id


async def _insert(db: Database, table: str, names: Sequence[str], values: Sequence[object]) -> int:
    placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
    return await db.conn.fetchval(
        f"insert into {table} ({', '.join(names)}) values ({placeholders}) returning id", *values
    )
