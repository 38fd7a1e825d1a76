"""The organisers' follow-up of a round being marked: the page, its refreshed table, its CSV and its API."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, Response, get
from litestar.params import QueryParameter
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.paging import MAX_PAGE
from jury.scoring import progress
from jury.scoring.models import RoundProgress
from jury.scoring.shared_web import csv_download, scoring_errors

__all__ = ["ProgressApi", "ProgressPages"]

CandidatePage = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_PAGE, description="Page du tableau par candidat (au-delà : la dernière)."),
]
JurorPage = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_PAGE, description="Page du tableau par juré (au-delà : la dernière)."),
]


class ProgressApi(Controller):
    path = "/api/rounds/{round_id:int}/progress"
    tags = ["suivi"]
    guards = [requires_organiser]

    @get(
        "/",
        summary="Avancement de la notation d'un tour",
        description="Feuilles validées / attendues par juré et par candidat, déclarations en attente, "
        "conflits, et candidats avec moins de jurés que la cible du tour (`hole`).",
        responses=scoring_errors(401, 403, 404),
    )
    async def get_progress(self, db: Database, identity: Identity, round_id: int) -> RoundProgress:
        return await progress.round_progress(db, identity=identity, round_id=round_id)


class ProgressPages(Controller):
    path = "/organisation/rounds/{round_id:int}"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/suivi", summary="Suivi de la notation d'un tour (tableaux par pages de 50)")
    async def page(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        page: CandidatePage = 1,
        page_jures: JurorPage = 1,
    ) -> Template:
        state = await progress.progress_page(
            db, identity=identity, round_id=round_id, page=page, juror_page=page_jures
        )
        return Template("organiser/progress.html", context={"p": state}, media_type=MediaType.HTML)

    @get("/suivi/tableau", summary="Tableau de suivi (fragment rafraîchi toutes les 10 s)")
    async def table(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        page: CandidatePage = 1,
        page_jures: JurorPage = 1,
    ) -> Template:
        state = await progress.progress_page(
            db, identity=identity, round_id=round_id, page=page, juror_page=page_jures
        )
        return Template("organiser/_progress_table.html", context={"p": state}, media_type=MediaType.HTML)

    @get("/suivi.csv", summary="Suivi de la notation en CSV", media_type="text/csv")
    async def csv(self, db: Database, identity: Identity, round_id: int) -> Response[bytes]:
        state = await progress.round_progress(db, identity=identity, round_id=round_id)
        return csv_download(progress.progress_csv(state), f"suivi-tour-{round_id}.csv")
