"""From database rows (`diploma_sources`, `signatories`) to the `DiplomaContext` a renderer prints.

The choice of what each contest prints lives here, once: the Gâteau's podium place and creation, the
Progr'ESS grant and project, the Made in 92 prize and category. The templates only lay it out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from jury.diplomas.models import DiplomaContext, Signatory


def _text(value: Any) -> str | None:
    """Empty strings in the database mean 'not given'; the context wants None for those."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def signatories_of(rows: Iterable[Mapping[str, Any]]) -> tuple[Signatory, ...]:
    return tuple(
        Signatory(name=r["full_name"], title=r["title"], distinction=_text(r["distinction"])) for r in rows
    )


def build_context(
    source: Mapping[str, Any], *, signatories: tuple[Signatory, ...], base_url: str
) -> DiplomaContext:
    """One diploma's context from its `diploma_sources` row."""
    contest = source["contest"]
    podium = source["prize_kind"] == "podium"
    laureate = source["prize_kind"] == "laureate"
    return DiplomaContext(
        contest=contest,
        contest_name=source["contest_name"],
        edition_number=source["edition_number"],
        year=source["year"],
        laureate_person=_text(source["person_name"]),
        laureate_organisation=_text(source["organisation_name"]),
        commune=_text(source["commune"]),
        # The Progr'ESS template prints « Lauréat » itself; a podium prints its place, not its name.
        prize=None if (podium or laureate) else _text(source["prize"]),
        category=_text(source["category"]) if contest == "made-in-92" else None,
        place=source["place"] if podium else None,
        creation_name=_text(source["creation_name"]) if contest == "gateau-des-hauts-de-seine" else None,
        project_name=_text(source["project_title"]) if contest == "progress" else None,
        amount_euros=source["granted_eur"] if contest == "progress" else None,
        decision_date=source["decided_on"],
        signed_at=_text(source["signed_at"]) or "Nanterre",
        signatories=signatories[:4],
        verification_code=source["verification_code"],
        base_url=base_url,
    )


def content_digest(ctx: DiplomaContext, *, templates: str) -> str:
    """What a stored PDF was rendered from: a changed decision or template gives another digest.
    `templates` is the digest of the template files (`jury.templates_digest`), read by the caller so that
    this stays a pure function of its inputs."""
    digest = hashlib.sha256(msgspec.json.encode(ctx))
    digest.update(templates.encode())
    return digest.hexdigest()
