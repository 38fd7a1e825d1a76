"""An edition's eligibility rules as data: territory (a département plus listed communes outside it),
company age at the closing date, legal forms, the ceiling of a request, the columns a candidate must fill.

Stored on the edition's own columns (`territory_department`, `accepted_outside_insee`,
`max_company_age_years`, `eligible_legal_forms`, `max_grant_eur`, `required_fields`), which is where the
checks made when a candidate enters (`jury.contests.eligibility`) read them. This module only stores,
validates and shows them.
"""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.contests.grid_rules import (
    EligibilityIn,
    TerritoryIn,
    eligibility_errors,
    normalised_forms,
    unique_in_order,
)
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.errors import Invalid

EligibilityRules = EligibilityIn


class StoredRules(msgspec.Struct, frozen=True, kw_only=True):
    rules: EligibilityRules
    allow_multiple_prizes: bool


async def edition_rules(db: Database, *, edition_id: int) -> StoredRules:
    row = await db.fetchrow("edition_rules", edition_id=edition_id)
    return StoredRules(
        rules=EligibilityRules(
            territory=TerritoryIn(
                department=row["territory_department"],
                accepted_outside_insee=list(row["accepted_outside_insee"]),
            ),
            max_company_age_years=row["max_company_age_years"],
            legal_forms=list(row["eligible_legal_forms"]),
            max_request_eur=row["max_grant_eur"],
            required_fields=list(row["required_fields"]),
        ),
        allow_multiple_prizes=row["allow_multiple_prizes"],
    )


async def replace_eligibility(
    db: Database, *, identity: Identity, slug: str, data: EligibilityIn
) -> EligibilityRules:
    """Store the edition's whole rule set (what is left out is cleared); 422 naming each bad field."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    communes = {row["insee_code"]: row["department_code"] for row in await db.fetch("commune_departments")}
    errors = eligibility_errors(data, commune_departments=communes, budget_eur=edition.budget_eur)
    if errors:
        raise Invalid("Règles d'éligibilité refusées : rien n'a été enregistré.", errors=errors)
    before = (await edition_rules(db, edition_id=edition.id)).rules
    rules = EligibilityRules(
        territory=TerritoryIn(
            department=data.territory.department,
            accepted_outside_insee=unique_in_order(data.territory.accepted_outside_insee),
        ),
        max_company_age_years=data.max_company_age_years,
        legal_forms=normalised_forms(data.legal_forms),
        max_request_eur=data.max_request_eur,
        required_fields=unique_in_order(data.required_fields),
    )
    await db.execute(
        "set_edition_rules",
        edition_id=edition.id,
        department=rules.territory.department,
        accepted_outside_insee=rules.territory.accepted_outside_insee,
        max_company_age_years=rules.max_company_age_years,
        legal_forms=rules.legal_forms,
        max_request_eur=rules.max_request_eur,
        required_fields=rules.required_fields,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="eligibility.replaced",
        target=f"edition:{edition.slug}",
        payload={"from": msgspec.to_builtins(before), "to": msgspec.to_builtins(rules)},
    )
    return rules
