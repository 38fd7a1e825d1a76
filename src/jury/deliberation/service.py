"""Who may deliberate where, and how candidates are named while they do: shared by notes, ballots and
decisions.

Every deliberation service starts here: `round_seat` and `panel_seat` answer "which panels of this round
may this person see, and as what". A juror who does not sit on a panel gets the same refusal whatever the
candidate asked about, so a refusal never tells them whether a candidate exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, ensure_organiser_of_edition, round_in_edition
from jury.db.queries import Database
from jury.errors import Conflict, Forbidden, NotFound
from jury.french.dates import paris_day
from jury.labels import label

NOT_A_MEMBER = "Vous ne siégez pas dans ce jury."
NOT_IN_ROUND = "Vous ne siégez dans aucun jury de ce tour."

Role = Literal["organiser", "chair", "juror"]


class Seat(msgspec.Struct, frozen=True, kw_only=True):
    """What one person may do in one round: `roles` maps each visible panel to the role held there."""

    person_id: int
    organiser: bool
    roles: dict[int, Role]
    hidden: frozenset[int] = frozenset()  # candidates this juror declared a conflict with

    def role(self, panel_id: int) -> Role:
        try:
            return self.roles[panel_id]
        except KeyError:
            raise Forbidden(NOT_A_MEMBER) from None

    @property
    def audit_role(self) -> Role | None:
        """The role `policy.actor_label` names in the audit trail: a juror who chairs any panel of the
        round acts as `chair`; anyone else under their own kind."""
        return "chair" if not self.organiser and "chair" in self.roles.values() else None


def today(db: Database) -> dt.date:
    """Decisions are dated in the département's time zone, not the server's, by the caller's clock."""
    return paris_day(db.now())


# --- Access ---------------------------------------------------------------------------------------------


async def load_round(db: Database, *, round_id: int) -> RoundInEdition:
    """The round, share-locked so its status cannot change under a note, a vote or a decision."""
    return await round_in_edition(db, round_id=round_id, lock="share")


async def round_seat(db: Database, *, identity: Identity, rnd: RoundInEdition) -> Seat:
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
        panels = await db.fetch("delib_round_panels", round_id=rnd.id)
        return Seat(
            person_id=identity.person_id, organiser=True, roles={p["id"]: "organiser" for p in panels}
        )
    if identity.edition_id != rnd.edition_id:
        raise Forbidden(NOT_IN_ROUND)
    rows = await db.fetch("delib_member_panels", round_id=rnd.id, person_id=identity.person_id)
    if not rows:
        raise Forbidden(NOT_IN_ROUND)
    hidden = await db.fetch("conflicts_of_person", round_id=rnd.id, person_id=identity.person_id)
    return Seat(
        person_id=identity.person_id,
        organiser=False,
        roles={r["panel_id"]: r["role"] for r in rows},
        hidden=frozenset(r["candidate_id"] for r in hidden),
    )


async def panel_seat(db: Database, *, identity: Identity, panel_id: int) -> tuple[RoundInEdition, Seat]:
    """The panel's round and the caller's seat, refusing anyone who neither sits on it nor organises it."""
    round_id = await db.fetchval("delib_panel_round", panel_id=panel_id)
    if round_id is None:
        raise NotFound("Jury inconnu.")
    return await seat_on_panel(db, identity=identity, round_id=round_id, panel_id=panel_id)


async def seat_on_panel(
    db: Database, *, identity: Identity, round_id: int, panel_id: int
) -> tuple[RoundInEdition, Seat]:
    """The round (share-locked) and the caller's seat on one of its panels; anyone else gets one refusal."""
    rnd = await load_round(db, round_id=round_id)
    try:
        seat = await round_seat(db, identity=identity, rnd=rnd)
    except Forbidden:
        raise Forbidden(NOT_A_MEMBER) from None
    seat.role(panel_id)
    return rnd, seat


def require_deliberation(rnd: RoundInEdition, *, what: str) -> None:
    """Writing (notes, votes, decisions) happens only while the round deliberates."""
    if rnd.status != "deliberation":
        state = label(rnd.status, "round")
        raise Conflict(f"{what} ne sont possibles que pendant la délibération ; état du tour : {state}.")


async def readable_panels(
    db: Database, *, identity: Identity, round_id: int, panel_id: int | None, what: str
) -> tuple[RoundInEdition, Seat, list[int]]:
    """The round, the caller's seat and the panels whose deliberation they may read (one, or all of theirs;
    organisers: every panel), once the deliberation has opened for jurors; `what` names it in the refusal."""
    rnd = await load_round(db, round_id=round_id)
    seat = await round_seat(db, identity=identity, rnd=rnd)
    panels = list(seat.roles) if panel_id is None else [panel_id]
    for panel in panels:
        seat.role(panel)
    if not seat.organiser:
        require_deliberated(rnd, what=what)
    return rnd, seat, panels


def require_deliberated(rnd: RoundInEdition, *, what: str) -> None:
    """Reading what the panel said waits for the deliberation, and stays possible once the round is closed."""
    if rnd.status not in ("deliberation", "closed"):
        state = label(rnd.status, "round")
        raise Conflict(
            f"{what} ne sont consultables qu'à partir de la délibération ; état du tour : {state}."
        )


# --- Labels ---------------------------------------------------------------------------------------------


def candidate_label(row: Mapping[str, Any], *, blind: bool) -> str:
    """A blind round shows entry numbers only; otherwise the organisation, or the person."""
    if blind:
        if row["entry_number"] is not None:
            return f"Entrée n° {row['entry_number']}"
        return f"Candidat n° {row['id']}"
    return (row["organisation_name"] or "").strip() or (row["person_name"] or "").strip()


def unique_labels(rows: Iterable[Mapping[str, Any]], *, blind: bool) -> dict[int, str]:
    """Labels double as keys of the pure voting and prize functions, so two namesakes get their id."""
    rows = list(rows)
    labels = {r["id"]: candidate_label(r, blind=blind) for r in rows}
    seen: dict[str, int] = {}
    for name in labels.values():
        seen[name] = seen.get(name, 0) + 1
    return {cid: (f"{name} (n° {cid})" if seen[name] > 1 else name) for cid, name in labels.items()}


async def panel_candidates(db: Database, *, panel_ids: Iterable[int], blind: bool) -> dict[int, str]:
    """Labels of the candidates of some panels of a round, read in one query; namesakes are told apart
    within their own panel, as each panel's page and ballots show them."""
    by_panel: dict[int, list[Mapping[str, Any]]] = {}
    for row in await db.fetch("delib_panel_candidates", panel_ids=sorted(set(panel_ids))):
        by_panel.setdefault(row["panel_id"], []).append(row)
    labels: dict[int, str] = {}
    for rows in by_panel.values():
        labels.update(unique_labels(rows, blind=blind))
    return labels
