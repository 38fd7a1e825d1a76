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

from jury.access.identity import Identity
from jury.access.policy import organised_round
from jury.db.queries import Database
from jury.french.dates import PARIS
from jury.labels import label
from jury.scoring.models import CandidateProgress, JurorProgress, PairProgress, RoundProgress
from jury.spreadsheet import french_csv, neutralise

__all__ = ["progress_csv", "round_progress", "target_jurors"]


def target_jurors(counts: list[int]) -> int:
    """The most common number of jurors per candidate (the larger one on a tie); 0 without candidates."""
    if not counts:
        return 0
    frequency = Counter(counts)
    return max(frequency, key=lambda n: (frequency[n], n))


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
