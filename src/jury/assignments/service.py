"""Assigning jurors to candidates: the organisers' view of a round, the solver's plan, and hand edits.

The solver (`jury.scoring.assignment`) only knows ids and zones; this module turns a round in the database
into its input and its plan back into rows. The rule that ties them together: a pair (juror, candidate)
belongs to the panel the candidate competes in (`candidate_rounds.panel_id`), and the juror must sit on it.
Every panel of a multi-panel round is therefore its own solver zone, so the solver can never propose a
pair that no panel holds, and a juror sitting on every panel is what it may use as a bridge.

Everything that writes checks the organiser's scope first, then locks the round (a plan applied while the
round is being closed must not half-land), and appends one audit event with ids and counts, never names.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, Invalid, NotFound
from jury.results.design import check_design
from jury.scoring.assignment import AssignmentPlan, CandidateSlot, JurorSlot, propose_assignment

__all__ = [
    "AppliedPlan",
    "ApplyRequest",
    "AssignedPair",
    "AssignmentsOverview",
    "DesignSummary",
    "PairChange",
    "PairRequest",
    "PlanParameters",
    "PlanPreview",
    "add_pair",
    "apply_plan",
    "design_message",
    "overview",
    "preview_plan",
    "remove_pair",
]

DEFAULT_K = 3
CLOSED = "Le tour est clos : les affectations ne peuvent plus changer."
STALE = (
    "Les données du tour ont changé depuis l'aperçu (affectations, conflits ou jurés) : "
    "rien n'a été enregistré, vérifiez le nouveau plan avant de confirmer."
)


class PlanParameters(msgspec.Struct, frozen=True, kw_only=True):
    """What the organiser chooses for the automatic plan; echoed in the preview and the audit trail."""

    k: Annotated[int, msgspec.Meta(ge=1, le=20, description="Nombre de jurés voulus par candidat.")] = (
        DEFAULT_K
    )
    seed: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=2_147_483_647,
            description="Graine du tirage : mêmes données et même graine, même plan ; "
            "une autre graine donne un autre plan aussi équilibré.",
        ),
    ] = 0
    bridging: Annotated[
        int, msgspec.Meta(ge=0, le=20, description="Nombre de jurés passerelles entre les jurys de zone.")
    ] = 2
    bridge_min_per_zone: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=1000,
            description="Candidats que chaque juré passerelle doit voir dans chaque zone "
            "(au plus la taille de la zone).",
        ),
    ] = 8
    fill_holes_only: Annotated[
        bool,
        msgspec.Meta(
            description="Conserver les affectations existantes et compléter seulement les candidats "
            "qui ont moins de k jurés."
        ),
    ] = False


class ApplyRequest(PlanParameters, frozen=True, kw_only=True):
    """The parameters again, plus what the organiser saw, so a plan that changed since is not written."""

    expected_digest: Annotated[
        str | None,
        msgspec.Meta(
            description="Empreinte `digest` de l'aperçu confirmé. Si elle est donnée et que le plan "
            "recalculé diffère (données modifiées entre-temps), rien n'est écrit (409)."
        ),
    ] = None


class PairRequest(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    candidate_id: int


class AssignedPair(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    person_id: int
    candidate_id: int


class PanelView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    zone: str | None
    ept_codes: list[str]
    jurors: list[int]
    candidates: list[int]


class JurorView(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    panels: list[int]
    chairs: list[int]
    load: int
    bridging: bool


class CandidateView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    entry_number: int | None
    commune: str
    ept_code: str | None
    panel_id: int | None
    jurors: list[int]
    conflicts: list[int]


class Hole(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate with fewer than k jurors; `reason` says in French what the organiser can do."""

    candidate_id: int
    panel_id: int | None
    assigned: int
    wanted: int
    reason: str


class DesignSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the marks will be comparable across panels (see `jury.results.design`)."""

    connected: bool
    components: int
    fiedler: float
    bridging_jurors: list[int]
    message: str


class AssignmentsOverview(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    round_name: str
    round_kind: str
    round_status: str
    editable: bool
    k: int
    panels: list[PanelView]
    jurors: list[JurorView]
    candidates: list[CandidateView]
    pairs: list[AssignedPair]
    holes: list[Hole]
    design: DesignSummary
    warnings: list[str]


class PlanLoad(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    load: int
    added: int
    bridging: bool


class PlanShortfall(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    name: str
    zone: str | None
    assigned: int
    wanted: int
    reason: str


class PlanBridge(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    seen: dict[str, int]
    required: dict[str, int]
    complete: bool


class PlanPreview(msgspec.Struct, frozen=True, kw_only=True):
    """A proposal, not saved. `removed` are current pairs the plan would delete, `kept` those it keeps."""

    round_id: int
    parameters: PlanParameters
    digest: str
    pairs: list[AssignedPair]
    added: list[AssignedPair]
    removed: list[AssignedPair]
    kept: int
    loads: list[PlanLoad]
    uncovered: list[PlanShortfall]
    bridges: list[PlanBridge]
    design: DesignSummary
    warnings: list[str]


class AppliedPlan(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    parameters: PlanParameters
    digest: str
    pairs: int
    added: int
    removed: int
    kept: int
    uncovered: int
    connected: bool
    components: int
    fiedler: float


class PairChange(msgspec.Struct, frozen=True, kw_only=True):
    """`changed` is False when the pair was already there (adding twice is harmless)."""

    round_id: int
    panel_id: int
    person_id: int
    candidate_id: int
    changed: bool


@dataclass
class _Round:
    """One round as read from the database, with the lookups every view and check needs."""

    id: int
    edition_id: int
    name: str
    kind: str
    status: str
    panels: dict[int, dict[str, Any]]
    zone_of_panel: dict[int, str | None]
    members: dict[int, dict[str, Any]]  # person_id → {full_name, panels, chairs}
    candidates: dict[int, dict[str, Any]]
    pairs: dict[tuple[int, int], int]  # (person_id, candidate_id) → panel_id
    conflicts: set[tuple[int, int]]
    scored: set[tuple[int, int]] = field(default_factory=set)
    # Withdrawn or ineligible candidates: no jurors for them, but their leftover pairs need a name.
    former: dict[int, str] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.status != "closed"

    def juror_name(self, person_id: int) -> str:
        return self.members[person_id]["full_name"] if person_id in self.members else f"n° {person_id}"

    def candidate_name(self, candidate_id: int) -> str:
        row = self.candidates.get(candidate_id)
        return row["name"] if row else self.former.get(candidate_id, f"n° {candidate_id}")

    def panel_name(self, panel_id: int | None) -> str:
        return self.panels[panel_id]["name"] if panel_id in self.panels else "—"


# ---------------------------------------------------------------------------------------------- reading


async def overview(
    db: Database, *, identity: Identity, round_id: int, k: int | None = None
) -> AssignmentsOverview:
    """The round's assignments as they stand, with holes against `k` (inferred when not given)."""
    rnd = await _load(db, await _round_in_scope(db, identity=identity, round_id=round_id))
    k = k or _usual_k(rnd)
    loads = Counter(person for person, _ in rnd.pairs)
    design = _design_summary(rnd, pairs=list(rnd.pairs))
    jurors_of: dict[int, list[int]] = defaultdict(list)
    for person, candidate in sorted(rnd.pairs):
        jurors_of[candidate].append(person)
    conflicts_of: dict[int, list[int]] = defaultdict(list)
    for person, candidate in sorted(rnd.conflicts):
        conflicts_of[candidate].append(person)
    return AssignmentsOverview(
        round_id=rnd.id,
        round_name=rnd.name,
        round_kind=rnd.kind,
        round_status=rnd.status,
        editable=rnd.editable,
        k=k,
        panels=[
            PanelView(
                id=panel_id,
                name=panel["name"],
                zone=panel["zone_label"],
                ept_codes=list(panel["ept_codes"]),
                jurors=[p for p, m in rnd.members.items() if panel_id in m["panels"]],
                candidates=[c for c, row in rnd.candidates.items() if row["panel_id"] == panel_id],
            )
            for panel_id, panel in rnd.panels.items()
        ],
        jurors=[
            JurorView(
                person_id=person,
                full_name=member["full_name"],
                panels=sorted(member["panels"]),
                chairs=sorted(member["chairs"]),
                load=loads[person],
                bridging=person in design.bridging_jurors,
            )
            for person, member in rnd.members.items()
        ],
        candidates=[
            CandidateView(
                id=candidate,
                name=row["name"],
                entry_number=row["entry_number"],
                commune=row["commune"],
                ept_code=row["ept_code"],
                panel_id=row["panel_id"],
                jurors=jurors_of[candidate],
                conflicts=conflicts_of[candidate],
            )
            for candidate, row in rnd.candidates.items()
        ],
        pairs=[
            AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)
            for (person, candidate), panel in sorted(rnd.pairs.items())
        ],
        holes=_holes(rnd, k=k),
        design=design,
        warnings=_data_warnings(rnd),
    )


async def edition_rounds(db: Database, *, identity: Identity, edition_id: int) -> list[dict[str, Any]]:
    """The rounds of an edition, for the switcher and the edition link (which arrives without a round)."""
    await ensure_organiser_of_edition(db, identity=identity, edition_id=edition_id)
    return [dict(r) for r in await db.fetch("assignment_edition_rounds", edition_id=edition_id)]


async def round_header(db: Database, *, identity: Identity, round_id: int) -> dict[str, Any]:
    """The round row once the organiser's scope is checked: what the pages need to link to the edition."""
    return await _round_in_scope(db, identity=identity, round_id=round_id)


# ------------------------------------------------------------------------------------ automatic plans


async def preview_plan(
    db: Database, *, identity: Identity, round_id: int, parameters: PlanParameters
) -> PlanPreview:
    """Proposes a plan and writes nothing, so the organiser can read it (and draw again) before saving."""
    rnd = await _load(db, await _round_in_scope(db, identity=identity, round_id=round_id))
    if not rnd.editable:
        raise Conflict(CLOSED)
    return await _propose(rnd, parameters=parameters)


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
    header = await _round_in_scope(db, identity=identity, round_id=round_id)
    async with db.transaction():
        await _lock_editable(db, round_id=round_id)
        rnd = await _load(db, header)
        preview = await _propose(rnd, parameters=parameters)
        if expected_digest and expected_digest != preview.digest:
            raise Conflict(STALE)
        await _delete(db, round_id=round_id, pairs=preview.removed)
        await _insert(db, pairs=preview.added)
        settings = _parameters_of(parameters)
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
            actor_label=f"organiser:{identity.person_id}",
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
    header = await _round_in_scope(db, identity=identity, round_id=round_id)
    async with db.transaction():
        await _lock_editable(db, round_id=round_id)
        rnd = await _load(db, header)
        person, candidate = _known_pair(rnd, pair)
        juror, name = rnd.juror_name(person), rnd.candidate_name(candidate)
        if (person, candidate) in rnd.pairs:
            return PairChange(
                round_id=rnd.id,
                panel_id=rnd.pairs[person, candidate],
                person_id=person,
                candidate_id=candidate,
                changed=False,
            )
        if (person, candidate) in rnd.conflicts:
            raise Invalid(
                f"{juror} a déclaré un conflit d'intérêts avec « {name} » : affectation impossible."
            )
        panel = rnd.candidates[candidate]["panel_id"]
        if panel is None:
            raise Invalid(
                f"« {name} » n'est rattaché à aucun jury de ce tour : rattachez-le d'abord à un jury."
            )
        if panel not in rnd.members[person]["panels"]:
            raise Invalid(
                f"{juror} ne siège pas dans le jury « {rnd.panel_name(panel)} » où concourt « {name} » : "
                "affectation impossible."
            )
        change = AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)
        await _insert(db, pairs=[change])
        await _audit_pair(
            db, identity=identity, action="assignments.pair_added", round_id=rnd.id, pair=change
        )
    return PairChange(round_id=rnd.id, changed=True, **msgspec.structs.asdict(change))


async def remove_pair(db: Database, *, identity: Identity, round_id: int, pair: PairRequest) -> PairChange:
    """Removes one pair, unless the juror already opened a score sheet for it (the marks would dangle)."""
    header = await _round_in_scope(db, identity=identity, round_id=round_id)
    async with db.transaction():
        await _lock_editable(db, round_id=round_id)
        rnd = await _load(db, header)
        person, candidate = _known_pair(rnd, pair)
        if (person, candidate) not in rnd.pairs:
            raise NotFound(
                f"{rnd.juror_name(person)} n'est pas affecté à « {rnd.candidate_name(candidate)} »."
            )
        if (person, candidate) in rnd.scored:
            raise Conflict(
                f"{rnd.juror_name(person)} a déjà une fiche de notation pour « {rnd.candidate_name(candidate)} » : "
                "l'affectation ne peut pas être retirée."
            )
        change = AssignedPair(panel_id=rnd.pairs[person, candidate], person_id=person, candidate_id=candidate)
        await _delete(db, round_id=round_id, pairs=[change])
        await _audit_pair(
            db, identity=identity, action="assignments.pair_removed", round_id=rnd.id, pair=change
        )
    return PairChange(round_id=rnd.id, changed=True, **msgspec.structs.asdict(change))


def design_message(*, connected: bool, components: int, panels: int, bridges: int, kind: str) -> str:
    """The design check in the words of the brief: organisers act on a sentence, not on a graph."""
    if components == 0:
        return "Aucune affectation pour l'instant : le plan ne peut pas encore être vérifié."
    if not connected:
        return (
            f"Attention : {components} groupes sans juré commun, "
            "les classements ne seront pas comparables entre eux."
        )
    if panels <= 1:
        return "Le plan est connexe : toutes les notes du tour sont comparables entre elles."
    count = "deux" if panels == 2 else str(panels)
    what = f"les {count} demi-finales" if kind == "semi_final" else f"les {count} jurys"
    via = "1 juré passerelle" if bridges == 1 else f"{bridges} jurés passerelles"
    return f"Le plan est connexe : {what} sont comparables grâce à {via}."


# -------------------------------------------------------------------------------------------- helpers


async def _round_in_scope(db: Database, *, identity: Identity, round_id: int) -> dict[str, Any]:
    row = await db.fetchrow("assignment_round", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["edition_id"])
    return dict(row)


async def _lock_editable(db: Database, *, round_id: int) -> None:
    if await db.fetchval("lock_assignment_round", round_id=round_id) == "closed":
        raise Conflict(CLOSED)


async def _load(db: Database, header: dict[str, Any]) -> _Round:
    round_id = header["id"]
    panels = {r["id"]: dict(r) for r in await db.fetch("assignment_panels", round_id=round_id)}
    members: dict[int, dict[str, Any]] = {}
    for row in await db.fetch("assignment_members", round_id=round_id):
        member = members.setdefault(
            row["person_id"], {"full_name": row["full_name"], "panels": set(), "chairs": set()}
        )
        member["panels"].add(row["panel_id"])
        if row["role"] == "chair":
            member["chairs"].add(row["panel_id"])
    candidates = await db.fetch("assignment_candidates", round_id=round_id)
    return _Round(
        id=round_id,
        edition_id=header["edition_id"],
        name=header["name"],
        kind=header["kind"],
        status=header["status"],
        panels=panels,
        zone_of_panel=_zone_keys(list(panels.values())),
        members=members,
        candidates={r["id"]: dict(r) for r in candidates if r["competing"]},
        former={r["id"]: r["name"] for r in candidates if not r["competing"]},
        pairs={
            (r["person_id"], r["candidate_id"]): r["panel_id"]
            for r in await db.fetch("assignment_pairs", round_id=round_id)
        },
        conflicts={
            (r["person_id"], r["candidate_id"])
            for r in await db.fetch("assignment_conflicts", round_id=round_id)
        },
        scored={
            (r["person_id"], r["candidate_id"])
            for r in await db.fetch("assignment_scored_pairs", round_id=round_id)
        },
    )


def _zone_keys(panels: list[dict[str, Any]]) -> dict[int, str | None]:
    """The solver zone of each panel: one zone per panel, so "same zone" means "same panel".

    A single panel needs no zone. Otherwise the zone label reads best in the plan (« Nord »), but only if
    every panel has its own zone; panels without a zone, or sharing one, fall back to their names (unique
    within a round). Without this, two zone-less panels would let the solver pair a juror of one with a
    candidate of the other, a pair no panel holds.
    """
    if len(panels) <= 1:
        return {p["id"]: None for p in panels}
    labels = [p["zone_label"] for p in panels]
    if all(labels) and len(set(labels)) == len(labels):
        return {p["id"]: p["zone_label"] for p in panels}
    return {p["id"]: p["name"] for p in panels}


def _solver_input(rnd: _Round) -> tuple[list[CandidateSlot], list[JurorSlot]]:
    candidates = [
        CandidateSlot(id=c, zone=rnd.zone_of_panel.get(row["panel_id"]))
        for c, row in rnd.candidates.items()
        if row["panel_id"] is not None
    ]
    zones = {c.zone for c in candidates if c.zone is not None}
    jurors = []
    for person, member in rnd.members.items():
        if not zones:
            jurors.append(JurorSlot(id=person))
            continue
        sits = frozenset(z for p in member["panels"] if (z := rnd.zone_of_panel.get(p)) is not None)
        jurors.append(JurorSlot(id=person, zones=sits, can_bridge=zones <= sits))
    return candidates, jurors


async def _propose(rnd: _Round, *, parameters: PlanParameters) -> PlanPreview:
    """Runs the solver and describes its plan in the round's terms (panels, names, rows to write).

    Kept pairs: all current ones when filling holes; otherwise only those a juror already started to
    mark, since replacing them would orphan a score sheet. `pairs` is what the round will hold once the
    plan is written, so the design check describes the result, not the solver's part of it.
    """
    candidates, jurors = _solver_input(rnd)
    existing = set(rnd.pairs) if parameters.fill_holes_only else set(rnd.pairs) & rnd.scored
    # The solver is CPU-bound (tens of milliseconds): keep it off the event loop.
    plan: AssignmentPlan = await asyncio.to_thread(
        propose_assignment,
        candidates=candidates,
        jurors=jurors,
        k=parameters.k,
        conflicts=rnd.conflicts,
        bridging=parameters.bridging,
        bridge_min_per_zone=parameters.bridge_min_per_zone,
        existing=existing,
        seed=parameters.seed,
    )
    planned = {(int(p), int(c)) for p, c in plan.pairs}
    if parameters.fill_holes_only:
        # Only add: the one exception is a kept pair the solver dropped for a conflict declared since.
        dropped = {(int(p), int(c)) for p, c in plan.dropped}
        gone = {pair for pair in rnd.pairs if pair in dropped}
    else:
        gone = {pair for pair in rnd.pairs if pair not in planned}
    after = (set(rnd.pairs) - gone) | planned

    def row(person: int, candidate: int) -> AssignedPair:
        panel = rnd.pairs.get((person, candidate)) or rnd.candidates[candidate]["panel_id"]
        return AssignedPair(panel_id=panel, person_id=person, candidate_id=candidate)

    pairs = [row(p, c) for p, c in sorted(after)]
    added = [pair for pair in pairs if (pair.person_id, pair.candidate_id) not in rnd.pairs]
    removed = [row(p, c) for p, c in sorted(gone)]
    return PlanPreview(
        round_id=rnd.id,
        parameters=_parameters_of(parameters),
        digest=_digest(pairs=pairs, removed=removed),
        pairs=pairs,
        added=added,
        removed=removed,
        kept=len(rnd.pairs) - len(removed),
        loads=[
            PlanLoad(
                person_id=int(load.juror),
                full_name=rnd.juror_name(int(load.juror)),
                load=load.load,
                added=load.added,
                bridging=load.bridging,
            )
            for load in plan.loads
        ],
        uncovered=[
            PlanShortfall(
                candidate_id=int(u.candidate),
                name=rnd.candidate_name(int(u.candidate)),
                zone=u.zone,
                assigned=u.assigned,
                wanted=u.wanted,
                reason=u.reason,
            )
            for u in plan.uncovered
        ]
        + [
            PlanShortfall(
                candidate_id=c,
                name=row_["name"],
                zone=None,
                assigned=0,
                wanted=parameters.k,
                reason="Rattaché à aucun jury de ce tour : aucun juré ne peut lui être affecté.",
            )
            for c, row_ in rnd.candidates.items()
            if row_["panel_id"] is None
        ],
        bridges=[
            PlanBridge(
                person_id=int(b.juror),
                full_name=rnd.juror_name(int(b.juror)),
                seen=b.seen,
                required=b.required,
                complete=b.complete,
            )
            for b in plan.bridges
        ],
        design=_design_summary(rnd, pairs=sorted(after)),
        warnings=[_with_names(w, rnd) for w in plan.warnings],
    )


def _parameters_of(parameters: PlanParameters) -> PlanParameters:
    """Drops what is not a parameter (the expected digest) from what is echoed and audited."""
    return PlanParameters(
        k=parameters.k,
        seed=parameters.seed,
        bridging=parameters.bridging,
        bridge_min_per_zone=parameters.bridge_min_per_zone,
        fill_holes_only=parameters.fill_holes_only,
    )


def _digest(*, pairs: list[AssignedPair], removed: list[AssignedPair]) -> str:
    """Short fingerprint of what a confirmation would write, to detect a plan that moved since its preview."""
    text = json.dumps(
        [
            [[p.panel_id, p.person_id, p.candidate_id] for p in pairs],
            [[p.person_id, p.candidate_id] for p in removed],
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _design_summary(rnd: _Round, *, pairs: list[tuple[int, int]]) -> DesignSummary:
    design = check_design(pairs)
    panels_of: dict[int, set[int]] = defaultdict(set)
    for person, candidate in pairs:
        panel = rnd.candidates.get(candidate, {}).get("panel_id") or rnd.pairs.get((person, candidate))
        if panel is not None:
            panels_of[person].add(panel)
    judged = set().union(*panels_of.values()) if panels_of else set()
    bridges = sorted(p for p, seen in panels_of.items() if len(seen) >= 2)
    return DesignSummary(
        connected=design.connected,
        components=len(design.components),
        fiedler=design.fiedler,
        bridging_jurors=bridges,
        message=design_message(
            connected=design.connected,
            components=len(design.components),
            panels=len(judged),
            bridges=len(bridges),
            kind=rnd.kind,
        ),
    )


def _usual_k(rnd: _Round) -> int:
    """The k the round was planned with: the commonest juror count, so one hole does not lower it."""
    counts = Counter(candidate for _, candidate in rnd.pairs)
    if not counts:
        return DEFAULT_K
    frequency = Counter(counts.values())
    return max(frequency, key=lambda n: (frequency[n], n))


def _holes(rnd: _Round, *, k: int) -> list[Hole]:
    assigned = Counter(candidate for _, candidate in rnd.pairs)
    holes = []
    for candidate, row in rnd.candidates.items():
        have = assigned[candidate]
        if have >= k:
            continue
        panel = row["panel_id"]
        if panel is None:
            reason = (
                "Rattaché à aucun jury de ce tour : rattachez-le à un jury avant de lui affecter des jurés."
            )
        else:
            sitting = [p for p, m in rnd.members.items() if panel in m["panels"]]
            conflicted = sum(1 for p in sitting if (p, candidate) in rnd.conflicts)
            free = sum(
                1 for p in sitting if (p, candidate) not in rnd.conflicts and (p, candidate) not in rnd.pairs
            )
            status = f"{_n(have, 'juré')} sur {k}"
            where = f"dans le jury « {rnd.panel_name(panel)} »"
            if free:
                available = "disponible" if free == 1 else "disponibles"
                reason = f"{status} : {_n(free, 'juré')} {available} {where}."
            elif conflicted:
                declared = "conflit d'intérêts déclaré" if conflicted == 1 else "conflits d'intérêts déclarés"
                reason = f"{status} : aucun autre juré disponible {where} ({conflicted} {declared})."
            else:
                reason = f"{status} : aucun autre juré disponible {where}."
        holes.append(Hole(candidate_id=candidate, panel_id=panel, assigned=have, wanted=k, reason=reason))
    return holes


def _data_warnings(rnd: _Round) -> list[str]:
    """Inconsistencies the organiser should fix by hand: they are facts about the data, not the plan."""
    warnings = []
    for row in rnd.candidates.values():
        panel = rnd.panels.get(row["panel_id"])
        if panel and panel["ept_codes"] and row["ept_code"] and row["ept_code"] not in panel["ept_codes"]:
            warnings.append(
                f"« {row['name']} » ({row['commune']}, {row['ept_code']}) concourt dans le jury "
                f"« {panel['name']} », dont la zone couvre {', '.join(panel['ept_codes'])}."
            )
    for (person, candidate), panel in sorted(rnd.pairs.items()):
        juror, name = rnd.juror_name(person), rnd.candidate_name(candidate)
        if (person, candidate) in rnd.conflicts:
            warnings.append(
                f"{juror} est affecté à « {name} » malgré un conflit d'intérêts déclaré : "
                "retirez cette affectation."
            )
        row = rnd.candidates.get(candidate)
        if row is None:
            warnings.append(f"{juror} est affecté à « {name} », qui ne concourt plus dans ce tour.")
        elif row["panel_id"] is not None and row["panel_id"] != panel:
            warnings.append(
                f"{juror} note « {name} » dans le jury « {rnd.panel_name(panel)} » alors que ce candidat "
                f"concourt dans le jury « {rnd.panel_name(row['panel_id'])} »."
            )
    return warnings


def _known_pair(rnd: _Round, pair: PairRequest) -> tuple[int, int]:
    if pair.candidate_id not in rnd.candidates:
        raise NotFound("Ce candidat ne concourt pas dans ce tour.")
    if pair.person_id not in rnd.members:
        raise NotFound("Cette personne ne siège dans aucun jury de ce tour.")
    return pair.person_id, pair.candidate_id


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
        actor_label=f"organiser:{identity.person_id}",
        action=action,
        target=f"round:{round_id}",
        payload=msgspec.to_builtins(pair),
    )


# The solver names people by id ("le juré 12"); organisers read names.
_MENTION = re.compile(r"\b(juré passerelle|juré|candidat) (\d+)\b")


def _with_names(text: str, rnd: _Round) -> str:
    def name(match: re.Match[str]) -> str:
        word, number = match.group(1), int(match.group(2))
        known = rnd.members if word.startswith("juré") else rnd.candidates
        if number not in known:
            return match.group(0)
        label = rnd.juror_name(number) if word.startswith("juré") else rnd.candidate_name(number)
        return f"{word} « {label} »"

    return _MENTION.sub(name, text)


def _n(count: int, noun: str) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {noun}" if count <= 1 else f"{count} {noun}s"
