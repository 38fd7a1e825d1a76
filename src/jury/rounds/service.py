"""Moving rounds through their life, with every move checked and audited."""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.access.policy import ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.rounds.lifecycle import RoundSnapshot, move_problem, readiness_problems


class RoundMove(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    previous: str
    status: str


async def move_round(
    db: Database, *, identity: Identity, round_id: int, target: str, reason: str = ""
) -> RoundMove:
    row = await db.fetchrow("get_round_for_update", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    role = await _role(db, identity=identity, round_id=round_id, edition_id=row["edition_id"])
    problem = move_problem(current=row["status"], target=target, role=role)
    if problem:
        raise Conflict(problem)
    if target == "open":
        snapshot = RoundSnapshot(**dict(await db.fetchrow("round_snapshot", round_id=round_id)))
        problems = readiness_problems(snapshot)
        if problems:
            raise Invalid(
                "Le tour n'est pas prêt à être ouvert.",
                errors=[FieldError(field="tour", message=p) for p in problems],
            )
    await db.execute("set_round_status", round_id=round_id, status=target)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=f"{role}:{identity.person_id}",
        action="round.moved",
        target=f"round:{round_id}",
        payload={"from": row["status"], "to": target, "reason": reason},
    )
    return RoundMove(round_id=round_id, previous=row["status"], status=target)


async def _role(db: Database, *, identity: Identity, round_id: int, edition_id: int) -> str:
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=edition_id)
        return "organiser"
    if identity.edition_id == edition_id and await db.fetchval(
        "is_chair_of_round", round_id=round_id, person_id=identity.person_id
    ):
        return "chair"
    raise Forbidden("Seuls les organisateurs et la présidence du jury peuvent changer l'état d'un tour.")


async def organiser_round(db: Database, *, identity: Identity, round_id: int):
    """The round row, once the caller is known to organise its contest; locks it for the transaction."""
    row = await db.fetchrow("get_round_for_update", round_id=round_id)
    if row is None:
        raise NotFound("Tour inconnu.")
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["edition_id"])
    return row
