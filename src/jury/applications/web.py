"""Applications: the public form and its check, the applicant's private page, the organisers' pages and
the JSON API of their decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import Body, JSONBody
from litestar.response import Redirect, Response, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.applications import service
from jury.applications.form import HONEYPOT
from jury.applications.models import ApplicationCheck, ApplicationFields, ApplicationView, RefusalRequest
from jury.db.queries import Database
from jury.settings import Settings
from jury.web.openapi_errors import error_responses

FORM_ERRORS = error_responses(
    {
        409: "Les candidatures de l'édition ne sont pas ouvertes (ou plus).",
        422: "Champ refusé, règle d'éligibilité non remplie ou document refusé : le formulaire s'affiche à "
        "nouveau avec chaque motif ; rien n'est enregistré.",
    },
    page=True,
) | error_responses(
    {
        429: "Trop de candidatures envoyées depuis cette adresse réseau ou cette adresse e-mail : "
        "l'en-tête Retry-After donne l'attente en secondes."
    }
)
PRIVATE_ERRORS = error_responses(
    {
        409: "Candidatures closes, ou candidature déjà examinée : elle ne peut plus être modifiée.",
        422: "Champ refusé, règle d'éligibilité non remplie ou document refusé : la page s'affiche à nouveau.",
    },
    page=True,
)
CHECK_ERRORS = error_responses({409: "Les candidatures de l'édition ne sont pas ouvertes."})
DECISION_ERRORS = error_responses(
    {
        409: "Candidature déjà acceptée ou refusée, ou édition décidée.",
        422: "Motif manquant (refus), ou candidature que les règles de l'édition refusent désormais.",
    }
)
DECISION_PAGE_ERRORS = error_responses(
    {409: "Candidature déjà examinée, ou édition décidée.", 422: "Motif manquant ou candidature refusée."},
    page=True,
)


class RefusalForm(msgspec.Struct):
    reason: str = ""


@dataclass
class ApplicationForm:
    """The form as a browser sends it (multipart): the fields in the import's column names, the documents,
    and the honeypot `site_web` a person leaves empty."""

    nom_structure: str = ""
    nom_porteur: str = ""
    courriel: str = ""
    code_insee: str = ""
    forme_juridique: str = ""
    date_creation: str = ""
    montant_demande: str = ""
    creation: str = ""
    categorie: str = ""
    projet: str = ""
    site_web: str = ""
    documents: list[Any] = field(default_factory=list)
    """Uploaded files; a file input left empty sends a part without a file name, which Litestar reads as an
    empty string (an `UploadFile | str` union is refused by its decoder, hence `Any`)."""


async def _sent(data: ApplicationForm) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """The form's text fields and its files (an empty file input sends a nameless empty part: skipped)."""
    values = {name: getattr(data, name) for name in (*service.FORM_COLUMNS, HONEYPOT)}
    documents: list[tuple[str, bytes]] = []
    for upload in data.documents:
        if not isinstance(upload, UploadFile):
            continue
        content = await upload.read()
        if upload.filename or content:
            documents.append((upload.filename or "document", content))
    return values, documents


class ApplicationPages(Controller):
    """Public: no account is needed to apply; the private link is the applicant's only key."""

    tags = ["candidatures"]

    @get("/candidater/{slug:str}", summary="Formulaire public de candidature d'une édition")
    async def form(self, db: Database, state: State, slug: str) -> Template:
        page = await service.form_page(db, settings=state.settings, slug=slug)
        return Template("public/application_form.html", context=page.context())

    @post(
        "/candidater/{slug:str}",
        summary="Envoyer une candidature (formulaire, documents joints)",
        status_code=303,
        response_description="Candidature enregistrée : vers sa page privée.",
        responses=FORM_ERRORS,
    )
    async def submit(
        self,
        db: Database,
        state: State,
        slug: str,
        data: Annotated[ApplicationForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        values, documents = await _sent(data)
        page, token = await service.submit_page(
            db, settings=state.settings, slug=slug, values=values, documents=documents
        )
        if token is not None:
            return Redirect(f"/candidature/{token}?envoyee=1", status_code=303)
        return Template("public/application_form.html", context=page.context(), status_code=page.status_code)

    @post(
        "/candidater/{slug:str}/verification",
        summary="Vérifier une candidature en cours de saisie (rien n'est enregistré)",
        status_code=200,
        responses=CHECK_ERRORS,
    )
    async def check(self, db: Database, slug: str, data: JSONBody[ApplicationFields]) -> ApplicationCheck:
        return await service.check(db, slug=slug, values=data.values())

    @get("/candidature/{token:str}", summary="Page privée d'une candidature (lien reçu par e-mail)")
    async def private(self, db: Database, state: State, token: str, envoyee: int = 0) -> Template:
        page = await service.private_page(db, settings=state.settings, token=token)
        return Template("public/application.html", context={**page.context(), "sent": bool(envoyee)})

    @post(
        "/candidature/{token:str}",
        summary="Compléter sa candidature jusqu'à la clôture (champs, documents)",
        status_code=200,
        responses=PRIVATE_ERRORS,
    )
    async def complete(
        self,
        db: Database,
        state: State,
        token: str,
        data: Annotated[ApplicationForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        values, documents = await _sent(data)
        page = await service.complete_page(
            db, settings=state.settings, token=token, values=values, documents=documents
        )
        return Template(
            "public/application.html", context={**page.context(), "sent": False}, status_code=page.status_code
        )


class ApplicationsApi(Controller):
    path = "/api"
    tags = ["candidatures"]
    guards = [requires_organiser]

    @get("/editions/{slug:str}/applications", summary="Candidatures reçues d'une édition")
    async def list(self, db: Database, identity: Identity, slug: str) -> list[ApplicationView]:
        return await service.list_applications(db, identity=identity, slug=slug)

    @get("/applications/{application_id:int}", summary="Une candidature, ses documents et son éligibilité")
    async def read(self, db: Database, identity: Identity, application_id: int) -> ApplicationView:
        return await service.application(db, identity=identity, application_id=application_id)

    @post(
        "/applications/{application_id:int}/acceptance",
        summary="Accepter une candidature : elle devient un candidat du premier tour",
        status_code=200,
        responses=DECISION_ERRORS,
    )
    async def accept(
        self, db: Database, state: State, identity: Identity, application_id: int
    ) -> ApplicationView:
        return await service.accept(
            db, identity=identity, settings=state.settings, application_id=application_id
        )

    @post(
        "/applications/{application_id:int}/refusal",
        summary="Refuser une candidature (motif écrit)",
        status_code=200,
        responses=DECISION_ERRORS,
    )
    async def refuse(
        self,
        db: Database,
        state: State,
        identity: Identity,
        application_id: int,
        data: JSONBody[RefusalRequest],
    ) -> ApplicationView:
        return await service.refuse(
            db, identity=identity, settings=state.settings, application_id=application_id, reason=data.reason
        )


class ApplicationOrganiserPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/editions/{slug:str}/candidatures", summary="Candidatures reçues d'une édition")
    async def list(self, db: Database, identity: Identity, slug: str) -> Template:
        page = await service.list_page(db, identity=identity, slug=slug)
        return Template(
            "organiser/applications.html",
            context={"edition": page.edition, "applications": page.applications},
        )

    @get("/candidatures/{application_id:int}", summary="Une candidature : champs, documents, décision")
    async def show(self, db: Database, state: State, identity: Identity, application_id: int) -> Template:
        page = await service.detail_page(
            db, identity=identity, settings=state.settings, application_id=application_id
        )
        return Template("organiser/application.html", context=page.context())

    @post(
        "/candidatures/{application_id:int}/acceptation",
        summary="Accepter une candidature (formulaire)",
        status_code=303,
        responses=DECISION_PAGE_ERRORS,
    )
    async def accept(
        self, db: Database, state: State, identity: Identity, application_id: int
    ) -> Template | Redirect:
        return await _decide(
            db, state=state, identity=identity, application_id=application_id, action="accept", reason=""
        )

    @post(
        "/candidatures/{application_id:int}/refus",
        summary="Refuser une candidature (formulaire, motif écrit)",
        status_code=303,
        responses=DECISION_PAGE_ERRORS,
    )
    async def refuse(
        self,
        db: Database,
        state: State,
        identity: Identity,
        application_id: int,
        data: Annotated[RefusalForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        return await _decide(
            db,
            state=state,
            identity=identity,
            application_id=application_id,
            action="refuse",
            reason=data.reason,
        )

    @get(
        "/candidatures/{application_id:int}/documents/{document_id:int}",
        summary="Un document joint à une candidature",
        media_type="application/octet-stream",
    )
    async def document(
        self, db: Database, state: State, identity: Identity, application_id: int, document_id: int
    ) -> Response[bytes]:
        name, media_type, content = await service.document(
            db,
            identity=identity,
            settings=state.settings,
            application_id=application_id,
            document_id=document_id,
        )
        return Response(
            content,
            media_type=media_type,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )


async def _decide(
    db: Database, *, state: State, identity: Identity, application_id: int, action: str, reason: str
) -> Template | Redirect:
    page = await service.detail_page(
        db,
        identity=identity,
        settings=state.settings,
        application_id=application_id,
        action=action,
        reason=reason,
    )
    if page.error is None:
        return Redirect(f"/organisation/candidatures/{application_id}", status_code=303)
    return Template("organiser/application.html", context=page.context(), status_code=page.status_code)


def application_rate_limit(settings: Settings) -> RateLimitConfig:
    """Applications sent per client address and hour (`JURY_APPLICATIONS_PER_HOUR`), counted in the shared
    store so replicas agree; the check of a form as it is typed and the pages are never throttled."""
    return RateLimitConfig(
        rate_limit=("hour", settings.applications_per_hour),
        store=RATE_LIMIT_STORE,
        check_throttle_handler=_is_application_sent,
        exclude=["/static", "/healthz"],
    )


RATE_LIMIT_STORE = "application_rate_limit"


async def _is_application_sent(request: Request) -> bool:
    """Async on purpose, as the sign-in throttle's check: a sync one would hop to a thread per request."""
    path = request.url.path
    return request.method == "POST" and path.startswith("/candidater/") and not path.endswith("/verification")
