"""Setting up contests and editions without code or SQL: what the setup API and pages call.

An administrator creates a contest and names its organisers; an organiser creates the next edition of
their contest, usually by copying the previous one's setup (rounds, panels, zones, categories and grids,
prizes, signatories, rules), edits its settings and moves it through its lifecycle. Every change is one
audit event; every refusal names the field, and nothing is written partially (the caller's transaction,
plus a savepoint where a page shows a refusal instead of raising it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.access.policy import NOT_YOUR_CONTEST, actor_label, ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.contests import edition_lifecycle as lifecycle
from jury.contests.edition_lifecycle import EditionRules, EditionSnapshot
from jury.contests.setup_models import (
    CreatedEdition,
    EditionChanges,
    EditionMove,
    EditionSettings,
    NewEdition,
)
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from jury.french.dates import paris_day
from jury.labels import label

CANDIDATE_KINDS = ("company", "artisan", "organisation")
MIN_PASSWORD = 10
SETTINGS_FIELDS = tuple(EditionSettings.__struct_fields__)


def invalid(
    errors: list[FieldError], message: str = "Données invalides : rien n'a été enregistré."
) -> Invalid:
    return Invalid(message, errors=errors)


async def ensure_admin(db: Database, identity: Identity) -> None:
    if identity.kind != "organiser" or not await db.fetchval("setup_is_admin", person_id=identity.person_id):
        raise Forbidden("Réservé aux administrateurs du Département.")


# --- Editions ---------------------------------------------------------------------------------------------


async def edition_row(db: Database, slug: str) -> Mapping[str, Any]:
    row = await db.fetchrow("setup_edition_settings", slug=slug)
    if row is None:
        raise NotFound(f"Édition inconnue : {slug}")
    return row


def _settings(row: Mapping[str, Any]) -> EditionSettings:
    return msgspec.convert({k: row[k] for k in SETTINGS_FIELDS}, EditionSettings)


def _rules(row: Mapping[str, Any]) -> EditionRules:
    return msgspec.convert({k: row[k] for k in EditionRules.__struct_fields__}, EditionRules)


async def edition_settings(db: Database, *, identity: Identity, slug: str) -> EditionSettings:
    row = await edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    return _settings(row)


async def _check_rules(db: Database, *, rules: EditionRules, edition_id: int | None) -> None:
    """The pure checks, then those that need the database: communes that exist (outside the 92) and
    tie-break criteria that belong to the edition."""
    errors = lifecycle.settings_errors(rules)
    if not any(e.field == "accepted_outside_insee" for e in errors) and rules.accepted_outside_insee:
        known = {
            r["insee_code"]: r
            for r in await db.fetch("setup_known_communes", codes=rules.accepted_outside_insee)
        }
        unknown = [c for c in rules.accepted_outside_insee if c not in known]
        inside = [
            known[c]["name"]
            for c in rules.accepted_outside_insee
            if c in known and known[c]["department_code"] == "92"
        ]
        if unknown:
            errors.append(
                FieldError(
                    field="accepted_outside_insee", message=f"Commune inconnue : {', '.join(unknown)}."
                )
            )
        if inside:
            errors.append(
                FieldError(
                    field="accepted_outside_insee",
                    message=f"Déjà dans les Hauts-de-Seine, donc admise sans exception : {', '.join(inside)}.",
                )
            )
    wanted = lifecycle.criterion_ids(rules.tie_break_policy)
    if wanted and not any(e.field == "tie_break_policy" for e in errors):
        own = set()
        if edition_id is not None:
            own = {
                r["id"] for r in await db.fetch("setup_edition_criteria", edition_id=edition_id, ids=wanted)
            }
        foreign = [i for i in wanted if i not in own]
        if foreign:
            errors.append(
                FieldError(
                    field="tie_break_policy",
                    message="Critère de départage absent des grilles de l'édition : "
                    + ", ".join(f"criterion:{i}" for i in foreign),
                )
            )
    if errors:
        raise invalid(errors)


async def organised_contest(db: Database, *, identity: Identity, slug: str) -> Mapping[str, Any]:
    """The contest (404), once the caller is known to organise it or to administer every contest (403)."""
    contest = await db.fetchrow("setup_contest_of_person", slug=slug, person_id=identity.person_id)
    if contest is None:
        raise NotFound(f"Concours inconnu : {slug}")
    if identity.kind != "organiser" or not contest["organised"]:
        raise Forbidden(NOT_YOUR_CONTEST)
    return contest


async def create_edition(
    db: Database, *, identity: Identity, contest_slug: str, request: NewEdition
) -> CreatedEdition:
    """A new edition of the contest, empty or with the setup of `copy_from`, in preparation."""
    contest = await organised_contest(db, identity=identity, slug=contest_slug)
    editions = await db.fetch("setup_contest_editions", contest_id=contest["id"])
    source = None
    years = 0
    if request.copy_from is not None:
        source = await db.fetchrow("setup_edition_settings", slug=request.copy_from)
        if source is None or source["contest_id"] != contest["id"]:
            raise invalid(
                [
                    FieldError(
                        field="copy_from",
                        message=f"« {request.copy_from} » n'est pas une édition de ce concours.",
                    )
                ]
            )
        years = request.year - source["year"]
        base = _rules(source)
        base = msgspec.structs.replace(
            base,
            year=request.year,
            number=max(base.number + years, 1),
            theme="",
            opens_on=lifecycle.shift_years(base.opens_on, years),
            closes_on=lifecycle.shift_years(base.closes_on, years),
            decision_on=None,
        )
    else:
        latest = editions[0] if editions else None
        number = max(latest["number"] + request.year - latest["year"], 1) if latest else 1
        base = EditionRules(number=number, year=request.year)
    given = {k: v for k, v in request.given().items() if k not in ("year", "copy_from")}
    rules = _merge(base, given)
    slug = f"{contest_slug}-{request.year}"
    # Until the copy exists, a tie-break rule names the source's criteria (remapped once copied).
    await _check_rules(db, rules=rules, edition_id=source["id"] if source is not None else None)
    taken = await db.fetchrow(
        "setup_edition_taken", slug=slug, contest_id=contest["id"], year=request.year, number=rules.number
    )
    if taken["slug_taken"] or taken["year_taken"]:
        raise Conflict(
            f"L'édition {request.year} de ce concours existe déjà ({slug}).",
            errors=[FieldError(field="year", message="Une édition existe déjà pour cette année.")],
        )
    if taken["number_taken"]:
        raise Conflict(
            f"Le numéro {rules.number} est déjà celui d'une autre édition de ce concours.",
            errors=[FieldError(field="number", message="Numéro déjà pris.")],
        )
    values = msgspec.structs.asdict(rules)
    if source is not None:
        # The source's criteria ids are remapped once the criteria exist; until then no rule names them.
        values["tie_break_policy"] = [r for r in rules.tie_break_policy if not r.startswith("criterion:")]
    edition_id = await db.fetchval("setup_insert_edition", contest_id=contest["id"], slug=slug, **values)
    copied: dict[str, int] = {}
    if source is not None:
        copied = await _copy_setup(
            db, source_id=source["id"], edition_id=edition_id, years=years, policy=rules.tie_break_policy
        )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="edition.created",
        target=f"edition:{slug}",
        payload={
            "contest": contest_slug,
            "copied_from": request.copy_from,
            "copied": copied,
            "settings": msgspec.to_builtins(rules),
        },
    )
    settings = _settings(await edition_row(db, slug))
    return CreatedEdition(**msgspec.structs.asdict(settings), copied_from=request.copy_from, copied=copied)


def _merge(base: EditionRules, given: Mapping[str, Any]) -> EditionRules:
    """`base` with the named fields replaced; a null where a value is required is refused by name."""
    required = [k for k, v in given.items() if v is None and k in _REQUIRED]
    if required:
        raise invalid([FieldError(field=k, message="Ce champ ne peut pas être vide.") for k in required])
    return msgspec.structs.replace(base, **given)


_REQUIRED = frozenset(
    {
        "number",
        "theme",
        "place",
        "eligible_legal_forms",
        "accepted_outside_insee",
        "allow_multiple_prizes",
        "tie_break_policy",
        "retention_months",
    }
)


async def _copy_setup(
    db: Database, *, source_id: int, edition_id: int, years: int, policy: list[str]
) -> dict[str, int]:
    """The source's setup, table by table, onto the new edition; never its people, entries or results."""
    ids = {"source_id": source_id, "edition_id": edition_id}
    copied = {
        "signatories": await db.fetchval("setup_copy_signatories", **ids),
        "zones": await db.fetchval("setup_copy_zones", **ids),
        "categories": await db.fetchval("setup_copy_categories", **ids),
    }
    mapping = {r["old_id"]: r["new_id"] for r in await db.fetch("setup_copy_criteria", **ids)}
    copied["criteria"] = len(mapping)
    copied["prizes"] = await db.fetchval("setup_copy_prizes", **ids)
    copied["rounds"] = await db.fetchval("setup_copy_rounds", **ids, years=years)
    copied["panels"] = await db.fetchval("setup_copy_panels", **ids)
    copied["panel_categories"] = await db.fetchval("setup_copy_panel_categories", **ids)
    await db.execute("setup_copy_edition_rules", **ids)
    if any(r.startswith("criterion:") for r in policy):
        await db.execute(
            "setup_set_tie_break_policy",
            edition_id=edition_id,
            tie_break_policy=lifecycle.remap_policy(policy, mapping),
        )
    return copied


async def update_edition(
    db: Database, *, identity: Identity, slug: str, changes: EditionChanges
) -> EditionSettings:
    """Change the named settings; the whole result is checked, so a change cannot break a rule that
    involves a field it did not name (a budget lowered under the ceiling)."""
    if await db.fetchval("setup_lock_edition", slug=slug) is None:
        raise NotFound(f"Édition inconnue : {slug}")
    row = await edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    given = changes.given()
    current = _rules(row)
    changed = {k: v for k, v in given.items() if getattr(current, k) != v}
    locked = lifecycle.locked_fields(row["status"], list(changed))
    if locked:
        raise Conflict(
            f"L'édition est « {label(row['status'], 'edition')} » : ces réglages ne changent plus.",
            errors=[
                FieldError(field=f, message="Non modifiable dans cet état de l'édition.") for f in locked
            ],
        )
    rules = _merge(current, given)
    await _check_rules(db, rules=rules, edition_id=row["id"])
    if "number" in changed and await db.fetchval(
        "setup_number_taken", contest_id=row["contest_id"], number=rules.number, edition_id=row["id"]
    ):
        raise Conflict(
            f"Le numéro {rules.number} est déjà celui d'une autre édition de ce concours.",
            errors=[FieldError(field="number", message="Numéro déjà pris.")],
        )
    if changed:
        values = {k: v for k, v in msgspec.structs.asdict(rules).items() if k != "year"}
        await db.execute("setup_update_edition", edition_id=row["id"], **values)
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="edition.updated",
            target=f"edition:{slug}",
            payload={"changes": msgspec.to_builtins(changed)},
        )
    return _settings(await edition_row(db, slug))


async def edition_snapshot(db: Database, edition_id: int) -> EditionSnapshot:
    return msgspec.convert(
        dict(await db.fetchrow("setup_edition_snapshot", edition_id=edition_id)), EditionSnapshot
    )


async def move_edition(
    db: Database, *, identity: Identity, slug: str, status: str, reason: str = ""
) -> EditionMove:
    """One step of the lifecycle: 409 if the step does not exist from here, 422 with every missing thing."""
    if await db.fetchval("setup_lock_edition", slug=slug) is None:
        raise NotFound(f"Édition inconnue : {slug}")
    row = await edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    problem = lifecycle.move_problem(current=row["status"], target=status, reason=reason)
    if problem:
        raise Conflict(problem, errors=[FieldError(field="status", message=problem)])
    today = paris_day(db.now())
    backwards = lifecycle.BACK.get(row["status"]) == status
    if not backwards:
        needs = lifecycle.requirements(
            target=status, snapshot=await edition_snapshot(db, row["id"]), today=today
        )
        if needs:
            raise invalid(
                [FieldError(field=n.field, message=n.message) for n in needs],
                f"L'édition ne peut pas passer à l'état « {label(status, 'edition')} » : il manque ce qui "
                "est listé.",
            )
    decision_on = row["decision_on"]
    if status == "decided" and decision_on is None:
        decision_on = today
    await db.execute("setup_set_edition_status", edition_id=row["id"], status=status, decision_on=decision_on)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="edition.status_changed",
        target=f"edition:{slug}",
        payload={"from": row["status"], "to": status, "reason": reason, "decision_on": str(decision_on)},
    )
    return EditionMove(slug=slug, previous=row["status"], status=status, decision_on=decision_on)
