"""Undoing a decision over HTTP: the JSON API (organisers, then the chair's correction) and the decisions
page's « Annuler » form, which shows the refusal on the page itself."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_juror, requires_organiser, requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation.awards.web import decisions_page_template
from jury.deliberation.undo import chair_page, service
from jury.deliberation.undo.models import UndoneDecision, UndoRequest
from jury.errors import JuryError
from jury.web.openapi_errors import error_responses

REFUSALS = {
    403: "Ni organisateur du concours, ni présidence du jury du tour (après la décision de l'édition).",
    409: "Décision déjà annulée, d'un type qui ne s'annule pas, tour hors délibération ou tour suivant "
    "commencé, ou édition décidée (seule la présidence corrige).",
    422: "Motif manquant, ou remplacement refusé : rien n'est annulé.",
}


class UndoApi(Controller):
    path = "/api/decisions"
    tags = ["décisions"]
    guards = [requires_sign_in]

    @post(
        "/{decision_id:int}/undo",
        summary="Annuler une décision (qualification, élimination, prix, subvention)",
        description="Avec un motif écrit, imprimé au procès-verbal. Organisateurs du concours tant que "
        "l'édition n'est pas décidée ; ensuite, correction par la présidence du jury du tour, qui révoque le "
        "diplôme concerné et peut désigner le lauréat corrigé (`replacement_candidate_id`, diplôme émis).",
        status_code=200,
        responses=error_responses(REFUSALS),
    )
    async def undo(
        self, db: Database, identity: Identity, decision_id: int, data: JSONBody[UndoRequest]
    ) -> UndoneDecision:
        return await service.undo_decision(db, identity=identity, decision_id=decision_id, request=data)


class UndoPages(Controller):
    path = "/organisation/editions/{slug:str}/decisions/{decision_id:int}"
    tags = ["organisation"]
    guards = [requires_organiser]

    @post(
        "/annuler",
        summary="Annuler une décision (formulaire de la page des décisions)",
        status_code=303,
        responses=error_responses({s: d for s, d in REFUSALS.items() if s != 403}, page=True),
    )
    async def undo(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        decision_id: int,
        data: Annotated[UndoRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            await service.undo_decision_of_edition(
                db, identity=identity, slug=slug, decision_id=decision_id, request=data
            )
        except JuryError as exc:
            if exc.status_code == 403:
                raise
            return await decisions_page_template(db, identity=identity, slug=slug, error=exc)
        return Redirect(f"/organisation/editions/{slug}/decisions#historique", status_code=303)


class CorrectionForm(msgspec.Struct):
    """The chair's form: the select sends "" when nobody replaces the laureate."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    replacement_candidate_id: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{0,9}$")] = ""


class ChairCorrectionPages(Controller):
    path = "/deliberation/corrections"
    tags = ["délibération"]
    guards = [requires_juror]

    @get("/", summary="Corrections de la présidence après la décision de l'édition")
    async def page(self, db: Database, identity: Identity, fait: str = "") -> Template:
        page = await chair_page.corrections_page(db, identity=identity)
        return Template("deliberation/corrections.html", context={**page.context(), "done": fait == "1"})

    @post(
        "/{decision_id:int}",
        summary="Corriger un prix ou une subvention (présidence, formulaire)",
        status_code=303,
        responses=error_responses({s: d for s, d in REFUSALS.items() if s != 403}, page=True),
    )
    async def correct(
        self,
        db: Database,
        identity: Identity,
        decision_id: int,
        data: Annotated[CorrectionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        request = UndoRequest(
            reason=data.reason,
            replacement_candidate_id=int(data.replacement_candidate_id)
            if data.replacement_candidate_id
            else None,
        )
        try:
            await service.undo_decision(db, identity=identity, decision_id=decision_id, request=request)
        except JuryError as exc:
            if exc.status_code in (403, 404):
                raise
            page = await chair_page.corrections_page(db, identity=identity, error=exc)
            return Template(
                "deliberation/corrections.html", context=page.context(), status_code=exc.status_code
            )
        return Redirect("/deliberation/corrections?fait=1", status_code=303)
