"""A panel's deliberation over HTTP: the notes API, the index of one's panels and the panel's page.

Handlers only translate; who may read or write what is decided in the services, so the API and the pages
cannot drift apart. Page forms post, then redirect back (303) to the page they came from.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_sign_in
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.deliberation import forms_web as page_forms
from jury.deliberation.forms import one_int
from jury.deliberation.panel import notes, service
from jury.deliberation.panel.models import Note, NoteRequest
from jury.web.openapi_errors import error_responses

NOT_DELIBERATED = "Le tour n'a pas encore atteint la délibération."
NOT_DELIBERATING = "Le tour n'est pas en délibération."


class NotesApi(Controller):
    path = "/api/rounds/{round_id:int}/notes"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @get(
        "/",
        summary="Notes de délibération d'un tour",
        description="Membres du jury (pendant ou après la délibération, sans les candidats dont ils se sont "
        "déportés) et organisateurs du concours.",
        responses=error_responses({409: NOT_DELIBERATED}),
    )
    async def list_notes(
        self, db: Database, identity: Identity, round_id: int, panel_id: int | None = None
    ) -> list[Note]:
        return await notes.list_notes(db, identity=identity, round_id=round_id, panel_id=panel_id)

    @post(
        "/",
        summary="Ajouter une note de délibération sur un candidat",
        description="Membres du jury du candidat, pendant la délibération, jamais sur un candidat dont ils se "
        "sont déportés.",
        responses=error_responses({409: NOT_DELIBERATING, 422: "La note est vide."}),
    )
    async def add_note(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[NoteRequest]
    ) -> Note:
        return await notes.add_note(
            db, identity=identity, round_id=round_id, candidate_id=data.candidate_id, text=data.text
        )


class PanelPages(Controller):
    path = "/deliberation"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @get("/", summary="Mes jurys en délibération")
    async def index(self, db: Database, identity: Identity) -> Template:
        return Template(
            "deliberation/index.html", context={"panels": await service.my_panels(db, identity=identity)}
        )

    @get("/{panel_id:int}", summary="Délibération d'un jury", responses=page_forms.PAGE_CONFLICT)
    async def panel(self, db: Database, identity: Identity, panel_id: int) -> Template:
        page = await service.panel_page(db, identity=identity, panel_id=panel_id)
        return Template("deliberation/panel.html", context=page.context())

    @post(
        "/{panel_id:int}/notes",
        summary="Ajouter une note (formulaire)",
        status_code=303,
        opt=page_forms.NOTE_FORM,
        responses=page_forms.PAGE_CONFLICT,
    )
    async def add_note(self, request: Request, db: Database, identity: Identity, panel_id: int) -> Redirect:
        form = await request.form()
        candidate_id = one_int(form.get("candidate_id", ""), what="Candidat") or 0
        await notes.add_panel_note(
            db,
            identity=identity,
            panel_id=panel_id,
            candidate_id=candidate_id,
            text=str(form.get("text", "")),
        )
        return Redirect(f"/deliberation/{panel_id}#candidat-{candidate_id}", status_code=303)
