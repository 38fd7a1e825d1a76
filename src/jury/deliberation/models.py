"""Bodies and answers of the deliberation API: notes, ballots, decisions, prizes and grants.

Candidates are named by id in requests and by a label in answers; in a blind round (the Gâteau's tasting)
the label is the entry number, so no page or stored text ever gives a juror a baker's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

Text = Annotated[str, msgspec.Meta(max_length=4000)]
ShortText = Annotated[str, msgspec.Meta(max_length=2000)]

# --- Notes ----------------------------------------------------------------------------------------------


class NoteRequest(msgspec.Struct, kw_only=True):
    candidate_id: int
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class Note(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    panel_id: int
    candidate_id: int
    candidate: str
    author: str
    mine: bool
    text: str
    created_at: dt.datetime


# --- Ballots --------------------------------------------------------------------------------------------

BallotKind = Literal["approval", "ranked"]


class OpenBallotRequest(msgspec.Struct, kw_only=True):
    panel_id: int
    kind: BallotKind
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    candidate_ids: Annotated[list[int], msgspec.Meta(min_length=2)]


class VoteRequest(msgspec.Struct, kw_only=True):
    """`approved` for an approval ballot, `tiers` (best first, ties allowed) for a ranked one."""

    approved: list[int] | None = None
    tiers: list[list[int]] | None = None


class CloseBallotRequest(msgspec.Struct, kw_only=True):
    """Scores the tie-break policy may use; when absent, the rules needing them are skipped with a note."""

    calibrated: dict[int, float] | None = None
    criterion_scores: dict[int, dict[str, float]] | None = None


class CastingVoteRequest(msgspec.Struct, kw_only=True):
    order: Annotated[list[int], msgspec.Meta(min_length=2)]
    reason: ShortText = ""


class BallotCandidate(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    label: str


class Separation(msgspec.Struct, frozen=True, kw_only=True):
    above: list[int]
    below: list[int]
    rule: str
    reason: str


class CastingVote(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    order: list[int]
    reason: str
    cast_at: str


class ExcludedVote(msgspec.Struct, frozen=True, kw_only=True):
    juror: str
    candidate: str


class BallotResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a closed ballot decided; `pairwise`, `strongest_paths` and `excluded` are for organisers only."""

    method: Literal["approval", "schulze"]
    votes: int
    tiers: list[list[int]]
    winners: list[int]
    order: list[list[int]]
    unresolved: list[list[int]]
    separations: list[Separation]
    notes: list[str]
    policy: list[str]
    counts: dict[int, int] | None = None
    casting_vote: CastingVote | None = None
    pairwise: dict[int, dict[int, int]] | None = None
    strongest_paths: dict[int, dict[int, int]] | None = None
    excluded: list[ExcludedVote] | None = None


class Ballot(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    round_id: int
    panel_id: int
    kind: BallotKind
    title: str
    status: Literal["open", "closed"]
    candidates: list[BallotCandidate]
    votes_cast: int
    voters: int
    my_vote: VoteRequest | None = None
    result: BallotResult | None = None


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


# --- Grants ---------------------------------------------------------------------------------------------


class ProposalRequest(msgspec.Struct, kw_only=True):
    """`order`: candidate ids in standing order; without it, the order of the applications."""

    order: list[int] | None = None
    min_partial: Annotated[int, msgspec.Meta(gt=0)] | None = None


class ProposalLine(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    candidate: str
    legal_form: str
    commune: str
    requested_eur: int | None
    eligible: bool
    failures: list[str]
    already_granted_eur: int | None
    proposed_eur: int
    status: Literal["full", "partial", "unfunded", "ineligible", "granted"]
    note: str


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    budget_eur: int
    max_grant_eur: int
    already_granted_eur: int
    proposed_total_eur: int
    remaining_eur: int
    lines: list[ProposalLine]


class GrantLine(msgspec.Struct, kw_only=True):
    candidate_id: int
    granted_eur: int


class GrantsRequest(msgspec.Struct, kw_only=True):
    grants: Annotated[list[GrantLine], msgspec.Meta(min_length=1)]
    based_on: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    reason: ShortText = ""
    decided_on: dt.date | None = None
    round_id: int | None = None
