"""When a decision goes against the ranking it rests on, and how the procès-verbal says so.

A jury may give a prize to a candidate the standing places lower, or fund a project ranked below one left
without a grant: that is its right, and sometimes its duty (an eliminatory criterion, a conflict found
late). What it may not do is depart silently. These rules name each departure in one French sentence; the
services refuse a departure without a written reason and store the sentence beside the decision, so the
procès-verbal prints both.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import msgspec

from jury.french.ordinal import ordinal


class Ranked(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate's place in the standing the decision rests on (None: ranked nowhere)."""

    candidate_id: int
    name: str
    rank: int | None


def prize_departure(
    *, candidate_id: int, place: int, ranking: Sequence[Ranked], unavailable: Collection[int] = ()
) -> str:
    """The sentence for a prize of `place` (1 for a category prize, the podium place otherwise) given to a
    candidate the standing places lower; "" when the standing supports it. Only candidates strictly ahead
    count, so a tie at that place is not a departure (ex aequo is the prize's own rule), and neither is one
    ahead who is `unavailable` (holding or receiving another prize where a laureate holds only one)."""
    by_id = {r.candidate_id: r for r in ranking}
    holder = by_id.get(candidate_id)
    own = holder.rank if holder is not None else None
    ahead = [
        r
        for r in ranking
        if r.rank is not None
        and r.candidate_id != candidate_id
        and r.candidate_id not in unavailable
        and (own is None or r.rank < own)
    ]
    if len(ahead) < place:
        return ""
    where = "non classé" if own is None else f"classé {ordinal(own)}"
    names = ", ".join(f"{r.name} ({ordinal(r.rank or 0)})" for r in sorted(ahead, key=_rank)[:3])
    return f"Contraire au classement : {where} pour la {ordinal(place, gender='feminine')} place ; devant : {names}."


def ballot_departure(
    *, candidate_id: int, title: str, winners: Collection[int], names: Mapping[int, str]
) -> str:
    """The sentence for a prize given to someone the closed ballot it follows did not designate; ""."""
    if candidate_id in winners:
        return ""
    chosen = ", ".join(names.get(w, f"n° {w}") for w in winners) or "aucun vainqueur"
    return f"Contraire au scrutin « {title} » : vainqueur(s) {chosen}."


def grant_departures(
    *, funded: Sequence[int], ranking: Sequence[Ranked], passed_over: Mapping[int, bool]
) -> dict[int, str]:
    """For each funded candidate ranked below a candidate that could have been funded and is not
    (`passed_over[id]` True: judged, eligible, not granted before, not funded now), the sentence naming
    who was passed over. Funded candidates the ranking supports are absent from the answer."""
    ranks = {r.candidate_id: r for r in ranking}
    skipped = [r for r in ranking if r.rank is not None and passed_over.get(r.candidate_id, False)]
    out: dict[int, str] = {}
    for cid in funded:
        own = ranks.get(cid)
        rank = own.rank if own is not None else None
        above = [r for r in skipped if rank is None or (r.rank or 0) < rank]
        if above:
            where = "non classé" if rank is None else f"classé {ordinal(rank)}"
            names = ", ".join(f"{r.name} ({ordinal(r.rank or 0)})" for r in sorted(above, key=_rank)[:3])
            out[cid] = f"Contraire au classement : {where}, financé avant {names}, non retenu(s)."
    return out


def _rank(r: Ranked) -> int:
    return r.rank if r.rank is not None else 10**9
