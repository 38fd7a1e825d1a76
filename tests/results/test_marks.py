"""The marks of a round as read from its sheets: submitted, non-abstained sheets only, totals equal to
`weighted_total` bit for bit (also on awkward grids), values for another category's criteria refused."""

from __future__ import annotations

import random

import pytest

from jury.errors import Conflict
from jury.results.marks import read_sections
from jury.scoring.totals import weighted_total

EVIL = '=HYPERLINK("http://evil.example","clic")'


async def test_totals_are_the_weighted_totals_of_submitted_sheets_only(db, small_round):
    b = small_round
    [section] = await read_sections(db, round_id=b.round)
    marks = {(j, c): (t, e) for j, c, t, e in section.observations}
    alice, bruno, chloe = (b.people[n] for n in ("Alice Martin", "Bruno Petit", "Chloé Durand"))
    solaris, ventus, evil = (b.candidates[n] for n in ("Solaris", "Ventus", EVIL))
    # Chloé's abstained sheet (Solaris) and draft sheet (EVIL) are not marks at all.
    assert set(marks) == {
        (alice, solaris),
        (alice, ventus),
        (alice, evil),
        (bruno, solaris),
        (bruno, ventus),
        (bruno, evil),
        (chloe, ventus),
    }
    # By hand: innovation 0–10 weight 2, impact 0–20 weight 1, theme eliminatory (never adds points).
    assert marks[(alice, solaris)][0] == pytest.approx(100 * (2 * 0.8 + 0.5) / 3, abs=1e-12)  # 70
    assert marks[(alice, solaris)][0] == pytest.approx(70.0, abs=1e-12)
    assert marks[(alice, ventus)][0] == pytest.approx(200 / 3, abs=1e-12)
    assert marks[(alice, evil)][0] == pytest.approx(40.0, abs=1e-12)
    assert marks[(bruno, solaris)][0] == pytest.approx(250 / 3, abs=1e-12)
    assert marks[(bruno, ventus)] == (pytest.approx(60.0, abs=1e-12), False)  # innovation abstained
    assert marks[(bruno, evil)] == (pytest.approx(50.0, abs=1e-12), True)  # failed the theme
    assert marks[(chloe, ventus)][0] == pytest.approx(220 / 3, abs=1e-12)
    # And bit for bit what weighted_total gives.
    sheets = {
        (alice, solaris): {"innovation": 8, "impact": 10, "theme": 1},
        (bruno, ventus): {"innovation": None, "impact": 12, "theme": 1},
        (bruno, evil): {"innovation": 6, "impact": 6, "theme": 0},
        (chloe, ventus): {"innovation": 7, "impact": 16, "theme": 1},
    }
    for key, values in sheets.items():
        expected = weighted_total(criteria=b.criteria_of("energie"), values=b.values("energie", values))
        assert marks[key] == (expected.total, expected.eliminated)


async def test_values_for_another_categorys_criteria_are_refused(db, small_round):
    b = small_round
    other = await b.category("mobilite", [("note", 0, 100, 1, False)])
    row = b.criteria[other]["note"]
    await db.conn.execute(
        "insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value) values ($1, $2, $3, $4, 5)",
        b.sheets[("Alice Martin", "Solaris")],
        row["id"],
        row["scale_min"],
        row["scale_max"],
    )
    with pytest.raises(Conflict):
        await read_sections(db, round_id=b.round)


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

    sections = await read_sections(db, round_id=b.round)
    got = {(j, c): (t, e) for s in sections for j, c, t, e in s.observations}
    assert got == expected  # exact float equality, None where every scored criterion was abstained
    assert len(got) == 96 and sum(e for _, e in got.values()) > 0  # eliminations were exercised
