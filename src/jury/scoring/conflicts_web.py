"""The organisers' register of conflict-of-interest declarations of an edition: page, CSV and API."""

from __future__ import annotations

from litestar import Controller, MediaType, Response, get
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.scoring import conflicts
from jury.scoring.models import RegisterEntry
from jury.scoring.shared_web import csv_download, scoring_errors

__all__ = ["ConflictRegisterApi", "ConflictRegisterPages"]


class ConflictRegisterPages(Controller):
    path = "/organisation/editions/{slug:str}"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/conflits", summary="Registre des conflits d'intérêts d'une édition")
    async def page(self, db: Database, identity: Identity, slug: str) -> Template:
        register = await conflicts.edition_register(db, identity=identity, slug=slug)
        return Template(
            "organiser/conflicts.html",
            context={"edition": register.edition, "entries": register.entries, "paris": conflicts.PARIS},
            media_type=MediaType.HTML,
        )

    @get("/conflits.csv", summary="Registre des conflits d'intérêts (CSV)", media_type="text/csv")
    async def csv(self, db: Database, identity: Identity, slug: str) -> Response[bytes]:
        register = await conflicts.edition_register(db, identity=identity, slug=slug)
        return csv_download(conflicts.register_csv(register.entries), f"conflits-{slug}.csv")


class ConflictRegisterApi(Controller):
    path = "/api/editions/{slug:str}/conflicts"
    tags = ["suivi"]
    guards = [requires_organiser]

    @get(
        "/",
        summary="Registre des conflits d'intérêts d'une édition",
        description="Toutes les déclarations des jurés de l'édition (« conflit » avec motif, ou « aucun "
        "conflit »), conflits d'abord.",
        responses=scoring_errors(401, 403, 404),
    )
    async def register(self, db: Database, identity: Identity, slug: str) -> list[RegisterEntry]:
        return (await conflicts.edition_register(db, identity=identity, slug=slug)).entries
