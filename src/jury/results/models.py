"""Value types of standings: what is computed and stored (ids only), and what the API and pages show.

`StandingResult` is what goes into `standings.result` and `standing_cache.result`. It holds ids and
figures only, never names, so that renaming a candidate changes neither a published standing nor its
comparison with a recomputation, and so that it round-trips through JSON exactly (floats are written in
their shortest exact form and read back to the same double).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class Line(msgspec.Struct, frozen=True, kw_only=True):
    """One candidate of a standing.

    `raw` is the plain mean of the jurors' totals and `raw_rank` its rank within the same ranking group
    as `rank`, so `raw_rank - rank` is how far calibration moved the candidate (positive = up).
    `score`/`rank` are None for a candidate whose sheets carry no total (every criterion abstained).
    `eliminated_by` counts the jurors whose sheet failed an eliminatory criterion: the candidate is
    flagged, not removed (see `jury.results.marks`). `component` is the linked group of jurors the
    candidate was ranked in (None without a mark).
    """

    candidate_id: int
    marks: int
    raw: float | None
    raw_rank: int | None
    score: float | None
    rank: int | None
    component: int | None
    low: float | None = None
    high: float | None = None
    p_top_k: float | None = None
    borderline: bool = False
    eliminated_by: int = 0
    p_podium: list[float] | None = None
    """P(1er), P(2e), P(3e) within the ranking group, from the bootstrap."""


class JurorLine(msgspec.Struct, frozen=True, kw_only=True):
    juror_id: int
    component: int
    count: int
    severity: float
    scale: float
    residual_sd: float | None
    severity_sd: float | None = None
    few_marks: bool = False
    """Fewer than three marks: « trop peu de notes » (`jury.results.diagnostics.JurorDiagnostics`)."""


class OutlierLine(msgspec.Struct, frozen=True, kw_only=True):
    juror_id: int
    candidate_id: int
    score: float
    expected: float
    z: float


class DesignSummary(msgspec.Struct, frozen=True, kw_only=True):
    connected: bool
    fiedler: float
    components: int
    jurors: int
    candidates: int


class StandingResult(msgspec.Struct, frozen=True, kw_only=True):
    """A computed standing, as stored; equal results mean equal figures, to the last bit."""

    method: str
    parameters: dict[str, Any]
    seed: int
    top_k: int | None
    global_ranking: bool
    assumption: str | None
    design: DesignSummary
    lines: list[Line]
    jurors: list[JurorLine]
    outliers: list[OutlierLine]
    method_used: str = ""
    """The method actually applied (`method`, or a simpler one the design supports); empty in results
    computed before it was recorded."""
    fallback: str = ""
    """Why `method_used` differs from `method`, in French."""


# --- What the API and the page show -------------------------------------------------------------------


class LineView(Line, frozen=True, kw_only=True):
    name: str
    entry_number: int | None


class JurorView(JurorLine, frozen=True, kw_only=True):
    name: str


class OutlierView(OutlierLine, frozen=True, kw_only=True):
    juror_name: str
    candidate_name: str


class StandingView(msgspec.Struct, frozen=True, kw_only=True):
    """One standing (a panel × category section of a round) with names, ready to show.

    `jurors` and `outliers` are filled for organisers only: they describe individual jurors' marks.
    """

    round_id: int
    section: str
    panel_id: int | None
    panel_name: str
    category_id: int | None
    category_name: str
    input_digest: str
    method: str
    parameters: dict[str, Any]
    seed: int
    top_k: int | None
    global_ranking: bool
    assumption: str | None
    design: DesignSummary
    design_message: str
    lines: list[LineView]
    jurors: list[JurorView]
    outliers: list[OutlierView]
    method_used: str = ""
    method_label: str = ""
    """The method used, in French, without « recommandée »."""
    fallback: str = ""


class Publication(msgspec.Struct, frozen=True, kw_only=True):
    """A published set of standings of a round (one `version`).

    `audit_count`/`audit_head`: the audit chain's event count and last hash once the publication's own
    event was appended, to check the trail against later (`jury audit verify --expect-head --expect-count`);
    None for a publication made before they were recorded.
    """

    round_id: int
    version: int
    published_at: dt.datetime
    published_by: str
    standings: list[StandingView]
    audit_count: int | None = None
    audit_head: str | None = None


class PublishedItem(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    panel_id: int | None
    category_id: int | None
    method: str
    input_digest: str


class PublishReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """What publishing answers, with the audit chain's head once the publication was recorded."""

    round_id: int
    version: int
    standings: list[PublishedItem]
    audit_count: int
    audit_head: str


class Verification(msgspec.Struct, frozen=True, kw_only=True):
    """A published standing recomputed from the sheets as they are now.

    `same_input` says whether the sheets still give the published digest; `same_result` whether the
    recomputation gives exactly the published figures (expected whenever `same_input` is true).
    """

    standing_id: int
    panel_id: int | None
    category_id: int | None
    published_digest: str
    current_digest: str | None
    same_input: bool
    same_result: bool


class MethodChange(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    previous: str
    method: str


class SectionSummary(msgspec.Struct, frozen=True, kw_only=True):
    section: str
    panel_id: int | None
    panel_name: str
    category_id: int | None
    category_name: str
    candidates: int
    sheets: int
    jurors: int


class CriterionSeverity(msgspec.Struct, frozen=True, kw_only=True):
    """A juror's severity on one criterion, in that criterion's points (`jury.results.criteria`)."""

    severity: float
    severity_sd: float | None
    few_marks: bool


class CriterionSeverityRow(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    cells: list[CriterionSeverity | None]
    """One per criterion of the table, None where the juror gave that criterion no mark."""


class CriterionSeverities(msgspec.Struct, frozen=True, kw_only=True):
    """On which criterion of the grid each juror of a section is harsh or lenient: the explanation of a
    severity, not a correction (the standing is calibrated on the weighted totals)."""

    criteria: list[str]
    rows: list[CriterionSeverityRow]


class StandingPage(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the organisers' page shows; `charts` maps a section to its SVG data URIs."""

    round: dict[str, Any]
    methods: list[tuple[str, str]]
    sections: list[SectionSummary]
    selected: str | None
    standings: list[StandingView]
    charts: dict[str, dict[str, str]]
    versions: list[dict[str, Any]]
    bootstrap: int
    rule: str = ""
    """The round's qualification rule in words (`jury.results.qualification.describe_quota`)."""
    p_qualify: dict[int, float] | None = None
    """P(qualifying under the rule) per candidate, when every section of the round is on the page."""
    p_funded: dict[int, float] | None = None
    """P(above the funding line) per candidate, when the edition has a budget (same condition)."""
    criterion_severities: dict[str, CriterionSeverities] = {}
    """Per shown section, its jurors' severity criterion by criterion."""
