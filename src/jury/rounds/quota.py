"""A round's qualification rule, checked and put in words: top N overall, per zone or per category, plus
wildcards.

Pure on purpose: the setup pages, the API and (next) the advancement preview all read the same rule, and
the rule's sense must not depend on where it is shown.
"""

from __future__ import annotations

from typing import Literal

from jury.errors import FieldError

QuotaScope = Literal["overall", "zone", "category"]
SCOPES: tuple[str, ...] = ("overall", "zone", "category")
SCOPE_LABELS: dict[str, str] = {
    "overall": "au classement général",
    "zone": "par zone",
    "category": "par catégorie",
}
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


def describe_quota(*, advance_count: int | None, quota_scope: str, wildcards: int) -> str:
    """The rule in one French sentence, as the setup page and the round's header show it."""
    if advance_count is None:
        return "Aucune qualification (tour final ou sans suite)."
    where = SCOPE_LABELS.get(quota_scope, quota_scope)
    text = f"Les {advance_count} premiers {where}" if advance_count != 1 else f"Le premier {where}"
    if wildcards:
        text += f", plus {wildcards} repêché{'s' if wildcards > 1 else ''}"
    return text + "."
