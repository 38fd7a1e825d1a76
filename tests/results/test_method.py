"""The method of a round's standings: each method gives its own figures, each change is audited, an
unknown method is refused and a closed round keeps its method."""

from __future__ import annotations

import pytest

from jury.errors import Conflict, Invalid
from jury.results.method import set_method
from jury.results.normalise import normalise
from jury.results.standings import standings


async def _bridged(b):
    """Alice sees X and Y, Bruno Y and Z; Alice is 10 points more generous on the shared Y."""
    await b.category("energie", [("note", 0, 100, 1, False)])
    await b.panel("Nord")
    await b.juror("Alice Martin", panels=["Nord"])
    await b.juror("Bruno Petit", panels=["Nord"])
    for name in ("X", "Y", "Z"):
        await b.candidate(name, panel="Nord", category="energie")
    await b.sheet("Alice Martin", "X", {"note": 80})
    await b.sheet("Alice Martin", "Y", {"note": 70})
    await b.sheet("Bruno Petit", "Y", {"note": 60})
    await b.sheet("Bruno Petit", "Z", {"note": 70})


async def test_the_rounds_method_is_respected(db, builder, organiser):
    b = builder
    await _bridged(b)
    identity = organiser
    results = {}
    for method in ("raw", "additive", "affine"):
        await set_method(db, identity=identity, round_id=b.round, method=method)
        [view] = await standings(db, identity=identity, round_id=b.round, bootstrap=0)
        results[method] = {line.name: line for line in view.lines}
    raw, additive, affine = results["raw"], results["additive"], results["affine"]
    # Raw mean: X 80, Z 70, Y 65 — Z profits from having only the harsh juror... on paper.
    assert {n: line.score for n, line in raw.items()} == pytest.approx({"X": 80.0, "Y": 65.0, "Z": 70.0})
    assert [raw[n].rank for n in "XYZ"] == [1, 3, 2]
    # Additive would read Alice +5, Bruno −5 from their one common candidate and give X 75, Y 65, Z 75, but
    # with four marks for four parameters it would reproduce every mark exactly: the design cannot carry
    # it, so the raw mean is used, and the standing says so.
    assert {n: line.score for n, line in additive.items()} == {n: line.score for n, line in raw.items()}
    [view] = await standings(db, identity=identity, round_id=b.round, bootstrap=0)
    assert (view.method, view.method_used) == ("affine", "raw")
    assert view.fallback.startswith("trop peu de notes en commun entre jurés")
    # Affine: exactly the engine's figures on the same marks.
    engine = normalise(
        [(b.people["Alice Martin"], b.candidates["X"], 80.0), (b.people["Alice Martin"], b.candidates["Y"], 70.0),
         (b.people["Bruno Petit"], b.candidates["Y"], 60.0), (b.people["Bruno Petit"], b.candidates["Z"], 70.0)],
        method="affine", top_k=1, seed=b.round, scale=(0.0, 100.0),
    )  # fmt: skip
    assert {n: line.score for n, line in affine.items()} == {n: engine.scores[b.candidates[n]] for n in "XYZ"}
    assert affine["Z"].raw == 70.0 and affine["Z"].raw_rank == 2
    events = await db.conn.fetch("select action from audit_events where action = 'round.method_changed'")
    assert len(events) == 3


async def test_unknown_method_is_refused_and_a_closed_round_keeps_its_method(db, small_round, organiser):
    identity = organiser
    with pytest.raises(Invalid):
        await set_method(db, identity=identity, round_id=small_round.round, method="coin-toss")
    await small_round.set_status("closed")
    with pytest.raises(Conflict):
        await set_method(db, identity=identity, round_id=small_round.round, method="raw")
    assert await db.conn.fetchval("select method from rounds where id = $1", small_round.round) == "affine"
