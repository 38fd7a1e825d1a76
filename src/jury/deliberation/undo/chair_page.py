"""The chair's corrections page: once the edition is decided, the one place a prize or a grant can still be
corrected, from the chair's tablet, with a written reason (the service revokes the diploma concerned and
issues the corrected laureate's)."""

from __future__ import annotations

from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation.service import candidate_label
from jury.errors import Forbidden, JuryError

DECIDED = ("decided", "archived")


class ChairDecision(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    round_name: str
    prize: str
    granted_eur: int | None
    candidate: str
    reason: str
    replacements: list[tuple[int, str]]


class CorrectionsPage(msgspec.Struct, frozen=True, kw_only=True):
    open: bool
    decisions: list[ChairDecision]
    error: JuryError | None = None
    done: bool = False

    def context(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


async def corrections_page(
    db: Database, *, identity: Identity, error: JuryError | None = None
) -> CorrectionsPage:
    """Jurors only; a juror who chairs nothing sees an empty list, never another panel's decisions."""
    if identity.kind != "juror" or identity.edition_id is None:
        raise Forbidden("Page réservée à la présidence du jury, sur sa tablette.")
    edition = await db.fetchrow("delib_edition_state", edition_id=identity.edition_id)
    rows = await db.fetch(
        "delib_chair_decisions", edition_id=identity.edition_id, person_id=identity.person_id
    )
    entrants = await db.fetch("delib_round_candidates", round_ids=sorted({r["round_id"] for r in rows}))
    decisions = [
        ChairDecision(
            id=r["id"],
            kind=r["kind"],
            round_name=r["round_name"],
            prize=r["prize_name"] or "",
            granted_eur=r["granted_eur"],
            candidate=candidate_label({**dict(r), "id": r["candidate_id"]}, blind=False),
            reason=r["reason"],
            replacements=[
                (e["id"], candidate_label(e, blind=False))
                for e in entrants
                if e["round_id"] == r["round_id"]
                and e["id"] != r["candidate_id"]
                and e["status"] != "withdrawn"
            ],
        )
        for r in rows
    ]
    return CorrectionsPage(
        open=edition is not None and edition["status"] in DECIDED, decisions=decisions, error=error
    )
