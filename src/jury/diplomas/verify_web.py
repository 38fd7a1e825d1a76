"""The public page where anyone types the verification code printed on a diploma (`/verifier`).

The diploma prints its code and this address; the QR code goes straight to `/verifier/{code}`. A code
typed here, in any case, with or without its dashes or with spaces, leads to that same page.
"""

from __future__ import annotations

import re
from typing import Annotated

from litestar import Controller, MediaType, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.response import Redirect, Template

TYPED = re.compile(r"[^0-9A-Z]")


def canonical_code(typed: str) -> str:
    """'k7qm 3xh2 pa9d' or 'K7QM3XH2PA9D' → 'K7QM-3XH2-PA9D': groups of four, as printed."""
    plain = TYPED.sub("", typed.upper())
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


class VerifyCodePage(Controller):
    path = "/verifier"
    tags = ["diplômes"]

    @get(
        "/",
        summary="Vérifier un diplôme : saisie du code imprimé",
        status_code=200,
        media_type=MediaType.HTML,
        responses={
            303: ResponseSpec(
                data_container=None, description="Un code saisi : vers sa vérification, /verifier/{code}."
            )
        },
    )
    async def verify_form(
        self,
        code: Annotated[
            str | None,
            Parameter(
                query="code",
                max_length=64,
                description="Le code imprimé sur le diplôme ; présent, la page renvoie vers sa vérification.",
            ),
        ] = None,
    ) -> Template | Redirect:
        canonical = canonical_code(code or "")
        if canonical:
            return Redirect(f"/verifier/{canonical}", status_code=303)
        return Template(
            "public/verify_form.html",
            context={"error": "Saisissez le code imprimé sur le diplôme." if code is not None else None},
        )
