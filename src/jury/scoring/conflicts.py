"""Conflicts of interest: jurors declare them before scoring; organisers keep the register.

A juror answers for every candidate assigned to them in a round — "aucun conflit" or "conflit" with a
reason — before the round's sheets open to them, so that nobody marks a candidate first and remembers
the conflict afterwards. A declared conflict is acted on at once: the juror's assignment to that
candidate goes (the dashboard shows the hole for the organisers to fill), a sheet already started goes
too (it must not count), and the pair is refused everywhere from then on. A conflict cannot be withdrawn
by the juror: that is the organisers' call, made in the assignments.

The register is exported as CSV for the file of the contest; cells that a spreadsheet would run as a
formula are neutralised, because reasons and names are typed by people.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.contests.models import EditionDetail
from jury.contests.service import organised_edition
from jury.db.queries import Database, fetch_as
from jury.errors import Conflict, FieldError, Invalid
from jury.french.dates import PARIS
from jury.scoring.models import (
    MAX_COMMENT,
    CandidateRef,
    DeclarationIn,
    DeclarationRow,
    RegisterEntry,
    RoundDeclarations,
)
from jury.scoring.sheets import juror_round, round_ref
from jury.spreadsheet import french_csv, neutralise

__all__ = ["EditionRegister", "declare", "edition_register", "register_csv", "round_declarations"]


async def round_declarations(db: Database, *, identity: Identity, round_id: int) -> RoundDeclarations:
    rnd = await juror_round(db, identity=identity, round_id=round_id)
    rows = await db.fetch("scoring_round_declarations", round_id=round_id, person_id=identity.person_id)
    candidates = [
        DeclarationRow(
            candidate=CandidateRef(
                id=row["id"],
                entry_number=row["entry_number"],
                name=row["name"],
                title=row["title"],
                category=row["category"],
            ),
            declared=row["has_conflict"] is not None,
            has_conflict=row["has_conflict"],
            reason=row["reason"],
            declared_at=row["declared_at"],
        )
        for row in rows
    ]
    return RoundDeclarations(
        round=round_ref(rnd),
        complete=all(c.declared for c in candidates),
        candidates=candidates,
    )


def _check(
    declarations: Sequence[DeclarationIn], *, allowed: set[int], labels: dict[int, str]
) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, item in enumerate(declarations):
        field = f"declarations.{i}"
        if item.candidate_id not in allowed:
            errors.append(
                FieldError(field=f"{field}.candidate_id", message="Candidat non affecté dans ce tour.")
            )
            continue
        if item.candidate_id in seen:
            errors.append(
                FieldError(
                    field=f"{field}.candidate_id", message=f"{labels[item.candidate_id]} : déclaré deux fois."
                )
            )
        seen.add(item.candidate_id)
        if item.has_conflict and not item.reason.strip():
            errors.append(
                FieldError(
                    field=f"{field}.reason",
                    message=f"{labels[item.candidate_id]} : motif du conflit obligatoire",
                )
            )
        if len(item.reason) > MAX_COMMENT:
            errors.append(
                FieldError(
                    field=f"{field}.reason",
                    message=f"{labels[item.candidate_id]} : motif trop long ({MAX_COMMENT} caractères au plus)",
                )
            )
    return errors


async def declare(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    declarations: Sequence[DeclarationIn],
    require_all: bool = False,
) -> RoundDeclarations:
    """Records the juror's declarations for candidates of the round (all of them with `require_all`, as
    the page's form does; the API may send them one by one). All or nothing: one bad line writes none."""
    # Share lock: closing the round waits for these declarations, and a later one sees it closed.
    rnd = await juror_round(db, identity=identity, round_id=round_id, lock="share")
    if rnd.status != "open":
        raise Conflict("Les déclarations de conflits d'intérêts se font pendant que le tour est ouvert.")
    current = await round_declarations(db, identity=identity, round_id=round_id)
    labels = {c.candidate.id: c.candidate.label for c in current.candidates}
    errors = _check(declarations, allowed=set(labels), labels=labels)
    if require_all:
        answered = {d.candidate_id for d in declarations}
        errors.extend(
            FieldError(
                field=f"candidate.{c.candidate.id}", message=f"{c.candidate.label} : réponse manquante"
            )
            for c in current.candidates
            if not c.declared and c.candidate.id not in answered
        )
    already = {c.candidate.id: c for c in current.candidates}
    for item in declarations:
        previous = already.get(item.candidate_id)
        if previous is not None and previous.has_conflict and not item.has_conflict:
            errors.append(
                FieldError(
                    field=f"candidate.{item.candidate_id}",
                    message=f"{previous.candidate.label} : un conflit déclaré ne peut être retiré que par "
                    "les organisateurs",
                )
            )
    if errors:
        raise Invalid("Déclarations non enregistrées : corrigez les lignes signalées.", errors=errors)

    for item in declarations:
        previous = already[item.candidate_id]
        if previous.has_conflict or (previous.declared and not item.has_conflict):
            continue  # nothing changes: a conflict stays, "aucun conflit" again is already on record
        await db.fetchval(
            "scoring_upsert_declaration",
            round_id=round_id,
            person_id=identity.person_id,
            candidate_id=item.candidate_id,
            has_conflict=item.has_conflict,
            reason=item.reason.strip(),
        )
        if item.has_conflict:
            await _withdraw(db, identity=identity, round_id=round_id, candidate_id=item.candidate_id)
        else:
            await append_event(
                db,
                actor_id=identity.person_id,
                actor_label=actor_label(identity),
                action="conflict.none_declared",
                target=f"round:{round_id}",
                payload={"person_id": identity.person_id, "candidate_id": item.candidate_id},
            )
    return await round_declarations(db, identity=identity, round_id=round_id)


async def _withdraw(db: Database, *, identity: Identity, round_id: int, candidate_id: int) -> None:
    """The pair leaves the round: assignment removed (after any sheet write in flight), sheet voided."""
    panels = [
        row["panel_id"]
        for row in await db.fetch(
            "scoring_remove_assignment",
            round_id=round_id,
            person_id=identity.person_id,
            candidate_id=candidate_id,
        )
    ]
    voided = await db.fetchrow(
        "scoring_delete_sheet", round_id=round_id, person_id=identity.person_id, candidate_id=candidate_id
    )
    # The reason stays in the register (organisers need it); the trail records the fact, not the words.
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="conflict.declared",
        target=f"round:{round_id}",
        payload={
            "person_id": identity.person_id,
            "candidate_id": candidate_id,
            "assignments_removed": sorted(panels),
            "sheet_voided": None if voided is None else {"id": voided["id"], "version": voided["version"]},
        },
    )


class EditionRegister(msgspec.Struct, frozen=True, kw_only=True):
    """The register with its edition: the page's heading, the API's and the CSV's lines."""

    edition: EditionDetail
    entries: list[RegisterEntry]


async def edition_register(db: Database, *, identity: Identity, slug: str) -> EditionRegister:
    """The declarations of an edition, for an organiser of its contest (404, then 403)."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    entries = await fetch_as(db, "scoring_edition_register", row_type=RegisterEntry, edition_id=edition.id)
    return EditionRegister(edition=edition, entries=entries)


REGISTER_COLUMNS = ("Tour", "Juré", "N° d'inscription", "Candidat", "Déclaration", "Motif", "Date")


def register_csv(entries: Sequence[RegisterEntry]) -> bytes:
    """French spreadsheet dialect (`;`, UTF-8 with BOM), every text cell neutralised."""
    return french_csv(
        REGISTER_COLUMNS,
        (
            [
                neutralise(e.round_name),
                neutralise(e.juror_name),
                "" if e.entry_number is None else e.entry_number,
                neutralise(e.candidate_name),
                "conflit" if e.has_conflict else "aucun conflit",
                neutralise(e.reason),
                e.declared_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
            ]
            for e in entries
        ),
    )
