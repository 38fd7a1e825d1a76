"""Signing in organisers and jurors, and managing the access codes printed on jurors' cards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable

import msgspec

from jury.access.identity import Identity
from jury.access.passwords import hash_password, verify_password
from jury.access.policy import actor_label
from jury.audit.service import append_event
from jury.auth import codes
from jury.auth import limits as sign_in_limits
from jury.auth.limits import SignInLimits
from jury.contests.models import EditionDetail
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.errors import FieldError, Forbidden, Invalid, NotFound, Throttled


class IssuedCard(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    title: str
    code: str


class JurorCardStatus(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    title: str
    has_code: bool
    last_used_at: object | None


async def _limited(
    db: Database,
    *,
    keys: list[str],
    limits: SignInLimits | None,
    attempt: Callable[[], Awaitable[Identity]],
) -> Identity:
    """Run one sign-in attempt under the limits of its keys (credential, session).

    Refused (Throttled, 429) while a key is at its limit, before the credential is even checked (no
    password hash computed for a locked address); a refused credential (Invalid) counts against every key;
    a success forgets them. The failure is written by the caller's transaction, which commits: the pages
    answer a refused credential with the form again rather than by raising.
    """
    if limits is None:
        return await attempt()
    rows = await db.fetch("recent_sign_in_failures", keys=keys, window_seconds=limits.window_seconds)
    failures: dict[str, list] = defaultdict(list)
    for row in rows:
        failures[row["key"]].append(row["failed_at"])
    wait = sign_in_limits.wait_seconds(failures, limits=limits, now=db.now())
    if wait is not None:
        raise Throttled.sign_in(wait)
    try:
        identity = await attempt()
    except Invalid:
        await db.execute("record_sign_in_failure", keys=keys, window_seconds=limits.window_seconds)
        raise
    await db.execute("forget_sign_in_failures", keys=keys)
    return identity


def _session_keys(session_token: str | None) -> list[str]:
    return [sign_in_limits.session_key(session_token)] if session_token else []


async def sign_in_organiser(
    db: Database,
    *,
    email: str,
    password: str,
    limits: SignInLimits | None = None,
    session_token: str | None = None,
) -> Identity:
    """An organiser's e-mail and password; with `limits`, failures counted per address and per session."""

    async def attempt() -> Identity:
        row = await db.fetchrow("find_person_by_email", email=email.strip())
        if not verify_password(row["password_hash"] if row else None, password) or row is None:
            raise Invalid("Adresse e-mail ou mot de passe incorrect.")
        contests = await db.fetch("organiser_contest_ids", person_id=row["id"])
        if not contests and not row["is_admin"]:
            raise Forbidden("Ce compte n'organise aucun concours.")
        return Identity(
            person_id=row["id"], name=row["full_name"], kind="organiser", is_admin=row["is_admin"]
        )

    keys = [sign_in_limits.email_key(email), *_session_keys(session_token)]
    return await _limited(db, keys=keys, limits=limits, attempt=attempt)


async def create_organiser(
    db: Database,
    *,
    full_name: str,
    email: str,
    password: str,
    contest_slugs: list[str],
    is_admin: bool = False,
) -> int:
    if len(password) < 10:
        raise Invalid("Le mot de passe doit compter au moins 10 caractères.")
    person_id = await db.fetchval(
        "upsert_organiser",
        full_name=full_name,
        email=email,
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    for slug in contest_slugs:
        if await db.fetchval("add_organiser_contest", person_id=person_id, contest_slug=slug) is None:
            raise NotFound(f"Concours inconnu : {slug}")
    return person_id


async def juror_cards(db: Database, *, edition_id: int) -> list[JurorCardStatus]:
    return [
        JurorCardStatus(**dict(r)) for r in await db.fetch("edition_jurors_with_codes", edition_id=edition_id)
    ]


async def issue_codes(db: Database, *, edition_id: int, person_ids: list[int]) -> list[IssuedCard]:
    """(Re)issue codes: any active code of these jurors is revoked first, so a lost card stops working."""
    jurors = {j.person_id: j for j in await juror_cards(db, edition_id=edition_id)}
    unknown = [p for p in person_ids if p not in jurors]
    if unknown:
        raise NotFound("Juré inconnu dans cette édition.")
    cards = []
    for person_id in person_ids:
        await db.execute("revoke_access_code", edition_id=edition_id, person_id=person_id)
        code = codes.new_code()
        await db.execute(
            "insert_access_code", edition_id=edition_id, person_id=person_id, code_hash=codes.code_hash(code)
        )
        juror = jurors[person_id]
        cards.append(IssuedCard(person_id=person_id, full_name=juror.full_name, title=juror.title, code=code))
    return cards


async def revoke_code(db: Database, *, edition_id: int, person_id: int) -> bool:
    return await db.fetchval("revoke_access_code", edition_id=edition_id, person_id=person_id) is not None


async def issue_cards(
    db: Database, *, identity: Identity, edition_id: int, edition_slug: str, person_ids: list[int]
) -> list[IssuedCard]:
    """An organiser (re)issues cards: `issue_codes` plus its audit event, in the caller's transaction.

    The event names the jurors by id only; the codes themselves never reach the trail.
    """
    cards = await issue_codes(db, edition_id=edition_id, person_ids=person_ids)
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="access_codes.issued",
        target=f"edition:{edition_slug}",
        payload={"person_ids": [card.person_id for card in cards]},
    )
    return cards


async def revoke_card(
    db: Database, *, identity: Identity, edition_id: int, edition_slug: str, person_id: int
) -> bool:
    """An organiser revokes a juror's card; audited when a code was active (otherwise nothing changed)."""
    revoked = await revoke_code(db, edition_id=edition_id, person_id=person_id)
    if revoked:
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=actor_label(identity),
            action="access_code.revoked",
            target=f"edition:{edition_slug}",
            payload={"person_id": person_id},
        )
    return revoked


class CardsPage(msgspec.Struct, frozen=True, kw_only=True):
    """The organisers' cards page: the edition's jurors, and after an act, what it did."""

    edition: EditionDetail
    jurors: list[JurorCardStatus]
    issued: list[IssuedCard] | None = None
    """The cards just (re)issued, to print; None when nothing was issued."""
    revoked: bool = False
    revoke_asked: bool = False
    """A revocation was asked: `revoked` then says whether a card was active (otherwise nothing changed)."""


async def cards_page(db: Database, *, identity: Identity, slug: str) -> CardsPage:
    """The edition's jurors and whether each has a card, for an organiser of its contest."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return CardsPage(edition=edition, jurors=await juror_cards(db, edition_id=edition.id))


async def act_on_cards(
    db: Database, *, identity: Identity, slug: str, action: str, person_id: int | None
) -> CardsPage:
    """One act of the cards page: revoke one juror's card, or (re)issue cards for one juror, for those
    without one (`issue-missing`) or for everyone."""
    page = await cards_page(db, identity=identity, slug=slug)
    edition = page.edition
    if person_id is not None and person_id not in {j.person_id for j in page.jurors}:
        raise NotFound("Juré inconnu dans cette édition.")  # another edition's juror: nothing to act on
    if action == "revoke":
        if person_id is None:
            raise Invalid(
                "Choisissez le juré dont la carte est à révoquer.",
                errors=[FieldError(field="person_id", message="Juré à choisir.")],
            )
        revoked = await revoke_card(
            db, identity=identity, edition_id=edition.id, edition_slug=edition.slug, person_id=person_id
        )
        jurors = await juror_cards(db, edition_id=edition.id)
        return CardsPage(edition=edition, jurors=jurors, revoked=revoked, revoke_asked=True)
    if person_id is not None:
        targets = [person_id]
    elif action == "issue-missing":
        targets = [j.person_id for j in page.jurors if not j.has_code]
    else:
        targets = [j.person_id for j in page.jurors]
    cards = await issue_cards(
        db, identity=identity, edition_id=edition.id, edition_slug=edition.slug, person_ids=targets
    )
    return CardsPage(edition=edition, jurors=page.jurors, issued=cards)


async def sign_in_with_code(
    db: Database, *, typed: str, limits: SignInLimits | None = None, session_token: str | None = None
) -> Identity:
    """A juror's access code, typed or scanned; with `limits`, failures counted per code and per session."""
    code = codes.normalise(typed)
    code_hash = codes.code_hash(code or typed.strip() or "-")

    async def attempt() -> Identity:
        row = await db.fetchrow("use_access_code", code_hash=code_hash) if code else None
        if row is None:
            raise Invalid("Code d'accès inconnu ou révoqué.")
        return Identity(
            person_id=row["person_id"], name=row["full_name"], kind="juror", edition_id=row["edition_id"]
        )

    keys = [sign_in_limits.code_key(code_hash), *_session_keys(session_token)]
    return await _limited(db, keys=keys, limits=limits, attempt=attempt)
