"""Moving rounds through their life, with every move checked and audited."""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.access.policy import (
    RoundInEdition,
    actor_label,
    ensure_organiser_of_edition,
    is_chair_of_round,
    round_in_edition,
)
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid
from jury.rounds.lifecycle import Fix, Role, RoundSnapshot, is_back, move_problem, readiness_issues


class RoundMove(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    previous: str
    status: str


async def move_round(
    db: Database, *, identity: Identity, round_id: int, target: str, reason: str = ""
) -> RoundMove:
    """The JSON API's move: the round's new state."""
    move, _ = await _move(db, identity=identity, round_id=round_id, target=target, reason=reason)
    return move


async def move_round_from_page(
    db: Database, *, identity: Identity, round_id: int, target: str, reason: str = ""
) -> str:
    """The edition page's move: the same move, answered with the slug of the page to go back to."""
    _, rnd = await _move(db, identity=identity, round_id=round_id, target=target, reason=reason)
    return rnd.edition_slug


async def _move(
    db: Database, *, identity: Identity, round_id: int, target: str, reason: str
) -> tuple[RoundMove, RoundInEdition]:
    # The row lock serialises two moves of the same round: the status read holds until commit.
    rnd = await round_in_edition(db, round_id=round_id, lock="update")
    role = await _role(db, identity=identity, rnd=rnd)
    problem = move_problem(current=rnd.status, target=target, role=role)
    if problem:
        raise Conflict(problem)
    if is_back(current=rnd.status, target=target):
        await _check_way_back(db, round_id=round_id, reason=reason)
    elif target == "open":
        problems = await readiness_errors(
            db, round_id=round_id, kind=rnd.kind, position=rnd.position, edition_slug=rnd.edition_slug
        )
        if problems:
            raise Invalid("Le tour n'est pas prêt à être ouvert.", errors=problems)
    await db.execute("set_round_status", round_id=round_id, status=target)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=role),
        action="round.moved",
        target=f"round:{round_id}",
        payload={"from": rnd.status, "to": target, "reason": reason},
    )
    return RoundMove(round_id=round_id, previous=rnd.status, status=target), rnd


async def _check_way_back(db: Database, *, round_id: int, reason: str) -> None:
    """Back to scoring: with a written reason, and only while no decision rests on the round's standing."""
    if not reason.strip():
        raise Invalid(
            "Motif obligatoire pour revenir à la notation.",
            errors=[FieldError(field="reason", message="Indiquez pourquoi le tour revient à la notation.")],
        )
    live = await db.fetchval("round_live_decisions", round_id=round_id)
    if live:
        raise Conflict(
            f"{live} décision(s) reposent déjà sur ce tour : annulez-les d'abord (page des décisions) pour "
            "revenir à la notation."
        )


async def readiness_errors(
    db: Database, *, round_id: int, kind: str, position: int, edition_slug: str
) -> list[FieldError]:
    """What the round still lacks before it can open, each with the page that fixes it (empty: ready).
    The setup page shows the same list the refusal to open gives. An eligibility round (`kind`) is
    decided by the organisers' rules, not scored: it needs candidates, never panels or jurors."""
    snapshot = RoundSnapshot(**dict(await db.fetchrow("round_snapshot", round_id=round_id)))
    return [
        FieldError(
            field="tour",
            message=issue.message,
            link=fix_link(issue.fix, round_id=round_id, position=position, edition_slug=edition_slug),
        )
        for issue in readiness_issues(snapshot, kind=kind)
    ]


def fix_link(fix: Fix, *, round_id: int, position: int, edition_slug: str) -> str:
    """The organisers' page that fixes a missing thing. Candidates enter the first round by import and
    later rounds by the previous round's decisions; panel members come with the jurors' import."""
    edition = f"/organisation/editions/{edition_slug}"
    links: dict[str, str] = {
        "candidates": f"{edition}/import" if position == 1 else f"{edition}/decisions",
        "panels": f"{edition}/tours#tour-{round_id}",
        "jurors": f"{edition}/import",
        "criteria": f"{edition}/grille",
        "placement": f"/organisation/rounds/{round_id}/affectations",
        "assignments": f"/organisation/rounds/{round_id}/affectations",
    }
    return links[fix]


async def role_in_round(db: Database, *, identity: Identity, round_id: int) -> tuple[RoundInEdition, Role]:
    """The round and what the caller may do with it (organiser or chair); others are refused."""
    rnd = await round_in_edition(db, round_id=round_id)
    return rnd, await _role(db, identity=identity, rnd=rnd)


async def _role(db: Database, *, identity: Identity, rnd: RoundInEdition) -> Role:
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=rnd.edition_id)
        return "organiser"
    if identity.edition_id == rnd.edition_id and await is_chair_of_round(
        db, identity=identity, round_id=rnd.id
    ):
        return "chair"
    raise Forbidden("Seuls les organisateurs et la présidence du jury peuvent changer l'état d'un tour.")
