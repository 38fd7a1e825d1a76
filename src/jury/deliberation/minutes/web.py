"""Advancement preview (JSON and page) and the procès-verbal PDF of a panel's deliberation.

The page's confirmation form posts to the existing form endpoint of the decisions page
(`DecisionPages.advance`, the form twin of `POST /api/rounds/{round_id}/advance`): there is one way to
confirm qualifiers, and this page only fills it in from the standing.
"""

from __future__ import annotations

import re
import unicodedata

from litestar import Controller, MediaType, Request, Response, get
from litestar.response import Template

from jury.access.guards import requires_organiser, requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation import forms_web as page_forms
from jury.deliberation.awards import advancement
from jury.deliberation.awards.advancement import AdvancementPreview
from jury.deliberation.minutes import jobs as minutes_jobs
from jury.deliberation.minutes import service as minutes
from jury.web.openapi_errors import error_responses


class AdvancementApi(Controller):
    path = "/api/rounds"
    tags = ["délibération"]
    guards = [requires_organiser]

    @get(
        "/{round_id:int}/advancement",
        summary="Aperçu des qualifiés selon le classement calibré (rien n'est enregistré)",
        description="Organisateurs du concours. Par jury : les N premiers (N = nombre de qualifiés du tour) "
        "encore en lice, P(top N), zone limite, méthode et empreinte à citer dans « based_on » lors de la "
        "confirmation (POST /api/rounds/{round_id}/advance).",
        responses=error_responses(
            {
                409: "Classement incalculable : une fiche porte des notes d'une autre catégorie, ou la méthode du "
                "tour est inconnue."
            }
        ),
    )
    async def preview(self, db: Database, identity: Identity, round_id: int) -> AdvancementPreview:
        return await advancement.preview(db, identity=identity, round_id=round_id)


class AdvancementPages(Controller):
    path = "/organisation/rounds"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get(
        "/{round_id:int}/qualification",
        summary="Qualifiés du tour : aperçu et confirmation",
        responses=page_forms.PAGE_CONFLICT,
    )
    async def page(self, db: Database, identity: Identity, round_id: int) -> Template:
        context = await advancement.preview(db, identity=identity, round_id=round_id)
        return Template(
            "organiser/advancement.html",
            context={"preview": context, "statuses": advancement.STATUS_LABELS},
            media_type=MediaType.HTML,
        )


class MinutesPages(Controller):
    path = "/organisation/rounds"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @get(
        "/{round_id:int}/panels/{panel_id:int}/proces-verbal.pdf",
        summary="Procès-verbal de délibération d'un jury (PDF)",
        media_type="application/pdf",
        responses=page_forms.MINUTES_PENDING,
    )
    async def pdf(
        self, request: Request, db: Database, identity: Identity, round_id: int, panel_id: int
    ) -> Response[bytes] | Template:
        """The PDF when the worker delivers it within JURY_MINUTES_WAIT_SECONDS, else a page that
        reloads itself until it does (the job goes on, and the reload finds it by its content)."""
        context = await minutes.minutes_context(db, identity=identity, round_id=round_id, panel_id=panel_id)
        settings = request.app.state.settings
        _, content = await minutes_jobs.request_pdf(
            request.app.state.pool,
            request.app.state.queries,
            round_id=round_id,
            panel_id=panel_id,
            context=context,
            templates_dir=settings.templates_dir,
            wait_seconds=settings.minutes_wait_seconds,
            clock=request.app.state.clock,
        )
        if content is None:
            return Template(
                "organiser/minutes_pending.html",
                context={"context": context},
                status_code=202,
                media_type=MediaType.HTML,
                headers={"Retry-After": "5", "Cache-Control": "no-store"},
            )
        name = _filename(f"proces-verbal-{context.round}-{context.panel}")
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"', "Cache-Control": "no-store"},
        )


def _filename(text: str) -> str:
    """An ASCII file name: accents dropped, anything else a dash (panel names are free text)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "proces-verbal"
