"""The public entry page: what `jury` is running, with links for each audience."""

from __future__ import annotations

from litestar import get
from litestar.response import Template

from jury.contests import service
from jury.db.queries import Database


@get("/", summary="Accueil", tags=["pages"])
async def home(db: Database) -> Template:
    return Template("public/home.html", context={"contests": await service.list_contests(db)})
