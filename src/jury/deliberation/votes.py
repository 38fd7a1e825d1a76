"""Ballots of a deliberating panel: approval or ranked (Schulze), one vote per juror, the chair's casting vote.

The counting is the pure `voting` module's; this module keeps who may do what, stores every vote and the
closed result (with the tie-break inputs, so a casting vote given later reproduces the same order), and
hides from each juror the candidates they declared a conflict with, results included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jury.access.identity import Identity
from jury.audit.service import append_event
from jury.db.queries import Database
from jury.deliberation import voting
from jury.deliberation.models import (
    Ballot,
    BallotCandidate,
    BallotResult,
    CastingVote,
    ExcludedVote,
    Separation,
    VoteRequest,
)
from jury.deliberation.service import (
    NOT_A_MEMBER,
    RoundContext,
    Seat,
    load_round,
    panel_candidates,
    require_deliberated,
    require_deliberation,
    round_seat,
)
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

CLOSED_OUT = ("ineligible", "withdrawn")
CALIBRATED_UNAVAILABLE = (
    "Score calibré indisponible (classement non encore établi) : règle « score calibré » non appliquée."
)


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
    rnd = await load_round(db, round_id)
    seat = await round_seat(db, identity=identity, rnd=rnd)
    if seat.role(panel_id) == "juror":
        raise Forbidden("Seule la présidence du jury, ou un organisateur, ouvre un scrutin.")
    require_deliberation(rnd, what="Les scrutins")
    if not title.strip():
        raise Invalid(
            "Le scrutin doit avoir un intitulé.", errors=[FieldError(field="title", message="Intitulé vide.")]
        )
    entries = {r["id"]: r["status"] for r in await db.fetch("delib_panel_candidates", panel_id=panel_id)}
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
        actor_label=seat.actor_label,
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
    return await _one(db, rnd=rnd, seat=seat, panel_id=panel_id, ballot_id=ballot_id)


# --- Voting ---------------------------------------------------------------------------------------------


async def cast_vote(db: Database, *, identity: Identity, ballot_id: int, vote: VoteRequest) -> Ballot:
    """Record (or replace) the caller's vote; a conflicted candidate cannot be named in it."""
    rnd, seat, ballot = await _ballot(db, identity=identity, ballot_id=ballot_id)
    if seat.organiser:
        raise Forbidden("Seuls les membres du jury votent.")
    if ballot["status"] != "open":
        raise Conflict("Ce scrutin est clos : il n'est plus possible de voter.")
    require_deliberation(rnd, what="Les votes")
    labels = await panel_candidates(db, panel_id=ballot["panel_id"], blind=rnd.blind)
    payload = _payload(
        ballot["kind"], vote, candidates=ballot["candidates"], hidden=seat.hidden, labels=labels
    )
    first = await db.fetchval(
        "delib_upsert_vote", ballot_id=ballot_id, person_id=identity.person_id, payload=payload
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=seat.actor_label,
        action="deliberation.vote_cast",
        target=f"ballot:{ballot_id}",
        payload={"vote": payload, "replaces_earlier_vote": not first},
    )
    return await _one(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


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
    keys = [str(c) for c in candidates]
    voters = {v["person_id"] for v in votes}
    conflicts = [
        (str(r["person_id"]), str(r["candidate_id"]))
        for r in await db.fetch("delib_conflicts_of_round", round_id=rnd.id)
        if r["person_id"] in voters and r["candidate_id"] in candidates
    ]
    result: dict[str, Any]
    if ballot["kind"] == "approval":
        approval = voting.approval_vote(
            ballots={str(v["person_id"]): [str(c) for c in v["payload"]["approved"]] for v in votes},
            candidates=keys,
            conflicts=conflicts,
        )
        tiers = _ids(approval.order)
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
        tiers = _ids(ranked.tiers)
        result = {"method": "schulze", "d": ranked.d, "p": ranked.p}
        excluded = ranked.excluded
    inputs = {
        "calibrated": None if calibrated is None else {str(k): v for k, v in calibrated.items()},
        "criterion_scores": None
        if criterion_scores is None
        else {str(k): dict(v) for k, v in criterion_scores.items()},
    }
    labels = await panel_candidates(db, panel_id=ballot["panel_id"], blind=rnd.blind)
    result |= {
        "votes": len(votes),
        "tiers": tiers,
        "winners": tiers[0] if tiers else [],
        "excluded": [{"person_id": int(e.juror), "candidate_id": int(e.candidate)} for e in excluded],
        "policy": list(rnd.tie_break_policy),
        "inputs": inputs,
        "casting_vote": None,
    }
    result |= _tie_break(tiers, policy=rnd.tie_break_policy, inputs=inputs, chair_order=None, labels=labels)
    await db.execute("delib_close_ballot", ballot_id=ballot_id, closed_by=identity.person_id, result=result)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=seat.actor_label,
        action="deliberation.ballot_closed",
        target=f"ballot:{ballot_id}",
        payload=result,
    )
    return await _one(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


def _ids(tiers: Sequence[Sequence[str]]) -> list[list[int]]:
    return [sorted(int(c) for c in tier) for tier in tiers]


def _tie_break(
    tiers: list[list[int]],
    *,
    policy: Sequence[str],
    inputs: Mapping[str, Any],
    chair_order: Sequence[int] | None,
    labels: Mapping[int, str],
) -> dict[str, Any]:
    """Break every tie of the method's order with the edition's rules.

    The pure `break_ties` works on labels so that its reasons read well in the minutes (entry numbers in a
    blind round); rules whose scores nobody supplied yet are skipped with a note instead of failing.
    """
    notes: list[dict[str, Any]] = []
    rules: list[str] = []
    for rule in policy:
        if rule == voting.CALIBRATED and inputs.get("calibrated") is None:
            notes.append({"text": CALIBRATED_UNAVAILABLE, "candidates": []})
        elif rule.startswith(voting.CRITERION_PREFIX) and inputs.get("criterion_scores") is None:
            notes.append(
                {
                    "text": f"Notes par critère indisponibles : règle « {rule} » non appliquée.",
                    "candidates": [],
                }
            )
        else:
            rules.append(rule)
    by_label = {label: cid for cid, label in labels.items()}

    def named(table: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if table is None:
            return None
        return {labels[int(k)]: v for k, v in table.items() if int(k) in labels}

    calibrated = named(inputs.get("calibrated"))
    criterion_scores = named(inputs.get("criterion_scores"))
    chair = None if chair_order is None else [labels[c] for c in chair_order if c in labels]
    order: list[list[int]] = []
    separations: list[dict[str, Any]] = []
    unresolved: list[list[int]] = []
    for tier in tiers:
        if len(tier) == 1:
            order.append(list(tier))
            continue
        try:
            broken = voting.break_ties(
                tier=[labels[c] for c in tier],
                policy=rules,
                calibrated=calibrated,
                criterion_scores=criterion_scores,
                chair_order=chair,
            )
        except ValueError as exc:
            raise Invalid(f"Départage impossible : {exc}.") from exc
        order.extend(sorted(by_label[x] for x in group) for group in broken.order)
        separations.extend(
            {
                "above": sorted(by_label[x] for x in s.above),
                "below": sorted(by_label[x] for x in s.below),
                "rule": s.rule,
                "reason": s.reason,
            }
            for s in broken.separations
        )
        for group, text in zip(broken.unresolved, broken.notes, strict=True):
            ids = sorted(by_label[x] for x in group)
            unresolved.append(ids)
            notes.append({"text": text, "candidates": ids})
    return {"order": order, "separations": separations, "unresolved": unresolved, "notes": notes}


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
    labels = await panel_candidates(db, panel_id=ballot["panel_id"], blind=rnd.blind)
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
    result |= _tie_break(
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
    await db.execute("delib_set_ballot_result", ballot_id=ballot_id, result=result)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=seat.actor_label,
        action="deliberation.casting_vote",
        target=f"ballot:{ballot_id}",
        payload={"order": list(order), "reason": reason, "result_order": result["order"]},
    )
    return await _one(db, rnd=rnd, seat=seat, panel_id=ballot["panel_id"], ballot_id=ballot_id)


# --- Reading --------------------------------------------------------------------------------------------


async def list_ballots(
    db: Database, *, identity: Identity, round_id: int, panel_id: int | None = None
) -> list[Ballot]:
    rnd = await load_round(db, round_id)
    seat = await round_seat(db, identity=identity, rnd=rnd)
    panels = list(seat.roles) if panel_id is None else [panel_id]
    for panel in panels:
        seat.role(panel)
    if not seat.organiser:
        require_deliberated(rnd, what="Les scrutins")
    return await _views(db, rnd=rnd, seat=seat, panels=panels)


async def get_ballot(db: Database, *, identity: Identity, ballot_id: int) -> Ballot:
    ref = await db.fetchrow("delib_ballot_round", ballot_id=ballot_id)
    if ref is None:
        raise NotFound("Scrutin inconnu.")
    rnd, seat = await _seat(db, identity=identity, round_id=ref["round_id"], panel_id=ref["panel_id"])
    return await _one(db, rnd=rnd, seat=seat, panel_id=ref["panel_id"], ballot_id=ballot_id)


async def _seat(
    db: Database, *, identity: Identity, round_id: int, panel_id: int
) -> tuple[RoundContext, Seat]:
    rnd = await load_round(db, round_id)
    try:
        seat = await round_seat(db, identity=identity, rnd=rnd)
    except Forbidden:
        raise Forbidden(NOT_A_MEMBER) from None
    seat.role(panel_id)
    return rnd, seat


async def _ballot(db: Database, *, identity: Identity, ballot_id: int) -> tuple[RoundContext, Seat, Any]:
    """The ballot, locked, once the caller is known to sit on its panel or organise its contest."""
    ref = await db.fetchrow("delib_ballot_round", ballot_id=ballot_id)
    if ref is None:
        raise NotFound("Scrutin inconnu.")
    rnd, seat = await _seat(db, identity=identity, round_id=ref["round_id"], panel_id=ref["panel_id"])
    return rnd, seat, await db.fetchrow("delib_ballot_for_update", ballot_id=ballot_id)


async def _one(db: Database, *, rnd: RoundContext, seat: Seat, panel_id: int, ballot_id: int) -> Ballot:
    views = await _views(db, rnd=rnd, seat=seat, panels=[panel_id])
    return next(b for b in views if b.id == ballot_id)


async def _views(db: Database, *, rnd: RoundContext, seat: Seat, panels: list[int]) -> list[Ballot]:
    rows = await db.fetch("delib_ballots", round_id=rnd.id, panel_ids=panels)
    labels: dict[int, str] = {}
    names: dict[int, str] = {}
    for panel in panels:
        labels.update(await panel_candidates(db, panel_id=panel, blind=rnd.blind and not seat.organiser))
        if seat.organiser:
            names.update(
                {r["person_id"]: r["full_name"] for r in await db.fetch("delib_member_names", panel_id=panel)}
            )
    mine = {}
    if not seat.organiser:
        mine = {
            r["ballot_id"]: r["payload"]
            for r in await db.fetch(
                "delib_my_votes", person_id=seat.person_id, ballot_ids=[r["id"] for r in rows]
            )
        }
    return [_view(row, seat=seat, labels=labels, names=names, my_vote=mine.get(row["id"])) for row in rows]


def _view(
    row: Mapping[str, Any],
    *,
    seat: Seat,
    labels: Mapping[int, str],
    names: Mapping[int, str],
    my_vote: Mapping[str, Any] | None,
) -> Ballot:
    hidden = seat.hidden
    return Ballot(
        id=row["id"],
        round_id=row["round_id"],
        panel_id=row["panel_id"],
        kind=row["kind"],
        title=row["title"],
        status=row["status"],
        candidates=[
            BallotCandidate(id=c, label=labels.get(c, f"Candidat n° {c}"))
            for c in row["candidates"]
            if c not in hidden
        ],
        votes_cast=row["votes_cast"],
        voters=row["voters"],
        my_vote=None if my_vote is None else VoteRequest(**my_vote),
        result=None
        if row["result"] is None
        else _result(row["result"], hidden=hidden, organiser=seat.organiser, labels=labels, names=names),
    )


def _result(
    stored: Mapping[str, Any],
    *,
    hidden: frozenset[int],
    organiser: bool,
    labels: Mapping[int, str],
    names: Mapping[int, str],
) -> BallotResult:
    """A stored result as the reader may see it: without their conflicts, matrices for organisers only."""

    def keep(groups: list[list[int]]) -> list[list[int]]:
        return [g for g in ([c for c in group if c not in hidden] for group in groups) if g]

    def matrix(table: Mapping[str, Mapping[str, int]] | None) -> dict[int, dict[int, int]] | None:
        if table is None or not organiser:
            return None
        return {int(x): {int(y): n for y, n in row.items()} for x, row in table.items()}

    casting = stored.get("casting_vote")
    return BallotResult(
        method=stored["method"],
        votes=stored["votes"],
        tiers=keep(stored["tiers"]),
        winners=[c for c in stored["winners"] if c not in hidden],
        order=keep(stored["order"]),
        unresolved=[g for g in keep(stored["unresolved"]) if len(g) > 1],
        separations=[
            Separation(**s) for s in stored["separations"] if not hidden.intersection(s["above"] + s["below"])
        ],
        notes=[n["text"] for n in stored["notes"] if not hidden.intersection(n["candidates"])],
        policy=list(stored["policy"]),
        counts=None
        if stored.get("counts") is None
        else {int(k): v for k, v in stored["counts"].items() if int(k) not in hidden},
        casting_vote=None if casting is None else CastingVote(**casting),
        pairwise=matrix(stored.get("d")),
        strongest_paths=matrix(stored.get("p")),
        excluded=None
        if not organiser
        else [
            ExcludedVote(
                juror=names.get(e["person_id"], f"Juré n° {e['person_id']}"),
                candidate=labels.get(e["candidate_id"], f"Candidat n° {e['candidate_id']}"),
            )
            for e in stored["excluded"]
        ],
    )
