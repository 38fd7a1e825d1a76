"""Value types of applications, as the public pages, the organisers' pages and the JSON API show them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

from jury.applications.form import FormField
from jury.contests.eligibility import EligibilityFailure
from jury.contests.models import EditionDetail
from jury.errors import FieldError, JuryError

Text = Annotated[str, msgspec.Meta(max_length=2000)]

STATUS_LABELS = {"submitted": "à examiner", "accepted": "acceptée", "refused": "refusée"}


class ApplicationFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=False, omit_defaults=True):
    """What the applicant typed so far, checked while they type (unknown keys are ignored)."""

    nom_structure: Text = ""
    nom_porteur: Text = ""
    courriel: Text = ""
    code_insee: Text = ""
    forme_juridique: Text = ""
    date_creation: Text = ""
    montant_demande: Text = ""
    creation: Text = ""
    categorie: Text = ""
    projet: Text = ""

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__struct_fields__}


class ApplicationCheck(msgspec.Struct, frozen=True, kw_only=True):
    """The edition's rules applied to the form as it stands: malformed fields, then failed rules."""

    eligible: bool
    errors: list[FieldError]
    failures: list[EligibilityFailure]


class Document(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    file_name: str
    media_type: str
    size_bytes: int
    uploaded_at: dt.datetime


class ApplicationView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    edition: str
    status: str
    status_label: str
    display_name: str
    email: str
    fields: dict[str, str]
    submitted_at: dt.datetime
    updated_at: dt.datetime
    decided_at: dt.datetime | None
    refusal_reason: str
    candidate_id: int | None
    documents: list[Document]
    eligibility: list[EligibilityFailure]


class RefusalRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=2000, description="Motif écrit, obligatoire.")]


class FormPage(msgspec.Struct, frozen=True, kw_only=True):
    """The public form (`public/application_form.html`), or its private page once sent."""

    edition: EditionDetail
    open: bool
    closed_reason: str = ""
    fields: list[FormField] = msgspec.field(default_factory=list)
    values: dict[str, str] = msgspec.field(default_factory=dict)
    max_document_bytes: int = 0
    application: ApplicationView | None = None
    editable: bool = False
    error: Any = None  # a JuryError, kept as is for the template
    saved: bool = False

    @property
    def status_code(self) -> int:
        return self.error.status_code if isinstance(self.error, JuryError) else 200

    def context(self) -> dict[str, Any]:
        labels = {f.name: f.label for f in self.fields} | {"documents": "Documents"}
        return {f: getattr(self, f) for f in self.__struct_fields__} | {"labels": labels}


class ListPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    applications: list[ApplicationView]


class DetailPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    application: ApplicationView
    labels: dict[str, str]
    error: Any = None

    @property
    def status_code(self) -> int:
        return self.error.status_code if isinstance(self.error, JuryError) else 200

    def context(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}
