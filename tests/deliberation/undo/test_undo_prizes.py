"""Prizes with a way back, on the tasted Gâteau podium: a prize against the ranking needs a written reason
(and the procès-verbal prints both), a prize undone can be given again, and after the edition is decided
only the chair corrects, revoking the diploma already issued."""

from __future__ import annotations

import pytest
from tests.deliberation.minutes.test_minutes import pdf_text

from jury.db.queries import Database
from jury.diplomas.service import issue_diplomas

SLUG = "gateau-2023"


def podium(g, first: int, second: int, third: int, **extra) -> dict:
    return {
        "awards": [
            {"prize": "premier", "candidate_id": g.cakes[first]},
            {"prize": "deuxieme", "candidate_id": g.cakes[second]},
            {"prize": "troisieme", "candidate_id": g.cakes[third]},
        ],
        "round_id": g.tasting,
        "based_on": "Dégustation, méthode affine",
        **extra,
    }


async def decision_of(client, *, candidate_id: int, kind: str = "award") -> dict:
    response = await client.get(f"/api/editions/{SLUG}/decisions")
    assert response.status_code == 200, response.text
    [decision] = [
        d
        for d in response.json()
        if d["candidate_id"] == candidate_id and d["kind"] == kind and not d["undone_at"]
    ]
    return decision


async def test_a_podium_against_the_ranking_is_refused_without_a_reason(client, tasted, as_organiser, count):
    g = tasted
    await as_organiser("cma@exemple.fr")
    refused = await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 2, 1, 3))
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["reason"]
    assert errors[0]["message"] == (
        "L'Écrin : Contraire au classement : classé 2e pour la 1re place ; devant : Comptoir des Pipelettes (1er). "
        "Une décision contraire au classement ou au scrutin exige un motif écrit."
    )
    assert await count("select count(*) from awards") == 0
    assert await count("select count(*) from decisions") == 0

    # Following the ranking needs no reason.
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201


@pytest.mark.pdf
async def test_a_prize_against_the_ranking_carries_its_reason_into_the_proces_verbal(
    client, tasted, as_organiser
):
    g = tasted
    await as_organiser("cma@exemple.fr")
    reason = "Le n° 1 contient un ingrédient interdit par le règlement"
    given = await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 2, 3, 4, reason=reason))
    assert given.status_code == 201, given.text
    first = await decision_of(client, candidate_id=g.cakes[2])
    assert first["reason"] == reason
    assert first["departure"] == (
        "Contraire au classement : classé 2e pour la 1re place ; devant : Comptoir des Pipelettes (1er)."
    )
    fourth = await decision_of(client, candidate_id=g.cakes[4])
    assert fourth["departure"].startswith("Contraire au classement : classé 4e pour la 3e place ; devant : ")

    pv = await client.get(f"/organisation/rounds/{g.tasting}/panels/{g.panel}/proces-verbal.pdf")
    assert pv.status_code == 200, pv.text
    text = pdf_text(pv.content)
    assert f"{reason} Contraire au classement : classé 2e pour la 1re place" in text


async def test_a_prize_undone_can_be_given_again(client, tasted, as_organiser, count):
    g = tasted
    await as_organiser("cma@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201
    third = await decision_of(client, candidate_id=g.cakes[3])

    undone = await client.post(
        f"/api/decisions/{third['id']}/undo",
        json={"reason": "Erreur de saisie : le n° 3 et le n° 4 inversés"},
    )
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert (body["decision_id"], body["kind"], body["candidate_id"], body["revoked_diploma"]) == (
        third["id"],
        "award",
        g.cakes[3],
        None,
    )
    awards = (await client.get(f"/api/editions/{SLUG}/awards")).json()
    assert sorted(a["prize_code"] for a in awards) == ["deuxieme", "premier"]
    listed = {d["id"]: d for d in (await client.get(f"/api/editions/{SLUG}/decisions")).json()}
    assert listed[third["id"]]["undo_reason"] == "Erreur de saisie : le n° 3 et le n° 4 inversés"
    assert listed[third["id"]]["undone_at"] is not None
    status = "select status from candidate_rounds where candidate_id = $1 and round_id = $2"
    assert await count(status, g.cakes[3], g.tasting) == "pending"

    # The third place is free again: to the same cake, or (here) to another, with the reason it needs.
    again = await client.post(
        f"/api/editions/{SLUG}/awards",
        json={
            "awards": [{"prize": "troisieme", "candidate_id": g.cakes[3]}],
            "round_id": g.tasting,
            "based_on": "Dégustation, méthode affine",
        },
    )
    assert again.status_code == 201, again.text
    assert await count("select count(*) from awards where undone_at is null") == 3
    assert await count("select count(*) from awards") == 4


async def test_undo_is_refused_to_outsiders_and_without_a_reason(
    client, tasted, as_organiser, as_juror, stranger, count
):
    g = tasted
    await as_organiser("cma@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201
    first = await decision_of(client, candidate_id=g.cakes[1])
    url = f"/api/decisions/{first['id']}/undo"

    no_reason = await client.post(url, json={"reason": "  "})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    assert (await client.post("/api/decisions/999999/undo", json={"reason": "x"})).status_code == 404

    client.cookies.clear()
    assert (await client.post(url, json={"reason": "Erreur"})).status_code == 401
    await as_organiser(stranger)
    foreign = await client.post(url, json={"reason": "Erreur"})
    assert foreign.status_code == 403
    client.cookies.clear()
    await as_juror(g.edition, g.juror)
    assert (await client.post(url, json={"reason": "Erreur"})).status_code == 403
    client.cookies.clear()
    await as_juror(g.edition, g.chair)  # the chair corrects only once the edition is decided
    assert (await client.post(url, json={"reason": "Erreur"})).status_code == 403
    assert await count("select count(*) from decisions where undone_at is not null") == 0

    client.cookies.clear()
    await as_organiser("cma@exemple.fr")
    assert (await client.post(url, json={"reason": "Erreur"})).status_code == 200
    twice = await client.post(url, json={"reason": "Erreur"})
    assert twice.status_code == 409


async def test_after_the_decision_only_the_chair_corrects_and_the_diploma_is_revoked(
    db: Database, client, tasted, as_organiser, as_juror, count
):
    g = tasted
    await as_organiser("cma@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201
    await issue_diplomas(db, edition_id=g.edition)
    second = await decision_of(client, candidate_id=g.cakes[2])
    code = await count(
        "select d.verification_code from diplomas d join awards a on a.id = d.award_id where a.decision_id = $1",
        second["id"],
    )
    await db.conn.execute("update editions set status = 'decided' where id = $1", g.edition)
    url = f"/api/decisions/{second['id']}/undo"
    refused = await client.post(url, json={"reason": "Erreur de report"})
    assert refused.status_code == 409
    assert "seule la présidence du jury" in refused.json()["detail"]

    client.cookies.clear()
    await as_juror(g.edition, g.chair)
    corrected = await client.post(
        url,
        json={
            "reason": "Notes du n° 2 et du n° 4 inversées au report",
            "replacement_candidate_id": g.cakes[4],
        },
    )
    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert body["revoked_diploma"] == code
    assert len(body["replacement_diplomas"]) == 1

    verified = await client.get(f"/verifier/{code}")
    assert verified.status_code == 200
    assert (
        "révoqué" in verified.text
        and "Décision annulée : Notes du n° 2 et du n° 4 inversées au report"
        in (verified.text.replace("&#39;", "'"))
    )
    held = await count(
        "select a.candidate_id from awards a join prizes p on p.id = a.prize_id "
        "where p.code = 'deuxieme' and a.undone_at is null"
    )
    assert held == g.cakes[4]
    new_code = await count(
        "select verification_code from diplomas where id = $1", body["replacement_diplomas"][0]
    )
    assert (await client.get(f"/verifier/{new_code}")).status_code == 200
    actions = [
        r["action"]
        for r in await db.conn.fetch(
            "select action from audit_events where action in "
            "('deliberation.decision_undone', 'diploma.revoke', 'deliberation.decision_corrected', 'diploma.issue') "
            "order by id"
        )
    ]
    assert actions[-4:] == [
        "diploma.revoke",
        "deliberation.decision_undone",
        "deliberation.decision_corrected",
        "diploma.issue",
    ]


@pytest.mark.pdf
async def test_the_proces_verbal_lists_undone_decisions_with_who_and_why(client, tasted, as_organiser):
    g = tasted
    await as_organiser("cma@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201
    third = await decision_of(client, candidate_id=g.cakes[3])
    undone = await client.post(f"/api/decisions/{third['id']}/undo", json={"reason": "Place laissée vacante"})
    assert undone.status_code == 200
    text = pdf_text(
        (await client.get(f"/organisation/rounds/{g.tasting}/panels/{g.panel}/proces-verbal.pdf")).content
    )
    annulled = text.split("Décisions annulées", 1)[1]
    assert "Prix : 3e prix" in annulled and "Place laissée vacante" in annulled
    assert "Annulée le" in annulled


async def test_a_prize_against_the_ballot_it_follows_needs_a_reason(
    db: Database, client, made_in_92, as_organiser
):
    """The Prix spécial voted by the Nord panel: given to someone else than the ballot's winner, it needs a
    reason; to the winner, none."""
    m = made_in_92
    result = {"winners": [m.c["elles"]], "tiers": [[m.c["elles"]], [m.c["solaris"]]], "casting_vote": None}
    ballot = await db.conn.fetchval(
        "insert into ballots (round_id, panel_id, kind, title, status, candidates, closed_at, result) "
        "values ($1, $2, 'approval', 'Prix spécial', 'closed', $3, $4, $5) returning id",
        m.semi,
        m.nord,
        [m.c["elles"], m.c["solaris"]],
        db.now(),
        result,
    )
    await as_organiser("cci@exemple.fr")
    body = {
        "awards": [{"prize": "special", "candidate_id": m.c["solaris"]}],
        "round_id": m.semi,
        "ballot_id": ballot,
        "based_on": "Scrutin « Prix spécial »",
    }
    refused = await client.post(f"/api/editions/{m.slug}/awards", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {
            "field": "reason",
            "message": "Solaris : Contraire au scrutin « Prix spécial » : vainqueur(s) Elles & Co. "
            "Une décision contraire au classement ou au scrutin exige un motif écrit.",
        }
    ]
    given = await client.post(
        f"/api/editions/{m.slug}/awards", json={**body, "reason": "Vote annulé : quorum"}
    )
    assert given.status_code == 201, given.text
    other_round = await client.post(
        f"/api/editions/{m.slug}/awards",
        json={**body, "round_id": None, "awards": [{"prize": "feminin", "candidate_id": m.c["elles"]}]},
    )
    assert other_round.status_code == 422
    assert other_round.json()["errors"][0]["field"] == "ballot_id"


async def test_the_chair_corrects_from_the_tablet_once_the_edition_is_decided(
    db: Database, client, tasted, as_organiser, as_juror, count
):
    g = tasted
    await as_organiser("cma@exemple.fr")
    assert (await client.post(f"/api/editions/{SLUG}/awards", json=podium(g, 1, 2, 3))).status_code == 201
    third = await decision_of(client, candidate_id=g.cakes[3])
    assert (
        await client.get("/deliberation/corrections")
    ).status_code == 403  # organisers use the decisions page
    client.cookies.clear()

    await as_juror(g.edition, g.chair)
    before = await client.get("/deliberation/corrections")
    assert "Les corrections de la présidence s'ouvrent une fois l'édition décidée" in before.text.replace(
        "&#39;", "'"
    )
    await db.conn.execute("update editions set status = 'decided' where id = $1", g.edition)
    page = await client.get("/deliberation/corrections")
    assert page.status_code == 200 and f'action="/deliberation/corrections/{third["id"]}"' in page.text
    no_reason = await client.post(f"/deliberation/corrections/{third['id']}", data={"reason": ""})
    assert no_reason.status_code == 422 and "Indiquez par écrit pourquoi" in no_reason.text
    done = await client.post(
        f"/deliberation/corrections/{third['id']}",
        data={"reason": "Notes du n° 3 et du n° 4 inversées", "replacement_candidate_id": str(g.cakes[4])},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/deliberation/corrections?fait=1")
    held = (
        "select a.candidate_id from awards a join prizes p on p.id = a.prize_id "
        "where p.code = 'troisieme' and a.undone_at is null"
    )
    assert await count(held) == g.cakes[4]

    client.cookies.clear()
    await as_juror(g.edition, g.juror)  # not the chair: nothing to correct, nothing shown
    other = await client.get("/deliberation/corrections")
    assert "Aucun prix ni aucune subvention décidés dans un tour que vous présidez." in other.text
    refused = await client.post(f"/deliberation/corrections/{third['id']}", data={"reason": "x"})
    assert refused.status_code == 403
