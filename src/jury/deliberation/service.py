"""Who may deliberate where, and the decisions that move candidates from one round to the next.

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
from jury.access.policy import ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.deliberation.models import Advancement, Decision
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.french.dates import paris_day

NOT_A_MEMBER = "Vous ne siégez pas dans ce jury."
NOT_IN_ROUND = "Vous ne siégez dans aucun jury de ce tour."

Role = Literal["organiser", "chair", "juror"]


class RoundContext(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    edition_id: int
    edition_slug: str
    status: str
    name: str
    kind: str
    position: int
    blind: bool
    tie_break_policy: list[str]


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
    def actor_label(self) -> str:
        if self.organiser:
            return f"organiser:{self.person_id}"
        return f"{'chair' if 'chair' in self.roles.values() else 'juror'}:{self.person_id}"


def today(db: Database) -> dt.date:
    """Decisions are dated in the département's time zone, not the server's, by the caller's clock."""
    return paris_day(db.now())


def actor_label(identity: Identity) -> str:
    return f"{identity.kind}:{identity.person_id}"


# --- Access ---------------------------------------------------------------------------------------------


async def load_round(db: Database, round_id: int) -> RoundContext:
    """The round, share-locked so its status cannot change under a note, a vote or a decision."""
    row = await db.fetchrow("delib_round", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    return RoundContext(**dict(row))


async def round_seat(db: Database, *, identity: Identity, rnd: RoundContext) -> Seat:
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
    hidden = await db.fetch("delib_conflicts_of_person", round_id=rnd.id, person_id=identity.person_id)
    return Seat(
        person_id=identity.person_id,
        organiser=False,
        roles={r["panel_id"]: r["role"] for r in rows},
        hidden=frozenset(r["candidate_id"] for r in hidden),
    )


async def panel_seat(db: Database, *, identity: Identity, panel_id: int) -> tuple[RoundContext, Seat]:
    """The panel's round and the caller's seat, refusing anyone who neither sits on it nor organises it."""
    round_id = await db.fetchval("delib_panel_round", panel_id=panel_id)
    if round_id is None:
        raise NotFound("Jury inconnu.")
    rnd = await load_round(db, round_id)
    try:
        seat = await round_seat(db, identity=identity, rnd=rnd)
    except Forbidden:
        raise Forbidden(NOT_A_MEMBER) from None
    seat.role(panel_id)
    return rnd, seat


STATES = {"draft": "en préparation", "open": "en cours de notation", "closed": "clos"}


def require_deliberation(rnd: RoundContext, *, what: str) -> None:
    """Writing (notes, votes, decisions) happens only while the round deliberates."""
    if rnd.status != "deliberation":
        state = STATES.get(rnd.status, rnd.status)
        raise Conflict(f"{what} ne sont possibles que pendant la délibération ; ce tour est {state}.")


def require_deliberated(rnd: RoundContext, *, what: str) -> None:
    """Reading what the panel said waits for the deliberation, and stays possible once the round is closed."""
    if rnd.status not in ("deliberation", "closed"):
        state = STATES.get(rnd.status, rnd.status)
        raise Conflict(f"{what} ne sont consultables qu'à partir de la délibération ; ce tour est {state}.")


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
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {cid: (f"{label} (n° {cid})" if seen[label] > 1 else label) for cid, label in labels.items()}


async def panel_candidates(db: Database, *, panel_id: int, blind: bool) -> dict[int, str]:
    rows = await db.fetch("delib_panel_candidates", panel_id=panel_id)
    return unique_labels(rows, blind=blind)


# --- Advancement ----------------------------------------------------------------------------------------

OPEN_STATUSES = ("pending", "eligible")


async def confirm_advancement(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    advance: list[int],
    based_on: str,
    reason: str = "",
    panel_id: int | None = None,
) -> Advancement:
    """Enter the chosen candidates in the next round and settle everyone else still in play.

    Only while the round deliberates: once closed, a round is immutable. With `panel_id`, only that panel's
    candidates are settled, so each semi-final can confirm its own finalists.
    """
    rnd = await load_round(db, round_id)
    if identity.kind != "organiser":
        raise Forbidden("Seuls les organisateurs confirment les qualifiés.")
    await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
    if not based_on.strip():
        raise Invalid(
            "Le classement de référence est obligatoire.",
            errors=[FieldError(field="based_on", message="Indiquez le classement (méthode et empreinte).")],
        )
    require_deliberation(rnd, what="Les confirmations de qualifiés")
    next_round = await db.fetchrow("delib_next_round", edition_id=rnd.edition_id, position=rnd.position)
    if next_round is None:
        raise Conflict("Ce tour est le dernier de l'édition : il n'y a pas de tour suivant.")
    if next_round["status"] != "draft":
        raise Conflict(
            f"Le tour suivant ({next_round['name']}) a déjà commencé : il n'accepte plus d'entrants."
        )

    entries = {r["candidate_id"]: r for r in await db.fetch("delib_round_entries", round_id=round_id)}
    if panel_id is not None and panel_id not in {
        p["id"] for p in await db.fetch("delib_round_panels", round_id=round_id)
    }:
        raise Invalid(
            "Ce jury n'appartient pas à ce tour.",
            errors=[FieldError(field="panel_id", message="Jury inconnu.")],
        )
    scope = {cid: e for cid, e in entries.items() if panel_id is None or e["panel_id"] == panel_id}
    errors = _advance_errors(advance, scope=scope)
    already = await db.fetch("delib_entries_in_round", round_id=next_round["id"], candidate_ids=advance)
    errors.extend(
        FieldError(field="advance", message=f"Candidat n° {r['candidate_id']} déjà inscrit au tour suivant.")
        for r in already
    )
    if errors:
        raise Invalid("La liste des qualifiés n'est pas valide : rien n'a été enregistré.", errors=errors)

    chosen = set(advance)
    eliminated = sorted(cid for cid, e in scope.items() if e["status"] in OPEN_STATUSES and cid not in chosen)
    decision_ids = []
    for cid, status, kind in [
        *((c, "advanced", "advance") for c in advance),
        *((c, "eliminated", "eliminate") for c in eliminated),
    ]:
        await db.execute(
            "delib_set_entry_status", candidate_id=cid, round_id=round_id, status=status, reason=reason
        )
        decision_ids.append(
            await db.fetchval(
                "delib_insert_decision",
                edition_id=rnd.edition_id,
                round_id=round_id,
                candidate_id=cid,
                kind=kind,
                reason=reason,
                based_on=based_on.strip(),
                decided_by=identity.person_id,
            )
        )
    for cid in advance:
        await db.execute("delib_insert_entry", candidate_id=cid, round_id=next_round["id"])
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="deliberation.advanced",
        target=f"round:{round_id}",
        payload={
            "next_round": next_round["id"],
            "panel": panel_id,
            "advanced": list(advance),
            "eliminated": eliminated,
            "based_on": based_on.strip(),
            "reason": reason,
            "decisions": decision_ids,
        },
    )
    return Advancement(
        round_id=round_id,
        next_round_id=next_round["id"],
        advanced=list(advance),
        eliminated=eliminated,
        decision_ids=decision_ids,
    )


def _advance_errors(advance: list[int], *, scope: Mapping[int, Mapping[str, Any]]) -> list[FieldError]:
    errors = []
    seen: set[int] = set()
    for index, cid in enumerate(advance):
        field = f"advance[{index}]"
        if cid in seen:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} cité deux fois."))
        elif cid not in scope:
            errors.append(
                FieldError(field=field, message=f"Candidat n° {cid} absent de ce tour (ou de ce jury).")
            )
        elif scope[cid]["status"] not in OPEN_STATUSES:
            errors.append(
                FieldError(
                    field=field,
                    message=f"Candidat n° {cid} : statut « {scope[cid]['status']} », il ne peut pas être qualifié.",
                )
            )
        seen.add(cid)
    return errors


# --- Decisions ------------------------------------------------------------------------------------------


async def list_decisions(db: Database, *, identity: Identity, slug: str) -> list[Decision]:
    edition = await organised_edition(db, identity=identity, slug=slug)
    rows = await db.fetch("delib_decisions_of_edition", edition_id=edition.id)
    return [
        Decision(
            id=r["id"],
            kind=r["kind"],
            candidate_id=r["candidate_id"],
            candidate=candidate_label({**dict(r), "id": r["candidate_id"]}, blind=False),
            round_id=r["round_id"],
            round_name=r["round_name"],
            prize=r["prize_name"],
            granted_eur=r["granted_eur"],
            reason=r["reason"],
            based_on=r["based_on"],
            decided_by=r["decided_by_name"],
            decided_at=r["decided_at"],
        )
        for r in rows
    ]


# --- Pages ----------------------------------------------------------------------------------------------


class PanelLink(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    panel_name: str
    role: str
    round_id: int
    round_name: str
    status: str


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
        )
        for r in rows
    ]


async def panel_name(db: Database, *, round_id: int, panel_id: int) -> str:
    names = {p["id"]: p["name"] for p in await db.fetch("delib_round_panels", round_id=round_id)}
    return names[panel_id]
