"""A round's candidates before its panels, and the panels' members: the JSON API and the organisers' page.

Organisers of the round's contest only (guards, then the service's scope check): another contest's
organiser gets a 403 that names nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, MediaType, Request, delete, get, post
from litestar.params import JSONBody
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.errors import FieldError, Invalid
from jury.rounds import entries, entries_page
from jury.rounds import forms_web as forms
from jury.rounds.entries import MemberAdded, MemberRemoved, PlacedEntries, Placement, RoundEntries
from jury.rounds.entries_page import EntriesPage, PageForm
from jury.web.openapi_errors import error_responses

TEMPLATE = "organiser/round_entries.html"
EDIT_REFUSED = "Tour en délibération ou clos : ses jurys et leurs candidats ne changent plus."


class PlacementsRequest(msgspec.Struct, frozen=True, kw_only=True):
    entries: Annotated[list[Placement], msgspec.Meta(max_length=5000)]


class MemberRequest(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int | None = None
    email: Annotated[str, msgspec.Meta(max_length=320)] | None = None
    role: Literal["juror", "chair"] = "juror"
    is_professional: bool = False


class RoundEntriesApi(Controller):
    path = "/api/rounds/{round_id:int}/entries"
    tags = ["tours"]
    guards = [requires_organiser]

    @get(
        "/",
        summary="Candidats d'un tour et leur jury, jurys et leurs membres",
        description="Avec, pour un tour en préparation, ce qui l'empêche encore d'ouvrir.",
    )
    async def list_entries(self, db: Database, identity: Identity, round_id: int) -> RoundEntries:
        return await entries.round_entries(db, identity=identity, round_id=round_id)

    @post(
        "/panels",
        summary="Placer les candidats d'un tour devant ses jurys",
        description="`entries` : `[{candidate_id, panel_id}]`, chaque jury étant un jury de ce tour. Un "
        "candidat qui change de jury perd ses affectations à l'ancien ; un candidat déjà noté garde le sien. "
        "Tout ou rien ; événement `round.entries_placed` au journal d'audit. Un tour à un seul jury (la "
        "finale) reçoit ses qualifiés automatiquement ; les demi-finales territoriales se répartissent "
        "par zone (`POST /api/rounds/{id}/routing`).",
        status_code=200,
        responses=error_responses(
            {
                409: EDIT_REFUSED,
                422: "Candidat absent du tour, jury d'un autre tour, candidat déjà noté ou hors course : "
                "chaque erreur nomme sa ligne, rien n'est écrit.",
            }
        ),
    )
    async def place(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[PlacementsRequest]
    ) -> PlacedEntries:
        return await entries.place_entries(db, identity=identity, round_id=round_id, placements=data.entries)


class PanelMembersApi(Controller):
    path = "/api/panels/{panel_id:int}/members"
    tags = ["tours"]
    guards = [requires_organiser]

    @post(
        "/",
        summary="Faire siéger un juré de l'édition dans un jury",
        description="Le juré est désigné par `person_id` ou `email` et doit déjà être juré de l'édition "
        "(import des jurés). `role` : `juror` ou `chair` (une présidence par jury). Événement "
        "`panel.member_added` au journal d'audit.",
        status_code=201,
        responses=error_responses(
            {
                409: EDIT_REFUSED + " Ou : déjà membre, ou présidence déjà pourvue.",
                422: "Juré inconnu dans cette édition, ou non désigné.",
            }
        ),
    )
    async def add(
        self, db: Database, identity: Identity, panel_id: int, data: JSONBody[MemberRequest]
    ) -> MemberAdded:
        return await entries.add_member(
            db,
            identity=identity,
            panel_id=panel_id,
            person_id=data.person_id,
            email=data.email,
            role=data.role,
            is_professional=data.is_professional,
        )

    @delete(
        "/{person_id:int}",
        summary="Retirer un juré d'un jury",
        description="Ses affectations dans ce jury sont retirées avec lui ; refusé s'il y a déjà ouvert une "
        "feuille de notation. Événement `panel.member_removed` au journal d'audit.",
        status_code=200,
        responses=error_responses({409: EDIT_REFUSED + " Ou : le juré a déjà noté dans ce jury."}),
    )
    async def remove(self, db: Database, identity: Identity, panel_id: int, person_id: int) -> MemberRemoved:
        return await entries.remove_member(db, identity=identity, panel_id=panel_id, person_id=person_id)


class RoundEntriesPages(Controller):
    path = "/organisation/rounds/{round_id:int}/entrants"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Candidats et jurys d'un tour", media_type=MediaType.HTML)
    async def show(self, db: Database, identity: Identity, round_id: int) -> Template:
        return _render(await entries_page.entries_page(db, identity=identity, round_id=round_id))

    @post(
        "/",
        summary="Placer les candidats, ajouter ou retirer un juré (formulaire)",
        status_code=200,
        opt=forms.ENTRIES_FORM,
        media_type=MediaType.HTML,
        responses=error_responses(
            {
                409: EDIT_REFUSED,
                422: "Répartition ou juré refusé : la page le dit, rien n'est écrit.",
            },
            page=True,
        ),
    )
    async def act(self, request: Request, db: Database, identity: Identity, round_id: int) -> Template:
        try:
            form = _read_form(await request.form())
        except Invalid as exc:
            return _render(
                await entries_page.entries_page(db, identity=identity, round_id=round_id, refused=exc)
            )
        return _render(
            await entries_page.act_on_entries_page(db, identity=identity, round_id=round_id, form=form)
        )


def _render(page: EntriesPage) -> Template:
    return Template(TEMPLATE, context=page.context(), status_code=page.status, media_type=MediaType.HTML)


def _int(value: object, *, field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise Invalid(
            "Valeur non numérique.", errors=[FieldError(field=field, message="Nombre entier attendu.")]
        ) from None


def _read_form(form) -> PageForm:
    """The page's fields: `action`; `jury-<candidat>` for placements (blank: left as is); `panel_id`,
    `person_id` or `email`, `role`, `professionnel` for a seat."""
    action = str(form.get("action", ""))
    if action not in ("placer", "ajouter", "retirer"):
        raise Invalid("Action inconnue.", errors=[FieldError(field="action", message="Action inconnue.")])
    placements = []
    for key, value in form.multi_items():
        if key.startswith("jury-"):
            candidate_id = _int(key.removeprefix("jury-"), field=key)
            panel_id = _int(value, field=key)
            if candidate_id is not None and panel_id is not None:
                placements.append(Placement(candidate_id=candidate_id, panel_id=panel_id))
    role = str(form.get("role", "juror"))
    return PageForm(
        action=action,  # type: ignore[arg-type]
        placements=placements,
        panel_id=_int(form.get("panel_id"), field="panel_id"),
        person_id=_int(form.get("person_id"), field="person_id"),
        email=str(form.get("email", "")).strip() or None,
        role="chair" if role == "chair" else "juror",
        is_professional=bool(form.get("professionnel")),
    )
