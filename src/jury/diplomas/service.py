"""Diplomas from decided awards: issuing, the stored PDFs, winners' links, verification, revocation.

A diploma row is issued once per award and keeps its verification code for ever; its PDF is only a
cache in storage. The cache is trusted while the row's `content_digest` equals the digest of what would
be printed now (the context and the template files), so a corrected decision or a new template is
re-rendered on the next download or generation, and never before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec
import structlog

from jury.access import policy
from jury.access.identity import Identity
from jury.audit.service import append_event
from jury.contests.models import EditionDetail
from jury.contests.service import get_edition, organised_edition
from jury.db.queries import Database
from jury.diplomas import storage
from jury.diplomas.contexts import build_context, content_digest, signatories_of
from jury.diplomas.models import DiplomaContext, new_verification_code
from jury.diplomas.printing import render_diploma, render_diplomas
from jury.errors import Invalid, NotFound
from jury.french.ordinal import prize_ordinal
from jury.pdf.pool import PdfPool
from jury.settings import Settings
from jury.templates_digest import templates_digest

log = structlog.get_logger(__name__)

Source = Mapping[str, Any]
"""A row of the `diploma_sources` view: one award, its diploma (if issued) and what it prints."""


# --- editions and issuing ------------------------------------------------------------------------------


async def issue_diplomas(
    db: Database, *, edition_id: int, actor_id: int | None = None, actor_label: str = "system"
) -> list[int]:
    """One diploma per award of the edition that has none yet; returns the new diplomas' ids.

    Safe to call again and from two places at once: an edition-wide lock serialises issuers and an
    award with a diploma is skipped. A drawn code already in use is simply drawn again.
    """
    await db.execute("diploma_lock_edition", edition_id=edition_id)
    issued: list[int] = []
    for row in await db.fetch("diploma_awards_without_diploma", edition_id=edition_id):
        for _attempt in range(20):
            code = new_verification_code()
            diploma_id = await db.fetchval("diploma_insert", award_id=row["award_id"], verification_code=code)
            if diploma_id is not None:
                break
        else:  # pragma: no cover - 60-bit codes do not collide twenty times
            raise RuntimeError("could not draw a free verification code")
        issued.append(diploma_id)
        await append_event(
            db,
            actor_id=actor_id,
            actor_label=actor_label,
            action="diploma.issue",
            target=f"diploma:{diploma_id}",
            payload={"award_id": row["award_id"], "edition_id": edition_id, "verification_code": code},
        )
    return issued


async def sources_of_edition(db: Database, *, edition_id: int) -> list[Source]:
    return list(await db.fetch("diploma_sources_of_edition", edition_id=edition_id))


async def source_by_id(db: Database, *, diploma_id: int) -> Source:
    row = await db.fetchrow("diploma_source_by_id", diploma_id=diploma_id)
    if row is None:
        raise NotFound("Diplôme introuvable.")
    return row


async def context_of(db: Database, source: Source, *, settings: Settings) -> DiplomaContext:
    """The diploma's context; the signatories come with the source when its query brought them (a winner's
    link), from their own query otherwise."""
    rows = source.get("edition_signatories")
    if rows is None:
        rows = await db.fetch("diploma_signatories", edition_id=source["edition_id"])
    signatories = signatories_of(rows)
    return build_context(source, signatories=signatories, base_url=settings.base_url)


def laureate_of(source: Source) -> str:
    person, organisation = (source["person_name"] or "").strip(), (source["organisation_name"] or "").strip()
    return " — ".join(part for part in (person, organisation) if part)


def prize_label(source: Source) -> str:
    if source["prize_kind"] == "podium" and source["place"]:
        return prize_ordinal(source["place"])
    return source["prize"]


def diploma_state(source: Source, *, settings: Settings) -> str:
    """'révoqué', 'prêt' (a stored PDF exists) or 'à générer'; a stale PDF is found out on download."""
    if source["revoked_at"] is not None:
        return "révoqué"
    path = _stored_path(source, settings=settings)
    if path is not None and path.is_file():
        return "prêt"
    return "à générer"


# --- PDFs ------------------------------------------------------------------------------------------------


def _templates_dir(settings: Settings) -> Path:
    return settings.templates_dir / "diplomas"


async def _stale(
    db: Database, sources: Sequence[Source], *, settings: Settings
) -> list[tuple[Source, DiplomaContext, str, Path]]:
    """The diplomas whose stored PDF is missing or out of date. A file already stored under the current
    digest (by a worker that died before recording it) is adopted, not rendered again."""
    templates = templates_digest(_templates_dir(settings))
    stale = []
    for source in sources:
        ctx = await context_of(db, source, settings=settings)
        digest = content_digest(ctx, templates=templates)
        path = storage.pdf_path(settings.storage_dir, code=source["verification_code"], digest=digest)
        if not path.is_file():
            stale.append((source, ctx, digest, path))
        elif digest != source["content_digest"]:
            await _record(db, source=source, digest=digest, path=path)
    return stale


async def _record(db: Database, *, source: Source, digest: str, path: Path) -> None:
    await db.execute(
        "diploma_set_rendered", diploma_id=source["diploma_id"], content_digest=digest, pdf_path=str(path)
    )
    await storage.remove_other_versions(path)


async def _store(db: Database, *, source: Source, digest: str, path: Path, pdf: bytes) -> None:
    await storage.write_pdf(path, pdf)
    await _record(db, source=source, digest=digest, path=path)
    log.info("diploma stored", diploma_id=source["diploma_id"], path=path.name, bytes=len(pdf))


def _stored_path(source: Source, *, settings: Settings) -> Path | None:
    if not source["content_digest"]:
        return None
    return storage.pdf_path(
        settings.storage_dir, code=source["verification_code"], digest=source["content_digest"]
    )


class StoredPdf(msgspec.Struct, frozen=True, kw_only=True):
    """A diploma's stored PDF, for a download: the handler serves the file itself (no copy in memory),
    with the content digest as its ETag."""

    code: str
    path: Path
    digest: str


async def diploma_pdf(db: Database, source: Source, *, settings: Settings, renderer: PdfPool) -> StoredPdf:
    """The stored PDF of one diploma, rendered first when missing or out of date. Up to date (the usual
    case), it costs the signatories' query, a digest and a stat: no rendering, no file read here."""
    ctx = await context_of(db, source, settings=settings)
    digest = content_digest(ctx, templates=templates_digest(_templates_dir(settings)))
    path = storage.pdf_path(settings.storage_dir, code=source["verification_code"], digest=digest)
    if not path.is_file():
        await _store(db, source=source, digest=digest, path=path, pdf=await render_diploma(renderer, ctx))
    elif digest != source["content_digest"]:
        await _record(db, source=source, digest=digest, path=path)  # adopted: stored, not yet recorded
    return StoredPdf(code=source["verification_code"], path=path, digest=digest[: storage.DIGEST_CHARS])


async def render_edition(
    db: Database,
    *,
    edition_id: int,
    settings: Settings,
    renderer: PdfPool,
    on_progress: Callable[[int, int], Awaitable[None]] | None = None,
    on_total: Callable[[int], Awaitable[None]] | None = None,
) -> list[tuple[Source, Path]]:
    """Bring every stored PDF of the edition up to date; returns every diploma with its file.

    Each batch is stored (and recorded, autocommitted when `db` is outside a transaction) as soon as it is
    rendered, so work done before a crash is kept."""
    sources = await sources_of_edition(db, edition_id=edition_id)
    stale = await _stale(db, sources, settings=settings)
    if on_total is not None:
        await on_total(len(stale))

    async def store_batch(start: int, pdfs: list[bytes]) -> None:
        for (source, _, digest, path), pdf in zip(stale[start : start + len(pdfs)], pdfs, strict=True):
            await _store(db, source=source, digest=digest, path=path, pdf=pdf)

    if stale:
        await render_diplomas(
            renderer, [ctx for _, ctx, _, _ in stale], on_batch=store_batch, on_progress=on_progress
        )
    sources = await sources_of_edition(db, edition_id=edition_id)
    return [(s, _stored_path(s, settings=settings)) for s in sources]


# --- the organisers' page -------------------------------------------------------------------------------


class DiplomaRow(msgspec.Struct, frozen=True, kw_only=True):
    """One award of the edition on the organisers' page, with its diploma (if issued) and its links."""

    id: int | None
    laureate: str
    prize: str
    email: str | None
    state: str
    code: str | None
    revoked_reason: str | None
    links: list[Mapping[str, Any]]


class EditionDiplomas(msgspec.Struct, frozen=True, kw_only=True):
    """What the organisers' diploma page shows: every award, and the edition's last generation job."""

    edition: EditionDetail
    rows: list[DiplomaRow]
    job: Mapping[str, Any] | None


async def edition_diplomas(
    db: Database, *, identity: Identity, slug: str, settings: Settings
) -> EditionDiplomas:
    """The organisers' page of an edition's diplomas, for an organiser of its contest."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    awards = await db.fetch("diploma_awards_of_edition", edition_id=edition.id)
    links = await links_of_edition(db, edition_id=edition.id)
    rows = [
        DiplomaRow(
            id=a["diploma_id"],
            laureate=laureate_of(a),
            prize=prize_label(a),
            email=a["email"],
            state=diploma_state(a, settings=settings) if a["diploma_id"] else "à générer",
            code=a["verification_code"],
            revoked_reason=a["revoked_reason"],
            links=[link for link in links if link["diploma_id"] == a["diploma_id"]],
        )
        for a in awards
    ]
    job = await latest_job(db, edition_id=edition.id, settings=settings)
    return EditionDiplomas(edition=edition, rows=rows, job=job)


async def generation_progress(
    db: Database, *, identity: Identity, slug: str, settings: Settings
) -> EditionDiplomas:
    """The edition and its last generation job only (the page's progress bar polls it): no award rows."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    job = await latest_job(db, edition_id=edition.id, settings=settings)
    return EditionDiplomas(edition=edition, rows=[], job=job)


async def organised_diploma_pdf(
    db: Database, *, identity: Identity, slug: str, diploma_id: int, settings: Settings, renderer: PdfPool
) -> StoredPdf:
    """The stored PDF of one diploma of the edition, for an organiser of its contest."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    source = await source_by_id(db, diploma_id=diploma_id)
    if source["edition_id"] != edition.id:
        raise NotFound("Diplôme introuvable.")
    return await diploma_pdf(db, source, settings=settings, renderer=renderer)


# --- generation jobs (the queue's side is in `jobs`) ---------------------------------------------------


async def latest_job(db: Database, *, edition_id: int, settings: Settings) -> Mapping[str, Any] | None:
    """The edition's last batch; `stalled` when its worker went silent (the page says so, and that the
    batch resumes as soon as a worker is there)."""
    return await db.fetchrow(
        "diploma_latest_job", edition_id=edition_id, stale_after=float(settings.job_heartbeat_seconds)
    )


async def links_of_edition(db: Database, *, edition_id: int) -> list[Mapping[str, Any]]:
    return list(await db.fetch("diploma_links_of_edition", edition_id=edition_id))


async def revoke_diploma(
    db: Database, *, identity: Identity, slug: str, diploma_id: int, reason: str
) -> None:
    """Revokes a diploma for good, with its reason: its links and its verification page then say so."""
    edition = await organised_edition(db, identity=identity, slug=slug)
    reason = reason.strip()
    if not reason:
        raise Invalid("Indiquez le motif de la révocation.")
    source = await source_by_id(db, diploma_id=diploma_id)
    if source["edition_id"] != edition.id:
        raise NotFound("Diplôme introuvable.")
    if await db.fetchval("diploma_revoke", diploma_id=diploma_id, reason=reason) is None:
        raise Invalid("Ce diplôme est déjà révoqué.")
    await append_event(
        db,
        actor_id=identity.person_id,
        actor_label=policy.actor_label(identity),
        action="diploma.revoke",
        target=f"diploma:{diploma_id}",
        payload={"reason": reason, "verification_code": source["verification_code"]},
    )


async def verification(db: Database, *, code: str) -> Source:
    row = await db.fetchrow("diploma_source_by_code", code=code.strip().upper())
    if row is None:
        raise NotFound("Aucun diplôme ne porte ce code de vérification.")
    return row


# --- the command line ------------------------------------------------------------------------------------


async def export_edition(
    db: Database,
    *,
    slug: str,
    settings: Settings,
    out_dir: Path,
    renderer: PdfPool,
    on_total: Callable[[int], Awaitable[None]] | None = None,
    on_progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> list[Path]:
    """`jury diplomas`: issue what is missing, bring stored PDFs up to date, copy them to `out_dir`.
    Revoked diplomas are not written: a copy on disk would outlive the revocation."""
    edition = await get_edition(db, slug)
    await issue_diplomas(db, edition_id=edition.id, actor_label="cli")
    stored = await render_edition(
        db,
        edition_id=edition.id,
        settings=settings,
        renderer=renderer,
        on_total=on_total,
        on_progress=on_progress,
    )
    out_dir = Path(out_dir)
    written = []
    for source, path in stored:
        if source["revoked_at"] is not None:
            continue
        target = out_dir / f"{edition.slug}-{source['verification_code']}.pdf"
        await storage.copy_out(path, target)
        written.append(target)
    return written
