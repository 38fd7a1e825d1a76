"""Deliberation pages and API documentation: blind labels, refusals that leak nothing, OpenAPI entries."""

from __future__ import annotations


async def test_blind_tasting_shows_entry_numbers_never_bakers(client, gateau, as_juror):
    g = gateau
    await as_juror(g.edition, g.juror)
    note = await client.post(
        f"/api/rounds/{g.tasting}/notes", json={"candidate_id": g.cakes[3], "text": "Caramel net"}
    )
    assert note.status_code == 201
    assert note.json()["candidate"] == "Entrée n° 3"
    page = await client.get(f"/deliberation/{g.panel}")
    assert page.status_code == 200
    assert [f"Entrée n° {n}" in page.text for n in (1, 2, 3, 4)] == [True] * 4
    for name in ("Miel de Greg", "Delachaux", "Pipelettes", "Zacchi", "Madeleine", "Écrin"):
        assert name not in page.text


async def test_juror_of_another_panel_gets_a_refusal_page_without_names(client, made_in_92, as_juror):
    m = made_in_92
    await as_juror(m.edition, m.people["marc"])
    page = await client.get(f"/deliberation/{m.nord}", headers={"accept": "text/html"})
    assert page.status_code == 403
    assert "Vous ne siégez pas dans ce jury." in page.text
    for name in ("Solaris", "Verdure", "Elles", "Bâtiment", "Nadia", "Paul"):
        assert name not in page.text
    index = await client.get("/deliberation/")
    assert index.status_code == 200
    assert (
        f'href="/deliberation/{m.sud}"' in index.text and f'href="/deliberation/{m.nord}"' not in index.text
    )


async def test_panel_page_waits_for_the_deliberation(client, db, made_in_92, as_juror):
    m = made_in_92
    await db.conn.execute("update rounds set status = 'open' where id = $1", m.semi)
    await as_juror(m.edition, m.people["lea"])
    page = await client.get(f"/deliberation/{m.nord}", headers={"accept": "text/html"})
    assert page.status_code == 409
    assert "Solaris" not in page.text


async def test_organiser_sees_the_panel_and_the_pairwise_matrix(
    client, made_in_92, stranger, as_juror, as_organiser
):
    m = made_in_92
    s, e = m.c["solaris"], m.c["elles"]
    await as_organiser("cci@exemple.fr")
    opened = await client.post(
        f"/api/rounds/{m.semi}/ballots",
        json={"panel_id": m.nord, "kind": "ranked", "title": "Duel", "candidate_ids": [s, e]},
    )
    ballot = opened.json()["id"]
    await as_juror(m.edition, m.people["hugo"])
    await client.post(f"/api/ballots/{ballot}/votes", json={"tiers": [[e], [s]]})
    await as_organiser("cci@exemple.fr")
    await client.post(f"/api/ballots/{ballot}/close", json={})
    page = await client.get(f"/deliberation/{m.nord}")
    assert page.status_code == 200
    assert "Matrice des duels" in page.text and "Verdure" in page.text
    index = await client.get("/deliberation/")
    assert f'href="/deliberation/{m.nord}"' in index.text

    await as_organiser(stranger)
    refused = await client.get(f"/deliberation/{m.nord}", headers={"accept": "text/html"})
    assert refused.status_code == 403 and "Solaris" not in refused.text
    assert f"/deliberation/{m.nord}" not in (await client.get("/deliberation/")).text


async def test_api_is_documented_in_openapi(client):
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    for path, method in [
        ("/api/rounds/{round_id}/notes", "post"),
        ("/api/rounds/{round_id}/notes", "get"),
        ("/api/rounds/{round_id}/ballots", "post"),
        ("/api/ballots/{ballot_id}", "get"),
        ("/api/ballots/{ballot_id}/votes", "post"),
        ("/api/ballots/{ballot_id}/close", "post"),
        ("/api/ballots/{ballot_id}/casting-vote", "post"),
        ("/api/rounds/{round_id}/advance", "post"),
        ("/api/editions/{slug}/decisions", "get"),
        ("/api/editions/{slug}/awards", "post"),
        ("/api/editions/{slug}/grants/proposal", "get"),
        ("/api/editions/{slug}/grants", "post"),
    ]:
        assert method in paths[path], (path, method)
    # The panel's pages are in the contract too (every route is, tests/security/test_openapi_contract.py).
    assert "get" in paths["/deliberation/{panel_id}"]
