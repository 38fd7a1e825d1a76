"""Ballots over HTTP: the JSON API and the forms of the panel page (open, vote, close, casting vote).

Handlers only translate; who may do what is decided in the services, so the API and the pages cannot
drift apart. Page forms post, then redirect back (303) to the ballot on the panel's page.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import JSONBody
from litestar.response import Redirect

from jury.access.guards import requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation import forms_web as page_forms
from jury.deliberation.forms import ints
from jury.deliberation.votes import service, views
from jury.deliberation.votes.models import (
    Ballot,
    CastingVoteRequest,
    CloseBallotRequest,
    OpenBallotRequest,
    VoteRequest,
)
from jury.errors import Invalid
from jury.web.openapi_errors import error_responses

NOT_DELIBERATED = "Le tour n'a pas encore atteint la délibération."
NOT_DELIBERATING = "Le tour n'est pas en délibération."


class BallotsApi(Controller):
    path = "/api"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @get(
        "/rounds/{round_id:int}/ballots",
        summary="Scrutins d'un tour",
        responses=error_responses({409: NOT_DELIBERATED}),
    )
    async def list_ballots(
        self, db: Database, identity: Identity, round_id: int, panel_id: int | None = None
    ) -> list[Ballot]:
        return await views.list_ballots(db, identity=identity, round_id=round_id, panel_id=panel_id)

    @post(
        "/rounds/{round_id:int}/ballots",
        summary="Ouvrir un scrutin (approbation ou classement)",
        description="Présidence du jury ou organisateurs, pendant la délibération.",
        responses=error_responses(
            {
                409: NOT_DELIBERATING,
                422: "Scrutin refusé (intitulé vide, candidat hors du jury ou cité deux fois) : chaque erreur "
                "est listée.",
            }
        ),
    )
    async def open_ballot(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[OpenBallotRequest]
    ) -> Ballot:
        return await service.open_ballot(
            db,
            identity=identity,
            round_id=round_id,
            panel_id=data.panel_id,
            kind=data.kind,
            title=data.title,
            candidate_ids=data.candidate_ids,
        )

    @get("/ballots/{ballot_id:int}", summary="Un scrutin et, s'il est clos, son résultat")
    async def get_ballot(self, db: Database, identity: Identity, ballot_id: int) -> Ballot:
        return await views.get_ballot(db, identity=identity, ballot_id=ballot_id)

    @post(
        "/ballots/{ballot_id:int}/votes",
        summary="Voter (un nouveau vote remplace le précédent tant que le scrutin est ouvert)",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin clos, ou tour hors délibération.",
                422: "Vote non valide : chaque erreur est listée.",
            }
        ),
    )
    async def vote(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[VoteRequest]
    ) -> Ballot:
        return await service.cast_vote(db, identity=identity, ballot_id=ballot_id, vote=data)

    @post(
        "/ballots/{ballot_id:int}/close",
        summary="Clore un scrutin et en établir le résultat",
        description="Applique la politique de départage de l'édition ; les scores calibrés ou par critère, "
        "s'ils ne sont pas fournis, sont écartés avec une mention au résultat.",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin déjà clos ou sans aucun vote, ou tour hors délibération.",
                422: "Départage impossible avec les scores fournis.",
            }
        ),
    )
    async def close(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[CloseBallotRequest]
    ) -> Ballot:
        return await service.close_ballot(
            db,
            identity=identity,
            ballot_id=ballot_id,
            calibrated=data.calibrated,
            criterion_scores=data.criterion_scores,
        )

    @post(
        "/ballots/{ballot_id:int}/casting-vote",
        summary="Voix prépondérante de la présidence sur une égalité restante",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin pas encore clos, sans égalité à départager, voix déjà exprimée, ou tour hors "
                "délibération.",
                422: "Voix prépondérante non valide : chaque erreur est listée.",
            }
        ),
    )
    async def casting_vote(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[CastingVoteRequest]
    ) -> Ballot:
        return await service.casting_vote(
            db, identity=identity, ballot_id=ballot_id, order=data.order, reason=data.reason
        )


def _ranks(form: FormMultiDict, *, prefix: str = "rang-") -> dict[int, int]:
    """`rang-<candidate id>` fields: the rank typed for each candidate (1 for the first)."""
    ranks = {}
    for key, value in form.multi_items():
        if key.startswith(prefix) and str(value).strip():
            try:
                ranks[int(key[len(prefix) :])] = int(str(value))
            except ValueError:
                raise Invalid("Rang invalide : un nombre entier est attendu (1 pour le premier).") from None
    return ranks


def _tiers(ranks: dict[int, int]) -> list[list[int]]:
    """Ranks as the ranked ballot's tiers: equal ranks share a tier."""
    return [sorted(c for c, r in ranks.items() if r == level) for level in sorted(set(ranks.values()))]


class BallotPages(Controller):
    path = "/deliberation"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @post(
        "/{panel_id:int}/scrutins",
        summary="Ouvrir un scrutin (formulaire)",
        status_code=303,
        opt=page_forms.BALLOT_FORM,
        responses=page_forms.PAGE_CONFLICT,
    )
    async def open_ballot(
        self, request: Request, db: Database, identity: Identity, panel_id: int
    ) -> Redirect:
        form = await request.form()
        kind = str(form.get("kind", ""))
        if kind not in ("approval", "ranked"):
            raise Invalid("Type de scrutin inconnu.")
        await service.open_panel_ballot(
            db,
            identity=identity,
            panel_id=panel_id,
            kind=kind,
            title=str(form.get("title", "")),
            candidate_ids=ints(form.getall("candidate_ids", []), what="Candidats"),
        )
        return Redirect(f"/deliberation/{panel_id}#scrutins", status_code=303)

    @post(
        "/scrutins/{ballot_id:int}/vote",
        summary="Voter (formulaire)",
        status_code=303,
        opt=page_forms.VOTE_FORM,
        responses=page_forms.PAGE_CONFLICT,
    )
    async def vote(self, request: Request, db: Database, identity: Identity, ballot_id: int) -> Redirect:
        form = await request.form()
        if form.get("kind") == "ranked":
            vote = VoteRequest(tiers=_tiers(_ranks(form)))
        else:
            vote = VoteRequest(approved=ints(form.getall("approved", []), what="Candidats approuvés"))
        ballot = await service.cast_vote(db, identity=identity, ballot_id=ballot_id, vote=vote)
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)

    @post(
        "/scrutins/{ballot_id:int}/cloture",
        summary="Clore un scrutin (formulaire)",
        status_code=303,
        responses=page_forms.PAGE_CONFLICT,
    )
    async def close(self, db: Database, identity: Identity, ballot_id: int) -> Redirect:
        ballot = await service.close_ballot(db, identity=identity, ballot_id=ballot_id)
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)

    @post(
        "/scrutins/{ballot_id:int}/voix-preponderante",
        summary="Voix prépondérante de la présidence (formulaire)",
        status_code=303,
        opt=page_forms.CASTING_VOTE_FORM,
        responses=page_forms.PAGE_CONFLICT,
    )
    async def casting_vote(
        self, request: Request, db: Database, identity: Identity, ballot_id: int
    ) -> Redirect:
        form = await request.form()
        ranks = _ranks(form)
        if len(set(ranks.values())) != len(ranks):
            raise Invalid(
                "La voix prépondérante départage : deux candidats ne peuvent pas avoir le même rang."
            )
        order = sorted(ranks, key=ranks.__getitem__)
        ballot = await service.casting_vote(
            db, identity=identity, ballot_id=ballot_id, order=order, reason=str(form.get("reason", ""))
        )
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)
