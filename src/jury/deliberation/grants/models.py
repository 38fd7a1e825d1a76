"""Bodies and answers of the grants API: a proposed split of the budget and the committee's amounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

ShortText = Annotated[str, msgspec.Meta(max_length=2000)]


class ProposalRequest(msgspec.Struct, kw_only=True):
    """`order`: candidate ids in standing order; without it, the ranking of the round the grants follow
    (`round_id`, else the edition's last committee round with a submitted sheet)."""

    order: list[int] | None = None
    min_partial: Annotated[int, msgspec.Meta(gt=0)] | None = None
    round_id: int | None = None


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
    round_id: int
    round_name: str
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
    """`round_id`: the committee round whose standing the grants follow; without it, the edition's last
    committee round with a submitted sheet. Each grant must go to a project judged in that round."""

    grants: Annotated[list[GrantLine], msgspec.Meta(min_length=1)]
    based_on: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    reason: ShortText = ""
    decided_on: dt.date | None = None
    round_id: int | None = None
