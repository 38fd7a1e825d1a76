"""Who stands before which panel, and who sits on it: the setup a round needs before it can open.

Candidates enter a round when the organisers confirm who advances (`jury.deliberation.awards.decisions`);
a round with a single panel (the final's Grand jury) takes them straight away, a round with several needs
the organiser to place each one (or the territorial routing of `jury.rounds.routing`). Panels get their
members from the jurors' import (its `jury` column) or one by one here, among the edition's jurors, so a
real edition is set up without SQL. Every change is audited with ids only.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, actor_label, organised_round
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, NotFound
from jury.labels import label
from jury.rounds.lifecycle import RoundSnapshot, readiness_problems

Role = Literal["juror", "chair"]

PLACEABLE = ("pending", "eligible")
"""Statuses of a candidate still in play in a round: only they are put before a panel."""

EDITABLE = ("draft", "open")
"""A panel's line-up and its candidates are set before and during scoring; from deliberation on, the
standings and votes are read per panel, so neither may change any more."""


class PanelMember(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    title: str
    role: Role
    is_professional: bool


class RoundPanel(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    venue: str
    zone: str | None
    members: list[PanelMember]
    candidates: int


class EntryRow(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    name: str
    entry_number: int | None
    category: str | None
    status: str
    panel_id: int | None


class EditionJuror(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    title: str


class RoundEntries(msgspec.Struct, frozen=True, kw_only=True):
    """A round's candidates with their panel, its panels with their members, and what still keeps it
    from opening (the same list `POST /api/rounds/{id}/status` refuses with)."""

    round_id: int
    round_name: str
    round_status: str
    edition_slug: str
    panels: list[RoundPanel]
    entries: list[EntryRow]
    jurors: list[EditionJuror]
    problems: list[str]


class Placement(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    panel_id: int


class PlacedEntries(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    placed: list[Placement]
    unchanged: int
    assignments_removed: int


class MemberAdded(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    round_id: int
    person_id: int
    full_name: str
    role: Role
    is_professional: bool


class MemberRemoved(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    round_id: int
    person_id: int
    role: Role
    assignments_removed: int


# ------------------------------------------------------------------------------------------------ reading


async def round_entries(db: Database, *, identity: Identity, round_id: int) -> RoundEntries:
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    return await read_entries(db, rnd=rnd)


async def read_entries(db: Database, *, rnd: RoundInEdition) -> RoundEntries:
    members: dict[int, list[PanelMember]] = {}
    for m in await db.fetch("entries_round_members", round_id=rnd.id):
        members.setdefault(m["panel_id"], []).append(
            PanelMember(
                person_id=m["person_id"],
                full_name=m["full_name"],
                title=m["title"],
                role=m["role"],
                is_professional=m["is_professional"],
            )
        )
    entries = [
        EntryRow(
            candidate_id=e["candidate_id"],
            name=_name(e),
            entry_number=e["entry_number"],
            category=e["category_name"],
            status=e["status"],
            panel_id=e["panel_id"],
        )
        for e in await db.fetch("entries_of_round", round_id=rnd.id)
    ]
    panels = [
        RoundPanel(
            id=p["id"],
            name=p["name"],
            venue=p["venue"],
            zone=p["zone_label"],
            members=members.get(p["id"], []),
            candidates=sum(e.panel_id == p["id"] for e in entries),
        )
        for p in await db.fetch("entries_round_panels", round_id=rnd.id)
    ]
    jurors = [
        EditionJuror(person_id=j["person_id"], full_name=j["full_name"], title=j["title"])
        for j in await db.fetch("entries_edition_jurors", edition_id=rnd.edition_id)
    ]
    problems: list[str] = []
    if rnd.status == "draft":
        snapshot = await db.fetchrow("round_snapshot", round_id=rnd.id)
        problems = readiness_problems(RoundSnapshot(**dict(snapshot)), kind=rnd.kind)
    return RoundEntries(
        round_id=rnd.id,
        round_name=rnd.name,
        round_status=rnd.status,
        edition_slug=rnd.edition_slug,
        panels=panels,
        entries=entries,
        jurors=jurors,
        problems=problems,
    )


def _name(row) -> str:
    return (row["organisation_name"] or "").strip() or (row["person_name"] or "").strip()


# --------------------------------------------------------------------------------- candidates → panels


async def place_in_only_panel(db: Database, *, round_id: int, candidate_ids: list[int]) -> int | None:
    """Candidates just entered in a round go before its panel when it has exactly one (a final's Grand
    jury): there is nothing to choose, and a round whose candidates have no panel cannot open. With
    several panels the organiser places them (`place_entries`, or the territorial routing). Returns the
    panel, or None when nothing was placed. The caller audits the entry it is part of."""
    rows = await db.fetch("entries_place_in_only_panel", round_id=round_id, candidate_ids=candidate_ids)
    return rows[0]["panel_id"] if rows else None


async def place_entries(
    db: Database, *, identity: Identity, round_id: int, placements: list[Placement]
) -> PlacedEntries:
    """Put candidates of a round before panels of that round, all or nothing.

    A candidate who changes panel loses the assignments to jurors of the panel left (they could not score
    there any more); one already scored in the round keeps their panel, or the sheets would lie.
    """
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    require_editable(rnd, what="La répartition des candidats entre les jurys")
    if not placements:
        raise Invalid(
            "Aucun candidat à placer.",
            errors=[FieldError(field="entries", message="Indiquez au moins un candidat et son jury.")],
        )
    entries = {e["candidate_id"]: e for e in await db.fetch("entries_of_round", round_id=round_id)}
    panels = {p["id"] for p in await db.fetch("entries_round_panels", round_id=round_id)}
    scored = {r["candidate_id"] for r in await db.fetch("entries_scored_candidates", round_id=round_id)}
    errors: list[FieldError] = []
    seen: set[int] = set()
    changes: list[tuple[int, int, int | None]] = []
    for index, p in enumerate(placements):
        where = f"entries[{index}]"
        entry = entries.get(p.candidate_id)
        if p.candidate_id in seen:
            errors.append(FieldError(field=f"{where}.candidate_id", message="Candidat cité deux fois."))
        elif entry is None:
            errors.append(
                FieldError(field=f"{where}.candidate_id", message="Ce candidat n'est pas inscrit à ce tour.")
            )
        elif p.panel_id not in panels:
            errors.append(
                FieldError(field=f"{where}.panel_id", message="Ce jury n'appartient pas à ce tour.")
            )
        elif entry["panel_id"] == p.panel_id:
            pass
        elif entry["status"] not in PLACEABLE:
            errors.append(
                FieldError(
                    field=f"{where}.candidate_id",
                    message=f"{_name(entry)} est « {label(entry['status'], 'candidate')} » "
                    "dans ce tour : il ne passe devant aucun jury.",
                )
            )
        elif p.candidate_id in scored:
            errors.append(
                FieldError(
                    field=f"{where}.candidate_id",
                    message=f"{_name(entry)} a déjà été noté dans ce tour : son jury ne change plus.",
                )
            )
        else:
            changes.append((p.candidate_id, p.panel_id, entry["panel_id"]))
        seen.add(p.candidate_id)
    if errors:
        raise Invalid("La répartition n'est pas valide : rien n'a été enregistré.", errors=errors)
    removed = 0
    if changes:
        ids = [c for c, _, _ in changes]
        to = [p for _, p, _ in changes]
        removed = len(
            await db.fetch(
                "entries_drop_stale_assignments", round_id=round_id, candidate_ids=ids, panel_ids=to
            )
        )
        await db.execute("entries_place", round_id=round_id, candidate_ids=ids, panel_ids=to)
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="round.entries_placed",
            target=f"round:{round_id}",
            payload={
                "placed": [{"candidate": c, "panel": p, "from": old} for c, p, old in changes],
                "assignments_removed": removed,
            },
        )
    return PlacedEntries(
        round_id=round_id,
        placed=[Placement(candidate_id=c, panel_id=p) for c, p, _ in changes],
        unchanged=len(placements) - len(changes),
        assignments_removed=removed,
    )


# -------------------------------------------------------------------------------------- panel members


async def add_member(
    db: Database,
    *,
    identity: Identity,
    panel_id: int,
    person_id: int | None = None,
    email: str | None = None,
    role: Role = "juror",
    is_professional: bool = False,
) -> MemberAdded:
    """Seat one of the edition's jurors on a panel (the Grand jury of a final, a late replacement).

    Only people already jurors of the edition (imported, or seated on another panel): a panel is no way to
    create accounts, nor to find out who else the service knows. One chair per panel.
    """
    rnd, panel_name = await _panel_round(db, identity=identity, panel_id=panel_id)
    require_editable(rnd, what="La composition des jurys")
    email = (email or "").strip() or None
    if person_id is None and email is None:
        raise Invalid(
            "Indiquez le juré à ajouter.",
            errors=[FieldError(field="email", message="Courriel (ou identifiant) du juré obligatoire.")],
        )
    juror = await db.fetchrow(
        "entries_edition_juror", edition_id=rnd.edition_id, person_id=person_id, email=email
    )
    if juror is None:
        field = "person_id" if person_id is not None else "email"
        raise Invalid(
            "Ce juré n'est pas un juré de cette édition.",
            errors=[
                FieldError(
                    field=field,
                    message="Aucun juré de cette édition ne correspond : importez-le d'abord (import des "
                    "jurés), sa colonne « jury » peut déjà le placer.",
                )
            ],
        )
    if role == "chair" and await db.fetchval("entries_panel_chair", panel_id=panel_id) is not None:
        raise Conflict(
            f"Le jury « {panel_name} » a déjà une présidence : retirez-la avant d'en nommer une autre."
        )
    seated = await db.fetchval(
        "entries_add_member",
        panel_id=panel_id,
        person_id=juror["person_id"],
        role=role,
        is_professional=is_professional,
    )
    if seated is None:
        raise Conflict(f"{juror['full_name']} siège déjà dans le jury « {panel_name} ».")
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="panel.member_added",
        target=f"panel:{panel_id}",
        payload={
            "round": rnd.id,
            "person": juror["person_id"],
            "role": role,
            "is_professional": is_professional,
        },
    )
    return MemberAdded(
        panel_id=panel_id,
        round_id=rnd.id,
        person_id=juror["person_id"],
        full_name=juror["full_name"],
        role=role,
        is_professional=is_professional,
    )


async def remove_member(db: Database, *, identity: Identity, panel_id: int, person_id: int) -> MemberRemoved:
    """Take a seat away, with the member's assignments in this panel; never once they scored there."""
    rnd, panel_name = await _panel_round(db, identity=identity, panel_id=panel_id)
    require_editable(rnd, what="La composition des jurys")
    role = await db.fetchval("entries_panel_member", panel_id=panel_id, person_id=person_id)
    if role is None:
        raise NotFound(f"Cette personne ne siège pas dans le jury « {panel_name} ».")
    if await db.fetchval("entries_member_sheets", panel_id=panel_id, person_id=person_id):
        raise Conflict("Ce juré a déjà ouvert des feuilles de notation dans ce jury : il y reste.")
    removed = len(await db.fetch("entries_drop_member_assignments", panel_id=panel_id, person_id=person_id))
    await db.execute("entries_remove_member", panel_id=panel_id, person_id=person_id)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="panel.member_removed",
        target=f"panel:{panel_id}",
        payload={"round": rnd.id, "person": person_id, "role": role, "assignments_removed": removed},
    )
    return MemberRemoved(
        panel_id=panel_id, round_id=rnd.id, person_id=person_id, role=role, assignments_removed=removed
    )


async def _panel_round(db: Database, *, identity: Identity, panel_id: int) -> tuple[RoundInEdition, str]:
    """The panel's round, locked, once the caller organises its contest (404, then 403)."""
    panel = await db.fetchrow("entries_panel_round", panel_id=panel_id)
    if panel is None:
        raise NotFound("Jury inconnu.")
    rnd = await organised_round(db, identity=identity, round_id=panel["round_id"], lock="update")
    return rnd, panel["name"]


def require_editable(rnd: RoundInEdition, *, what: str) -> None:
    if rnd.status not in EDITABLE:
        raise Conflict(
            f"{what} ne change plus : le tour « {rnd.name} » est en « {label(rnd.status, 'round')} »."
        )
