"""Contests, editions, rounds, candidates and jurors: the JSON API and the organisers' pages."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.contests import service
from jury.contests.models import CandidateRow, Contest, EditionDetail, JurorRow, Round
from jury.db.queries import Database


class ContestsApi(Controller):
    path = "/api"
    tags = ["concours"]

    @get("/contests", summary="Liste des concours et de leurs éditions")
    async def list_contests(self, db: Database) -> list[Contest]:
        return await service.list_contests(db)

    @get("/editions/{slug:str}", summary="Une édition")
    async def get_edition(self, db: Database, slug: str) -> EditionDetail:
        return await service.get_edition(db, slug)

    @get("/editions/{slug:str}/rounds", summary="Les tours d'une édition")
    async def list_rounds(self, db: Database, slug: str) -> list[Round]:
        return await service.edition_rounds(db, slug=slug)

    @get(
        "/editions/{slug:str}/candidates",
        summary="Les candidats d'une édition (organisateurs)",
        guards=[requires_organiser],
    )
    async def list_candidates(self, db: Database, slug: str, identity: Identity) -> list[CandidateRow]:
        return (await service.edition_candidates(db, identity=identity, slug=slug)).candidates

    @get(
        "/editions/{slug:str}/jurors",
        summary="Les jurés d'une édition (organisateurs)",
        guards=[requires_organiser],
    )
    async def list_jurors(self, db: Database, slug: str, identity: Identity) -> list[JurorRow]:
        return (await service.edition_jurors(db, identity=identity, slug=slug)).jurors


class ContestPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Page d'accueil des organisateurs")
    async def index(self, db: Database, identity: Identity) -> Template:
        contests = await service.organiser_contests(db, identity=identity)
        return Template("organiser/contests.html", context={"contests": contests})

    @get("/editions/{slug:str}", summary="Page d'une édition")
    async def edition(self, db: Database, slug: str, identity: Identity) -> Template:
        page = await service.edition_page(db, identity=identity, slug=slug)
        return Template(
            "organiser/edition.html",
            context={"edition": page.edition, "rounds": page.rounds, "categories": page.categories},
        )

    @get("/editions/{slug:str}/candidats", summary="Candidats d'une édition")
    async def candidates(self, db: Database, slug: str, identity: Identity) -> Template:
        page = await service.edition_candidates(db, identity=identity, slug=slug)
        return Template(
            "organiser/candidates.html", context={"edition": page.edition, "candidates": page.candidates}
        )

    @get("/editions/{slug:str}/jures", summary="Jurés d'une édition")
    async def jurors(self, db: Database, slug: str, identity: Identity) -> Template:
        page = await service.edition_jurors(db, identity=identity, slug=slug)
        return Template("organiser/jurors.html", context={"edition": page.edition, "jurors": page.jurors})
