"""What the rounds' set-up and entries pages post, for the OpenAPI contract only (see
`jury.web.openapi_forms`): the handlers read their forms themselves; these structs document those fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from jury.results.normalise import METHODS
from jury.rounds.setup import KINDS
from jury.web.openapi_forms import form_body

__all__ = ["ENTRIES_FORM", "PANEL_FORM", "ROUND_FORM"]

Whole = Annotated[int, msgspec.Meta(ge=0)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]


class RoundForm(msgspec.Struct):
    """A round's fields; on the settings form only the fields sent change (an empty number: none)."""

    name: str = ""
    kind: Literal[tuple(KINDS)] = "preselection"  # type: ignore[valid-type]
    quota_scope: str = "overall"
    method: Literal[tuple(METHODS)] = "affine"  # type: ignore[valid-type]
    position: Annotated[int, msgspec.Meta(ge=1)] | None = None
    advance_count: Whole | None = None
    wildcards: Whole | None = None
    blind: Literal["oui", "non"] = "non"
    scheduled_on: dt.date | None = None


class PanelForm(msgspec.Struct):
    name: str = ""
    zone: str = ""
    venue: str = ""
    categories: list[str] = []


class EntriesForm(msgspec.Struct):
    """`placer` (with `jury-<candidate id>` = panel id), `ajouter` or `retirer` a seat of a panel."""

    action: Literal["placer", "ajouter", "retirer"]
    panel_id: Id | None = None
    person_id: Id | None = None
    email: str = ""
    role: Literal["juror", "chair"] = "juror"
    professionnel: Literal["on", ""] = ""


ROUND_FORM = form_body(RoundForm)
PANEL_FORM = form_body(PanelForm)
ENTRIES_FORM = form_body(EntriesForm, dynamic={"^jury-[0-9]+$": {"type": "integer", "minimum": 1}})
