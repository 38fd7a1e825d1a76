"""The page of a round's candidates and juries: what still stops the round opening, placing candidates
before panels, naming members; one act per form, its refusal shown on the page (savepoint)."""

from __future__ import annotations

from typing import Literal

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, organised_round
from jury.contests.models import EditionDetail, Round
from jury.contests.service import get_edition, list_rounds
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, JuryError, NotFound
from jury.rounds.entries import (
    Placement,
    Role,
    RoundEntries,
    add_member,
    place_entries,
    read_entries,
    remove_member,
)


class EntriesPage(msgspec.Struct, frozen=True, kw_only=True):
    """What `organiser/round_entries.html` shows: the round's setup, and the outcome of the form just
    sent (a message, or the refusal with its status)."""

    edition: EditionDetail
    rounds: list[Round]
    view: RoundEntries
    message: str | None = None
    error: JuryError | None = None
    status: int = 200

    def context(self) -> dict[str, object]:
        return {
            "edition": self.edition,
            "rounds": self.rounds,
            "view": self.view,
            "panel_names": {p.id: p.name for p in self.view.panels},
            "message": self.message,
            "error": self.error,
        }


PageAction = Literal["placer", "ajouter", "retirer"]


class PageForm(msgspec.Struct, frozen=True, kw_only=True):
    """The page's forms, read by the web layer: placements, or one seat to add or take away."""

    action: PageAction
    placements: list[Placement] = []
    panel_id: int | None = None
    person_id: int | None = None
    email: str | None = None
    role: Role = "juror"
    is_professional: bool = False


async def entries_page(
    db: Database, *, identity: Identity, round_id: int, refused: Invalid | None = None
) -> EntriesPage:
    """The page; with `refused`, a form the page could not read, shown on the page with its status (a
    form's refusal is part of the page, whatever the client asked for)."""
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    page = await _page(db, rnd=rnd)
    if refused is None:
        return page
    return msgspec.structs.replace(page, error=refused, status=refused.status_code)


async def act_on_entries_page(
    db: Database, *, identity: Identity, round_id: int, form: PageForm
) -> EntriesPage:
    """One act of the page; a refusal is part of the page (shown with its status), and nothing of the act
    is written (savepoint). Scope is checked first: another contest's organiser gets the plain 403."""
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    try:
        async with db.transaction():
            message = await _act(db, identity=identity, rnd=rnd, form=form)
    except (Invalid, Conflict, NotFound) as exc:
        page = await _page(db, rnd=rnd)
        return EntriesPage(
            edition=page.edition, rounds=page.rounds, view=page.view, error=exc, status=exc.status_code
        )
    page = await _page(db, rnd=rnd)
    return EntriesPage(edition=page.edition, rounds=page.rounds, view=page.view, message=message)


async def _act(db: Database, *, identity: Identity, rnd: RoundInEdition, form: PageForm) -> str:
    if form.action == "placer":
        placed = await place_entries(db, identity=identity, round_id=rnd.id, placements=form.placements)
        text = f"{len(placed.placed)} candidat(s) placé(s) devant leur jury."
        if placed.assignments_removed:
            text += f" {placed.assignments_removed} affectation(s) à l'ancien jury retirée(s)."
        return text
    panel_id = await _page_panel(db, rnd=rnd, panel_id=form.panel_id)
    if form.action == "ajouter":
        added = await add_member(
            db,
            identity=identity,
            panel_id=panel_id,
            person_id=form.person_id,
            email=form.email,
            role=form.role,
            is_professional=form.is_professional,
        )
        return f"{added.full_name} siège désormais dans ce jury ({'présidence' if added.role == 'chair' else 'juré'})."
    if form.person_id is None:
        raise Invalid(
            "Juré à retirer manquant.", errors=[FieldError(field="person_id", message="Obligatoire.")]
        )
    removed = await remove_member(db, identity=identity, panel_id=panel_id, person_id=form.person_id)
    text = "Juré retiré du jury."
    if removed.assignments_removed:
        text += f" {removed.assignments_removed} affectation(s) retirée(s) avec lui."
    return text


async def _page_panel(db: Database, *, rnd: RoundInEdition, panel_id: int | None) -> int:
    """The page acts on the panels of its own round only."""
    panels = {p["id"] for p in await db.fetch("entries_round_panels", round_id=rnd.id)}
    if panel_id not in panels:
        raise Invalid(
            "Jury inconnu dans ce tour.", errors=[FieldError(field="panel_id", message="Jury inconnu.")]
        )
    assert panel_id is not None
    return panel_id


async def _page(db: Database, *, rnd: RoundInEdition) -> EntriesPage:
    edition = await get_edition(db, rnd.edition_slug)
    return EntriesPage(
        edition=edition, rounds=await list_rounds(db, edition.id), view=await read_entries(db, rnd=rnd)
    )
