"""The organisers' view of the audit trail: a filtered, paginated page and its CSV export.

Both routes share one query, so the export never shows an event the page would hide.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, Response, get
from litestar.params import Parameter
from litestar.response import Template

from jury.access.guards import requires_organiser
from jury.access.identity import Identity
from jury.audit import export
from jury.db.queries import Database
from jury.web.openapi_errors import error_responses

Text = Annotated[str | None, Parameter(max_length=200)]


BAD_FILTER = error_responses({422: "Filtre invalide (date illisible…)."})


class AuditPages(Controller):
    path = "/organisation"
    tags = ["organisation"]
    guards = [requires_organiser]

    @get(
        "/audit",
        summary="Journal d'audit (organisateurs : leurs concours ; administrateurs : tout)",
        media_type=MediaType.HTML,
        responses=BAD_FILTER,
    )
    async def page(
        self,
        db: Database,
        identity: Identity,
        action: Text = None,
        cible: Text = None,
        du: Text = None,
        au: Text = None,
        page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    ) -> Template:
        filters = export.parse_filters(action=action, target_prefix=cible, date_from=du, date_to=au)
        view = await export.audit_page(db, identity=identity, filters=filters, page=page)
        return Template("organiser/audit.html", context={"view": view})

    @get(
        "/audit.csv",
        summary="Journal d'audit en CSV (mêmes filtres que la page)",
        media_type="text/csv",
        responses=BAD_FILTER,
    )
    async def csv(
        self,
        db: Database,
        identity: Identity,
        action: Text = None,
        cible: Text = None,
        du: Text = None,
        au: Text = None,
    ) -> Response[bytes]:
        filters = export.parse_filters(action=action, target_prefix=cible, date_from=du, date_to=au)
        name, content = await export.audit_csv(db, identity=identity, filters=filters)
        return Response(
            content,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
