"""Public applications: the form and its checks, the private link, documents, and the organiser's decision.

The form's fields are the import's columns, checked by the import's checks of one line
(`jury.imports.validate.validate_candidate`) and the edition's eligibility rules
(`jury.contests.eligibility.check_application`, through the same record): an application is checked as the
applicant types, and again when sent; one that fails a rule is refused with each reason. Accepting one makes
it a candidate through `jury.candidates.service.add_candidate`, so it enters the first round as an imported
candidate does. Documents are recognised from their first bytes, capped in size, and stored under the data
directory by their SHA-256 (an S3-compatible store is not supported).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from pathlib import Path
from typing import Any

import msgspec
import structlog

from jury.access.identity import Identity
from jury.access.policy import actor_label, ensure_organiser_of_edition
from jury.applications.form import (
    DOCUMENT_TYPES,
    HONEYPOT,
    MAX_DOCUMENTS,
    document_problem,
    document_type,
    form_fields,
    required_columns,
    rule_field,
)
from jury.applications.models import (
    STATUS_LABELS,
    ApplicationCheck,
    ApplicationView,
    DetailPage,
    Document,
    FormPage,
    ListPage,
)
from jury.audit.service import append_event
from jury.candidates.service import add_candidate
from jury.contests.eligibility import Application, EligibilityFailure, check_application
from jury.contests.models import EditionDetail
from jury.contests.service import get_edition, organised_edition
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, JuryError, NotFound, Throttled
from jury.french.dates import french_date, paris_day
from jury.french.durations import wait_in_words
from jury.imports import validate
from jury.imports.models import CandidateRecord, CandidateRules, columns_for, required_for
from jury.imports.service import candidate_rules
from jury.outbox import service as outbox
from jury.settings import Settings

log = structlog.get_logger(__name__)

FORM_COLUMNS = (
    "nom_structure",
    "nom_porteur",
    "courriel",
    "code_insee",
    "forme_juridique",
    "date_creation",
    "montant_demande",
    "creation",
    "categorie",
    "projet",
)
APPLICANT = "candidat"
"""How the audit trail names an applicant: no account, no person id."""
PER_EMAIL_PER_HOUR = 3
"""Applications one e-mail address may send in an hour, whatever the client address (the form's other limit,
`JURY_APPLICATIONS_PER_HOUR`, counts per client address)."""
LABELS = {column.name: column.label for column in columns_for("candidats")}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def private_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/candidature/{token}"


# --- The public form -------------------------------------------------------------------------------------


def closed_reason(edition: EditionDetail, *, today: Any) -> str:
    """Why the edition takes no application today, in French, or "" while it does."""
    name = f"« {edition.contest_name} {edition.year} »"
    if edition.status != "applications":
        return f"Les candidatures à {name} ne sont pas ouvertes."
    if edition.opens_on and today < edition.opens_on:
        return f"Les candidatures à {name} ouvriront le {french_date(edition.opens_on)}."
    if edition.closes_on and today > edition.closes_on:
        return f"Les candidatures à {name} ont été closes le {french_date(edition.closes_on)}."
    return ""


async def _rules(db: Database, edition: EditionDetail) -> CandidateRules:
    return await candidate_rules(
        db,
        edition_id=edition.id,
        candidate_kind=edition.candidate_kind,
        eligible_legal_forms=edition.eligible_legal_forms,
        max_grant_eur=edition.max_grant_eur,
    )


def _fields(edition: EditionDetail, rules: CandidateRules) -> list:
    eligibility = rules.eligibility
    shown = eligibility.department_communes | eligibility.accepted_outside
    communes = sorted(
        ((c.insee_code, c.name) for c in rules.communes if c.insee_code in shown), key=lambda c: c[1]
    )
    return form_fields(
        candidate_kind=edition.candidate_kind,
        required=required_columns(
            required_for("candidats", edition.candidate_kind), eligibility.required_fields
        ),
        legal_forms=edition.eligible_legal_forms,
        max_grant_eur=edition.max_grant_eur,
        max_company_age_years=eligibility.max_company_age_years,
        categories=[(c.code, c.name) for c in rules.categories],
        communes=communes,
    )


async def form_page(db: Database, *, settings: Settings, slug: str) -> FormPage:
    edition = await get_edition(db, slug)
    reason = closed_reason(edition, today=paris_day(db.now()))
    if reason:
        return FormPage(edition=edition, open=False, closed_reason=reason)
    rules = await _rules(db, edition)
    values = {}
    if len(rules.categories) == 1:
        values["categorie"] = rules.categories[0].code
    return FormPage(
        edition=edition,
        open=True,
        fields=_fields(edition, rules),
        values=values,
        max_document_bytes=settings.application_document_max_bytes,
    )


def _form_values(values: dict[str, str]) -> dict[str, str]:
    return {name: (values.get(name) or "").strip() for name in FORM_COLUMNS}


def _verdict(
    values: dict[str, str], rules: CandidateRules
) -> tuple[CandidateRecord | None, list[FieldError]]:
    """The record and no error, or None and the malformed fields."""
    try:
        return validate.validate_candidate(values, rules), []
    except Invalid as exc:
        return None, list(exc.errors)


def assess(values: dict[str, str], rules: CandidateRules) -> ApplicationCheck:
    """Malformed fields, then the edition's rules on what is well formed (a malformed field counts as empty),
    so an applicant sees every reason at once."""
    record, errors = _verdict(values, rules)
    if record is not None:
        failures = list(record.eligibility.failures)
    else:
        failures = list(
            check_application(_readable(values, {e.field for e in errors}), rules.eligibility).failures
        )
    return ApplicationCheck(eligible=not errors and not failures, errors=errors, failures=failures)


def _readable(values: dict[str, str], bad: set[str]) -> Application:
    """What the rules can read of a form with malformed fields (each counts as empty)."""

    def good(name: str) -> str:
        return "" if name in bad else values.get(name, "")

    founded_on = validate.parse_date(good("date_creation"))[0] if good("date_creation") else None
    requested = validate.parse_amount(good("montant_demande"))[0] if good("montant_demande") else None
    return Application(
        insee_code=good("code_insee").strip().upper(),
        legal_form=good("forme_juridique"),
        founded_on=founded_on,
        requested_eur=requested,
        filled=frozenset(name for name in FORM_COLUMNS if good(name)),
    )


async def check(db: Database, *, slug: str, values: dict[str, str]) -> ApplicationCheck:
    """The check the form calls as the applicant types; it writes nothing."""
    edition = await get_edition(db, slug)
    reason = closed_reason(edition, today=paris_day(db.now()))
    if reason:
        raise Conflict(reason)
    return assess(_form_values(values), await _rules(db, edition))


def _refusal(check: ApplicationCheck) -> Invalid:
    errors = list(check.errors) + [
        FieldError(field=rule_field(f.rule) or "formulaire", message=f.message) for f in check.failures
    ]
    count = f"{len(errors)} motif" + ("s" if len(errors) > 1 else "")
    return Invalid(f"Candidature refusée ({count}) : rien n'a été enregistré.", errors=errors)


def _checked_documents(settings: Settings, documents: list[tuple[str, bytes]], *, already: int) -> None:
    problems = [
        FieldError(field="documents", message=problem)
        for name, content in documents
        if (
            problem := document_problem(
                file_name=name, content=content, max_bytes=settings.application_document_max_bytes
            )
        )
    ]
    if already + len(documents) > MAX_DOCUMENTS:
        problems.append(
            FieldError(field="documents", message=f"{MAX_DOCUMENTS} documents au plus par candidature.")
        )
    if problems:
        raise Invalid("Document refusé : rien n'a été enregistré.", errors=problems)


def _write(directory: Path, digest: str, content: bytes) -> None:
    """Content-addressed and written whole (a temporary name, then a rename), so a reader never sees half."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / digest
    if path.exists():
        return
    partial = directory / f".{digest}.{secrets.token_hex(4)}"
    partial.write_bytes(content)
    partial.replace(path)


def _documents_dir(settings: Settings) -> Path:
    return settings.storage_dir / "applications"


async def _store_documents(
    db: Database, *, settings: Settings, application_id: int, documents: list[tuple[str, bytes]]
) -> None:
    for name, content in documents:
        digest = hashlib.sha256(content).hexdigest()
        await asyncio.to_thread(_write, _documents_dir(settings), digest, content)
        await db.execute(
            "application_document_insert",
            application_id=application_id,
            file_name=(Path(name).name or "document")[:200],
            media_type=document_type(content[:16]),
            size_bytes=len(content),
            sha256=digest,
        )


async def submit(
    db: Database, *, settings: Settings, slug: str, values: dict[str, str], documents: list[tuple[str, bytes]]
) -> str:
    """A new application, checked, stored with its documents, acknowledged by e-mail; its private token."""
    if (values.get(HONEYPOT) or "").strip():
        log.info("application refused by the honeypot", edition=slug)
        raise Invalid("Envoi refusé.", errors=[FieldError(field=HONEYPOT, message="Champ à laisser vide.")])
    edition = await get_edition(db, slug)
    reason = closed_reason(edition, today=paris_day(db.now()))
    if reason:
        raise Conflict(reason)
    fields = _form_values(values)
    verdict = assess(fields, await _rules(db, edition))
    if not verdict.eligible:
        raise _refusal(verdict)
    _checked_documents(settings, documents, already=0)
    recent = await db.fetchval("applications_recent_from", email=fields["courriel"])
    if recent >= PER_EMAIL_PER_HOUR:
        raise Throttled(
            f"Trop de candidatures envoyées depuis l'adresse {fields['courriel']} : réessayez dans "
            f"{wait_in_words(3600)}.",
            retry_after=3600,
        )
    token = secrets.token_urlsafe(32)
    display_name = fields["nom_structure"] or fields["nom_porteur"]
    application_id = await db.fetchval(
        "application_insert",
        edition_id=edition.id,
        token_hash=token_hash(token),
        fields=fields,
        email=fields["courriel"],
        display_name=display_name,
    )
    await _store_documents(db, settings=settings, application_id=application_id, documents=documents)
    await append_event(
        db,
        actor_id=None,
        actor_label=APPLICANT,
        action="application.submitted",
        target=f"application:{application_id}",
        payload={"edition": edition.slug, "documents": len(documents)},
    )
    if outbox.is_configured(settings):
        await outbox.queue_mail(
            db,
            settings=settings,
            edition_id=edition.id,
            kind="application_ack",
            to=fields["courriel"],
            name=fields["nom_porteur"],
            subject=f"Candidature reçue — {edition.contest_name} {edition.year}",
            bodies=outbox.render(
                settings,
                "application_ack",
                edition=edition,
                name=display_name,
                url=private_url(settings, token),
                documents=[name for name, _ in documents],
            ),
            application_id=application_id,
        )
    else:
        log.warning("application acknowledged without e-mail: SMTP is not configured", edition=slug)
    return token


async def submit_page(
    db: Database, *, settings: Settings, slug: str, values: dict[str, str], documents: list[tuple[str, bytes]]
) -> tuple[FormPage, str | None]:
    """The form sent: its token, or the form again with every reason (nothing written)."""
    try:
        async with db.transaction():
            token = await submit(db, settings=settings, slug=slug, values=values, documents=documents)
    except Throttled:
        raise  # answered 429 with Retry-After by the error handler
    except JuryError as exc:
        page = await form_page(db, settings=settings, slug=slug)
        return msgspec.structs.replace(page, values=_form_values(values), error=exc), None
    return await form_page(db, settings=settings, slug=slug), token


# --- The private link -------------------------------------------------------------------------------------


async def _view(db: Database, row: Any, *, rules: CandidateRules | None = None) -> ApplicationView:
    documents = [
        Document(**dict(r)) for r in await db.fetch("application_documents_of", application_id=row["id"])
    ]
    fields = {name: str(row["fields"].get(name, "")) for name in FORM_COLUMNS}
    failures: list[EligibilityFailure] = []
    if rules is not None and row["status"] == "submitted":
        failures = list(assess(fields, rules).failures)
    return ApplicationView(
        id=row["id"],
        edition=row["edition_slug"],
        status=row["status"],
        status_label=STATUS_LABELS[row["status"]],
        display_name=row["display_name"],
        email=row["email"],
        fields=fields,
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
        decided_at=row["decided_at"],
        refusal_reason=row["refusal_reason"],
        candidate_id=row["candidate_id"],
        documents=documents,
        eligibility=failures,
    )


async def _by_token(db: Database, token: str) -> Any:
    row = await db.fetchrow("application_by_token", token_hash=token_hash(token))
    if row is None:
        raise NotFound("Lien de candidature inconnu.")
    return row


async def private_page(db: Database, *, settings: Settings, token: str, saved: bool = False) -> FormPage:
    """The applicant's own page: what they sent, its status, and the form while it may still change."""
    row = await _by_token(db, token)
    edition = await get_edition(db, row["edition_slug"])
    rules = await _rules(db, edition)
    view = await _view(db, row)
    reason = closed_reason(edition, today=paris_day(db.now()))
    editable = not reason and row["status"] == "submitted"
    return FormPage(
        edition=edition,
        open=not reason,
        closed_reason=reason,
        fields=_fields(edition, rules),
        values=view.fields,
        max_document_bytes=settings.application_document_max_bytes,
        application=view,
        editable=editable,
        saved=saved,
    )


async def complete(
    db: Database,
    *,
    settings: Settings,
    token: str,
    values: dict[str, str],
    documents: list[tuple[str, bytes]],
) -> int:
    """The applicant corrects fields or adds documents until the closing date, while not yet decided."""
    row = await _by_token(db, token)
    edition = await get_edition(db, row["edition_slug"])
    reason = closed_reason(edition, today=paris_day(db.now()))
    if reason:
        raise Conflict(reason + " La candidature ne peut plus être modifiée.")
    if row["status"] != "submitted":
        raise Conflict(
            f"La candidature a été {STATUS_LABELS[row['status']]} : elle ne peut plus être modifiée."
        )
    fields = _form_values(values)
    verdict = assess(fields, await _rules(db, edition))
    if not verdict.eligible:
        raise _refusal(verdict)
    already = len(await db.fetch("application_documents_of", application_id=row["id"]))
    _checked_documents(settings, documents, already=already)
    await db.execute(
        "application_update",
        application_id=row["id"],
        fields=fields,
        email=fields["courriel"],
        display_name=fields["nom_structure"] or fields["nom_porteur"],
    )
    await _store_documents(db, settings=settings, application_id=row["id"], documents=documents)
    changed = sorted(name for name in FORM_COLUMNS if fields[name] != str(row["fields"].get(name, "")))
    await append_event(
        db,
        actor_id=None,
        actor_label=APPLICANT,
        action="application.updated",
        target=f"application:{row['id']}",
        payload={"fields": changed, "documents_added": len(documents)},
    )
    return row["id"]


async def complete_page(
    db: Database,
    *,
    settings: Settings,
    token: str,
    values: dict[str, str],
    documents: list[tuple[str, bytes]],
) -> FormPage:
    try:
        async with db.transaction():
            await complete(db, settings=settings, token=token, values=values, documents=documents)
    except JuryError as exc:
        page = await private_page(db, settings=settings, token=token)
        return msgspec.structs.replace(page, values=_form_values(values), error=exc)
    return await private_page(db, settings=settings, token=token, saved=True)


# --- The organisers' side ----------------------------------------------------------------------------------


async def list_applications(db: Database, *, identity: Identity, slug: str) -> list[ApplicationView]:
    """The edition's applications, those to examine first, then the newest."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    rules = await _rules(db, edition)
    return [
        await _view(db, row, rules=rules)
        for row in await db.fetch("applications_of_edition", edition_id=edition.id)
    ]


async def _organised(
    db: Database, *, identity: Identity, application_id: int, lock: bool = False
) -> tuple[Any, EditionDetail]:
    row = await db.fetchrow(
        "application_for_update" if lock else "application_by_id", application_id=application_id
    )
    if row is None:
        raise NotFound("Candidature introuvable.")
    edition = await get_edition(db, row["edition_slug"])
    await ensure_organiser_of_edition(db, identity=identity, edition_id=edition.id)
    return row, edition


async def application(db: Database, *, identity: Identity, application_id: int) -> ApplicationView:
    row, edition = await _organised(db, identity=identity, application_id=application_id)
    return await _view(db, row, rules=await _rules(db, edition))


def _undecided(row: Any, edition: EditionDetail) -> None:
    if row["status"] != "submitted":
        raise Conflict(f"Cette candidature a déjà été {STATUS_LABELS[row['status']]}.")
    if edition.status in ("decided", "archived"):
        raise Conflict("L'édition est décidée : elle ne prend plus de candidat.")


async def accept(
    db: Database, *, identity: Identity, settings: Settings, application_id: int
) -> ApplicationView:
    """The applicant becomes a candidate of the edition, in its first round (as an added candidate does)."""
    row, edition = await _organised(db, identity=identity, application_id=application_id, lock=True)
    _undecided(row, edition)
    values = {name: value for name, value in row["fields"].items() if name in FORM_COLUMNS and value}
    detail = await add_candidate(db, identity=identity, slug=edition.slug, values=values)
    await db.execute(
        "application_accept",
        application_id=application_id,
        person_id=identity.person_id,
        candidate_id=detail.candidate.id,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="application.accepted",
        target=f"application:{application_id}",
        payload={"edition": edition.slug, "candidate_id": detail.candidate.id},
    )
    await _tell_decision(
        db,
        settings=settings,
        row=row,
        edition=edition,
        accepted=True,
        round_name=detail.round.name if detail.round else "",
        reason="",
    )
    return await application(db, identity=identity, application_id=application_id)


async def refuse(
    db: Database, *, identity: Identity, settings: Settings, application_id: int, reason: str
) -> ApplicationView:
    row, edition = await _organised(db, identity=identity, application_id=application_id, lock=True)
    text = (reason or "").strip()
    if not text:
        raise Invalid(
            "Un motif écrit est obligatoire.",
            errors=[FieldError(field="reason", message="Motif obligatoire.")],
        )
    _undecided(row, edition)
    await db.execute(
        "application_refuse", application_id=application_id, person_id=identity.person_id, reason=text
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="application.refused",
        target=f"application:{application_id}",
        payload={"edition": edition.slug, "reason": text},
    )
    await _tell_decision(
        db, settings=settings, row=row, edition=edition, accepted=False, round_name="", reason=text
    )
    return await application(db, identity=identity, application_id=application_id)


async def _tell_decision(
    db: Database,
    *,
    settings: Settings,
    row: Any,
    edition: EditionDetail,
    accepted: bool,
    round_name: str,
    reason: str,
) -> None:
    """The applicant hears of the decision by e-mail (when e-mail is set up); the private page says it too."""
    if not outbox.is_configured(settings):
        return
    verdict = "est acceptée" if accepted else "n'a pas été retenue"
    await outbox.queue_mail(
        db,
        settings=settings,
        edition_id=edition.id,
        kind="application_decision",
        to=row["email"],
        name=row["fields"].get("nom_porteur", ""),
        subject=f"Votre candidature {verdict} — {edition.contest_name} {edition.year}",
        bodies=outbox.render(
            settings,
            "application_decision",
            edition=edition,
            name=row["display_name"],
            accepted=accepted,
            round_name=round_name,
            reason=reason,
        ),
        application_id=row["id"],
    )


async def document(
    db: Database, *, identity: Identity, settings: Settings, application_id: int, document_id: int
) -> tuple[str, str, bytes]:
    """A document of an application, for an organiser of its edition: (file name, media type, content)."""
    await _organised(db, identity=identity, application_id=application_id)
    row = await db.fetchrow("application_document", application_id=application_id, document_id=document_id)
    if row is None:
        raise NotFound("Document introuvable.")
    path = _documents_dir(settings) / row["sha256"]
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        raise NotFound("Document absent du stockage.") from None
    return row["file_name"], row["media_type"], content


async def list_page(db: Database, *, identity: Identity, slug: str) -> ListPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return ListPage(edition=edition, applications=await list_applications(db, identity=identity, slug=slug))


async def detail_page(
    db: Database,
    *,
    identity: Identity,
    settings: Settings,
    application_id: int,
    action: str = "",
    reason: str = "",
) -> DetailPage:
    """The application's page; with an action (accept, refuse), its outcome first."""
    error: JuryError | None = None
    if action:
        try:
            async with db.transaction():
                if action == "accept":
                    await accept(db, identity=identity, settings=settings, application_id=application_id)
                else:
                    await refuse(
                        db, identity=identity, settings=settings, application_id=application_id, reason=reason
                    )
        except JuryError as exc:
            error = exc
    row, edition = await _organised(db, identity=identity, application_id=application_id)
    view = await _view(db, row, rules=await _rules(db, edition))
    return DetailPage(edition=edition, application=view, labels=LABELS, error=error)


__all__ = ["DOCUMENT_TYPES", "accept", "check", "complete", "form_page", "refuse", "submit"]
