"""Corrections after a round is closed: an act of the panel's chair, with a written reason, audited.

A closed round is otherwise immutable; this is the one door left open, so a transcription error found while
signing the procès-verbal can be fixed without reopening scoring for everyone.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound


class Correction(msgspec.Struct, frozen=True, kw_only=True):
    sheet_id: int
    version: int
    corrected: list[int]


async def correct_sheet(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    person_id: int,
    candidate_id: int,
    values: dict[int, float],
    reason: str,
) -> Correction:
    if len(reason.strip()) < 5:
        raise Invalid(
            "Motif obligatoire.",
            errors=[FieldError(field="motif", message="Indiquez par écrit le motif de la correction.")],
        )
    sheet = await db.fetchrow(
        "correction_sheet",
        round_id=round_id,
        person_id=person_id,
        candidate_id=candidate_id,
        chair_id=identity.person_id,
    )
    if sheet is None:
        raise NotFound("Feuille introuvable.")
    if identity.kind != "juror" or identity.edition_id != sheet["edition_id"] or not sheet["is_chair"]:
        raise Forbidden("Seule la présidence du jury peut corriger une feuille après la clôture.")
    if sheet["round_status"] != "closed":
        raise Conflict("Le tour n'est pas clos : le juré modifie lui-même sa feuille.")
    criteria = {r["id"]: r for r in await db.fetch("correction_criteria", sheet_id=sheet["id"])}
    errors = []
    for criterion_id, value in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(
                FieldError(field=f"values.{criterion_id}", message="Critère inconnu sur cette feuille.")
            )
            continue
        number = Decimal(str(value))
        low, high, step = criterion["scale_min"], criterion["scale_max"], criterion["scale_step"]
        if not low <= number <= high or (number - low) % step != 0:
            errors.append(
                FieldError(
                    field=f"values.{criterion_id}",
                    message=f"{criterion['label']} : la note doit être comprise entre {low} et {high} "
                    f"par pas de {step}.",
                )
            )
    if errors or not values:
        raise Invalid(
            "Correction refusée.",
            errors=errors or [FieldError(field="values", message="Aucune note à corriger.")],
        )
    for criterion_id, value in values.items():
        await db.execute(
            "correct_sheet_score", sheet_id=sheet["id"], criterion_id=criterion_id, value=Decimal(str(value))
        )
    version = await db.fetchval("bump_sheet_version", sheet_id=sheet["id"])
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role="chair"),
        action="sheet.corrected",
        target=f"sheet:{sheet['id']}",
        payload={
            "values": {str(k): str(v) for k, v in sorted(values.items())},
            "reason": reason.strip(),
            "version": version,
        },
    )
    return Correction(sheet_id=sheet["id"], version=version, corrected=sorted(values))
