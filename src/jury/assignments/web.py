"""The assignment page of a round and its JSON mirror.

Organisers only (controller guards), and only for the contests they organise: every service call checks
the round's edition before reading anything, so an organiser of another contest gets a 403 without a name.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from litestar import Controller, MediaType, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, JSONBody, QueryParameter
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.assignments import service
from jury.assignments.models import (
    HOLES_SHOWN,
    AppliedPlan,
    ApplyRequest,
    AssignmentsOverview,
    PairChange,
    PairRequest,
    PlanParameters,
    PlanPreview,
)
from jury.assignments.wording import counted
from jury.db.queries import Database
from jury.errors import Conflict, Invalid, NotFound
from jury.paging import MAX_PAGE, PER_PAGE, page_of
from jury.web.openapi_errors import error_responses

TEMPLATE = "organiser/assignments.html"
DONE = {
    "ajout": "Affectation ajoutée.",
    "retrait": "Affectation retirée.",
    "deja": "Ce juré était déjà affecté à ce candidat.",
}


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    described = {
        401: "Connexion requise.",
        403: "Réservé aux organisateurs du concours de ce tour.",
        404: "Tour, juré ou candidat inconnu dans ce tour.",
        409: "Tour clos, ou plan modifié depuis l'aperçu : rien n'a été écrit.",
        422: "Affectation refusée (conflit d'intérêts déclaré, juré d'un autre jury) : message en français.",
    }
    return error_responses({code: described[code] for code in codes})


# The forms answer a refusal by showing the assignment page again, with the message and the refusal's status
# (an unknown juror or candidate too, but its 404 is also the plain error answer of an unknown round).
PAGE_REFUSALS = {
    409: "Tour clos, affectation déjà notée, ou plan modifié depuis l'aperçu : rien n'a été écrit.",
    422: "Affectation refusée (conflit d'intérêts déclaré, juré d'un autre jury) : message en français.",
}


def _page_refusals(*codes: int) -> dict[int, ResponseSpec]:
    return error_responses({code: PAGE_REFUSALS[code] for code in codes}, page=True)


PLAN_DESCRIPTION = """\
Propose des affectations (juré × candidat) pour le tour : chaque candidat reçoit `k` jurés de son jury,
jamais un juré qui a déclaré un conflit d'intérêts avec lui ; les charges sont équilibrées ; dans un tour à
plusieurs jurys de zone, `bridging` jurés qui siègent dans tous les jurys voient chacun au moins
`min(bridge_min_per_zone, taille de la zone)` candidats de chaque zone, pour que les notes restent
comparables d'un jury à l'autre. `fill_holes_only` garde les affectations existantes et complète seulement
les candidats qui ont moins de `k` jurés ; sinon le plan remplace celles du tour (en gardant les paires
dont le juré a déjà ouvert une fiche de notation). Même données et même `seed` : même plan.
"""


class AssignmentsApi(Controller):
    path = "/api/rounds/{round_id:int}/assignments"
    tags = ["affectations"]
    guards = [requires_organiser]

    @get(
        "/",
        summary="Les affectations d'un tour",
        description="Affectations par jury, charges des jurés, candidats avec moins de `k` jurés (« trous ») "
        "et vérification du plan (connexité, valeur de Fiedler). Sans `k`, le nombre de jurés le plus "
        "fréquent par candidat.",
        responses=_errors(401, 403, 404),
    )
    async def list_assignments(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        k: Annotated[
            int | None, QueryParameter(ge=1, le=20, description="Jurés voulus par candidat.")
        ] = None,
    ) -> AssignmentsOverview:
        return await service.overview(db, identity=identity, round_id=round_id, k=k)

    @post(
        "/preview",
        summary="Prévisualiser un plan d'affectation automatique (n'écrit rien)",
        description=PLAN_DESCRIPTION,
        status_code=200,
        responses=_errors(401, 403, 404, 409),
    )
    async def preview(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[PlanParameters]
    ) -> PlanPreview:
        return await service.preview_plan(db, identity=identity, round_id=round_id, parameters=data)

    @post(
        "/",
        summary="Appliquer un plan d'affectation automatique",
        description=PLAN_DESCRIPTION
        + "\nLe plan est recalculé et écrit dans une seule transaction, avec un événement "
        "`assignments.applied` au journal d'audit. Avec `expected_digest` (l'empreinte de l'aperçu), "
        "rien n'est écrit si le plan a changé depuis (409).",
        status_code=200,
        responses=_errors(401, 403, 404, 409),
    )
    async def apply(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[ApplyRequest]
    ) -> AppliedPlan:
        return await service.apply_plan(
            db, identity=identity, round_id=round_id, parameters=data, expected_digest=data.expected_digest
        )

    @post(
        "/pairs",
        summary="Affecter un juré à un candidat",
        description="La paire est écrite dans le jury où concourt le candidat ; refusée (422) si le juré a "
        "déclaré un conflit d'intérêts avec lui ou ne siège pas dans ce jury. 201 si elle est créée, "
        "200 si elle existait déjà.",
        status_code=201,
        responses={200: ResponseSpec(data_container=PairChange, description="Déjà affecté : rien ne change.")}
        | _errors(401, 403, 404, 409, 422),
    )
    async def add_pair(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[PairRequest]
    ) -> Response[PairChange]:
        change = await service.add_pair(db, identity=identity, round_id=round_id, pair=data)
        return Response(change, status_code=201 if change.changed else 200)

    @delete(
        "/pairs",
        summary="Retirer l'affectation d'un juré à un candidat",
        description="Paramètres `person_id` et `candidate_id` dans l'URL. Refusé (409) si le juré a déjà "
        "ouvert une fiche de notation pour ce candidat.",
        status_code=200,
        responses=_errors(401, 403, 404, 409),
    )
    async def remove_pair(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        person_id: Annotated[int, QueryParameter(description="Le juré.")],
        candidate_id: Annotated[int, QueryParameter(description="Le candidat.")],
    ) -> PairChange:
        pair = PairRequest(person_id=person_id, candidate_id=candidate_id)
        return await service.remove_pair(db, identity=identity, round_id=round_id, pair=pair)


class PlanForm(ApplyRequest, frozen=True, kw_only=True):
    """The automatic-plan form: without `confirm` it previews, with it (the second button) it writes."""

    confirm: bool = False


PANELS_PER_PAGE = 10
"""Panels (each a juror × candidate table) the assignment page shows at once: 1,247 at the largest contest."""

PanelPage = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_PAGE, description="Page des jurys (10 par page ; au-delà : la dernière)."),
]
JurorPage = Annotated[
    int,
    QueryParameter(ge=1, le=MAX_PAGE, description="Page des charges des jurés (50 par page)."),
]


class AssignmentPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/rounds/{round_id:int}/affectations", summary="Affectations d'un tour")
    async def page(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        k: Annotated[int | None, QueryParameter(ge=1, le=20)] = None,
        fait: Annotated[str | None, QueryParameter(description="Message après une modification.")] = None,
        ajouts: Annotated[int, QueryParameter(ge=0)] = 0,
        retraits: Annotated[int, QueryParameter(ge=0)] = 0,
        page: PanelPage = 1,
        page_jures: JurorPage = 1,
    ) -> Template:
        if fait == "plan":
            message = (
                f"Plan enregistré : {counted(ajouts, 'affectation ajoutée')}, {counted(retraits, 'retirée')}."
            )
        else:
            message = DONE.get(fait or "")
        return await _page(
            db,
            identity=identity,
            round_id=round_id,
            k=k,
            message=message,
            panel_page=page,
            juror_page=page_jures,
        )

    @post(
        "/rounds/{round_id:int}/affectations/automatique",
        summary="Prévisualiser ou confirmer un plan d'affectation automatique (formulaire)",
        status_code=200,
        media_type=MediaType.HTML,
        response_description="Aperçu du plan, à confirmer.",
        responses={303: ResponseSpec(data_container=None, description="Plan confirmé et enregistré.")}
        | _page_refusals(409),
    )
    async def automatic(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: Annotated[PlanForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        parameters = PlanParameters(
            k=data.k,
            seed=data.seed,
            bridging=data.bridging,
            bridge_min_per_zone=data.bridge_min_per_zone,
            fill_holes_only=data.fill_holes_only,
        )
        try:
            if not data.confirm:
                return await _page(db, identity=identity, round_id=round_id, k=parameters.k, plan=parameters)
            applied = await service.apply_plan(
                db,
                identity=identity,
                round_id=round_id,
                parameters=parameters,
                expected_digest=data.expected_digest or None,
            )
        except (Conflict, Invalid, NotFound) as exc:
            # The scope was checked before anything could raise these: re-rendering shows nothing new.
            return await _page(
                db,
                identity=identity,
                round_id=round_id,
                form=parameters,
                error=exc.message,
                status=exc.status_code,
            )
        return Redirect(
            f"/organisation/rounds/{round_id}/affectations?fait=plan&k={parameters.k}"
            f"&ajouts={applied.added}&retraits={applied.removed}",
            status_code=303,
        )

    @post(
        "/rounds/{round_id:int}/affectations/ajout",
        summary="Affecter un juré à un candidat (formulaire)",
        status_code=303,
        responses=_page_refusals(409, 422),
    )
    async def add(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: Annotated[PairRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            change = await service.add_pair(db, identity=identity, round_id=round_id, pair=data)
        except (Conflict, Invalid, NotFound) as exc:
            return await _page(
                db, identity=identity, round_id=round_id, error=exc.message, status=exc.status_code
            )
        done = "ajout" if change.changed else "deja"
        return Redirect(f"/organisation/rounds/{round_id}/affectations?fait={done}", status_code=303)

    @post(
        "/rounds/{round_id:int}/affectations/retrait",
        summary="Retirer une affectation (formulaire)",
        status_code=303,
        responses=_page_refusals(409),
    )
    async def remove(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: Annotated[PairRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            await service.remove_pair(db, identity=identity, round_id=round_id, pair=data)
        except (Conflict, Invalid, NotFound) as exc:
            return await _page(
                db, identity=identity, round_id=round_id, error=exc.message, status=exc.status_code
            )
        return Redirect(f"/organisation/rounds/{round_id}/affectations?fait=retrait", status_code=303)

    @get(
        "/editions/{slug:str}/affectations",
        summary="Affectations d'une édition : premier tour ouvert",
        status_code=303,
    )
    async def edition(self, db: Database, identity: Identity, slug: str) -> Redirect:
        current = await service.current_round_id(db, identity=identity, slug=slug)
        return Redirect(f"/organisation/rounds/{current}/affectations", status_code=303)


async def _page(
    db: Database,
    *,
    identity: Identity,
    round_id: int,
    k: int | None = None,
    form: PlanParameters | None = None,
    plan: PlanParameters | None = None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
    panel_page: int = 1,
    juror_page: int = 1,
) -> Template:
    """The assignment page; with `plan`, the preview of that plan too (its parameters fill the form).

    The panels' tables and the jurors' loads are shown a page at a time (`panel_page`, `juror_page`): at
    the scale of the largest contest every table at once was 48 MB of HTML."""
    page = await service.page(
        db,
        identity=identity,
        round_id=round_id,
        k=k,
        plan=plan,
        panel_page=panel_page,
        panels_per_page=PANELS_PER_PAGE,
        juror_page=juror_page,
    )
    view = page.view
    panel_paging = page_of(total=len(view.panels), page=panel_page, per_page=PANELS_PER_PAGE)
    juror_paging = page_of(total=page.juror_total, page=juror_page, per_page=PER_PAGE)
    shown_panels = view.panels[panel_paging.offset : panel_paging.offset + panel_paging.limit]
    shown = {p.id for p in shown_panels}
    shown_candidates = {c for p in shown_panels for c in p.candidates}
    panel_loads: Counter[tuple[int, int]] = Counter(
        (p.panel_id, p.person_id) for p in view.pairs if p.panel_id in shown
    )
    jurors = {j.person_id: j for j in view.jurors}
    context: dict[str, Any] = {
        "shown_panels": shown_panels,
        "shown_jurors": [jurors[person] for person in page.shown_jurors],
        "shown_holes": view.holes[:HOLES_SHOWN],
        "hole_total": page.hole_total,
        "panel_paging": panel_paging,
        "juror_paging": juror_paging,
        "edition": page.edition,
        "rounds": page.rounds,
        "view": view,
        "jurors": jurors,
        "candidates": {c.id: c for c in view.candidates},
        "panel_names": {p.id: p.name for p in view.panels},
        "assigned": {(p.person_id, p.candidate_id) for p in view.pairs if p.candidate_id in shown_candidates},
        "panel_loads": panel_loads,
        "form": form or plan or PlanParameters(k=view.k),
        "preview": page.preview,
        "message": message,
        "error": error,
    }
    return Template(TEMPLATE, context=context, status_code=status)
