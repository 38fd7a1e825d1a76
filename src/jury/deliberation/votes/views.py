"""Ballots as each reader may see them: without the candidates they declared a conflict with (results
included), with the pairwise matrices and excluded votes for organisers only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition
from jury.db.queries import Database
from jury.deliberation.service import (
    Seat,
    panel_candidates,
    readable_panels,
    seat_on_panel,
)
from jury.deliberation.votes.models import (
    Ballot,
    BallotCandidate,
    BallotResult,
    CastingVote,
    ExcludedVote,
    Separation,
    VoteRequest,
)
from jury.errors import NotFound


async def list_ballots(
    db: Database, *, identity: Identity, round_id: int, panel_id: int | None = None
) -> list[Ballot]:
    rnd, seat, panels = await readable_panels(
        db, identity=identity, round_id=round_id, panel_id=panel_id, what="Les scrutins"
    )
    return await _views(db, rnd=rnd, seat=seat, panels=panels)


async def get_ballot(db: Database, *, identity: Identity, ballot_id: int) -> Ballot:
    ref = await db.fetchrow("delib_ballot_round", ballot_id=ballot_id)
    if ref is None:
        raise NotFound("Scrutin inconnu.")
    rnd, seat = await seat_on_panel(db, identity=identity, round_id=ref["round_id"], panel_id=ref["panel_id"])
    return await one_ballot(db, rnd=rnd, seat=seat, panel_id=ref["panel_id"], ballot_id=ballot_id)


async def one_ballot(
    db: Database, *, rnd: RoundInEdition, seat: Seat, panel_id: int, ballot_id: int
) -> Ballot:
    """One ballot as `seat` may see it (after a write, the answer is the ballot as its author sees it)."""
    views = await _views(db, rnd=rnd, seat=seat, panels=[panel_id])
    return next(b for b in views if b.id == ballot_id)


async def _views(db: Database, *, rnd: RoundInEdition, seat: Seat, panels: list[int]) -> list[Ballot]:
    rows = await db.fetch("delib_ballots", round_id=rnd.id, panel_ids=panels)
    labels = await panel_candidates(db, panel_ids=panels, blind=rnd.blind and not seat.organiser)
    names: dict[int, str] = {}
    if seat.organiser:
        names = {
            r["person_id"]: r["full_name"] for r in await db.fetch("delib_member_names", panel_ids=panels)
        }
    mine = {}
    if not seat.organiser:
        mine = {
            r["ballot_id"]: r["payload"]
            for r in await db.fetch(
                "delib_my_votes", person_id=seat.person_id, ballot_ids=[r["id"] for r in rows]
            )
        }
    return [_view(row, seat=seat, labels=labels, names=names, my_vote=mine.get(row["id"])) for row in rows]


def _view(
    row: Mapping[str, Any],
    *,
    seat: Seat,
    labels: Mapping[int, str],
    names: Mapping[int, str],
    my_vote: Mapping[str, Any] | None,
) -> Ballot:
    hidden = seat.hidden
    return Ballot(
        id=row["id"],
        round_id=row["round_id"],
        panel_id=row["panel_id"],
        kind=row["kind"],
        title=row["title"],
        status=row["status"],
        candidates=[
            BallotCandidate(id=c, label=labels.get(c, f"Candidat n° {c}"))
            for c in row["candidates"]
            if c not in hidden
        ],
        votes_cast=row["votes_cast"],
        voters=row["voters"],
        my_vote=None if my_vote is None else VoteRequest(**my_vote),
        result=None
        if row["result"] is None
        else _result(row["result"], hidden=hidden, organiser=seat.organiser, labels=labels, names=names),
    )


def _result(
    stored: Mapping[str, Any],
    *,
    hidden: frozenset[int],
    organiser: bool,
    labels: Mapping[int, str],
    names: Mapping[int, str],
) -> BallotResult:
    """A stored result as the reader may see it: without their conflicts, matrices for organisers only."""

    def keep(groups: list[list[int]]) -> list[list[int]]:
        return [g for g in ([c for c in group if c not in hidden] for group in groups) if g]

    def matrix(table: Mapping[str, Mapping[str, int]] | None) -> dict[int, dict[int, int]] | None:
        if table is None or not organiser:
            return None
        return {int(x): {int(y): n for y, n in row.items()} for x, row in table.items()}

    casting = stored.get("casting_vote")
    return BallotResult(
        method=stored["method"],
        votes=stored["votes"],
        tiers=keep(stored["tiers"]),
        winners=[c for c in stored["winners"] if c not in hidden],
        order=keep(stored["order"]),
        unresolved=[g for g in keep(stored["unresolved"]) if len(g) > 1],
        separations=[
            Separation(**s) for s in stored["separations"] if not hidden.intersection(s["above"] + s["below"])
        ],
        notes=[n["text"] for n in stored["notes"] if not hidden.intersection(n["candidates"])],
        policy=list(stored["policy"]),
        counts=None
        if stored.get("counts") is None
        else {int(k): v for k, v in stored["counts"].items() if int(k) not in hidden},
        casting_vote=None if casting is None else CastingVote(**casting),
        pairwise=matrix(stored.get("d")),
        strongest_paths=matrix(stored.get("p")),
        excluded=None
        if not organiser
        else [
            ExcludedVote(
                juror=names.get(e["person_id"], f"Juré n° {e['person_id']}"),
                candidate=labels.get(e["candidate_id"], f"Candidat n° {e['candidate_id']}"),
            )
            for e in stored["excluded"]
        ],
    )
