"""E-mails sent through the job queue, with retries: acknowledgements of applications, jurors' invitations
and reminders.

A message is composed (text and HTML alternatives, inline images), stored in `outgoing_mail` and enqueued
in the caller's transaction, so a message exists exactly when the act that wrote it was committed, and the
organiser's page lists it at once. A worker sends it through the SMTP settings the diplomas use
(`jury.diplomas.mail.send_messages`); a refusal or an unreachable server is written on the row and the job
asks PgQueuer to try again later, with a doubling delay, up to `MAX_ATTEMPTS`. The stored message may carry
a private link or an access code: it is cleared once sent (or given up), and neither is ever logged.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import functools
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import structlog
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pgqueuer.errors import RetryRequested

from jury.clock import Clock
from jury.db.queries import Database, Queries
from jury.diplomas.mail import check_configured, send_messages
from jury.errors import Invalid
from jury.french.dates import PARIS, french_date
from jury.jobs.queue import enqueue
from jury.settings import Settings

log = structlog.get_logger(__name__)

ENTRYPOINT = "mail.deliver"
MAX_ATTEMPTS = 5
"""Attempts before a message is given up (status `failed`, shown as such on the organiser's page)."""
RETRY_BASE_SECONDS = 30.0
"""Delay before the second attempt; each later one waits twice as long (30 s, 1 min, 2 min, 4 min)."""

KIND_LABELS = {
    "application_ack": "Accusé de réception de candidature",
    "application_decision": "Décision sur une candidature",
    "juror_invitation": "Invitation d'un juré",
    "juror_reminder": "Rappel des fiches à terminer",
}
STATUS_LABELS = {"queued": "en attente d'envoi", "sent": "envoyé", "failed": "échec"}


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    """The job's payload: the row to send, nothing personal."""

    mail_id: int


class InlineImage(msgspec.Struct, frozen=True, kw_only=True):
    """An image the HTML part shows with `<img src="cid:{cid}">` (a QR code)."""

    cid: str
    data: bytes
    subtype: str = "png"


class SentMessage(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the organiser's table of messages: to whom, what, when, and how it went."""

    id: int
    kind: str
    kind_label: str
    recipient: str
    person_name: str
    round_name: str
    subject: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    queued_at: dt.datetime
    sent_at: dt.datetime | None
    queued_on: str
    """`queued_at` as read in Paris: 27/11/2026 09:00."""
    sent_on: str


@functools.cache
def _environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_fr"] = french_date
    return env


def render(settings: Settings, template: str, **context: Any) -> tuple[str, str]:
    """The text and HTML bodies of `templates/mail/{template}.txt` and `.html`."""
    env = _environment(settings.templates_dir)
    return (
        env.get_template(f"mail/{template}.txt").render(**context),
        env.get_template(f"mail/{template}.html").render(**context),
    )


def compose(
    settings: Settings,
    *,
    to: str,
    name: str,
    subject: str,
    bodies: tuple[str, str],
    now: dt.datetime,
    images: Sequence[InlineImage] = (),
) -> EmailMessage:
    """A multipart/alternative message (text first, HTML second, with its inline images as related)."""
    text, html = bodies
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = formataddr((name, to)) if name else to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    html_part = message.get_payload()[1]
    for image in images:
        html_part.add_related(image.data, maintype="image", subtype=image.subtype, cid=f"<{image.cid}>")
    return message


def is_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_from)


def require_configured(settings: Settings) -> None:
    """Refuse (422, in French) an act whose whole point is an e-mail when SMTP is not set up."""
    check_configured(settings)


async def queue_mail(
    db: Database,
    *,
    settings: Settings,
    edition_id: int,
    kind: str,
    to: str,
    name: str,
    subject: str,
    bodies: tuple[str, str],
    images: Sequence[InlineImage] = (),
    person_id: int | None = None,
    application_id: int | None = None,
    round_id: int | None = None,
    queued_by: int | None = None,
) -> int:
    """Store the message and enqueue its sending in the caller's transaction; its id."""
    message = compose(settings, to=to, name=name, subject=subject, bodies=bodies, now=db.now(), images=images)
    mail_id = await db.fetchval(
        "outbox_insert",
        edition_id=edition_id,
        kind=kind,
        person_id=person_id,
        application_id=application_id,
        round_id=round_id,
        recipient=to,
        subject=subject,
        message=bytes(message),
        queued_by=queued_by,
    )
    await enqueue(db.conn, entrypoint=ENTRYPOINT, payload=Delivery(mail_id=mail_id))
    return mail_id


async def sent_messages(db: Database, *, edition_id: int, kinds: Sequence[str]) -> list[SentMessage]:
    """The edition's messages of these kinds, newest first."""
    rows = await db.fetch("outbox_of_edition", edition_id=edition_id, kinds=list(kinds))
    return [
        SentMessage(
            **dict(row),
            kind_label=KIND_LABELS.get(row["kind"], row["kind"]),
            status_label=STATUS_LABELS.get(row["status"], row["status"]),
            queued_on=_paris(row["queued_at"]),
            sent_on=_paris(row["sent_at"]),
        )
        for row in rows
    ]


def _paris(at: dt.datetime | None) -> str:
    return at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if at else "—"


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt (1: the first)."""
    return dt.timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (attempts - 1))


async def deliver(
    payload: bytes, *, pool: asyncpg.Pool, queries: Queries, settings: Settings, clock: Clock
) -> str:
    """The worker's side: send one stored message; 'sent', 'failed' (given up), or 'gone' (nothing to
    send: sent by an earlier attempt). Raises `RetryRequested` after a failure that may pass."""
    request = msgspec.json.decode(payload, type=Delivery)
    async with pool.acquire() as conn:
        db = Database(conn, queries, clock=clock)
        row = await db.fetchrow("outbox_pending", mail_id=request.mail_id)
        if row is None:
            return "gone"
        message = email.message_from_bytes(row["message"], policy=email.policy.default)
        try:
            await send_messages(settings, [message])
        except Invalid as exc:
            attempts = row["attempts"] + 1
            given_up = attempts >= MAX_ATTEMPTS
            await db.execute(
                "outbox_attempt_failed", mail_id=request.mail_id, error=exc.message[:500], given_up=given_up
            )
            log.warning("mail not sent", mail_id=request.mail_id, attempts=attempts, given_up=given_up)
            if given_up:
                return "failed"
            raise RetryRequested(delay=retry_delay(attempts), reason=exc.message) from None
        await db.execute("outbox_sent", mail_id=request.mail_id)
    log.info("mail sent", mail_id=request.mail_id, kind=row["kind"])
    return "sent"
