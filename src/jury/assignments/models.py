"""What the assignment pages and API exchange: the organiser's parameters, the round's view, the plan.

Everything here is a plain value, so the JSON API, its OpenAPI schema and the pages read the same fields.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from jury.contests.models import EditionDetail, Round

__all__ = [
    "AppliedPlan",
    "ApplyRequest",
    "AssignedPair",
    "AssignmentPage",
    "AssignmentsOverview",
    "Hole",
    "PairChange",
    "PairRequest",
    "PanelView",
    "PlanBridge",
    "PlanCandidate",
    "PlanDesign",
    "PlanJuror",
    "PlanLoad",
    "PlanParameters",
    "PlanPreview",
    "PlanShortfall",
    "RoundSummary",
]

DEFAULT_K = 3

HOLES_SHOWN = 100
"""Candidates short of jurors the page lists one by one (all are counted)."""


class PlanParameters(msgspec.Struct, frozen=True, kw_only=True):
    """What the organiser chooses for the automatic plan; echoed in the preview and the audit trail."""

    k: Annotated[int, msgspec.Meta(ge=1, le=20, description="Nombre de jurés voulus par candidat.")] = (
        DEFAULT_K
    )
    seed: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=2_147_483_647,
            description="Graine du tirage : mêmes données et même graine, même plan ; "
            "une autre graine donne un autre plan aussi équilibré.",
        ),
    ] = 0
    bridging: Annotated[
        int, msgspec.Meta(ge=0, le=20, description="Nombre de jurés passerelles entre les jurys de zone.")
    ] = 2
    bridge_min_per_zone: Annotated[
        int,
        msgspec.Meta(
            ge=0,
            le=1000,
            description="Candidats que chaque juré passerelle doit voir dans chaque zone "
            "(au plus la taille de la zone).",
        ),
    ] = 8
    fill_holes_only: Annotated[
        bool,
        msgspec.Meta(
            description="Conserver les affectations existantes et compléter seulement les candidats "
            "qui ont moins de k jurés."
        ),
    ] = False


class ApplyRequest(PlanParameters, frozen=True, kw_only=True):
    """The parameters again, plus what the organiser saw, so a plan that changed since is not written."""

    expected_digest: Annotated[
        str | None,
        msgspec.Meta(
            description="Empreinte `digest` de l'aperçu confirmé. Si elle est donnée et que le plan "
            "recalculé diffère (données modifiées entre-temps), rien n'est écrit (409)."
        ),
    ] = None


class PairRequest(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    candidate_id: int


class AssignedPair(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    person_id: int
    candidate_id: int


class PanelView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    zone: str | None
    ept_codes: list[str]
    jurors: list[int]
    candidates: list[int]


class PlanJuror(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    panels: list[int]
    chairs: list[int]
    load: int
    bridging: bool


class PlanCandidate(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    entry_number: int | None
    commune: str
    ept_code: str | None
    panel_id: int | None
    jurors: list[int]
    conflicts: list[int]


class Hole(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate with fewer than k jurors; `reason` says in French what the organiser can do."""

    candidate_id: int
    panel_id: int | None
    assigned: int
    wanted: int
    reason: str


class PlanDesign(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the marks will be comparable across panels (see `jury.results.design`)."""

    connected: bool
    components: int
    fiedler: float
    bridging_jurors: list[int]
    message: str


class AssignmentsOverview(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    round_name: str
    round_kind: str
    round_status: str
    editable: bool
    k: int
    panels: list[PanelView]
    jurors: list[PlanJuror]
    candidates: list[PlanCandidate]
    pairs: list[AssignedPair]
    holes: list[Hole]
    design: PlanDesign
    warnings: list[str]


class RoundSummary(msgspec.Struct, frozen=True, kw_only=True):
    """The assignment page's round-wide figures, computed from every pair of the round and stored per round
    and k with the round's assignment version (migration 0033): the page reads them instead of 90,000 pairs.
    `holes` holds the first `HOLES_SHOWN` of the `hole_total` holes."""

    k: int
    hole_total: int
    holes: list[Hole]
    design: PlanDesign
    warnings: list[str]


class PlanLoad(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    load: int
    added: int
    bridging: bool


class PlanShortfall(msgspec.Struct, frozen=True, kw_only=True):
    candidate_id: int
    name: str
    zone: str | None
    assigned: int
    wanted: int
    reason: str


class PlanBridge(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    full_name: str
    seen: dict[str, int]
    required: dict[str, int]
    complete: bool


class PlanPreview(msgspec.Struct, frozen=True, kw_only=True):
    """A proposal, not saved. `removed` are current pairs the plan would delete, `kept` those it keeps."""

    round_id: int
    parameters: PlanParameters
    digest: str
    pairs: list[AssignedPair]
    added: list[AssignedPair]
    removed: list[AssignedPair]
    kept: int
    loads: list[PlanLoad]
    uncovered: list[PlanShortfall]
    bridges: list[PlanBridge]
    design: PlanDesign
    warnings: list[str]


class AppliedPlan(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    parameters: PlanParameters
    digest: str
    pairs: int
    added: int
    removed: int
    kept: int
    uncovered: int
    connected: bool
    components: int
    fiedler: float


class PairChange(msgspec.Struct, frozen=True, kw_only=True):
    """`changed` is False when the pair was already there (adding twice is harmless)."""

    round_id: int
    panel_id: int
    person_id: int
    candidate_id: int
    changed: bool


class AssignmentPage(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the assignment page shows, read in one service call: the round's view, its edition and
    the edition's other rounds (for the switcher), and the previewed plan when one was asked for."""

    edition: EditionDetail
    rounds: list[Round]
    view: AssignmentsOverview
    preview: PlanPreview | None = None
    juror_total: int = 0
    """Jurors sitting in the round: `view.jurors` holds only the loads' page and the shown panels' jurors."""
    shown_jurors: list[int] = msgspec.field(default_factory=list)
    """The loads' page, in the round's order of jurors."""
    hole_total: int = 0
    """Candidates short of jurors in the round: `view.holes` holds the first `HOLES_SHOWN` only."""
