"""The « English / Français » switch: the visitor's language, kept in their session.

Nothing is written to the database but the session itself, so it is not an audited act; a signed-in
juror keeps their choice until they sign out.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from jury.web.i18n import SESSION_KEY


class LanguageForm(msgspec.Struct):
    langue: Literal["fr", "en"]
    suite: str = "/"
    """The page to go back to: a path of this site only (anything else goes to the home page)."""


def _same_site_path(path: str) -> str:
    """Only a local path, never '//elsewhere' or a full address: the switch must not be an open redirect."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/"


@post(
    "/langue",
    summary="Choix de la langue des pages (français ou anglais)",
    status_code=303,
    response_description="Langue retenue : retour à la page d'où vient le visiteur.",
)
async def choose_language(
    request: Request, data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
) -> Redirect:
    session = dict(request.session) if "session" in request.scope and request.session else {}
    session[SESSION_KEY] = data.langue
    request.set_session(session)
    return Redirect(_same_site_path(data.suite), status_code=303)
