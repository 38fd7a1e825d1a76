"""Who may act on which contest, edition, round and panel, and how an actor is named in the audit trail.

Organisers are scoped to the contests they organise (CCI staff do not see the Gâteau's jurors);
administrators organise every contest. A juror's tablet is signed in for one edition. A check that fails
answers 404 for what does not exist and 403 for what exists but is someone else's, so every feature
that asks here answers the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.errors import Forbidden, NotFound

NOT_YOUR_CONTEST = "Vous n'organisez pas ce concours."
NOT_YOUR_EDITION = "Ce tour n'appartient pas à votre édition."


LOCKS = {"update": "lock_round_for_update", "share": "lock_round_for_share"}


class RoundInEdition(msgspec.Struct, frozen=True, kw_only=True):
    """A round with its edition and contest: the header of every round page and the input of scope checks."""

    id: int
    edition_id: int
    name: str
    kind: str
    status: str
    position: int
    method: str
    advance_count: int | None
    blind: bool
    scheduled_on: dt.date | None
    edition_slug: str
    edition_number: int
    edition_year: int
    edition_status: str
    place: str
    tie_break_policy: list[str]
    contest_id: int
    contest_slug: str
    contest_name: str


def actor_label(identity: Identity | None, *, role: str | None = None) -> str:
    """How the audit trail names who acted: `organiser:12`, `juror:40`, `chair:40` (a juror acting as the
    panel's chair), or `système` for work no person started. Ids, never names: the trail outlives a purge."""
    if identity is None:
        return "système"
    return f"{role or identity.kind}:{identity.person_id}"


async def organised_contest_ids(db: Database, *, identity: Identity) -> set[int]:
    return {
        row["contest_id"] for row in await db.fetch("organiser_contest_ids", person_id=identity.person_id)
    }


async def ensure_organiser_of_edition(db: Database, *, identity: Identity, edition_id: int) -> None:
    if identity.kind != "organiser" or not await db.fetchval(
        "is_organiser_of_edition", person_id=identity.person_id, edition_id=edition_id
    ):
        raise Forbidden(NOT_YOUR_CONTEST)


async def round_in_edition(
    db: Database, *, round_id: int, lock: Literal["update", "share"] | None = None
) -> RoundInEdition:
    """The round (404 if unknown). With `lock`, the round's row is locked first, for the transaction, so
    the status read is the one that holds until commit."""
    if lock is not None and await db.fetchval(LOCKS[lock], round_id=round_id) is None:
        raise NotFound("Tour inconnu.")
    row = await db.fetchrow("round_in_edition", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    return msgspec.convert(dict(row), RoundInEdition)


async def organised_round(
    db: Database, *, identity: Identity, round_id: int, lock: Literal["update", "share"] | None = None
) -> RoundInEdition:
    """The round, once the caller is known to organise its contest (404, then 403)."""
    rnd = await round_in_edition(db, round_id=round_id, lock=lock)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
    return rnd


async def visible_round(
    db: Database, *, identity: Identity, round_id: int, lock: Literal["update", "share"] | None = None
) -> RoundInEdition:
    """The round, for an organiser of its contest or a juror signed in for its edition; which panels and
    candidates a juror then sees is the feature's business (assignments, conflicts)."""
    rnd = await round_in_edition(db, round_id=round_id, lock=lock)
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
    elif identity.edition_id != rnd.edition_id:
        raise Forbidden(NOT_YOUR_EDITION)
    return rnd


async def is_chair_of_round(db: Database, *, identity: Identity, round_id: int) -> bool:
    return identity.kind == "juror" and bool(
        await db.fetchval("is_chair_of_round", round_id=round_id, person_id=identity.person_id)
    )
