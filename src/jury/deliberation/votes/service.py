"""Ballots of a deliberating panel: approval or ranked (Schulze), one vote per juror, the chair's casting vote.

The counting is the pure `voting` module's; this module keeps who may do what, stores every vote and the
closed result (with the tie-break inputs, so a casting vote given later reproduces the same order), and
hides from each juror the candidates they declared a conflict with, results included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jury.access.identity import Identity
from jury.access.policy import RoundInEdition, actor_label
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.deliberation.service import (
    Seat,
    load_round,
    panel_candidates,
    panel_seat,
    require_deliberation,
    round_seat,
    seat_on_panel,
)
from jury.deliberation.votes import voting
from jury.deliberation.votes.models import Ballot, VoteRequest
from jury.deliberation.votes.tie_break import apply_policy, ids_of
from jury.deliberation.votes.views import one_ballot
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.results import standings as results

CLOSED_OUT = ("ineligible", "withdrawn")


# --- Opening --------------------------------------------------------------------------------------------


async def open_ballot(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    panel_id: int,
    kind: str,
    title: str,
    candidate_ids: Sequence[int],
) -> Ballot:
    rnd = await load_round(db, round_id=round_id)
    seat = await round_seat(db, identity=identity, rnd=rnd)
    if seat.role(panel_id) == "juror":
        raise Forbidden("Seule la présidence du jury, ou un organisateur, ouvre un scrutin.")
    require_deliberation(rnd, what="Les scrutins")
    if not title.strip():
        raise Invalid(
            "Le scrutin doit avoir un intitulé.", errors=[FieldError(field="title", message="Intitulé vide.")]
        )
    entries = {r["id"]: r["status"] for r in await db.fetch("delib_panel_candidates", panel_ids=[panel_id])}
    errors = []
    for index, cid in enumerate(candidate_ids):
        field = f"candidate_ids[{index}]"
        if cid in candidate_ids[:index]:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} cité deux fois."))
        elif cid not in entries:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} absent de ce jury."))
        elif entries[cid] in CLOSED_OUT:
            errors.append(FieldError(field=field, message=f"Candidat n° {cid} n'est plus en lice."))
    if len(set(candidate_ids)) < 2:
        errors.append(
            FieldError(field="candidate_ids", message="Un scrutin porte sur au moins deux candidats.")
        )
    if errors:
        raise Invalid("Le scrutin ne peut pas être ouvert.", errors=errors)
    ballot_id = await db.fetchval(
        "delib_insert_ballot",
        round_id=round_id,
        panel_id=panel_id,
        kind=kind,
        title=title.strip(),
        candidates=list(candidate_ids),
        opened_by=identity.person_id,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=seat.audit_role),
        action="deliberation.ballot_opened",
        target=f"ballot:{ballot_id}",
        payload={
            "round": round_id,
            "panel": panel_id,
            "kind": kind,
            "title": title.strip(),
            "candidates": list(candidate_ids),
        },
    )
    return await one_ballot(db, rnd=rnd, seat=seat, panel_id=panel_id, ballot_id=ballot_id)


async def open_panel_ballot(
    db: Database,
    *,
    identity: Identity,
    panel_id: int,
    kind: str,
    title: str,
    candidate_ids: Sequence[int],
) -> Ballot:
    """The panel page's form: the same ballot, once the caller is known to sit on (or organise) the panel."""
    rnd, _ = await panel_seat(db, identity=identity, panel_id=panel_id)
    return await open_ballot(
        db,
        identity=identity,
        round_id=rnd.id,
        panel_id=panel_id,
        kind=kind,
        title=title,
        candidate_ids=candidate_ids,
    )


# --- Voting ---------------------------------------------------------------------------------------------


async def cast_vote(db: Database, *, identity: Identity, ballot_id: int, vote: VoteRequest) -> Ballot:
    """Record (or replace) the caller's vote; a conflicted candidate cannot be named in it."""
    rnd, seat, ballot = await _ballot(db, identity=identity, ballot_id=ballot_id)
    if seat.organiser:
        raise Forbidden("Seuls les membres du jury votent.")
    if ballot["status"] != "open":
        raise Conflict("Ce scrutin est clos : il n'est plus possible de voter.")
    require_deliberation(rnd, what="Les votes")
    labels = await panel_candidates(db, panel_ids=[ballot["panel_id"]], blind=rnd.blind)
    payload = _payload(
        ballot["kind"], vote, candidates=ballot["candidates"], hidden=seat.hidden, labels=labels
    )
    first = await db.fetchval(
        "delib_upsert_vote", ballot_id=ballot_id, person_id=identity.person_id, payload=payload
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=seat.audit_role),
        action="deliberation.vote_cast",
        target=f"ballot:{ballot_id}",
        payload={"vote": payload, "replaces_earlier_vote": not first},
    )
    return await one_ballot(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


def _payload(
    kind: str,
    vote: VoteRequest,
    *,
    candidates: Sequence[int],
    hidden: frozenset[int],
    labels: Mapping[int, str],
) -> dict[str, Any]:
    if kind == "approval":
        if vote.approved is None or vote.tiers is not None:
            raise Invalid(
                "Un scrutin par approbation attend la liste des candidats approuvés (« approved »)."
            )
        named = list(vote.approved)
    else:
        if vote.tiers is None or vote.approved is not None:
            raise Invalid("Un scrutin par classement attend des rangs (« tiers »), du meilleur au moins bon.")
        named = [cid for tier in vote.tiers for cid in tier]
    errors = []
    for index, cid in enumerate(named):
        if cid not in candidates:
            errors.append(FieldError(field="vote", message=f"Candidat n° {cid} absent de ce scrutin."))
        elif cid in named[:index]:
            errors.append(FieldError(field="vote", message=f"{labels.get(cid, cid)} est cité deux fois."))
    if errors:
        raise Invalid("Ce vote n'est pas valide.", errors=errors)
    conflicted = [cid for cid in named if cid in hidden]
    if conflicted:
        raise Forbidden(
            "Vous vous êtes déporté pour ce candidat : vous ne pouvez pas voter à son sujet "
            f"({', '.join(labels.get(c, str(c)) for c in conflicted)})."
        )
    if kind == "approval":
        return {"approved": sorted(named)}
    return {"tiers": [list(tier) for tier in vote.tiers or [] if tier]}


# --- Closing --------------------------------------------------------------------------------------------


async def close_ballot(
    db: Database,
    *,
    identity: Identity,
    ballot_id: int,
    calibrated: Mapping[int, float] | None = None,
    criterion_scores: Mapping[int, Mapping[str, float]] | None = None,
) -> Ballot:
    """Count the votes, apply the edition's tie-break policy as far as the given scores allow, store it all."""
    rnd, seat, ballot = await _ballot(db, identity=identity, ballot_id=ballot_id)
    if seat.role(ballot["panel_id"]) == "juror":
        raise Forbidden("Seule la présidence du jury, ou un organisateur, clôt un scrutin.")
    if ballot["status"] != "open":
        raise Conflict("Ce scrutin est déjà clos.")
    require_deliberation(rnd, what="Les scrutins")
    votes = await db.fetch("delib_ballot_votes", ballot_id=ballot_id)
    if not votes:
        raise Conflict("Aucun vote n'a été exprimé : le scrutin ne peut pas être clos.")
    candidates: list[int] = list(ballot["candidates"])
    if calibrated is None and voting.CALIBRATED in rnd.tie_break_policy:
        # The form sends no scores: the rule « score calibré » reads them from the panel's standings.
        calibrated = await results.calibrated_scores(
            db, rnd=rnd, panel_id=ballot["panel_id"], candidate_ids=candidates
        )
    keys = [str(c) for c in candidates]
    voters = {v["person_id"] for v in votes}
    conflicts = [
        (str(r["person_id"]), str(r["candidate_id"]))
        for r in await db.fetch("conflicts_of_round", round_id=rnd.id)
        if r["person_id"] in voters and r["candidate_id"] in candidates
    ]
    result: dict[str, Any]
    if ballot["kind"] == "approval":
        approval = voting.approval_vote(
            ballots={str(v["person_id"]): [str(c) for c in v["payload"]["approved"]] for v in votes},
            candidates=keys,
            conflicts=conflicts,
        )
        tiers = ids_of(approval.order)
        result = {"method": "approval", "counts": approval.counts, "voters": approval.voters}
        excluded = approval.excluded
    else:
        ranked = voting.schulze(
            ballots={
                str(v["person_id"]): [[str(c) for c in t] for t in v["payload"]["tiers"]] for v in votes
            },
            candidates=keys,
            conflicts=conflicts,
        )
        tiers = ids_of(ranked.tiers)
        result = {"method": "schulze", "d": ranked.d, "p": ranked.p}
        excluded = ranked.excluded
    inputs = {
        "calibrated": None if calibrated is None else {str(k): v for k, v in calibrated.items()},
        "criterion_scores": None
        if criterion_scores is None
        else {str(k): dict(v) for k, v in criterion_scores.items()},
    }
    labels = await panel_candidates(db, panel_ids=[ballot["panel_id"]], blind=rnd.blind)
    result |= {
        "votes": len(votes),
        "tiers": tiers,
        "winners": tiers[0] if tiers else [],
        "excluded": [{"person_id": int(e.juror), "candidate_id": int(e.candidate)} for e in excluded],
        "policy": list(rnd.tie_break_policy),
        "inputs": inputs,
        "casting_vote": None,
    }
    result |= apply_policy(tiers, policy=rnd.tie_break_policy, inputs=inputs, chair_order=None, labels=labels)
    closed = await db.fetchval(
        "delib_close_ballot", ballot_id=ballot_id, closed_by=identity.person_id, result=result
    )
    if closed is None:  # the ballot is locked above: only a ballot gone or closed meanwhile gets here
        raise Conflict("Ce scrutin n'est plus ouvert : rien n'a été enregistré.")
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=seat.audit_role),
        action="deliberation.ballot_closed",
        target=f"ballot:{ballot_id}",
        payload=result,
    )
    return await one_ballot(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


# --- Casting vote ---------------------------------------------------------------------------------------


async def casting_vote(
    db: Database, *, identity: Identity, ballot_id: int, order: Sequence[int], reason: str = ""
) -> Ballot:
    """The chair ranks the candidates a closed ballot left tied; the policy is re-applied with that vote."""
    rnd, seat, ballot = await _ballot(db, identity=identity, ballot_id=ballot_id)
    if seat.role(ballot["panel_id"]) != "chair":
        raise Forbidden("Seule la présidence du jury dispose de la voix prépondérante.")
    if ballot["status"] != "closed":
        raise Conflict("Le scrutin doit être clos avant la voix prépondérante.")
    require_deliberation(rnd, what="Les voix prépondérantes")
    result = dict(ballot["result"])
    if result.get("casting_vote"):
        raise Conflict("La voix prépondérante a déjà été exprimée pour ce scrutin.")
    if not result["unresolved"]:
        raise Conflict("Aucune égalité à départager dans ce scrutin.")
    if voting.CHAIR not in result["policy"]:
        raise Conflict(
            "La politique de départage de l'édition ne prévoit pas la voix prépondérante de la présidence."
        )
    labels = await panel_candidates(db, panel_ids=[ballot["panel_id"]], blind=rnd.blind)
    tied = [c for tier in result["unresolved"] for c in tier]
    conflicted = [c for c in tied if c in seat.hidden]
    if conflicted:
        raise Conflict(
            "Vous vous êtes déporté pour un candidat à égalité : votre voix prépondérante ne peut pas "
            "départager cette égalité."
        )
    errors = [
        FieldError(field="order", message=f"Candidat n° {c} absent de ce scrutin.")
        for c in order
        if c not in ballot["candidates"]
    ]
    if len(set(order)) != len(order):
        errors.append(FieldError(field="order", message="Un candidat est cité deux fois."))
    errors.extend(
        FieldError(field="order", message=f"{labels.get(c, c)} est à égalité et doit être classé.")
        for c in tied
        if c not in order
    )
    if errors:
        raise Invalid("La voix prépondérante n'est pas valide.", errors=errors)
    result |= apply_policy(
        result["tiers"], policy=result["policy"], inputs=result["inputs"], chair_order=order, labels=labels
    )
    cast_at = await db.fetchval(
        "delib_insert_casting_vote",
        ballot_id=ballot_id,
        person_id=identity.person_id,
        chair_order=list(order),
        reason=reason,
    )
    result["casting_vote"] = {
        "person_id": identity.person_id,
        "order": list(order),
        "reason": reason,
        "cast_at": cast_at.isoformat(),
    }
    if await db.fetchval("delib_set_ballot_result", ballot_id=ballot_id, result=result) is None:
        raise Conflict("Ce scrutin n'est plus clos : rien n'a été enregistré.")
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity, role=seat.audit_role),
        action="deliberation.casting_vote",
        target=f"ballot:{ballot_id}",
        payload={"order": list(order), "reason": reason, "result_order": result["order"]},
    )
    return await one_ballot(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


async def _ballot(db: Database, *, identity: Identity, ballot_id: int) -> tuple[RoundInEdition, Seat, Any]:
    """The ballot, locked, once the caller is known to sit on its panel or organise its contest."""
    ref = await db.fetchrow("delib_ballot_round", ballot_id=ballot_id)
    if ref is None:
        raise NotFound("Scrutin inconnu.")
    rnd, seat = await seat_on_panel(db, identity=identity, round_id=ref["round_id"], panel_id=ref["panel_id"])
    ballot = await db.fetchrow("delib_ballot_for_update", ballot_id=ballot_id)
    if ballot is None:
        raise NotFound("Scrutin inconnu.")
    return rnd, seat, ballot
