"""Deliberation notes: what a panel's members write about a candidate while they deliberate.

Notes wait for the deliberation because before it a juror must not learn what the others think. A juror
who declared a conflict with a candidate neither writes about them nor reads what the others wrote.
"""

from __future__ import annotations

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.deliberation.panel.models import Note
from jury.deliberation.service import (
    load_round,
    panel_candidates,
    panel_seat,
    readable_panels,
    require_deliberation,
    round_seat,
)
from jury.errors import Forbidden, Invalid

WHAT = "Les notes de délibération"


async def add_note(db: Database, *, identity: Identity, round_id: int, candidate_id: int, text: str) -> Note:
    rnd = await load_round(db, round_id=round_id)
    if identity.kind != "juror":
        raise Forbidden("Seuls les membres du jury prennent des notes de délibération.")
    seat = await round_seat(db, identity=identity, rnd=rnd)
    entry = await db.fetchrow("delib_candidate_entry", candidate_id=candidate_id, round_id=round_id)
    if entry is None or entry["panel_id"] not in seat.roles:
        raise Forbidden("Ce candidat n'est pas examiné par votre jury.")
    if candidate_id in seat.hidden:
        raise Forbidden(
            "Vous vous êtes déporté pour ce candidat : vous ne pouvez pas prendre de note à son sujet."
        )
    require_deliberation(rnd, what=WHAT)
    if not text.strip():
        raise Invalid("La note est vide.")
    row = await db.fetchrow(
        "delib_insert_note",
        round_id=round_id,
        panel_id=entry["panel_id"],
        person_id=identity.person_id,
        candidate_id=candidate_id,
        text=text.strip(),
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=seat.audit_role),
        action="deliberation.note_added",
        target=f"candidate:{candidate_id}",
        payload={"round": round_id, "panel": entry["panel_id"], "note": row["id"], "text": text.strip()},
    )
    labels = await panel_candidates(db, panel_ids=[entry["panel_id"]], blind=rnd.blind)
    return Note(
        id=row["id"],
        panel_id=entry["panel_id"],
        candidate_id=candidate_id,
        candidate=labels[candidate_id],
        author=identity.name,
        mine=True,
        text=text.strip(),
        created_at=row["created_at"],
    )


async def add_panel_note(
    db: Database, *, identity: Identity, panel_id: int, candidate_id: int, text: str
) -> Note:
    """The panel page's form: the same note, once the caller is known to sit on (or organise) the panel."""
    rnd, _ = await panel_seat(db, identity=identity, panel_id=panel_id)
    return await add_note(db, identity=identity, round_id=rnd.id, candidate_id=candidate_id, text=text)


async def list_notes(
    db: Database, *, identity: Identity, round_id: int, panel_id: int | None = None
) -> list[Note]:
    """The notes the caller may read: their panels' (organisers: every panel), minus their conflicts."""
    rnd, seat, panels = await readable_panels(
        db, identity=identity, round_id=round_id, panel_id=panel_id, what=WHAT
    )
    labels = await panel_candidates(db, panel_ids=panels, blind=rnd.blind and not seat.organiser)
    rows = await db.fetch("delib_notes", round_id=round_id, panel_ids=panels, hidden=sorted(seat.hidden))
    return [
        Note(
            id=r["id"],
            panel_id=r["panel_id"],
            candidate_id=r["candidate_id"],
            candidate=labels.get(r["candidate_id"], f"Candidat n° {r['candidate_id']}"),
            author=r["author"],
            mine=r["person_id"] == identity.person_id,
            text=r["text"],
            created_at=r["created_at"],
        )
        for r in rows
    ]
