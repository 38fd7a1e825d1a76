"""What the setup API takes and answers: contests, their organisers, editions and their lifecycle.

Requests leave optional fields UNSET when absent, so that `PATCH` changes only what it names and an explicit
`null` clears a value (a budget withdrawn). Semantic checks (dates in order, ceilings within the budget)
are the service's, answered 422 with the field named; the types carry the single-field bounds (lengths,
ranges, lists of values) so that the schema shows them, and a body they refuse is answered 422 too.
The organisers' forms send text: `rules_from_form` reads them into the same changes, naming each field
it cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from jury.bounds import bounded
from jury.errors import FieldError

Text = Annotated[str, msgspec.Meta(max_length=2000)]
# As strict as the services' checks, so that the schema shows them (a body they refuse: 422, field named);
# `tests/security/test_strict_request_schemas.py` keeps the lists equal to the services' own.
CandidateKind = Literal["company", "artisan", "organisation"]
EditionStatus = Literal["preparing", "applications", "judging", "decided", "archived"]
Amount = Annotated[int, bounded(ge=0)]


class NewContest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    organisers: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    candidate_kind: CandidateKind
    description: Text = ""


class NewOrganiser(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: str
    name: str
    password: str | None = None
    """Only for a person not known yet: their first password (10 characters at least)."""


class NamedOrganiser(msgspec.Struct, frozen=True, kw_only=True):
    contest_slug: str
    person_id: int
    email: str
    full_name: str
    created: bool
    """True when the person did not exist and was created with the given password."""


class EditionChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The settings of an edition a request names; every other one is left as it is."""

    number: Annotated[int, msgspec.Meta(ge=1)] | UnsetType = UNSET
    theme: Annotated[str, msgspec.Meta(max_length=500)] | UnsetType = UNSET
    opens_on: dt.date | UnsetType | None = UNSET
    closes_on: dt.date | UnsetType | None = UNSET
    decision_on: dt.date | UnsetType | None = UNSET
    place: Annotated[str, msgspec.Meta(max_length=200)] | UnsetType = UNSET
    budget_eur: Amount | UnsetType | None = UNSET
    max_grant_eur: Amount | UnsetType | None = UNSET
    eligible_legal_forms: list[str] | UnsetType = UNSET
    accepted_outside_insee: list[str] | UnsetType = UNSET
    max_company_age_years: Annotated[int, msgspec.Meta(ge=1, le=100)] | UnsetType | None = UNSET
    allow_multiple_prizes: bool | UnsetType = UNSET
    tie_break_policy: list[str] | UnsetType = UNSET
    retention_months: Annotated[int, msgspec.Meta(ge=1, le=120)] | UnsetType = UNSET

    def given(self) -> dict[str, Any]:
        """The fields the request named, with their values (None for an explicit null)."""
        return {f: v for f in self.__struct_fields__ if (v := getattr(self, f)) is not UNSET}


class NewEdition(EditionChanges, kw_only=True, forbid_unknown_fields=True):
    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    copy_from: str | None = None
    """The slug of an edition of the same contest whose setup is copied (never its people or results)."""


class StatusRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: EditionStatus
    reason: Text = ""


class EditionSettings(msgspec.Struct, frozen=True, kw_only=True):
    """An edition with every setting an organiser may change."""

    id: int
    slug: str
    contest_slug: str
    contest_name: str
    candidate_kind: str
    number: int
    year: int
    status: str
    theme: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    decision_on: dt.date | None
    place: str
    budget_eur: int | None
    max_grant_eur: int | None
    eligible_legal_forms: list[str]
    accepted_outside_insee: list[str]
    max_company_age_years: int | None
    allow_multiple_prizes: bool
    tie_break_policy: list[str]
    retention_months: int


class CreatedEdition(EditionSettings, frozen=True, kw_only=True):
    copied_from: str | None
    copied: dict[str, int]
    """Rows of the setup copied from `copied_from`, per table (empty for an edition from scratch)."""


class EditionMove(msgspec.Struct, frozen=True, kw_only=True):
    slug: str
    previous: str
    status: str
    decision_on: dt.date | None


# --- The settings form ------------------------------------------------------------------------------------

FORM_DATES = ("opens_on", "closes_on", "decision_on")
FORM_INTS = ("budget_eur", "max_grant_eur", "max_company_age_years")
_SEPARATORS = re.compile(r"[,;\s]+")


def rules_from_form(form: Mapping[str, str]) -> tuple[EditionChanges, list[FieldError]]:
    """The settings page's fields as changes: every field is sent, empty meaning "none" where it may be.

    Legal forms come one per line; INSEE codes and tie-break rules separated by commas, spaces or lines;
    `allow_multiple_prizes` is a checkbox (absent when unchecked).
    """
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for field in FORM_DATES:
        text = form.get(field, "").strip()
        try:
            values[field] = dt.date.fromisoformat(text) if text else None
        except ValueError:
            errors.append(FieldError(field=field, message="Date invalide (format attendu : AAAA-MM-JJ)."))
    for field in (*FORM_INTS, "number", "retention_months"):
        text = form.get(field, "").replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        if not text:
            if field in FORM_INTS:
                values[field] = None
            else:
                errors.append(FieldError(field=field, message="Ce champ est obligatoire."))
            continue
        try:
            values[field] = int(text)
        except ValueError:
            errors.append(FieldError(field=field, message="Un nombre entier est attendu."))
    values["theme"] = form.get("theme", "").strip()
    values["place"] = form.get("place", "").strip()
    values["eligible_legal_forms"] = [
        line.strip() for line in form.get("eligible_legal_forms", "").splitlines() if line.strip()
    ]
    values["accepted_outside_insee"] = [
        c.upper() for c in _SEPARATORS.split(form.get("accepted_outside_insee", "")) if c
    ]
    values["tie_break_policy"] = [r for r in _SEPARATORS.split(form.get("tie_break_policy", "")) if r]
    values["allow_multiple_prizes"] = form.get("allow_multiple_prizes", "") in ("on", "true", "1")
    return EditionChanges(**values), errors
