"""Moving a round: a JSON endpoint and the buttons on the organisers' edition page."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser, requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.errors import Invalid, JuryError
from jury.rounds import corrections, eligibility, move_preview, routing, service
from jury.rounds.corrections import Correction
from jury.rounds.eligibility import EligibilityOutcome
from jury.rounds.routing import RoutingReport
from jury.rounds.service import RoundMove
from jury.web.openapi_errors import error_responses

MOVE_REFUSALS = error_responses(
    {
        409: "Passage impossible depuis l'état actuel du tour (tour clos, étape sautée, ouverture de la "
        "notation par la présidence, ou retour à la notation alors que des décisions reposent sur le tour).",
        422: "Le tour n'est pas prêt à être ouvert (chaque problème est listé), ou le motif manque pour revenir "
        "de la délibération à la notation.",
    }
)


class MoveRequest(msgspec.Struct, kw_only=True):
    """`to`: the next step, or `open` from deliberation (the way back, with a `reason`, while no decision
    rests on the round)."""

    to: Literal["open", "deliberation", "closed"]
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class MoveForm(MoveRequest, kw_only=True):
    """The page's form: `confirme=oui` comes from the confirmation page; without it, a move that freezes or
    reopens the tablets shows that page first."""

    confirme: Literal["", "oui"] = ""


class RoundsApi(Controller):
    path = "/api/rounds"
    tags = ["tours"]
    guards = [requires_sign_in]

    @post(
        "/{round_id:int}/status",
        summary="Faire passer un tour à l'étape suivante",
        status_code=200,
        description="Organisateurs ; la présidence du jury peut ouvrir et clore la délibération.",
        responses=MOVE_REFUSALS,
    )
    async def move(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[MoveRequest]
    ) -> RoundMove:
        return await service.move_round(
            db, identity=identity, round_id=round_id, target=data.to, reason=data.reason
        )


class OverrideRequest(msgspec.Struct, kw_only=True):
    candidate_id: int
    panel_id: int
    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class RoutingApi(Controller):
    path = "/api/rounds"
    tags = ["tours"]
    guards = [requires_organiser]

    @post(
        "/{round_id:int}/routing",
        summary="Répartir les candidats par zone (demi-finales territoriales)",
        status_code=200,
        responses=error_responses(
            {
                409: "Le tour est clos.",
                422: "Ce tour n'a pas de jury rattaché à une zone : rien à répartir.",
            }
        ),
    )
    async def route(self, db: Database, identity: Identity, round_id: int) -> RoutingReport:
        return await routing.route_round(db, identity=identity, round_id=round_id)

    @post(
        "/{round_id:int}/overrides",
        summary="Admettre un candidat hors territoire (motif écrit, audité)",
        status_code=204,
        responses=error_responses({422: "Motif manquant, ou jury sans zone dans ce tour."}),
    )
    async def override(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[OverrideRequest]
    ) -> None:
        await routing.override_ineligibility(
            db,
            identity=identity,
            round_id=round_id,
            candidate_id=data.candidate_id,
            panel_id=data.panel_id,
            reason=data.reason,
        )


class CorrectionRequest(msgspec.Struct, kw_only=True):
    person_id: int
    candidate_id: int
    values: dict[int, float]
    reason: Annotated[str, msgspec.Meta(max_length=2000)]


CORRECTION_ERRORS = error_responses(
    {
        403: "Réservé à la présidence du jury de cette feuille.",
        404: "Tour ou feuille introuvable.",
        409: "Le tour n'est pas clos.",
        422: "Motif manquant ou note hors barème : rien n'est écrit.",
    }
)


class CorrectionsApi(Controller):
    path = "/api/rounds"
    tags = ["tours"]
    guards = [requires_sign_in]

    @post(
        "/{round_id:int}/corrections",
        summary="Corriger une feuille après la clôture (présidence du jury)",
        status_code=200,
        description="Motif écrit obligatoire ; la correction est inscrite au journal d'audit.",
        responses=CORRECTION_ERRORS,
    )
    async def correct(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[CorrectionRequest]
    ) -> Correction:
        return await corrections.correct_sheet(
            db,
            identity=identity,
            round_id=round_id,
            person_id=data.person_id,
            candidate_id=data.candidate_id,
            values=data.values,
            reason=data.reason,
        )


class EligibilityApi(Controller):
    path = "/api/rounds"
    tags = ["tours"]
    guards = [requires_organiser]

    @post(
        "/{round_id:int}/eligibility",
        summary="Appliquer les critères d'éligibilité à un tour d'éligibilité",
        status_code=200,
        responses=error_responses({409: "Ce tour n'est pas un tour d'éligibilité, ou il est clos."}),
        description="Forme juridique admise, siège dans les Hauts-de-Seine, demande ≤ plafond ; motifs inscrits.",
    )
    async def eligibility(self, db: Database, identity: Identity, round_id: int) -> list[EligibilityOutcome]:
        return await eligibility.record_eligibility(db, identity=identity, round_id=round_id)


class RoundPages(Controller):
    path = "/organisation/rounds"
    tags = ["organisation"]
    guards = [requires_sign_in]

    @post(
        "/{round_id:int}/etat",
        summary="Changer l'état d'un tour (formulaire)",
        description="Passer en délibération, clore le tour ou revenir à la notation demandent d'abord la "
        "confirmation (`confirme=oui`) : sans elle, redirection vers la page qui en donne les conséquences.",
        status_code=303,
        responses=MOVE_REFUSALS,
    )
    async def move(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: Annotated[MoveForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        if data.confirme != "oui" and await move_preview.needs_confirmation(
            db, identity=identity, round_id=round_id, target=data.to
        ):
            return Redirect(f"/organisation/rounds/{round_id}/etat?to={data.to}", status_code=303)
        try:
            slug = await service.move_round_from_page(
                db, identity=identity, round_id=round_id, target=data.to, reason=data.reason
            )
        except Invalid as error:
            if data.confirme != "oui":
                raise  # a move without a confirmation page (opening a round) is refused on its own page
            # A missing reason is answered on the confirmation page, its consequences still in view.
            return await _confirmation(db, identity=identity, round_id=round_id, target=data.to, error=error)
        return Redirect(f"/organisation/editions/{slug}", status_code=303)

    @get(
        "/{round_id:int}/etat",
        summary="Confirmer le changement d'état d'un tour (conséquences, feuilles manquantes)",
        responses=error_responses({409: "Passage impossible depuis l'état actuel du tour."}),
    )
    async def confirm(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        to: Literal["open", "deliberation", "closed"] = "deliberation",
    ) -> Template:
        return await _confirmation(db, identity=identity, round_id=round_id, target=to)


async def _confirmation(
    db: Database, *, identity: Identity, round_id: int, target: str, error: JuryError | None = None
) -> Template:
    preview = await move_preview.move_preview(db, identity=identity, round_id=round_id, target=target)
    return Template(
        "organiser/round_move.html",
        context={"p": preview, "error": error},
        status_code=error.status_code if error else 200,
    )
