"""Publications: frozen, numbered, audited, recomputed to the last bit from the sheets; a changed sheet
shows in the digest; publishing needs the deliberation and at least one submitted sheet."""

from __future__ import annotations

import msgspec
import pytest
from tests.helpers import sign_in

from jury.audit.service import append_event, chain_head, verify_against
from jury.errors import Conflict, Invalid
from jury.results.compute import PAGE_BOOTSTRAP, compute, round_calibration
from jury.results.marks import read_sections
from jury.results.models import StandingResult
from jury.results.publication import publish, verify_published
from jury.results.standings import published, standings


async def test_publish_then_recompute_gives_identical_numbers(db, small_round, organiser):
    b = small_round
    identity = organiser
    await b.set_status("deliberation")
    receipt = await publish(db, identity=identity, round_id=b.round)
    assert receipt.version == 1 and len(receipt.standings) == 1
    stored = await db.conn.fetchrow("select * from standings where id = $1", receipt.standings[0].id)
    assert stored["method"] == "affine" and stored["seed"] == b.round
    assert stored["parameters"]["bootstrap"] == PAGE_BOOTSTRAP
    assert stored["observations"][0][:2] == [b.people["Alice Martin"], b.candidates["Solaris"]]

    # Recompute from the sheets, bypassing the cache: the very same figures, to the last bit.
    [section] = await read_sections(db, round_id=b.round)
    assert section.digest == stored["input_digest"]
    [again] = await compute(
        db,
        round_id=b.round,
        sections=[section],
        calibration=round_calibration(
            await db.conn.fetchrow("select * from rounds where id = $1", b.round), bootstrap=200
        ),
        use_cache=False,
    )
    frozen = msgspec.json.decode(
        await db.conn.fetchval("select result::text from standings where id = $1", stored["id"]),
        type=StandingResult,
    )
    assert again.result == frozen  # every score, rank, interval, probability and diagnostic
    assert frozen.lines[0].low is not None and frozen.lines[0].p_top_k is not None
    assert frozen.parameters["bootstrap"] == 200 and frozen.seed == b.round
    assert [check.same_input and check.same_result for check in
            await verify_published(db, identity=identity, round_id=b.round)] == [True]  # fmt: skip
    event = await db.conn.fetchrow(
        "select action, target from audit_events where action = 'standings.published'"
    )
    assert dict(event) == {"action": "standings.published", "target": f"round:{b.round}"}


async def test_a_sheet_change_changes_the_digest(db, small_round, organiser):
    b = small_round
    identity = organiser
    await b.set_status("deliberation")
    await publish(db, identity=identity, round_id=b.round)
    frozen_digest = await db.conn.fetchval("select input_digest from standings where round_id = $1", b.round)
    await db.conn.execute(
        "update sheet_scores set value = 9 where sheet_id = $1 and criterion_id = $2",
        b.sheets[("Alice Martin", "Solaris")],
        b.criteria[b.categories["energie"]]["innovation"]["id"],
    )
    [view] = await standings(db, identity=identity, round_id=b.round)
    assert view.input_digest != frozen_digest
    [check] = await verify_published(db, identity=identity, round_id=b.round)
    assert (check.same_input, check.same_result) == (False, False)
    assert check.published_digest == frozen_digest and check.current_digest == view.input_digest
    # Withdrawing a sheet (back to draft) changes it too.
    await db.conn.execute(
        "update score_sheets set status = 'draft', submitted_at = null where id = $1",
        b.sheets[("Bruno Petit", "Ventus")],
    )
    [later] = await read_sections(db, round_id=b.round)
    assert later.digest not in {frozen_digest, view.input_digest}
    # A second publication is a new version; the first stays as it was.
    receipt = await publish(db, identity=identity, round_id=b.round)
    assert receipt.version == 2
    first = await published(db, identity=identity, round_id=b.round, version=1)
    assert first.standings[0].input_digest == frozen_digest


async def test_publishing_needs_deliberation_and_marks(db, small_round, organiser):
    identity = organiser
    with pytest.raises(Conflict):
        await publish(db, identity=identity, round_id=small_round.round)
    await db.conn.execute("update score_sheets set status = 'draft', submitted_at = null")
    await small_round.set_status("deliberation")
    with pytest.raises(Invalid):
        await publish(db, identity=identity, round_id=small_round.round)


async def test_a_publication_keeps_the_audit_chains_head(db, small_round, organiser):
    """The head once the publication's own event is in; the same pair on every standing of the version,
    in the receipt's JSON, and checkable later against the chain (a truncation shows)."""
    b = small_round
    await b.set_status("deliberation")
    receipt = await publish(db, identity=organiser, round_id=b.round)
    count, head = await chain_head(db)
    last = await db.conn.fetchrow("select action, hash from audit_events order by id desc limit 1")
    assert (last["action"], last["hash"]) == ("standings.published", head)
    body = msgspec.json.decode(msgspec.json.encode(receipt))
    assert (body["audit_count"], body["audit_head"]) == (count, head) and len(head) == 64
    stored = await db.conn.fetch("select audit_count, audit_head from standings where round_id = $1", b.round)
    assert stored and {tuple(r) for r in stored} == {(count, head)}
    # Later events move the chain's head; the publication keeps its own, which the chain still contains.
    await append_event(db, actor_id=None, actor_label="test", action="test.later", target="test", payload={})
    assert (await chain_head(db))[0] == count + 1
    assert (await verify_against(db, count=count, head_hash=head)).ok
    again = await publish(db, identity=organiser, round_id=b.round)
    assert again.audit_count == count + 2 and again.audit_head != head


async def test_the_published_standing_shows_its_audit_head(client, db, small_round):
    b = small_round
    await sign_in(client, email="cci@exemple.fr")
    await b.set_status("deliberation")
    response = await client.post(f"/api/rounds/{b.round}/standings/publish")
    assert response.status_code == 201, response.text
    receipt = response.json()
    count, head = await chain_head(db)
    assert (receipt["audit_count"], receipt["audit_head"]) == (count, head)
    page = await client.get(f"/organisation/rounds/{b.round}/classement")
    assert page.status_code == 200
    events = "événement" if count == 1 else "événements"  # here the publication's is the only one
    assert f"journal d'audit : {count} {events}, empreinte <code>{head}</code>" in page.text
    published = (await client.get(f"/api/rounds/{b.round}/standings/published")).json()
    assert (published["audit_count"], published["audit_head"]) == (count, head)
