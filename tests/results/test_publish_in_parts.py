"""A large round is published reading its marks a group of panels at a time, each group calibrated while
the next is read: the same standings, in the same order, to the last bit, as one read of every mark."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from jury.results import compute
from jury.results.compute import compute as compute_sections
from jury.results.compute import read_and_compute, round_calibration
from jury.results.marks import read_sections
from jury.results.publication import publish, verify_published


@pytest.fixture
async def five_panels(builder):
    """Five panels of three jurors and three candidates, marks that disagree, one candidate without a panel
    (section key 0)."""
    b = builder
    await b.category("energie", [("note", 0, 100, 1, False)])
    marks = {"A": (50, 62, 71), "B": (58, 60, 80), "C": (45, 70, 66)}
    for number in range(1, 6):
        panel = f"P{number}"
        await b.panel(panel)
        for juror in "ABC":
            await b.juror(f"Juré {juror}{number}", panels=[panel])
        for k in range(3):
            await b.candidate(f"Candidat {number}-{k}", panel=panel, category="energie")
            for juror in "ABC":
                await b.sheet(
                    f"Juré {juror}{number}", f"Candidat {number}-{k}", {"note": marks[juror][k] + number}
                )
    await b.juror("Juré libre", panels=["P1"])
    await b.candidate("Sans jury", panel=None, category="energie")
    await b.sheet("Juré libre", "Sans jury", {"note": 55}, panel="P1")
    return b


@pytest.mark.parametrize("executor", [None, "pool"])
async def test_reading_in_parts_gives_what_one_read_gives(db, five_panels, monkeypatch, executor):
    b = five_panels
    rnd = await db.conn.fetchrow("select * from rounds where id = $1", b.round)
    calibration = round_calibration(rnd, bootstrap=50)
    whole = await compute_sections(
        db,
        round_id=b.round,
        sections=await read_sections(db, round_id=b.round),
        calibration=calibration,
        use_cache=False,
    )
    await db.conn.execute("delete from standing_cache")
    monkeypatch.setattr(compute, "PANELS_PER_PART", 2)  # 6 panel keys (0 included): 3 reads of 2 panels

    if executor == "pool":
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("forkserver")) as pool:
            parts = await read_and_compute(db, round_id=b.round, calibration=calibration, executor=pool)
    else:
        parts = await read_and_compute(db, round_id=b.round, calibration=calibration)

    assert len(parts) == len(whole) == 6
    assert [p.section for p in parts] == [w.section for w in whole]
    assert [p.encoded for p in parts] == [w.encoded for w in whole]
    assert all(line.high > line.low for p in parts if p.section.panel_key for line in p.result.lines)
    cached = await db.conn.fetchval("select count(*) from standing_cache where round_id = $1", b.round)
    assert cached == 6


async def test_a_publication_read_in_parts_is_stored_and_verifies(db, five_panels, organiser, monkeypatch):
    b = five_panels
    await b.set_status("deliberation")
    monkeypatch.setattr(compute, "PANELS_PER_PART", 2)

    receipt = await publish(db, identity=organiser, round_id=b.round, bootstrap=20)

    rows = await db.conn.fetch(
        "select panel_id, method, seed, audit_count, audit_head from standings where round_id = $1 order by id",
        b.round,
    )
    assert len(receipt.standings) == len(rows) == 6
    assert sorted(r["panel_id"] or 0 for r in rows) == sorted([0, *b.panels.values()])
    assert {(r["method"], r["seed"], r["audit_count"], r["audit_head"]) for r in rows} == {
        ("affine", b.round, receipt.audit_count, receipt.audit_head)
    }
    checks = await verify_published(db, identity=organiser, round_id=b.round)
    assert [c.same_input and c.same_result for c in checks] == [True] * 6
