"""Upload endpoints: the JSON API for scripts and the organisers' import page.

Organisers only (controller guard), and only for the contests they organise (checked per edition before
anything is read); the signed-in organiser is the actor recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from litestar import Controller, MediaType, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, Parameter
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.imports import service
from jury.imports.models import (
    CANDIDATE_COLUMNS,
    IMPORT_KINDS,
    JUROR_COLUMNS,
    KIND_LABELS,
    ImportReport,
    required_for,
)
from jury.imports.service import ImportPage
from jury.web.openapi_errors import ErrorBody, error_responses

TEMPLATE = "organiser/import.html"


@dataclass
class ImportUpload:
    """The multipart body of the API: one file, CSV or XLSX."""

    file: UploadFile | None = None


@dataclass
class ImportPageForm:
    file: UploadFile | None = None
    kind: Literal["candidats", "jures"] = "candidats"
    action: Literal["verifier", "importer"] = "verifier"
    update_existing: Literal["on", ""] = ""


async def _read(upload: UploadFile | None) -> tuple[bytes, str]:
    if upload is None:
        return b"", ""
    return await upload.read(), upload.filename or ""


API_DESCRIPTION = """\
Envoie un fichier CSV ou XLSX (champ multipart `file`) de candidats (`kind` = `candidats`) ou de jurés
(`kind` = `jures`) pour l'édition `slug`.

Tout ou rien : le fichier entier est vérifié avant toute écriture. À la moindre erreur, rien n'est écrit
et la réponse 422 liste toutes les erreurs (jusqu'à 200) avec la ligne du fichier (en-tête = ligne 1),
la colonne et un message en français. Sinon toutes les lignes sont enregistrées dans une seule transaction
et un événement est ajouté au journal d'audit ; la réponse 201 donne le nombre de lignes importées.

Avec `?dry_run=true`, le fichier est seulement vérifié : réponse 200 avec `rows`, le nombre de lignes qui
seraient importées, et `imported` = 0.

CSV : UTF-8 (avec ou sans BOM) ou Windows-1252, séparateur `;`, `,` ou tabulation. XLSX : première feuille.
Colonnes des candidats : nom_structure, nom_porteur, courriel, code_insee (code INSEE, jamais le code
postal), forme_juridique, date_creation, montant_demande, numero, creation, categorie, projet ; les
colonnes obligatoires dépendent du type de candidats du concours. Colonnes des jurés : nom, courriel,
qualite, jury, role (juré ou président), professionnel (oui ou non) ; les jurés sont rapprochés par
courriel, sans doublon.
"""


class ImportsApi(Controller):
    path = "/api/editions/{slug:str}/imports"
    tags = ["imports"]
    guards = [requires_organiser]

    @post(
        "/{kind:str}",
        summary="Importer des candidats ou des jurés (CSV ou XLSX)",
        description=API_DESCRIPTION,
        status_code=201,
        response_description="Import réalisé : toutes les lignes du fichier sont enregistrées.",
        responses={
            200: ResponseSpec(data_container=ImportReport, description="Vérification seule (dry_run=true)."),
            401: ResponseSpec(data_container=ErrorBody, description="Connexion requise."),
            403: ResponseSpec(
                data_container=ErrorBody,
                description="Réservé aux organisateurs du concours de l'édition.",
            ),
            404: ResponseSpec(data_container=ErrorBody, description="Édition ou type d'import inconnu."),
            413: ResponseSpec(data_container=ErrorBody, description="Fichier trop volumineux."),
            422: ResponseSpec(
                data_container=ErrorBody,
                description="Fichier refusé : rien n'a été écrit ; chaque erreur donne sa ligne et sa "
                "colonne.",
                examples=[
                    Example(
                        summary="Code postal au lieu du code INSEE",
                        value={
                            "status_code": 422,
                            "detail": "Le fichier contient 1 erreur : rien n'a été importé.",
                            "errors": [
                                {
                                    "field": "code_insee",
                                    "line": 3,
                                    "message": "92000 est le code postal de Nanterre, pas son code INSEE : "
                                    "indiquez 92050.",
                                }
                            ],
                        },
                    )
                ],
            ),
        },
    )
    async def import_file(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        kind: Annotated[str, Parameter(description="candidats ou jures")],
        data: Annotated[
            ImportUpload,
            Body(media_type=RequestEncodingType.MULTI_PART, description="Le fichier, dans le champ `file`."),
        ],
        dry_run: Annotated[bool, Parameter(description="Vérifier sans rien écrire.")] = False,
        update_existing: Annotated[
            bool,
            Parameter(
                description="Mettre à jour les candidats déjà enregistrés que des lignes désignent (même "
                "courriel, ou même nom dans la même commune) ; sinon ces lignes sont ignorées et listées."
            ),
        ] = False,
    ) -> Response[ImportReport]:
        content, file_name = await _read(data.file)
        report = await service.import_for_organiser(
            db,
            identity=identity,
            slug=slug,
            kind=kind,
            data=content,
            file_name=file_name,
            dry_run=dry_run,
            update_existing=update_existing,
        )
        return Response(report, status_code=200 if dry_run else 201)


class ImportPages(Controller):
    path = "/organisation/editions/{slug:str}/import"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get("/", summary="Page d'import des candidats et des jurés")
    async def form(self, db: Database, identity: Identity, slug: str, kind: str = "candidats") -> Template:
        page = await service.import_page(db, identity=identity, slug=slug)
        return _page(page, kind=kind if kind in IMPORT_KINDS else "candidats")

    @post(
        "/",
        summary="Vérifier ou importer un fichier depuis la page",
        status_code=200,
        responses=error_responses(
            {422: "Fichier refusé : la page s'affiche à nouveau avec chaque erreur ; rien n'est écrit."},
            page=True,
        ),
    )
    async def submit(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        data: Annotated[ImportPageForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        kind = data.kind if data.kind in IMPORT_KINDS else "candidats"
        content, file_name = await _read(data.file)
        page = await service.import_from_page(
            db,
            identity=identity,
            slug=slug,
            kind=kind,
            data=content,
            file_name=file_name,
            dry_run=data.action != "importer",
            update_existing=data.update_existing == "on",
        )
        return _page(page, kind=kind, file_name=file_name, update_existing=data.update_existing == "on")

    @get("/modele/{kind:str}", summary="Modèle de fichier CSV à remplir", media_type="text/csv")
    async def template_file(self, db: Database, identity: Identity, slug: str, kind: str) -> Response[bytes]:
        name, content = await service.import_template(db, identity=identity, slug=slug, kind=kind)
        return Response(
            content,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _page(page: ImportPage, *, kind: str, file_name: str = "", update_existing: bool = False) -> Template:
    """The page, with the outcome of the file just sent; 422 when it was refused."""
    edition = page.edition
    context: dict[str, Any] = {
        "edition": edition,
        "kind": kind,
        "kinds": KIND_LABELS,
        "candidate_columns": _described(CANDIDATE_COLUMNS, required_for("candidats", edition.candidate_kind)),
        "juror_columns": _described(JUROR_COLUMNS, required_for("jures", edition.candidate_kind)),
        "categories": page.categories,
        "panels": page.panels,
        "file_name": file_name,
        "update_existing": update_existing,
        "report": page.report,
        "failure": page.failure.message if page.failure else "",
        "errors": page.failure.errors if page.failure else [],
    }
    status_code = 422 if page.failure else 200
    return Template(TEMPLATE, context=context, status_code=status_code, media_type=MediaType.HTML)


def _described(columns: tuple[Any, ...], required: tuple[tuple[str, ...], ...]) -> list[dict[str, str]]:
    """Columns with their requirement spelled out ("obligatoire", "obligatoire, ou nom_porteur")."""
    out = []
    for column in columns:
        group = next((g for g in required if column.name in g), None)
        if group is None:
            need = "facultative"
        elif len(group) == 1:
            need = "obligatoire"
        else:
            others = " ou ".join(name for name in group if name != column.name)
            need = f"obligatoire, ou {others}"
        out.append({"name": column.name, "label": column.label, "help": column.help, "need": need})
    return out
