"""Rounds and panels of an edition: the JSON API and the organisers' « Tours » page, one service call each.

The page's forms send text fields; they are read here into the API's structures (an empty field is left
out, a malformed number is refused naming its field) so both go through the same checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import FormMultiDict
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.contests.models import Round
from jury.contests.service import edition_rounds
from jury.db.queries import Database
from jury.errors import FieldError, Invalid
from jury.rounds import forms_web as forms
from jury.rounds import setup
from jury.rounds.setup import PanelCreate, PanelSetup, RoundCreate, RoundPatch, RoundSetup
from jury.web.openapi_errors import error_responses

ROUND_REFUSALS = error_responses(
    {
        409: "Le tour a commencé (il ne change plus de place, ni d'anonymat) ou il est clos.",
        422: "Valeur refusée : chaque champ en cause est nommé.",
    }
)


class RoundSetupApi(Controller):
    path = "/api"
    tags = ["tours"]

    @get("/editions/{slug:str}/rounds", summary="Les tours d'une édition")
    async def list_rounds(self, db: Database, slug: str) -> list[Round]:
        return await edition_rounds(db, slug=slug)

    @post(
        "/editions/{slug:str}/rounds",
        guards=[requires_organiser],
        summary="Ajouter un tour à une édition",
        status_code=201,
        description="Type, nom, position (par défaut : à la fin), règle de qualification (nombre, portée "
        "overall / zone / category, repêchés), anonymat, méthode de calibrage, date.",
        responses=ROUND_REFUSALS,
    )
    async def create(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[RoundCreate]
    ) -> RoundSetup:
        return await setup.create_round(db, identity=identity, slug=slug, data=data)

    @patch(
        "/rounds/{round_id:int}",
        guards=[requires_organiser],
        summary="Modifier un tour (nom, position, règle de qualification, anonymat, méthode, date)",
        status_code=200,
        responses=ROUND_REFUSALS,
    )
    async def update(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[RoundPatch]
    ) -> RoundSetup:
        return await setup.update_round(db, identity=identity, round_id=round_id, data=data)

    @delete(
        "/rounds/{round_id:int}",
        guards=[requires_organiser],
        summary="Supprimer un tour en préparation et vide",
        status_code=204,
        responses=error_responses({409: "Le tour a commencé ou contient des candidats, jurys, feuilles."}),
    )
    async def remove(self, db: Database, identity: Identity, round_id: int) -> None:
        await setup.delete_round(db, identity=identity, round_id=round_id)

    @post(
        "/rounds/{round_id:int}/panels",
        guards=[requires_organiser],
        summary="Constituer un jury dans un tour",
        status_code=201,
        description="Nom, zone (code), lieu, catégories jugées (codes ; aucune : toutes). Les membres sont "
        "nommés par l'import des jurés.",
        responses=error_responses(
            {409: "Le tour est clos.", 422: "Nom pris ou vide, zone ou catégorie inconnue."}
        ),
    )
    async def add_panel(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[PanelCreate]
    ) -> PanelSetup:
        return await setup.create_panel(db, identity=identity, round_id=round_id, data=data)


# --- Pages ----------------------------------------------------------------------------------------------


def _tours(slug: str, anchor: str = "") -> Redirect:
    return Redirect(f"/organisation/editions/{slug}/tours{anchor}", status_code=303)


def _int(form: FormMultiDict, name: str) -> int | msgspec.UnsetType | None:
    if name not in form:
        return msgspec.UNSET
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise Invalid(
            "Formulaire refusé : rien n'a été enregistré.",
            errors=[FieldError(field=name, message="Nombre entier attendu.")],
        ) from None


def _date(form: FormMultiDict, name: str) -> dt.date | msgspec.UnsetType | None:
    if name not in form:
        return msgspec.UNSET
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(
            "Formulaire refusé : rien n'a été enregistré.",
            errors=[FieldError(field=name, message="Date attendue (AAAA-MM-JJ).")],
        ) from None


def _round_fields(form: FormMultiDict) -> dict[str, Any]:
    """The fields the form sent, as the API's values; fields it did not send are left out."""
    fields: dict[str, Any] = {}
    for name in ("name", "kind", "quota_scope", "method"):
        if name in form:
            fields[name] = str(form.get(name) or "")
    for name in ("position", "advance_count", "wildcards"):
        value = _int(form, name)
        if value is not msgspec.UNSET:
            fields[name] = value
    if "wildcards" in fields and fields["wildcards"] is None:
        fields["wildcards"] = 0
    if "blind" in form:
        fields["blind"] = str(form.get("blind")) == "oui"
    scheduled = _date(form, "scheduled_on")
    if scheduled is not msgspec.UNSET:
        fields["scheduled_on"] = scheduled
    return fields


class RoundSetupPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/editions/{slug:str}/tours", summary="Tours et jurys d'une édition")
    async def page(self, db: Database, identity: Identity, slug: str) -> Template:
        page = await setup.rounds_page(db, identity=identity, slug=slug)
        return Template("organiser/setup_rounds.html", context={"page": page, "edition": page.edition})

    @post(
        "/editions/{slug:str}/tours",
        opt=forms.ROUND_FORM,
        summary="Ajouter un tour (formulaire)",
        status_code=303,
        responses=ROUND_REFUSALS,
    )
    async def create(self, db: Database, identity: Identity, slug: str, request: Request) -> Redirect:
        fields = _round_fields(await request.form())
        fields.setdefault("kind", "")
        fields.setdefault("name", "")
        data = RoundCreate(**fields)
        created = await setup.create_round(db, identity=identity, slug=slug, data=data)
        return _tours(created.edition_slug, f"#tour-{created.id}")

    @post(
        "/rounds/{round_id:int}/reglage",
        opt=forms.ROUND_FORM,
        summary="Modifier un tour (formulaire)",
        status_code=303,
        responses=ROUND_REFUSALS,
    )
    async def update(self, db: Database, identity: Identity, round_id: int, request: Request) -> Redirect:
        fields = _round_fields(await request.form())
        fields.pop("kind", None)
        if fields.get("position", 0) is None:
            fields.pop("position")
        updated = await setup.update_round(
            db, identity=identity, round_id=round_id, data=RoundPatch(**fields)
        )
        return _tours(updated.edition_slug, f"#tour-{updated.id}")

    @post(
        "/rounds/{round_id:int}/suppression",
        summary="Supprimer un tour vide (formulaire)",
        status_code=303,
        responses=error_responses({409: "Le tour a commencé ou n'est pas vide."}),
    )
    async def remove(self, db: Database, identity: Identity, round_id: int) -> Redirect:
        slug = await setup.delete_round(db, identity=identity, round_id=round_id)
        return _tours(slug)

    @post(
        "/rounds/{round_id:int}/jurys",
        opt=forms.PANEL_FORM,
        summary="Constituer un jury (formulaire)",
        status_code=303,
        responses=error_responses({409: "Le tour est clos.", 422: "Nom pris ou vide, zone inconnue."}),
    )
    async def add_panel(self, db: Database, identity: Identity, round_id: int, request: Request) -> Redirect:
        form = await request.form()
        zone = str(form.get("zone") or "").strip()
        data = PanelCreate(
            name=str(form.get("name") or ""),
            zone=zone or None,
            venue=str(form.get("venue") or ""),
            categories=[str(c) for c in form.getall("categories", []) if str(c).strip()],
        )
        panel = await setup.create_panel(db, identity=identity, round_id=round_id, data=data)
        return _tours(panel.edition_slug, f"#tour-{round_id}")
