"""Per-criterion severities: a juror harsh on one criterion is corrected on that criterion only."""

import pytest

from jury.results.criteria import severities, severity_table

pytestmark = pytest.mark.unit

QUALITY = {"c1": 14.0, "c2": 11.0, "c3": 16.0, "c4": 9.0, "c5": 12.0, "c6": 13.0}
# Small fixed disagreements, the same on both criteria, so that only the planted severity differs.
DISAGREEMENT = {
    "a": [1.5, -1.5, 0.0, 1.5, -1.5, 1.0],
    "b": [-1.5, 0.0, 1.5, 0.0, 1.5, -1.5],
    "c": [0.0, 1.5, -1.5, -1.5, 0.0, 1.5],
    "d": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
}


def grid_marks():
    """Four jurors mark six candidates on « fond » and « forme »; d is 4 points harsher on « forme »
    only; e gave a single mark, on « forme », 6 points above the candidate's level."""
    marks = {"fond": [], "forme": []}
    for juror, noise in DISAGREEMENT.items():
        for (candidate, quality), e in zip(QUALITY.items(), noise, strict=True):
            marks["fond"].append((juror, candidate, quality + e))
            marks["forme"].append((juror, candidate, quality + e - (4.0 if juror == "d" else 0.0)))
    marks["forme"].append(("e", "c1", QUALITY["c1"] + 6.0))
    return marks


def test_a_juror_harsh_on_one_criterion_is_corrected_on_that_criterion_only():
    shrunk = severities(grid_marks())
    free = severities(grid_marks(), method="additive")
    fond, forme = shrunk["fond"], shrunk["forme"]
    assert set(fond) == {"a", "b", "c", "d"} and set(forme) == {"a", "b", "c", "d", "e"}
    # On « forme », d stands about 4 points below the others and keeps 85 % of it (free: −4.44).
    assert free["forme"]["d"].severity == pytest.approx(-4.4417, abs=1e-4)
    assert forme["d"].severity == pytest.approx(-3.7594, abs=1e-4)
    # On « fond » nobody differs beyond their disagreements (free: a +0.125, the others −0.042): the
    # prior estimated on that criterion alone is at its floor and every severity is about nothing.
    assert free["fond"]["a"].severity == pytest.approx(0.125, abs=1e-4)
    assert fond["a"].severity == pytest.approx(0.0010, abs=1e-4)
    assert fond["d"].severity == pytest.approx(-0.0003, abs=1e-4)


def test_a_one_mark_juror_is_corrected_less_than_a_well_measured_one():
    """e's single mark, 6 points above four other jurors' on the same candidate: the free model puts
    5.6 on e's severity; the prior keeps two thirds of it (d, with six marks, keeps 85 %), and says how
    little it knows."""
    forme = severities(grid_marks())["forme"]
    free = severities(grid_marks(), method="additive")["forme"]
    assert forme["e"].count == 1 and forme["e"].few_marks and not forme["d"].few_marks
    assert free["e"].severity == pytest.approx(5.6, abs=1e-4)
    assert forme["e"].severity == pytest.approx(3.7768, abs=1e-4)
    assert forme["e"].severity / free["e"].severity < forme["d"].severity / free["d"].severity
    assert forme["e"].severity_sd == pytest.approx(1.197, abs=1e-3)
    assert forme["d"].severity_sd == pytest.approx(0.604, abs=1e-3)


def test_the_organisers_table_has_one_column_per_criterion_and_a_dash_where_a_juror_gave_no_mark():
    marks = grid_marks()
    rows = [
        (criterion, criterion.capitalize(), *mark)
        for criterion in ("fond", "forme")
        for mark in marks[criterion]
    ]
    table = severity_table(rows, jurors=[("d", "Denis"), ("e", "Émile"), ("a", "Anne")])
    found = severities(marks)
    assert table.criteria == ["Fond", "Forme"]
    assert [row.name for row in table.rows] == ["Denis", "Émile", "Anne"]
    denis, emile, anne = table.rows
    assert denis.cells[1].severity == pytest.approx(-3.7594, abs=1e-4)
    assert [c.severity for c in denis.cells] == [found["fond"]["d"].severity, found["forme"]["d"].severity]
    assert [c.severity_sd for c in anne.cells] == [
        found["fond"]["a"].severity_sd,
        found["forme"]["a"].severity_sd,
    ]
    assert emile.cells[0] is None  # no mark on « fond »
    assert emile.cells[1].few_marks and not denis.cells[1].few_marks
