"""One candidate: the JSON API and the organisers' pages (add, correct, withdraw, accept despite a rule)."""

from __future__ import annotations

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.candidates import forms_web as forms
from jury.candidates import service
from jury.candidates.models import CandidateDetail, CandidateFields, CandidatePage, ReasonRequest
from jury.db.queries import Database
from jury.web.openapi_errors import error_responses

REFUSED_FIELDS = (
    "Champ refusé (courriel, commune, catégorie, numéro déjà pris…) : chaque erreur nomme son champ."
)
ADD_ERRORS = error_responses({422: REFUSED_FIELDS})
UPDATE_ERRORS = error_responses({409: "Candidat retiré : il ne peut plus être modifié.", 422: REFUSED_FIELDS})
WITHDRAWAL_ERRORS = error_responses({409: "Candidat déjà retiré.", 422: "Motif manquant (champ reason)."})
OVERRIDE_ERRORS = error_responses(
    {409: "Candidat retiré, ou éligible : rien à accepter.", 422: "Motif manquant (champ reason)."}
)
PAGE_ERRORS = error_responses(
    {409: "Action impossible dans l'état du candidat.", 422: "Champ ou motif refusé."}, page=True
)


@post(
    "/api/editions/{slug:str}/candidates",
    summary="Ajouter un candidat (mêmes colonnes et mêmes règles que l'import)",
    description="Le candidat entre dans le premier tour de l'édition avec le numéro suivant s'il n'en a "
    "pas ; un candidat qui ne remplit pas une règle d'éligibilité est enregistré et signalé "
    "(état « ineligible » et motifs), jamais écarté.",
    status_code=201,
    responses=ADD_ERRORS,
    guards=[requires_organiser],
    tags=["candidats"],
)
async def add_candidate(
    db: Database, identity: Identity, slug: str, data: JSONBody[CandidateFields]
) -> CandidateDetail:
    """A plain route, not in a controller: the edition's candidate list (GET) is on the same path."""
    return await service.add_candidate(db, identity=identity, slug=slug, values=data.given())


class CandidatesApi(Controller):
    path = "/api"
    tags = ["candidats"]
    guards = [requires_organiser]

    @get("/candidates/{candidate_id:int}", summary="Un candidat, son tour et son éligibilité")
    async def read(self, db: Database, identity: Identity, candidate_id: int) -> CandidateDetail:
        return await service.candidate(db, identity=identity, candidate_id=candidate_id)

    @patch(
        "/candidates/{candidate_id:int}",
        summary="Corriger un candidat (l'éligibilité est vérifiée à nouveau)",
        status_code=200,
        responses=UPDATE_ERRORS,
    )
    async def update(
        self, db: Database, identity: Identity, candidate_id: int, data: JSONBody[CandidateFields]
    ) -> CandidateDetail:
        return await service.update_candidate(
            db, identity=identity, candidate_id=candidate_id, values=data.given()
        )

    @post(
        "/candidates/{candidate_id:int}/withdrawal",
        summary="Retirer un candidat (motif écrit ; l'historique est gardé)",
        status_code=200,
        responses=WITHDRAWAL_ERRORS,
    )
    async def withdraw(
        self, db: Database, identity: Identity, candidate_id: int, data: JSONBody[ReasonRequest]
    ) -> CandidateDetail:
        return await service.withdraw_candidate(
            db, identity=identity, candidate_id=candidate_id, reason=data.reason
        )

    @post(
        "/candidates/{candidate_id:int}/eligibility-override",
        summary="Accepter un candidat inéligible (motif écrit, audité)",
        status_code=200,
        responses=OVERRIDE_ERRORS,
    )
    async def override(
        self, db: Database, identity: Identity, candidate_id: int, data: JSONBody[ReasonRequest]
    ) -> CandidateDetail:
        return await service.override_eligibility(
            db, identity=identity, candidate_id=candidate_id, reason=data.reason
        )


class CandidatePages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/editions/{slug:str}/candidats/nouveau", summary="Formulaire d'ajout d'un candidat")
    async def new(self, db: Database, identity: Identity, slug: str) -> Template:
        page = await service.new_candidate_page(db, identity=identity, slug=slug)
        return _template("organiser/candidate_form.html", page)

    @post(
        "/editions/{slug:str}/candidats/nouveau",
        opt=forms.CANDIDATE_FORM,
        summary="Ajouter un candidat (formulaire)",
        status_code=303,
        responses=PAGE_ERRORS,
    )
    async def add(self, request: Request, db: Database, identity: Identity, slug: str) -> Template | Redirect:
        values = await _form(request)
        page = await service.new_candidate_page(db, identity=identity, slug=slug, values=values)
        if page.error is None and page.detail is not None:
            return Redirect(f"/organisation/candidats/{page.detail.candidate.id}", status_code=303)
        return _template("organiser/candidate_form.html", page)

    @get("/candidats/{candidate_id:int}", summary="Un candidat : éligibilité, correction, retrait")
    async def show(self, db: Database, identity: Identity, candidate_id: int) -> Template:
        page = await service.candidate_page(db, identity=identity, candidate_id=candidate_id)
        return _template("organiser/candidate.html", page)

    @post(
        "/candidats/{candidate_id:int}",
        opt=forms.CANDIDATE_FORM,
        summary="Corriger un candidat (formulaire)",
        status_code=303,
        responses=PAGE_ERRORS,
    )
    async def edit(
        self, request: Request, db: Database, identity: Identity, candidate_id: int
    ) -> Template | Redirect:
        return await _act(request, db, identity=identity, candidate_id=candidate_id, action="edit")

    @post(
        "/candidats/{candidate_id:int}/retrait",
        opt=forms.REASON_FORM,
        summary="Retirer un candidat (formulaire, motif écrit)",
        status_code=303,
        responses=PAGE_ERRORS,
    )
    async def withdraw(
        self, request: Request, db: Database, identity: Identity, candidate_id: int
    ) -> Template | Redirect:
        return await _act(request, db, identity=identity, candidate_id=candidate_id, action="withdraw")

    @post(
        "/candidats/{candidate_id:int}/derogation",
        opt=forms.REASON_FORM,
        summary="Accepter un candidat inéligible (formulaire, motif écrit)",
        status_code=303,
        responses=PAGE_ERRORS,
    )
    async def override(
        self, request: Request, db: Database, identity: Identity, candidate_id: int
    ) -> Template | Redirect:
        return await _act(request, db, identity=identity, candidate_id=candidate_id, action="override")


async def _act(
    request: Request, db: Database, *, identity: Identity, candidate_id: int, action: str
) -> Template | Redirect:
    """One form of the candidate's page: back to the page once done, or the page with the refusal."""
    page = await service.candidate_page(
        db, identity=identity, candidate_id=candidate_id, action=action, values=await _form(request)
    )
    if page.error is None:
        return Redirect(f"/organisation/candidats/{candidate_id}", status_code=303)
    return _template("organiser/candidate.html", page)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


def _template(name: str, page: CandidatePage) -> Template:
    return Template(name, context=page.context(), status_code=page.status_code)
