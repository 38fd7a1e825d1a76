"""Reading contests and editions: what organisers browse and what `/api/contests` lists."""

from __future__ import annotations

from collections import defaultdict

import msgspec

from jury.access.identity import Identity
from jury.access.policy import ensure_organiser_of_edition, organised_contest_ids
from jury.contests.models import CandidateRow, Category, Contest, Edition, EditionDetail, JurorRow, Round
from jury.db.queries import Database, fetch_as
from jury.errors import NotFound
from jury.paging import PER_PAGE, Paging, page_of


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


def _like_text(search: str | None) -> str | None:
    """The search as LIKE matches it literally (its % and _ escaped); None when there is nothing to seek."""
    text = (search or "").strip()
    if not text:
        return None
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def list_candidates(
    db: Database, edition_id: int, *, search: str | None = None, limit: int, offset: int = 0
) -> list[CandidateRow]:
    """A window of the edition's candidates (entry number, then names), the search applied."""
    pattern = _like_text(search)
    if pattern is None:
        return await fetch_as(
            db, "list_candidates", row_type=CandidateRow, edition_id=edition_id, limit=limit, offset=offset
        )
    return await fetch_as(
        db,
        "find_candidates",
        row_type=CandidateRow,
        edition_id=edition_id,
        search=pattern,
        limit=limit,
        offset=offset,
    )


async def count_candidates(db: Database, edition_id: int, *, search: str | None = None) -> int:
    pattern = _like_text(search)
    if pattern is None:
        return await db.fetchval("count_candidates", edition_id=edition_id)
    return await db.fetchval("count_found_candidates", edition_id=edition_id, search=pattern)


async def list_jurors(db: Database, edition_id: int, *, limit: int, offset: int = 0) -> list[JurorRow]:
    """A window of the edition's jurors in French alphabetical order (« Élodie » before « Yannick »)."""
    return await fetch_as(
        db, "list_jurors", row_type=JurorRow, edition_id=edition_id, limit=limit, offset=offset
    )


# --- What each organisers' page shows: one call per page, scope checked first -------------------------------


class EditionPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    rounds: list[Round]
    categories: list[Category]


class EditionCandidates(msgspec.Struct, frozen=True, kw_only=True):
    """One page of an edition's candidates, the search that chose them, and the pager."""

    edition: EditionDetail
    candidates: list[CandidateRow]
    paging: Paging
    search: str = ""
    edition_total: int = 0


class EditionJurors(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    jurors: list[JurorRow]
    paging: Paging


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


async def edition_candidates(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    search: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> EditionCandidates:
    """One page of the candidates matching `search` (all without one): counted, then only that page read."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    search = (search or "").strip()
    total = await count_candidates(db, edition.id, search=search)
    paging = page_of(total=total, page=page, per_page=per_page)
    rows = await list_candidates(db, edition.id, search=search, limit=paging.limit, offset=paging.offset)
    return EditionCandidates(
        edition=edition,
        candidates=rows,
        paging=paging,
        search=search,
        edition_total=await count_candidates(db, edition.id) if search else total,
    )


async def edition_candidate_rows(
    db: Database, *, identity: Identity, slug: str, limit: int, offset: int
) -> list[CandidateRow]:
    """The API's window of the candidates: `limit` rows from `offset`, in the list's order."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await list_candidates(db, edition.id, limit=limit, offset=offset)


async def edition_jurors(
    db: Database, *, identity: Identity, slug: str, page: int = 1, per_page: int = PER_PAGE
) -> EditionJurors:
    """One page of the edition's jurors, in French alphabetical order whatever the database's collation."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    paging = page_of(
        total=await db.fetchval("count_jurors", edition_id=edition.id), page=page, per_page=per_page
    )
    jurors = await list_jurors(db, edition.id, limit=paging.limit, offset=paging.offset)
    return EditionJurors(edition=edition, jurors=jurors, paging=paging)


async def edition_juror_rows(
    db: Database, *, identity: Identity, slug: str, limit: int, offset: int
) -> list[JurorRow]:
    """The API's window of the jurors: `limit` rows from `offset`, in the list's order."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await list_jurors(db, edition.id, limit=limit, offset=offset)
