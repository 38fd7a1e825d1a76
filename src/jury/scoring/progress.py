"""The organisers' view of a round being marked: who has submitted what, and where jurors are missing.

Counts are per juror (submitted / expected, drafts, declarations still due) and per candidate (submitted /
jurors assigned). A *hole* is a candidate with fewer jurors than the round's target — the most common
number of jurors per candidate — which is what a declared conflict leaves behind until an organiser
assigns someone else. The most common number rather than the largest: a bridge juror giving one
candidate an extra mark must not make every other candidate look short.

Organisers see names here, blind round or not: they set the round up and know the candidates.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import msgspec

from jury.access.identity import Identity
from jury.access.policy import organised_round
from jury.db.queries import Database
from jury.french.dates import PARIS
from jury.labels import label
from jury.paging import PER_PAGE, Paging, page_of
from jury.scoring.models import CandidateProgress, JurorProgress, PairProgress, RoundProgress
from jury.spreadsheet import french_csv, neutralise

__all__ = ["ProgressPage", "progress_csv", "progress_page", "round_progress", "target_jurors"]


def target_jurors(counts: list[int]) -> int:
    """The most common number of jurors per candidate (the larger one on a tie); 0 without candidates."""
    if not counts:
        return 0
    frequency = Counter(counts)
    return max(frequency, key=lambda n: (frequency[n], n))


def target_of_spread(spread: dict[int, int]) -> int:
    """`target_jurors` from how many candidates have each number of jurors (never the list itself)."""
    if not spread:
        return 0
    return max(spread, key=lambda n: (spread[n], n))


class ProgressPage(msgspec.Struct, frozen=True, kw_only=True):
    """What the follow-up page shows: the round's totals (aggregates) and one page of each table."""

    round_id: int
    round_name: str
    round_status: str
    edition_slug: str
    target: int
    expected: int
    submitted: int
    holes: int
    jurors: list[JurorProgress]
    candidates: list[CandidateProgress]
    juror_paging: Paging
    candidate_paging: Paging


async def progress_page(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    page: int = 1,
    juror_page: int = 1,
    per_page: int = PER_PAGE,
) -> ProgressPage:
    """The follow-up page at any scale: totals from aggregates, then one page of jurors and of candidates.

    The same counts as `round_progress` (the API's), without reading every assigned pair: at the scale of
    the largest contest (90,000 pairs) that was 8 MB of HTML and 3 s per refresh, every 10 s.
    """
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    spread = {
        row["jurors"]: row["candidates"] for row in await db.fetch("progress_spread", round_id=round_id)
    }
    target = target_of_spread(spread)
    candidate_paging = page_of(total=sum(spread.values()), page=page, per_page=per_page)
    juror_paging = page_of(
        total=await db.fetchval("progress_juror_count", round_id=round_id), page=juror_page, per_page=per_page
    )
    jurors = [
        JurorProgress(
            person_id=row["person_id"],
            full_name=row["full_name"],
            panels=list(row["panels"]),
            expected=row["expected"],
            submitted=row["submitted"],
            drafts=row["drafts"],
            missing=row["expected"] - row["submitted"],
            declarations_pending=row["undeclared"] if rnd.status == "open" else 0,
            conflicts=row["conflicts"],
        )
        for row in await db.fetch(
            "progress_juror_page", round_id=round_id, limit=juror_paging.limit, offset=juror_paging.offset
        )
    ]
    candidates = [
        CandidateProgress(
            candidate_id=row["candidate_id"],
            entry_number=row["entry_number"],
            name=row["name"],
            panel=row["panel"],
            jurors=row["jurors"],
            submitted=row["submitted"],
            missing=row["jurors"] - row["submitted"],
            conflicts=row["conflicts"],
            hole=row["jurors"] < target,
        )
        for row in await db.fetch(
            "progress_candidate_page",
            round_id=round_id,
            limit=candidate_paging.limit,
            offset=candidate_paging.offset,
        )
    ]
    return ProgressPage(
        round_id=round_id,
        round_name=rnd.name,
        round_status=rnd.status,
        edition_slug=rnd.edition_slug,
        target=target,
        expected=sum(jurors * count for jurors, count in spread.items()),
        submitted=await db.fetchval("progress_submitted", round_id=round_id),
        holes=sum(count for jurors, count in spread.items() if jurors < target),
        jurors=jurors,
        candidates=candidates,
        juror_paging=juror_paging,
        candidate_paging=candidate_paging,
    )


async def round_progress(db: Database, *, identity: Identity, round_id: int) -> RoundProgress:
    rnd = await organised_round(db, identity=identity, round_id=round_id)

    candidates = await db.fetch("scoring_progress_candidates", round_id=round_id)
    competing = {row["candidate_id"] for row in candidates}
    pair_rows = [
        row
        for row in await db.fetch("scoring_progress_pairs", round_id=round_id)
        if row["candidate_id"] in competing
    ]
    pairs = [
        PairProgress(
            panel=row["panel"],
            person_id=row["person_id"],
            juror_name=row["juror_name"],
            candidate_id=row["candidate_id"],
            entry_number=row["entry_number"],
            candidate_name=row["candidate_name"],
            state=row["sheet_status"] or "todo",
            abstained=row["abstained"],
            updated_at=row["updated_at"],
        )
        for row in pair_rows
    ]
    undeclared = Counter(row["person_id"] for row in pair_rows if not row["declared"])
    by_juror: dict[int, list[PairProgress]] = defaultdict(list)
    by_candidate: dict[int, list[PairProgress]] = defaultdict(list)
    for pair in pairs:
        by_juror[pair.person_id].append(pair)
        by_candidate[pair.candidate_id].append(pair)

    jurors = []
    for row in await db.fetch("scoring_progress_members", round_id=round_id):
        mine = by_juror.get(row["person_id"], [])
        submitted = sum(p.state == "submitted" for p in mine)
        jurors.append(
            JurorProgress(
                person_id=row["person_id"],
                full_name=row["full_name"],
                panels=list(row["panels"]),
                expected=len(mine),
                submitted=submitted,
                drafts=sum(p.state == "draft" for p in mine),
                missing=len(mine) - submitted,
                declarations_pending=undeclared.get(row["person_id"], 0) if rnd.status == "open" else 0,
                conflicts=row["conflicts"],
            )
        )

    target = target_jurors([len(by_candidate.get(row["candidate_id"], [])) for row in candidates])
    candidate_lines = []
    for row in candidates:
        theirs = by_candidate.get(row["candidate_id"], [])
        submitted = sum(p.state == "submitted" for p in theirs)
        candidate_lines.append(
            CandidateProgress(
                candidate_id=row["candidate_id"],
                entry_number=row["entry_number"],
                name=row["name"],
                panel=row["panel"],
                jurors=len(theirs),
                submitted=submitted,
                missing=len(theirs) - submitted,
                conflicts=row["conflicts"],
                hole=len(theirs) < target,
            )
        )
    return RoundProgress(
        round_id=round_id,
        round_name=rnd.name,
        round_status=rnd.status,
        edition_slug=rnd.edition_slug,
        target=target,
        expected=len(pairs),
        submitted=sum(p.state == "submitted" for p in pairs),
        holes=sum(c.hole for c in candidate_lines),
        jurors=jurors,
        candidates=candidate_lines,
        pairs=sorted(pairs, key=lambda p: (p.panel, p.juror_name, p.entry_number or 0, p.candidate_id)),
    )


PROGRESS_COLUMNS = ("Jury", "Juré", "N° d'inscription", "Candidat", "Feuille", "Abstention", "Mise à jour")


def progress_csv(progress: RoundProgress) -> bytes:
    """One line per assigned pair, French spreadsheet dialect, text cells neutralised against formulas."""
    return french_csv(
        PROGRESS_COLUMNS,
        (
            [
                neutralise(pair.panel),
                neutralise(pair.juror_name),
                "" if pair.entry_number is None else pair.entry_number,
                neutralise(pair.candidate_name),
                label(pair.state, "sheet"),
                "oui" if pair.abstained else "",
                ""
                if pair.updated_at is None
                else pair.updated_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
            ]
            for pair in progress.pairs
        ),
    )
