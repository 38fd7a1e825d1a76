"""What the organisers' standings page shows: the sections of the round, the chosen standings, their
charts, the method and the publications.

A round of a few sections shows them all; a larger one (a national contest has a thousand) lists them,
and a chosen section is shown alone: the page only ever reads and calibrates what it displays.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from concurrent.futures import Executor

import anyio.to_thread

from jury.access.identity import Identity
from jury.access.policy import organised_round
from jury.db.queries import Database
from jury.errors import NotFound
from jury.results import charts
from jury.results.compute import PAGE_BOOTSTRAP, compute, round_calibration
from jury.results.criteria import severity_table
from jury.results.marks import parse_section, read_sections, section_key
from jury.results.models import CriterionSeverities, SectionSummary, StandingPage, StandingView
from jury.results.quota_rule import round_rule
from jury.results.standings import METHOD_LABELS, NO_CATEGORY, NO_PANEL, Scope, section_names, standing_views

INLINE_SECTIONS = 4  # above this, the page lists the sections and shows the one chosen
ORGANISER = Scope(organiser=True, panels=None, conflicts=frozenset())


async def organiser_page(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    section: str | None = None,
    bootstrap: int = PAGE_BOOTSTRAP,
    executor: Executor | None = None,
) -> StandingPage:
    """The context of the organisers' page (`section`: the `panel-category` key of the one to show)."""
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    names = await section_names(db, round_id=round_id)
    panels, categories = names
    wanted = parse_section(section) if section is not None else None
    summaries = [
        SectionSummary(
            section=section_key(row["panel_key"], row["category_key"]),
            panel_id=row["panel_key"] or None,
            panel_name=panels.get(row["panel_key"], NO_PANEL),
            category_id=row["category_key"] or None,
            category_name=categories.get(row["category_key"], (0, NO_CATEGORY))[1],
            candidates=row["candidates"],
            sheets=row["sheets"],
            jurors=row["jurors"],
        )
        for row in await db.fetch(
            "round_sections",
            round_id=round_id,
            panel_key=wanted[0] if wanted else None,
            category_key=wanted[1] if wanted else None,
        )
    ]
    if wanted is not None and not summaries:
        raise NotFound("Section de classement inconnue.")
    views: list[StandingView] = []
    spreads: dict[str, dict[int, list[float]]] = {}
    if wanted is not None or len(summaries) <= INLINE_SECTIONS:
        sections = await read_sections(
            db,
            round_id=round_id,
            panel_keys=[wanted[0]] if wanted else None,
            category_keys=[wanted[1]] if wanted else None,
        )
        computed = await compute(
            db,
            round_id=round_id,
            sections=sections,
            calibration=round_calibration(rnd, bootstrap=bootstrap),
            executor=executor,
        )
        for c in computed:
            spread: dict[int, list[float]] = {}
            for _, candidate, total, _ in c.section.observations:
                if total is not None:
                    spread.setdefault(candidate, []).append(total)
            spreads[c.section.key] = spread
        items = [(c.section.panel_key, c.section.category_key, c.section.digest, c.result) for c in computed]
        views = await standing_views(db, round_id=round_id, items=items, scope=ORGANISER, names=names)
    by_criterion = await _criterion_marks(db, round_id=round_id, views=views)
    drawn, explained = await anyio.to_thread.run_sync(functools.partial(_draw, views, spreads, by_criterion))
    # The rule spans sections (the whole round, a zone, a category): its probabilities are shown only when
    # every section of the round is on the page; otherwise the qualification page gives them.
    whole_round = wanted is None and len(views) == len(summaries)
    applied = await round_rule(db, rnd=rnd, views=views if whole_round else [])
    p_qualify = applied.qualification.p_qualify if whole_round and applied.qualification else None
    return StandingPage(
        round={
            "id": rnd.id,
            "name": rnd.name,
            "status": rnd.status,
            "method": rnd.method,
            "method_label": METHOD_LABELS.get(rnd.method, rnd.method),
            "advance_count": rnd.advance_count,
            "edition_slug": rnd.edition_slug,
            "edition_year": rnd.edition_year,
            "contest_name": rnd.contest_name,
        },
        methods=list(METHOD_LABELS.items()),
        sections=summaries,
        selected=section,
        standings=views,
        charts=drawn,
        versions=[dict(row) for row in await db.fetch("published_versions", round_id=round_id)],
        bootstrap=bootstrap,
        rule=applied.rule,
        p_qualify=p_qualify,
        p_funded=applied.p_funded if whole_round else None,
        criterion_severities=explained,
    )


async def _criterion_marks(
    db: Database, *, round_id: int, views: Sequence[StandingView]
) -> dict[str, list[tuple[int, str, int, int, float]]]:
    """The marks of the shown sections, criterion by criterion, keyed by section."""
    if not views:
        return {}
    wanted = {view.section for view in views}
    rows = await db.fetch(
        "round_criterion_marks",
        round_id=round_id,
        panel_keys=sorted({view.panel_id or 0 for view in views}),
        category_keys=sorted({view.category_id or 0 for view in views}),
    )
    out: dict[str, list[tuple[int, str, int, int, float]]] = {}
    for row in rows:
        key = section_key(row["panel_key"], row["category_key"])
        if key in wanted:
            out.setdefault(key, []).append(
                (row["criterion_id"], row["label"], row["juror_id"], row["candidate_id"], row["value"])
            )
    return out


def _draw(
    views: Sequence[StandingView],
    spreads: dict[str, dict[int, list[float]]],
    by_criterion: dict[str, list[tuple[int, str, int, int, float]]],
) -> tuple[dict[str, dict[str, str]], dict[str, CriterionSeverities]]:
    """pygal takes tens of milliseconds per chart, and each criterion is calibrated on its own: done in a
    thread like the calibration."""
    drawn = {
        view.section: {
            "jurors": charts.juror_chart(view) if view.jurors else "",
            "spread": charts.spread_chart(view, spreads[view.section]) if view.lines else "",
        }
        for view in views
    }
    explained = {
        view.section: severity_table(
            by_criterion[view.section], jurors=[(j.juror_id, j.name) for j in view.jurors]
        )
        for view in views
        if view.jurors and by_criterion.get(view.section)
    }
    return drawn, explained
