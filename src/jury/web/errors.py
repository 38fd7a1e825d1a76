"""Turn errors into answers: JSON for the API, a French page for browsers, never a stack trace."""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template

from jury.errors import JuryError

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


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith(("/api/", "/schema", "/healthz")):
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
                "errors": errors,
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
        {k: v for k, v in (("field", e.field), ("message", e.message), ("line", e.line)) if v is not None}
        for e in exc.errors
    ]
    return _answer(request, status=exc.status_code, message=exc.message, errors=errors)


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    out = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            out.append({"field": str(item.get("key", "")), "message": str(item.get("message", ""))})
    return out


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        return _answer(request, status=400, message="Données invalides.", errors=_validation_errors(exc))
    message = "Cette page n'existe pas." if status == 404 else TITLES.get(status, "Erreur")
    return _answer(request, status=status, message=message, errors=[])


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", path=request.url.path)
    return _answer(
        request,
        status=500,
        message="Une erreur inattendue s'est produite. L'équipe technique a été prévenue.",
        errors=[],
    )


def out_of_range_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """A value the database cannot even hold (an id beyond its integer range): nothing can match it."""
    log.info("data_out_of_range", path=request.url.path, error=str(exc)[:200])
    return _answer(request, status=404, message="Cette page n'existe pas.", errors=[])


def undecodable_request_handler(request: Request, exc: UnicodeDecodeError) -> Response:
    """A form field that is not text (Litestar decodes multipart fields sent without a file name as UTF-8)."""
    log.info("undecodable_request", path=request.url.path, error=str(exc)[:200])
    return _answer(
        request, status=400, message="Requête invalide : un champ n'est pas du texte UTF-8.", errors=[]
    )
