"""Who signs an edition's diplomas and procès-verbaux: set for an edition made from scratch, copied with
its setup otherwise."""

from __future__ import annotations

import re

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.contests.setup import edition_row, invalid
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, NotFound

MAX_SIGNATORIES = 4
"""What a diploma's footer holds (`jury.diplomas.models.DiplomaContext.signatories`)."""
SIGNATORY_TEXT = 120
"""The longest name or quality line a diploma lays out (`jury.diplomas.models.Text`)."""
# « Meilleur Ouvrier de France » is a State title: on a diploma it may only follow a signatory's name, as
# their distinction (the rule `jury.diplomas.models.DiplomaContext` enforces; checked here so that the
# organiser hears it when typing it, not when the diplomas fail to print).
_STATE_TITLE = re.compile(r"(?i:meilleurs?\s+ouvriers?\s+de\s+france)|\bM\.?O\.?F\b")


class SignatoryIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One signature block of the edition's diplomas, in the order printed (left to right)."""

    name: str
    title: str
    """The quality line printed above the name: « Le Président du Département des Hauts-de-Seine »."""
    distinction: str | None = None
    """Printed under the name, e.g. « Meilleur Ouvrier de France pâtissier » for a jury chair."""


class Signatory(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    name: str
    title: str
    distinction: str | None


def _signatory_errors(signatories: list[SignatoryIn]) -> list[FieldError]:
    errors = []
    if len(signatories) > MAX_SIGNATORIES:
        errors.append(
            FieldError(
                field="signatories", message=f"{MAX_SIGNATORIES} signataires au plus tiennent sur un diplôme."
            )
        )
    for i, s in enumerate(signatories):
        at = f"signatories[{i}]"
        for field, value in (("name", s.name), ("title", s.title), ("distinction", s.distinction or "")):
            if field != "distinction" and not value.strip():
                errors.append(FieldError(field=f"{at}.{field}", message="Ce champ est obligatoire."))
            elif len(value.strip()) > SIGNATORY_TEXT:
                errors.append(
                    FieldError(field=f"{at}.{field}", message=f"{SIGNATORY_TEXT} caractères au plus.")
                )
            elif field != "distinction" and _STATE_TITLE.search(value):
                errors.append(
                    FieldError(
                        field=f"{at}.{field}",
                        message="« Meilleur Ouvrier de France » se place dans la distinction du signataire.",
                    )
                )
    return errors


async def replace_signatories(
    db: Database, *, identity: Identity, slug: str, signatories: list[SignatoryIn]
) -> list[Signatory]:
    """The edition's whole list of signatories (an empty list removes them). Until the edition is archived:
    a decided edition's diplomas are printed afterwards, and are printed again with the new list."""
    if await db.fetchval("setup_lock_edition", slug=slug) is None:
        raise NotFound(f"Édition inconnue : {slug}")
    row = await edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    if row["status"] == "archived":
        raise Conflict(
            "L'édition est archivée : ses signataires ne changent plus.",
            errors=[FieldError(field="signatories", message="Non modifiable dans cet état de l'édition.")],
        )
    errors = _signatory_errors(signatories)
    if errors:
        raise invalid(errors, "Signataires refusés : rien n'a été enregistré.")
    removed = await db.fetchval("setup_delete_signatories", edition_id=row["id"])
    stored = sorted(
        (
            Signatory(**dict(r))
            for r in await db.fetch(
                "setup_insert_signatories",
                edition_id=row["id"],
                names=[s.name.strip() for s in signatories],
                titles=[s.title.strip() for s in signatories],
                distinctions=[(s.distinction or "").strip() for s in signatories],
            )
        ),
        key=lambda s: s.position,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="signatories.replaced",
        target=f"edition:{slug}",
        payload={"removed": removed, "signatories": msgspec.to_builtins(stored)},
    )
    return stored
