"""The demo data as plain values: what the loader writes, built without touching the database.

The contest modules (`made_in_92`, `gateau`, `progress`) build these; `loader` writes them in one loop.
Keeping the two apart lets a test or a reader inspect an edition without a database, and keeps the writer
ignorant of any contest. Rows refer to each other by natural keys (a person's e-mail, a candidate's key,
a round's position, a panel's name), never by database ids, which only exist once written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec


class Commune(msgspec.Struct, frozen=True, kw_only=True):
    insee_code: str
    name: str
    ept_code: str


class Person(msgspec.Struct, frozen=True, kw_only=True):
    full_name: str
    email: str
    title: str = ""


class Criterion(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    help: str
    scale_min: Decimal
    scale_max: Decimal
    scale_step: Decimal
    weight: Decimal
    position: int


class Category(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    position: int
    criteria: tuple[Criterion, ...]


class Prize(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    kind: str
    position: int
    category: str | None = None
    place: int | None = None
    amount_eur: int | None = None
    max_winners: int | None = 1


class Zone(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    ept_codes: tuple[str, ...]


class Member(msgspec.Struct, frozen=True, kw_only=True):
    person: str
    """E-mail of the person."""
    role: str = "juror"
    is_professional: bool = False


class Panel(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    members: tuple[Member, ...]
    zone: str | None = None
    venue: str = ""


class Round(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    name: str
    position: int
    status: str
    scheduled_on: dt.date
    panels: tuple[Panel, ...] = ()
    advance_count: int | None = None
    blind: bool = False


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str
    email: str
    organisation_name: str = ""
    person_name: str = ""
    phone: str = ""
    insee_code: str | None = None
    commune_label: str = ""
    legal_form: str = ""
    founded_on: dt.date | None = None
    requested_eur: int | None = None
    entry_number: int | None = None
    creation_name: str = ""
    category: str | None = None
    project_title: str = ""
    summary: str = ""


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate's place in one round (`candidate_rounds`)."""

    candidate: str
    round: int
    status: str
    at: dt.datetime
    panel: str | None = None
    reason: str = ""


class Assignment(msgspec.Struct, frozen=True, kw_only=True):
    round: int
    panel: str
    person: str
    candidate: str


class Conflict(msgspec.Struct, frozen=True, kw_only=True):
    round: int
    person: str
    candidate: str
    has_conflict: bool
    at: dt.datetime
    reason: str = ""


class Sheet(msgspec.Struct, frozen=True, kw_only=True):
    round: int
    panel: str
    person: str
    candidate: str
    category: str
    submitted: bool
    at: dt.datetime
    idempotency_key: uuid.UUID
    values: tuple[tuple[str, Decimal | None], ...]
    """(criterion code, value); None is a criterion not yet marked on a draft."""
    comment: str = ""


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    candidate: str
    kind: str
    reason: str
    at: dt.datetime
    round: int | None = None
    based_on: str = ""
    decided_by: str | None = None


class Award(msgspec.Struct, frozen=True, kw_only=True):
    prize: str
    candidate: str
    decision: str
    decided_on: dt.date
    granted_eur: int | None = None


class Signatory(msgspec.Struct, frozen=True, kw_only=True):
    full_name: str
    title: str
    distinction: str = ""
    """A State title printed under the name (the Gâteau's chair is a Meilleur Ouvrier de France); a
    diploma refuses it in the quality line."""


class Edition(msgspec.Struct, kw_only=True):
    slug: str
    number: int
    year: int
    theme: str
    status: str
    opens_on: dt.date
    closes_on: dt.date
    decision_on: dt.date | None = None
    place: str = "Nanterre"
    budget_eur: int | None = None
    max_grant_eur: int | None = None
    eligible_legal_forms: tuple[str, ...] = ()
    accepted_outside_insee: tuple[str, ...] = ()
    max_company_age_years: int | None = None
    signatories: tuple[Signatory, ...] = ()
    zones: tuple[Zone, ...] = ()
    categories: tuple[Category, ...] = ()
    prizes: tuple[Prize, ...] = ()
    people: list[Person] = msgspec.field(default_factory=list)
    rounds: list[Round] = msgspec.field(default_factory=list)
    candidates: list[Candidate] = msgspec.field(default_factory=list)
    entries: list[Entry] = msgspec.field(default_factory=list)
    assignments: list[Assignment] = msgspec.field(default_factory=list)
    conflicts: list[Conflict] = msgspec.field(default_factory=list)
    sheets: list[Sheet] = msgspec.field(default_factory=list)
    decisions: list[Decision] = msgspec.field(default_factory=list)
    awards: list[Award] = msgspec.field(default_factory=list)


class Contest(msgspec.Struct, frozen=True, kw_only=True):
    slug: str
    name: str
    organisers: str
    candidate_kind: str
    description: str
    organiser_people: tuple[Person, ...]
    editions: tuple[Edition, ...]
