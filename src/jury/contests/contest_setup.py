"""Contests and their organisers, created and named by the Département's administrators."""

from __future__ import annotations

from jury.access.identity import Identity
from jury.access.passwords import hash_password
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.contests import edition_lifecycle as lifecycle
from jury.contests.models import Contest
from jury.contests.setup import CANDIDATE_KINDS, MIN_PASSWORD, ensure_admin, invalid
from jury.contests.setup_models import (
    NamedOrganiser,
    NewContest,
    NewOrganiser,
)
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, NotFound


async def create_contest(db: Database, *, identity: Identity, request: NewContest) -> Contest:
    """An administrator creates a contest (no edition yet); 409 if the slug is taken."""
    await ensure_admin(db, identity)
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
        raise invalid(errors)
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
    await ensure_admin(db, identity)
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
            raise invalid(errors)
        person = await db.fetchrow(
            "setup_insert_person",
            full_name=name,
            email=email,
            password_hash=hash_password(request.password or ""),
        )
        if person is None:
            raise Conflict("Ce compte vient d'être créé par ailleurs : recommencez.")
        created = True
    elif errors:
        raise invalid(errors)
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
