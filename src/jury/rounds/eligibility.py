"""Recording an eligibility round (Progr'ESS): the pass/fail rules applied to every candidate at once.

The rules are the pure `jury.contests.eligibility.check_eligibility`; an ineligible candidate gets the
reasons on their round entry and an `ineligible` decision, so the committee scores only eligible projects.
"""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.contests.eligibility import check_eligibility
from jury.db.queries import Database
from jury.errors import Conflict


class EligibilityOutcome(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    eligible: bool
    reasons: list[str]


async def record_eligibility(db: Database, *, identity: Identity, round_id: int) -> list[EligibilityOutcome]:
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.kind != "eligibility":
        raise Conflict("Ce tour n'est pas un tour d'éligibilité.")
    if rnd.status == "closed":
        raise Conflict("Le tour est clos.")
    communes_92 = {r["insee_code"] for r in await db.fetch("communes_of_department", department="92")}
    outcomes = []
    for candidate in await db.fetch("eligibility_inputs", round_id=round_id):
        result = check_eligibility(
            legal_form=candidate["legal_form"],
            allowed_forms=candidate["eligible_legal_forms"],
            seat_insee=candidate["insee_code"],
            communes_92=communes_92,
            requested=candidate["requested_eur"],
            max_grant=candidate["max_grant_eur"] or 0,
        )
        reasons = [failure.message for failure in result.failures]
        await db.execute(
            "set_entry_status",
            candidate_id=candidate["candidate_id"],
            round_id=round_id,
            status="ineligible" if reasons else "eligible",
            reason=" ; ".join(reasons),
        )
        if reasons:
            await db.execute(
                "insert_eligibility_decision",
                edition_id=rnd.edition_id,
                round_id=round_id,
                candidate_id=candidate["candidate_id"],
                reason=" ; ".join(reasons),
                decided_by=identity.person_id,
            )
        outcomes.append(
            EligibilityOutcome(candidate_id=candidate["candidate_id"], eligible=not reasons, reasons=reasons)
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
        },
    )
    return outcomes
