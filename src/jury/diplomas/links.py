"""Winners' private links to their diplomas: created (and e-mailed) by organisers, opened by winners,
revoked when they leak. Only a token's hash is stored: the token exists once, in the winner's inbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

import msgspec

from jury.access import policy
from jury.access.identity import Identity
from jury.audit.service import append_event
from jury.contests.service import organised_edition
from jury.db.queries import Database
from jury.diplomas import mail
from jury.diplomas.service import Source, StoredPdf, diploma_pdf, laureate_of, sources_of_edition
from jury.errors import JuryError, NotFound
from jury.french.dates import french_date
from jury.pdf.pool import PdfPool
from jury.settings import Settings


class LinkRefused(JuryError):
    """A winner's link that no longer opens: 404 unknown or revoked, 410 expired or diploma revoked."""

    def __init__(self, message: str, *, status_code: int, source: Source | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.source = source


class NewLink(msgspec.Struct, frozen=True, kw_only=True):
    """A link just created: the only moment its token exists outside the winner's inbox."""

    link_id: int
    diploma_id: int
    token: str
    laureate: str
    email: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_links(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    diploma_ids: Sequence[int] | None = None,
    expires_at: dt.datetime | None = None,
) -> list[NewLink]:
    """A fresh private link for each (chosen) diploma of the edition that is not revoked, for an organiser
    of its contest. Tokens are returned once and never stored: only their SHA-256 is, so nobody can read
    a link back later."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    return await _create_links(
        db, edition_id=edition.id, identity=identity, diploma_ids=diploma_ids, expires_at=expires_at
    )


async def email_links(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    settings: Settings,
    diploma_ids: Sequence[int] | None = None,
    expires_at: dt.datetime | None = None,
) -> int:
    """Creates the (chosen) winners' links and e-mails each winner theirs; returns how many were sent.

    The SMTP settings are checked before any link is made, and a link is marked e-mailed only once the
    server took the whole batch, so the page never says « envoyé » of a message that did not leave."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    mail.check_configured(settings)
    links = await _create_links(
        db, edition_id=edition.id, identity=identity, diploma_ids=diploma_ids, expires_at=expires_at
    )
    messages = [
        mail.compose(
            settings,
            to=link.email,
            laureate=link.laureate,
            contest_name=edition.contest_name,
            year=edition.year,
            url=mail.link_url(settings, link.token),
        )
        for link in links
    ]
    await mail.send_messages(settings, messages)
    for link in links:
        await db.execute("diploma_link_emailed", link_id=link.link_id)
    return len(links)


async def _create_links(
    db: Database,
    *,
    edition_id: int,
    identity: Identity,
    diploma_ids: Sequence[int] | None,
    expires_at: dt.datetime | None,
) -> list[NewLink]:
    """Links to the chosen diplomas of this edition; a chosen id that is not one of them is refused (404)
    before anything is written, rather than skipped in silence."""
    sources = await sources_of_edition(db, edition_id=edition_id)
    foreign = sorted(set(diploma_ids or ()) - {source["diploma_id"] for source in sources})
    if foreign:
        raise NotFound(f"Diplôme introuvable dans cette édition : n° {', '.join(map(str, foreign))}.")
    links = []
    for source in sources:
        if source["revoked_at"] is not None or (
            diploma_ids is not None and source["diploma_id"] not in diploma_ids
        ):
            continue
        token = secrets.token_urlsafe(32)
        link_id = await db.fetchval(
            "diploma_insert_link",
            token_hash=hash_token(token),
            diploma_id=source["diploma_id"],
            expires_at=expires_at,
        )
        await append_event(
            db,
            actor_id=identity.person_id,
            actor_label=policy.actor_label(identity),
            action="diploma.link.create",
            target=f"diploma:{source['diploma_id']}",
            payload={"link_id": link_id, "expires_at": expires_at.isoformat() if expires_at else None},
        )
        links.append(
            NewLink(
                link_id=link_id,
                diploma_id=source["diploma_id"],
                token=token,
                laureate=laureate_of(source),
                email=source["email"],
            )
        )
    return links


async def open_link(db: Database, *, token: str) -> Source:
    """The diploma behind a winner's link, or why the link no longer opens."""
    row = await db.fetchrow("diploma_link_by_hash", token_hash=hash_token(token))
    if row is None or row["link_revoked_at"] is not None:
        raise LinkRefused("Ce lien n'est pas (ou plus) valable.", status_code=404)
    if row["expired"]:
        raise LinkRefused("Ce lien a expiré. Demandez-en un nouveau aux organisateurs.", status_code=410)
    if row["revoked_at"] is not None:
        raise LinkRefused(
            f"Ce diplôme a été révoqué le {french_date(row['revoked_at'])} : {row['revoked_reason']}",
            status_code=410,
            source=row,
        )
    return row


async def link_pdf(db: Database, *, token: str, settings: Settings, renderer: PdfPool) -> StoredPdf:
    """The stored PDF of the diploma behind a winner's link, or `LinkRefused`."""
    source = await open_link(db, token=token)
    return await diploma_pdf(db, source, settings=settings, renderer=renderer)


async def revoke_link(db: Database, *, identity: Identity, slug: str, link_id: int) -> None:
    """Closes one winner's link (the diploma stays valid; a new link can be made)."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    row = await db.fetchrow("diploma_revoke_link", link_id=link_id, edition_id=edition.id)
    if row is None:
        raise NotFound("Lien introuvable ou déjà révoqué.")
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=policy.actor_label(identity),
        action="diploma.link.revoke",
        target=f"diploma:{row['diploma_id']}",
        payload={"link_id": link_id},
    )
