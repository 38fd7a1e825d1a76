"""Reading contests and editions: what organisers browse and what `/api/contests` lists."""

from __future__ import annotations

from collections import defaultdict

import msgspec

from jury.access.identity import Identity
from jury.access.policy import ensure_organiser_of_edition, organised_contest_ids
from jury.contests.models import CandidateRow, Category, Contest, Edition, EditionDetail, JurorRow, Round
from jury.db.queries import Database, fetch_as
from jury.errors import NotFound
from jury.french.collation import sort_key


async def list_contests(db: Database) -> list[Contest]:
    editions: dict[int, list[Edition]] = defaultdict(list)
    for row in await db.fetch("list_editions"):
        fields = dict(row)
        editions[fields.pop("contest_id")].append(Edition(**fields))
    return [Contest(**dict(row), editions=editions[row["id"]]) for row in await db.fetch("list_contests")]


async def get_edition(db: Database, slug: str) -> EditionDetail:
    row = await db.fetchrow("get_edition", slug=slug)
    if row is None:
        raise NotFound(f"Édition inconnue : {slug}")
    fields = dict(row)
    fields.pop("contest_id")
    return EditionDetail(**fields)


async def organised_edition(db: Database, *, identity: Identity, slug: str) -> EditionDetail:
    """The edition, for an organiser of its contest (or an administrator); 404 / 403 otherwise."""
    edition = await get_edition(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=edition.id)
    return edition


async def list_rounds(db: Database, edition_id: int) -> list[Round]:
    return await fetch_as(db, "list_rounds", row_type=Round, edition_id=edition_id)


async def list_categories(db: Database, edition_id: int) -> list[Category]:
    return await fetch_as(db, "list_categories", row_type=Category, edition_id=edition_id)


async def list_candidates(db: Database, edition_id: int) -> list[CandidateRow]:
    return await fetch_as(db, "list_candidates", row_type=CandidateRow, edition_id=edition_id)


async def list_jurors(db: Database, edition_id: int) -> list[JurorRow]:
    return await fetch_as(db, "list_jurors", row_type=JurorRow, edition_id=edition_id)


# --- What each organisers' page shows: one call per page, scope checked first -------------------------------


class EditionPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    rounds: list[Round]
    categories: list[Category]


class EditionCandidates(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    candidates: list[CandidateRow]


class EditionJurors(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    jurors: list[JurorRow]


async def organiser_contests(db: Database, *, identity: Identity) -> list[Contest]:
    """The contests an organiser works on (every contest for an administrator)."""
    contests = await list_contests(db)
    if identity.is_admin:
        return contests
    mine = await organised_contest_ids(db, identity=identity)
    return [c for c in contests if c.id in mine]


async def edition_rounds(db: Database, *, slug: str) -> list[Round]:
    edition = await get_edition(db, slug)
    return await list_rounds(db, edition.id)


async def edition_page(db: Database, *, identity: Identity, slug: str) -> EditionPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return EditionPage(
        edition=edition,
        rounds=await list_rounds(db, edition.id),
        categories=await list_categories(db, edition.id),
    )


async def edition_candidates(db: Database, *, identity: Identity, slug: str) -> EditionCandidates:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return EditionCandidates(edition=edition, candidates=await list_candidates(db, edition.id))


async def edition_jurors(db: Database, *, identity: Identity, slug: str) -> EditionJurors:
    edition = await organised_edition(db, identity=identity, slug=slug)
    # In French alphabetical order (« Élodie » before « Yannick »), whatever the database's collation.
    jurors = sorted(await list_jurors(db, edition.id), key=lambda j: sort_key(j.full_name))
    return EditionJurors(edition=edition, jurors=jurors)
