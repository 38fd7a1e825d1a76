"""Adding, correcting, withdrawing one candidate and accepting one despite the rules.

A candidate given through the API or the page goes through the import's checks of one line
(`jury.imports.validate.validate_candidate`), so a file, the API and the form refuse and flag the same
things. An ineligible candidate is kept and flagged on its first round entry, never dropped; an organiser
may accept it with a written reason. A withdrawal keeps the history: the candidate stays, withdrawn in
the rounds not yet closed, without jurors there, and out of the standings.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label, ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.candidates.models import (
    CandidateDetail,
    CandidatePage,
    CandidateView,
    EligibilityView,
    Override,
    RoundEntry,
)
from jury.contests.eligibility import Application, Eligibility, check_application
from jury.contests.models import EditionDetail
from jury.contests.service import get_edition, list_categories, organised_edition
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, JuryError, NotFound
from jury.imports import validate
from jury.imports.models import CandidateRecord, CandidateRules, columns_for
from jury.imports.service import candidate_rules, enter_first_round, intake_status

COLUMNS = tuple(column.name for column in columns_for("candidats"))


# --- The API -----------------------------------------------------------------------------------------------


async def add_candidate(
    db: Database, *, identity: Identity, slug: str, values: dict[str, str]
) -> CandidateDetail:
    """A new candidate in the edition's first round, numbered, checked against the edition's rules."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    await db.execute("lock_edition_imports", edition_id=edition.id)  # numbers stay unique against imports
    rules = await _rules(db, edition=edition)
    record = validate.validate_candidate(values, rules)
    try:
        async with db.transaction():
            candidate_id = await db.fetchval(
                "insert_candidate", edition_id=edition.id, kind=edition.candidate_kind, **_columns(record)
            )
    except asyncpg.UniqueViolationError as exc:
        raise _number_taken(record.entry_number) from exc
    await enter_first_round(db, edition_id=edition.id, entries=[(candidate_id, record.eligibility)])
    detail = await _detail(db, candidate_id=candidate_id, rules=rules)
    await _audit(
        db,
        identity=identity,
        action="candidate.created",
        candidate_id=candidate_id,
        payload={
            "edition": edition.slug,
            "entry_number": detail.candidate.entry_number,
            "failed_rules": [f.rule for f in record.eligibility.failures],
        },
    )
    return detail


async def candidate(db: Database, *, identity: Identity, candidate_id: int) -> CandidateDetail:
    edition = await _edition_of(db, identity=identity, candidate_id=candidate_id)
    return await _detail(db, candidate_id=candidate_id, rules=await _rules(db, edition=edition))


async def update_candidate(
    db: Database, *, identity: Identity, candidate_id: int, values: dict[str, str]
) -> CandidateDetail:
    """Correct some fields: the whole candidate is checked again and its intake status follows."""
    current, edition = await _locked(db, identity=identity, candidate_id=candidate_id)
    if current["withdrawn_at"] is not None:
        raise Conflict("Ce candidat est retiré : il ne peut plus être modifié.")
    await db.execute("lock_edition_imports", edition_id=edition.id)
    rules = await _rules(db, edition=edition, exclude_candidate_id=candidate_id)
    before = _values_of(current)
    merged = {**before, **values}
    record = validate.validate_candidate(merged, rules)
    try:
        async with db.transaction():
            await db.execute("update_candidate", candidate_id=candidate_id, **_columns(record))
    except asyncpg.UniqueViolationError as exc:
        raise _number_taken(record.entry_number) from exc
    detail = await _detail(db, candidate_id=candidate_id, rules=rules)
    await _record_intake(db, detail=detail)
    await _audit(
        db,
        identity=identity,
        action="candidate.updated",
        candidate_id=candidate_id,
        payload={
            "fields": sorted(name for name in values if values[name] != before.get(name, "")),
            "failed_rules": [f.rule for f in record.eligibility.failures],
        },
    )
    return await _detail(db, candidate_id=candidate_id, rules=rules)


async def withdraw_candidate(
    db: Database, *, identity: Identity, candidate_id: int, reason: str
) -> CandidateDetail:
    """Withdrawn in every round not yet closed, with the reason; jurors there no longer see them."""
    current, edition = await _locked(db, identity=identity, candidate_id=candidate_id)
    reason = _required_reason(reason)
    if current["withdrawn_at"] is not None:
        raise Conflict("Ce candidat est déjà retiré.")
    await db.execute("record_withdrawal", candidate_id=candidate_id, reason=reason)
    rounds = await db.fetch("withdraw_from_open_rounds", candidate_id=candidate_id, reason=reason)
    removed = await db.fetch("remove_open_assignments", candidate_id=candidate_id)
    await _audit(
        db,
        identity=identity,
        action="candidate.withdrawn",
        candidate_id=candidate_id,
        payload={
            "reason": reason,
            "rounds": sorted(r["round_id"] for r in rounds),
            "assignments_removed": len(removed),
        },
    )
    return await _detail(db, candidate_id=candidate_id, rules=await _rules(db, edition=edition))


async def override_eligibility(
    db: Database, *, identity: Identity, candidate_id: int, reason: str
) -> CandidateDetail:
    """An organiser accepts a candidate the rules flag, in writing; the first round entry competes again."""
    current, edition = await _locked(db, identity=identity, candidate_id=candidate_id)
    reason = _required_reason(reason)
    if current["withdrawn_at"] is not None:
        raise Conflict("Ce candidat est retiré.")
    rules = await _rules(db, edition=edition)
    before = await _detail(db, candidate_id=candidate_id, rules=rules)
    if before.eligibility.eligible:
        raise Conflict("Ce candidat remplit toutes les règles de l'édition : aucune dérogation à accorder.")
    await db.execute(
        "record_eligibility_override", candidate_id=candidate_id, reason=reason, person_id=identity.person_id
    )
    detail = await _detail(db, candidate_id=candidate_id, rules=rules)
    await _record_intake(db, detail=detail)
    await _audit(
        db,
        identity=identity,
        action="candidate.eligibility_overridden",
        candidate_id=candidate_id,
        payload={"reason": reason, "failed_rules": [f.rule for f in detail.eligibility.failures]},
    )
    return await _detail(db, candidate_id=candidate_id, rules=rules)


# --- The pages -----------------------------------------------------------------------------------------------


async def new_candidate_page(
    db: Database, *, identity: Identity, slug: str, values: dict[str, str] | None = None
) -> CandidatePage:
    """The empty form; with `values`, the form submitted: saved (`detail`) or shown again with the error."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    categories = await list_categories(db, edition.id)
    if values is None:
        return CandidatePage(edition=edition, categories=categories)
    try:
        async with db.transaction():
            detail = await add_candidate(db, identity=identity, slug=slug, values=_filled(values))
    except JuryError as exc:
        return CandidatePage(edition=edition, categories=categories, values=values, error=exc, form="add")
    return CandidatePage(edition=edition, categories=categories, detail=detail)


async def candidate_page(
    db: Database,
    *,
    identity: Identity,
    candidate_id: int,
    action: str = "",
    values: dict[str, str] | None = None,
) -> CandidatePage:
    """The candidate's page; with an `action` (edit, withdraw, override), that form's outcome first."""
    error: JuryError | None = None
    if action:
        try:
            async with db.transaction():
                await _act(
                    db, identity=identity, candidate_id=candidate_id, action=action, values=values or {}
                )
        except JuryError as exc:
            error = exc
    edition = await _edition_of(db, identity=identity, candidate_id=candidate_id)
    detail = await _detail(db, candidate_id=candidate_id, rules=await _rules(db, edition=edition))
    shown = values if error is not None and action == "edit" and values else _values_of_detail(detail)
    return CandidatePage(
        edition=edition,
        categories=await list_categories(db, edition.id),
        detail=detail,
        values=shown,
        error=error,
        form=action if error is not None else "",
    )


async def _act(
    db: Database, *, identity: Identity, candidate_id: int, action: str, values: dict[str, str]
) -> None:
    if action == "edit":
        await update_candidate(
            db, identity=identity, candidate_id=candidate_id, values={k: values.get(k, "") for k in COLUMNS}
        )
    elif action == "withdraw":
        await withdraw_candidate(
            db, identity=identity, candidate_id=candidate_id, reason=values.get("reason", "")
        )
    elif action == "override":
        await override_eligibility(
            db, identity=identity, candidate_id=candidate_id, reason=values.get("reason", "")
        )
    else:
        raise NotFound(f"Action inconnue : {action}.")


# --- Helpers -------------------------------------------------------------------------------------------------


async def _rules(
    db: Database, *, edition: EditionDetail, exclude_candidate_id: int | None = None
) -> CandidateRules:
    return await candidate_rules(
        db,
        edition_id=edition.id,
        candidate_kind=edition.candidate_kind,
        eligible_legal_forms=edition.eligible_legal_forms,
        max_grant_eur=edition.max_grant_eur,
        exclude_candidate_id=exclude_candidate_id,
    )


async def _edition_of(db: Database, *, identity: Identity, candidate_id: int) -> EditionDetail:
    row = await db.fetchrow("candidate_detail", candidate_id=candidate_id)
    if row is None:
        raise NotFound("Candidat introuvable.")
    edition = await get_edition(db, row["edition_slug"])
    await ensure_organiser_of_edition(db, identity=identity, edition_id=edition.id)
    return edition


async def _locked(db: Database, *, identity: Identity, candidate_id: int) -> tuple[Any, EditionDetail]:
    row = await db.fetchrow("candidate_for_update", candidate_id=candidate_id)
    if row is None:
        raise NotFound("Candidat introuvable.")
    edition = await get_edition(db, row["edition_slug"])
    await ensure_organiser_of_edition(db, identity=identity, edition_id=edition.id)
    return row, edition


async def _detail(db: Database, *, candidate_id: int, rules: CandidateRules) -> CandidateDetail:
    row = await db.fetchrow("candidate_detail", candidate_id=candidate_id)
    if row is None:
        raise NotFound("Candidat introuvable.")
    filled = frozenset(name for name, value in _values_of(row).items() if value)
    eligibility = check_application(
        Application(
            insee_code=row["insee_code"],
            legal_form=row["legal_form"],
            founded_on=row["founded_on"],
            requested_eur=row["requested_eur"],
            filled=filled,
        ),
        rules.eligibility,
    )
    override = (
        Override(
            reason=row["eligibility_override"],
            by=row["eligibility_overridden_by"],
            at=row["eligibility_overridden_at"],
        )
        if row["eligibility_overridden_at"] is not None
        else None
    )
    entry = (
        RoundEntry(
            id=row["round_id"],
            name=row["round_name"],
            kind=row["round_kind"],
            position=row["round_position"],
            round_status=row["round_status"],
            status=row["entry_status"],
            reason=row["entry_reason"] or "",
        )
        if row["round_id"] is not None
        else None
    )
    return CandidateDetail(
        candidate=CandidateView(
            id=row["id"],
            edition=row["edition_slug"],
            entry_number=row["entry_number"],
            kind=row["kind"],
            organisation_name=row["organisation_name"],
            person_name=row["person_name"],
            email=row["email"],
            insee_code=row["insee_code"],
            commune=row["commune"] or "",
            legal_form=row["legal_form"],
            founded_on=row["founded_on"],
            requested_eur=row["requested_eur"],
            creation_name=row["creation_name"],
            category=row["category_code"],
            category_name=row["category"],
            project_title=row["project_title"],
            withdrawn=row["withdrawn_at"] is not None,
            withdrawn_at=row["withdrawn_at"],
            withdrawal_reason=row["withdrawal_reason"],
        ),
        round=entry,
        eligibility=EligibilityView(
            eligible=eligibility.eligible,
            failures=list(eligibility.failures),
            override=override,
            accepted=eligibility.eligible or override is not None,
        ),
    )


async def _record_intake(db: Database, *, detail: CandidateDetail) -> None:
    """The first round entry follows the rules' verdict (or the override) while the round has not moved
    the candidate on (advanced, eliminated, laureate and withdrawn entries stay as they are)."""
    if detail.round is None:
        return
    status, reason = intake_status(
        Eligibility(failures=tuple(detail.eligibility.failures)),
        round_kind=detail.round.kind,
        overridden=detail.eligibility.override is not None,
    )
    if detail.eligibility.override is not None:
        reason = f"Dérogation : {detail.eligibility.override.reason}"
    await db.execute(
        "set_intake_status",
        candidate_id=detail.candidate.id,
        round_id=detail.round.id,
        status=status,
        reason=reason,
    )


def _columns(record: CandidateRecord) -> dict[str, Any]:
    return {
        "organisation_name": record.organisation_name,
        "person_name": record.person_name,
        "email": record.email,
        "insee_code": record.insee_code,
        "legal_form": record.legal_form,
        "founded_on": record.founded_on,
        "requested_eur": record.requested_eur,
        "entry_number": record.entry_number,
        "creation_name": record.creation_name,
        "category_id": record.category_id,
        "project_title": record.project_title,
    }


def _values_of(row: Any) -> dict[str, str]:
    """A stored candidate in the import's column names, as a file's cells would hold it."""
    return {
        "nom_structure": row["organisation_name"],
        "nom_porteur": row["person_name"],
        "courriel": row["email"],
        "code_insee": row["insee_code"],
        "forme_juridique": row["legal_form"],
        "date_creation": row["founded_on"].isoformat() if row["founded_on"] else "",
        "montant_demande": "" if row["requested_eur"] is None else str(row["requested_eur"]),
        "numero": "" if row["entry_number"] is None else str(row["entry_number"]),
        "creation": row["creation_name"],
        "categorie": row["category_code"] or "",
        "projet": row["project_title"],
    }


def _values_of_detail(detail: CandidateDetail) -> dict[str, str]:
    c = detail.candidate
    return _values_of(
        {
            "organisation_name": c.organisation_name,
            "person_name": c.person_name,
            "email": c.email,
            "insee_code": c.insee_code,
            "legal_form": c.legal_form,
            "founded_on": c.founded_on,
            "requested_eur": c.requested_eur,
            "entry_number": c.entry_number,
            "creation_name": c.creation_name,
            "category_code": c.category,
            "project_title": c.project_title,
        }
    )


def _filled(values: dict[str, str]) -> dict[str, str]:
    """A form sends every field; only the candidate's columns count."""
    return {name: values.get(name, "").strip() for name in COLUMNS}


def _required_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(
            "Un motif écrit est obligatoire.",
            errors=[FieldError(field="reason", message="Motif obligatoire.")],
        )
    return text


def _number_taken(number: int | None) -> Invalid:
    return Invalid(
        "Numéro déjà attribué : rien n'a été enregistré.",
        errors=[
            FieldError(field="numero", message=f"Numéro {number} déjà attribué à un candidat de l'édition.")
        ],
    )


async def _audit(
    db: Database, *, identity: Identity, action: str, candidate_id: int, payload: dict[str, Any]
) -> None:
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action=action,
        target=f"candidate:{candidate_id}",
        payload=msgspec.to_builtins(payload),
    )
