"""What the scoring pages and APIs share: their documented refusals and the CSV download answer."""

from __future__ import annotations

from litestar import Response
from litestar.openapi.datastructures import ResponseSpec

from jury.web.openapi_errors import error_responses

__all__ = ["csv_download", "scoring_errors"]

DESCRIBED = {
    401: "Connexion requise.",
    403: "Candidat non affecté à ce juré, ou conflit d'intérêts déclaré avec lui.",
    404: "Tour ou candidat inconnu pour l'édition de cette tablette.",
    409: "Tour pas ouvert à la notation, ou conflits d'intérêts pas encore déclarés.",
    422: "Données refusées : chaque erreur nomme son champ, en français ; rien n'est écrit.",
}


def scoring_errors(*codes: int) -> dict[int, ResponseSpec]:
    """The OpenAPI answers of these routes, one wording per status code for the whole feature."""
    return error_responses({code: DESCRIBED[code] for code in codes})


def csv_download(content: bytes, name: str) -> Response[bytes]:
    """A CSV offered as a file named `name` (the organisers' exports)."""
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
