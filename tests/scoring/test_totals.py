"""Sheet totals: weights, abstentions and eliminatory criteria, on the 0–100 scale."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from jury.scoring.totals import Criterion, SheetTotal, weighted_total

GRID = [
    Criterion(id="voice", weight=3, min=0, max=20),
    Criterion(id="stage", weight=1, min=1, max=5),
    Criterion(id="theme", eliminatory=True, min=0, max=1),
]


def test_each_criterion_is_mapped_by_its_range_then_weighted():
    # voice 15/20 -> 0.75, stage 3 on 1–5 -> 0.5: (3·0.75 + 1·0.5) / 4 = 0.6875.
    result = weighted_total(criteria=GRID, values={"voice": 15, "stage": 3, "theme": 1})

    assert result == SheetTotal(total=68.75, eliminated=False, counted=["voice", "stage"], failed=[])


def test_extremes_give_zero_and_one_hundred():
    assert weighted_total(criteria=GRID, values={"voice": 0, "stage": 1}).total == 0.0
    assert weighted_total(criteria=GRID, values={"voice": 20, "stage": 5}).total == 100.0


def test_abstention_is_excluded_and_the_weights_renormalised():
    result = weighted_total(criteria=GRID, values={"voice": None, "stage": 4, "theme": 1})

    assert result.total == 75.0
    assert result.counted == ["stage"]


def test_missing_criterion_counts_as_an_abstention():
    assert weighted_total(criteria=GRID, values={"voice": 10}).total == 50.0


def test_every_criterion_abstained_gives_no_total():
    result = weighted_total(criteria=GRID, values={"voice": None, "stage": None, "theme": None})

    assert result == SheetTotal(total=None, eliminated=False, counted=[], failed=[])


def test_failed_eliminatory_criterion_eliminates_without_changing_the_total():
    passed = weighted_total(criteria=GRID, values={"voice": 15, "stage": 3, "theme": 1})
    failed = weighted_total(criteria=GRID, values={"voice": 15, "stage": 3, "theme": 0})

    assert failed.eliminated is True
    assert failed.failed == ["theme"]
    assert failed.total == passed.total == 68.75


def test_abstaining_on_an_eliminatory_criterion_does_not_eliminate():
    assert weighted_total(criteria=GRID, values={"voice": 15, "theme": None}).eliminated is False


def test_decimal_values_and_weights_from_the_database():
    grid = [Criterion(id=1, weight=2, min=0, max=10), Criterion(id=2, weight=1, min=0, max=10)]

    result = weighted_total(criteria=grid, values={1: Decimal("7.5"), 2: Decimal("3")})

    assert result.total == pytest.approx(60.0, abs=1e-12)


def test_any_struct_with_the_criterion_fields_is_accepted():
    class Row(msgspec.Struct):
        id: int
        weight: float
        min: float
        max: float
        eliminatory: bool

    result = weighted_total(criteria=[Row(7, 1.0, 0.0, 4.0, False)], values={7: 1})

    assert result.total == 25.0


@pytest.mark.parametrize(
    ("criteria", "values", "message"),
    [
        (GRID, {"voice": 21}, "outside"),
        (GRID, {"stage": 0}, "outside"),
        (GRID, {"voice": float("nan")}, "outside"),
        (GRID, {"jump": 3}, "unknown criteria"),
        ([Criterion(id="a", weight=0)], {"a": 3}, "weight must be positive"),
        ([Criterion(id="a", min=5, max=5)], {"a": 5}, "min must be below max"),
        ([Criterion(id="a"), Criterion(id="a")], {}, "unique"),
    ],
)
def test_invalid_sheets_are_rejected(criteria, values, message):
    with pytest.raises(ValueError, match=message):
        weighted_total(criteria=criteria, values=values)
