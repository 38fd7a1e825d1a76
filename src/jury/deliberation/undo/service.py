"""Undoing a decision: the way back from a mistaken advancement, prize or grant.

A decision is never deleted. Undoing it stamps who, when and why on the decision (the procès-verbal prints
it among the undone decisions), puts the candidate back in play in the round, takes them out of the next
round (an advancement: only while that round has not started) or stops the award from counting (a prize, a
grant: the same prize can then be given again), and revokes the diploma already issued for it, so its
public verification says so. While the edition is not decided, its organisers undo; once it is decided,
only the chair of the deciding round may, as an audited correction that may name who receives the prize
instead (their diploma is issued at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from jury.access.identity import Identity
from jury.access.policy import actor_label, ensure_organiser_of_edition, is_chair_of_round
from jury.audit.service import append_event
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.deliberation.service import today, unique_labels
from jury.deliberation.undo.models import UndoneDecision, UndoRequest
from jury.diplomas.service import issue_diplomas
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.french.dates import french_date
from jury.labels import label

UNDOABLE = ("advance", "eliminate", "award", "laureate")
AWARDING = ("award", "laureate")
DECIDED = ("decided", "archived")

Actor = Literal["organiser", "chair"]


async def undo_decision(
    db: Database, *, identity: Identity, decision_id: int, request: UndoRequest
) -> UndoneDecision:
    row = await db.fetchrow("delib_decision_to_undo", decision_id=decision_id)
    if row is None:
        raise NotFound("Décision introuvable.")
    actor = await _actor(db, identity=identity, row=row)
    reason = request.reason.strip()
    if not reason:
        raise Invalid(
            "Motif obligatoire : rien n'a été annulé.",
            errors=[
                FieldError(field="reason", message="Indiquez par écrit pourquoi la décision est annulée.")
            ],
        )
    if row["undone_at"] is not None:
        raise Conflict(f"Cette décision a déjà été annulée le {french_date(row['undone_at'])}.")
    if row["kind"] not in UNDOABLE:
        raise Conflict(
            f"Une décision « {label(row['kind'], 'decision')} » ne s'annule pas ici : seules une qualification, "
            "une élimination, un prix ou une subvention s'annulent."
        )
    if request.replacement_candidate_id is not None and (actor != "chair" or row["kind"] not in AWARDING):
        raise Invalid(
            "Remplacement refusé : rien n'a été annulé.",
            errors=[
                FieldError(
                    field="replacement_candidate_id",
                    message="Seule la correction d'un prix ou d'une subvention par la présidence du jury, "
                    "après la décision de l'édition, désigne un autre lauréat.",
                )
            ],
        )

    revoked = None
    if row["kind"] in AWARDING:
        revoked = await _undo_award(db, row=row, reason=reason)
    else:
        await _undo_move(db, row=row)
    marked = await db.fetchval(
        "delib_mark_decision_undone", decision_id=decision_id, undone_by=identity.person_id, reason=reason
    )
    if marked is None:  # locked by `delib_decision_to_undo`: never expected, refused rather than a 200
        raise Conflict("Cette décision a déjà été annulée : rien n'a été enregistré.")
    label_of_actor = actor_label(identity, role="chair" if actor == "chair" else None)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=label_of_actor,
        action="deliberation.decision_undone",
        target=f"candidate:{row['candidate_id']}",
        payload={
            "decision": decision_id,
            "kind": row["kind"],
            "round": row["round_id"],
            "prize": row["prize_name"],
            "granted_eur": row["granted_eur"],
            "reason": reason,
            "revoked_diploma": revoked,
            "correction": actor == "chair",
        },
    )
    replacement, diplomas = None, []
    if request.replacement_candidate_id is not None:
        replacement, diplomas = await _replace(
            db,
            identity=identity,
            row=row,
            candidate_id=request.replacement_candidate_id,
            reason=reason,
            actor=label_of_actor,
        )
    return UndoneDecision(
        decision_id=decision_id,
        kind=row["kind"],
        candidate_id=row["candidate_id"],
        undone_at=db.now(),
        reason=reason,
        revoked_diploma=revoked,
        replacement_decision_id=replacement,
        replacement_diplomas=diplomas,
    )


async def undo_decision_of_edition(
    db: Database, *, identity: Identity, slug: str, decision_id: int, request: UndoRequest
) -> UndoneDecision:
    """The decisions page's form: the same undo, for a decision of the edition the page is about."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    if await db.fetchval("delib_decision_edition", decision_id=decision_id) != edition.id:
        raise NotFound("Décision introuvable dans cette édition.")
    return await undo_decision(db, identity=identity, decision_id=decision_id, request=request)


async def _actor(db: Database, *, identity: Identity, row: Mapping[str, Any]) -> Actor:
    """Organisers of the contest until the edition is decided; afterwards the chair of the deciding round."""
    decided = row["edition_status"] in DECIDED
    if identity.kind == "organiser":
        await ensure_organiser_of_edition(db, identity=identity, edition_id=row["edition_id"])
        if decided:
            raise Conflict(
                "L'édition est décidée : seule la présidence du jury peut encore corriger une décision, "
                "avec un motif écrit (le diplôme concerné est alors révoqué)."
            )
        return "organiser"
    if (
        identity.edition_id == row["edition_id"]
        and row["round_id"] is not None
        and await is_chair_of_round(db, identity=identity, round_id=row["round_id"])
    ):
        if not decided:
            raise Forbidden(
                "Avant la décision de l'édition, les organisateurs annulent les décisions ; la présidence "
                "du jury corrige ensuite."
            )
        return "chair"
    raise Forbidden(
        "Seuls les organisateurs du concours et la présidence du jury peuvent annuler une décision."
    )


async def _undo_move(db: Database, *, row: Mapping[str, Any]) -> None:
    """An advancement or an elimination: the round still deliberates; an advanced candidate leaves the next
    round, which must not have started."""
    if row["round_status"] != "deliberation":
        raise Conflict(
            "Une qualification ou une élimination ne s'annule que pendant la délibération du tour ; état du "
            f"tour : {label(row['round_status'] or '', 'round')}."
        )
    if row["kind"] == "advance" and row["next_round_id"] is not None:
        if row["next_round_status"] != "draft":
            raise Conflict("Le tour suivant a déjà commencé : la qualification ne peut plus être annulée.")
        await db.execute(
            "delib_withdraw_next_round_entry",
            next_round_id=row["next_round_id"],
            candidate_id=row["candidate_id"],
        )
    await _back_in_play(db, row=row)


async def _undo_award(db: Database, *, row: Mapping[str, Any], reason: str) -> str | None:
    """The award stops counting; its diploma, if issued, is revoked. Returns the revoked diploma's code."""
    if row["award_id"] is None or await db.fetchval("delib_undo_award", award_id=row["award_id"]) is None:
        raise Conflict("Ce prix n'est plus attribué : rien n'a été annulé.")
    if row["round_id"] is not None:
        await _back_in_play(db, row=row)
    if row["diploma_id"] is None or row["diploma_revoked_at"] is not None:
        return None
    diploma_id = await db.fetchval(
        "delib_revoke_award_diploma", award_id=row["award_id"], reason=f"Décision annulée : {reason}"
    )
    if diploma_id is None:
        return None
    await append_event(
        db,
        actor_id=None,
        actor_label="system",
        action="diploma.revoke",
        target=f"diploma:{diploma_id}",
        payload={"reason": f"Décision annulée : {reason}", "verification_code": row["verification_code"]},
    )
    return str(row["verification_code"])


async def _back_in_play(db: Database, *, row: Mapping[str, Any]) -> None:
    await db.execute(
        "set_entry_status",
        candidate_id=row["candidate_id"],
        round_id=row["round_id"],
        status="eligible" if row["round_kind"] == "eligibility" else "pending",
        reason="",
    )


async def _replace(
    db: Database, *, identity: Identity, row: Mapping[str, Any], candidate_id: int, reason: str, actor: str
) -> tuple[int, list[int]]:
    """The chair's correction: the same prize (and amount) to another candidate of the round, whose
    diploma is issued at once."""
    candidates = {
        c["id"]: c for c in await db.fetch("delib_edition_candidates", edition_id=row["edition_id"])
    }
    entered = await db.fetch("delib_entries_in_round", round_id=row["round_id"], candidate_ids=[candidate_id])
    if candidate_id not in candidates or not entered or candidate_id == row["candidate_id"]:
        raise Invalid(
            "Remplacement refusé : rien n'a été annulé.",
            errors=[
                FieldError(
                    field="replacement_candidate_id",
                    message=f"Candidat n° {candidate_id} : pas un autre candidat de ce tour.",
                )
            ],
        )
    held = {
        (a["prize_id"], a["candidate_id"])
        for a in await db.fetch("delib_awards", edition_id=row["edition_id"])
    }
    if (row["prize_id"], candidate_id) in held:
        name = unique_labels(candidates.values(), blind=False)[candidate_id]
        raise Invalid(
            "Remplacement refusé : rien n'a été annulé.",
            errors=[FieldError(field="replacement_candidate_id", message=f"{name} détient déjà ce prix.")],
        )
    decision_id = await db.fetchval(
        "delib_insert_decision",
        edition_id=row["edition_id"],
        round_id=row["round_id"],
        candidate_id=candidate_id,
        kind=row["kind"],
        reason=f"Correction de la présidence : {reason}",
        based_on=row["based_on"],
        departure="",
        decided_by=identity.person_id,
    )
    award_id = await db.fetchval(
        "delib_insert_award",
        prize_id=row["prize_id"],
        candidate_id=candidate_id,
        decision_id=decision_id,
        granted_eur=row["granted_eur"],
        decided_on=today(db),
    )
    await db.execute(
        "set_entry_status",
        candidate_id=candidate_id,
        round_id=row["round_id"],
        status="laureate",
        reason=row["prize_name"],
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor,
        action="deliberation.decision_corrected",
        target=f"candidate:{candidate_id}",
        payload={"replaces": row["id"], "decision": decision_id, "award": award_id, "reason": reason},
    )
    diplomas = await issue_diplomas(
        db, edition_id=row["edition_id"], actor_id=identity.person_id, actor_label=actor
    )
    return decision_id, diplomas
