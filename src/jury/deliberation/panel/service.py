"""A panel's deliberation page and the index of the panels one deliberates in.

The page gathers what the notes and ballots services let the caller read (so the page and the API
cannot disagree about who sees what), from one seat check.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition
from jury.db.queries import Database
from jury.deliberation.panel import notes
from jury.deliberation.panel.models import Note, PanelLink
from jury.deliberation.service import (
    Role,
    panel_candidates,
    panel_seat,
    require_deliberated,
)
from jury.deliberation.votes import views
from jury.deliberation.votes.models import Ballot


class PanelPage(msgspec.Struct, frozen=True, kw_only=True):
    """What `deliberation/panel.html` shows; candidates the reader declared a conflict with are left out."""

    round: RoundInEdition
    panel_id: int
    panel_name: str
    role: Role
    writable: bool
    candidates: list[tuple[int, str]]
    labels: dict[int, str]
    notes: dict[int, list[Note]]
    open_ballots: list[Ballot]
    closed_ballots: list[Ballot]

    def context(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


async def my_panels(db: Database, *, identity: Identity) -> list[PanelLink]:
    """Where the caller deliberates: a juror's panels in their edition, an organiser's deliberating panels."""
    if identity.kind == "organiser":
        rows = await db.fetch("delib_organiser_panels", person_id=identity.person_id)
    else:
        rows = await db.fetch("delib_my_panels", person_id=identity.person_id, edition_id=identity.edition_id)
    return [
        PanelLink(
            panel_id=r["panel_id"],
            panel_name=r["panel_name"],
            role=r["role"],
            round_id=r["round_id"],
            round_name=r["round_name"],
            status=r["status"],
            edition_slug=r["edition_slug"],
            edition_label=r["edition_label"],
        )
        for r in rows
    ]


async def panel_page(db: Database, *, identity: Identity, panel_id: int) -> PanelPage:
    """The panel's page: organisers at any time, members once the round deliberates (or is closed)."""
    rnd, seat = await panel_seat(db, identity=identity, panel_id=panel_id)
    if not seat.organiser:
        require_deliberated(rnd, what="Les pages de délibération")
    labels = await panel_candidates(db, panel_ids=[panel_id], blind=rnd.blind and not seat.organiser)
    by_candidate: dict[int, list[Note]] = defaultdict(list)
    for note in await notes.list_notes(db, identity=identity, round_id=rnd.id, panel_id=panel_id):
        by_candidate[note.candidate_id].append(note)
    ballots = await views.list_ballots(db, identity=identity, round_id=rnd.id, panel_id=panel_id)
    names = {p["id"]: p["name"] for p in await db.fetch("delib_round_panels", round_id=rnd.id)}
    return PanelPage(
        round=rnd,
        panel_id=panel_id,
        panel_name=names[panel_id],
        role=seat.role(panel_id),
        writable=rnd.status == "deliberation",
        candidates=[(cid, label) for cid, label in labels.items() if cid not in seat.hidden],
        labels=labels,
        notes=dict(by_candidate),
        open_ballots=[b for b in ballots if b.status == "open"],
        closed_ballots=[b for b in ballots if b.status == "closed"],
    )
