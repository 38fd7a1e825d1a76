"""Importing candidates and jurors into an edition: read, check everything, then write everything or nothing.

The file is read and validated in full before the first write, and the writes run in a savepoint of the
request's transaction with the audit event, so a failure at any point leaves the edition as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import msgspec

from jury.access.identity import Identity
from jury.access.policy import actor_label as label_of
from jury.audit.service import append_event
from jury.contests.eligibility import EditionRules, Eligibility
from jury.contests.models import EditionDetail
from jury.contests.service import get_edition, organised_edition
from jury.db.queries import Database
from jury.errors import FieldError, Invalid, NotFound
from jury.french.dates import paris_day
from jury.imports import parse, validate
from jury.imports.models import (
    IMPORT_KINDS,
    CandidateRecord,
    CandidateRules,
    CategoryRef,
    ChairRef,
    Commune,
    ExistingCandidate,
    ExistingLine,
    ImportKind,
    ImportReport,
    IneligibleLine,
    JurorRecord,
    JurorRules,
    PanelRef,
    Table,
    column_lookup,
    columns_for,
)
from jury.rounds.entries import place_in_only_panel
from jury.spreadsheet import french_csv


def check_kind(kind: str) -> ImportKind:
    if kind not in IMPORT_KINDS:
        raise NotFound(f"Type d'import inconnu : {kind} (candidats ou jures).")
    return kind  # type: ignore[return-value]


async def candidate_rules(
    db: Database,
    *,
    edition_id: int,
    candidate_kind: str,
    eligible_legal_forms: list[str],
    max_grant_eur: int | None,
    exclude_candidate_id: int | None = None,
) -> CandidateRules:
    """Everything one candidate is checked against: the columns' rules and the edition's eligibility.

    `exclude_candidate_id`: a candidate being corrected keeps its own number.
    """
    communes = [
        Commune(insee_code=r["insee_code"], name=r["name"], postal_codes=tuple(r["postal_codes"]))
        for r in await db.fetch("import_communes")
    ]
    if exclude_candidate_id is None:
        taken = await db.fetch("import_taken_entry_numbers", edition_id=edition_id)
    else:
        taken = await db.fetch(
            "candidate_taken_numbers", edition_id=edition_id, candidate_id=exclude_candidate_id
        )
    return CandidateRules(
        candidate_kind=candidate_kind,
        eligible_legal_forms=tuple(eligible_legal_forms),
        max_grant_eur=max_grant_eur,
        categories=tuple(await list_categories(db, edition_id)),
        communes=tuple(communes),
        taken_entry_numbers=frozenset(r["entry_number"] for r in taken),
        today=paris_day(db.now()),
        eligibility=await eligibility_rules(db, edition_id=edition_id, communes=communes),
    )


async def eligibility_rules(db: Database, *, edition_id: int, communes: list[Commune]) -> EditionRules:
    """The edition's rules as data, read at the moment a candidate enters or is corrected."""
    row = await db.fetchrow("edition_eligibility_rules", edition_id=edition_id)
    if row is None:
        raise NotFound("Édition introuvable.")
    department = await db.fetch("communes_of_department", department="92")
    labels = {column.name: column.label for column in columns_for("candidats")}
    return EditionRules(
        department_communes=frozenset(r["insee_code"] for r in department),
        accepted_outside=frozenset(row["accepted_outside_insee"]),
        commune_names={c.insee_code: c.name for c in communes},
        closes_on=row["closes_on"],
        max_company_age_years=row["max_company_age_years"],
        eligible_legal_forms=tuple(row["eligible_legal_forms"]),
        max_grant_eur=row["max_grant_eur"],
        required_fields={name: labels.get(name, name) for name in row["required_fields"]},
    )


def intake_status(eligibility: Eligibility, *, round_kind: str, overridden: bool = False) -> tuple[str, str]:
    """A first round entry's status and reason: `ineligible` with the reasons, unless an organiser
    overrode them; `eligible` in an eligibility round; otherwise `pending`, the round's work to come."""
    if eligibility.failures and not overridden:
        return "ineligible", " ; ".join(f.message for f in eligibility.failures)
    return ("eligible" if round_kind == "eligibility" else "pending"), ""


async def enter_first_round(
    db: Database, *, edition_id: int, entries: list[tuple[int, Eligibility]]
) -> dict[str, object] | None:
    """Put new candidates into the edition's first round with their intake status, before its panel when
    it has only one (as qualifiers enter a final); the round (id, name, kind, status), or None for an
    edition without rounds yet."""
    first = await db.fetchrow("edition_first_round", edition_id=edition_id)
    if first is None or not entries:
        return dict(first) if first else None
    statuses = [intake_status(eligibility, round_kind=first["kind"]) for _, eligibility in entries]
    candidate_ids = [candidate_id for candidate_id, _ in entries]
    await db.execute(
        "enter_candidates_in_round",
        round_id=first["id"],
        candidate_ids=candidate_ids,
        statuses=[status for status, _ in statuses],
        reasons=[reason for _, reason in statuses],
    )
    await place_in_only_panel(db, round_id=first["id"], candidate_ids=candidate_ids)
    return dict(first)


async def list_panels(db: Database, edition_id: int) -> list[PanelRef]:
    return [PanelRef(**dict(r)) for r in await db.fetch("import_panels", edition_id=edition_id)]


async def list_categories(db: Database, edition_id: int) -> list[CategoryRef]:
    return [CategoryRef(**dict(r)) for r in await db.fetch("import_categories", edition_id=edition_id)]


async def juror_rules(db: Database, *, edition_id: int) -> JurorRules:
    chairs = await db.fetch("import_panel_chairs", edition_id=edition_id)
    return JurorRules(
        panels=tuple(await list_panels(db, edition_id)), chairs=tuple(ChairRef(**dict(r)) for r in chairs)
    )


async def import_file(
    db: Database,
    *,
    edition_slug: str,
    kind: str,
    data: bytes,
    file_name: str,
    dry_run: bool,
    actor_id: int | None,
    actor_label: str,
    update_existing: bool = False,
) -> ImportReport:
    """Validate the whole file, then (unless `dry_run`) write all its rows and one audit event.

    Raises `Invalid` listing every error, line and column, and then nothing has been written. A candidate
    row naming one already in the edition (same e-mail, or same name in the same commune) is listed in the
    report and skipped, or with `update_existing` updates that candidate: importing a file twice never
    makes twins.
    """
    import_kind = check_kind(kind)
    edition = await get_edition(db, edition_slug)
    table = parse.read_table(data, file_name, known_headers=column_lookup(import_kind).keys())
    if not dry_run:
        # Taken before loading the rules, so what was checked is still true when it is written.
        await db.execute("lock_edition_imports", edition_id=edition.id)

    if import_kind == "candidats":
        rules = await candidate_rules(
            db,
            edition_id=edition.id,
            candidate_kind=edition.candidate_kind,
            eligible_legal_forms=edition.eligible_legal_forms,
            max_grant_eur=edition.max_grant_eur,
        )
        existing = await _existing_candidates(db, edition_id=edition.id)
        rules = msgspec.structs.replace(rules, existing=tuple(existing.values()))
        checked = validate.validate_candidates(table, rules)
        matches = validate.existing_matches(checked, rules.existing)
        updates = [(r, matches[r.line][0]) for r in checked if r.line in matches and update_existing]
        updates = [(r, found) for r, found in updates if not found.withdrawn]
        flagged = tuple(
            ExistingLine(
                line=r.line,
                candidate_id=matches[r.line][0].id,
                name=r.organisation_name or r.person_name,
                matched_on=matches[r.line][1],  # type: ignore[arg-type]
                updated=update_existing and not matches[r.line][0].withdrawn,
            )
            for r in checked
            if r.line in matches
        )
        candidates = [r for r in checked if r.line not in matches]
        ineligible = tuple(
            IneligibleLine(
                line=r.line, name=r.organisation_name or r.person_name, failures=r.eligibility.failures
            )
            for r in [*candidates, *(r for r, _ in updates)]
            if not r.eligibility.eligible
        )
        if dry_run:
            return ImportReport(
                kind=import_kind,
                dry_run=True,
                rows=len(checked),
                imported=0,
                ineligible=ineligible,
                existing=flagged,
            )
        numbers = validate.assign_entry_numbers(
            [r.entry_number for r in candidates], taken=rules.taken_entry_numbers
        )
        candidates = [
            msgspec.structs.replace(r, entry_number=n) for r, n in zip(candidates, numbers, strict=True)
        ]
        async with _all_or_nothing(db):
            ids = await _insert_candidates(
                db, edition_id=edition.id, kind=edition.candidate_kind, records=candidates
            )
            first = await enter_first_round(
                db,
                edition_id=edition.id,
                entries=[(i, r.eligibility) for i, r in zip(ids, candidates, strict=True)],
            )
            updated = await _update_candidates(db, edition_id=edition.id, updates=updates)
            await _audit(
                db,
                action="candidates.import",
                edition_slug=edition.slug,
                table=table,
                data=data,
                file_name=file_name,
                ids=ids,
                actor_id=actor_id,
                actor_label=actor_label,
                updated=updated,
            )
        return ImportReport(
            kind=import_kind,
            dry_run=False,
            rows=len(checked),
            imported=len(ids),
            ineligible=ineligible,
            round_name=str(first["name"]) if first else None,
            existing=flagged,
            updated=len(updated),
        )

    jurors = validate.validate_jurors(table, await juror_rules(db, edition_id=edition.id))
    emails = sorted({record.email.casefold() for record in jurors})
    known = {row["email"] for row in await db.fetch("import_known_emails", emails=emails)}
    memberships = len({(r.email.casefold(), r.panel_id) for r in jurors if r.panel_id is not None})
    if dry_run:
        return ImportReport(
            kind=import_kind,
            dry_run=True,
            rows=len(jurors),
            imported=0,
            new_people=len(set(emails) - known),
            memberships=memberships,
        )
    async with _all_or_nothing(db):
        person_ids, created = await _upsert_jurors(db, edition_id=edition.id, records=jurors)
        await _audit(
            db,
            action="jurors.import",
            edition_slug=edition.slug,
            table=table,
            data=data,
            file_name=file_name,
            ids=sorted(set(person_ids)),
            actor_id=actor_id,
            actor_label=actor_label,
        )
    return ImportReport(
        kind=import_kind,
        dry_run=False,
        rows=len(jurors),
        imported=len(jurors),
        new_people=created,
        memberships=memberships,
    )


@dataclass(frozen=True, slots=True)
class ImportPage:
    """What the organisers' import page shows: the edition's categories and panels (the values a file may
    name), and the outcome of the file just sent, if any: a report, or the refusal with every error."""

    edition: EditionDetail
    categories: list[CategoryRef]
    panels: list[PanelRef]
    report: ImportReport | None = None
    failure: Invalid | None = None


async def import_page(db: Database, *, identity: Identity, slug: str) -> ImportPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return ImportPage(
        edition=edition,
        categories=await list_categories(db, edition.id),
        panels=await list_panels(db, edition.id),
    )


async def import_from_page(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    kind: str,
    data: bytes,
    file_name: str,
    dry_run: bool,
    update_existing: bool = False,
) -> ImportPage:
    """An organiser's file sent from the page: checked or imported, and the page to show again. A refused
    file is part of the page (every error listed), not an error page."""
    page = await import_page(db, identity=identity, slug=slug)  # an import adds no category nor panel
    report, failure = None, None
    try:
        # Not `import_for_organiser`: the page names a missing file in its own words (« fichier »).
        report = await import_file(
            db,
            edition_slug=slug,
            kind=kind,
            data=data,
            file_name=file_name,
            dry_run=dry_run,
            actor_id=identity.person_id,
            actor_label=label_of(identity),
            update_existing=update_existing,
        )
    except Invalid as exc:
        failure = exc
    return ImportPage(
        edition=page.edition, categories=page.categories, panels=page.panels, report=report, failure=failure
    )


async def import_for_organiser(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    kind: str,
    data: bytes,
    file_name: str,
    dry_run: bool,
    update_existing: bool = False,
) -> ImportReport:
    """The API's import: the kind (404), the organiser's scope (404, 403), a file at all (422), then
    `import_file` with the organiser as the actor."""
    check_kind(kind)
    await organised_edition(db, identity=identity, slug=slug)
    if not data and not file_name:
        missing = FieldError(field="file", message="Envoyez le fichier dans le champ « file ».")
        raise Invalid("Aucun fichier reçu : rien n'a été importé.", errors=[missing])
    return await import_file(
        db,
        edition_slug=slug,
        kind=kind,
        data=data,
        file_name=file_name,
        dry_run=dry_run,
        actor_id=identity.person_id,
        actor_label=label_of(identity),
        update_existing=update_existing,
    )


async def import_template(db: Database, *, identity: Identity, slug: str, kind: str) -> tuple[str, bytes]:
    """The file name and bytes of an empty file to fill in: the header line only, in the French CSV
    dialect (UTF-8 with BOM, semicolons) that Excel on a French Windows opens as is."""
    import_kind = check_kind(kind)
    edition = await organised_edition(db, identity=identity, slug=slug)
    content = french_csv([column.name for column in columns_for(import_kind)], [])
    return f"modele-{import_kind}-{edition.slug}.csv", content


@asynccontextmanager
async def _all_or_nothing(db: Database) -> AsyncIterator[None]:
    """A savepoint whose constraint violations become a French 422, with the edition left untouched.

    Validation already ruled these out; they can only come from a concurrent change made outside imports.
    """
    try:
        async with db.transaction():
            yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise Invalid(
            "L'édition a changé pendant l'import (numéro, président ou candidat enregistré "
            "entre-temps) : rien n'a été importé, réessayez."
        ) from exc


async def _existing_candidates(db: Database, *, edition_id: int) -> dict[int, ExistingCandidate]:
    rows = await db.fetch("import_existing_candidates", edition_id=edition_id)
    return {
        r["id"]: ExistingCandidate(**{k: v for k, v in dict(r).items() if k != "overridden"}) for r in rows
    }


async def _update_candidates(
    db: Database, *, edition_id: int, updates: list[tuple[CandidateRecord, ExistingCandidate]]
) -> list[int]:
    """The rows' values on the candidates they name (entry numbers kept), and their intake status again
    where no organiser overrode it; the ids updated."""
    if not updates:
        return []
    records = [r for r, _ in updates]
    rows = await db.fetch(
        "import_update_candidates",
        edition_id=edition_id,
        ids=[found.id for _, found in updates],
        organisation_names=[r.organisation_name for r in records],
        person_names=[r.person_name for r in records],
        emails=[r.email for r in records],
        insee_codes=[r.insee_code for r in records],
        legal_forms=[r.legal_form for r in records],
        founded_ons=[r.founded_on for r in records],
        requested_eurs=[r.requested_eur for r in records],
        creation_names=[r.creation_name for r in records],
        category_ids=[r.category_id for r in records],
        project_titles=[r.project_title for r in records],
    )
    first = await db.fetchrow("edition_first_round", edition_id=edition_id)
    overridden = {
        r["id"]
        for r in await db.fetch("import_existing_candidates", edition_id=edition_id)
        if r["overridden"]
    }
    if first is not None:
        for record, found in updates:
            if found.id in overridden:
                continue
            status, reason = intake_status(record.eligibility, round_kind=first["kind"])
            await db.execute(
                "set_intake_status", candidate_id=found.id, round_id=first["id"], status=status, reason=reason
            )
    return sorted(r["id"] for r in rows)


async def _insert_candidates(
    db: Database, *, edition_id: int, kind: str, records: list[CandidateRecord]
) -> list[int]:
    rows = await db.fetch(
        "insert_imported_candidates",
        edition_id=edition_id,
        kind=kind,
        organisation_names=[r.organisation_name for r in records],
        person_names=[r.person_name for r in records],
        emails=[r.email for r in records],
        insee_codes=[r.insee_code for r in records],
        legal_forms=[r.legal_form for r in records],
        founded_ons=[r.founded_on for r in records],
        requested_eurs=[r.requested_eur for r in records],
        entry_numbers=[r.entry_number for r in records],
        creation_names=[r.creation_name for r in records],
        category_ids=[r.category_id for r in records],
        project_titles=[r.project_title for r in records],
    )
    return [row["id"] for row in rows]


_ROLE_ORDER = {"juror": 0, None: 1, "chair": 2}


async def _upsert_jurors(
    db: Database, *, edition_id: int, records: list[JurorRecord]
) -> tuple[list[int], int]:
    """People first, each recorded as a juror of the edition (a row without a panel too: a replacement,
    a Grand jury member named later), then memberships with demotions before promotions: the one-chair
    index never trips."""
    person_ids: dict[str, int] = {}
    created = 0
    for record in records:
        key = record.email.casefold()
        if key in person_ids:
            continue
        row = await db.fetchrow(
            "upsert_imported_person", full_name=record.full_name, email=record.email, title=record.title
        )
        assert row is not None
        person_ids[key] = row["id"]
        created += int(row["created"])
    await db.execute("record_edition_jurors", edition_id=edition_id, person_ids=list(person_ids.values()))
    for record in sorted(records, key=lambda r: _ROLE_ORDER[r.role]):
        if record.panel_id is None:
            continue
        await db.execute(
            "upsert_imported_membership",
            panel_id=record.panel_id,
            person_id=person_ids[record.email.casefold()],
            role=record.role,
            is_professional=record.is_professional,
        )
    return list(person_ids.values()), created


async def _audit(
    db: Database,
    *,
    action: str,
    edition_slug: str,
    table: Table,
    data: bytes,
    file_name: str,
    ids: list[int],
    actor_id: int | None,
    actor_label: str,
    updated: list[int] | None = None,
) -> None:
    """The one audit call of an import: what file (by hash, not content), into which edition, which rows
    (and which existing candidates it updated, when asked)."""
    await append_event(
        db,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        target=f"edition:{edition_slug}",
        payload={
            "file_name": file_name,
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "file_type": table.file_type,
            "rows": len(table.rows),
            "ids": ids,
            **({"updated": updated} if updated else {}),
        },
    )
