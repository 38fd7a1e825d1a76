"""Bodies and answers of the undo API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec


class UndoRequest(msgspec.Struct, kw_only=True):
    """`reason` is required (it goes into the procès-verbal). After the edition is decided, the chair's
    correction may name the candidate who receives the prize or grant instead (`replacement_candidate_id`):
    the undone laureate's diploma is revoked and the new one issued."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    replacement_candidate_id: int | None = None


class UndoneDecision(msgspec.Struct, frozen=True, kw_only=True):
    decision_id: int
    kind: str
    candidate_id: int
    undone_at: dt.datetime
    reason: str
    revoked_diploma: str | None = None
    """The verification code of the diploma revoked with the decision, if one had been issued."""
    replacement_decision_id: int | None = None
    replacement_diplomas: list[int] = []
