"""Ballots: Schulze and approval counts, conflicts, one vote per juror, the chair's casting vote."""

from __future__ import annotations

NARROW = "\u202f"


async def _open(client, m, *, kind: str, keys: list[str], title: str = "Finalistes du Nord") -> dict:
    response = await client.post(
        f"/api/rounds/{m.semi}/ballots",
        json={"panel_id": m.nord, "kind": kind, "title": title, "candidate_ids": [m.c[k] for k in keys]},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _vote(client, ballot_id: int, **body):
    return await client.post(f"/api/ballots/{ballot_id}/votes", json=body)


async def test_schulze_ballot_of_a_small_panel(client, made_in_92, as_juror, as_organiser, count):
    m = made_in_92
    s, v, e = m.c["solaris"], m.c["verdure"], m.c["elles"]
    await as_juror(m.edition, m.people["nadia"])
    ballot = await _open(client, m, kind="ranked", keys=["solaris", "verdure", "elles"])
    assert (await _vote(client, ballot["id"], tiers=[[s], [e], [v]])).status_code == 200
    await as_juror(m.edition, m.people["lea"])
    assert (await _vote(client, ballot["id"], tiers=[[v], [s], [e]])).status_code == 200
    await as_juror(m.edition, m.people["hugo"])
    assert (await _vote(client, ballot["id"], tiers=[[s], [v], [e]])).status_code == 200

    await as_juror(m.edition, m.people["paul"])  # conflicted with Verdure
    refused = await _vote(client, ballot["id"], tiers=[[s, v], [e]])
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Vous vous êtes déporté pour ce candidat : vous ne pouvez pas voter à son sujet (Verdure)."
    )
    seen = await client.get(f"/api/ballots/{ballot['id']}")
    assert [c["label"] for c in seen.json()["candidates"]] == ["Solaris", "Elles & Co"]
    assert "Verdure" not in seen.text
    accepted = await _vote(client, ballot["id"], tiers=[[s], [e]])
    assert accepted.status_code == 200
    assert accepted.json()["my_vote"] == {"approved": None, "tiers": [[s], [e]]}

    await as_juror(m.edition, m.people["nadia"])
    closed = await client.post(f"/api/ballots/{ballot['id']}/close", json={})
    assert closed.status_code == 200
    result = closed.json()["result"]
    assert result["method"] == "schulze"
    assert result["votes"] == 4
    assert result["winners"] == [s]
    assert result["tiers"] == [[s], [v], [e]]
    assert result["order"] == [[s], [v], [e]]
    assert result["unresolved"] == []
    assert result["pairwise"] is None and result["excluded"] is None  # matrices are for organisers

    await as_organiser("cci@exemple.fr")
    organiser_view = (await client.get(f"/api/ballots/{ballot['id']}")).json()["result"]
    assert organiser_view["pairwise"] == {
        str(s): {str(v): 2, str(e): 4},
        str(v): {str(s): 1, str(e): 2},
        str(e): {str(s): 0, str(v): 1},
    }
    assert organiser_view["excluded"] == [{"juror": "Paul Juré", "candidate": "Verdure"}]

    await as_juror(m.edition, m.people["paul"])
    paul_view = (await client.get(f"/api/ballots/{ballot['id']}")).json()["result"]
    assert paul_view["tiers"] == [[s], [e]] and paul_view["winners"] == [s]
    stored = await count(
        "select result->'tiers' = $2::jsonb from ballots where id = $1", ballot["id"], [[s], [v], [e]]
    )
    assert stored is True
    assert await count("select count(*) from audit_events where action = 'deliberation.vote_cast'") == 4
    assert await count("select count(*) from audit_events where action = 'deliberation.ballot_closed'") == 1


async def test_a_vote_is_replaced_until_the_ballot_closes(client, made_in_92, as_juror, count):
    m = made_in_92
    await as_juror(m.edition, m.people["nadia"])
    ballot = await _open(client, m, kind="approval", keys=["solaris", "elles", "batiment"])
    await as_juror(m.edition, m.people["hugo"])
    await _vote(client, ballot["id"], approved=[m.c["solaris"]])
    second = await _vote(client, ballot["id"], approved=[m.c["elles"], m.c["batiment"]])
    assert second.json()["my_vote"]["approved"] == sorted([m.c["elles"], m.c["batiment"]])
    assert second.json()["votes_cast"] == 1 and second.json()["voters"] == 4
    assert await count("select count(*) from ballot_votes where ballot_id = $1", ballot["id"]) == 1

    await as_juror(m.edition, m.people["nadia"])
    await client.post(f"/api/ballots/{ballot['id']}/close", json={})
    await as_juror(m.edition, m.people["hugo"])
    late = await _vote(client, ballot["id"], approved=[m.c["solaris"]])
    assert late.status_code == 409
    assert late.json()["detail"] == "Ce scrutin est clos : il n'est plus possible de voter."
    payload = await count("select payload from ballot_votes where ballot_id = $1", ballot["id"])
    assert payload == {"approved": sorted([m.c["elles"], m.c["batiment"]])}


async def test_conflicted_approval_is_refused_and_ignored_if_declared_later(
    client, made_in_92, as_juror, count
):
    m = made_in_92
    s, v = m.c["solaris"], m.c["verdure"]
    await as_juror(m.edition, m.people["nadia"])
    ballot = await _open(client, m, kind="approval", keys=["solaris", "verdure"])
    await as_juror(m.edition, m.people["paul"])
    refused = await _vote(client, ballot["id"], approved=[s, v])
    assert refused.status_code == 403
    await as_juror(m.edition, m.people["hugo"])
    await _vote(client, ballot["id"], approved=[v])
    # Hugo declares a conflict with Verdure after voting: his approval must not count.
    await count(
        "insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason) "
        "values ($1, $2, $3, true, 'Ancien collègue')",
        m.semi,
        m.people["hugo"],
        v,
    )
    await as_juror(m.edition, m.people["lea"])
    await _vote(client, ballot["id"], approved=[s])
    await as_juror(m.edition, m.people["nadia"])
    result = (await client.post(f"/api/ballots/{ballot['id']}/close", json={})).json()["result"]
    assert result["counts"] == {str(s): 1, str(v): 0}
    assert result["order"] == [[s], [v]]


async def test_chair_casting_vote_settles_an_approval_tie_and_is_recorded(
    client, made_in_92, as_juror, count
):
    m = made_in_92
    s, e = m.c["solaris"], m.c["elles"]
    await as_juror(m.edition, m.people["nadia"])
    ballot = await _open(client, m, kind="approval", keys=["solaris", "elles"], title="Coup de cœur")
    await _vote(client, ballot["id"], approved=[s])
    await as_juror(m.edition, m.people["lea"])
    await _vote(client, ballot["id"], approved=[e])
    await as_juror(m.edition, m.people["nadia"])
    result = (await client.post(f"/api/ballots/{ballot['id']}/close", json={})).json()["result"]
    assert result["counts"] == {str(s): 1, str(e): 1}
    assert result["order"] == [sorted([s, e])]
    assert result["unresolved"] == [sorted([s, e])]
    assert result["notes"] == [
        "Score calibré indisponible (classement non encore établi) : règle « score calibré » non appliquée.",
        "Égalité non résolue entre Elles & Co et Solaris : voix prépondérante du président du jury non exprimée",
    ]

    await as_juror(m.edition, m.people["lea"])
    not_chair = await client.post(f"/api/ballots/{ballot['id']}/casting-vote", json={"order": [e, s]})
    assert not_chair.status_code == 403
    assert not_chair.json()["detail"] == "Seule la présidence du jury dispose de la voix prépondérante."

    await as_juror(m.edition, m.people["nadia"])
    incomplete = await client.post(
        f"/api/ballots/{ballot['id']}/casting-vote", json={"order": [e, m.c["verdure"]]}
    )
    assert incomplete.status_code == 422
    cast = await client.post(
        f"/api/ballots/{ballot['id']}/casting-vote", json={"order": [e, s], "reason": "Impact social"}
    )
    assert cast.status_code == 200
    settled = cast.json()["result"]
    assert settled["order"] == [[e], [s]]
    assert settled["unresolved"] == []
    assert settled["separations"] == [
        {
            "above": [e],
            "below": [s],
            "rule": "chair",
            "reason": "Elles & Co devant Solaris : voix prépondérante du président du jury",
        }
    ]
    assert settled["casting_vote"]["order"] == [e, s] and settled["casting_vote"]["reason"] == "Impact social"
    row = await count("select chair_order from ballot_casting_votes where ballot_id = $1", ballot["id"])
    assert row == [e, s]
    assert await count("select count(*) from audit_events where action = 'deliberation.casting_vote'") == 1
    again = await client.post(f"/api/ballots/{ballot['id']}/casting-vote", json={"order": [s, e]})
    assert again.status_code == 409


async def test_calibrated_scores_given_at_closing_break_the_tie_before_the_chair(
    client, made_in_92, as_juror
):
    m = made_in_92
    s, e = m.c["solaris"], m.c["elles"]
    await as_juror(m.edition, m.people["nadia"])
    ballot = await _open(client, m, kind="approval", keys=["solaris", "elles"])
    await _vote(client, ballot["id"], approved=[s, e])
    result = (
        await client.post(
            f"/api/ballots/{ballot['id']}/close", json={"calibrated": {str(s): 15.2, str(e): 14.9}}
        )
    ).json()["result"]
    assert result["order"] == [[s], [e]]
    assert (
        result["separations"][0]["reason"] == "Solaris devant Elles & Co : score calibré 15,20 contre 14,90"
    )
    assert result["notes"] == []
    no_tie = await client.post(f"/api/ballots/{ballot['id']}/casting-vote", json={"order": [e, s]})
    assert no_tie.status_code == 409
    assert no_tie.json()["detail"] == "Aucune égalité à départager dans ce scrutin."


async def test_who_may_open_and_close_ballots(client, made_in_92, stranger, as_juror, as_organiser, count):
    m = made_in_92
    await as_juror(m.edition, m.people["hugo"])
    body = {
        "panel_id": m.nord,
        "kind": "approval",
        "title": "Essai",
        "candidate_ids": [m.c["solaris"], m.c["elles"]],
    }
    juror = await client.post(f"/api/rounds/{m.semi}/ballots", json=body)
    assert juror.status_code == 403

    await as_juror(m.edition, m.people["sophie"])  # chairs Sud, not Nord
    other_chair = await client.post(f"/api/rounds/{m.semi}/ballots", json=body)
    assert other_chair.status_code == 403
    assert other_chair.json()["detail"] == "Vous ne siégez pas dans ce jury."
    sud_candidate = await client.post(
        f"/api/rounds/{m.semi}/ballots",
        json={**body, "panel_id": m.sud, "candidate_ids": [m.c["ondine"], m.c["solaris"]]},
    )
    assert sud_candidate.status_code == 422
    assert sud_candidate.json()["errors"] == [
        {"field": "candidate_ids[1]", "message": f"Candidat n° {m.c['solaris']} absent de ce jury."}
    ]

    await as_organiser(stranger)
    assert (await client.post(f"/api/rounds/{m.semi}/ballots", json=body)).status_code == 403

    await as_organiser("cci@exemple.fr")
    opened = await client.post(f"/api/rounds/{m.semi}/ballots", json=body)
    assert opened.status_code == 201
    ballot_id = opened.json()["id"]
    assert (
        await _vote(client, ballot_id, approved=[m.c["solaris"]])
    ).status_code == 403  # organisers don't vote

    await as_juror(m.edition, m.people["marc"])
    peek = await client.get(f"/api/ballots/{ballot_id}")
    assert peek.status_code == 403
    assert "Solaris" not in peek.text and "Elles" not in peek.text
    listed = await client.get(f"/api/rounds/{m.semi}/ballots")
    assert listed.status_code == 200 and listed.json() == []
    assert (await _vote(client, ballot_id, approved=[m.c["solaris"]])).status_code == 403

    await as_organiser(stranger)
    assert (await client.get(f"/api/ballots/{ballot_id}")).status_code == 403
    assert await count("select count(*) from ballots") == 1


async def test_no_ballot_before_the_deliberation(client, made_in_92, as_juror, count):
    m = made_in_92
    await count("update rounds set status = 'open' where id = $1", m.semi)
    await as_juror(m.edition, m.people["nadia"])
    response = await client.post(
        f"/api/rounds/{m.semi}/ballots",
        json={
            "panel_id": m.nord,
            "kind": "ranked",
            "title": "Trop tôt",
            "candidate_ids": [m.c["solaris"], m.c["elles"]],
        },
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Les scrutins ne sont possibles que pendant la délibération ; état du tour : notation."
    )
    assert await count("select count(*) from ballots") == 0


async def test_voting_through_the_panel_page(client, made_in_92, as_juror, count):
    m = made_in_92
    s, e, b = m.c["solaris"], m.c["elles"], m.c["batiment"]
    await as_juror(m.edition, m.people["nadia"])
    opened = await client.post(
        f"/deliberation/{m.nord}/scrutins",
        data={"kind": "ranked", "title": "Classement final", "candidate_ids": [str(s), str(e), str(b)]},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    ballot_id = await count("select id from ballots where title = 'Classement final'")
    voted = await client.post(
        f"/deliberation/scrutins/{ballot_id}/vote",
        data={"kind": "ranked", f"rang-{s}": "2", f"rang-{e}": "1", f"rang-{b}": "2"},
        follow_redirects=False,
    )
    assert voted.status_code == 303
    assert voted.headers["location"] == f"/deliberation/{m.nord}#scrutin-{ballot_id}"
    assert await count("select payload from ballot_votes where ballot_id = $1", ballot_id) == {
        "tiers": [[e], sorted([s, b])]
    }
    page = await client.get(f"/deliberation/{m.nord}")
    assert page.status_code == 200 and "Classement final" in page.text and "Modifier mon vote" in page.text
    closed = await client.post(f"/deliberation/scrutins/{ballot_id}/cloture", follow_redirects=False)
    assert closed.status_code == 303
    page = await client.get(f"/deliberation/{m.nord}")
    assert "Résultats" in page.text and "voix prépondérante" in page.text.lower()
    assert "<script" not in page.text and "style=" not in page.text
