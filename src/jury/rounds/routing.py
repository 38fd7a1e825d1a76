"""Routing the candidates of a territorial round to the panel of their zone, with audited overrides.

The rules are the pure `jury.contests.territory.route`; this module feeds it the edition's zones and the
communes table, and writes the outcome on each candidate's round entry.
"""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.contests.territory import Commune, Territory, Zone, route
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, NotFound


class RoutedCandidate(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    zone: str | None
    panel_id: int | None
    eligible: bool
    reason: str


class RoutingReport(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    routed: list[RoutedCandidate]

    @property
    def ineligible(self) -> list[RoutedCandidate]:
        return [r for r in self.routed if not r.eligible]


async def _territory(db: Database, *, round_id: int, edition_id: int) -> tuple[Territory, dict[str, int]]:
    panels = await db.fetch("round_zone_panels", round_id=round_id)
    if not panels:
        raise Invalid("Ce tour n'a pas de jury rattaché à une zone : rien à répartir.")
    accepted = await db.fetchval("edition_accepted_outside", edition_id=edition_id) or []
    territory = Territory(
        zones=tuple(
            Zone(code=p["zone_code"], label=p["zone_label"], ept_codes=tuple(p["ept_codes"])) for p in panels
        ),
        accepted_outside=frozenset(accepted),
    )
    return territory, {p["zone_code"]: p["panel_id"] for p in panels}


async def _communes(db: Database) -> dict[str, Commune]:
    return {
        r["insee_code"]: Commune(ept_code=r["ept_code"], departement=r["department_code"], name=r["name"])
        for r in await db.fetch("all_communes")
    }


async def route_round(db: Database, *, identity: Identity, round_id: int) -> RoutingReport:
    """Route every candidate; overridden candidates keep the panel the organiser chose."""
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    if rnd.status == "closed":
        raise Conflict("Le tour est clos.")
    territory, panel_of_zone = await _territory(db, round_id=round_id, edition_id=rnd.edition_id)
    communes = await _communes(db)
    routed = []
    for candidate in await db.fetch("round_routing_inputs", round_id=round_id):
        if candidate["overridden"]:
            continue
        result = route(insee_code=candidate["insee_code"], communes=communes, territory=territory)
        zone = result.zone.code if result.zone else None
        panel_id = panel_of_zone.get(zone) if zone else None
        status = "pending" if result.eligible else "ineligible"
        await db.execute(
            "set_candidate_round_routing",
            candidate_id=candidate["candidate_id"],
            round_id=round_id,
            panel_id=panel_id,
            status=status,
            reason=result.reason or "",
        )
        routed.append(
            RoutedCandidate(
                candidate_id=candidate["candidate_id"],
                zone=zone,
                panel_id=panel_id,
                eligible=result.eligible,
                reason=result.reason or "",
            )
        )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="round.routed",
        target=f"round:{round_id}",
        payload={"routed": len(routed), "ineligible": sum(not r.eligible for r in routed)},
    )
    return RoutingReport(round_id=round_id, routed=routed)


async def override_ineligibility(
    db: Database, *, identity: Identity, round_id: int, candidate_id: int, panel_id: int, reason: str
) -> None:
    """An organiser admits a candidate outside the territory; the written reason goes to the audit trail."""
    if len(reason.strip()) < 5:
        raise Invalid(
            "Motif obligatoire.",
            errors=[FieldError(field="motif", message="Indiquez par écrit le motif de la dérogation.")],
        )
    rnd = await organised_round(db, identity=identity, round_id=round_id, lock="update")
    entries = {r["candidate_id"] for r in await db.fetch("round_routing_inputs", round_id=round_id)}
    if candidate_id not in entries:
        raise NotFound("Candidat inconnu dans ce tour.")
    panels = {r["panel_id"] for r in await db.fetch("round_zone_panels", round_id=round_id)}
    if panel_id not in panels:
        raise Invalid("Jury inconnu dans ce tour.")
    await db.execute(
        "set_candidate_round_routing",
        candidate_id=candidate_id,
        round_id=round_id,
        panel_id=panel_id,
        status="eligible",
        reason=f"Dérogation : {reason.strip()}",
    )
    await db.fetchval(
        "insert_override_decision",
        edition_id=rnd.edition_id,
        round_id=round_id,
        candidate_id=candidate_id,
        reason=reason.strip(),
        decided_by=identity.person_id,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="candidate.override",
        target=f"candidate:{candidate_id}",
        payload={"round": round_id, "panel": panel_id, "reason": reason.strip()},
    )
