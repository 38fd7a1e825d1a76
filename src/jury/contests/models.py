"""Value types of contests, editions and their content, as the API and pages show them."""

from __future__ import annotations

import datetime as dt

import msgspec

from jury.results.qualification import describe_quota


class Edition(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    slug: str
    number: int
    year: int
    theme: str
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    decision_on: dt.date | None
    budget_eur: int | None
    max_grant_eur: int | None
    eligible_legal_forms: list[str]
    accepted_outside_insee: list[str]
    allow_multiple_prizes: bool


class Contest(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    slug: str
    name: str
    organisers: str
    candidate_kind: str
    description: str
    editions: list[Edition]


class EditionDetail(Edition, frozen=True, kw_only=True):
    contest_slug: str
    contest_name: str
    candidate_kind: str


class Round(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    name: str
    position: int
    status: str
    advance_count: int | None
    quota_scope: str = "overall"
    wildcards: int = 0
    blind: bool
    method: str
    scheduled_on: dt.date | None
    candidate_count: int
    panel_count: int

    @property
    def rule(self) -> str:
        """The qualification rule in words: the one sentence every page shows for the round's quota."""
        return describe_quota(
            advance_count=self.advance_count, quota_scope=self.quota_scope, wildcards=self.wildcards
        )


class Category(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    name: str
    position: int


class CandidateRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    organisation_name: str
    person_name: str
    email: str
    insee_code: str | None
    commune: str
    ept_code: str | None
    legal_form: str
    founded_on: dt.date | None
    requested_eur: int | None
    entry_number: int | None
    creation_name: str
    project_title: str
    category: str | None


class JurorRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    full_name: str
    email: str
    title: str
    panels: list[str]
