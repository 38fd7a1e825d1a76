"""A round's qualification rule, checked and put in words: top N overall, per zone or per category, plus
wildcards.

Pure on purpose: the setup pages, the API, the standings and the qualification preview all read the same
rule, and the rule's sense must not depend on where it is shown. The rule in words lives with its
application (`jury.results.qualification`), so that both say the same thing.
"""

from __future__ import annotations

from typing import Literal

from jury.errors import FieldError
from jury.results.qualification import SCOPE_LABELS, describe_quota

__all__ = ["MAX_QUOTA", "SCOPES", "SCOPE_LABELS", "describe_quota", "quota_errors"]

QuotaScope = Literal["overall", "zone", "category"]
SCOPES: tuple[str, ...] = ("overall", "zone", "category")
MAX_QUOTA = 10_000


def quota_errors(
    *,
    advance_count: int | None,
    quota_scope: str,
    wildcards: int,
    zones: int,
    categories: int,
) -> list[FieldError]:
    """Why this rule cannot be stored, one error per field; empty when it can.

    A rule per zone needs zones in the edition and one per category needs categories: otherwise the
    preview would have nothing to split the standings by. Wildcards are added to a quota, so they need one.
    """
    errors: list[FieldError] = []
    if advance_count is not None and not 0 <= advance_count <= MAX_QUOTA:
        errors.append(
            FieldError(field="advance_count", message=f"Le nombre de qualifiés va de 0 à {MAX_QUOTA}.")
        )
    if quota_scope not in SCOPES:
        errors.append(FieldError(field="quota_scope", message="Valeur attendue : overall, zone ou category."))
    elif quota_scope == "zone" and zones == 0:
        errors.append(
            FieldError(
                field="quota_scope",
                message="L'édition n'a aucune zone : un quota par zone est impossible.",
            )
        )
    elif quota_scope == "category" and categories == 0:
        errors.append(
            FieldError(
                field="quota_scope",
                message="L'édition n'a aucune catégorie : un quota par catégorie est impossible.",
            )
        )
    if not 0 <= wildcards <= MAX_QUOTA:
        errors.append(FieldError(field="wildcards", message=f"Le nombre de repêchés va de 0 à {MAX_QUOTA}."))
    elif wildcards and advance_count is None:
        errors.append(
            FieldError(
                field="wildcards",
                message="Des repêchés s'ajoutent à un nombre de qualifiés : indiquez d'abord ce nombre.",
            )
        )
    return errors
