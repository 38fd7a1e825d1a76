"""Bodies and answers of a panel's deliberation pages: notes on candidates and the panels one deliberates in.

Candidates are named by id in requests and by a label in answers; in a blind round (the Gâteau's tasting)
the label is the entry number, so no page or stored text ever gives a juror a baker's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec


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


class PanelLink(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    panel_name: str
    role: str
    round_id: int
    round_name: str
    status: str
    edition_slug: str = ""
    edition_label: str = ""
