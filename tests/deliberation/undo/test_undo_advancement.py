"""Advancements with a way back, on the Made in 92 semi-final: an advancement undone takes the candidate out
of the final (while it has not started), and the round goes back to scoring only once no decision rests on
it."""

from __future__ import annotations

STATUS = "select status from candidate_rounds where candidate_id = $1 and round_id = $2"


async def advance_nord(client, m, *advanced: str) -> dict:
    response = await client.post(
        f"/api/rounds/{m.semi}/advance",
        json={"advance": [m.c[k] for k in advanced], "based_on": "affine · sha256:0b1c", "panel_id": m.nord},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_advancement_undone_leaves_the_final_and_puts_the_candidate_back_in_play(
    client, made_in_92, as_organiser, count
):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    confirmed = await advance_nord(client, m, "solaris", "elles")
    solaris = confirmed["decision_ids"][0]
    assert await count(STATUS, m.c["solaris"], m.final) == "pending"

    undone = await client.post(f"/api/decisions/{solaris}/undo", json={"reason": "Confusion avec Verdure"})
    assert undone.status_code == 200, undone.text
    assert await count(STATUS, m.c["solaris"], m.final) is None  # out of the final
    assert await count(STATUS, m.c["solaris"], m.semi) == "pending"  # back in play in the semi-final
    assert await count(STATUS, m.c["elles"], m.final) == "pending"  # the other qualifier stays

    # Once the final has started, an advancement no longer comes back.
    await client.post(f"/api/decisions/{confirmed['decision_ids'][1]}/undo", json={"reason": "x"})
    assert await count(STATUS, m.c["elles"], m.final) is None
    again = await advance_nord(client, m, "elles")
    await count("update rounds set status = 'open' where id = $1", m.final)
    late = await client.post(f"/api/decisions/{again['decision_ids'][0]}/undo", json={"reason": "Trop tard"})
    assert late.status_code == 409
    assert (
        late.json()["detail"]
        == "Le tour suivant a déjà commencé : la qualification ne peut plus être annulée."
    )
    assert await count(STATUS, m.c["elles"], m.final) == "pending"


async def test_a_round_goes_back_to_scoring_only_while_no_decision_rests_on_it(
    client, made_in_92, as_organiser, count
):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    url = f"/api/rounds/{m.semi}/status"
    without_reason = await client.post(url, json={"to": "open"})
    assert without_reason.status_code == 422
    assert without_reason.json()["errors"][0]["field"] == "reason"

    confirmed = await advance_nord(client, m, "solaris")
    refused = await client.post(url, json={"to": "open", "reason": "Feuilles manquantes"})
    assert refused.status_code == 409
    # Solaris advanced, Verdure, Elles & Co and Bâtiment Vert eliminated: four decisions rest on the round.
    assert refused.json()["detail"].startswith("4 décision(s) reposent déjà sur ce tour")
    assert await count("select status from rounds where id = $1", m.semi) == "deliberation"

    for decision in confirmed["decision_ids"]:
        undone = await client.post(f"/api/decisions/{decision}/undo", json={"reason": "Retour à la notation"})
        assert undone.status_code == 200, undone.text
    back = await client.post(url, json={"to": "open", "reason": "Feuilles manquantes"})
    assert back.status_code == 200, back.text
    assert back.json() == {"round_id": m.semi, "previous": "deliberation", "status": "open"}
    assert await count(STATUS, m.c["verdure"], m.semi) == "pending"  # back in play


async def test_the_way_back_is_refused_to_another_contest_and_to_jurors(
    client, made_in_92, as_organiser, as_juror, stranger, count
):
    m = made_in_92
    url = f"/api/rounds/{m.semi}/status"
    assert (await client.post(url, json={"to": "open", "reason": "x"})).status_code == 401
    await as_organiser(stranger)
    assert (await client.post(url, json={"to": "open", "reason": "x"})).status_code == 403
    client.cookies.clear()
    await as_juror(m.edition, m.people["paul"])
    assert (await client.post(url, json={"to": "open", "reason": "x"})).status_code == 403
    assert await count("select status from rounds where id = $1", m.semi) == "deliberation"


async def test_the_way_back_without_a_reason_shows_the_confirmation_page_again(
    client, made_in_92, as_organiser, count
):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    response = await client.post(
        f"/organisation/rounds/{m.semi}/etat", data={"to": "open", "confirme": "oui", "reason": "  "}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert '<article class="error" role="alert">' in response.text
    assert "Ce qui va se passer" in response.text  # the consequences are still in view
    assert '<input id="reason" type="text" name="reason" required maxlength="2000">' in response.text
    assert await count("select status from rounds where id = $1", m.semi) == "deliberation"
