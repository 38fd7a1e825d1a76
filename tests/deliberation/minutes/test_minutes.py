"""Procès-verbal of a panel's deliberation: its content (read back from the PDF) and who may have it."""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf
import pytest
from tests.deliberation.awards.test_advancement import build_round
from tests.helpers import make_contest, make_organiser, sign_in

from jury.access.identity import Identity
from jury.audit.service import append_event, chain_head
from jury.db.queries import Database
from jury.deliberation.awards import advancement
from jury.deliberation.awards import decisions as service
from jury.deliberation.minutes import service as minutes
from jury.deliberation.votes import service as votes
from jury.deliberation.votes.models import VoteRequest
from jury.results import publication as results


def audit_line(count: int, head: str) -> str:
    """The procès-verbal's audit line as `pdf_text` reads it back (NFKC turns « … » into « ... »)."""
    return unicodedata.normalize("NFKC", f"Journal d'audit : {count} événements, empreinte {head[:16]}…")


def pdf_text(content: bytes) -> str:
    """All pages' text, NFKC-normalised (ligatures, narrow spaces) with whitespace collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


async def deliberate(db: Database, b) -> dict:
    """A ballot between Bravo and Charlie, then the organiser confirms Nord's qualifiers."""
    organiser = Identity(person_id=b.organiser, name="cci", kind="organiser")

    def juror(name: str) -> Identity:
        return Identity(person_id=b.people[name], name=name, kind="juror", edition_id=b.edition)

    ballot = await votes.open_ballot(
        db,
        identity=juror("Nadia Présidente"),
        round_id=b.round,
        panel_id=b.panels["Nord"],
        kind="ranked",
        title="Départage Bravo / Charlie",
        candidate_ids=[b.candidates["Bravo"], b.candidates["Charlie"]],
    )
    bravo, charlie = b.candidates["Bravo"], b.candidates["Charlie"]
    for name, tiers in (
        ("Nadia Présidente", [[bravo], [charlie]]),
        ("Paul Juré", [[charlie], [bravo]]),
        ("Léa Jurée", [[bravo], [charlie]]),
    ):
        await votes.cast_vote(db, identity=juror(name), ballot_id=ballot.id, vote=VoteRequest(tiers=tiers))
    await votes.close_ballot(db, identity=juror("Nadia Présidente"), ballot_id=ballot.id)
    preview = await advancement.preview(db, identity=organiser, round_id=b.round)
    nord = next(p for p in preview.panels if p.panel_name == "Nord")
    await service.confirm_advancement(
        db,
        identity=organiser,
        round_id=b.round,
        advance=nord.qualified,
        based_on=nord.based_on,
        reason="Deux premiers du classement calibré, confirmés par le scrutin",
        panel_id=b.panels["Nord"],
    )
    return {"based_on": nord.based_on, "digest": nord.sections[0].input_digest}


@pytest.fixture
async def deliberated(db: Database):
    b = await build_round(db)
    b.facts = await deliberate(db, b)
    return b


@pytest.mark.pdf
async def test_proces_verbal_states_the_deliberation(client, deliberated):
    b = deliberated
    await sign_in(client, email="cci@exemple.fr")
    url = f"/organisation/rounds/{b.round}/panels/{b.panels['Nord']}/proces-verbal.pdf"
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = pdf_text(response.content)
    for expected in (
        "Procès-verbal de délibération",
        "Made In 92",
        "10e édition (2025)",
        "Demi-finale",
        "Nord",
        "Règle de qualification Les 2 premiers par zone.",
        "Nadia Présidente",
        "Paul Juré",
        "Léa Jurée",
        "Cousin du gérant",  # the declared conflict's reason
        "Départage Bravo / Charlie",
        "Classement (méthode de Schulze)",
        "Qualification pour le tour suivant",
        "Non-qualification",
        "Deux premiers du classement calibré, confirmés par le scrutin",
        "Document provisoire",
    ):
        assert expected in text, expected
    assert "Sophie Présidente" not in text and "Echo" not in text  # the other panel is not in these minutes
    assert re.search(r"Paul Juré Delta Cousin du gérant", text)
    assert b.facts["digest"] in text.replace(" ", "")
    signature = text[text.index("Le président / La présidente du jury") :]
    assert signature.startswith("Le président / La présidente du jury Nadia Présidente")
    for name in ("Alpha", "Bravo", "Charlie", "Delta"):
        assert name in text


@pytest.mark.pdf
async def test_the_chair_gets_the_minutes_of_their_panel(client, deliberated, as_juror):
    b = deliberated
    await as_juror(b.edition, b.people["Nadia Présidente"])
    response = await client.get(f"/organisation/rounds/{b.round}/panels/{b.panels['Nord']}/proces-verbal.pdf")
    assert response.status_code == 200, response.text
    assert "Nadia Présidente" in pdf_text(response.content)


async def test_minutes_are_refused_to_everyone_else(client, db, deliberated, as_juror):
    b = deliberated
    nord = f"/organisation/rounds/{b.round}/panels/{b.panels['Nord']}/proces-verbal.pdf"
    assert (await client.get(nord)).status_code == 401
    await make_contest(db, slug="autre-concours")
    await make_organiser(db, email="autre@exemple.fr", contests=["autre-concours"])
    await sign_in(client, email="autre@exemple.fr")
    response = await client.get(nord)
    assert response.status_code == 403
    assert "Nadia" not in response.text and "Nord" not in response.text and "Alpha" not in response.text
    await client.post("/deconnexion")
    await as_juror(b.edition, b.people["Paul Juré"])  # sits on Nord, but does not chair it
    assert (await client.get(nord)).status_code == 403
    await client.post("/deconnexion")
    await as_juror(b.edition, b.people["Sophie Présidente"])  # chairs Sud, not Nord
    assert (await client.get(nord)).status_code == 403


async def test_blind_minutes_name_candidates_by_entry_number(db, gateau):
    g = gateau
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Ancienne apprentie')",
        g.tasting,
        g.juror,
        g.cakes[2],
    )
    organiser = await db.conn.fetchval("select id from people where email = 'cma@exemple.fr'")
    context = await minutes.minutes_context(
        db,
        identity=Identity(person_id=organiser, name="cma", kind="organiser"),
        round_id=g.tasting,
        panel_id=g.panel,
    )
    assert context.blind and context.chair == "Stéphane Président"
    assert [(c.juror, c.candidate, c.reason) for c in context.conflicts] == [
        ("Claire Pâtissière", "Entrée n° 2", "Ancienne apprentie")
    ]
    rendered = repr(context)
    assert "Cyril Huet" not in rendered and "L'Écrin" not in rendered


async def test_a_chairs_copy_leaves_out_their_own_conflicts(db, deliberated):
    b = deliberated
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Voisine')",
        b.round,
        b.people["Nadia Présidente"],
        b.candidates["Delta"],
    )
    chair = Identity(person_id=b.people["Nadia Présidente"], name="Nadia", kind="juror", edition_id=b.edition)
    context = await minutes.minutes_context(db, identity=chair, round_id=b.round, panel_id=b.panels["Nord"])
    assert all(line.candidate != "Delta" for s in context.standings for line in s.lines)
    assert all(d.candidate != "Delta" for d in context.decisions)
    assert context.omitted
    organiser = Identity(person_id=b.organiser, name="cci", kind="organiser")
    full = await minutes.minutes_context(db, identity=organiser, round_id=b.round, panel_id=b.panels["Nord"])
    assert any(d.candidate == "Delta" for d in full.decisions) and not full.omitted


async def test_a_casting_vote_is_stated_with_its_reason(db):
    b = await build_round(db)
    # The chair alone breaks ties here: the calibrated score would otherwise settle this one first.
    await db.conn.execute("update editions set tie_break_policy = '{chair}' where id = $1", b.edition)

    def juror(name: str) -> Identity:
        return Identity(person_id=b.people[name], name=name, kind="juror", edition_id=b.edition)

    alpha, bravo, charlie = (b.candidates[n] for n in ("Alpha", "Bravo", "Charlie"))
    ballot = await votes.open_ballot(
        db,
        identity=juror("Nadia Présidente"),
        round_id=b.round,
        panel_id=b.panels["Nord"],
        kind="approval",
        title="Prix du jury Nord",
        candidate_ids=[alpha, bravo, charlie],
    )
    for name, approved in (("Nadia Présidente", [alpha]), ("Léa Jurée", [bravo]), ("Paul Juré", [])):
        await votes.cast_vote(
            db, identity=juror(name), ballot_id=ballot.id, vote=VoteRequest(approved=approved)
        )
    await votes.close_ballot(db, identity=juror("Nadia Présidente"), ballot_id=ballot.id)
    await votes.casting_vote(
        db,
        identity=juror("Nadia Présidente"),
        ballot_id=ballot.id,
        order=[bravo, alpha],
        reason="Projet plus abouti",
    )
    chair = juror("Nadia Présidente")
    context = await minutes.minutes_context(db, identity=chair, round_id=b.round, panel_id=b.panels["Nord"])
    [line] = context.ballots
    assert line.kind == "Approbation" and line.votes == "3 vote(s) exprimé(s)"
    assert line.order == ["1. Bravo (1 voix)", "2. Alpha (1 voix)", "3. Charlie (0 voix)"]
    assert line.winners == "Alpha, Bravo"
    assert (
        line.casting_vote
        == "Voix prépondérante de Nadia Présidente : Bravo > Alpha — motif : Projet plus abouti"
    )


async def test_minutes_use_the_latest_publication_when_there_is_one(db):
    b = await build_round(db)
    organiser = Identity(person_id=b.organiser, name="cci", kind="organiser")
    receipt = await results.publish(db, identity=organiser, round_id=b.round)
    context = await minutes.minutes_context(
        db, identity=organiser, round_id=b.round, panel_id=b.panels["Nord"]
    )
    [standing] = context.standings
    [published] = [s for s in receipt.standings if s.panel_id == b.panels["Nord"]]
    assert standing.origin.startswith(f"Classement publié (version {receipt.version}, le ")
    assert standing.digest == published.input_digest and standing.method == "affine"
    assert [line.candidate for line in standing.lines] == ["Alpha", "Bravo", "Charlie", "Delta"]


@pytest.mark.pdf
async def test_proces_verbal_prints_the_audit_chains_head(client, db, deliberated):
    """Count and head as they stood when the copy was drawn up, in full for `jury audit verify`."""
    b = deliberated
    await sign_in(client, email="cci@exemple.fr")
    before = await chain_head(db)
    response = await client.get(f"/organisation/rounds/{b.round}/panels/{b.panels['Nord']}/proces-verbal.pdf")
    assert response.status_code == 200, response.text
    count, head = await chain_head(db)
    assert (count, head) == before, "drawing a copy up records nothing"
    text = pdf_text(response.content)
    assert audit_line(count, head) in text
    flat = text.replace(" ", "")
    assert head in flat and f"--expect-head{head}--expect-count{count}" in flat


async def test_the_audit_head_is_read_after_what_the_copy_states(db, deliberated):
    b = deliberated
    organiser = Identity(person_id=b.organiser, name="cci", kind="organiser")
    context = await minutes.minutes_context(
        db, identity=organiser, round_id=b.round, panel_id=b.panels["Nord"]
    )
    count, head = await chain_head(db)
    assert context.audit is not None
    assert (context.audit.count, context.audit.head) == (count, head) and count > 0
    assert context.audit.summary == f"Journal d'audit : {count} événements, empreinte {head[:16]}…"
    await append_event(db, actor_id=None, actor_label="test", action="test.later", target="x", payload={})
    later = await minutes.minutes_context(db, identity=organiser, round_id=b.round, panel_id=b.panels["Nord"])
    assert later.audit is not None and later.audit.count == count + 1 and later.audit.head != head
    assert minutes.audit_mark(1, head).summary.startswith("Journal d'audit : 1 événement, ")
