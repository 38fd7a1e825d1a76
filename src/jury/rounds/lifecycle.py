"""The life of a round, as pure rules: which moves exist, who may make them, when a round is ready.

draft → open (scoring) → deliberation → closed. Moves go forward, with one way back: a round moved to
deliberation by mistake (sheets still missing) returns to scoring, with a written reason, while no decision
rests on it (`BACK`; the service checks the decisions). Later, going back would let jurors adjust their
marks to a ranking that has already decided something.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from jury.labels import label

Status = Literal["draft", "open", "deliberation", "closed"]
Role = Literal["organiser", "chair"]

NEXT: dict[str, str] = {"draft": "open", "open": "deliberation", "deliberation": "closed"}
# The chair runs the deliberation, so the chair may start and end it; opening scoring is the organisers'.
CHAIR_MOVES = {("open", "deliberation"), ("deliberation", "closed"), ("deliberation", "open")}
BACK: dict[str, str] = {"deliberation": "open"}


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
    if NEXT.get(current) != target and BACK.get(current) != target:
        return (
            f"Passage impossible de « {label(current, 'round')} » à « {label(target, 'round')} » : "
            f"l'étape suivante est « {label(NEXT[current], 'round')} »."
        )
    if role == "chair" and (current, target) not in CHAIR_MOVES:
        return "Seuls les organisateurs ouvrent la notation."
    return None


def is_back(*, current: str, target: str) -> bool:
    """Whether the move is the way back from deliberation to scoring."""
    return BACK.get(current) == target


Fix = Literal["candidates", "panels", "jurors", "criteria", "placement", "assignments"]
"""Which page fixes a missing thing: the service turns it into the page's address."""


class ReadinessIssue(msgspec.Struct, frozen=True, kw_only=True):
    message: str
    fix: Fix


JUDGED_BY_ORGANISERS = frozenset({"eligibility"})
"""Round kinds the organisers decide themselves (pass/fail rules, `POST /api/rounds/{id}/eligibility`):
no panel, no juror and no criteria score them, so opening one needs only its candidates."""


def readiness_issues(snapshot: RoundSnapshot, *, kind: str) -> list[ReadinessIssue]:
    """What must be fixed before jurors can score: an empty or unassigned round would waste a venue day.
    Each issue names the kind of page that fixes it, so the refusal can link there. A round of a `kind`
    the organisers decide (an eligibility round) needs only candidates."""
    issues = []
    if snapshot.candidates == 0:
        issues.append(ReadinessIssue(message="Aucun candidat n'est inscrit à ce tour.", fix="candidates"))
    if kind in JUDGED_BY_ORGANISERS:
        return issues
    if snapshot.panels == 0:
        issues.append(ReadinessIssue(message="Aucun jury n'est constitué pour ce tour.", fix="panels"))
    issues += [
        ReadinessIssue(message=f"Le jury « {name} » n'a aucun juré.", fix="jurors")
        for name in snapshot.panels_without_jurors
    ]
    issues += [
        ReadinessIssue(message=f"La catégorie « {name} » n'a aucun critère de notation.", fix="criteria")
        for name in snapshot.categories_without_criteria
    ]
    if snapshot.candidates_without_panel:
        issues.append(
            ReadinessIssue(
                message=f"{snapshot.candidates_without_panel} candidat(s) sans jury.", fix="placement"
            )
        )
    if snapshot.candidates_without_jurors:
        issues.append(
            ReadinessIssue(
                message=f"{snapshot.candidates_without_jurors} candidat(s) sans juré affecté.",
                fix="assignments",
            )
        )
    return issues


def readiness_problems(snapshot: RoundSnapshot, *, kind: str) -> list[str]:
    return [issue.message for issue in readiness_issues(snapshot, kind=kind)]
