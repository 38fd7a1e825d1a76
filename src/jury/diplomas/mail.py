"""E-mailing winners their private diploma link.

The standard library's `smtplib` is enough for a few dozen messages an edition; it blocks, so it runs
in a thread. One connection sends the whole batch. Neither the link (it opens the diploma) nor the SMTP
password is ever logged: the log says how many messages went to which server.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import structlog

from jury.errors import Invalid
from jury.settings import Settings

log = structlog.get_logger(__name__)


def link_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/diplome/{token}"


def compose(
    settings: Settings, *, to: str, laureate: str, contest_name: str, year: int, url: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = formataddr((laureate, to)) if laureate else to
    message["Subject"] = f"Votre diplôme — {contest_name} {year}"
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(
        f"Bonjour,\n\n"
        f"Félicitations ! Le diplôme qui vous a été décerné au concours « {contest_name} » ({year}) "
        f"est disponible à l'adresse suivante :\n\n{url}\n\n"
        "Ce lien vous est personnel : il permet de consulter et de télécharger votre diplôme. "
        "Ne le transmettez qu'aux personnes que vous souhaitez autoriser.\n\n"
        "Le diplôme porte un code de vérification : toute personne peut en vérifier l'authenticité "
        "sur le site du concours.\n\n"
        "Bien cordialement,\nL'équipe d'organisation\n"
    )
    return message


def check_configured(settings: Settings) -> None:
    if not settings.smtp_host or not settings.smtp_from:
        raise Invalid(
            "L'envoi d'e-mails n'est pas configuré (JURY_SMTP_HOST et JURY_SMTP_FROM). "
            "Copiez les liens et transmettez-les vous-même."
        )


def _send(settings: Settings, messages: Sequence[EmailMessage]) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for message in messages:
            smtp.send_message(message)


async def send_messages(settings: Settings, messages: Sequence[EmailMessage]) -> None:
    """Send all messages over one SMTP connection, off the event loop."""
    check_configured(settings)
    if not messages:
        return
    try:
        await asyncio.to_thread(_send, settings, list(messages))
    except (OSError, smtplib.SMTPException) as exc:
        # The exception text may quote the server's reply, never our password or the links.
        log.warning("diploma mail failed", smtp_host=settings.smtp_host, error=type(exc).__name__)
        raise Invalid(f"Le serveur d'e-mails a refusé l'envoi ({type(exc).__name__}).") from None
    log.info("diploma links mailed", smtp_host=settings.smtp_host, messages=len(messages))
