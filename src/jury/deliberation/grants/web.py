"""Progr'ESS grants over HTTP: the proposal and the committee's amounts, as JSON and as the organisers'
page.

Handlers only translate; eligibility, the budget and who may allocate are decided in the service. A
refused allocation re-renders the page with the amounts as typed, so nothing has to be entered twice.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, Parameter
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation import forms_web as page_forms
from jury.deliberation.awards.models import AwardRow
from jury.deliberation.forms import ints
from jury.deliberation.grants import service
from jury.deliberation.grants.models import GrantLine, GrantsRequest, Proposal
from jury.errors import Invalid, JuryError
from jury.web.openapi_errors import error_responses


class GrantsApi(Controller):
    path = "/api/editions/{slug:str}/grants"
    tags = ["décisions"]
    guards = [requires_organiser]

    @get(
        "/proposal",
        summary="Proposition de répartition des subventions (rien n'est enregistré)",
        description="« round_id » : le tour de comité dont le classement fonde la répartition ; à défaut, "
        "le dernier tour de comité noté de l'édition. « order » : identifiants des candidats dans l'ordre du "
        "classement (paramètre répété) ; à défaut, le classement de ce tour. Un projet non noté dans ce "
        "tour n'est jamais financé.",
        responses=error_responses(
            {
                409: "Le budget ou le plafond de subvention de l'édition n'est pas défini.",
                404: "Tour inconnu.",
                422: "Classement fourni non valide (candidat inconnu ou cité deux fois), ou aucun tour de "
                "comité noté (ou tour d'une autre édition, ou qui n'est pas un tour de comité).",
            }
        ),
    )
    async def proposal(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        order: list[int] | None = None,
        min_partial: int | None = Parameter(default=None, gt=0),
        round_id: int | None = None,
    ) -> Proposal:
        return await service.proposal(
            db, identity=identity, slug=slug, order=order, min_partial=min_partial, round_id=round_id
        )

    @post(
        "/",
        summary="Attribuer les subventions de lauréat",
        description="Montant accordé ≤ montant demandé ≤ plafond, total ≤ budget de l'édition, candidats "
        "éligibles seulement. Les subventions appartiennent au tour de comité dont elles suivent le "
        "classement (« round_id », à défaut le dernier tour de comité noté) : un projet qui n'y a pas de "
        "feuille remise, s'en est retiré ou y a été déclaré inéligible est refusé "
        "(« grants[i].candidate_id »). Toute erreur est renvoyée (422) et rien n'est enregistré.",
        responses=error_responses(
            {
                404: "Tour inconnu.",
                409: "Budget ou plafond non défini, aucun prix « lauréat » dans l'édition, ou tour qui "
                "n'est pas en délibération.",
                422: "Répartition refusée : chaque erreur est listée, rien n'est enregistré.",
            }
        ),
    )
    async def record_grants(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[GrantsRequest]
    ) -> list[AwardRow]:
        return await service.record_grants(db, identity=identity, slug=slug, request=data)


def _order(ordre: str) -> list[int] | None:
    """The standing typed on the page: ids separated by commas or semicolons; empty for the file order."""
    if not ordre.strip():
        return None
    return ints(ordre.replace(";", ",").split(","), what="Ordre du classement")


class GrantPages(Controller):
    path = "/organisation/editions/{slug:str}/subventions"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Répartition des subventions")
    async def grants(
        self, db: Database, identity: Identity, slug: str, ordre: str = "", minimum: int | None = None
    ) -> Template:
        return await _grants_page(
            db, identity=identity, slug=slug, order=_order(ordre), min_partial=minimum, ordre=ordre
        )

    @post(
        "/",
        summary="Enregistrer les subventions (formulaire)",
        status_code=303,
        opt=page_forms.GRANTS_FORM,
        responses=page_forms.PAGE_REFUSED,
    )
    async def record_grants(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        entered: dict[int, str] = {}
        for key, value in form.multi_items():
            if key.startswith("montant-") and key.removeprefix("montant-").isdigit():
                entered[int(key.removeprefix("montant-"))] = str(value)
        try:
            amounts = {
                cid: int(v.replace(" ", "").replace("\u202f", "")) for cid, v in entered.items() if v.strip()
            }
        except ValueError:
            amounts = None
        try:
            if amounts is None:
                raise Invalid("Montant invalide : un nombre entier d'euros est attendu.")
            await service.record_grants(
                db,
                identity=identity,
                slug=slug,
                request=GrantsRequest(
                    grants=[GrantLine(candidate_id=c, granted_eur=a) for c, a in amounts.items()],
                    based_on=str(form.get("based_on", "")),
                    reason=str(form.get("reason", "")),
                ),
            )
        except Invalid as exc:
            ordre = str(form.get("ordre", ""))
            try:
                order = _order(ordre)
            except Invalid:  # the refusal shown is the grants'; a garbled order falls back to the file's
                order, ordre = None, ""
            return await _grants_page(
                db,
                identity=identity,
                slug=slug,
                order=order,
                min_partial=None,
                ordre=ordre,
                error=exc,
                entered=entered,
                based_on=str(form.get("based_on", "")),
                reason=str(form.get("reason", "")),
            )
        return Redirect(f"/organisation/editions/{slug}/subventions", status_code=303)


async def _grants_page(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    order: list[int] | None,
    min_partial: int | None,
    ordre: str,
    error: JuryError | None = None,
    entered: dict[int, str] | None = None,
    based_on: str = "",
    reason: str = "",
) -> Template:
    """The page, with what was typed when it comes back from a refusal."""
    page = await service.grants_page(db, identity=identity, slug=slug, order=order, min_partial=min_partial)
    error = error or page.problem
    context = {
        "edition": page.edition,
        "awards": page.awards,
        "proposal": page.proposal,
        "ordre": ordre,
        "minimum": min_partial,
        "error": error,
        "entered": entered or {},
        "based_on": based_on,
        "reason": reason,
    }
    return Template("organiser/grants.html", context=context, status_code=error.status_code if error else 200)
