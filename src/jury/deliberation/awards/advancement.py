"""Advancement preview: who the calibrated standing would send to the next round, before anyone confirms.

The preview writes nothing. It reads the standings through `jury.results.standings.standings` (same cache,
same figures as the standings page: one truth for ranks, P(top k) and the borderline band) and proposes,
per standing, the first `advance_count` candidates still in play. Confirming goes through
`service.confirm_advancement` with the method and input digest shown here as `based_on`, so every
decision names the standing it came from; wildcards (repêchage) are added there by hand, in the open.

Nothing is proposed where a proposal would mislead: no quota, or no global ranking (groups of jurors with
no candidate in common), and ties at the cut-off are shown rather than settled by candidate id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import organised_round
from jury.db.queries import Database
from jury.deliberation.awards.decisions import OPEN_STATUSES
from jury.deliberation.service import unique_labels
from jury.errors import Forbidden
from jury.labels import CANDIDATE_STATUS, label
from jury.results import standings as results
from jury.results.models import LineView, StandingView

LEFT_OUT = ("ineligible", "withdrawn")  # out of the running before any decision: their place goes down
STATUS_LABELS = CANDIDATE_STATUS
"""Kept while the preview page's handler (minutes' web module) still passes it; the template uses `label`."""


class PreviewLine(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    name: str
    entry_number: int | None
    status: str
    in_play: bool
    rank: int | None
    score: float | None
    raw: float | None
    marks: int
    p_top_k: float | None
    borderline: bool
    eliminated_by: int
    qualified: bool
    tied_at_cutoff: bool = False


class PreviewSection(msgspec.Struct, frozen=True, kw_only=True):
    """One standing (panel × category) as the results service computed it, with the proposal."""

    category_id: int | None
    category_name: str
    method: str
    method_label: str
    input_digest: str
    top_k: int | None
    global_ranking: bool
    borderline_band: list[float] | None
    lines: list[PreviewLine]
    warnings: list[str]


class PreviewPanel(msgspec.Struct, frozen=True, kw_only=True):
    """`qualified` is what the form pre-ticks; `wildcards` the other candidates in play (repêchage)."""

    panel_id: int | None
    panel_name: str
    sections: list[PreviewSection]
    qualified: list[int]
    wildcards: list[PreviewLine]
    based_on: str
    in_play: int
    confirmable: bool
    warnings: list[str]


class AdvancementPreview(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    round_name: str
    status: str
    contest_name: str
    edition_year: int
    edition_slug: str
    method: str
    advance_count: int | None
    next_round: str | None
    can_confirm: bool
    blocking: list[str]
    panels: list[PreviewPanel]


async def preview(
    db: Database, *, identity: Identity, round_id: int, executor: Executor | None = None
) -> AdvancementPreview:
    if identity.kind != "organiser":
        raise Forbidden("Réservé aux organisateurs.")
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    following = await db.fetchrow("round_after", edition_id=rnd.edition_id, position=rnd.position)
    views = await results.standings(db, identity=identity, round_id=round_id, executor=executor)
    entries = await db.fetch("minutes_round_entries", round_id=round_id)
    labels = unique_labels(entries, blind=False)
    status = {e["id"]: e["status"] for e in entries}
    panels = [(p["id"], p["name"]) for p in await db.fetch("delib_round_panels", round_id=round_id)]
    if any(e["panel_id"] is None for e in entries) or not panels:
        panels.append((None, results.NO_PANEL))

    blocking = []
    if rnd.status != "deliberation":
        blocking.append(
            "Les qualifiés se confirment pendant la délibération ; état du tour : "
            f"{label(rnd.status, 'round')}."
        )
    if following is None:
        blocking.append("Ce tour est le dernier de l'édition : il n'y a pas de tour suivant.")
    elif following["status"] != "draft":
        blocking.append(f"Le tour suivant ({following['name']}) a déjà commencé.")
    has_panels = any(pid is not None for pid, _ in panels)

    out = []
    for panel_id, panel_name in panels:
        sections = [_section(v, status=status) for v in views if v.panel_id == panel_id]
        ranked = {line.candidate_id for s in sections for line in s.lines}
        members = [e for e in entries if e["panel_id"] == panel_id]
        unscored = [
            _unscored(e, name=labels[e["id"]])
            for e in members
            if e["id"] not in ranked and e["status"] in OPEN_STATUSES
        ]
        qualified = [line.candidate_id for s in sections for line in s.lines if line.qualified]
        wildcards = [
            line for s in sections for line in s.lines if line.in_play and not line.qualified
        ] + unscored
        warnings = []
        if not sections:
            warnings.append("Aucune fiche soumise : pas de classement pour ce jury.")
        elif unscored:
            warnings.append(f"{len(unscored)} candidat(s) en lice sans note : absents du classement.")
        if panel_id is None and has_panels:
            warnings.append(
                "Candidats sans jury : confirmez-les depuis la page des décisions, après les jurys."
            )
        in_play = sum(1 for e in members if e["status"] in OPEN_STATUSES)
        if not in_play and members:
            warnings.append("Plus aucun candidat en lice : les qualifiés de ce jury sont confirmés.")
        out.append(
            PreviewPanel(
                panel_id=panel_id,
                panel_name=panel_name,
                sections=sections,
                qualified=qualified,
                wildcards=wildcards,
                based_on=based_on(sections),
                in_play=in_play,
                confirmable=not blocking
                and in_play > 0
                and bool(sections)
                and (panel_id is not None or not has_panels),
                warnings=warnings,
            )
        )
    return AdvancementPreview(
        round_id=round_id,
        round_name=rnd.name,
        status=rnd.status,
        contest_name=rnd.contest_name,
        edition_year=rnd.edition_year,
        edition_slug=rnd.edition_slug,
        method=rnd.method,
        advance_count=rnd.advance_count or None,
        next_round=following["name"] if following else None,
        can_confirm=not blocking,
        blocking=blocking,
        panels=[p for p in out if p.panel_id is not None or p.sections or p.in_play],
    )


def based_on(sections: Sequence[PreviewSection]) -> str:
    """What the decisions will cite: the method and the digest of the marks, one per standing."""
    if not sections:
        return ""
    methods = sorted({s.method for s in sections})
    if len(sections) == 1:
        return f"méthode {methods[0]}, empreinte {sections[0].input_digest}"
    digests = " ; ".join(f"{s.category_name} {s.input_digest}" for s in sections)
    return f"méthode {', '.join(methods)}, empreintes {digests}"


def _section(view: StandingView, *, status: Mapping[int, str]) -> PreviewSection:
    """The standing's lines with the proposal: the first `top_k` candidates still in play, by rank."""
    warnings: list[str] = []
    quota = view.top_k
    chosen: list[LineView] = []
    if quota is None:
        warnings.append("Pas de nombre de qualifiés fixé pour ce tour : aucune proposition.")
    elif not view.global_ranking:
        warnings.append(
            "Pas de classement global (groupes de jurés sans candidat commun) : aucune proposition ; "
            "choisissez les qualifiés au vu des classements par groupe."
        )
    else:
        for line in view.lines:
            if len(chosen) == quota:
                break
            if line.rank is None:
                continue
            if status.get(line.candidate_id) in OPEN_STATUSES:
                chosen.append(line)
            elif status.get(line.candidate_id) in LEFT_OUT:
                warnings.append(
                    f"{line.name} (rang {line.rank}) n'est plus en lice "
                    f"({label(status.get(line.candidate_id, ''), 'candidate')}) : "
                    "non compté."
                )
    picked = {line.candidate_id for line in chosen}
    cutoff = chosen[-1].rank if quota is not None and len(chosen) == quota else None
    tied = {
        line.candidate_id
        for line in view.lines
        if cutoff is not None
        and line.rank == cutoff
        and line.candidate_id not in picked
        and status.get(line.candidate_id) in OPEN_STATUSES
    }
    if tied:
        tied |= {line.candidate_id for line in chosen if line.rank == cutoff}
        warnings.append("Égalité au dernier rang qualificatif : à départager par la délibération.")
    for line in chosen:
        if line.eliminated_by:
            warnings.append(
                f"{line.name} : critère éliminatoire non satisfait selon {line.eliminated_by} juré(s), "
                "à confirmer par la délibération."
            )
    band = view.parameters.get("borderline")
    return PreviewSection(
        category_id=view.category_id,
        category_name=view.category_name,
        method=view.method,
        method_label=results.METHOD_LABELS.get(view.method, view.method),
        input_digest=view.input_digest,
        top_k=quota,
        global_ranking=view.global_ranking,
        borderline_band=list(band) if band else None,
        lines=[
            PreviewLine(
                candidate_id=line.candidate_id,
                name=line.name,
                entry_number=line.entry_number,
                status=status.get(line.candidate_id, ""),
                in_play=status.get(line.candidate_id) in OPEN_STATUSES,
                rank=line.rank,
                score=line.score,
                raw=line.raw,
                marks=line.marks,
                p_top_k=line.p_top_k,
                borderline=line.borderline,
                eliminated_by=line.eliminated_by,
                qualified=line.candidate_id in picked,
                tied_at_cutoff=line.candidate_id in tied,
            )
            for line in view.lines
        ],
        warnings=warnings,
    )


def _unscored(entry: Mapping[str, Any], *, name: str) -> PreviewLine:
    return PreviewLine(
        candidate_id=entry["id"],
        name=name,
        entry_number=entry["entry_number"],
        status=entry["status"],
        in_play=True,
        rank=None,
        score=None,
        raw=None,
        marks=0,
        p_top_k=None,
        borderline=False,
        eliminated_by=0,
        qualified=False,
    )
