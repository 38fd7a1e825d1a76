"""Standings: the JSON API (organisers and, from deliberation on, jurors), the organisers' page and
its CSV/XLSX exports."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Response, get, post, put
from litestar.params import JSONBody, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser, requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.results import export, method, organiser_page, publication, standings
from jury.results.method_names import MethodName
from jury.results.models import MethodChange, Publication, PublishReceipt, StandingView, Verification
from jury.results.normalise import METHODS
from jury.web.openapi_errors import error_responses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CANNOT_COMPUTE = (
    "Classement incalculable : une fiche porte des notes d'une autre catégorie, ou la méthode du tour est "
    "inconnue."
)
COMPUTING = error_responses({409: CANNOT_COMPUTE})
PUBLISHING = error_responses(
    {
        409: "La notation n'est pas close (le classement se publie en délibération ou tour clos), ou le "
        "classement est incalculable.",
        422: "Aucune fiche soumise : il n'y a pas de classement à publier.",
    }
)
METHOD_CHANGE = error_responses(
    {409: "Le tour est clos : sa méthode de calcul ne change plus.", 422: "Méthode de calcul inconnue."}
)


class MethodRequest(msgspec.Struct, kw_only=True):
    method: MethodName


class StandingsApi(Controller):
    path = "/api/rounds"
    tags = ["classements"]
    guards = [requires_sign_in]

    @get(
        "/{round_id:int}/standings",
        summary="Classements d'un tour, par jury et catégorie",
        description=(
            "Organisateurs : tout, avec le diagnostic des jurés. Jurés : seulement en délibération ou tour "
            "clos, seulement leurs jurys, sans les candidats pour lesquels ils ont déclaré un conflit "
            "d'intérêts. `panel` / `category` (0 = aucun) restreignent la réponse."
        ),
        responses=COMPUTING,
    )
    async def current(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        panel: int | None = None,
        category: int | None = None,
    ) -> list[StandingView]:
        return await standings.standings(
            db, identity=identity, round_id=round_id, panel=panel, category=category
        )

    @get(
        "/{round_id:int}/standings/published",
        summary="Classements publiés d'un tour (la dernière publication, ou `version`)",
    )
    async def published(
        self, db: Database, identity: Identity, round_id: int, version: int | None = None
    ) -> Publication:
        return await standings.published(db, identity=identity, round_id=round_id, version=version)

    @post(
        "/{round_id:int}/standings/publish",
        summary="Publier les classements du tour (figés, reproductibles, audités)",
        guards=[requires_organiser],
        status_code=201,
        responses=PUBLISHING,
    )
    async def publish(self, db: Database, identity: Identity, round_id: int) -> PublishReceipt:
        return await publication.publish(db, identity=identity, round_id=round_id)

    @get(
        "/{round_id:int}/standings/published/verification",
        summary="Recalculer une publication depuis les fiches et comparer",
        guards=[requires_organiser],
        responses=COMPUTING,
    )
    async def verification(
        self, db: Database, identity: Identity, round_id: int, version: int | None = None
    ) -> list[Verification]:
        return await publication.verify_published(db, identity=identity, round_id=round_id, version=version)

    @put(
        "/{round_id:int}/standings/method",
        summary="Choisir la méthode de calcul des classements du tour",
        description=f"Méthodes : {', '.join(METHODS)}.",
        guards=[requires_organiser],
        responses=METHOD_CHANGE,
    )
    async def method(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[MethodRequest]
    ) -> MethodChange:
        return await method.set_method(db, identity=identity, round_id=round_id, method=data.method)


class StandingPages(Controller):
    path = "/organisation/rounds"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/{round_id:int}/classement", summary="Classements d'un tour (organisateurs)", responses=COMPUTING)
    async def page(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        section: Annotated[str | None, QueryParameter(name="section", max_length=40)] = None,
    ) -> Template:
        context = await organiser_page.organiser_page(
            db, identity=identity, round_id=round_id, section=section
        )
        return Template(
            "organiser/standings.html",
            context={"page": context, "change": export.rank_change},
            media_type=MediaType.HTML,
        )

    @get(
        "/{round_id:int}/classement.csv",
        summary="Classements du tour en CSV",
        media_type="text/csv",
        responses=COMPUTING,
    )
    async def csv(self, db: Database, identity: Identity, round_id: int) -> Response[bytes]:
        content = await export.standings_csv(db, identity=identity, round_id=round_id)
        return _download(content, f"classement-tour-{round_id}.csv", "text/csv; charset=utf-8")

    @get(
        "/{round_id:int}/classement.xlsx",
        summary="Classements du tour en XLSX",
        media_type=XLSX,
        responses=COMPUTING,
    )
    async def xlsx(self, db: Database, identity: Identity, round_id: int) -> Response[bytes]:
        content = await export.standings_xlsx(db, identity=identity, round_id=round_id)
        return _download(content, f"classement-tour-{round_id}.xlsx", XLSX)

    @post(
        "/{round_id:int}/classement/methode",
        summary="Changer la méthode (formulaire)",
        status_code=303,
        responses=METHOD_CHANGE,
    )
    async def method(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: URLEncodedBody[MethodRequest],
    ) -> Redirect:
        await method.set_method(db, identity=identity, round_id=round_id, method=data.method)
        return Redirect(f"/organisation/rounds/{round_id}/classement", status_code=303)

    @post(
        "/{round_id:int}/classement/publier",
        summary="Publier les classements (formulaire)",
        status_code=303,
        responses=PUBLISHING,
    )
    async def publish(self, db: Database, identity: Identity, round_id: int) -> Redirect:
        await publication.publish(db, identity=identity, round_id=round_id)
        return Redirect(f"/organisation/rounds/{round_id}/classement", status_code=303)


def _download(content: bytes, name: str, media_type: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
