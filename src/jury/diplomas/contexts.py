"""From database rows (`diploma_sources`, `signatories`) to the `DiplomaContext` a renderer prints.

The choice of what each contest prints lives here, once: the Gâteau's podium place and creation, the
Progr'ESS project, the Made in 92 prize and category, everything an award states for any other contest, and
the granted amount of any award that has one. The templates only lay it out.
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


BUILT_IN = frozenset({"made-in-92", "gateau-des-hauts-de-seine", "progress"})
"""The contests with a diploma template of their own; any other prints the generic diploma."""


def build_context(
    source: Mapping[str, Any], *, signatories: tuple[Signatory, ...], base_url: str
) -> DiplomaContext:
    """One diploma's context from its `diploma_sources` row.

    The three built-in contests print what their template lays out; any other contest (set up through the
    API) prints everything its award states: the prize (or podium place), the category of a category prize,
    the creation or the project. Whatever the contest, an award with a granted amount prints it: the
    diploma is then a grant letter and states exactly what was decided."""
    contest = source["contest"]
    generic = contest not in BUILT_IN
    podium = source["prize_kind"] == "podium"
    # The Progr'ESS template prints « Lauréat » itself; a podium prints its place, not its name.
    hide_prize = podium or (source["prize_kind"] == "laureate" and contest == "progress")
    return DiplomaContext(
        contest=contest,
        contest_name=source["contest_name"],
        edition_number=source["edition_number"],
        year=source["year"],
        laureate_person=_text(source["person_name"]),
        laureate_organisation=_text(source["organisation_name"]),
        commune=_text(source["commune"]),
        prize=None if hide_prize else _text(source["prize"]),
        category=_text(source["category"])
        if contest == "made-in-92" or (generic and source["prize_kind"] == "category")
        else None,
        place=source["place"] if podium else None,
        creation_name=_text(source["creation_name"])
        if contest == "gateau-des-hauts-de-seine" or generic
        else None,
        project_name=_text(source["project_title"]) if contest == "progress" or generic else None,
        amount_euros=source["granted_eur"],
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
