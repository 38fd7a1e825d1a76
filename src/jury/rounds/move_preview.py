"""What a round's move will do, said before it is done: the confirmation page of « Passer en
délibération », « Clore le tour » and « Revenir à la notation ».

One tap once froze 48 missing sheets of 96 and turned every tablet read-only. The confirmation names the
consequence in numbers and names each missing sheet (juror and candidate), so the organiser moves the
round knowing what it costs, or goes back to the progress page first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.errors import Conflict
from jury.labels import label
from jury.rounds.lifecycle import is_back, move_problem
from jury.rounds.service import role_in_round

MISSING_SHOWN = 200
"""Missing sheets the confirmation names one by one; it counts them all, and the follow-up page pages them."""

CONFIRMED_MOVES = {("open", "deliberation"), ("deliberation", "closed"), ("deliberation", "open")}
"""The moves the page asks to confirm: each freezes or reopens what jurors can do on their tablets."""


class MissingSheet(msgspec.Struct, frozen=True, kw_only=True):
    juror: str
    candidate: str
    state: str  # « à évaluer » or « brouillon »


class MovePreview(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    round_name: str
    edition_slug: str
    current: str
    target: str
    title: str
    button: str
    consequences: list[str]
    expected: int
    missing: list[MissingSheet]
    missing_count: int
    drafts: int
    live_decisions: int
    needs_reason: bool
    refusal: str | None


async def needs_confirmation(db: Database, *, identity: Identity, round_id: int, target: str) -> bool:
    """Whether the page must confirm this move first (the caller's right to it is checked either way)."""
    rnd, _ = await role_in_round(db, identity=identity, round_id=round_id)
    return (rnd.status, target) in CONFIRMED_MOVES


async def move_preview(db: Database, *, identity: Identity, round_id: int, target: str) -> MovePreview:
    rnd, role = await role_in_round(db, identity=identity, round_id=round_id)
    if (rnd.status, target) not in CONFIRMED_MOVES:
        raise Conflict(
            move_problem(current=rnd.status, target=target, role=role)
            or f"Ce passage (« {label(target, 'round')} ») ne demande pas de confirmation."
        )
    counts = await db.fetchrow("round_sheet_counts", round_id=round_id)
    live = (
        await db.fetchval("round_live_decisions", round_id=round_id)
        if is_back(current=rnd.status, target=target)
        else 0
    )
    # The first MISSING_SHOWN missing sheets only: the counts come from one aggregate.
    missing = missing_sheets(
        await db.fetch("round_missing_sheets", round_id=round_id, limit=MISSING_SHOWN)
        if counts["missing"]
        else [],
        blind=rnd.blind,
    )
    expected, drafts = counts["expected"], counts["drafts"]
    title, button, consequences = wording(
        current=rnd.status, target=target, expected=expected, missing=counts["missing"], drafts=drafts
    )
    refusal = move_problem(current=rnd.status, target=target, role=role)
    if refusal is None and live:
        refusal = (
            f"{live} décision(s) reposent déjà sur ce tour : annulez-les d'abord (page des décisions) pour "
            "revenir à la notation."
        )
    return MovePreview(
        round_id=round_id,
        round_name=rnd.name,
        edition_slug=rnd.edition_slug,
        current=rnd.status,
        target=target,
        title=title,
        button=button,
        consequences=consequences,
        expected=expected,
        missing=missing,
        missing_count=counts["missing"],
        drafts=drafts,
        live_decisions=live,
        needs_reason=is_back(current=rnd.status, target=target),
        refusal=refusal,
    )


def missing_sheets(pairs: Sequence[Mapping[str, Any]], *, blind: bool) -> list[MissingSheet]:
    """Pairs without a submitted sheet; a blind round names its candidates by entry number only."""
    return [
        MissingSheet(
            juror=p["juror_name"],
            candidate=f"n° {p['entry_number']}"
            if blind and p["entry_number"] is not None
            else p["candidate_name"],
            state=label(p["sheet_status"], "sheet"),
        )
        for p in pairs
        if p["sheet_status"] != "submitted"
    ]


def wording(
    *, current: str, target: str, expected: int, missing: int, drafts: int
) -> tuple[str, str, list[str]]:
    """The page's title, its button and the consequences, in plain French with the numbers."""
    if (current, target) == ("open", "deliberation"):
        consequences = [
            f"{missing} feuille(s) manquante(s) sur {expected} attendue(s), dont {drafts} brouillon(s) qui "
            "seront figés en l'état."
            if missing
            else f"Toutes les feuilles attendues ({expected}) sont validées.",
            "Les tablettes des jurés passent en lecture seule : plus aucune note ne peut être saisie.",
            "Le tour pourra revenir à la notation tant qu'aucune décision ne repose sur lui.",
        ]
        return "Passer en délibération", "Passer en délibération", consequences
    if (current, target) == ("deliberation", "closed"):
        return (
            "Clore le tour",
            "Clore le tour",
            [
                "Le tour devient définitif : notes, scrutins et décisions ne changent plus.",
                "Seule la présidence du jury pourra encore corriger une feuille, avec un motif écrit.",
                f"{missing} feuille(s) attendue(s) n'ont jamais été validée(s)."
                if missing
                else "Toutes les feuilles attendues sont validées.",
            ],
        )
    return (
        "Revenir à la notation",
        "Revenir à la notation",
        [
            "Les jurés pourront de nouveau saisir et modifier leurs notes ; le classement changera.",
            f"{missing} feuille(s) restent à valider."
            if missing
            else "Toutes les feuilles attendues sont validées.",
            "Le motif est enregistré au journal d'audit.",
        ],
    )
