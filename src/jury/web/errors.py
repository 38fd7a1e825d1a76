"""Turn errors into answers: JSON for the API, a French page for browsers, never a stack trace."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

import asyncpg
import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.response import Template
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from jury.errors import JuryError, Throttled

log = structlog.get_logger(__name__)

TITLES = {
    400: "Requête invalide",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    409: "Conflit de version",
    413: "Fichier trop volumineux",
    422: "Données invalides",
    429: "Trop de tentatives",
    500: "Erreur interne",
    503: "Service indisponible",
}


def answers_html_for(path: str) -> bool:
    """Whether errors on this path may come as a page (to browsers); the API and probes only answer JSON.

    Also read by `jury.web.openapi_errors`, so that the schema documents what this module answers.
    """
    return not path.startswith(("/api/", "/schema", "/healthz"))


def _wants_html(request: Request) -> bool:
    if not answers_html_for(request.url.path):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def _answer(request: Request, *, status: int, message: str, errors: list[dict[str, Any]]) -> Response:
    if _wants_html(request):
        return Template(
            template_name="public/error.html",
            context={
                "status": status,
                "title": TITLES.get(status, "Erreur"),
                "message": message,
                # The page reads `line` and `field` of every error; not every error has them.
                "errors": [{"field": None, "line": None, "link": None, **e} for e in errors],
            },
            status_code=status,
            media_type=MediaType.HTML,
        )
    body: dict[str, Any] = {"status_code": status, "detail": message}
    if errors:
        body["errors"] = errors
    return Response(content=body, status_code=status, media_type=MediaType.JSON)


def jury_error_handler(request: Request, exc: JuryError) -> Response:
    errors = [
        {
            k: v
            for k, v in (("field", e.field), ("message", e.message), ("line", e.line), ("link", e.link))
            if v is not None
        }
        for e in exc.errors
    ]
    response = _answer(request, status=exc.status_code, message=exc.message, errors=errors)
    if isinstance(exc, Throttled):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


BODY = "corps"  # what a body-level error (not an object, unknown or missing field) is named after
_TYPE_NAMES = {
    "int": "un nombre entier",
    "float": "un nombre",
    "decimal": "un nombre",
    "str": "du texte",
    "bool": "vrai ou faux",
    "object": "un objet",
    "array": "une liste",
    "null": "null",
    "uuid": "un UUID",
    "date": "une date AAAA-MM-JJ",
    "datetime": "une date et heure ISO 8601",
}
_AT = re.compile(r"\s+-\s+at\s+`\$(?P<path>[^`]*)`$")


def _type_name(spec: str) -> str:
    names = [_TYPE_NAMES.get(part.strip(), part.strip()) for part in spec.split("|")]
    return " ou ".join(dict.fromkeys(names))


def french_message(message: str) -> tuple[str | None, str]:
    """msgspec's English message → (the field it names, if any; the message in French)."""
    message = _AT.sub("", message.strip())
    if m := re.fullmatch(r"Expected `(.+?)`, got `(.+?)`", message):
        return None, f"Valeur attendue : {_type_name(m[1])} (reçu : {_type_name(m[2])})."
    if m := re.fullmatch(r"Expected `(.+?)` of length (>=|<=) (\d+)", message):
        bound = "au moins" if m[2] == ">=" else "au plus"
        unit = "caractère(s)" if m[1] == "str" else "élément(s)"
        return None, f"Longueur invalide : {bound} {m[3]} {unit}."
    if m := re.fullmatch(r"Expected `(.+?)` (>=|<=|>|<) (\S+)", message):
        words = {
            ">=": "supérieure ou égale à",
            "<=": "inférieure ou égale à",
            ">": "supérieure à",
            "<": "inférieure à",
        }
        return None, f"La valeur doit être {words[m[2]]} {m[3]}."
    if m := re.fullmatch(r"Expected `str` matching regex '(.+)'", message):
        if m[1] == r"\\S":
            return None, "Texte obligatoire : il ne peut pas être vide."
        return None, f"Format invalide : attendu le motif {m[1]}."
    if m := re.fullmatch(r"Object missing required field `(.+?)`", message):
        return m[1], "Champ obligatoire manquant."
    if m := re.fullmatch(r"Object contains unknown field `(.+?)`", message):
        return m[1], "Champ inconnu."
    if m := re.fullmatch(r"Invalid enum value (.+)", message):
        return None, f"Valeur non reconnue : {m[1]}."
    if message.startswith("Invalid UUID"):
        return None, "Identifiant invalide : un UUID est attendu."
    if re.match(r"Invalid (RFC ?3339|ISO ?8601)", message):
        return None, "Date invalide : attendu AAAA-MM-JJ (ou date et heure ISO 8601)."
    if message.startswith(("Number out of range", "Integer value out of range")):
        return None, "Nombre hors limites."
    if message.startswith("Input data was truncated"):
        return None, "JSON incomplet : le corps de la requête s'arrête avant la fin."
    if message.startswith("JSON is malformed"):
        return None, "JSON mal formé."
    return None, "Valeur invalide."


def _field_path(key: str, named: str | None) -> str:
    """Litestar's key ("data" for the body itself, "values[...]" for a dict value) → the field shown."""
    key = re.sub(r"\[\.\.\.\]", "", key)
    if key in ("", "data"):
        return named or BODY
    return f"{key}.{named}" if named else key


def _validation_errors(exc: ValidationException, *, body_type: Any = None) -> list[dict[str, Any]]:
    out = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            named, message = french_message(str(item.get("message", "")))
            key = str(item.get("key", ""))
            if item.get("source") == "body" and key == "data" and named is None and "got" not in message:
                message = "Le corps de la requête doit être un objet JSON."
            field = _field_path(key, named)
            if field == BODY and (inner := _path_in_body(exc)):
                field = inner  # a body that is a list: Litestar loses the place, msgspec's error keeps it
                if "got" not in message and not named:
                    message = french_message(_AT.sub("", str(exc.__cause__)))[1]
            if message.startswith(UNKNOWN_VALUE) and body_type is not None:
                accepted = accepted_values(body_type, field)
                if accepted:
                    message = f"{message[:-1]} ; valeurs admises : {', '.join(map(str, accepted))}."
            out.append({"field": field, "message": message})
    return out


UNKNOWN_VALUE = "Valeur non reconnue"
_DATA_PATH = re.compile(r"at `\$\.data(?P<path>\[[^`]*)`$")


def _path_in_body(exc: ValidationException) -> str | None:
    """Where in a list body msgspec stopped (`[2].weight`), from the error Litestar raised this from."""
    cause = exc.__cause__
    if not isinstance(cause, msgspec.ValidationError) or len(exc.extra or []) != 1:
        return None
    match = _DATA_PATH.search(str(cause))
    return match["path"] if match else None


def _body_type(request: Request) -> Any:
    """The type Litestar decodes the request's `data` into, if its handler takes one."""
    handler = request.scope.get("route_handler")
    parameter = handler.parsed_fn_signature.parameters.get("data") if handler is not None else None
    return None if parameter is None else parameter.annotation


def accepted_values(body_type: Any, field: str) -> tuple[Any, ...]:
    """The values a `Literal` (or enum) field of a body accepts, followed along a path such as
    `awards[2].prize` (empty when the path does not lead to one), so that a refusal can list them."""
    infos = [msgspec.inspect.type_info(body_type)]
    for part in field.split("."):
        name, brackets = re.sub(r"\[[^\]]*\]", "", part), part.count("[")
        if name:  # `[2].weight`: a body that is a list starts with its index
            infos = [
                f.type
                for info in _members(infos)
                if isinstance(info, msgspec.inspect.StructType)
                for f in info.fields
                if f.encode_name == name
            ]
        for _ in range(brackets):
            infos = [
                getattr(info, "item_type", None) or getattr(info, "value_type", None)
                for info in _members(infos)
            ]
            infos = [info for info in infos if info is not None]
    for info in _members(infos):
        if isinstance(info, msgspec.inspect.LiteralType):
            return tuple(info.values)
        if isinstance(info, msgspec.inspect.EnumType):
            return tuple(member.value for member in info.cls)
    return ()


def _decoded_json(request: Request) -> Any:
    """The JSON body Litestar already decoded for this request (kept in the scope), or None."""
    value = ScopeState.from_scope(request.scope).json
    return None if value is Empty else value


def _every_body_error(body_type: Any, value: Any) -> list[dict[str, Any]]:
    """Every field of a JSON object body that its type refuses, not only the first one msgspec stops at,
    each named and said in French like `_validation_errors` does; empty when the body is not an object or
    a list of them (the first error then says it all)."""
    if body_type is None or not isinstance(value, (dict, list)):
        return []
    try:
        refusals = _refusals(body_type, value, "")
    except Exception:  # a type this walk does not know: the first error, as Litestar gave it, says enough
        log.warning("body_refusals_unlisted", exc_info=True)
        return []
    out: list[dict[str, Any]] = []
    for path, message in refusals:
        named, french = french_message(message)
        field = f"{path}.{named}" if path and named else named or path or BODY
        if french.startswith(UNKNOWN_VALUE) and (accepted := accepted_values(body_type, field)):
            french = f"{french[:-1]} ; valeurs admises : {', '.join(map(str, accepted))}."
        if {"field": field, "message": french} not in out:
            out.append({"field": field, "message": french})
    return out


def _refusals(kind: Any, value: Any, path: str) -> list[tuple[str, str]]:
    """(where, msgspec's message) for each part of `value` that `kind` refuses, field by field and item by
    item, so that one answer names them all."""
    try:
        msgspec.convert(value, kind, strict=False, str_keys=True)
        return []
    except msgspec.ValidationError as exc:
        first = str(exc)
    at = _AT.search(first)
    where = re.sub(r"\[\.\.\.\]", "", path + (at["path"] if at else "")).lstrip(".")
    whole = [(where, first)]
    inner = _container(kind, value)
    if inner is None:
        return whole
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        fields = {f.encode_name: f for f in msgspec.structs.fields(inner)}
        for name, f in fields.items():
            if name in value:
                found += _refusals(f.type, value[name], f"{path}.{name}")
            elif f.required:
                found.append((path.lstrip("."), f"Object missing required field `{name}`"))
        if inner.__struct_config__.forbid_unknown_fields:
            found += [
                (path.lstrip("."), f"Object contains unknown field `{name}`")
                for name in value
                if name not in fields
            ]
    else:
        for index, item in enumerate(value):
            found += _refusals(inner, item, f"{path}[{index}]")
    # An error about this object or list itself (a length) is not one of its parts'.
    itself = where == re.sub(r"\[\.\.\.\]", "", path).lstrip(".")
    return (whole if itself else []) + found or whole


def _container(kind: Any, value: Any) -> Any:
    """The struct type (for an object) or the item type (for a list) `kind` reads `value` as, if any."""
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    options = typing.get_args(kind) if typing.get_origin(kind) in (typing.Union, types.UnionType) else (kind,)
    for option in options:
        while typing.get_origin(option) is typing.Annotated:
            option = typing.get_args(option)[0]
        if isinstance(value, dict) and isinstance(option, type) and issubclass(option, msgspec.Struct):
            return option
        if isinstance(value, list) and typing.get_origin(option) in (list, tuple):
            return typing.get_args(option)[0]
    return None


def _members(infos: list[Any]) -> list[Any]:
    """Unions and metadata wrappers opened up."""
    out: list[Any] = []
    for info in infos:
        while isinstance(info, msgspec.inspect.Metadata):
            info = info.type
        if isinstance(info, msgspec.inspect.UnionType):
            out.extend(_members(list(info.types)))
        else:
            out.append(info)
    return out


def _serialization_errors(exc: SerializationException) -> list[dict[str, Any]]:
    """A body msgspec could not decode at all: name the place it stopped at, when it says so."""
    text = str(exc)
    where = _AT.search(text)
    path = re.sub(r"\[\.\.\.\]|\[\d+\]", "", where["path"]).lstrip(".") if where else ""
    _, message = french_message(text)
    return [{"field": path or BODY, "message": message}]


def body_refused(exc: ValidationException) -> bool:
    """Whether every error Litestar found is in the body it decoded (a JSON or form body that its schema
    refuses: a type, a missing or unknown field, a length, a bound, a value outside a list).

    Such a body is answered 422, like the refusals of the services' own checks, so that a client sees one
    status for "this value is not accepted" whether the schema or the service caught it; parameters of the
    path or query string stay 400, and so does a body that cannot be read at all (malformed JSON).
    `jury.web.openapi_errors` documents this 422 on every route whose body Litestar decodes.
    """
    items = [item for item in exc.extra or [] if isinstance(item, dict)]
    return bool(items) and all(item.get("source") == "body" for item in items)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        status = 422 if body_refused(exc) else 400
        body_type = _body_type(request) if status == 422 else None
        errors = _every_body_error(body_type, _decoded_json(request)) or _validation_errors(
            exc, body_type=body_type
        )
        return _answer(request, status=status, message="Données invalides.", errors=errors)
    if isinstance(exc.__cause__, SerializationException):
        return _answer(
            request,
            status=400,
            message="Corps de requête illisible : rien n'a été enregistré.",
            errors=_serialization_errors(exc.__cause__),
        )
    if status == 413:
        return _answer(request, status=413, message=_too_large(request), errors=[])
    if status == 429:
        return _throttled(request, exc)
    message = "Cette page n'existe pas." if status == 404 else TITLES.get(status, "Erreur")
    return _answer(request, status=status, message=message, errors=[])


def _throttled(request: Request, exc: HTTPException) -> Response:
    """The per-address ceiling on sign-in attempts (Litestar's throttle): the wait in French, in words on
    the page and in `Retry-After`, with the RateLimit-* headers the throttle computed."""
    headers = dict(exc.headers or {})
    seconds = max(1, int(headers.get("RateLimit-Reset", "60") or 60))
    headers["Retry-After"] = str(seconds)
    response = _answer(request, status=429, message=Throttled.sign_in(seconds).message, errors=[])
    response.headers.update(headers)
    return response


def _too_large(request: Request) -> str:
    settings = request.app.state.get("settings")
    limit = getattr(settings, "max_upload_bytes", 0)
    if not limit:
        return "Fichier ou requête trop volumineux : rien n'a été enregistré."
    shown = f"{limit / 1_048_576:g} Mo" if limit >= 1_048_576 else f"{limit / 1024:g} Ko"
    return f"Fichier ou requête trop volumineux ({shown} au plus) : rien n'a été enregistré."


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", path=request.url.path)
    return _answer(
        request,
        status=500,
        message="Une erreur inattendue s'est produite. L'équipe technique a été prévenue.",
        errors=[],
    )


INT4 = range(-(2**31), 2**31)


def out_of_range_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """A value the database cannot even hold (an id beyond its integer range): nothing can match it."""
    log.info("data_out_of_range", path=request.url.path, error=type(exc).__name__)
    beyond = [
        {"field": name, "message": "Identifiant inconnu."}
        for name, value in request.path_params.items()
        if isinstance(value, int) and value not in INT4
    ]
    if beyond or request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return _answer(request, status=404, message="Cette page n'existe pas.", errors=beyond)
    return _answer(
        request,
        status=422,
        message="Données invalides : une valeur dépasse ce que la base de données peut enregistrer. "
        "Rien n'a été enregistré.",
        errors=[],
    )


def undecodable_request_handler(request: Request, exc: UnicodeDecodeError) -> Response:
    """A form field that is not text (Litestar decodes multipart fields sent without a file name as UTF-8)."""
    log.info("undecodable_request", path=request.url.path, error=type(exc).__name__)
    return _answer(
        request, status=400, message="Requête invalide : un champ n'est pas du texte UTF-8.", errors=[]
    )
