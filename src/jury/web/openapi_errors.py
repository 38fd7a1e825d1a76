"""Document in the OpenAPI schema the error answers every route can really give, from one set of rules.

Most refusals do not come from the handler itself but from what surrounds it: a guard (401, 403), the
cross-origin check of `jury.web.security` (403 on any unsafe method), an id in the path that names nothing
(404, also for ids beyond the database's integer range), the validation of parameters and unreadable bodies
(400), a body its schema refuses (422, `jury.web.errors.body_refused`) and the size limit on request bodies
(413). Writing these on every decorator would drift; instead
`document_error_responses(app)` derives them from each handler's guards, path, method and parameters once
the routes are registered, and before the schema is first built (it is built lazily).

What only the service knows — a state conflict (409), a refused value (422) — is declared on the route with
`error_responses({...})`; a route's own declarations always win over the derived ones.

Every error answer has the body of `jury.web.errors` (`ErrorBody`). Pages answer errors as a French HTML page
when the browser asks for HTML and as JSON otherwise (`jury.web.errors.answers_html_for`), so their error
responses document both content types; the JSON API only ever answers JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Litestar, MediaType
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.routes import HTTPRoute

from jury.access.guards import requires_juror, requires_organiser, requires_sign_in
from jury.errors import FieldError
from jury.web.errors import answers_html_for
from jury.web.openapi_forms import FORM_BODY, with_form_body
from jury.web.security import SAFE_METHODS

__all__ = [
    "NOTHING_TO_LOOK_UP",
    "ErrorBody",
    "PageOperation",
    "derived_error_statuses",
    "document_error_responses",
    "error_responses",
]

# Put in a handler's `opt` when its path parameter is not the name of something that may not exist (a sign-in
# code: an unknown one is a refused credential, 422, not a missing page).
NOTHING_TO_LOOK_UP = "path_names_nothing"


class ErrorBody(msgspec.Struct, kw_only=True):
    """The JSON body of every error answer (`jury.web.errors._answer`): code, French message, field errors."""

    status_code: int
    detail: str
    errors: list[FieldError] = msgspec.field(default_factory=list)  # absent when there is nothing to list


# What each guard may refuse. `requires_sign_in` lets both organisers and jurors through and leaves the rest to
# the service, which refuses with 403 whoever may not act there (another contest, another panel).
GUARD_REFUSALS: dict[Callable[..., Any], dict[int, str]] = {
    requires_organiser: {401: "Connexion requise.", 403: "Réservé aux organisateurs de ce concours."},
    requires_juror: {401: "Connexion requise.", 403: "Réservé aux jurés (tablette connectée par code)."},
    requires_sign_in: {401: "Connexion requise.", 403: "Action non autorisée pour ce compte."},
}
UNKNOWN_GUARD: dict[int, str] = {401: "Connexion requise.", 403: "Accès refusé."}
DECLARED = "declared_responses"  # in a handler's `opt`: its own `responses=`, before any derived one
CROSS_ORIGIN = "Requête d'origine extérieure refusée."
BAD_REQUEST = "Paramètres invalides ou corps de requête illisible : chaque erreur nomme son champ."
BODY_REFUSED = (
    "Corps de requête refusé par son schéma (type, champ manquant ou inconnu, longueur, bornes, valeur hors "
    "liste) : chaque erreur nomme son champ, rien n'est enregistré."
)
TOO_LARGE = "Corps de requête trop volumineux (limite JURY_MAX_UPLOAD_BYTES)."


def error_responses(descriptions: Mapping[int, str], *, page: bool = False) -> dict[int, ResponseSpec]:
    """`responses=` for what only the service knows (409, 422…), with the common error body.

    `page=True` for a form that answers a refusal by showing itself again, with the message, whatever the
    client asked for: that answer is only ever HTML.
    """
    if page:
        return {
            status: ResponseSpec(data_container=str, media_type=MediaType.HTML, description=text)
            for status, text in descriptions.items()
        }
    return {
        status: ResponseSpec(data_container=ErrorBody, description=text, generate_examples=False)
        for status, text in descriptions.items()
    }


def derived_error_statuses(*, route: HTTPRoute, handler: HTTPRouteHandler) -> dict[int, str]:
    """The error statuses a handler can answer whatever its service does, each with a French description."""
    statuses: dict[int, str] = {}
    if _takes_parameters(route=route, handler=handler):
        statuses[400] = BAD_REQUEST
    for guard in handler.resolve_guards():
        original = getattr(guard, "func", guard)  # Litestar wraps guards in an AsyncCallable
        for status, text in GUARD_REFUSALS.get(original, UNKNOWN_GUARD).items():
            statuses.setdefault(status, text)
    if set(handler.http_methods) - SAFE_METHODS:
        statuses[403] = f"{statuses[403]} Ou : {CROSS_ORIGIN.lower()}" if 403 in statuses else CROSS_ORIGIN
    if route.path_parameters and not handler.opt.get(NOTHING_TO_LOOK_UP):
        names = ", ".join(f"`{name}`" for name in route.path_parameters)
        statuses[404] = f"Introuvable : {names} (ou un identifiant de la requête) ne désigne rien d'existant."
    if _reads_body(handler):
        statuses[413] = TOO_LARGE
    if _validates_body(handler):
        statuses[422] = BODY_REFUSED
    return statuses


def document_error_responses(app: Litestar) -> None:
    """Add the derived error responses to every route in the schema; pages also document their HTML form.

    Must run before the schema is first built; `create_app` calls it right after building the app.
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            statuses = derived_error_statuses(route=route, handler=handler)
            # The route's own declarations, kept from the first time: documenting again (standalone handlers
            # are shared by every app of a process) must give the same schema, not merge twice.
            declared = dict(handler.opt.setdefault(DECLARED, dict(handler.responses or {})))
            if 422 in statuses and 422 in declared:
                # The service's refusals and the schema's share the status: one answer documents both. A
                # page's own refusal is the page (HTML); the schema's is the error page, JSON to clients
                # that do not ask for HTML, so the merged answer is documented with both (`PageOperation`).
                statuses[422] = f"{declared.pop(422).description} Ou : {_lowered(BODY_REFUSED)}"
            handler.responses = {**error_responses(statuses), **declared}
            if answers_html_for(route.path):
                handler.operation_class = PageOperation
            if FORM_BODY in handler.opt:
                base = PageOperation if answers_html_for(route.path) else Operation
                handler.operation_class = with_form_body(base, handler.opt[FORM_BODY])


@dataclass
class PageOperation(Operation):
    """A page's operation: its errors come as an HTML page to browsers, as JSON to other clients.

    Its redirects (the answer to a successful form) have no body, whatever Litestar infers from a
    `Template | Redirect` return type.
    """

    def __post_init__(self) -> None:
        for status, response in (self.responses or {}).items():
            if not isinstance(response, OpenAPIResponse):
                continue
            if 300 <= int(status) < 400:
                response.content = None
            elif int(status) >= 400:
                response.content = {**(response.content or {}), **_html_page()}


def _html_page() -> dict[str, OpenAPIMediaType]:
    return {MediaType.HTML.value: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))}


def _reads_body(handler: HTTPRouteHandler) -> bool:
    """Whether the handler (or one of its dependencies) takes `data`, or reads a documented form itself."""
    if FORM_BODY in handler.opt:
        return True
    signatures = [handler.parsed_fn_signature]
    signatures += [provider.parsed_fn_signature for provider in handler.resolve_dependencies().values()]
    return any("data" in signature.parameters for signature in signatures)


def _validates_body(handler: HTTPRouteHandler) -> bool:
    """Whether Litestar decodes a `data` body into a type (of the handler or one of its dependencies): a body
    that type refuses is answered 422. A form the handler reads itself is checked by its own code."""
    signatures = [handler.parsed_fn_signature]
    signatures += [provider.parsed_fn_signature for provider in handler.resolve_dependencies().values()]
    return any("data" in signature.parameters for signature in signatures)


def _lowered(text: str) -> str:
    return text[:1].lower() + text[1:]


def _takes_parameters(*, route: HTTPRoute, handler: HTTPRouteHandler) -> bool:
    """Whether Litestar validates anything from the request (and may answer 400), as its own schema assumes."""
    if route.path_parameters:
        return True
    if _reads_body(handler):
        return True
    provided = set(handler.resolve_dependencies())
    names: Iterable[str] = handler.parsed_fn_signature.parameters
    return any(name not in RESERVED_KWARGS and name not in provided for name in names)
