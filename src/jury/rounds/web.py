"""Moving a round: a JSON endpoint and the buttons on the organisers' edition page."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from jury.auth.guards import requires_sign_in
from jury.auth.identity import Identity
from jury.db.queries import Database
from jury.rounds import service
from jury.rounds.service import RoundMove


class MoveRequest(msgspec.Struct, kw_only=True):
    to: Literal["open", "deliberation", "closed"]
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class RoundsApi(Controller):
    path = "/api/rounds"
    tags = ["tours"]
    guards = [requires_sign_in]

    @post(
        "/{round_id:int}/status",
        summary="Faire passer un tour à l'étape suivante",
        status_code=200,
        description="Organisateurs ; la présidence du jury peut ouvrir et clore la délibération.",
    )
    async def move(self, db: Database, identity: Identity, round_id: int, data: MoveRequest) -> RoundMove:
        return await service.move_round(
            db, identity=identity, round_id=round_id, target=data.to, reason=data.reason
        )


class RoundPages(Controller):
    path = "/organisation/rounds"
    tags = ["organisation"]
    guards = [requires_sign_in]

    @post("/{round_id:int}/etat", summary="Changer l'état d'un tour (formulaire)", status_code=303)
    async def move(
        self,
        db: Database,
        identity: Identity,
        round_id: int,
        data: Annotated[MoveRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        moved = await service.move_round(
            db, identity=identity, round_id=round_id, target=data.to, reason=data.reason
        )
        slug = await db.fetchval("round_edition_slug", round_id=moved.round_id)
        return Redirect(f"/organisation/editions/{slug}", status_code=303)
