"""Conflict-of-interest declarations: before scoring, acted on at once, kept in a register organisers export."""

from __future__ import annotations

import csv
import html
import io
import uuid

from tests.helpers import sign_in
from tests.scoring.conftest import CANDIDATE_SECRETS, Edition, declare_none, sign_in_juror


def declarations_url(fx: Edition) -> str:
    return f"/api/jure/tours/{fx.round_id}/conflits"


def sheet_url(fx: Edition, entry: int) -> str:
    return f"/api/jure/feuilles/{fx.round_id}/{fx.c(entry)}"


def none(fx: Edition, *entries: int) -> list[dict]:
    return [{"candidate_id": fx.c(e), "has_conflict": False} for e in entries]


async def test_juror_declares_then_sheets_open(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    page = await client.get(f"/jure/feuilles/{edition.round_id}/{edition.c(101)}", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (
        303,
        f"/jure/tours/{edition.round_id}/conflits?depuis=feuille",
    )
    told = await client.get(page.headers["location"])  # not a silent detour: the page says why
    assert "Avant d'ouvrir une feuille d'évaluation, déclarez vos éventuels" in html.unescape(told.text)
    plain = await client.get(f"/jure/tours/{edition.round_id}/conflits")
    assert "Avant d'ouvrir une feuille d'évaluation" not in html.unescape(plain.text)
    before = (await client.get(declarations_url(edition))).json()
    assert before["complete"] is False
    assert [(c["candidate"]["entry_number"], c["declared"]) for c in before["candidates"]] == [
        (101, False),
        (102, False),
        (103, False),
    ]
    partial = await client.put(declarations_url(edition), json={"declarations": none(edition, 101, 102)})
    assert (partial.status_code, partial.json()["complete"]) == (200, False)
    assert (await client.get(sheet_url(edition, 101))).status_code == 409  # 103 is still undeclared
    done = await client.put(declarations_url(edition), json={"declarations": none(edition, 103)})
    assert (done.status_code, done.json()["complete"]) == (200, True)
    assert (await client.get(sheet_url(edition, 101))).status_code == 200
    rows = await db.conn.fetch(
        "select candidate_id, has_conflict from conflict_declarations where person_id = $1 order by candidate_id",
        edition.sophie,
    )
    assert [tuple(r) for r in rows] == [(edition.c(e), False) for e in (101, 102, 103)]
    assert (
        await db.conn.fetchval("select count(*) from audit_events where action = 'conflict.none_declared'")
        == 3
    )


async def test_declaring_a_conflict_removes_the_assignment_and_blocks_the_pair(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    response = await client.put(
        declarations_url(edition),
        json={
            "declarations": [
                *none(edition, 101, 103),
                {"candidate_id": edition.c(102), "has_conflict": True, "reason": "Ancien associé"},
            ]
        },
    )
    assert response.status_code == 200
    assert response.json()["complete"] is True
    conflict = [c for c in response.json()["candidates"] if c["has_conflict"]]
    assert [(c["candidate"]["entry_number"], c["reason"]) for c in conflict] == [(102, "Ancien associé")]
    assigned = await db.conn.fetch(
        "select c.entry_number from assignments a join candidates c on c.id = a.candidate_id "
        "where a.person_id = $1 order by 1",
        edition.sophie,
    )
    assert [r["entry_number"] for r in assigned] == [101, 103]
    listing = await client.get("/api/jure/feuilles")
    assert [
        c["candidate"]["entry_number"] for c in listing.json()["rounds"][0]["panels"][0]["candidates"]
    ] == [101, 103]
    assert "Atelier Quillard" not in listing.text
    for blocked in (
        await client.get(sheet_url(edition, 102)),
        await client.put(
            sheet_url(edition, 102),
            json={"version": 0, "idempotency_key": str(uuid.uuid4()), "values": {str(edition.innovation): 5}},
        ),
    ):
        assert blocked.status_code == 403
        assert blocked.json()["detail"] == (
            "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne le notez pas."
        )
        for secret in CANDIDATE_SECRETS[102]:
            assert secret not in blocked.text
    home = await client.get("/jure/")
    assert (
        "Atelier Quillard" not in home.text
        and f"/jure/feuilles/{edition.round_id}/{edition.c(102)}" not in home.text
    )
    [event] = await db.conn.fetch(
        "select action, target from audit_events where action = 'conflict.declared'"
    )
    assert tuple(event) == ("conflict.declared", f"round:{edition.round_id}")


async def test_a_conflict_needs_a_reason_and_a_bad_line_writes_nothing(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    response = await client.put(
        declarations_url(edition),
        json={
            "declarations": [
                *none(edition, 101),
                {"candidate_id": edition.c(102), "has_conflict": True, "reason": " "},
                {"candidate_id": edition.c(104), "has_conflict": False},
            ]
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "declarations.1.reason",
            "message": "N° 102 · Atelier Quillard : motif du conflit obligatoire",
        },
        {"field": "declarations.2.candidate_id", "message": "Candidat non affecté dans ce tour."},
    ]
    assert await db.conn.fetchval("select count(*) from conflict_declarations") == 0
    assert (
        await db.conn.fetchval("select count(*) from assignments where person_id = $1", edition.sophie) == 3
    )


async def test_a_declared_conflict_cannot_be_withdrawn_by_the_juror(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    first = await client.put(
        declarations_url(edition),
        json={"declarations": [{"candidate_id": edition.c(102), "has_conflict": True, "reason": "Cousin"}]},
    )
    assert first.status_code == 200
    undo = await client.put(declarations_url(edition), json={"declarations": none(edition, 102)})
    assert undo.status_code == 422
    assert undo.json()["errors"][0]["message"] == (
        "N° 102 · Atelier Quillard : un conflit déclaré ne peut être retiré que par les organisateurs"
    )
    assert await db.conn.fetchval(
        "select has_conflict from conflict_declarations where candidate_id = $1", edition.c(102)
    )


async def test_a_sheet_started_before_the_conflict_is_voided(client, db, edition):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.claire)
    payload = {"version": 0, "idempotency_key": str(uuid.uuid4()), "values": {str(edition.innovation): 7}}
    assert (await client.put(sheet_url(edition, 101), json=payload)).status_code == 201
    declared = await client.put(
        declarations_url(edition),
        json={
            "declarations": [
                {"candidate_id": edition.c(101), "has_conflict": True, "reason": "Ma belle-sœur"}
            ]
        },
    )
    assert declared.status_code == 200
    assert await db.conn.fetchval("select count(*) from score_sheets") == 0
    assert await db.conn.fetchval("select count(*) from sheet_submissions") == 0
    replay = await client.put(sheet_url(edition, 101), json=payload)  # the old key answers nothing any more
    assert replay.status_code == 403


async def test_declaration_form_without_javascript(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    page = await client.get(f"/jure/tours/{edition.round_id}/conflits")
    assert page.status_code == 200
    assert page.text.count('value="none"') == 3 and page.text.count('value="conflict"') == 3
    missing = await client.post(
        f"/jure/tours/{edition.round_id}/conflits",
        data={f"choice-{edition.c(101)}": "none", f"choice-{edition.c(102)}": "conflict"},
    )
    assert missing.status_code == 422
    text = html.unescape(missing.text)
    assert "N° 102 · Atelier Quillard : motif du conflit obligatoire" in text
    assert "N° 103 · Cycles Ombeline : réponse manquante" in text
    # Each error points at its row: linked from the list, written in the row, which it describes.
    for entry, message in ((102, "motif du conflit obligatoire"), (103, "réponse manquante")):
        cid = edition.c(entry)
        assert f'<a href="#candidate-{cid}">N° {entry} · ' in text
        row = text[text.index(f'id="candidate-{cid}"') :].split("</fieldset>")[0]
        assert f'aria-describedby="error-{cid}"' in row
        assert f'<p class="field-error" id="error-{cid}">N° {entry} · ' in row and message in row
    assert 'aria-describedby="error-' + str(edition.c(101)) not in text
    assert await db.conn.fetchval("select count(*) from conflict_declarations") == 0
    done = await client.post(
        f"/jure/tours/{edition.round_id}/conflits",
        data={
            f"choice-{edition.c(101)}": "none",
            f"choice-{edition.c(102)}": "conflict",
            f"reason-{edition.c(102)}": "Client de mon cabinet",
            f"choice-{edition.c(103)}": "none",
        },
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/jure/?fait=declarations")
    assert await db.conn.fetchval("select count(*) from conflict_declarations") == 3
    after = await client.get(f"/jure/tours/{edition.round_id}/conflits")
    assert "conflit déclaré" in after.text and "Client de mon cabinet" in after.text


async def test_declarations_close_with_the_round(client, db, edition):
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.sophie)
    await db.conn.execute("update rounds set status = 'closed' where id = $1", edition.round_id)
    response = await client.put(declarations_url(edition), json={"declarations": none(edition, 101)})
    assert response.status_code == 409
    assert await db.conn.fetchval("select count(*) from conflict_declarations") == 0


async def test_register_page_and_csv_for_the_organisers_of_the_contest_only(
    client, db, edition, other_organiser
):
    await declare_none(db, round_id=edition.round_id, person_id=edition.claire)
    await db.conn.execute(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, $4)",
        edition.round_id,
        edition.sophie,
        edition.c(102),
        '=HYPERLINK("http://evil.example")',
    )
    await db.conn.execute("update people set full_name = '@Sophie Martin' where id = $1", edition.sophie)
    await db.conn.execute(
        "update candidates set organisation_name = '+Atelier Quillard' where id = $1", edition.c(102)
    )

    # A juror, and an organiser of another contest, get nothing.
    await sign_in_juror(client, db, edition_id=edition.edition_id, person_id=edition.marc)
    assert (await client.get("/organisation/editions/made-in-92-2025/conflits")).status_code == 403
    await sign_in(client, email=other_organiser)
    for path in (
        "/organisation/editions/made-in-92-2025/conflits",
        "/organisation/editions/made-in-92-2025/conflits.csv",
        "/api/editions/made-in-92-2025/conflicts",
    ):
        refused = await client.get(path)
        assert refused.status_code == 403, path
        assert "Sophie" not in refused.text and "HYPERLINK" not in refused.text

    from tests.helpers import make_organiser

    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    await sign_in(client, email="cci@exemple.fr")
    page = await client.get("/organisation/editions/made-in-92-2025/conflits")
    assert page.status_code == 200
    assert (
        "Registre des conflits d&#39;intérêts" in page.text or "Registre des conflits d'intérêts" in page.text
    )
    assert page.text.count("<tr") == 1 + 5  # header + 1 conflict + 4 "aucun conflit"
    api = (await client.get("/api/editions/made-in-92-2025/conflicts")).json()
    assert [(e["juror_name"], e["entry_number"], e["has_conflict"]) for e in api] == [
        ("@Sophie Martin", 102, True),
        ("Claire Dubois", 101, False),
        ("Claire Dubois", 102, False),
        ("Claire Dubois", 103, False),
        ("Claire Dubois", 104, False),
    ]
    exported = await client.get("/organisation/editions/made-in-92-2025/conflits.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tour", "Juré", "N° d'inscription", "Candidat", "Déclaration", "Motif", "Date"]
    assert rows[1][:6] == [
        "Demi-finale",
        "'@Sophie Martin",
        "102",
        "'+Atelier Quillard",
        "conflit",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert len(rows) == 6
