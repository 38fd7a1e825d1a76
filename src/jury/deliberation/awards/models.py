"""Bodies and answers of the decisions API: qualifiers for the next round, decisions, prizes.

Every decision names what it was based on (a standing's method and digest) and, against the ranking, why.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

ShortText = Annotated[str, msgspec.Meta(max_length=2000)]

# --- Decisions ------------------------------------------------------------------------------------------


class AdvanceRequest(msgspec.Struct, kw_only=True):
    """`based_on` names the standing the list comes from (method and digest), as the minutes must."""

    advance: list[int]
    based_on: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    reason: ShortText = ""
    panel_id: int | None = None


class Advancement(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    next_round_id: int
    advanced: list[int]
    eliminated: list[int]
    decision_ids: list[int]


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    candidate_id: int
    candidate: str
    round_id: int | None
    round_name: str | None
    prize: str | None
    granted_eur: int | None
    reason: str
    based_on: str
    decided_by: str | None
    decided_at: dt.datetime
    departure: str = ""
    """How the decision goes against the standing it rests on (its `reason` says why), or ""."""
    undone_at: dt.datetime | None = None
    undone_by: str | None = None
    undo_reason: str = ""


# --- Prizes ---------------------------------------------------------------------------------------------


class AwardLine(msgspec.Struct, kw_only=True):
    prize: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    candidate_id: int


class AwardsRequest(msgspec.Struct, kw_only=True):
    """A sheet of prizes decided together; `allow_vacant` lets the jury leave a podium place empty."""

    awards: Annotated[list[AwardLine], msgspec.Meta(min_length=1)]
    reason: ShortText = ""
    based_on: Annotated[str, msgspec.Meta(max_length=500)] = ""
    decided_on: dt.date | None = None
    allow_vacant: bool = False
    round_id: int | None = None
    ballot_id: int | None = None
    """The closed ballot the sheet follows (a Prix spécial voted by the jury): a one-place prize given to
    someone its result did not designate needs a written reason, like one against the standing."""


class AwardRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    prize_code: str
    prize: str
    prize_kind: str
    place: int | None
    candidate_id: int
    candidate: str
    granted_eur: int | None
    decided_on: dt.date
    decision_id: int | None
