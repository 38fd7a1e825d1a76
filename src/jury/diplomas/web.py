"""Diplomas over HTTP: the organisers' page, the winners' private links and the public verification.

Handlers translate; the services decide (each handler calls one service function; an action's page is
shown again through the page's own). Rendering never happens on the event loop: PDFs come from the
process's one PDF pool (`app.state.pdf`, see `jury.pdf.lifespan`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.diplomas import jobs, mail, service
from jury.diplomas import links as winner_links
from jury.errors import Invalid, NotFound
from jury.french.dates import french_date
from jury.settings import Settings
from jury.web.openapi_errors import error_responses
from jury.web.openapi_forms import form_body

DAYS = Annotated[
    int, msgspec.Meta(ge=1, le=3650, description="Durée de validité en jours (vide : sans fin).")
]


class LinksForm(msgspec.Struct):
    """The winners' links form: the chosen diplomas (none: every one not revoked) and the validity."""

    diploma_id: list[int] = []
    days: DAYS | None = None


class RevokeForm(msgspec.Struct):
    reason: Annotated[str, msgspec.Meta(min_length=1, pattern=r"\S")]


# An unknown or revoked link is the derived 404 (the refusal page); a link past its date or to a revoked
# diploma is gone for good.
LINK_REFUSED = error_responses(
    {410: "Lien expiré, ou diplôme révoqué (page de refus, avec la date et le motif)."}, page=True
)
PAGE_REFUSAL = error_responses(
    {422: "Refusé (durée, motif, diplôme déjà révoqué…) : la page s'affiche à nouveau avec le message."},
    page=True,
)


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _pdf_response(request: Request, stored: service.StoredPdf) -> Response:
    """The stored file as it is (no rendering), with the content digest as its ETag: a client that has this
    version gets a 304. "no-cache", not "no-store": a browser may keep it but asks again each time, so a
    revoked diploma or link is refused at once. The file (30–50 kB, in the page cache) is read in one
    call: measured faster than a streamed `File`, whose stat, open, reads and close each go through a
    worker thread."""
    etag = f'"{stored.digest}"'
    headers = {"Cache-Control": "private, no-cache", "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=b"", status_code=304, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="diplome-{stored.code}.pdf"'
    return Response(content=stored.path.read_bytes(), media_type="application/pdf", headers=headers)


def _summary(source: Any) -> dict[str, Any]:
    return {
        "contest_name": source["contest_name"],
        "edition_number": source["edition_number"],
        "year": source["year"],
        "prize": service.prize_label(source),
        "laureate": service.laureate_of(source),
        "creation_name": source["creation_name"],
        "project_title": source["project_title"],
        "granted_eur": source["granted_eur"],
        "commune": source["commune"],
        "decided_on": french_date(source["decided_on"]),
        "code": source["verification_code"],
        "revoked_on": french_date(source["revoked_at"]) if source["revoked_at"] else None,
        "revoked_reason": source["revoked_reason"],
    }


# --- organisers -------------------------------------------------------------------------------------------


class DiplomaPages(Controller):
    path = "/organisation/editions/{slug:str}/diplomes"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Diplômes d'une édition")
    async def page(self, request: Request, db: Database, identity: Identity, slug: str) -> Template:
        return await _page(request, db, identity=identity, slug=slug)

    @get("/progression", summary="Avancement de la génération (fragment)", media_type=MediaType.HTML)
    async def progress(self, request: Request, db: Database, identity: Identity, slug: str) -> Response:
        """Only the page's `progress` block, so the fragment and the full page cannot drift apart."""
        state = await service.generation_progress(
            db, identity=identity, slug=slug, settings=_settings(request)
        )
        template = request.app.template_engine.engine.get_template("organiser/diplomas.html")
        context = template.new_context({"edition": state.edition, "job": state.job, "request": request})
        html = "".join(template.blocks["progress"](context))
        return Response(content=html, media_type=MediaType.HTML, headers={"Cache-Control": "no-store"})

    @post("/generer", summary="Générer les diplômes", status_code=303)
    async def generate(self, db: Database, identity: Identity, slug: str) -> Redirect:
        """Queues a batch (or joins the one already queued or running); a worker does the work."""
        await jobs.generate(db, identity=identity, slug=slug)
        return Redirect(f"/organisation/editions/{slug}/diplomes/", status_code=303)

    @post(
        "/liens",
        summary="Créer les liens privés des lauréats",
        status_code=200,
        opt=form_body(LinksForm),
        responses=PAGE_REFUSAL,
    )
    async def links(self, request: Request, db: Database, identity: Identity, slug: str) -> Template:
        form = await request.form()
        try:
            links = await winner_links.create_links(
                db,
                identity=identity,
                slug=slug,
                diploma_ids=_ids(form.getall("diploma_id", [])),
                expires_at=_expiry(form.get("days", ""), now=db.now()),
            )
        except Invalid as exc:
            return await _page(request, db, identity=identity, slug=slug, error=exc.message)
        return await _page(request, db, identity=identity, slug=slug, new_links=links)

    @post(
        "/envoyer",
        summary="Envoyer les liens par e-mail",
        status_code=200,
        opt=form_body(LinksForm),
        responses=PAGE_REFUSAL,
    )
    async def send(self, request: Request, db: Database, identity: Identity, slug: str) -> Template:
        form = await request.form()
        try:
            sent = await winner_links.email_links(
                db,
                identity=identity,
                slug=slug,
                settings=_settings(request),
                diploma_ids=_ids(form.getall("diploma_id", [])),
                expires_at=_expiry(form.get("days", ""), now=db.now()),
            )
        except Invalid as exc:
            return await _page(request, db, identity=identity, slug=slug, error=exc.message)
        return await _page(request, db, identity=identity, slug=slug, notice=f"{sent} e-mail(s) envoyé(s).")

    @post(
        "/{diploma_id:int}/revoquer",
        summary="Révoquer un diplôme",
        status_code=303,
        opt=form_body(RevokeForm),
        responses=PAGE_REFUSAL,
    )
    async def revoke(
        self, request: Request, db: Database, identity: Identity, slug: str, diploma_id: int
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await service.revoke_diploma(
                db, identity=identity, slug=slug, diploma_id=diploma_id, reason=str(form.get("reason", ""))
            )
        except Invalid as exc:
            return await _page(request, db, identity=identity, slug=slug, error=exc.message)
        return Redirect(f"/organisation/editions/{slug}/diplomes/", status_code=303)

    @post("/liens/{link_id:int}/revoquer", summary="Révoquer un lien", status_code=303)
    async def revoke_link(self, db: Database, identity: Identity, slug: str, link_id: int) -> Redirect:
        await winner_links.revoke_link(db, identity=identity, slug=slug, link_id=link_id)
        return Redirect(f"/organisation/editions/{slug}/diplomes/", status_code=303)

    @get(
        "/{diploma_id:int}/pdf",
        summary="Télécharger un diplôme (organisateurs)",
        media_type="application/pdf",
    )
    async def pdf(
        self, request: Request, db: Database, identity: Identity, slug: str, diploma_id: int
    ) -> Response:
        stored = await service.organised_diploma_pdf(
            db,
            identity=identity,
            slug=slug,
            diploma_id=diploma_id,
            settings=_settings(request),
            renderer=request.app.state.pdf,
        )
        return _pdf_response(request, stored)


def _ids(values: list[Any]) -> list[int] | None:
    ids = [int(v) for v in values if str(v).isdigit()]
    return ids or None


def _expiry(raw: Any, *, now: dt.datetime) -> dt.datetime | None:
    raw = str(raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise Invalid("La durée de validité est un nombre de jours entre 1 et 3650.")
    return now + dt.timedelta(days=int(raw))


async def _page(
    request: Request,
    db: Database,
    *,
    identity: Identity,
    slug: str,
    new_links: list[winner_links.NewLink] | None = None,
    notice: str = "",
    error: str = "",
) -> Template:
    """The organisers' page, after an action too (its notice or error, and links made just now: their only
    showing)."""
    settings = _settings(request)
    page = await service.edition_diplomas(db, identity=identity, slug=slug, settings=settings)
    return Template(
        "organiser/diplomas.html",
        context={
            "edition": page.edition,
            "rows": page.rows,
            "job": page.job,
            "new_links": [
                {"laureate": link.laureate, "email": link.email, "url": mail.link_url(settings, link.token)}
                for link in new_links or []
            ],
            "notice": notice,
            "error": error,
            "smtp": bool(settings.smtp_host and settings.smtp_from),
        },
        status_code=422 if error else 200,
    )


# --- winners and the public -----------------------------------------------------------------------------


class PublicDiplomaPages(Controller):
    path = "/"
    tags = ["diplômes"]

    @get("/diplome/{token:str}", summary="Page privée d'un lauréat", responses=LINK_REFUSED)
    async def winner(self, db: Database, token: str) -> Template:
        try:
            source = await winner_links.open_link(db, token=token)
        except winner_links.LinkRefused as exc:
            return _refused(exc)
        return Template(
            "public/diploma_link.html",
            context={"d": _summary(source), "token": token, "refused": None},
            headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
        )

    @get(
        "/diplome/{token:str}/pdf",
        summary="Télécharger son diplôme",
        media_type="application/pdf",
        responses=LINK_REFUSED,
        opt={"skip_session": True},  # the link is the credential: no session to load or write back
    )
    async def winner_pdf(self, request: Request, db: Database, token: str) -> Response:
        try:
            stored = await winner_links.link_pdf(
                db, token=token, settings=_settings(request), renderer=request.app.state.pdf
            )
        except winner_links.LinkRefused as exc:
            return _refused(exc)
        return _pdf_response(request, stored)

    @get("/verifier/{code:str}", summary="Vérifier un diplôme")
    async def verify(self, db: Database, code: str) -> Template:
        try:
            source = await service.verification(db, code=code)
        except NotFound as exc:
            return Template(
                "public/error.html",
                context={"status": 404, "title": "Diplôme inconnu", "message": exc.message, "errors": []},
                status_code=404,
                media_type=MediaType.HTML,
            )
        return Template("public/verify.html", context={"d": _summary(source)})


def _refused(exc: winner_links.LinkRefused) -> Template:
    return Template(
        "public/diploma_link.html",
        context={
            "d": _summary(exc.source) if exc.source is not None else None,
            "token": None,
            "refused": exc.message,
        },
        status_code=exc.status_code,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
