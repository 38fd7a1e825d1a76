"""The life of a round, as pure rules: which moves exist, who may make them, when a round is ready.

draft → open (scoring) → deliberation → closed. Moves only go forward: a round that went back to scoring
after its standings were read would let jurors adjust marks to the ranking.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from jury.labels import label

Status = Literal["draft", "open", "deliberation", "closed"]
Role = Literal["organiser", "chair"]

NEXT: dict[str, str] = {"draft": "open", "open": "deliberation", "deliberation": "closed"}
# The chair runs the deliberation, so the chair may start and end it; opening scoring is the organisers'.
CHAIR_MOVES = {("open", "deliberation"), ("deliberation", "closed")}


class RoundSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """What readiness depends on, gathered by the service in one query."""

    candidates: int
    panels: int
    panels_without_jurors: list[str]
    categories_without_criteria: list[str]
    candidates_without_panel: int
    candidates_without_jurors: int


def move_problem(*, current: str, target: str, role: Role) -> str | None:
    """Why this move is not allowed, in French; None when it is."""
    if current == "closed":
        return "Le tour est clos : il ne peut plus changer d'état."
    if NEXT.get(current) != target:
        return (
            f"Passage impossible de « {label(current, 'round')} » à « {label(target, 'round')} » : "
            f"l'étape suivante est « {label(NEXT[current], 'round')} »."
        )
    if role == "chair" and (current, target) not in CHAIR_MOVES:
        return "Seuls les organisateurs ouvrent la notation."
    return None


def readiness_problems(snapshot: RoundSnapshot) -> list[str]:
    """What must be fixed before jurors can score: an empty or unassigned round would waste a venue day."""
    problems = []
    if snapshot.candidates == 0:
        problems.append("Aucun candidat n'est inscrit à ce tour.")
    if snapshot.panels == 0:
        problems.append("Aucun jury n'est constitué pour ce tour.")
    problems += [f"Le jury « {name} » n'a aucun juré." for name in snapshot.panels_without_jurors]
    problems += [
        f"La catégorie « {name} » n'a aucun critère de notation."
        for name in snapshot.categories_without_criteria
    ]
    if snapshot.candidates_without_panel:
        problems.append(f"{snapshot.candidates_without_panel} candidat(s) sans jury.")
    if snapshot.candidates_without_jurors:
        problems.append(f"{snapshot.candidates_without_jurors} candidat(s) sans juré affecté.")
    return problems
