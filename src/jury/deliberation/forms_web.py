"""What the deliberation pages' form posts take and answer, for the OpenAPI contract only.

The handlers read their forms themselves (`jury.deliberation.forms`: repeated ids, `rang-<id>` fields, a
refusal shown on the page); these structs document those fields (see `jury.web.openapi_forms`), and the
response maps the statuses their services give. They validate nothing: the handlers' reading stays the rule.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import MediaType
from litestar.openapi.datastructures import ResponseSpec

from jury.web.openapi_errors import error_responses
from jury.web.openapi_forms import form_body

__all__ = [
    "AWARDS_FORM",
    "BALLOT_FORM",
    "CASTING_VOTE_FORM",
    "GRANTS_FORM",
    "MINUTES_PENDING",
    "NOTE_FORM",
    "PAGE_CONFLICT",
    "PAGE_REFUSED",
    "QUALIFIERS_FORM",
    "VOTE_FORM",
]

Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
Text = Annotated[str, msgspec.Meta(min_length=1, pattern=r"\S")]
RANKS = {"^rang-[0-9]+$": {"type": "integer", "minimum": 1}}


class NoteForm(msgspec.Struct):
    candidate_id: Id
    text: Text


class BallotForm(msgspec.Struct):
    kind: Literal["approval", "ranked"]
    title: Text
    candidate_ids: list[Id] = []


class VoteForm(msgspec.Struct):
    """An approval ballot's `approved` ids, or with `kind=ranked` a rank per candidate (`rang-<id>`)."""

    kind: Literal["approval", "ranked"] = "approval"
    approved: list[Id] = []


class CastingVoteForm(msgspec.Struct):
    """The chair's order of the tied candidates (`rang-<id>`, all different) and its reason."""

    reason: str = ""


class AwardsForm(msgspec.Struct):
    """`prix-<prize code>`: the laureate's candidate id for that prize (repeated for ex aequo)."""

    reason: str = ""
    based_on: str = ""
    allow_vacant: Literal["on", ""] = ""
    round_id: Id | None = None
    ballot_id: Id | None = None


class QualifiersForm(msgspec.Struct):
    round_id: Id
    advance: list[Id] = []
    based_on: str = ""
    reason: str = ""
    panel_id: Id | None = None


NOTE_FORM = form_body(NoteForm)
BALLOT_FORM = form_body(BallotForm)
VOTE_FORM = form_body(VoteForm, dynamic=RANKS)
CASTING_VOTE_FORM = form_body(CastingVoteForm, dynamic=RANKS)
AWARDS_FORM = form_body(AwardsForm, dynamic={"^prix-[a-z0-9_-]+$": {"type": "integer", "minimum": 1}})
QUALIFIERS_FORM = form_body(QualifiersForm)

# Forms whose refusal comes from the service through the error handler (JSON, or a page to browsers).
PAGE_CONFLICT = error_responses(
    {
        409: "Le tour n'est pas (ou plus) en délibération, ou le scrutin n'est pas dans l'état voulu.",
        422: "Refusé : valeur non valide (chaque erreur nommée), rien n'est enregistré.",
    }
)
# Forms that show their page again with the refusal (HTML only), and a state conflict as above.
PAGE_REFUSED = error_responses(
    {409: "Le tour n'est pas (ou plus) en délibération, ou le tour suivant a commencé."}
) | error_responses(
    {422: "Refusé : la page s'affiche à nouveau avec le message, rien n'est enregistré."}, page=True
)
MINUTES_PENDING = {
    202: ResponseSpec(
        data_container=str,
        media_type=MediaType.HTML,
        description="PDF en préparation : une page qui se recharge (Retry-After) jusqu'à ce qu'il soit prêt.",
        generate_examples=False,
    )
} | error_responses({409: "Le jury n'a pas encore délibéré : pas de procès-verbal."})


class GrantsForm(msgspec.Struct):
    """`montant-<candidate id>`: whole euros (spaces allowed, empty: no grant), with the basis and reason."""

    based_on: str = ""
    reason: str = ""
    ordre: str = ""


# For the grants page's POST (`opt=page_forms.GRANTS_FORM, responses=page_forms.PAGE_REFUSED`).
GRANTS_FORM = form_body(
    GrantsForm, dynamic={"^montant-[0-9]+$": {"type": "string", "pattern": r"^[0-9 \u202f]*$"}}
)
