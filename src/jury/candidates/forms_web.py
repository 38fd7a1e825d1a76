"""What the candidates' pages post, for the OpenAPI contract only (see `jury.web.openapi_forms`): the form
has the import file's columns (`jury.imports`), read as text by the service, which names each refused one."""

from __future__ import annotations

import msgspec

from jury.candidates.service import COLUMNS
from jury.web.openapi_forms import form_body

__all__ = ["CANDIDATE_FORM", "REASON_FORM"]

CandidateForm = msgspec.defstruct("CandidateForm", [(name, str, "") for name in COLUMNS])


class ReasonForm(msgspec.Struct):
    """A withdrawal or an override: its written reason (an empty one is refused, 422)."""

    reason: str = ""


CANDIDATE_FORM = form_body(CandidateForm)
REASON_FORM = form_body(ReasonForm)
