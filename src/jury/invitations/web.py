"""Jurors' invitations and reminders: the organisers' page (from the jurors' page) and the JSON API."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.invitations import service
from jury.invitations.service import InvitationsPage, Sending
from jury.outbox.service import SentMessage
from jury.web.openapi_errors import error_responses

NOT_CONFIGURED = "L'envoi d'e-mails n'est pas configuré (JURY_SMTP_HOST et JURY_SMTP_FROM)."
INVITE_ERRORS = error_responses({409: "Édition décidée, ou sans juré.", 422: NOT_CONFIGURED})
REMIND_ERRORS = error_responses(
    {409: "Tour pas en notation, date du tour passée, ou aucune fiche à valider.", 422: NOT_CONFIGURED}
)
PAGE_ERRORS = error_responses(
    {409: "Envoi impossible dans l'état de l'édition ou du tour : la page le dit.", 422: NOT_CONFIGURED},
    page=True,
)


class InvitationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    person_ids: Annotated[
        list[int] | None, msgspec.Meta(description="Jurés à inviter ; absent ou null : tous les jurés.")
    ] = None


class InviteForm(msgspec.Struct):
    person_id: int | None = None


class InvitationsApi(Controller):
    path = "/api"
    tags = ["jurés"]
    guards = [requires_organiser]

    @post(
        "/editions/{slug:str}/invitations",
        summary="Inviter des jurés par e-mail (lien personnel et QR code ; leur carte précédente ne vaut plus)",
        status_code=200,
        responses=INVITE_ERRORS,
    )
    async def invite(
        self, db: Database, state: State, identity: Identity, slug: str, data: JSONBody[InvitationRequest]
    ) -> Sending:
        return await service.invite(
            db, identity=identity, settings=state.settings, slug=slug, person_ids=data.person_ids
        )

    @post(
        "/rounds/{round_id:int}/reminders",
        summary="Rappeler par e-mail les jurés dont des fiches du tour restent à valider",
        status_code=200,
        responses=REMIND_ERRORS,
    )
    async def remind(self, db: Database, state: State, identity: Identity, round_id: int) -> Sending:
        return await service.remind(db, identity=identity, settings=state.settings, round_id=round_id)

    @get("/editions/{slug:str}/messages", summary="E-mails envoyés aux jurés : à qui, quoi, quand")
    async def messages(self, db: Database, identity: Identity, slug: str) -> list[SentMessage]:
        return await service.messages(db, identity=identity, slug=slug)


class InvitationPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/editions/{slug:str}/invitations", summary="Invitations et rappels des jurés, messages envoyés")
    async def page(self, db: Database, state: State, identity: Identity, slug: str) -> Template:
        page = await service.invitations_page(db, identity=identity, settings=state.settings, slug=slug)
        return _template(page)

    @post(
        "/editions/{slug:str}/invitations",
        summary="Inviter un juré, ou tous (formulaire)",
        status_code=200,
        responses=PAGE_ERRORS,
    )
    async def invite(
        self,
        db: Database,
        state: State,
        identity: Identity,
        slug: str,
        data: Annotated[InviteForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        page = await service.invite_from_page(
            db, identity=identity, settings=state.settings, slug=slug, person_id=data.person_id
        )
        return _template(page)

    @post(
        "/rounds/{round_id:int}/rappels",
        summary="Rappeler les jurés dont des fiches restent à valider (formulaire)",
        status_code=200,
        responses=PAGE_ERRORS,
    )
    async def remind(self, db: Database, state: State, identity: Identity, round_id: int) -> Template:
        page = await service.remind_from_page(
            db, identity=identity, settings=state.settings, round_id=round_id
        )
        return _template(page)


def _template(page: InvitationsPage) -> Template:
    return Template("organiser/invitations.html", context=page.context(), status_code=page.status_code)
