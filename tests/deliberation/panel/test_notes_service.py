"""Deliberation notes: only in deliberation, only by the panel's members, never about a conflicted candidate."""

from __future__ import annotations


async def test_member_adds_a_note_that_the_panel_reads_and_the_audit_records(
    client, made_in_92, as_juror, count
):
    m = made_in_92
    await as_juror(m.edition, m.people["lea"])
    response = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["solaris"], "text": "  Pitch très clair.  "}
    )
    assert response.status_code == 201
    note = response.json()
    assert {k: note[k] for k in ("panel_id", "candidate_id", "candidate", "author", "mine", "text")} == {
        "panel_id": m.nord,
        "candidate_id": m.c["solaris"],
        "candidate": "Solaris",
        "author": "Léa Jurée",
        "mine": True,
        "text": "Pitch très clair.",
    }
    assert await count("select count(*) from audit_events where action = 'deliberation.note_added'") == 1

    await as_juror(m.edition, m.people["hugo"])
    listed = (await client.get(f"/api/rounds/{m.semi}/notes")).json()
    assert [(n["author"], n["candidate"], n["text"], n["mine"]) for n in listed] == [
        ("Léa Jurée", "Solaris", "Pitch très clair.", False)
    ]


async def test_no_note_before_the_deliberation(client, made_in_92, as_juror, count):
    m = made_in_92
    await count("update rounds set status = 'open' where id = $1", m.semi)
    await as_juror(m.edition, m.people["lea"])
    response = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["solaris"], "text": "Tôt"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Les notes de délibération ne sont possibles que pendant la délibération ; état du tour : notation."
    )
    reading = await client.get(f"/api/rounds/{m.semi}/notes")
    assert reading.status_code == 409
    assert await count("select count(*) from deliberation_notes") == 0


async def test_no_note_once_the_round_is_closed_but_notes_stay_readable(client, made_in_92, as_juror, count):
    m = made_in_92
    await as_juror(m.edition, m.people["lea"])
    await client.post(f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["elles"], "text": "Solide"})
    await count("update rounds set status = 'closed' where id = $1", m.semi)
    refused = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["elles"], "text": "Encore"}
    )
    assert refused.status_code == 409
    assert [n["text"] for n in (await client.get(f"/api/rounds/{m.semi}/notes")).json()] == ["Solide"]


async def test_juror_of_another_panel_can_neither_write_nor_read_and_learns_no_name(
    client, made_in_92, as_juror, count
):
    m = made_in_92
    await as_juror(m.edition, m.people["lea"])
    await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["solaris"], "text": "Secret du Nord"}
    )

    await as_juror(m.edition, m.people["marc"])  # sits on Sud
    write = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["solaris"], "text": "Intrus"}
    )
    assert write.status_code == 403
    assert write.json()["detail"] == "Ce candidat n'est pas examiné par votre jury."
    unknown = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": 999999, "text": "Intrus"}
    )
    assert (unknown.status_code, unknown.json()["detail"]) == (403, write.json()["detail"])
    read_nord = await client.get(f"/api/rounds/{m.semi}/notes", params={"panel_id": m.nord})
    assert read_nord.status_code == 403
    assert read_nord.json()["detail"] == "Vous ne siégez pas dans ce jury."
    own = await client.get(f"/api/rounds/{m.semi}/notes")
    assert own.status_code == 200 and own.json() == []
    for response in (write, unknown, read_nord, own):
        for name in ("Solaris", "Verdure", "Elles", "Bâtiment", "Secret du Nord"):
            assert name not in response.text
    assert await count("select count(*) from deliberation_notes") == 1


async def test_conflicted_juror_cannot_note_and_does_not_see_the_others_notes(
    client, made_in_92, as_juror, count
):
    m = made_in_92
    await as_juror(m.edition, m.people["paul"])
    refused = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["verdure"], "text": "Bien"}
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Vous vous êtes déporté pour ce candidat : vous ne pouvez pas prendre de note à son sujet."
    )

    await as_juror(m.edition, m.people["lea"])
    await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["verdure"], "text": "Trop cher"}
    )
    await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["solaris"], "text": "Convaincant"}
    )
    assert [n["text"] for n in (await client.get(f"/api/rounds/{m.semi}/notes")).json()] == [
        "Trop cher",
        "Convaincant",
    ]

    await as_juror(m.edition, m.people["paul"])
    seen = await client.get(f"/api/rounds/{m.semi}/notes")
    assert [(n["candidate"], n["text"]) for n in seen.json()] == [("Solaris", "Convaincant")]
    assert "Verdure" not in seen.text and "Trop cher" not in seen.text
    page = await client.get(f"/deliberation/{m.nord}")
    assert page.status_code == 200
    assert "Solaris" in page.text and "Verdure" not in page.text and "Trop cher" not in page.text
    assert await count("select count(*) from deliberation_notes where person_id = $1", m.people["paul"]) == 0


async def test_organisers_read_every_note_but_do_not_write_and_strangers_are_refused(
    client, made_in_92, stranger, as_juror, as_organiser
):
    m = made_in_92
    await as_juror(m.edition, m.people["lea"])
    await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["verdure"], "text": "Trop cher"}
    )
    await as_juror(m.edition, m.people["marc"])
    await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["ondine"], "text": "Prometteur"}
    )

    await as_organiser("cci@exemple.fr")
    notes = (await client.get(f"/api/rounds/{m.semi}/notes")).json()
    assert sorted((n["candidate"], n["author"]) for n in notes) == [
        ("Ondine", "Marc Juré"),
        ("Verdure", "Léa Jurée"),
    ]
    write = await client.post(
        f"/api/rounds/{m.semi}/notes", json={"candidate_id": m.c["ondine"], "text": "Moi aussi"}
    )
    assert write.status_code == 403

    await as_organiser(stranger)
    refused = await client.get(f"/api/rounds/{m.semi}/notes")
    assert refused.status_code == 403
    assert "Prometteur" not in refused.text and "Ondine" not in refused.text


async def test_note_through_the_panel_page_form(client, made_in_92, as_juror, count):
    m = made_in_92
    await as_juror(m.edition, m.people["hugo"])
    response = await client.post(
        f"/deliberation/{m.nord}/notes",
        data={"candidate_id": str(m.c["elles"]), "text": "Équipe engagée"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/deliberation/{m.nord}#candidat-{m.c['elles']}"
    page = await client.get(f"/deliberation/{m.nord}")
    assert "Équipe engagée" in page.text
    assert "<script" not in page.text and "style=" not in page.text
    assert await count("select count(*) from deliberation_notes where candidate_id = $1", m.c["elles"]) == 1
