"""What the set-up pages' form posts take, for the OpenAPI contract only (see `jury.web.openapi_forms`).

The handlers read their forms themselves (the page comes back with every refused field and what was typed);
these structs document the fields they read, as strict as that reading, and validate nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from jury.contests.edition_lifecycle import STATUSES
from jury.contests.grid_rules import PRIZE_KINDS
from jury.web.openapi_forms import form_body

__all__ = [
    "CONTEST_FORM",
    "CRITERIA_FORM",
    "EDITION_FORM",
    "ELIGIBILITY_FORM",
    "MOVE_FORM",
    "ORGANISER_FORM",
    "PRIZES_FORM",
    "SETTINGS_FORM",
]

Checkbox = Literal["on", ""]
Whole = Annotated[int, msgspec.Meta(ge=0)]


class ContestForm(msgspec.Struct):
    slug: str = ""
    name: str = ""
    organisers: str = ""
    candidate_kind: str = ""
    description: str = ""


class OrganiserForm(msgspec.Struct):
    email: str = ""
    name: str = ""
    password: str = ""


class EditionForm(msgspec.Struct):
    year: Annotated[int, msgspec.Meta(ge=1900, le=9999)]
    copy_from: str = ""


class SettingsForm(msgspec.Struct):
    """Every field is sent; an empty one means « none » where it may (`setup_models.rules_from_form`)."""

    number: Annotated[int, msgspec.Meta(ge=1)]
    retention_months: Annotated[int, msgspec.Meta(ge=1)]
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    decision_on: dt.date | None = None
    budget_eur: Whole | None = None
    max_grant_eur: Whole | None = None
    max_company_age_years: Whole | None = None
    theme: str = ""
    place: str = ""
    eligible_legal_forms: str = ""  # one per line
    accepted_outside_insee: str = ""  # commas, spaces or lines
    tie_break_policy: str = ""
    allow_multiple_prizes: Checkbox = ""


class MoveForm(msgspec.Struct):
    status: Literal[STATUSES]  # type: ignore[valid-type]
    reason: str = ""


class GridForm(msgspec.Struct):
    """The criteria table: one line per index (`code-0`, `label-0`, `weight-0`…); blank lines are ignored."""

    name: str = ""
    weights_total: float | None = None


CRITERION_FIELDS = {
    **{f"^{name}-[0-9]+$": {"type": "string"} for name in ("code", "label", "help")},
    **{f"^{name}-[0-9]+$": {"type": "number"} for name in ("weight", "scale_min", "scale_max", "scale_step")},
    **{
        f"^{name}-[0-9]+$": {"type": "string", "enum": ["on"]} for name in ("comment_required", "eliminatory")
    },
}


class PrizesForm(msgspec.Struct):
    """The prizes table: one line per index (`code-0`, `name-0`, `kind-0`…); blank lines are ignored."""

    allow_multiple_prizes: Checkbox = ""


PRIZE_FIELDS = {
    **{f"^{name}-[0-9]+$": {"type": "string"} for name in ("code", "name", "category")},
    "^kind-[0-9]+$": {"type": "string", "enum": list(PRIZE_KINDS)},
    **{f"^{name}-[0-9]+$": {"type": "integer", "minimum": 0} for name in ("place", "amount_eur")},
    "^max_winners-[0-9]+$": {"type": "integer", "minimum": 1},
    "^ex_aequo_allowed-[0-9]+$": {"type": "string", "enum": ["on"]},
}


class EligibilityForm(msgspec.Struct):
    department: str = "92"
    accepted_outside_insee: str = ""
    max_company_age_years: Whole | None = None
    legal_forms: str = ""  # one per line
    max_request_eur: Whole | None = None
    required_fields: list[str] = []


CONTEST_FORM = form_body(ContestForm)
ORGANISER_FORM = form_body(OrganiserForm)
EDITION_FORM = form_body(EditionForm)
SETTINGS_FORM = form_body(SettingsForm)
MOVE_FORM = form_body(MoveForm)
CRITERIA_FORM = form_body(GridForm, dynamic=CRITERION_FIELDS)
PRIZES_FORM = form_body(PrizesForm, dynamic=PRIZE_FIELDS)
ELIGIBILITY_FORM = form_body(EligibilityForm)
