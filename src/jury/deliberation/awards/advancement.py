"""Advancement preview: who the calibrated standing would send to the next round, before anyone confirms.

The preview writes nothing. It reads the standings through `jury.results.standings.standings` (same cache,
same figures as the standings page) and applies the round's rule to them through
`jury.results.quota_rule` (the N best overall, per zone or per category, plus wildcards: candidates, not
panel × category sections). Confirming goes through `service.confirm_advancement` with the method and
input digest shown here as `based_on`, so every decision names the standing it came from.

Nothing is proposed where a proposal would mislead: no quota, or no global ranking (groups of jurors with
no candidate in common). A tie at the cut (scores that print the same) is shown and run through the
edition's tie-break policy (calibrated score, a named criterion, then the chair), never settled by id.
The candidates whose fate is uncertain (P(qualifié) between 10 % and 90 %, or tied) are listed first.
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
from jury.deliberation.votes import voting
from jury.errors import Forbidden
from jury.labels import CANDIDATE_STATUS, label
from jury.results import quota_rule
from jury.results import standings as results
from jury.results.models import StandingView
from jury.results.qualification import GroupCut, settle

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
    p_qualify: float | None = None
    """P(qualifying under the round's rule), from the standings' intervals (`jury.results.qualification`)."""
    wildcard: bool = False
    tie_break: str = ""
    """How the tie at the cut was settled for this candidate, or who must settle it."""


class PreviewSection(msgspec.Struct, frozen=True, kw_only=True):
    """One standing (panel × category) as the results service computed it, with the proposal."""

    category_id: int | None
    category_name: str
    method: str
    method_label: str
    input_digest: str
    top_k: int | None
    method_used: str = ""
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


class PreviewGroup(msgspec.Struct, frozen=True, kw_only=True):
    """One quota group (the round, a zone, a category, or the wildcards) and how its cut went."""

    key: str
    label: str
    quota: int
    qualified: list[int]
    tied: list[int]
    places_for_tied: int
    tie_break: list[str]
    sections: int
    blocked: str | None


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
    quota_scope: str = "overall"
    wildcards: int = 0
    rule: str = ""
    """The rule in one French sentence (`jury.rounds.quota.describe_quota`), as on the setup page."""
    groups: list[PreviewGroup] = msgspec.field(default_factory=list)
    uncertain: list[PreviewLine] = msgspec.field(default_factory=list)
    """Candidates whose fate is uncertain, most uncertain first: what the deliberation should look at."""
    tie_break_policy: list[str] = msgspec.field(default_factory=list)
    """The edition's tie-break rules in French, in the order they apply."""


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
    applied = await quota_rule.round_rule(db, rnd=rnd, views=views)
    groups, decided = await _cuts(db, rnd=rnd, views=views, applied=applied)
    p_qualify = applied.qualification.p_qualify if applied.qualification else {}

    out = []
    for panel_id, panel_name in panels:
        sections = [
            _section(v, status=status, decided=decided, p_qualify=p_qualify)
            for v in views
            if v.panel_id == panel_id
        ]
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
    lines = {line.candidate_id: line for p in out for sec in p.sections for line in sec.lines}
    uncertain = [
        lines[c]
        for c in (applied.qualification.uncertain if applied.qualification else [])
        if c in lines and lines[c].in_play
    ]
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
        quota_scope=applied.quota_scope,
        wildcards=applied.wildcards,
        rule=applied.rule,
        groups=groups,
        uncertain=uncertain,
        tie_break_policy=[_rule_words(r) for r in rnd.tie_break_policy],
    )


def _rule_words(rule: str) -> str:
    """A tie-break rule as the page says it."""
    if rule == voting.CALIBRATED:
        return "score calibré"
    if rule == voting.CHAIR:
        return "voix prépondérante de la présidence"
    return f"note moyenne du critère n° {rule.removeprefix(voting.CRITERION_PREFIX)}"


def based_on(sections: Sequence[PreviewSection]) -> str:
    """What the decisions will cite: the method and the digest of the marks, one per standing."""
    if not sections:
        return ""
    # The round's method; a standing that fell back says so on its page (`method_used`): the text stays
    # within the 500 characters a decision's `based_on` allows, with five digests.
    methods = sorted({s.method for s in sections})
    if len(sections) == 1:
        return f"méthode {methods[0]}, empreinte {sections[0].input_digest}"
    digests = " ; ".join(f"{s.category_name} {s.input_digest}" for s in sections)
    return f"méthode {', '.join(methods)}, empreintes {digests}"


async def _cuts(
    db: Database, *, rnd, views: Sequence[StandingView], applied: quota_rule.RoundRule
) -> tuple[list[PreviewGroup], dict[int, tuple[str, str]]]:
    """Every group's cut with its tie run through the edition's policy; and per candidate what the rule
    decided: ("qualified" | "wildcard" | "tied", how a tie was settled or who settles it)."""
    qualification = applied.qualification
    if qualification is None:
        return [], {}
    scores = {line.candidate_id: line.score for v in views for line in v.lines if line.score is not None}
    cuts = [*qualification.groups, *([qualification.wildcard_cut] if qualification.wildcard_cut else [])]
    tied_ids = sorted({c for g in cuts for c in g.tied})
    criteria: dict[str, dict[str, float]] = {}
    if tied_ids and any(r.startswith(voting.CRITERION_PREFIX) for r in rnd.tie_break_policy):
        for row in await db.fetch("qualification_criterion_means", round_id=rnd.id, candidate_ids=tied_ids):
            criteria.setdefault(str(row["candidate_id"]), {})[str(row["criterion_id"])] = row["mean"]
    decided: dict[int, tuple[str, str]] = {}
    groups = []
    for group in cuts:
        kind = "wildcard" if group is qualification.wildcard_cut else "qualified"
        notes: list[str] = []
        placed: list[int] = []
        still: list[int] = []
        if group.tied:
            placed, still, notes = _break_tie(
                group, policy=rnd.tie_break_policy, scores=scores, criteria=criteria or None
            )
        for c in group.chosen:
            decided[c] = (kind, "")
        for c in placed:
            decided[c] = (kind, "départagé : " + "; ".join(notes) if notes else "départagé")
        for c in still:
            decided[c] = ("tied", "égalité au dernier rang : à départager par la présidence du jury")
        groups.append(
            PreviewGroup(
                key=group.group,
                label=applied.labels.get(group.group, group.group),
                quota=group.quota,
                qualified=[*group.chosen, *placed],
                tied=still,
                places_for_tied=group.places_for_tied - len(placed),
                tie_break=notes,
                sections=applied.sections_per_group.get(group.group, 0),
                blocked=group.blocked,
            )
        )
    return groups, decided


def _break_tie(
    group: GroupCut,
    *,
    policy: Sequence[str],
    scores: Mapping[int, float],
    criteria: Mapping[str, Mapping[str, float]] | None,
) -> tuple[list[int], list[int], list[str]]:
    """The edition's policy on a tie at the cut: (who takes the places, who is still tied, the reasons).

    The chair's vote is not known in a preview: a tie the other rules leave is sent to the chair."""
    rules = [r for r in policy if not r.startswith(voting.CRITERION_PREFIX) or criteria is not None]
    try:
        broken = voting.break_ties(
            tier=[str(c) for c in group.tied],
            policy=rules,
            calibrated={str(c): scores[c] for c in group.tied if c in scores},
            criterion_scores=criteria,
        )
    except ValueError as exc:
        return [], list(group.tied), [f"départage impossible : {exc}"]
    order = [[int(c) for c in tier] for tier in broken.order]
    placed, still = settle(group, order=order)
    reasons = [s.reason for s in broken.separations]
    if still:
        reasons.append("égalité persistante : voix prépondérante de la présidence")
    return placed, still, reasons


def _section(
    view: StandingView,
    *,
    status: Mapping[int, str],
    decided: Mapping[int, tuple[str, str]],
    p_qualify: Mapping[int, float],
) -> PreviewSection:
    """The standing's lines with what the round's rule proposes for each."""
    warnings: list[str] = []
    quota = view.top_k
    if quota is None:
        warnings.append("Pas de nombre de qualifiés fixé pour ce tour : aucune proposition.")
    elif not view.global_ranking:
        warnings.append(
            "Pas de classement global (groupes de jurés sans candidat commun) : aucune proposition ; "
            "choisissez les qualifiés au vu des classements par groupe."
        )
    for line in view.lines:
        if line.rank is not None and status.get(line.candidate_id) in LEFT_OUT:
            warnings.append(
                f"{line.name} (rang {line.rank}) n'est plus en lice "
                f"({label(status.get(line.candidate_id, ''), 'candidate')}) : non compté."
            )
        if decided.get(line.candidate_id, ("", ""))[0] in ("qualified", "wildcard") and line.eliminated_by:
            warnings.append(
                f"{line.name} : critère éliminatoire non satisfait selon {line.eliminated_by} juré(s), "
                "à confirmer par la délibération."
            )
    if any(decided.get(line.candidate_id, ("", ""))[0] == "tied" for line in view.lines):
        warnings.append("Égalité au dernier rang qualificatif : à départager par la délibération.")
    band = view.parameters.get("borderline")
    return PreviewSection(
        category_id=view.category_id,
        category_name=view.category_name,
        method=view.method,
        method_label=view.method_label or view.method,
        method_used=view.method_used,
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
                qualified=status.get(line.candidate_id) in OPEN_STATUSES
                and decided.get(line.candidate_id, ("", ""))[0] in ("qualified", "wildcard"),
                tied_at_cutoff=decided.get(line.candidate_id, ("", ""))[0] == "tied",
                p_qualify=p_qualify.get(line.candidate_id),
                wildcard=decided.get(line.candidate_id, ("", ""))[0] == "wildcard",
                tie_break=decided.get(line.candidate_id, ("", ""))[1],
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
