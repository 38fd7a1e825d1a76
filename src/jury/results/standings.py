"""Standings of a round as each caller may see them: live (computed now) or as published.

* **Organisers** of the contest see every section, with the per-juror diagnostics and the outlying
  marks.
* **Jurors** see standings only once the round is in deliberation or closed, only for their own panels,
  never a row of a candidate they declared a conflict with, and never the per-juror diagnostics or the
  outlying marks (those describe colleagues' individual marks; they are for organisers). In a blind
  round they see entry numbers, not names.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import msgspec

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, visible_round
from jury.db.queries import Database
from jury.errors import Forbidden, NotFound
from jury.french.numbers import decimal_fr
from jury.results.calibration import decode_result
from jury.results.compute import PAGE_BOOTSTRAP, compute, round_calibration
from jury.results.marks import read_sections, section_key
from jury.results.models import (
    DesignSummary,
    JurorView,
    LineView,
    OutlierView,
    Publication,
    StandingResult,
    StandingView,
)

VISIBLE_TO_JURORS = frozenset({"deliberation", "closed"})
NO_PANEL = "Sans jury"
NO_CATEGORY = "Sans catégorie"
METHOD_LABELS = {
    "affine": "Affine régularisée : sévérité et étendue de chaque juré (recommandée)",
    "affine-huber": "Affine robuste (Huber) : idem, moins sensible aux notes aberrantes",
    "additive": "Additive : sévérité de chaque juré seulement",
    "zscore": "Centrée réduite par juré (suppose des candidats de même niveau pour chaque juré)",
    "trimmed": "Moyenne tronquée (sans la plus haute ni la plus basse à partir de 5 notes)",
    "median": "Médiane des notes",
    "raw": "Moyenne brute des notes",
}
METHOD_NAMES = {code: text.removesuffix(" (recommandée)") for code, text in METHOD_LABELS.items()}
"""The labels without the recommendation: what a standing says it used (the recommendation is for the
choice of the round's method, and never shown where the design made the engine fall back)."""
NUMBER_WORDS = {2: "Deux", 3: "Trois", 4: "Quatre", 5: "Cinq", 6: "Six", 7: "Sept", 8: "Huit", 9: "Neuf"}

Names = tuple[dict[int, str], dict[int, tuple[int, str]]]
"""Panel names by id, and (position, name) of categories by id."""

Item = tuple[int, int, str, StandingResult]
"""A standing to show: (panel key, category key, input digest, result)."""


@dataclass(frozen=True, slots=True)
class Scope:
    organiser: bool
    panels: frozenset[int] | None  # None: every panel
    conflicts: frozenset[int]
    blind: bool = False  # jurors of a blind round see entry numbers, not names


async def caller_scope(db: Database, *, identity: Identity, round_id: int) -> tuple[RoundInEdition, Scope]:
    """The round and what of its standings the caller may see (404 unknown round, 403 not theirs)."""
    rnd = await visible_round(db, identity=identity, round_id=round_id)
    if identity.kind == "organiser":
        return rnd, Scope(organiser=True, panels=None, conflicts=frozenset())
    if rnd.status not in VISIBLE_TO_JURORS:
        raise Forbidden("Le classement n'est visible des jurés qu'à partir de la délibération.")
    panels = frozenset(
        row["panel_id"]
        for row in await db.fetch("juror_round_panels", round_id=rnd.id, person_id=identity.person_id)
    )
    if not panels:
        raise Forbidden("Vous ne siégez dans aucun jury de ce tour.")
    conflicts = frozenset(
        row["candidate_id"]
        for row in await db.fetch("conflicts_of_person", round_id=rnd.id, person_id=identity.person_id)
    )
    return rnd, Scope(organiser=False, panels=panels, conflicts=conflicts, blind=rnd.blind)


def design_message(design: DesignSummary) -> str:
    """The design check in plain French, as organisers (and jurors) read it."""
    if design.candidates == 0:
        return "Aucune note soumise pour l'instant."
    if design.jurors < 2:
        return "Un seul juré : ses notes ne peuvent être comparées à celles d'aucun autre."
    if design.connected:
        return (
            "Tous les jurés sont reliés par des candidats notés en commun : leurs notes se comparent et le "
            f"classement est unique (plan connexe, connectivité {decimal_fr(design.fiedler, 2)})."
        )
    groups = NUMBER_WORDS.get(design.components, str(design.components))
    return (
        f"{groups} groupes de jurés sans candidat commun : pas de classement global ; classement par groupe."
    )


async def section_names(db: Database, *, round_id: int) -> Names:
    """The names of the round's panels and of its edition's categories, read once per page."""
    panels: dict[int, str] = {}
    categories: dict[int, tuple[int, str]] = {}
    for row in await db.fetch("round_labels", round_id=round_id):
        if row["kind"] == "panel":
            panels[row["id"]] = row["name"]
        else:
            categories[row["id"]] = (row["position"], row["name"])
    return panels, categories


async def standing_views(
    db: Database,
    *,
    round_id: int,
    items: Sequence[Item],
    scope: Scope,
    names: Names | None = None,
) -> list[StandingView]:
    """Names and the access filter on top of results, the same for live and published standings."""
    panels, categories = names or await section_names(db, round_id=round_id)
    kept = [
        (panel, category, digest, result)
        for panel, category, digest, result in items
        if scope.panels is None or panel in scope.panels
    ]
    candidate_ids = {
        line.candidate_id
        for *_, result in kept
        for line in result.lines
        if line.candidate_id not in scope.conflicts
    }
    if scope.organiser:
        candidate_ids |= {o.candidate_id for *_, result in kept for o in result.outliers}
    candidates = {
        row["id"]: row for row in await db.fetch("standing_candidates", candidate_ids=sorted(candidate_ids))
    }
    people: dict[int, str] = {}
    if scope.organiser:
        person_ids = {j.juror_id for *_, result in kept for j in result.jurors}
        rows = await db.fetch("standing_people", person_ids=sorted(person_ids))
        people = {row["id"]: row["full_name"] for row in rows}

    def name(candidate_id: int) -> str:
        row = candidates.get(candidate_id)
        if row is None:
            return f"Candidat {candidate_id}"
        if scope.blind:
            return f"N° {row['entry_number']}" if row["entry_number"] else f"Candidat {candidate_id}"
        return row["name"]

    views = []
    for panel, category, digest, result in kept:
        lines = [
            LineView(
                **msgspec.structs.asdict(line),
                name=name(line.candidate_id),
                entry_number=candidates[line.candidate_id]["entry_number"]
                if line.candidate_id in candidates
                else None,
            )
            for line in result.lines
            if line.candidate_id not in scope.conflicts
        ]
        jurors = [
            JurorView(**msgspec.structs.asdict(j), name=people.get(j.juror_id, f"Juré {j.juror_id}"))
            for j in (result.jurors if scope.organiser else [])
        ]
        outliers = [
            OutlierView(
                **msgspec.structs.asdict(o),
                juror_name=people.get(o.juror_id, f"Juré {o.juror_id}"),
                candidate_name=name(o.candidate_id),
            )
            for o in (result.outliers if scope.organiser else [])
        ]
        views.append(
            StandingView(
                round_id=round_id,
                section=section_key(panel, category),
                panel_id=panel or None,
                panel_name=panels.get(panel, NO_PANEL),
                category_id=category or None,
                category_name=categories.get(category, (0, NO_CATEGORY))[1],
                input_digest=digest,
                method=result.method,
                parameters=result.parameters,
                seed=result.seed,
                top_k=result.top_k,
                global_ranking=result.global_ranking,
                assumption=result.assumption,
                design=result.design,
                design_message=design_message(result.design),
                lines=lines,
                jurors=jurors,
                outliers=outliers,
                method_used=result.method_used or result.method,
                method_label=METHOD_NAMES.get(result.method_used or result.method, result.method),
                fallback=result.fallback,
            )
        )
    order = {cid: position for cid, (position, _) in categories.items()}
    views.sort(key=lambda v: (v.panel_name, order.get(v.category_id or 0, 0), v.category_name))
    return views


async def standings(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    panel: int | None = None,
    category: int | None = None,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> list[StandingView]:
    """The current standings of a round (optionally one panel and/or category; 0 = none)."""
    rnd, scope = await caller_scope(db, identity=identity, round_id=round_id)
    panel_keys = [panel] if panel is not None else None
    if scope.panels is not None:
        panel_keys = sorted(scope.panels if panel_keys is None else scope.panels & set(panel_keys))
        if not panel_keys:
            return []
    sections = await read_sections(
        db,
        round_id=round_id,
        panel_keys=panel_keys,
        category_keys=[category] if category is not None else None,
    )
    computed = await compute(
        db,
        round_id=round_id,
        sections=sections,
        calibration=round_calibration(rnd, bootstrap=bootstrap),
        executor=executor,
    )
    items = [(c.section.panel_key, c.section.category_key, c.section.digest, c.result) for c in computed]
    return await standing_views(db, round_id=round_id, items=items, scope=scope)


async def published(
    db: Database, *, identity: Identity, round_id: int, version: int | None = None
) -> Publication:
    """A publication (the latest by default), filtered like the live standings for jurors."""
    _, scope = await caller_scope(db, identity=identity, round_id=round_id)
    rows = await db.fetch("published_standings", round_id=round_id, version=version)
    if not rows:
        raise NotFound("Aucun classement publié pour ce tour.")
    items = [
        (row["panel_id"] or 0, row["category_id"] or 0, row["input_digest"], decode_result(row["result"]))
        for row in rows
    ]
    return Publication(
        round_id=round_id,
        version=rows[0]["version"],
        published_at=rows[0]["published_at"],
        published_by=rows[0]["published_by_name"],
        standings=await standing_views(db, round_id=round_id, items=items, scope=scope),
        audit_count=rows[0]["audit_count"],
        audit_head=rows[0]["audit_head"],
    )


async def calibrated_scores(
    db: Database, *, rnd: RoundInEdition, panel_id: int, candidate_ids: Sequence[int]
) -> dict[int, float] | None:
    """The calibrated score of each candidate in the panel's live standings (the pages' cache and
    parameters), for the tie-break rule « score calibré »; None when one of them has none (no mark yet, or
    a section without a global ranking): a rule on a score that does not exist would decide nothing."""
    sections = await read_sections(db, round_id=rnd.id, panel_keys=[panel_id])
    computed = await compute(
        db, round_id=rnd.id, sections=sections, calibration=round_calibration(rnd, bootstrap=PAGE_BOOTSTRAP)
    )
    scores = {
        line.candidate_id: line.score
        for c in computed
        if c.result.global_ranking
        for line in c.result.lines
        if line.score is not None
    }
    if any(c not in scores for c in candidate_ids):
        return None
    return {c: scores[c] for c in candidate_ids}
