"""Bodies and answers of the ballots API: opening, voting, closing, the chair's casting vote.

Candidates are named by id in requests and by a label in answers (an entry number in a blind round).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

ShortText = Annotated[str, msgspec.Meta(max_length=2000)]

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
