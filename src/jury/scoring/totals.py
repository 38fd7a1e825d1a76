"""A juror's sheet for one candidate, reduced to one number on a scale organisers can read.

The total is on **0–100**: each criterion is first mapped to [0, 1] by its own min and max (so a
criterion marked 0–5 and one marked 0–20 weigh what their *weights* say, not what their ranges say),
then the weighted mean is multiplied by 100. "72 / 100" reads the same whatever the grid looks like,
and it is the `score` the normalisation engine (`jury.results.normalise`) calibrates across jurors.

A criterion left blank (None, or absent from `values`) is an abstention: the juror felt unable to judge
it, which is not the same as a zero. It is left out and the remaining weights are renormalised, so an
abstention neither rewards nor punishes the candidate.

An eliminatory criterion (e.g. "respects the theme", "under the time limit") is pass/fail: 0 means
fail, any other value passes. It never adds points; a fail marks the sheet as eliminated. The total is
still computed so that organisers can see what the sheet would have been worth.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

import msgspec

__all__ = ["Criterion", "CriterionLike", "SheetTotal", "weighted_total"]

Number = int | float | Decimal


class CriterionLike(Protocol):
    """Anything shaped like a criterion row (a Struct from the database layer works as is)."""

    @property
    def id(self) -> Hashable: ...
    @property
    def weight(self) -> Number: ...
    @property
    def min(self) -> Number: ...
    @property
    def max(self) -> Number: ...
    @property
    def eliminatory(self) -> bool: ...


class Criterion(msgspec.Struct, frozen=True, kw_only=True):
    id: Any
    weight: float = 1.0
    min: float = 0.0
    max: float = 20.0
    eliminatory: bool = False


class SheetTotal(msgspec.Struct, frozen=True, kw_only=True):
    """`total` is on 0–100 and None when every scored criterion was abstained (nothing to count).
    `counted` lists the criteria that made the total, `failed` the eliminatory criteria marked 0."""

    total: float | None
    eliminated: bool
    counted: list[Any]
    failed: list[Any]


def weighted_total(
    *, criteria: Iterable[CriterionLike], values: Mapping[Hashable, Number | None]
) -> SheetTotal:
    """Totals one sheet. Raises ValueError for a value outside its criterion's range, a value for an
    unknown criterion, or a malformed criterion, because a silently wrong total is worse than none."""
    criteria = list(criteria)
    known = {criterion.id for criterion in criteria}
    if len(known) != len(criteria):
        raise ValueError("criterion ids must be unique")
    unknown = [key for key in values if key not in known]
    if unknown:
        raise ValueError(f"values given for unknown criteria: {unknown!r}")
    weighted = 0.0
    weight_sum = 0.0
    counted: list[Any] = []
    failed: list[Any] = []
    for criterion in criteria:
        low, high = float(criterion.min), float(criterion.max)
        if not low < high:
            raise ValueError(f"criterion {criterion.id!r}: min must be below max ({low} >= {high})")
        raw = values.get(criterion.id)
        if raw is None:
            continue
        value = float(raw)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"criterion {criterion.id!r}: value {raw!r} is outside [{low:g}, {high:g}]")
        if criterion.eliminatory:
            if value == 0:
                failed.append(criterion.id)
            continue
        weight = float(criterion.weight)
        if not weight > 0:
            raise ValueError(f"criterion {criterion.id!r}: weight must be positive, not {criterion.weight!r}")
        weighted += weight * (value - low) / (high - low)
        weight_sum += weight
        counted.append(criterion.id)
    total = 100.0 * weighted / weight_sum if weight_sum > 0 else None
    return SheetTotal(total=total, eliminated=bool(failed), counted=counted, failed=failed)
