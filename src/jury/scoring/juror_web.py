"""Jurors' tablet pages and JSON API: their candidates, score sheets and conflict declarations.

The pages work without JavaScript (plain form posts, each with a key generated here); `juror.js` turns the
sheet form into an offline-safe client of the JSON API, with its own keys kept in the tablet's outbox.
Both go through the same service call, so the rules cannot drift apart.
"""

from __future__ import annotations

import math
import re
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post, put
from litestar.datastructures import FormMultiDict, State
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter
from litestar.response import Redirect, Template

from jury.access.guards import current_identity, requires_juror
from jury.access.identity import Identity
from jury.db.queries import Database
from jury.errors import Invalid
from jury.scoring import conflicts, sheets
from jury.scoring.models import (
    DeclarationIn,
    DeclarationsIn,
    MyAssignments,
    RoundDeclarations,
    Sheet,
    SheetPage,
    SheetSubmission,
    VersionConflictBody,
)
from jury.scoring.shared_web import scoring_errors
from jury.scoring.sheets import DeclarationsMissing, VersionConflict, number_fr
from jury.web.deps import provide_statement_db
from jury.web.openapi_errors import error_responses
from jury.web.openapi_forms import form_body

__all__ = ["JurorApi", "JurorPages"]

DONE = {
    "brouillon": "Brouillon enregistré.",
    "validee": "Feuille validée et transmise.",
    "declarations": "Déclarations enregistrées.",
}


def _version_conflict(_: Request, exc: VersionConflict) -> Response:
    body = VersionConflictBody(status_code=409, detail=exc.message, current=exc.current)
    return Response(content=msgspec.json.encode(body), status_code=409, media_type=MediaType.JSON)


PUT_DESCRIPTION = """\
Enregistre la feuille du juré pour ce candidat : brouillon (`status: "draft"`) ou validation
(`status: "submitted"`). Les notes sont vérifiées contre l'échelle du critère (bornes et pas) ; à la
validation, chaque critère doit être noté et les commentaires obligatoires remplis, sauf abstention (qui
exige un motif).

**Idempotence.** `idempotency_key` est un UUID créé par la tablette *avant* le premier envoi et renvoyé
tel quel à chaque nouvel essai. La première écriture acceptée avec une clé est conservée : un nouvel envoi
de la même clé reçoit exactement la même réponse (même code, même corps, en-tête `Idempotent-Replay: true`),
même si la feuille a changé depuis. Les refus (4xx) ne sont pas conservés.

**Versions.** `version` est la version que la tablette a modifiée (0 pour une nouvelle feuille). Si la
feuille a changé depuis (autre tablette), la réponse est 409 avec la feuille actuelle dans `current` :
rien n'est écrasé. 201 à la création, 200 ensuite.

Modifiable tant que le tour est ouvert (`open`) ; ensuite 409 « Le tour n'est plus ouvert à la notation ».
"""


class JurorApi(Controller):
    path = "/api/jure"
    tags = ["jurés"]
    guards = [requires_juror]
    exception_handlers = {VersionConflict: _version_conflict}

    @get(
        "/feuilles",
        summary="Mes candidats et l'état de mes feuilles",
        description="Les candidats affectés au juré dans les tours ouverts (ou passés, en lecture seule) de "
        "l'édition de sa tablette, par tour et par jury, avec l'état de ses propres feuilles. Dans un tour "
        "à l'aveugle, `name` et `title` sont nuls : seul le numéro d'inscription est donné.",
        responses=scoring_errors(401, 403),
    )
    async def list_sheets(self, db: Database, identity: Identity) -> MyAssignments:
        return await sheets.my_assignments(db, identity=identity)

    @get(
        "/feuilles/{round_id:int}/{candidate_id:int}",
        summary="La grille et ma feuille pour un candidat",
        description="Critères de la catégorie (échelle, pas, pondération, commentaire obligatoire), la "
        "feuille du juré (ou null) et la `version` à renvoyer. 409 tant que les conflits d'intérêts du tour "
        "ne sont pas déclarés.",
        responses=scoring_errors(401, 403, 404, 409),
    )
    async def get_sheet(
        self, db: Database, identity: Identity, round_id: int, candidate_id: int
    ) -> SheetPage:
        return await sheets.sheet_page(db, identity=identity, round_id=round_id, candidate_id=candidate_id)

    @put(
        "/feuilles/{round_id:int}/{candidate_id:int}",
        summary="Enregistrer ou valider ma feuille (idempotent, versionné)",
        description=PUT_DESCRIPTION,
        status_code=200,
        responses={
            201: ResponseSpec(data_container=Sheet, description="Feuille créée."),
            409: ResponseSpec(
                data_container=VersionConflictBody,
                description="Version périmée (`current` : la feuille actuelle), tour fermé ou conflits non "
                "déclarés (`current` absent).",
            ),
        }
        | scoring_errors(401, 403, 404, 422),
        # One statement is the write's transaction (`sheets.save_sheet`): no BEGIN and COMMIT round trips.
        dependencies={"db": Provide(provide_statement_db)},
    )
    async def put_sheet(
        self,
        request: Request,
        db: Database,
        round_id: int,
        candidate_id: int,
        data: JSONBody[SheetSubmission],
    ) -> Response[Sheet]:
        # The identity is read here rather than injected: two dependencies of one handler are resolved in
        # an anyio task group (two tasks and loop turns per request, on the tablets' busiest route).
        identity = current_identity(request)
        assert identity is not None  # `requires_juror` let the request in
        outcome = await sheets.save_sheet(
            db, identity=identity, round_id=round_id, candidate_id=candidate_id, submission=data
        )
        return Response(
            content=outcome.body,
            status_code=outcome.status_code,
            media_type=MediaType.JSON,
            headers={"Idempotent-Replay": "true"} if outcome.replayed else None,
        )

    @get(
        "/tours/{round_id:int}/conflits",
        summary="Mes déclarations de conflits d'intérêts pour un tour",
        responses=scoring_errors(401, 403, 404),
    )
    async def get_declarations(self, db: Database, identity: Identity, round_id: int) -> RoundDeclarations:
        return await conflicts.round_declarations(db, identity=identity, round_id=round_id)

    @put(
        "/tours/{round_id:int}/conflits",
        summary="Déclarer « aucun conflit » ou « conflit » (avec motif) pour des candidats du tour",
        description="Tout ou rien. Un conflit retire l'affectation du juré à ce candidat (et une feuille "
        "commencée) ; il ne peut être retiré que par les organisateurs. Les feuilles du tour s'ouvrent quand "
        "chaque candidat affecté a sa déclaration (`complete`).",
        status_code=200,
        responses=scoring_errors(401, 403, 404, 409, 422),
    )
    async def put_declarations(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[DeclarationsIn]
    ) -> RoundDeclarations:
        return await conflicts.declare(
            db, identity=identity, round_id=round_id, declarations=data.declarations
        )


# --- Pages for the tablet -----------------------------------------------------------------------------------


def _plain(value: float) -> str:
    """A mark as an HTML form value: '7.5', '10'."""
    return format(Decimal(str(value)).normalize(), "f")


def _form_from_sheet(sheet: Sheet | None) -> dict[str, Any]:
    if sheet is None:
        return {"values": {}, "comments": {}, "comment": "", "abstained": False, "abstention_reason": ""}
    return {
        "values": {k: _plain(v) for k, v in sheet.values.items() if v is not None},
        "comments": dict(sheet.comments),
        "comment": sheet.comment,
        "abstained": sheet.abstained,
        "abstention_reason": sheet.abstention_reason,
    }


def _parse_mark(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return math.nan  # refused by the validation with the criterion's bounds in the message


def _submission_from_form(form: FormMultiDict, page: SheetPage) -> tuple[SheetSubmission, dict[str, Any]]:
    """The posted form as the API's body (with a fresh key of the server's) and as the form to show again."""
    shown: dict[str, Any] = {"values": {}, "comments": {}}
    values: dict[int, float | None] = {}
    comments: dict[int, str] = {}
    for criterion in page.criteria:
        raw = str(form.get(f"value-{criterion.id}") or "")
        values[criterion.id] = _parse_mark(raw)
        if raw.strip():
            shown["values"][criterion.id] = raw.strip()
        comment = str(form.get(f"comment-{criterion.id}") or "")
        if comment:
            comments[criterion.id] = comment
            shown["comments"][criterion.id] = comment
    try:
        version = int(str(form.get("version") or "0"))
    except ValueError:
        version = -1
    shown |= {
        "comment": str(form.get("comment") or ""),
        "abstained": bool(form.get("abstained")),
        "abstention_reason": str(form.get("abstention_reason") or ""),
    }
    submission = SheetSubmission(
        version=max(version, 0)
        if version >= 0
        else 10**9,  # unreadable version: a conflict, not an overwrite
        idempotency_key=uuid.uuid4(),
        values=values,
        comments=comments,
        comment=shown["comment"],
        abstained=shown["abstained"],
        abstention_reason=shown["abstention_reason"],
        status="submitted" if form.get("action") == "submit" else "draft",
    )
    return submission, shown


def _sheet_template(
    page: SheetPage,
    *,
    juror_id: int,
    form: dict[str, Any] | None = None,
    errors: list[Any] | None = None,
    message: str | None = None,
    conflict: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    form = form if form is not None else _form_from_sheet(page.sheet)
    criteria = []
    for c in page.criteria:
        criteria.append(
            {
                "c": c,
                "choices": None
                if c.choices is None
                else [{"value": _plain(v), "label": number_fr(v)} for v in c.choices],
                "min": _plain(c.min),
                "max": _plain(c.max),
                "step": _plain(c.step),
                "step_fr": number_fr(c.step),
                "weight": _plain(c.weight),
                "weight_fr": number_fr(c.weight),
                "range": f"{number_fr(c.min)} à {number_fr(c.max)}",
            }
        )
    by_field = {e.field: e.message for e in errors or []}
    # Rounded here, written by the page in the visitor's language (the `number` filter).
    total = None if page.sheet is None or page.sheet.total is None else round(page.sheet.total, 1)
    return Template(
        "juror/sheet.html",
        context={
            "page": page,
            "criteria": criteria,
            "form": form,
            "errors": errors or [],
            "by_field": by_field,
            "message": message,
            "conflict": conflict,
            "total": total,
            "juror_id": juror_id,
        },
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def _declarations_from_form(form: FormMultiDict, current: RoundDeclarations) -> list[DeclarationIn]:
    out = []
    for row in current.candidates:
        if row.has_conflict:
            continue  # final: shown, not editable
        choice = form.get(f"choice-{row.candidate.id}")
        if choice not in ("none", "conflict"):
            continue  # left unanswered: the service names it
        out.append(
            DeclarationIn(
                candidate_id=row.candidate.id,
                has_conflict=choice == "conflict",
                reason=str(form.get(f"reason-{row.candidate.id}") or "") if choice == "conflict" else "",
            )
        )
    return out


class SheetForm(msgspec.Struct):
    """The sheet's form as `_submission_from_form` reads it (marks and comments: `value-<criterion id>`,
    `comment-<criterion id>`); a mark out of the criterion's bounds is refused by the service (422)."""

    version: Annotated[int, msgspec.Meta(ge=0)] = 0
    action: Literal["draft", "submit"] = "draft"
    comment: str = ""
    abstained: Literal["on", ""] = ""
    abstention_reason: str = ""


SHEET_FIELDS = {"^value-[0-9]+$": {"type": "string"}, "^comment-[0-9]+$": {"type": "string"}}


class DeclarationsForm(msgspec.Struct):
    """The declarations' form: `choice-<candidate id>` (« none » or « conflict ») and `reason-<candidate id>`."""


DECLARATION_FIELDS = {
    "^choice-[0-9]+$": {"type": "string", "enum": ["none", "conflict"]},
    "^reason-[0-9]+$": {"type": "string"},
}
TO_DECLARATIONS = {
    303: ResponseSpec(
        data_container=None, description="Déclarations de conflits à faire d'abord : vers leur page."
    )
}


class JurorPages(Controller):
    path = "/jure"
    tags = ["jurés"]
    guards = [requires_juror]

    @get("/", summary="Mes candidats")
    async def home(
        self,
        db: Database,
        identity: Identity,
        fait: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template:
        mine = await sheets.my_assignments(db, identity=identity)
        return Template(
            "juror/home.html",
            context={
                "mine": mine,
                "message": DONE.get(fait or ""),
                "juror_id": identity.person_id,
            },
            media_type=MediaType.HTML,
        )

    @get(
        "/sw.js",
        summary="Service worker des tablettes (pages consultables hors connexion)",
        media_type="text/javascript; charset=utf-8",
    )
    async def service_worker(self, state: State) -> Response[bytes]:
        """Served from /jure/ rather than /static/ so that its scope covers the juror pages."""
        script = (state.settings.templates_dir / "static" / "sw.js").read_bytes()
        return Response(
            script,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/tours/{round_id:int}/conflits", summary="Déclarer mes conflits d'intérêts")
    async def declarations_page(self, db: Database, identity: Identity, round_id: int) -> Template:
        current = await conflicts.round_declarations(db, identity=identity, round_id=round_id)
        return _declarations_template(current, form=None, errors=[])

    @post(
        "/tours/{round_id:int}/conflits",
        summary="Déclarer mes conflits d'intérêts (formulaire)",
        status_code=303,
        opt=form_body(DeclarationsForm, dynamic=DECLARATION_FIELDS),
        responses=error_responses(
            {422: "Déclaration incomplète ou sans motif : la page s'affiche à nouveau."}, page=True
        ),
    )
    async def declare(
        self, request: Request, db: Database, identity: Identity, round_id: int
    ) -> Template | Redirect:
        form = await request.form()
        current = await conflicts.round_declarations(db, identity=identity, round_id=round_id)
        declarations = _declarations_from_form(form, current)
        try:
            async with db.transaction():
                await conflicts.declare(
                    db, identity=identity, round_id=round_id, declarations=declarations, require_all=True
                )
        except Invalid as exc:
            return _declarations_template(current, form=form, errors=exc.errors, status_code=exc.status_code)
        return Redirect("/jure/?fait=declarations", status_code=303)

    @get(
        "/feuilles/{round_id:int}/{candidate_id:int}",
        summary="Feuille d'évaluation",
        responses=TO_DECLARATIONS,
    )
    async def sheet(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        candidate_id: int,
        fait: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template | Redirect:
        try:
            page = await sheets.sheet_page(
                db, identity=identity, round_id=round_id, candidate_id=candidate_id
            )
        except DeclarationsMissing:
            return Redirect(f"/jure/tours/{round_id}/conflits?depuis=feuille", status_code=303)
        return _sheet_template(page, juror_id=identity.person_id, message=DONE.get(fait or ""))

    @post(
        "/feuilles/{round_id:int}/{candidate_id:int}",
        summary="Enregistrer une feuille (formulaire)",
        status_code=303,
        opt=form_body(SheetForm, dynamic=SHEET_FIELDS),
        responses=error_responses(
            {
                409: "Feuille modifiée ailleurs entre-temps : la version enregistrée s'affiche, vos saisies "
                "rappelées.",
                422: "Note hors barème, manquante ou tour clos : la feuille s'affiche à nouveau.",
            },
            page=True,
        ),
    )
    async def save(
        self, request: Request, db: Database, identity: Identity, round_id: int, candidate_id: int
    ) -> Template | Redirect:
        try:
            page = await sheets.sheet_page(
                db, identity=identity, round_id=round_id, candidate_id=candidate_id
            )
        except DeclarationsMissing:
            return Redirect(f"/jure/tours/{round_id}/conflits?depuis=feuille", status_code=303)
        submission, shown = _submission_from_form(await request.form(), page)
        try:
            async with db.transaction():  # a savepoint: a refused write leaves nothing, not even its key
                outcome = await sheets.save_sheet(
                    db, identity=identity, round_id=round_id, candidate_id=candidate_id, submission=submission
                )
        except VersionConflict as exc:
            newer = await sheets.sheet_page(
                db, identity=identity, round_id=round_id, candidate_id=candidate_id
            )
            return _sheet_template(
                newer,
                juror_id=identity.person_id,
                message=exc.message + " Voici la version enregistrée ; vos saisies sont rappelées plus bas.",
                conflict=shown,
                status_code=409,
            )
        except Invalid as exc:
            return _sheet_template(
                page, juror_id=identity.person_id, form=shown, errors=exc.errors, status_code=exc.status_code
            )
        done = "validee" if outcome.sheet().status == "submitted" else "brouillon"
        return Redirect(f"/jure/feuilles/{round_id}/{candidate_id}?fait={done}", status_code=303)


def _declarations_template(
    current: RoundDeclarations, *, form: FormMultiDict | None, errors: list[Any], status_code: int = 200
) -> Template:
    rows = []
    for row in current.candidates:
        cid = row.candidate.id
        if form is not None:
            choice = form.get(f"choice-{cid}")
            reason = str(form.get(f"reason-{cid}") or "")
        else:
            choice = None if row.has_conflict is None else ("conflict" if row.has_conflict else "none")
            reason = row.reason
        rows.append({"row": row, "choice": choice, "reason": reason})
    return Template(
        "juror/conflicts.html",
        context={
            "current": current,
            "rows": rows,
            "errors": errors,
            "by_candidate": _errors_by_candidate(errors, form=form, current=current),
        },
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def _errors_by_candidate(
    errors: list[Any], *, form: FormMultiDict | None, current: RoundDeclarations
) -> dict[str, str]:
    """Each error under its candidate's row (id as text): `candidate.<id>` names it, `declarations.<i>.…`
    names the i-th declaration the form made (`_declarations_from_form`'s order)."""
    sent = _declarations_from_form(form, current) if form is not None else []
    out: dict[str, str] = {}
    for e in errors:
        if e.field.startswith("candidate."):
            out.setdefault(e.field.split(".")[1], e.message)
        elif (m := re.match(r"declarations\.(\d+)\.", e.field)) and int(m[1]) < len(sent):
            out.setdefault(str(sent[int(m[1])].candidate_id), e.message)
    return out
