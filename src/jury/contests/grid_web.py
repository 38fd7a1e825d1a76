"""Categories with their criteria grids, prizes and eligibility rules: the JSON API and the « Grille » page.

The page's forms post one line per criterion or prize (``code-0``, ``label-0``…; a line left blank is
ignored) and are read here into the API's structures, so both go through the same checks and errors.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.datastructures import FormMultiDict
from litestar.params import JSONBody
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.contests import forms_web as forms
from jury.contests import grid, rules_setup
from jury.contests.grid import CategoryGrid, EditionGrid, GridRequest, PrizeList, PrizesRequest
from jury.contests.grid_rules import CriterionIn, EligibilityIn, PrizeIn, TerritoryIn
from jury.db.queries import Database
from jury.errors import FieldError, Invalid
from jury.web.openapi_errors import error_responses

FORM_REFUSED = "Formulaire refusé : rien n'a été enregistré."


class GridApi(Controller):
    path = "/api/editions/{slug:str}"
    tags = ["concours"]
    guards = [requires_organiser]

    @get("/grid", summary="Catégories, grilles de critères, prix et règles d'éligibilité d'une édition")
    async def read(self, db: Database, identity: Identity, slug: str) -> EditionGrid:
        return await grid.edition_grid(db, identity=identity, slug=slug)

    @put(
        "/categories/{code:str}/criteria",
        summary="Remplacer la grille de critères d'une catégorie",
        status_code=200,
        description='Corps : la liste complète des critères, ou un objet {"name", "weights_total", '
        '"criteria"} ; « name » crée la catégorie si elle n\'existe pas (ou la renomme), « weights_total » '
        "impose la somme des pondérations (null : aucune).",
        responses=error_responses(
            {
                404: "Édition inconnue, ou catégorie inconnue sans « name » pour la créer.",
                409: "Des feuilles de notation utilisent déjà cette grille.",
                422: "Ligne refusée, nommée (criteria[2].weight) : barème, pas, pondération, somme.",
            }
        ),
    )
    async def replace_criteria(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        code: str,
        data: JSONBody[list[CriterionIn] | GridRequest],
    ) -> CategoryGrid:
        request = data if isinstance(data, GridRequest) else GridRequest(criteria=data)
        return await grid.replace_criteria(db, identity=identity, slug=slug, code=code, data=request)

    @put(
        "/prizes",
        summary="Remplacer la liste des prix d'une édition",
        status_code=200,
        description='Corps : la liste complète des prix, ou un objet {"allow_multiple_prizes", "prizes"} '
        "(la règle d'exclusivité de l'édition).",
        responses=error_responses(
            {
                409: "Un prix déjà attribué ne peut pas être retiré.",
                422: "Prix refusé, nommé (prizes[1].place) : code, type, catégorie, place.",
            }
        ),
    )
    async def replace_prizes(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[list[PrizeIn] | PrizesRequest]
    ) -> PrizeList:
        request = data if isinstance(data, PrizesRequest) else PrizesRequest(prizes=data)
        return await grid.replace_prizes(db, identity=identity, slug=slug, data=request)

    @put(
        "/eligibility",
        summary="Remplacer les règles d'éligibilité d'une édition",
        status_code=200,
        description="Territoire (département et communes acceptées hors département), âge maximal de "
        "l'entreprise, formes juridiques, plafond de la demande, colonnes obligatoires.",
        responses=error_responses({422: "Règle refusée, nommée (territory.accepted_outside_insee[0])."}),
    )
    async def replace_eligibility(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[EligibilityIn]
    ) -> EligibilityIn:
        return await rules_setup.replace_eligibility(db, identity=identity, slug=slug, data=data)


# --- Pages ----------------------------------------------------------------------------------------------


def _text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name) or "").strip()


def _number(form: FormMultiDict, name: str, *, field: str, whole: bool = False) -> Any:
    """A typed number (French decimal comma accepted); None when empty; 422 naming ``field`` otherwise."""
    text = _text(form, name).replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        message = "Nombre entier attendu." if whole else "Nombre attendu."
        raise Invalid(FORM_REFUSED, errors=[FieldError(field=field, message=message)]) from None


def _required_number(form: FormMultiDict, name: str, *, field: str) -> float:
    value = _number(form, name, field=field)
    if value is None:
        raise Invalid(FORM_REFUSED, errors=[FieldError(field=field, message="Champ obligatoire.")])
    return value


def _lines(form: FormMultiDict, *names: str) -> list[int]:
    """Indexes of the form's lines with something typed in one of ``names`` (blank lines are ignored)."""
    indexes = sorted({int(key.rsplit("-", 1)[1]) for key in form if key.rsplit("-", 1)[-1].isdigit()})
    return [i for i in indexes if any(_text(form, f"{n}-{i}") for n in names)]


def _criteria_from_form(form: FormMultiDict) -> GridRequest:
    criteria = []
    for n, i in enumerate(_lines(form, "code", "label")):
        at = f"criteria[{n}]"
        criteria.append(
            CriterionIn(
                code=_text(form, f"code-{i}"),
                label=_text(form, f"label-{i}"),
                weight=_required_number(form, f"weight-{i}", field=f"{at}.weight"),
                scale_min=_required_number(form, f"scale_min-{i}", field=f"{at}.scale_min"),
                scale_max=_required_number(form, f"scale_max-{i}", field=f"{at}.scale_max"),
                scale_step=_required_number(form, f"scale_step-{i}", field=f"{at}.scale_step"),
                help=_text(form, f"help-{i}"),
                comment_required=f"comment_required-{i}" in form,
                eliminatory=f"eliminatory-{i}" in form,
            )
        )
    name = _text(form, "name")
    return GridRequest(
        criteria=criteria,
        name=name or None,
        weights_total=_number(form, "weights_total", field="weights_total"),
    )


def _prizes_from_form(form: FormMultiDict) -> PrizesRequest:
    prizes = []
    for n, i in enumerate(_lines(form, "code", "name")):
        at = f"prizes[{n}]"
        prizes.append(
            PrizeIn(
                code=_text(form, f"code-{i}"),
                name=_text(form, f"name-{i}"),
                kind=_text(form, f"kind-{i}"),
                category=_text(form, f"category-{i}") or None,
                place=_number(form, f"place-{i}", field=f"{at}.place", whole=True),
                amount_eur=_number(form, f"amount_eur-{i}", field=f"{at}.amount_eur", whole=True),
                ex_aequo_allowed=f"ex_aequo_allowed-{i}" in form,
                max_winners=_max_winners(form, i, field=f"{at}.max_winners"),
            )
        )
    return PrizesRequest(prizes=prizes, allow_multiple_prizes="allow_multiple_prizes" in form)


def _max_winners(form: FormMultiDict, i: int, *, field: str) -> int | msgspec.UnsetType | None:
    """A blank cell keeps the prize's stored maximum, or its kind's default (one for a prize of one place,
    none for a label, a cohort or the laureates of a call)."""
    value = _number(form, f"max_winners-{i}", field=field, whole=True)
    return msgspec.UNSET if value is None else int(value)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").replace(";", "\n").splitlines() if part.strip()]


def _eligibility_from_form(form: FormMultiDict) -> EligibilityIn:
    return EligibilityIn(
        territory=TerritoryIn(
            department=_text(form, "department") or "92",
            accepted_outside_insee=_split(_text(form, "accepted_outside_insee")),
        ),
        max_company_age_years=_number(
            form, "max_company_age_years", field="max_company_age_years", whole=True
        ),
        legal_forms=[line.strip() for line in _text(form, "legal_forms").splitlines() if line.strip()],
        max_request_eur=_number(form, "max_request_eur", field="max_request_eur", whole=True),
        required_fields=[str(v) for v in form.getall("required_fields", [])],
    )


def _grille(slug: str, anchor: str = "") -> Redirect:
    return Redirect(f"/organisation/editions/{slug}/grille{anchor}", status_code=303)


class GridPages(Controller):
    path = "/organisation/editions/{slug:str}/grille"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Catégories, critères, prix et règles d'éligibilité d'une édition")
    async def page(self, db: Database, identity: Identity, slug: str) -> Template:
        page = await grid.grid_page(db, identity=identity, slug=slug)
        return Template("organiser/setup_grid.html", context={"page": page, "edition": page.edition})

    @post(
        "/criteres",
        opt=forms.CRITERIA_FORM,
        summary="Enregistrer la grille d'une catégorie (formulaire)",
        status_code=303,
        responses=error_responses(
            {409: "Des feuilles de notation utilisent déjà cette grille.", 422: "Ligne refusée, nommée."}
        ),
    )
    async def criteria(self, db: Database, identity: Identity, slug: str, request: Request) -> Redirect:
        form = await request.form()
        code = _text(form, "category")
        stored = await grid.replace_criteria(
            db, identity=identity, slug=slug, code=code, data=_criteria_from_form(form)
        )
        return _grille(slug, f"#categorie-{stored.code}")

    @post(
        "/prix",
        opt=forms.PRIZES_FORM,
        summary="Enregistrer les prix de l'édition (formulaire)",
        status_code=303,
        responses=error_responses(
            {409: "Un prix déjà attribué ne peut pas être retiré.", 422: "Prix refusé."}
        ),
    )
    async def prizes(self, db: Database, identity: Identity, slug: str, request: Request) -> Redirect:
        await grid.replace_prizes(
            db, identity=identity, slug=slug, data=_prizes_from_form(await request.form())
        )
        return _grille(slug, "#prix")

    @post(
        "/eligibilite",
        opt=forms.ELIGIBILITY_FORM,
        summary="Enregistrer les règles d'éligibilité (formulaire)",
        status_code=303,
        responses=error_responses({422: "Règle refusée, nommée."}),
    )
    async def eligibility(self, db: Database, identity: Identity, slug: str, request: Request) -> Redirect:
        rules = _eligibility_from_form(await request.form())
        await rules_setup.replace_eligibility(db, identity=identity, slug=slug, data=rules)
        return _grille(slug, "#eligibilite")
