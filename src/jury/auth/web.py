"""Sign-in pages: organisers by e-mail and password, jurors by the code on their card (typed or scanned)."""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

import msgspec
import segno
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from jury.access.guards import current_identity, requires_organiser
from jury.access.identity import Identity
from jury.auth import service
from jury.auth.limits import SignInLimits
from jury.db.queries import Database
from jury.errors import JuryError, Throttled
from jury.web.i18n import SESSION_KEY as LANGUAGE_KEY
from jury.web.openapi_errors import NOTHING_TO_LOOK_UP, error_responses

# Sign-in answers: a redirect once signed in, the form again (HTML) with the reason when refused, and 429
# with Retry-After when a credential or a session has failed too often (`jury.auth.limits`) or the client
# address passed the generous ceiling of `jury.app._is_sign_in_attempt`.
THROTTLED = error_responses(
    {
        429: "Trop de tentatives de connexion (ce code, cette adresse e-mail, cette session ou cette adresse "
        "réseau) : l'en-tête Retry-After et la page donnent l'attente en secondes."
    }
)
BAD_CODE = error_responses(
    {422: "Code d'accès inconnu ou révoqué : le formulaire s'affiche à nouveau."}, page=True
)


class SignInForm(msgspec.Struct):
    email: str = ""
    password: str = ""


class CodeForm(msgspec.Struct):
    code: str = ""


class CardsForm(msgspec.Struct):
    """Reissuing every card (`issue` without `person_id`) revokes every juror's card mid-event: it acts
    only with `confirme=oui`, from the confirmation the page shows first."""

    action: Literal["issue", "issue-missing", "revoke"] = "issue"
    person_id: Annotated[int, msgspec.Meta(ge=1)] | None = None
    confirme: Literal["", "oui"] = ""


def provide_identity(request: Request) -> Identity | None:
    return current_identity(request)


def _start_session(request: Request, identity: Identity) -> None:
    # A new session id at sign-in: a session fixed before sign-in must not carry the new rights.
    # The visitor's language (jury.web.i18n) is a preference, not a right: it is kept.
    language = (request.session or {}).get(LANGUAGE_KEY)
    request.clear_session()
    request.set_session({**identity.to_session(), **({LANGUAGE_KEY: language} if language else {})})


SESSION_TOKEN = "sign_in_token"
"""A random token kept in the browser's session, under which its failed sign-ins are counted."""


def _limits(state: State) -> SignInLimits:
    settings = state.settings
    return SignInLimits(
        per_credential=settings.sign_in_failures_per_credential,
        per_session=settings.sign_in_failures_per_session,
        window_seconds=settings.sign_in_window_minutes * 60,
    )


def _session_token(request: Request) -> str:
    token = request.session.get(SESSION_TOKEN) if request.session else None
    return token if isinstance(token, str) else secrets.token_urlsafe(24)


def _refused(request: Request, *, template: str, context: dict, exc: JuryError, token: str) -> Template:
    """The form again with the reason; a refused credential keeps the session's token (its failures count
    against this browser), a refusal for too many attempts says the wait in `Retry-After` too."""
    headers = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    elif (request.session or {}).get(SESSION_TOKEN) != token:
        request.set_session({**(request.session or {}), SESSION_TOKEN: token})
    return Template(
        template,
        context={**context, "error": exc.message},
        status_code=exc.status_code,
        headers=headers,
    )


class SignInPages(Controller):
    tags = ["connexion"]

    @get("/connexion", summary="Page de connexion des organisateurs")
    async def sign_in_page(self) -> Template:
        return Template("public/sign_in.html", context={"error": None, "email": ""})

    @post(
        "/connexion",
        summary="Connexion d'un organisateur",
        status_code=303,
        response_description="Connecté : vers l'accueil des organisateurs.",
        responses=THROTTLED
        | error_responses({403: "Ce compte n'organise aucun concours (ou requête d'origine extérieure)."})
        | error_responses(
            {422: "Adresse e-mail ou mot de passe incorrect : le formulaire s'affiche à nouveau."}, page=True
        ),
    )
    async def sign_in(
        self,
        request: Request,
        state: State,
        db: Database,
        data: Annotated[SignInForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        token = _session_token(request)
        try:
            identity = await service.sign_in_organiser(
                db, email=data.email, password=data.password, limits=_limits(state), session_token=token
            )
        except JuryError as exc:
            return _refused(
                request, template="public/sign_in.html", context={"email": data.email}, exc=exc, token=token
            )
        _start_session(request, identity)
        return Redirect("/organisation/", status_code=303)

    @post("/deconnexion", summary="Déconnexion", status_code=303)
    async def sign_out(self, request: Request) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=303)

    @get("/acces", summary="Saisie du code d'accès d'un juré")
    async def code_page(self) -> Template:
        return Template("juror/access.html", context={"error": None})

    @post(
        "/acces",
        summary="Connexion d'une tablette avec un code d'accès",
        status_code=303,
        response_description="Connectée : vers l'accueil du juré.",
        responses=THROTTLED | BAD_CODE,
    )
    async def code_sign_in(
        self,
        request: Request,
        state: State,
        db: Database,
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        token = _session_token(request)
        try:
            identity = await service.sign_in_with_code(
                db, typed=data.code, limits=_limits(state), session_token=token
            )
        except JuryError as exc:
            return _refused(request, template="juror/access.html", context={}, exc=exc, token=token)
        _start_session(request, identity)
        return Redirect("/jure/", status_code=303)

    @get(
        "/acces/{code:str}",
        summary="Connexion par le QR code d'une carte d'accès",
        status_code=303,
        response_description="Connectée : vers l'accueil du juré.",
        responses=THROTTLED | BAD_CODE,
        opt={NOTHING_TO_LOOK_UP: True},  # an unknown code is a refused credential (422), not a missing page
    )
    async def code_link(self, request: Request, state: State, db: Database, code: str) -> Template | Redirect:
        token = _session_token(request)
        try:
            identity = await service.sign_in_with_code(
                db, typed=code, limits=_limits(state), session_token=token
            )
        except JuryError as exc:
            return _refused(request, template="juror/access.html", context={}, exc=exc, token=token)
        _start_session(request, identity)
        return Redirect("/jure/", status_code=303)


def _revocation_message(page: service.CardsPage) -> str | None:
    if not page.revoke_asked:
        return None
    if page.revoked:
        return "Carte révoquée : ce code ne permet plus de se connecter."
    return "Ce juré n'avait pas de carte active : rien n'a changé."


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


class AccessCardPages(Controller):
    path = "/organisation/editions/{slug:str}/cartes"
    guards = [requires_organiser]
    tags = ["organisation"]

    @get("/", summary="Cartes d'accès des jurés d'une édition")
    async def cards(self, db: Database, slug: str, identity: Identity) -> Template:
        page = await service.cards_page(db, identity=identity, slug=slug)
        return Template(
            "organiser/cards.html", context={"edition": page.edition, "jurors": page.jurors, "message": None}
        )

    @post(
        "/",
        summary="Émettre, réémettre ou révoquer des cartes d'accès",
        status_code=200,
        responses=error_responses({422: "Révocation sans juré choisi (`person_id`)."}),
    )
    async def act(
        self,
        db: Database,
        state: State,
        slug: str,
        identity: Identity,
        data: Annotated[CardsForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        if data.action == "issue" and data.person_id is None and data.confirme != "oui":
            page = await service.cards_page(db, identity=identity, slug=slug)
            return Template(
                "organiser/cards.html",
                context={
                    "edition": page.edition,
                    "jurors": page.jurors,
                    "message": None,
                    "confirm_reissue": sum(1 for j in page.jurors if j.has_code),
                },
            )
        page = await service.act_on_cards(
            db, identity=identity, slug=slug, action=data.action, person_id=data.person_id
        )
        if page.issued is None:
            return Template(
                "organiser/cards.html",
                context={
                    "edition": page.edition,
                    "jurors": page.jurors,
                    "message": _revocation_message(page),
                },
            )
        base = state.settings.base_url.rstrip("/")
        printable = [
            {"card": c, "url": f"{base}/acces/{c.code}", "qr": qr_data_uri(f"{base}/acces/{c.code}")}
            for c in page.issued
        ]
        return Template(
            "organiser/cards_print.html",
            context={"edition": page.edition, "cards": printable, "base_url": base},
        )
