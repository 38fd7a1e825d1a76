"""Eligibility of a candidate to an edition: pass/fail rules checked before any scoring.

A contest rule, not a round's or a deliberation's: the eligibility round, the grant allocation and (next)
every place a candidate enters use the same checks, so they live beside the contest.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

import msgspec

from jury.contests.territory import is_insee_code
from jury.french.money import euros


class EligibilityFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A failed eligibility rule: a stable ``rule`` code for filtering, a French ``message`` for people."""

    rule: Literal["legal_form", "seat", "requested_amount"]
    message: str


class Eligibility(msgspec.Struct, frozen=True, kw_only=True):
    """Every failed rule is listed, not just the first, so an applicant learns everything at once."""

    failures: tuple[EligibilityFailure, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.failures


def check_eligibility(
    *,
    legal_form: str,
    allowed_forms: Collection[str],
    seat_insee: str,
    communes_92: Collection[str],
    requested: int,
    max_grant: int,
) -> Eligibility:
    """Pass/fail checks made before any scoring.

    Eligible legal forms change from one edition to the next (associations and ESUS in 2022 and 2025,
    also foundations, mutuals, ESAT, SIAE and PTCE in 2024), hence ``allowed_forms``; they are compared
    without regard to case or surrounding spaces. ``communes_92`` holds the INSEE codes of the département.
    """
    failures: list[EligibilityFailure] = []

    form = (legal_form or "").strip()
    allowed = {f.strip().casefold() for f in allowed_forms}
    if not form:
        failures.append(EligibilityFailure(rule="legal_form", message="Forme juridique non renseignée"))
    elif form.casefold() not in allowed:
        listed = ", ".join(sorted((f.strip() for f in allowed_forms), key=str.casefold)) or "aucune"
        failures.append(
            EligibilityFailure(
                rule="legal_form",
                message=f"Forme juridique non éligible pour cette édition : « {form} » "
                f"(formes admises : {listed})",
            )
        )

    seat = (seat_insee or "").strip().upper()
    if not seat:
        failures.append(EligibilityFailure(rule="seat", message="Code INSEE du siège non renseigné"))
    elif not is_insee_code(seat):
        failures.append(
            EligibilityFailure(
                rule="seat",
                message=f"Code INSEE du siège invalide : « {seat} » "
                "(5 caractères attendus, par exemple 92050)",
            )
        )
    elif seat not in communes_92:
        if seat.startswith("92") and seat.endswith("0"):
            message = (
                f"Siège : « {seat} » ressemble à un code postal ; le code INSEE de la commune est attendu "
                "(par exemple 92050 pour Nanterre, code postal 92000)"
            )
        else:
            message = f"Siège hors des Hauts-de-Seine : code INSEE {seat}"
        failures.append(EligibilityFailure(rule="seat", message=message))

    if not _is_int(requested):
        failures.append(
            EligibilityFailure(rule="requested_amount", message=f"Montant demandé non entier : {requested!r}")
        )
    elif requested <= 0:
        failures.append(
            EligibilityFailure(
                rule="requested_amount",
                message=f"Montant demandé invalide : {euros(requested)} (un montant positif est attendu)",
            )
        )
    elif requested > max_grant:
        failures.append(
            EligibilityFailure(
                rule="requested_amount",
                message=f"Montant demandé ({euros(requested)}) supérieur au plafond de {euros(max_grant)}",
            )
        )
    return Eligibility(failures=tuple(failures))


def _is_int(value: object) -> bool:
    # bool is an int subclass; True € is a bug, not one euro.
    return isinstance(value, int) and not isinstance(value, bool)
