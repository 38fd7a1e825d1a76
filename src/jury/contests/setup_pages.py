"""The organisers' and administrators' setup pages: the same service functions as the API, a refusal shown
on the page (savepoint) instead of raised."""

from __future__ import annotations

import msgspec

from jury.access.identity import Identity
from jury.contests import edition_lifecycle as lifecycle
from jury.contests.contest_setup import create_contest, name_organiser
from jury.contests.edition_lifecycle import Requirement
from jury.contests.models import Contest
from jury.contests.service import organiser_contests
from jury.contests.setup import (
    create_edition,
    edition_settings,
    edition_snapshot,
    ensure_admin,
    invalid,
    move_edition,
    organised_contest,
    update_edition,
)
from jury.contests.setup_models import (
    EditionSettings,
    NewContest,
    NewEdition,
    NewOrganiser,
    rules_from_form,
)
from jury.db.queries import Database
from jury.errors import Conflict, FieldError, Invalid, JuryError
from jury.french.dates import paris_day


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
    snapshot = await edition_snapshot(db, settings.id)
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
                raise invalid(errors)
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
    await organised_contest(db, identity=identity, slug=contest_slug)
    try:
        async with db.transaction():
            year_text = form.get("year", "").strip()
            if not year_text.isdigit():
                raise invalid([FieldError(field="year", message="Année invalide (par exemple 2026).")])
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
    await ensure_admin(db, identity)
    return AdminPage(
        contests=await organiser_contests(db, identity=identity),
        error=error,
        error_contest=error_contest,
        typed=typed,
    )


async def create_contest_from_page(db: Database, *, identity: Identity, form: dict[str, str]) -> AdminPage:
    await ensure_admin(db, identity)
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
    await ensure_admin(db, identity)
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
