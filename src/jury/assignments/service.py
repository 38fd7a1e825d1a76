"""Assigning jurors to candidates: reads a round's assignments, previews and writes plans, edits pairs.

The rules live in pure modules (`round_state` for the view and hand edits, `planning` and the solver for
plans); this module reads the round from the database, writes the difference, and audits it.
Everything that writes checks the organiser's scope and locks the round first (a plan applied while the
round is being closed must not half-land), then appends one audit event with ids and counts, never names.
"""

from __future__ import annotations

import asyncio
import gc

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, actor_label, organised_round
from jury.assignments.models import (
    AppliedPlan,
    AssignedPair,
    AssignmentPage,
    AssignmentsOverview,
    PairChange,
    PairRequest,
    PlanParameters,
    PlanPreview,
    RoundSummary,
)
from jury.assignments.planning import parameters_of, propose_plan
from jury.assignments.round_state import (
    RoundAssignments,
    overview_of,
    pair_to_add,
    pair_to_remove,
    summary_of,
    window_overview,
)
from jury.audit.service import append_event
from jury.contests.models import EditionDetail, Round
from jury.contests.service import get_edition, list_rounds, organised_edition
from jury.db.queries import Database
from jury.errors import Conflict, NotFound
from jury.paging import PER_PAGE, page_of

__all__ = [
    "add_pair",
    "apply_plan",
    "current_round_id",
    "overview",
    "page",
    "preview_plan",
    "remove_pair",
]

CLOSED = "Le tour est clos : les affectations ne peuvent plus changer."
STALE = (
    "Les données du tour ont changé depuis l'aperçu (affectations, conflits ou jurés) : "
    "rien n'a été enregistré, vérifiez le nouveau plan avant de confirmer."
)


# ---------------------------------------------------------------------------------------------- reading


async def overview(
    db: Database, *, identity: Identity, round_id: int, k: int | None = None
) -> AssignmentsOverview:
    """The round's assignments as they stand, with holes against `k` (inferred when not given)."""
    rnd = await _load(db, await organised_round(db, identity=identity, round_id=round_id))
    return overview_of(rnd, k=k)


async def page(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    k: int | None = None,
    plan: PlanParameters | None = None,
    panel_page: int = 1,
    panels_per_page: int = PER_PAGE,
    juror_page: int = 1,
) -> AssignmentPage:
    """What the assignment page shows, with the preview of `plan` when given (409 if the round is closed).

    The view's candidates and pairs are those of the panels on `panel_page` (and of the holes it names):
    the page's tables; its jurors, those of `juror_page` (the loads) and of these panels (the tables'
    columns). Without a plan, the round-wide figures come from the stored summary (`_summary`) and only
    the window's rows are read: the page's cost does not grow with the round. With a plan, one read of
    the whole round serves the view and the preview, so both describe the same data.
    """
    header = await organised_round(db, identity=identity, round_id=round_id)
    edition = await get_edition(db, header.edition_slug)
    rounds = await list_rounds(db, edition.id)
    if plan is not None:
        return await _page_with_plan(
            db,
            header=header,
            edition=edition,
            rounds=rounds,
            k=k,
            plan=plan,
            window=(panel_page, panels_per_page, juror_page),
        )
    summary = await _summary(db, header, k=k)
    panels = await db.fetch("assignment_panels", round_id=round_id)
    window = page_of(total=len(panels), page=panel_page, per_page=panels_per_page)
    shown = [row["id"] for row in panels[window.offset : window.offset + window.limit]]
    juror_ids = (await db.fetchrow("assignment_juror_ids", round_id=round_id))["person_ids"]
    loads = page_of(total=len(juror_ids), page=juror_page)
    shown_jurors = juror_ids[loads.offset : loads.offset + loads.limit]
    members = await db.fetch("assignment_window_members", round_id=round_id, panel_ids=shown)
    wanted = sorted({row["person_id"] for row in members}.union(shown_jurors))
    candidates = await db.fetch(
        "assignment_window_candidates",
        round_id=round_id,
        panel_ids=shown,
        candidate_ids=[h.candidate_id for h in summary.holes],
    )
    candidate_ids = [row["id"] for row in candidates]
    view = window_overview(
        header,
        summary=summary,
        panels=panels,
        shown=set(shown),
        members=members,
        jurors=await db.fetch("assignment_window_jurors", round_id=round_id, person_ids=wanted),
        candidates=candidates,
        pairs=await db.fetch(
            "assignment_window_pairs", round_id=round_id, panel_ids=shown, candidate_ids=candidate_ids
        ),
        conflicts=await db.fetch(
            "assignment_window_conflicts", round_id=round_id, candidate_ids=candidate_ids
        ),
    )
    return AssignmentPage(
        edition=edition,
        rounds=rounds,
        view=view,
        juror_total=len(juror_ids),
        shown_jurors=shown_jurors,
        hole_total=summary.hole_total,
    )


async def _page_with_plan(
    db: Database,
    *,
    header: RoundInEdition,
    edition: EditionDetail,
    rounds: list[Round],
    k: int | None,
    plan: PlanParameters,
    window: tuple[int, int, int],
) -> AssignmentPage:
    """The page with a plan's preview: the solver needs the whole round, so the view is built from it."""
    panel_page, panels_per_page, juror_page = window
    rnd = await _load(db, header, columns=True)
    preview = await _preview(rnd, parameters=plan)
    panels = page_of(total=len(rnd.panels), page=panel_page, per_page=panels_per_page)
    shown = list(rnd.panels)[panels.offset : panels.offset + panels.limit]
    loads = page_of(total=len(rnd.members), page=juror_page)
    shown_jurors = list(rnd.members)[loads.offset : loads.offset + loads.limit]
    columns = {p for p, m in rnd.members.items() if not m["panels"].isdisjoint(shown)}
    view = overview_of(rnd, k=k, panels=set(shown), jurors=columns.union(shown_jurors))
    return AssignmentPage(
        edition=edition,
        rounds=rounds,
        view=view,
        preview=preview,
        juror_total=len(rnd.members),
        shown_jurors=shown_jurors,
        hole_total=len(view.holes),
    )


async def _summary(db: Database, header: RoundInEdition, *, k: int | None) -> RoundSummary:
    """The round's stored summary for `k` if it is current, else computed from the whole round and stored.

    The version is read before the rows the summary is computed from: a change committed in between
    bumps it past the stored one, so the next visit recomputes (stale, never wrong). Shared by every
    worker and kept across restarts; the first visit after a change pays for the computation.
    """
    wanted = k or 0
    row = await db.fetchrow("assignment_summary", round_id=header.id, wanted=wanted)
    if row["stored_version"] == row["version"]:
        return msgspec.json.decode(row["summary"], type=RoundSummary)
    summary = summary_of(await _load(db, header, scored=False, columns=True), k=k)
    await db.execute(
        "store_assignment_summary",
        round_id=header.id,
        wanted=wanted,
        version=row["version"],
        summary=msgspec.json.encode(summary).decode(),
    )
    return summary


async def current_round_id(db: Database, *, identity: Identity, slug: str) -> int:
    """The round an edition's assignment link opens: the first one not closed, else the last one."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    rounds = await list_rounds(db, edition.id)
    if not rounds:
        raise NotFound("Cette édition n'a encore aucun tour.")
    return next((r for r in rounds if r.status != "closed"), rounds[-1]).id


# ------------------------------------------------------------------------------------ automatic plans


async def preview_plan(
    db: Database, *, identity: Identity, round_id: int, parameters: PlanParameters
) -> PlanPreview:
    """Proposes a plan and writes nothing, so the organiser can read it (and draw again) before saving."""
    rnd = await _load(db, await organised_round(db, identity=identity, round_id=round_id))
    return await _preview(rnd, parameters=parameters)


async def apply_plan(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    parameters: PlanParameters,
    expected_digest: str | None = None,
) -> AppliedPlan:
    """Recomputes the plan under the round's lock and writes the difference in one transaction.

    Recomputing (rather than trusting pairs sent back by the browser) means only plans the solver can
    justify are written; the same parameters and seed give the previewed plan, and `expected_digest`
    catches the case where the data moved in between.
    """
    async with db.transaction():
        rnd = await _load(db, await _locked_editable(db, identity=identity, round_id=round_id))
        preview = await _preview(rnd, parameters=parameters)
        if expected_digest and expected_digest != preview.digest:
            raise Conflict(STALE)
        await _delete(db, round_id=round_id, pairs=preview.removed)
        await _insert(db, pairs=preview.added)
        settings = parameters_of(parameters)
        summary = AppliedPlan(
            round_id=round_id,
            parameters=settings,
            digest=preview.digest,
            pairs=len(preview.pairs),
            added=len(preview.added),
            removed=len(preview.removed),
            kept=preview.kept,
            uncovered=len(preview.uncovered),
            connected=preview.design.connected,
            components=preview.design.components,
            fiedler=preview.design.fiedler,
        )
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="assignments.applied",
            target=f"round:{round_id}",
            payload={
                **msgspec.to_builtins(settings),
                "digest": preview.digest,
                "pairs": summary.pairs,
                "added": summary.added,
                "removed": summary.removed,
                "kept": summary.kept,
                "uncovered": summary.uncovered,
                "bridging_jurors": len(preview.bridges),
                "connected": summary.connected,
                "components": summary.components,
            },
        )
    return summary


# ----------------------------------------------------------------------------------------- hand edits


async def add_pair(db: Database, *, identity: Identity, round_id: int, pair: PairRequest) -> PairChange:
    """Adds one pair in the candidate's panel; refuses conflicted pairs and jurors of another panel."""
    async with db.transaction():
        rnd = await _load(db, await _locked_editable(db, identity=identity, round_id=round_id))
        change = pair_to_add(rnd, pair)
        if change is None:
            person, candidate = pair.person_id, pair.candidate_id
            panel = rnd.pairs[person, candidate]
            return PairChange(
                round_id=rnd.id, panel_id=panel, person_id=person, candidate_id=candidate, changed=False
            )
        await _insert(db, pairs=[change])
        await _audit_pair(
            db, identity=identity, action="assignments.pair_added", round_id=rnd.id, pair=change
        )
    return PairChange(round_id=rnd.id, changed=True, **msgspec.structs.asdict(change))


async def remove_pair(db: Database, *, identity: Identity, round_id: int, pair: PairRequest) -> PairChange:
    """Removes one pair, unless the juror already opened a score sheet for it (the marks would dangle)."""
    async with db.transaction():
        rnd = await _load(db, await _locked_editable(db, identity=identity, round_id=round_id))
        change = pair_to_remove(rnd, pair)
        await _delete(db, round_id=round_id, pairs=[change])
        await _audit_pair(
            db, identity=identity, action="assignments.pair_removed", round_id=rnd.id, pair=change
        )
    return PairChange(round_id=rnd.id, changed=True, **msgspec.structs.asdict(change))


# -------------------------------------------------------------------------------------------- helpers


async def _locked_editable(db: Database, *, identity: Identity, round_id: int) -> RoundInEdition:
    """The round, locked for the transaction so that it cannot close (or take another plan) meanwhile."""
    header = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if header.status == "closed":
        raise Conflict(CLOSED)
    return header


async def _load(
    db: Database, header: RoundInEdition, *, scored: bool = True, columns: bool = False
) -> RoundAssignments:
    """The round as the rules need it; without `scored`, the set of pairs already scored is left empty
    (only plans and removals consult it). With `columns`, the same pairs are read as three arrays (the
    page's path: a third of the time of 90,000 rows)."""
    round_id = header.id
    pair_columns = await db.fetchrow("assignment_pair_columns", round_id=round_id) if columns else None
    rows = {
        "panels": await db.fetch("assignment_panels", round_id=round_id),
        "members": await db.fetch("assignment_members", round_id=round_id),
        "candidates": await db.fetch("assignment_candidates", round_id=round_id),
        "pairs": [] if columns else await db.fetch("assignment_pairs", round_id=round_id),
        "conflicts": await db.fetch("conflicts_of_round", round_id=round_id),
        "scored": await db.fetch("assignment_scored_pairs", round_id=round_id) if scored else [],
    }
    if not columns:
        return RoundAssignments.from_rows(header, **rows)
    # The page's path: building 90,000 tuples set off collections that walked every live object (about
    # 100 ms of its 250 at the largest contest). Nothing here makes cycles, and no await happens while the
    # collector is paused, so no other request runs meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return RoundAssignments.from_rows(header, pair_columns=pair_columns, **rows)
    finally:
        if was_enabled:
            gc.enable()


async def _preview(rnd: RoundAssignments, *, parameters: PlanParameters) -> PlanPreview:
    if not rnd.editable:
        raise Conflict(CLOSED)
    # The solver is CPU-bound (tens of milliseconds): keep it off the event loop.
    return await asyncio.to_thread(propose_plan, rnd, parameters=parameters)


async def _insert(db: Database, *, pairs: list[AssignedPair]) -> None:
    if pairs:
        await db.execute(
            "insert_assignment_pairs",
            panel_ids=[p.panel_id for p in pairs],
            person_ids=[p.person_id for p in pairs],
            candidate_ids=[p.candidate_id for p in pairs],
        )


async def _delete(db: Database, *, round_id: int, pairs: list[AssignedPair]) -> None:
    if pairs:
        await db.execute(
            "delete_assignment_pairs",
            round_id=round_id,
            person_ids=[p.person_id for p in pairs],
            candidate_ids=[p.candidate_id for p in pairs],
        )


async def _audit_pair(
    db: Database, *, identity: Identity, action: str, round_id: int, pair: AssignedPair
) -> None:
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action=action,
        target=f"round:{round_id}",
        payload=msgspec.to_builtins(pair),
    )
