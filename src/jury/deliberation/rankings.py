"""The standing a decision rests on, as the departure rules read it: each category's ranking in a round.

Prizes and grants are checked against the same calibrated standings the Classement page shows (one truth
for ranks), read through `jury.results.standings`; a round with no submitted sheet has no ranking, and
then no decision can depart from it.
"""

from __future__ import annotations

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation.departures import Ranked
from jury.results import standings as results


async def round_rankings(
    db: Database, *, identity: Identity, round_id: int
) -> dict[int | None, list[Ranked]]:
    """Rankings of a round by category id (None: candidates without a category), best first. A round
    ranked by several panels (semi-finals) keeps each panel's ranks; prizes are given where one panel
    ranks a category."""
    rankings: dict[int | None, list[Ranked]] = {}
    for view in await results.standings(db, identity=identity, round_id=round_id):
        rankings.setdefault(view.category_id, []).extend(
            Ranked(candidate_id=line.candidate_id, name=line.name, rank=line.rank) for line in view.lines
        )
    for lines in rankings.values():
        lines.sort(key=lambda r: (r.rank is None, r.rank or 0))
    return rankings
