"""Decisions over HTTP: qualifiers for the next round, the edition's decisions and prizes, as JSON and as
the organisers' decisions page.

Handlers only translate; who may decide what is checked in the services, so the API and the page cannot
drift apart. A refused form re-renders the page with the refusal; an accepted one redirects (303).
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation import forms_web as page_forms
from jury.deliberation.awards import decisions, service
from jury.deliberation.awards.models import (
    Advancement,
    AdvanceRequest,
    AwardLine,
    AwardRow,
    AwardsRequest,
    Decision,
)
from jury.deliberation.forms import ints, one_int
from jury.errors import Invalid, JuryError
from jury.web.openapi_errors import error_responses


class QualifiersApi(Controller):
    path = "/api/rounds/{round_id:int}/advance"
    tags = ["délibération"]
    guards = [requires_organiser]

    @post(
        "/",
        summary="Confirmer les qualifiés pour le tour suivant",
        description="Organisateurs, pendant la délibération. Les candidats cités entrent au tour suivant ; "
        "les autres candidats encore en lice (du jury indiqué, ou de tout le tour) sont éliminés. "
        "« based_on » nomme le classement utilisé (méthode et empreinte).",
        status_code=200,
        responses=error_responses(
            {
                409: "Tour hors délibération, dernier tour de l'édition, ou tour suivant déjà commencé.",
                422: "Classement de référence manquant ou liste des qualifiés non valide : rien n'est écrit.",
            }
        ),
    )
    async def advance(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[AdvanceRequest]
    ) -> Advancement:
        return await decisions.confirm_advancement(
            db,
            identity=identity,
            round_id=round_id,
            advance=data.advance,
            based_on=data.based_on,
            reason=data.reason,
            panel_id=data.panel_id,
        )


class DecisionsApi(Controller):
    path = "/api/editions/{slug:str}"
    tags = ["décisions"]
    guards = [requires_organiser]

    @get("/decisions", summary="Décisions d'une édition (qui, quand, pourquoi)")
    async def decisions(self, db: Database, identity: Identity, slug: str) -> list[Decision]:
        return await decisions.list_decisions(db, identity=identity, slug=slug)

    @get("/awards", summary="Prix et subventions attribués dans une édition")
    async def list_awards(self, db: Database, identity: Identity, slug: str) -> list[AwardRow]:
        return await service.list_awards(db, identity=identity, slug=slug)

    @post(
        "/awards",
        summary="Attribuer des prix (prix de catégorie, prix spécial, podium, label, promotion)",
        description="La feuille entière (prix déjà attribués compris) est vérifiée : un prix par lauréat si "
        "l'édition l'impose, podium 1er/2e/3e prix, un seul lauréat par prix à une place sauf ex aequo "
        "autorisé pour ce prix, un label ou une promotion à au plus `max_winners` lauréats (sans limite si "
        "`null`), sans montant. Une erreur suffit pour ne rien enregistrer (422, la ligne fautive nommée : "
        "`awards[2]`).",
        responses=error_responses(
            {
                409: "Le tour cité (`round_id`) n'est pas en délibération.",
                422: "Attribution refusée : chaque erreur est listée, rien n'est enregistré.",
            }
        ),
    )
    async def record_awards(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[AwardsRequest]
    ) -> list[AwardRow]:
        return await service.record_awards(db, identity=identity, slug=slug, request=data)


class DecisionPages(Controller):
    path = "/organisation/editions/{slug:str}/decisions"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Décisions, qualifiés et prix d'une édition")
    async def decisions(self, db: Database, identity: Identity, slug: str) -> Template:
        return await decisions_page_template(db, identity=identity, slug=slug)

    @post(
        "/prix",
        summary="Attribuer des prix (formulaire)",
        status_code=303,
        opt=page_forms.AWARDS_FORM,
        responses=page_forms.PAGE_REFUSED,
    )
    async def award(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        try:
            lines = [
                AwardLine(prize=key.removeprefix("prix-"), candidate_id=candidate_id)
                for key, value in form.multi_items()
                if key.startswith("prix-")
                for candidate_id in ints([str(value)], what="Lauréat")
            ]
            if not lines:
                raise Invalid("Choisissez au moins un lauréat.")
            await service.record_awards(
                db,
                identity=identity,
                slug=slug,
                request=AwardsRequest(
                    awards=lines,
                    reason=str(form.get("reason", "")),
                    based_on=str(form.get("based_on", "")),
                    allow_vacant=form.get("allow_vacant") == "on",
                    round_id=one_int(form.get("round_id", ""), what="Tour"),
                    ballot_id=one_int(form.get("ballot_id", ""), what="Scrutin"),
                ),
            )
        except Invalid as exc:
            return await decisions_page_template(db, identity=identity, slug=slug, error=exc)
        return Redirect(f"/organisation/editions/{slug}/decisions#prix", status_code=303)

    @post(
        "/qualifies",
        summary="Confirmer les qualifiés (formulaire)",
        status_code=303,
        opt=page_forms.QUALIFIERS_FORM,
        responses=page_forms.PAGE_REFUSED,
    )
    async def advance(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await decisions.confirm_edition_advancement(
                db,
                identity=identity,
                slug=slug,
                round_id=one_int(form.get("round_id", ""), what="Tour") or 0,
                advance=ints(form.getall("advance", []), what="Qualifiés"),
                based_on=str(form.get("based_on", "")),
                reason=str(form.get("reason", "")),
                panel_id=one_int(form.get("panel_id", ""), what="Jury"),
            )
        except Invalid as exc:
            return await decisions_page_template(db, identity=identity, slug=slug, error=exc)
        return Redirect(f"/organisation/editions/{slug}/decisions", status_code=303)


async def decisions_page_template(
    db: Database, *, identity: Identity, slug: str, error: JuryError | None = None
) -> Template:
    """The page, with the refusal of a form when it comes back from one."""
    page = await decisions.decisions_page(db, identity=identity, slug=slug)
    return Template(
        "organiser/decisions.html",
        context={**page.context(), "error": error},
        status_code=error.status_code if error else 200,
    )
