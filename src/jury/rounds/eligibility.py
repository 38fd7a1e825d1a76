"""Recording an eligibility round (Progr'ESS): the edition's pass/fail rules applied to every project at once.

The rules are the edition's, as data (`jury.contests.eligibility.check_application`, the same checks a
candidate meets when entering by import, form or API), read at the moment they are applied: rules edited
since the applications count. An organiser's written override (`POST /api/candidates/{id}/eligibility-override`)
keeps a flagged project eligible. An ineligible project gets the reasons on its round entry and one
`ineligible` decision, so the committee scores only eligible projects. Withdrawn projects, and projects the
round already moved on, are left as they are.

Recording enters no one into the next round: the eligible projects go there as the round's qualifiers,
confirmed while it deliberates (`POST /api/rounds/{id}/advance`), the one way any round's candidates move on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.contests.eligibility import Application, EditionRules, check_application
from jury.contests.grid_rules import REQUIRED_FIELD_CHOICES
from jury.db.queries import Database
from jury.errors import Conflict, NotFound


class EligibilityOutcome(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    eligible: bool
    reasons: list[str]
    overridden: bool = False
    """Eligible by an organiser's override although the rules flag it (`reasons` then say which)."""


async def record_eligibility(db: Database, *, identity: Identity, round_id: int) -> list[EligibilityOutcome]:
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.kind != "eligibility":
        raise Conflict("Ce tour n'est pas un tour d'éligibilité.")
    if rnd.status == "closed":
        raise Conflict("Le tour est clos.")
    rules = await _edition_rules(db, edition_id=rnd.edition_id)
    outcomes = []
    for candidate in await db.fetch("eligibility_inputs", round_id=round_id):
        result = check_application(_application(candidate), rules)
        reasons = [failure.message for failure in result.failures]
        overridden = bool(reasons) and candidate["overridden"]
        eligible = not reasons or overridden
        await db.execute(
            "set_entry_status",
            candidate_id=candidate["candidate_id"],
            round_id=round_id,
            status="eligible" if eligible else "ineligible",
            reason=f"Dérogation : {candidate['eligibility_override']}" if overridden else " ; ".join(reasons),
        )
        if not eligible and not candidate["decided_ineligible"]:
            await db.execute(
                "insert_eligibility_decision",
                edition_id=rnd.edition_id,
                round_id=round_id,
                candidate_id=candidate["candidate_id"],
                reason=" ; ".join(reasons),
                decided_by=identity.person_id,
            )
        outcomes.append(
            EligibilityOutcome(
                candidate_id=candidate["candidate_id"],
                eligible=eligible,
                reasons=reasons,
                overridden=overridden,
            )
        )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="round.eligibility",
        target=f"round:{round_id}",
        payload={
            "eligible": sum(o.eligible for o in outcomes),
            "ineligible": sum(not o.eligible for o in outcomes),
            "overridden": [o.candidate_id for o in outcomes if o.overridden],
        },
    )
    return outcomes


async def _edition_rules(db: Database, *, edition_id: int) -> EditionRules:
    """The edition's rules as stored now, in the same shape the intake checks use."""
    row = await db.fetchrow("edition_eligibility_rules", edition_id=edition_id)
    if row is None:
        raise NotFound("Édition introuvable.")
    department = await db.fetch("communes_of_department", department="92")
    communes = await db.fetch("import_communes")
    return EditionRules(
        department_communes=frozenset(r["insee_code"] for r in department),
        accepted_outside=frozenset(row["accepted_outside_insee"]),
        commune_names={r["insee_code"]: r["name"] for r in communes},
        closes_on=row["closes_on"],
        max_company_age_years=row["max_company_age_years"],
        eligible_legal_forms=tuple(row["eligible_legal_forms"]),
        max_grant_eur=row["max_grant_eur"],
        required_fields={name: REQUIRED_FIELD_CHOICES.get(name, name) for name in row["required_fields"]},
    )


def _application(row: Mapping[str, Any]) -> Application:
    """What the rules read of a stored project; `filled` in the import's column names."""
    values = {
        "nom_structure": row["organisation_name"],
        "nom_porteur": row["person_name"],
        "courriel": row["email"],
        "code_insee": row["insee_code"],
        "forme_juridique": row["legal_form"],
        "date_creation": row["founded_on"],
        "montant_demande": row["requested_eur"],
        "numero": row["entry_number"],
        "creation": row["creation_name"],
        "categorie": row["category_code"],
        "projet": row["project_title"],
    }
    return Application(
        insee_code=row["insee_code"],
        legal_form=row["legal_form"] or "",
        founded_on=row["founded_on"],
        requested_eur=row["requested_eur"],
        filled=frozenset(name for name, value in values.items() if value not in (None, "")),
    )
