"""How the demo invents a jury's work: marks, assignments, standings and the French wording of decisions.

Marks come from a small generative model so that the calibration features have something real to find:
each candidate has a hidden quality (plus strengths and weaknesses per criterion), each juror a severity
(`bias`) and a way of using the scale (`spread`), and every mark adds noise. A panel can be made harsher
as a whole, which is exactly what territorial calibration must detect through the bridging jurors.

Everything takes a `random.Random` and draws from it in a fixed order, so a seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal

import msgspec

from jury.demo.plan import Category, Criterion, Sheet
from jury.french.dates import PARIS

# Centre of the marks on each criterion's range, and how far one unit of hidden quality moves them.
_CENTRE = 0.56
_QUALITY_EFFECT = 0.13
_NOISE = 0.05


class Talent(msgspec.Struct, frozen=True, kw_only=True):
    """What a candidate is really worth; never stored, only visible through the marks."""

    quality: float
    profile: Mapping[str, float]


class JurorModel(msgspec.Struct, frozen=True, kw_only=True):
    bias: float
    spread: float


class Comments(msgspec.Struct, frozen=True, kw_only=True):
    """Sheet comments by how the juror liked the candidate (total on 0–100)."""

    high: tuple[str, ...]
    middle: tuple[str, ...]
    low: tuple[str, ...]

    def pick(self, rng: random.Random, total: float) -> str:
        pool = self.high if total >= 68 else self.middle if total >= 50 else self.low
        return rng.choice(pool)


def at(day: dt.date, hour: int, *, minute: int = 0) -> dt.datetime:
    """Paris wall-clock time: jurors and minutes speak local time, the database stores an instant."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def french_number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def talents(rng: random.Random, keys: Iterable[str], *, criteria: Sequence[Criterion]) -> dict[str, Talent]:
    return {
        key: Talent(
            quality=rng.gauss(0.0, 1.0),
            profile={c.code: rng.gauss(0.0, 0.05) for c in criteria},
        )
        for key in keys
    }


def juror_models(rng: random.Random, emails: Iterable[str], *, shift: float = 0.0) -> dict[str, JurorModel]:
    """`shift` makes a whole group harsher (negative) or more lenient (positive) than the others."""
    return {
        email: JurorModel(bias=shift + rng.gauss(0.0, 0.035), spread=rng.uniform(0.75, 1.25))
        for email in emails
    }


def mark(rng: random.Random, *, criterion: Criterion, talent: Talent, juror: JurorModel) -> Decimal:
    """One mark, snapped to the criterion's step and kept inside its scale (the database checks it too)."""
    share = (
        _CENTRE
        + juror.spread * (_QUALITY_EFFECT * talent.quality + talent.profile[criterion.code])
        + juror.bias
        + rng.gauss(0.0, _NOISE)
    )
    low, high, step = criterion.scale_min, criterion.scale_max, criterion.scale_step
    steps = round(max(0.0, min(1.0, share)) * float(high - low) / float(step))
    return min(high, low + step * steps).quantize(Decimal("0.01"))


def total(category: Category, values: Mapping[str, Decimal | None]) -> float:
    """Weighted total on 0–100, each criterion first mapped to [0, 1] by its own range.

    Mirrors `jury.scoring.totals` so that the demo's decisions follow the numbers the app will show.
    """
    weighted = weights = 0.0
    for c in category.criteria:
        value = values.get(c.code)
        if value is None:
            continue
        weighted += float(c.weight) * float((value - c.scale_min) / (c.scale_max - c.scale_min))
        weights += float(c.weight)
    return 100.0 * weighted / weights if weights else 0.0


def assign(
    rng: random.Random,
    *,
    candidates: Sequence[str],
    jurors: Sequence[str],
    k: int,
    bridges: Sequence[str] = (),
    bridge_quota: int = 0,
    conflicts: Collection[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """(juror, candidate) pairs giving each candidate `k` jurors of its panel.

    Bridging jurors take `bridge_quota` consecutive candidates each, spread evenly over the panel's list, so
    together they cover the panel and link it to the other panels. The other places go to the least-loaded
    jurors without a conflict, ties drawn at random. (The organisers' solver, `jury.assignments.solver`,
    does this properly; the demo only needs a plausible, deterministic plan.)
    """
    order = list(candidates)
    rng.shuffle(order)
    chosen: dict[str, list[str]] = {c: [] for c in order}
    quota = min(bridge_quota, len(order))
    for i, bridge in enumerate(bridges):
        start = round(i * (len(order) - quota) / max(1, len(bridges) - 1)) if len(bridges) > 1 else 0
        for candidate in order[start : start + quota]:
            if (bridge, candidate) not in conflicts and len(chosen[candidate]) < k:
                chosen[candidate].append(bridge)
    load = {j: 0 for j in jurors}
    for bridge in bridges:
        load[bridge] = sum(bridge in v for v in chosen.values())
    for candidate in order:
        while len(chosen[candidate]) < k:
            free = [
                j
                for j in jurors
                if j not in chosen[candidate] and j not in bridges and (j, candidate) not in conflicts
            ]
            if not free:
                break
            fewest = min(load[j] for j in free)
            juror = rng.choice([j for j in free if load[j] == fewest])
            chosen[candidate].append(juror)
            load[juror] += 1
    return [(j, c) for c in candidates for j in sorted(chosen[c], key=jurors.index)]


def standings(sheets: Iterable[Sheet], category_of: Mapping[str, Category]) -> list[tuple[str, float]]:
    """Candidates by mean submitted total, best first; ties by key so the order never depends on luck."""
    totals: dict[str, list[float]] = {}
    for sheet in sheets:
        if sheet.submitted:
            totals.setdefault(sheet.candidate, []).append(
                total(category_of[sheet.candidate], dict(sheet.values))
            )
    means = {key: sum(v) / len(v) for key, v in totals.items()}
    return sorted(means.items(), key=lambda item: (-item[1], item[0]))


def best_per_category(
    ranked: Sequence[tuple[str, float]], *, category: Mapping[str, str], count: int
) -> set[str]:
    """The `count` best, but first the best of every category present, so each prize keeps a contender."""
    chosen: list[str] = []
    seen: set[str] = set()
    for key, _ in ranked:
        if category[key] not in seen:
            seen.add(category[key])
            chosen.append(key)
    for key, _ in ranked:
        if len(chosen) >= count:
            break
        if key not in chosen:
            chosen.append(key)
    return set(chosen[:count])
