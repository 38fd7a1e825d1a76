"""Setting up contests and editions without code or SQL: what the setup API and pages call.

An administrator creates a contest and names its organisers; an organiser creates the next edition of
their contest, usually by copying the previous one's setup (rounds, panels, zones, categories and grids,
prizes, signatories, rules), edits its settings and moves it through its lifecycle. Every change is one
audit event; every refusal names the field, and nothing is written partially (the caller's transaction,
plus a savepoint where a page shows a refusal instead of raising it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec
from argon2 import PasswordHasher

from jury.access.identity import Identity
from jury.access.policy import NOT_YOUR_CONTEST, actor_label, ensure_organiser_of_edition
from jury.audit.service import append_event
from jury.contests import edition_lifecycle as lifecycle
from jury.contests.edition_lifecycle import EditionRules, EditionSnapshot, Requirement
from jury.contests.models import Contest
from jury.contests.service import organiser_contests
from jury.contests.setup_models import (
    CreatedEdition,
    EditionChanges,
    EditionMove,
    EditionSettings,
    NamedOrganiser,
    NewContest,
    NewEdition,
    NewOrganiser,
    rules_from_form,
)
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Forbidden, Invalid, JuryError, NotFound
from jury.french.dates import paris_day
from jury.labels import label

# The same argon2id defaults as `jury.auth.passwords` (which this folder cannot import: auth reads
# contests), so an account created here signs in like any other.
_hasher = PasswordHasher()

CANDIDATE_KINDS = ("company", "artisan", "organisation")
MIN_PASSWORD = 10
SETTINGS_FIELDS = tuple(EditionSettings.__struct_fields__)


def _invalid(
    errors: list[FieldError], message: str = "Données invalides : rien n'a été enregistré."
) -> Invalid:
    return Invalid(message, errors=errors)


async def _ensure_admin(db: Database, identity: Identity) -> None:
    if identity.kind != "organiser" or not await db.fetchval("setup_is_admin", person_id=identity.person_id):
        raise Forbidden("Réservé aux administrateurs du Département.")


# --- Contests and their organisers ------------------------------------------------------------------------


async def create_contest(db: Database, *, identity: Identity, request: NewContest) -> Contest:
    """An administrator creates a contest (no edition yet); 409 if the slug is taken."""
    await _ensure_admin(db, identity)
    fields = {
        "slug": request.slug.strip(),
        "name": request.name.strip(),
        "organisers": request.organisers.strip(),
        "candidate_kind": request.candidate_kind,
        "description": request.description.strip(),
    }
    errors = []
    if not lifecycle.SLUG.fullmatch(fields["slug"]) or len(fields["slug"]) > 60:
        errors.append(
            FieldError(
                field="slug",
                message="Identifiant invalide : minuscules, chiffres et tirets (par exemple « made-in-92 »), "
                "60 caractères au plus.",
            )
        )
    for field, what in (("name", "Le nom"), ("organisers", "Le nom des organisateurs")):
        if not fields[field] or len(fields[field]) > 200:
            errors.append(
                FieldError(field=field, message=f"{what} est obligatoire (200 caractères au plus).")
            )
    if request.candidate_kind not in CANDIDATE_KINDS:
        errors.append(
            FieldError(
                field="candidate_kind",
                message="Type de candidats inconnu : company (entreprises), artisan (artisans) ou "
                "organisation (structures de l'ESS).",
            )
        )
    if errors:
        raise _invalid(errors)
    row = await db.fetchrow(
        "setup_insert_contest",
        slug=fields["slug"],
        contest_name=fields["name"],
        organisers=fields["organisers"],
        candidate_kind=fields["candidate_kind"],
        description=fields["description"],
    )
    if row is None:
        raise Conflict(
            f"L'identifiant « {fields['slug']} » est déjà celui d'un concours.",
            errors=[FieldError(field="slug", message="Identifiant déjà pris.")],
        )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="contest.created",
        target=f"contest:{row['slug']}",
        payload={"id": row["id"], **fields},
    )
    return Contest(**dict(row), editions=[])


async def name_organiser(
    db: Database, *, identity: Identity, contest_slug: str, request: NewOrganiser
) -> NamedOrganiser:
    """An administrator names an organiser of a contest: a known person (by e-mail) is linked as they are,
    a new one is created with the given first password."""
    await _ensure_admin(db, identity)
    contest = await db.fetchrow("setup_contest", slug=contest_slug)
    if contest is None:
        raise NotFound(f"Concours inconnu : {contest_slug}")
    email, name = request.email.strip(), request.name.strip()
    errors = []
    if not _email_ok(email):
        errors.append(FieldError(field="email", message="Adresse e-mail invalide."))
    person = await db.fetchrow("setup_find_person", email=email) if not errors else None
    created = False
    if person is None:
        if not name or len(name) > 200:
            errors.append(
                FieldError(field="name", message="Le nom est obligatoire (200 caractères au plus).")
            )
        if request.password is None or len(request.password) < MIN_PASSWORD:
            errors.append(
                FieldError(
                    field="password",
                    message=f"Nouveau compte : un mot de passe initial d'au moins {MIN_PASSWORD} caractères "
                    "est obligatoire.",
                )
            )
        if errors:
            raise _invalid(errors)
        person = await db.fetchrow(
            "setup_insert_person",
            full_name=name,
            email=email,
            password_hash=_hasher.hash(request.password or ""),
        )
        if person is None:
            raise Conflict("Ce compte vient d'être créé par ailleurs : recommencez.")
        created = True
    elif errors:
        raise _invalid(errors)
    linked = await db.fetchval("setup_link_organiser", person_id=person["id"], contest_id=contest["id"])
    if linked:
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="contest.organiser_named",
            target=f"contest:{contest_slug}",
            payload={"person_id": person["id"], "created": created},
        )
    return NamedOrganiser(
        contest_slug=contest_slug,
        person_id=person["id"],
        email=person["email"],
        full_name=person["full_name"],
        created=created,
    )


def _email_ok(email: str) -> bool:
    """The database's own rule for an e-mail (one @, a dot after it, no spaces)."""
    local, at, domain = email.partition("@")
    return bool(
        at and local and "." in domain.strip(".") and not any(c.isspace() or c == "@" for c in local + domain)
    )


# --- Editions ---------------------------------------------------------------------------------------------


async def _edition_row(db: Database, slug: str) -> Mapping[str, Any]:
    row = await db.fetchrow("setup_edition_settings", slug=slug)
    if row is None:
        raise NotFound(f"Édition inconnue : {slug}")
    return row


def _settings(row: Mapping[str, Any]) -> EditionSettings:
    return msgspec.convert({k: row[k] for k in SETTINGS_FIELDS}, EditionSettings)


def _rules(row: Mapping[str, Any]) -> EditionRules:
    return msgspec.convert({k: row[k] for k in EditionRules.__struct_fields__}, EditionRules)


async def edition_settings(db: Database, *, identity: Identity, slug: str) -> EditionSettings:
    row = await _edition_row(db, slug)
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
        raise _invalid(errors)


async def _organised_contest(db: Database, *, identity: Identity, slug: str) -> Mapping[str, Any]:
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
    contest = await _organised_contest(db, identity=identity, slug=contest_slug)
    editions = await db.fetch("setup_contest_editions", contest_id=contest["id"])
    source = None
    years = 0
    if request.copy_from is not None:
        source = await db.fetchrow("setup_edition_settings", slug=request.copy_from)
        if source is None or source["contest_id"] != contest["id"]:
            raise _invalid(
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
    settings = _settings(await _edition_row(db, slug))
    return CreatedEdition(**msgspec.structs.asdict(settings), copied_from=request.copy_from, copied=copied)


def _merge(base: EditionRules, given: Mapping[str, Any]) -> EditionRules:
    """`base` with the named fields replaced; a null where a value is required is refused by name."""
    required = [k for k, v in given.items() if v is None and k in _REQUIRED]
    if required:
        raise _invalid([FieldError(field=k, message="Ce champ ne peut pas être vide.") for k in required])
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
    row = await _edition_row(db, slug)
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
    return _settings(await _edition_row(db, slug))


async def _snapshot(db: Database, edition_id: int) -> EditionSnapshot:
    return msgspec.convert(
        dict(await db.fetchrow("setup_edition_snapshot", edition_id=edition_id)), EditionSnapshot
    )


async def move_edition(
    db: Database, *, identity: Identity, slug: str, status: str, reason: str = ""
) -> EditionMove:
    """One step of the lifecycle: 409 if the step does not exist from here, 422 with every missing thing."""
    if await db.fetchval("setup_lock_edition", slug=slug) is None:
        raise NotFound(f"Édition inconnue : {slug}")
    row = await _edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    problem = lifecycle.move_problem(current=row["status"], target=status, reason=reason)
    if problem:
        raise Conflict(problem, errors=[FieldError(field="status", message=problem)])
    today = paris_day(db.now())
    backwards = lifecycle.BACK.get(row["status"]) == status
    if not backwards:
        needs = lifecycle.requirements(target=status, snapshot=await _snapshot(db, row["id"]), today=today)
        if needs:
            raise _invalid(
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


# --- Signatories ------------------------------------------------------------------------------------------

MAX_SIGNATORIES = 4
"""What a diploma's footer holds (`jury.diplomas.models.DiplomaContext.signatories`)."""
SIGNATORY_TEXT = 120
"""The longest name or quality line a diploma lays out (`jury.diplomas.models.Text`)."""
# « Meilleur Ouvrier de France » is a State title: on a diploma it may only follow a signatory's name, as
# their distinction (the rule `jury.diplomas.models.DiplomaContext` enforces; checked here so that the
# organiser hears it when typing it, not when the diplomas fail to print).
_STATE_TITLE = re.compile(r"(?i:meilleurs?\s+ouvriers?\s+de\s+france)|\bM\.?O\.?F\b")


class SignatoryIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One signature block of the edition's diplomas, in the order printed (left to right)."""

    name: str
    title: str
    """The quality line printed above the name: « Le Président du Département des Hauts-de-Seine »."""
    distinction: str | None = None
    """Printed under the name, e.g. « Meilleur Ouvrier de France pâtissier » for a jury chair."""


class Signatory(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    name: str
    title: str
    distinction: str | None


def _signatory_errors(signatories: list[SignatoryIn]) -> list[FieldError]:
    errors = []
    if len(signatories) > MAX_SIGNATORIES:
        errors.append(
            FieldError(
                field="signatories", message=f"{MAX_SIGNATORIES} signataires au plus tiennent sur un diplôme."
            )
        )
    for i, s in enumerate(signatories):
        at = f"signatories[{i}]"
        for field, value in (("name", s.name), ("title", s.title), ("distinction", s.distinction or "")):
            if field != "distinction" and not value.strip():
                errors.append(FieldError(field=f"{at}.{field}", message="Ce champ est obligatoire."))
            elif len(value.strip()) > SIGNATORY_TEXT:
                errors.append(
                    FieldError(field=f"{at}.{field}", message=f"{SIGNATORY_TEXT} caractères au plus.")
                )
            elif field != "distinction" and _STATE_TITLE.search(value):
                errors.append(
                    FieldError(
                        field=f"{at}.{field}",
                        message="« Meilleur Ouvrier de France » se place dans la distinction du signataire.",
                    )
                )
    return errors


async def replace_signatories(
    db: Database, *, identity: Identity, slug: str, signatories: list[SignatoryIn]
) -> list[Signatory]:
    """The edition's whole list of signatories (an empty list removes them). Until the edition is archived:
    a decided edition's diplomas are printed afterwards, and are printed again with the new list."""
    if await db.fetchval("setup_lock_edition", slug=slug) is None:
        raise NotFound(f"Édition inconnue : {slug}")
    row = await _edition_row(db, slug)
    await ensure_organiser_of_edition(db, identity=identity, edition_id=row["id"])
    if row["status"] == "archived":
        raise Conflict(
            "L'édition est archivée : ses signataires ne changent plus.",
            errors=[FieldError(field="signatories", message="Non modifiable dans cet état de l'édition.")],
        )
    errors = _signatory_errors(signatories)
    if errors:
        raise _invalid(errors, "Signataires refusés : rien n'a été enregistré.")
    removed = await db.fetchval("setup_delete_signatories", edition_id=row["id"])
    stored = sorted(
        (
            Signatory(**dict(r))
            for r in await db.fetch(
                "setup_insert_signatories",
                edition_id=row["id"],
                names=[s.name.strip() for s in signatories],
                titles=[s.title.strip() for s in signatories],
                distinctions=[(s.distinction or "").strip() for s in signatories],
            )
        ),
        key=lambda s: s.position,
    )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="signatories.replaced",
        target=f"edition:{slug}",
        payload={"removed": removed, "signatories": msgspec.to_builtins(stored)},
    )
    return stored


# --- The organisers' pages ----------------------------------------------------------------------------------


class StepCheck(msgspec.Struct, frozen=True, kw_only=True):
    """A lifecycle button: the step, and what it still needs (empty when it can be taken now)."""

    status: str
    backwards: bool
    needs: list[Requirement]


class SettingsPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionSettings
    steps: list[StepCheck]
    error: JuryError | None = None
    typed: dict[str, str] | None = None
    """What was typed in the settings form when it is shown again after a refusal."""


class ContestsPage(msgspec.Struct, frozen=True, kw_only=True):
    contests: list[Contest]
    error: JuryError | None = None
    error_contest: str | None = None
    typed: dict[str, str] | None = None
    created: str | None = None
    """The slug of the edition just created (the page redirects to its settings instead)."""


class AdminPage(msgspec.Struct, frozen=True, kw_only=True):
    contests: list[Contest]
    error: JuryError | None = None
    error_contest: str | None = None
    """The contest whose organiser form was refused; None for the contest creation form."""
    typed: dict[str, str] | None = None
    done: str | None = None
    """The contest just created or given an organiser (the page redirects there)."""


async def settings_page(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    error: JuryError | None = None,
    typed: dict[str, str] | None = None,
) -> SettingsPage:
    settings = await edition_settings(db, identity=identity, slug=slug)
    snapshot = await _snapshot(db, settings.id)
    today = paris_day(db.now())
    steps = [
        StepCheck(
            status=step,
            backwards=lifecycle.BACK.get(settings.status) == step,
            needs=[]
            if lifecycle.BACK.get(settings.status) == step
            else lifecycle.requirements(target=step, snapshot=snapshot, today=today),
        )
        for step in lifecycle.next_steps(settings.status)
    ]
    return SettingsPage(edition=settings, steps=steps, error=error, typed=typed)


async def save_settings_from_page(
    db: Database, *, identity: Identity, slug: str, form: dict[str, str]
) -> SettingsPage:
    """The settings form: saved, or the page again with every refused field and what was typed."""
    try:
        async with db.transaction():
            changes, errors = rules_from_form(form)
            if errors:
                raise _invalid(errors)
            await update_edition(db, identity=identity, slug=slug, changes=changes)
    except (Invalid, Conflict) as exc:
        return await settings_page(db, identity=identity, slug=slug, error=exc, typed=form)
    return await settings_page(db, identity=identity, slug=slug)


async def move_edition_from_page(
    db: Database, *, identity: Identity, slug: str, status: str, reason: str
) -> SettingsPage:
    """A lifecycle button: moved, or the page again saying what the step still needs."""
    try:
        async with db.transaction():
            await move_edition(db, identity=identity, slug=slug, status=status, reason=reason)
    except (Invalid, Conflict) as exc:
        return await settings_page(db, identity=identity, slug=slug, error=exc)
    return await settings_page(db, identity=identity, slug=slug)


async def contests_page(
    db: Database,
    *,
    identity: Identity,
    error: JuryError | None = None,
    error_contest: str | None = None,
    typed: dict[str, str] | None = None,
) -> ContestsPage:
    return ContestsPage(
        contests=await organiser_contests(db, identity=identity),
        error=error,
        error_contest=error_contest,
        typed=typed,
    )


async def create_edition_from_page(
    db: Database, *, identity: Identity, contest_slug: str, form: dict[str, str]
) -> ContestsPage:
    """The « Nouvelle édition » form of a contest: the new edition's slug, or the list with the refusal."""
    await _organised_contest(db, identity=identity, slug=contest_slug)
    try:
        async with db.transaction():
            year_text = form.get("year", "").strip()
            if not year_text.isdigit():
                raise _invalid([FieldError(field="year", message="Année invalide (par exemple 2026).")])
            created = await create_edition(
                db,
                identity=identity,
                contest_slug=contest_slug,
                request=NewEdition(year=int(year_text), copy_from=form.get("copy_from") or None),
            )
    except (Invalid, Conflict) as exc:
        return await contests_page(db, identity=identity, error=exc, error_contest=contest_slug, typed=form)
    return ContestsPage(contests=[], created=created.slug)


async def admin_page(
    db: Database,
    *,
    identity: Identity,
    error: JuryError | None = None,
    error_contest: str | None = None,
    typed: dict[str, str] | None = None,
) -> AdminPage:
    await _ensure_admin(db, identity)
    return AdminPage(
        contests=await organiser_contests(db, identity=identity),
        error=error,
        error_contest=error_contest,
        typed=typed,
    )


async def create_contest_from_page(db: Database, *, identity: Identity, form: dict[str, str]) -> AdminPage:
    await _ensure_admin(db, identity)
    try:
        async with db.transaction():
            contest = await create_contest(
                db,
                identity=identity,
                request=NewContest(
                    slug=form.get("slug", ""),
                    name=form.get("name", ""),
                    organisers=form.get("organisers", ""),
                    candidate_kind=form.get("candidate_kind", ""),
                    description=form.get("description", ""),
                ),
            )
    except (Invalid, Conflict) as exc:
        return await admin_page(db, identity=identity, error=exc, typed=form)
    return AdminPage(contests=[], done=contest.slug)


async def name_organiser_from_page(
    db: Database, *, identity: Identity, contest_slug: str, form: dict[str, str]
) -> AdminPage:
    await _ensure_admin(db, identity)
    try:
        async with db.transaction():
            await name_organiser(
                db,
                identity=identity,
                contest_slug=contest_slug,
                request=NewOrganiser(
                    email=form.get("email", ""),
                    name=form.get("name", ""),
                    password=form.get("password") or None,
                ),
            )
    except (Invalid, Conflict) as exc:
        return await admin_page(db, identity=identity, error=exc, error_contest=contest_slug, typed=form)
    return AdminPage(contests=[], done=contest_slug)
