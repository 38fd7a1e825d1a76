"""The SQL totals of `round_observations` are `weighted_total`, bit for bit, on awkward grids."""

from __future__ import annotations

import random

from jury.results import service
from jury.scoring.totals import weighted_total


async def test_sql_totals_equal_weighted_total_exactly(db, builder):
    b = builder
    rng = random.Random(20250)
    grids = {
        "energie": [("a", 0, 10, 2, False), ("b", 0, 20, 1, False), ("c", 1, 5, 0.5, False), ("ok", 0, 1, 1, True)],
        "mobilite": [("x", 0, 3, 7, False), ("y", 2.5, 17.5, 1.25, False), ("z", 0, 100, 3.33, False)],
    }  # fmt: skip
    for code, grid in grids.items():
        await b.category(code, grid)
    await b.panel("Nord")
    jurors = [f"Juré {k}" for k in range(6)]
    for name in jurors:
        await b.juror(name, panels=["Nord"])
    expected = {}
    for k in range(24):
        category = "energie" if k % 2 else "mobilite"
        candidate = f"Candidat {k}"
        await b.candidate(candidate, panel="Nord", category=category)
        for juror in rng.sample(jurors, 4):
            values = {}
            for code, low, high, _, eliminatory in grids[category]:
                roll = rng.random()
                if eliminatory:
                    values[code] = 0 if roll < 0.2 else 1
                elif roll < 0.15:
                    values[code] = None  # abstained criterion
                elif roll < 0.25:
                    continue  # criterion absent from the sheet: also an abstention
                else:
                    values[code] = round(rng.uniform(low, high) * 4) / 4
            await b.sheet(juror, candidate, values)
            total = weighted_total(criteria=b.criteria_of(category), values=b.values(category, values))
            expected[(b.people[juror], b.candidates[candidate])] = (total.total, total.eliminated)

    sections = await service.read_sections(db, round_id=b.round)
    got = {(j, c): (t, e) for s in sections for j, c, t, e in s.observations}
    assert got == expected  # exact float equality, None where every scored criterion was abstained
    assert len(got) == 96 and sum(e for _, e in got.values()) > 0  # eliminations were exercised
