"""The procès-verbal of a panel's deliberation: what it contains and who may have it.

The minutes are rebuilt from what the deliberation stored (members, declared conflicts, the standing, the
ballots with their stored results, the decisions with `based_on`), never from a page's state, so two
copies printed an hour apart differ only where the deliberation itself moved on.

Choices, and why:

* **Who.** Organisers of the contest and the panel's chair, who signs it. Other jurors have the pages.
* **Standing.** The panel's standings in the round's latest publication (frozen: what the decisions were
  based on); without a publication, the current standing computed by the results service, said so.
* **Blind rounds** (the Gâteau's tasting) name candidates by entry number everywhere, as the panel knew
  them: the minutes record the panel's deliberation, not the organisers' file.
* **A chair's own conflicts.** The candidates a chair declared a conflict with stay hidden from them
  everywhere; their copy leaves those lines out and says so. The organisers' copy is complete.
* Decisions are those of this round about this panel's candidates (a prize decided without a round is
  not part of any panel's minutes).
* **Grants** (Progr'ESS) state their amount on their line, then the panel's total against the edition's
  budget: what is left counts every grant of the edition, those of other decisions shown apart, so a
  reader of the paper alone can check that the committee stayed within its envelope.
* **Audit chain.** Every copy prints the chain's event count and head hash as they stand once everything
  it shows has been read (read last, so the head covers every event behind what the copy states): kept
  on paper, they let `jury audit verify --expect-head H --expect-count N` detect later truncation or
  rewriting of the trail. They describe the copy, not the deliberation, and stay out of the digest under
  which the PDF is kept (see `jobs.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from jury import labels
from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, ensure_organiser_of_edition, round_in_edition
from jury.audit.service import chain_head
from jury.db.queries import Database
from jury.deliberation import service
from jury.deliberation.minutes.render import (
    AuditMark,
    BallotLine,
    ConflictLine,
    DecisionLine,
    GrantTotals,
    Member,
    MinutesContext,
    Standing,
    StandingLine,
)
from jury.errors import Conflict, Forbidden, NotFound
from jury.french.dates import PARIS, french_date
from jury.french.money import euros
from jury.french.numbers import decimal_fr
from jury.french.ordinal import edition_ordinal
from jury.results.compute import PAGE_BOOTSTRAP, compute, round_calibration
from jury.results.marks import read_sections
from jury.results.models import StandingResult
from jury.results.standings import METHOD_LABELS, NO_CATEGORY
from jury.rounds.quota import describe_quota

CHAIR_ONLY = "Le procès-verbal est réservé à la présidence du jury et aux organisateurs du concours."
KINDS = {
    # The procès-verbal states each decision as an act ("Qualification pour le tour suivant"), where the
    # pages' `labels.DECISION_KIND` name the outcome for a candidate ("Qualifié"): its own wording.
    "advance": "Qualification pour le tour suivant",
    "eliminate": "Non-qualification",
    "award": "Prix",
    "laureate": "Lauréat",
    "ineligible": "Inéligibilité",
    "override": "Dérogation",
}
BALLOT_KINDS = {"approval": "Approbation", "ranked": "Classement (méthode de Schulze)"}

_decode_result = msgspec.json.Decoder(StandingResult).decode


async def minutes_context(
    db: Database, *, identity: Identity, round_id: int, panel_id: int, now: dt.datetime | None = None
) -> MinutesContext:
    """Everything the procès-verbal shows, checked for the caller and written out in French."""
    rnd = await round_in_edition(db, round_id=round_id)
    panel = await db.fetchrow("minutes_panel", panel_id=panel_id)
    hidden = await _hidden_for(db, identity=identity, rnd=rnd, panel_id=panel_id)
    if panel is None or panel["round_id"] != round_id:
        raise NotFound("Jury inconnu.")
    if rnd.status not in ("deliberation", "closed"):
        state = labels.label(rnd.status, "round")
        raise Conflict(f"Le procès-verbal s'établit à partir de la délibération ; ce tour est {state}.")

    blind = rnd.blind
    entries = await db.fetch("minutes_entries", round_id=round_id, panel_id=panel_id)
    names_of = service.unique_labels(entries, blind=blind)
    members = await db.fetch("minutes_members", panel_id=panel_id)
    names = {m["person_id"]: m["full_name"] for m in members}
    chair = next((m["full_name"] for m in members if m["role"] == "chair"), "")

    def candidate(candidate_id: int) -> str:
        return names_of.get(candidate_id, f"Candidat n° {candidate_id}")

    conflicts = [
        ConflictLine(juror=r["full_name"], candidate=candidate(r["candidate_id"]), reason=r["reason"])
        for r in await db.fetch("minutes_conflicts", round_id=round_id, panel_id=panel_id)
    ]
    omitted = 0
    standings, count = await _standings(db, rnd=rnd, panel_id=panel_id, label=candidate, hidden=hidden)
    omitted += count
    ballots = []
    for row in await db.fetch("minutes_ballots", round_id=round_id, panel_id=panel_id):
        line, count = _ballot(row, label=candidate, names=names, hidden=hidden)
        ballots.append(line)
        omitted += count
    decisions, undone = [], []
    amounts: list[int] = []
    last_event: dt.datetime | None = None
    for row in await db.fetch("minutes_decisions", round_id=round_id, panel_id=panel_id):
        last_event = max(last_event or row["decided_at"], row["decided_at"])
        if row["candidate_id"] in hidden:
            omitted += 1
            continue
        if row["undone_at"] is not None:
            undone.append(_decision(row, label=candidate))
            continue
        decisions.append(_decision(row, label=candidate))
        if row["granted_eur"] is not None:
            amounts.append(row["granted_eur"])
    grants = await _grant_totals(db, edition_id=rnd.edition_id, amounts=amounts) if amounts else None
    now = (now or db.now()).astimezone(PARIS)
    day = rnd.scheduled_on or (last_event.astimezone(PARIS).date() if last_event else now.date())
    edition = edition_ordinal(rnd.edition_number)
    rule_row = await db.fetchrow("qualification_rule", round_id=round_id)
    rule = describe_quota(
        advance_count=rnd.advance_count or None,
        quota_scope=rule_row["quota_scope"] if rule_row else "overall",
        wildcards=rule_row["wildcards"] if rule_row else 0,
    )
    audit = audit_mark(*await chain_head(db))  # last: after every read of what the copy states
    return MinutesContext(
        title=f"Procès-verbal — {rnd.contest_name} {rnd.edition_year} — {rnd.name} — {panel['name']}",
        contest=rnd.contest_name,
        edition=f"{edition} ({rnd.edition_year})",
        round=rnd.name,
        rule=rule,
        panel=panel["name"],
        venue=panel["venue"] or rnd.place or "",
        date=french_date(day),
        generated=_when(now),
        provisional=rnd.status == "deliberation",
        blind=blind,
        members=[Member(name=m["full_name"], title=m["title"], chair=m["role"] == "chair") for m in members],
        chair=chair,
        conflicts=conflicts,
        standings=standings,
        ballots=ballots,
        decisions=decisions,
        undone=undone,
        grants=grants,
        omitted=(
            f"{omitted} mention(s) concernant des candidats pour lesquels la présidence s'est déportée "
            "ne figurent pas dans cet exemplaire ; l'exemplaire des organisateurs est complet."
            if omitted
            else ""
        ),
        audit=audit,
    )


def audit_mark(count: int, head: str) -> AuditMark:
    """The chain's head as a procès-verbal prints it; the full hash is printed too, for the command."""
    events = "événement" if count <= 1 else "événements"
    return AuditMark(
        count=count, head=head, summary=f"Journal d'audit : {count} {events}, empreinte {head[:16]}…"
    )


async def _hidden_for(
    db: Database, *, identity: Identity, rnd: RoundInEdition, panel_id: int
) -> frozenset[int]:
    """Refuses anyone but the contest's organisers and the panel's chair; returns what the chair must not see.

    Checked before the panel is looked up, so a refusal never tells a stranger whether a panel exists.
    """
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
        return frozenset()
    if identity.edition_id != rnd.edition_id:
        raise Forbidden(CHAIR_ONLY)
    try:
        _, seat = await service.panel_seat(db, identity=identity, panel_id=panel_id)
    except (Forbidden, NotFound):
        raise Forbidden(CHAIR_ONLY) from None
    if seat.roles.get(panel_id) != "chair":
        raise Forbidden(CHAIR_ONLY)
    return seat.hidden


# --- Standing -------------------------------------------------------------------------------------------


async def _standings(
    db: Database, *, rnd: RoundInEdition, panel_id: int, label: Any, hidden: frozenset[int]
) -> tuple[list[Standing], int]:
    categories = {r["id"]: r["name"] for r in await db.fetch("minutes_categories", edition_id=rnd.edition_id)}
    published = await db.fetch("minutes_published", round_id=rnd.id, panel_id=panel_id)
    items: list[tuple[int | None, str, StandingResult, str]] = []
    if published:
        for row in published:
            origin = (
                f"Classement publié (version {row['version']}, le {_when(row['published_at'])}, "
                f"par {row['published_by_name']})"
            )
            items.append((row["category_id"], row["input_digest"], _decode_result(row["result"]), origin))
    else:
        sections = await read_sections(db, round_id=rnd.id, panel_keys=[panel_id])
        computed = await compute(
            db,
            round_id=rnd.id,
            sections=sections,
            calibration=round_calibration(rnd, bootstrap=PAGE_BOOTSTRAP),
        )
        origin = "Classement courant, calculé à l'édition de ce document (non publié)"
        items = [(c.section.category_key or None, c.section.digest, c.result, origin) for c in computed]
    omitted = 0
    standings = []
    for category_id, digest, result, origin in items:
        lines = []
        for line in result.lines:
            if line.candidate_id in hidden:
                omitted += 1
                continue
            remarks = []
            if line.borderline:
                remarks.append("zone limite")
            if line.eliminated_by:
                remarks.append(f"critère éliminatoire ({line.eliminated_by} juré(s))")
            lines.append(
                StandingLine(
                    rank="—" if line.rank is None else str(line.rank),
                    candidate=label(line.candidate_id),
                    score=decimal_fr(line.score, 2),
                    raw=decimal_fr(line.raw, 2),
                    marks=line.marks,
                    p_top_k="—" if line.p_top_k is None else f"{round(line.p_top_k * 100)} %",
                    remarks=", ".join(remarks),
                )
            )
        standings.append(
            Standing(
                category=categories.get(category_id, NO_CATEGORY) if category_id else NO_CATEGORY,
                method=result.method,
                method_label=METHOD_LABELS.get(result.method, result.method),
                digest=digest,
                origin=origin,
                lines=lines,
            )
        )
    return standings, omitted


# --- Ballots and decisions ------------------------------------------------------------------------------


def _ballot(
    row: Mapping[str, Any], *, label: Any, names: Mapping[int, str], hidden: frozenset[int]
) -> tuple[BallotLine, int]:
    """A ballot as the minutes state it: the final order, how ties were broken, and what was excluded."""
    kind = BALLOT_KINDS.get(row["kind"], row["kind"])
    result = row["result"]
    if row["status"] != "closed" or result is None:
        return (
            BallotLine(
                title=row["title"],
                kind=kind,
                status="Scrutin non clos à l'édition de ce document",
                votes=f"{row['votes_cast']} vote(s) exprimé(s)",
                order=[],
                winners="",
                casting_vote="",
                separations=[],
                notes=[],
                excluded=[],
            ),
            0,
        )
    omitted = len(hidden.intersection(row["candidates"]))
    counts = {int(k): v for k, v in (result.get("counts") or {}).items()}

    def named(group: Sequence[int]) -> str:
        shown = [c for c in group if c not in hidden]
        if row["kind"] == "approval":
            return " = ".join(f"{label(c)} ({counts.get(c, 0)} voix)" for c in shown)
        return " = ".join(label(c) for c in shown)

    order = []
    position = 1
    for group in result["order"]:
        text = named(group)
        if text:
            tie = " (égalité non départagée)" if len([c for c in group if c not in hidden]) > 1 else ""
            order.append(f"{position}. {text}{tie}")
        position += len(group)
    casting = result.get("casting_vote")
    casting_text = ""
    if casting:
        ranked = " > ".join(label(c) for c in casting["order"] if c not in hidden)
        by = row["casting_name"] or names.get(casting["person_id"], "la présidence")
        casting_text = f"Voix prépondérante de {by} : {ranked}"
        if casting.get("reason"):
            casting_text += f" — motif : {casting['reason']}"
    return (
        BallotLine(
            title=row["title"],
            kind=kind,
            status=f"Clos le {_when(row['closed_at'])}" if row["closed_at"] else "Clos",
            votes=f"{result['votes']} vote(s) exprimé(s)",
            order=order,
            winners=", ".join(label(c) for c in result["winners"] if c not in hidden),
            casting_vote=casting_text,
            separations=[
                s["reason"] for s in result["separations"] if not hidden.intersection(s["above"] + s["below"])
            ],
            notes=[n["text"] for n in result["notes"] if not hidden.intersection(n["candidates"])],
            excluded=[
                f"{_juror(names, e['person_id'])} — {label(e['candidate_id'])}"
                for e in result.get("excluded", [])
                if e["candidate_id"] not in hidden
            ],
        ),
        omitted,
    )


def _juror(names: Mapping[int, str], person_id: int) -> str:
    return names.get(person_id, f"Juré n° {person_id}")


def _decision(row: Mapping[str, Any], *, label: Any) -> DecisionLine:
    kind = KINDS.get(row["kind"], row["kind"])
    if row["prize_name"]:
        kind = f"{kind} : {row['prize_name']}"
    return DecisionLine(
        kind=kind,
        candidate=label(row["candidate_id"]),
        amount="" if row["granted_eur"] is None else euros(row["granted_eur"]),
        reason=row["reason"] or "—",
        based_on=row["based_on"] or "—",
        decided_by=row["decided_by_name"] or "—",
        decided_at=_when(row["decided_at"]),
        departure=row["departure"],
        undone=""
        if row["undone_at"] is None
        else f"Annulée le {_when(row['undone_at'])} par {row['undone_by_name'] or '—'} : {row['undo_reason']}",
    )


async def _grant_totals(db: Database, *, edition_id: int, amounts: Sequence[int]) -> GrantTotals:
    """The panel's grants against the edition's budget: a procès-verbal of grants must show they fit.

    The budget left counts every grant of the edition (another round or panel may have granted some),
    as the allocation itself was checked (`jury.deliberation.grants`); what this panel did not grant is
    shown apart, so the figures add up on paper.
    """
    row = await db.fetchrow("minutes_edition_grants", edition_id=edition_id)
    assert row is not None  # the round's edition
    granted = sum(amounts)
    elsewhere = row["granted_eur"] - granted
    budget = row["budget_eur"]
    left = None if budget is None else budget - row["granted_eur"]
    return GrantTotals(
        granted=euros(granted),
        elsewhere=euros(elsewhere) if elsewhere > 0 else "",
        budget="" if budget is None else euros(budget),
        left="" if left is None or left < 0 else euros(left),
        overrun="" if left is None or left >= 0 else euros(-left),
    )


# --- French formats -------------------------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{french_date(local)} à {local:%H}\u00a0h\u00a0{local:%M}"  # the hour never splits over lines
