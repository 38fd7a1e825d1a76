"""Contests, editions, rounds, candidates and jurors: the JSON API and the organisers' pages."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.contests import contest_setup, service, setup
from jury.contests.models import CandidateRow, Contest, EditionDetail, JurorRow
from jury.contests.setup_models import EditionChanges, EditionSettings, NewContest
from jury.contests.setup_web import CREATE_CONTEST_REFUSALS, UPDATE_EDITION_REFUSALS
from jury.db.queries import Database
from jury.paging import MAX_PAGE

API_LIMIT = 500
"""Rows the list routes of the API answer when no `limit` is given (at most API_MAX_LIMIT)."""
API_MAX_LIMIT = 1000

Limit = Annotated[
    int,
    QueryParameter(
        ge=1,
        le=API_MAX_LIMIT,
        description=f"Nombre de lignes au plus (défaut {API_LIMIT}, au plus {API_MAX_LIMIT}).",
    ),
]
Offset = Annotated[
    int, QueryParameter(ge=0, description="Lignes sautées avant la première rendue (défaut 0).")
]
PageNumber = Annotated[
    int,
    QueryParameter(
        ge=1, le=MAX_PAGE, description="Page de la liste (défaut 1 ; au-delà de la dernière : la dernière)."
    ),
]


class ContestsApi(Controller):
    path = "/api"
    tags = ["concours"]

    @get("/contests", summary="Liste des concours et de leurs éditions")
    async def list_contests(self, db: Database) -> list[Contest]:
        return await service.list_contests(db)

    @post(
        "/contests",
        summary="Créer un concours (administrateurs)",
        status_code=201,
        guards=[requires_organiser],
        responses=CREATE_CONTEST_REFUSALS,
    )
    async def create_contest(self, db: Database, identity: Identity, data: JSONBody[NewContest]) -> Contest:
        return await contest_setup.create_contest(db, identity=identity, request=data)

    @get("/editions/{slug:str}", summary="Une édition")
    async def get_edition(self, db: Database, slug: str) -> EditionDetail:
        return await service.get_edition(db, slug)

    @patch(
        "/editions/{slug:str}",
        summary="Modifier les réglages d'une édition",
        description="Seuls les champs présents changent ; null efface une valeur facultative. Une fois "
        "l'édition décidée, seuls le thème, le lieu, la date de décision et la durée de conservation changent.",
        guards=[requires_organiser],
        responses=UPDATE_EDITION_REFUSALS,
    )
    async def update_edition(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[EditionChanges]
    ) -> EditionSettings:
        return await setup.update_edition(db, identity=identity, slug=slug, changes=data)

    # GET /api/editions/{slug}/rounds lives in jury.rounds.setup_web, beside the POST of the same path
    # (Litestar refuses one path split over two controllers).

    @get(
        "/editions/{slug:str}/candidates",
        summary="Les candidats d'une édition (organisateurs)",
        description="Dans l'ordre des numéros d'inscription, par tranches : `limit` lignes (défaut "
        f"{API_LIMIT}, au plus {API_MAX_LIMIT}) à partir de `offset` (défaut 0).",
        guards=[requires_organiser],
    )
    async def list_candidates(
        self, db: Database, slug: str, identity: Identity, limit: Limit = API_LIMIT, offset: Offset = 0
    ) -> list[CandidateRow]:
        return await service.edition_candidate_rows(
            db, identity=identity, slug=slug, limit=limit, offset=offset
        )

    @get(
        "/editions/{slug:str}/jurors",
        summary="Les jurés d'une édition (organisateurs)",
        description="Par ordre alphabétique, par tranches : `limit` lignes (défaut "
        f"{API_LIMIT}, au plus {API_MAX_LIMIT}) à partir de `offset` (défaut 0).",
        guards=[requires_organiser],
    )
    async def list_jurors(
        self, db: Database, slug: str, identity: Identity, limit: Limit = API_LIMIT, offset: Offset = 0
    ) -> list[JurorRow]:
        return await service.edition_juror_rows(db, identity=identity, slug=slug, limit=limit, offset=offset)


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

    @get("/editions/{slug:str}/candidats", summary="Candidats d'une édition (recherche, pages de 50)")
    async def candidates(
        self,
        db: Database,
        slug: str,
        identity: Identity,
        q: Annotated[
            str,
            QueryParameter(max_length=200, description="Recherche : nom, structure, courriel ou commune."),
        ] = "",
        page: PageNumber = 1,
    ) -> Template:
        found = await service.edition_candidates(db, identity=identity, slug=slug, search=q, page=page)
        return Template(
            "organiser/candidates.html",
            context={
                "edition": found.edition,
                "candidates": found.candidates,
                "paging": found.paging,
                "search": found.search,
                "edition_total": found.edition_total,
            },
        )

    @get("/editions/{slug:str}/jures", summary="Jurés d'une édition (pages de 50)")
    async def jurors(self, db: Database, slug: str, identity: Identity, page: PageNumber = 1) -> Template:
        found = await service.edition_jurors(db, identity=identity, slug=slug, page=page)
        return Template(
            "organiser/jurors.html",
            context={"edition": found.edition, "jurors": found.jurors, "paging": found.paging},
        )
