"""Per-criterion severities: on which criterion of the grid a juror is harsh or lenient.

The standing itself is calibrated on each sheet's weighted total, and that is deliberate. A severity that
differs per criterion adds up in the total (Σ_c w_c·(q_ic + b_jc) = Σ_c w_c·q_ic + Σ_c w_c·b_jc), so the
totals' model already removes it exactly; with least squares on one design, fitting every criterion and
combining the scores with the grid's weights gives the same candidates' scores as fitting the totals,
and with the regularised models it only adds parameters. On `tests/bench/fairness.py --criteria 60` (its
eleven designs marked on four weighted criteria of 0–10, severities 70 % criterion-specific), fitting
each criterion and combining with the weights ranked slightly worse than fitting the totals: Kendall τ
−0.0029 ± 0.0011 and top-k precision −0.0034 ± 0.0022 over every section (lower τ on 8 designs, higher
on 2, each of those two within its standard error).

What the criteria do carry is the explanation: « juré B est sévère en présentation seulement ». That is
what `severities` gives, each criterion calibrated on its own with the engine (the same severity prior,
estimated per criterion, so a juror is pulled towards the panel's severity *on that criterion*; the same
fallbacks; the same « trop peu de notes »).

Pure: marks in, diagnostics out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from jury.results.diagnostics import JurorDiagnostics
from jury.results.models import CriterionSeverities, CriterionSeverity, CriterionSeverityRow
from jury.results.normalise import normalise


def severities(
    marks: Mapping[Hashable, Iterable[tuple[Hashable, Hashable, float]]], *, method: str = "affine"
) -> dict[Hashable, dict[Hashable, JurorDiagnostics]]:
    """Each criterion's juror diagnostics (severity in that criterion's points, its SD, range use,
    « trop peu de notes »): `marks` maps a criterion to its `(juror, candidate, mark)` triples."""
    out: dict[Hashable, dict[Hashable, JurorDiagnostics]] = {}
    for criterion, triples in marks.items():
        result = normalise(triples, method=method, across_components="equal-severity")
        out[criterion] = {row.juror: row for row in result.jurors}
    return out


def severity_table(
    rows: Iterable[tuple[Hashable, str, Hashable, Hashable, float]],
    *,
    jurors: Sequence[tuple[Hashable, str]],
    method: str = "affine",
) -> CriterionSeverities:
    """The organisers' table of one section: `rows` are `(criterion, label, juror, candidate, mark)` in
    the grid's order, `jurors` the `(juror, name)` pairs to show, in their order."""
    labels: dict[Hashable, str] = {}
    marks: dict[Hashable, list[tuple[Hashable, Hashable, float]]] = {}
    for criterion, label, juror, candidate, mark in rows:
        labels.setdefault(criterion, label)
        marks.setdefault(criterion, []).append((juror, candidate, mark))
    found = severities(marks, method=method)
    return CriterionSeverities(
        criteria=list(labels.values()),
        rows=[
            CriterionSeverityRow(
                name=name,
                cells=[_cell(found[criterion].get(juror)) for criterion in labels],
            )
            for juror, name in jurors
        ],
    )


def _cell(diagnostics: JurorDiagnostics | None) -> CriterionSeverity | None:
    if diagnostics is None:
        return None
    return CriterionSeverity(
        severity=diagnostics.severity, severity_sd=diagnostics.severity_sd, few_marks=diagnostics.few_marks
    )
