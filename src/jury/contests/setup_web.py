"""Setting up contests and editions over HTTP: the JSON API and the organisers' (and administrators') pages.

Handlers only translate: who may act, what is valid and what is written are decided in
`jury.contests.setup`. A refused form comes back as its page, with the message and what was typed.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.contests import contest_setup, setup, setup_pages, signatories
from jury.contests import forms_web as forms
from jury.contests.setup_models import (
    CreatedEdition,
    EditionMove,
    NamedOrganiser,
    NewEdition,
    NewOrganiser,
    StatusRequest,
)
from jury.db.queries import Database
from jury.web.openapi_errors import error_responses

ADMIN_ONLY = "Réservé aux administrateurs du Département."


CREATE_CONTEST_REFUSALS = error_responses(
    {
        403: ADMIN_ONLY,
        409: "L'identifiant est déjà celui d'un concours.",
        422: "Champ invalide (identifiant, nom, type de candidats) : chaque erreur nomme son champ.",
    }
)
UPDATE_EDITION_REFUSALS = error_responses(
    {
        409: "Édition décidée ou archivée (réglage figé), ou numéro déjà pris.",
        422: "Valeur refusée (dates dans le désordre, plafond au-dessus du budget…) : chaque erreur nomme son "
        "champ.",
    }
)


class SetupApi(Controller):
    """The setup routes on paths of their own; `POST /api/contests` and `PATCH /api/editions/{slug}` share
    their paths with the reading routes of `jury.contests.web.ContestsApi`, which holds them."""

    path = "/api"
    tags = ["concours"]
    guards = [requires_organiser]

    @post(
        "/contests/{contest:str}/organisers",
        summary="Nommer un organisateur d'un concours (administrateurs)",
        description="Une personne connue (par son e-mail) est rattachée telle quelle ; une nouvelle est créée "
        "avec le mot de passe initial donné (10 caractères au moins).",
        status_code=201,
        responses=error_responses(
            {
                403: ADMIN_ONLY,
                422: "E-mail, nom ou mot de passe initial invalide : chaque erreur nomme son champ.",
            }
        ),
    )
    async def name_organiser(
        self, db: Database, identity: Identity, contest: str, data: JSONBody[NewOrganiser]
    ) -> NamedOrganiser:
        return await contest_setup.name_organiser(db, identity=identity, contest_slug=contest, request=data)

    @post(
        "/contests/{contest:str}/editions",
        summary="Créer une édition, vierge ou en copiant la préparation d'une autre",
        description="Avec « copy_from » (une édition du même concours) : tours (en préparation, dates décalées "
        "d'autant d'années), jurys (sans leurs membres), zones, catégories et grilles, prix, signataires et "
        "règles sont copiés ; jamais les candidats, jurés, affectations, feuilles, décisions ni prix décernés. "
        "L'identifiant de l'édition est « {concours}-{année} ».",
        status_code=201,
        responses=error_responses(
            {
                409: "Une édition existe déjà pour cette année, ou ce numéro est pris.",
                422: "Réglage invalide ou édition source d'un autre concours : chaque erreur nomme son champ.",
            }
        ),
    )
    async def create_edition(
        self, db: Database, identity: Identity, contest: str, data: JSONBody[NewEdition]
    ) -> CreatedEdition:
        return await setup.create_edition(db, identity=identity, contest_slug=contest, request=data)

    @post(
        "/editions/{slug:str}/status",
        summary="Faire passer une édition à l'étape suivante de sa vie",
        description="preparing → applications → judging → decided → archived ; retour d'une étape possible "
        "avant la décision, avec un motif.",
        status_code=200,
        responses=error_responses(
            {
                409: "Passage impossible depuis l'état actuel de l'édition.",
                422: "L'édition n'est pas prête pour cette étape : chaque manque est listé.",
            }
        ),
    )
    async def move_edition(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[StatusRequest]
    ) -> EditionMove:
        return await setup.move_edition(
            db, identity=identity, slug=slug, status=data.status, reason=data.reason
        )

    @put(
        "/editions/{slug:str}/signatories",
        summary="Remplacer les signataires des diplômes d'une édition",
        description="Corps : la liste complète, dans l'ordre d'impression, de 4 signataires au plus : "
        '[{"name", "title", "distinction"?}] (« title » : la qualité imprimée au-dessus du nom ; '
        "« distinction » : sous le nom, par exemple « Meilleur Ouvrier de France » du président du jury). "
        "Une liste vide retire les signataires. Les diplômes déjà générés sont réimprimés avec la nouvelle liste.",
        status_code=200,
        responses=error_responses(
            {
                409: "Édition archivée : ses signataires ne changent plus.",
                422: "Signataire refusé, nommé (signatories[0].name) : nom, qualité, distinction.",
            }
        ),
    )
    async def replace_signatories(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[list[signatories.SignatoryIn]]
    ) -> list[signatories.Signatory]:
        return await signatories.replace_signatories(db, identity=identity, slug=slug, signatories=data)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


def _settings_template(page: setup_pages.SettingsPage, *, saved: str = "") -> Template:
    context: dict[str, Any] = {"page": page, "edition": page.edition, "saved": saved}
    return Template(
        "organiser/setup/edition_settings.html",
        context=context,
        status_code=page.error.status_code if page.error else 200,
    )


def _admin_template(page: setup_pages.AdminPage, *, done: str = "", kind: str = "") -> Template:
    return Template(
        "organiser/setup/contest_new.html",
        context={"page": page, "done": done, "kind": kind},
        status_code=page.error.status_code if page.error else 200,
    )


REFUSED_FORM = error_responses(
    {409: "Refusé dans l'état actuel.", 422: "Champ refusé : la page revient avec le message."}, page=True
)


class SetupPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/concours/nouveau", summary="Créer un concours et nommer ses organisateurs (administrateurs)")
    async def admin(self, db: Database, identity: Identity, fait: str = "", quoi: str = "") -> Template:
        return _admin_template(await setup_pages.admin_page(db, identity=identity), done=fait, kind=quoi)

    @post(
        "/concours/nouveau",
        opt=forms.CONTEST_FORM,
        summary="Créer un concours (formulaire)",
        status_code=303,
        responses=REFUSED_FORM,
    )
    async def create_contest(self, request: Request, db: Database, identity: Identity) -> Template | Redirect:
        page = await setup_pages.create_contest_from_page(db, identity=identity, form=await _form(request))
        if page.done:
            return Redirect(f"/organisation/concours/nouveau?fait={page.done}&quoi=concours", status_code=303)
        return _admin_template(page)

    @post(
        "/concours/{contest:str}/organisateurs",
        opt=forms.ORGANISER_FORM,
        summary="Nommer un organisateur (formulaire)",
        status_code=303,
        responses=REFUSED_FORM,
    )
    async def name_organiser(
        self, request: Request, db: Database, identity: Identity, contest: str
    ) -> Template | Redirect:
        page = await setup_pages.name_organiser_from_page(
            db, identity=identity, contest_slug=contest, form=await _form(request)
        )
        if page.done:
            return Redirect(
                f"/organisation/concours/nouveau?fait={page.done}&quoi=organisateur", status_code=303
            )
        return _admin_template(page)

    @post(
        "/concours/{contest:str}/editions",
        opt=forms.EDITION_FORM,
        summary="Créer une nouvelle édition (formulaire)",
        status_code=303,
        responses=REFUSED_FORM,
    )
    async def create_edition(
        self, request: Request, db: Database, identity: Identity, contest: str
    ) -> Template | Redirect:
        page = await setup_pages.create_edition_from_page(
            db, identity=identity, contest_slug=contest, form=await _form(request)
        )
        if page.created:
            return Redirect(f"/organisation/editions/{page.created}/parametres", status_code=303)
        return Template(
            "organiser/contests.html",
            context={"contests": page.contests, "page": page},
            status_code=page.error.status_code if page.error else 200,
        )

    @get("/editions/{slug:str}/parametres", summary="Réglages et étapes d'une édition")
    async def settings(self, db: Database, identity: Identity, slug: str, enregistre: str = "") -> Template:
        return _settings_template(
            await setup_pages.settings_page(db, identity=identity, slug=slug), saved=enregistre
        )

    @post(
        "/editions/{slug:str}/parametres",
        opt=forms.SETTINGS_FORM,
        summary="Enregistrer les réglages d'une édition (formulaire)",
        status_code=303,
        responses=REFUSED_FORM,
    )
    async def save_settings(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        page = await setup_pages.save_settings_from_page(
            db, identity=identity, slug=slug, form=await _form(request)
        )
        if page.error:
            return _settings_template(page)
        return Redirect(f"/organisation/editions/{slug}/parametres?enregistre=reglages", status_code=303)

    @post(
        "/editions/{slug:str}/etat",
        opt=forms.MOVE_FORM,
        summary="Faire passer une édition à l'étape suivante (formulaire)",
        status_code=303,
        responses=REFUSED_FORM,
    )
    async def move(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await _form(request)
        page = await setup_pages.move_edition_from_page(
            db, identity=identity, slug=slug, status=form.get("status", ""), reason=form.get("reason", "")
        )
        if page.error:
            return _settings_template(page)
        return Redirect(f"/organisation/editions/{slug}/parametres?enregistre=etat", status_code=303)
