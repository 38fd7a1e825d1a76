"""Value types of one candidate as the API and pages show it: the candidate, its round, its eligibility."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

from jury.contests.eligibility import EligibilityFailure
from jury.contests.models import Category, EditionDetail
from jury.errors import JuryError

Text = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(max_length=2000, description="Motif écrit, obligatoire.")]


class CandidateFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """A candidate in the import's column names; the same checks as a line of an import file.

    On a correction (PATCH), a field left out (or null) keeps its value and "" empties it.
    """

    nom_structure: Text | None = None
    nom_porteur: Text | None = None
    courriel: Text | None = None
    code_insee: Text | None = None
    forme_juridique: Text | None = None
    date_creation: Annotated[str | None, msgspec.Meta(description="JJ/MM/AAAA ou AAAA-MM-JJ.")] = None
    montant_demande: Annotated[int | str | None, msgspec.Meta(description="Euros entiers.")] = None
    numero: Annotated[
        int | str | None, msgspec.Meta(description="Numéro du candidat ; le suivant libre s'il est absent.")
    ] = None
    creation: Text | None = None
    categorie: Annotated[str | None, msgspec.Meta(description="Code ou nom d'une catégorie.")] = None
    projet: Text | None = None

    def given(self) -> dict[str, str]:
        """The fields sent, as the text a file's cell would hold."""
        return {
            name: str(value).strip()
            for name in self.__struct_fields__
            if (value := getattr(self, name)) is not None
        }


class ReasonRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class Override(msgspec.Struct, frozen=True, kw_only=True):
    """An organiser's written acceptance of a candidate the rules flag."""

    reason: str
    by: int | None
    at: dt.datetime


class EligibilityView(msgspec.Struct, frozen=True, kw_only=True):
    """The edition's rules applied to the candidate as stored now; `accepted` once overridden."""

    eligible: bool
    failures: list[EligibilityFailure]
    override: Override | None = None
    accepted: bool


class RoundEntry(msgspec.Struct, frozen=True, kw_only=True):
    """The candidate's entry in the edition's first round."""

    id: int
    name: str
    kind: str
    position: int
    round_status: str
    status: str | None
    reason: str


class CandidateView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    edition: str
    entry_number: int
    kind: str
    organisation_name: str
    person_name: str
    email: str
    insee_code: str
    commune: str
    legal_form: str
    founded_on: dt.date | None
    requested_eur: int | None
    creation_name: str
    category: str | None
    category_name: str | None
    project_title: str
    withdrawn: bool
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str


class CandidateDetail(msgspec.Struct, frozen=True, kw_only=True):
    candidate: CandidateView
    round: RoundEntry | None
    eligibility: EligibilityView


class CandidatePage(msgspec.Struct, frozen=True, kw_only=True):
    """What `organiser/candidate.html` and `candidate_form.html` show; `error` when a form came back."""

    edition: EditionDetail
    categories: list[Category]
    detail: CandidateDetail | None = None
    values: dict[str, str] = msgspec.field(default_factory=dict)
    error: Any = None  # a JuryError, kept as is for the template
    form: str = ""  # which form the error belongs to

    @property
    def status_code(self) -> int:
        return self.error.status_code if isinstance(self.error, JuryError) else 200

    def context(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}
