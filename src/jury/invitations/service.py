"""Jurors' invitations and reminders by e-mail, and the table of what was sent to whom and when.

An invitation carries the juror's personal sign-in link and its QR code: the same credential as the printed
card (`jury.auth`), issued anew, so the previous card or invitation of that juror stops working (a code is
stored only hashed: it cannot be sent again). A reminder goes, before the round's date, to each juror of an
open round who still has sheets to validate; it carries no credential. Both are multipart e-mails (text and
HTML) sent by the job queue with retries (`jury.outbox`).
"""

from __future__ import annotations

import datetime as dt
import io

import msgspec
import segno

from jury.access.identity import Identity
from jury.access.policy import actor_label, organised_round
from jury.audit.service import append_event
from jury.auth.service import issue_cards
from jury.contests.models import EditionDetail
from jury.contests.service import get_edition, organised_edition
from jury.db.queries import Database
from jury.errors import Conflict, JuryError, NotFound
from jury.french.dates import french_date, paris_day
from jury.outbox import service as outbox
from jury.settings import Settings

JUROR_KINDS = ("juror_invitation", "juror_reminder")
QR_CID = "qr-acces"


class InvitedJuror(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    email: str
    title: str
    has_code: bool
    invited_at: dt.datetime | None


class ReminderRound(msgspec.Struct, frozen=True, kw_only=True):
    """An open round, and how many of its jurors still have sheets to validate."""

    id: int
    name: str
    scheduled_on: dt.date | None
    jurors: int
    sheets: int


class Sending(msgspec.Struct, frozen=True, kw_only=True):
    """What an invitation or a reminder queued: one message per juror."""

    person_ids: list[int]
    mail_ids: list[int]


class InvitationsPage(msgspec.Struct, frozen=True, kw_only=True):
    edition: EditionDetail
    jurors: list[InvitedJuror]
    rounds: list[ReminderRound]
    messages: list[outbox.SentMessage]
    mail_configured: bool
    notice: str = ""
    error: object = None

    @property
    def status_code(self) -> int:
        return self.error.status_code if isinstance(self.error, JuryError) else 200

    def context(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def _open_for_jurors(edition: EditionDetail) -> None:
    if edition.status in ("decided", "archived"):
        raise Conflict("L'édition est décidée : ses jurés ne sont plus invités.")


async def invite(
    db: Database, *, identity: Identity, settings: Settings, slug: str, person_ids: list[int] | None
) -> Sending:
    """Invite these jurors of the edition (all of them when None): a new code each, e-mailed with its link."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    outbox.require_configured(settings)
    _open_for_jurors(edition)
    jurors = {r["person_id"]: r for r in await db.fetch("invitation_jurors", edition_id=edition.id)}
    targets = list(jurors) if person_ids is None else list(dict.fromkeys(person_ids))
    if any(person_id not in jurors for person_id in targets):
        raise NotFound("Juré inconnu dans cette édition.")
    if not targets:
        raise Conflict("Aucun juré à inviter dans cette édition.")
    cards = await issue_cards(
        db, identity=identity, edition_id=edition.id, edition_slug=edition.slug, person_ids=targets
    )
    base = settings.base_url.rstrip("/")
    mail_ids = []
    for card in cards:
        url = f"{base}/acces/{card.code}"
        mail_ids.append(
            await outbox.queue_mail(
                db,
                settings=settings,
                edition_id=edition.id,
                kind="juror_invitation",
                to=jurors[card.person_id]["email"],
                name=card.full_name,
                subject=f"Votre accès de juré — {edition.contest_name} {edition.year}",
                bodies=outbox.render(
                    settings,
                    "juror_invitation",
                    edition=edition,
                    name=card.full_name,
                    url=url,
                    code=card.code,
                    access_url=f"{base}/acces",
                    qr_cid=QR_CID,
                ),
                images=[outbox.InlineImage(cid=QR_CID, data=qr_png(url))],
                person_id=card.person_id,
                queued_by=identity.person_id,
            )
        )
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="jurors.invited",
        target=f"edition:{edition.slug}",
        payload={"person_ids": targets, "mail_ids": mail_ids},
    )
    return Sending(person_ids=targets, mail_ids=mail_ids)


async def remind(db: Database, *, identity: Identity, settings: Settings, round_id: int) -> Sending:
    """Remind each juror of an open round who still has sheets to validate, before the round's date."""
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    outbox.require_configured(settings)
    if rnd.status != "open":
        raise Conflict(f"Le tour « {rnd.name} » n'est pas en notation : aucun rappel à envoyer.")
    today = paris_day(db.now())
    if rnd.scheduled_on is not None and rnd.scheduled_on < today:
        raise Conflict(
            f"La date du tour « {rnd.name} » ({french_date(rnd.scheduled_on)}) est passée : aucun rappel."
        )
    late = await db.fetch("reminder_jurors", round_id=round_id)
    if not late:
        raise Conflict(f"Toutes les fiches du tour « {rnd.name} » sont validées : aucun rappel à envoyer.")
    edition = await get_edition(db, rnd.edition_slug)
    base = settings.base_url.rstrip("/")
    mail_ids = []
    for juror in late:
        mail_ids.append(
            await outbox.queue_mail(
                db,
                settings=settings,
                edition_id=edition.id,
                kind="juror_reminder",
                to=juror["email"],
                name=juror["full_name"],
                subject=f"Fiches à valider — {rnd.name}, {edition.contest_name} {edition.year}",
                bodies=outbox.render(
                    settings,
                    "juror_reminder",
                    edition=edition,
                    name=juror["full_name"],
                    unfinished=juror["unfinished"],
                    round_name=rnd.name,
                    deadline=rnd.scheduled_on,
                    access_url=f"{base}/acces",
                ),
                person_id=juror["person_id"],
                round_id=round_id,
                queued_by=identity.person_id,
            )
        )
    person_ids = [juror["person_id"] for juror in late]
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=actor_label(identity),
        action="jurors.reminded",
        target=f"round:{round_id}",
        payload={"person_ids": person_ids, "mail_ids": mail_ids},
    )
    return Sending(person_ids=person_ids, mail_ids=mail_ids)


async def messages(db: Database, *, identity: Identity, slug: str) -> list[outbox.SentMessage]:
    """What was sent to the edition's jurors, to whom and when, newest first."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await outbox.sent_messages(db, edition_id=edition.id, kinds=JUROR_KINDS)


async def invitations_page(
    db: Database, *, identity: Identity, settings: Settings, slug: str, notice: str = "", error: object = None
) -> InvitationsPage:
    edition = await organised_edition(db, identity=identity, slug=slug)
    return InvitationsPage(
        edition=edition,
        jurors=[InvitedJuror(**dict(r)) for r in await db.fetch("invitation_jurors", edition_id=edition.id)],
        rounds=[ReminderRound(**dict(r)) for r in await db.fetch("reminder_rounds", edition_id=edition.id)],
        messages=await outbox.sent_messages(db, edition_id=edition.id, kinds=JUROR_KINDS),
        mail_configured=outbox.is_configured(settings),
        notice=notice,
        error=error,
    )


async def invite_from_page(
    db: Database, *, identity: Identity, settings: Settings, slug: str, person_id: int | None
) -> InvitationsPage:
    try:
        async with db.transaction():
            sent = await invite(
                db,
                identity=identity,
                settings=settings,
                slug=slug,
                person_ids=None if person_id is None else [person_id],
            )
    except JuryError as exc:
        return await invitations_page(db, identity=identity, settings=settings, slug=slug, error=exc)
    count = len(sent.mail_ids)
    notice = f"{count} invitation{'s' if count > 1 else ''} en cours d'envoi."
    return await invitations_page(db, identity=identity, settings=settings, slug=slug, notice=notice)


async def remind_from_page(
    db: Database, *, identity: Identity, settings: Settings, round_id: int
) -> InvitationsPage:
    rnd = await organised_round(db, identity=identity, round_id=round_id)
    try:
        async with db.transaction():
            sent = await remind(db, identity=identity, settings=settings, round_id=round_id)
    except JuryError as exc:
        return await invitations_page(
            db, identity=identity, settings=settings, slug=rnd.edition_slug, error=exc
        )
    count = len(sent.mail_ids)
    notice = f"{count} rappel{'s' if count > 1 else ''} en cours d'envoi."
    return await invitations_page(
        db, identity=identity, settings=settings, slug=rnd.edition_slug, notice=notice
    )
