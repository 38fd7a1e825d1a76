"""Grants with a way back, on the scored Progr'ESS committee (ranking: Ludothèque, Café des aidants, Profit
SAS, Vélo-école, …): a grant that skips better-ranked projects needs a reason, and an undone grant gives its
amount back to the budget."""

from __future__ import annotations

SLUG = "progress-2024"


async def test_funding_a_project_ranked_below_unfunded_ones_needs_a_reason(
    client, scored, as_organiser, count
):
    p = scored
    await as_organiser("dep@exemple.fr")
    body = {
        "grants": [{"candidate_id": p.c["Vélo-école"], "granted_eur": 15000}],
        "based_on": "comité · sha256:aa",
    }
    refused = await client.post(f"/api/editions/{SLUG}/grants", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {
            "field": "reason",
            "message": "Vélo-école : Contraire au classement : classé 4e, financé avant Ludothèque (1er), "
            "Café des aidants (2e), non retenu(s). Une décision contraire au classement exige un motif écrit.",
        }
    ]
    assert await count("select count(*) from awards") == 0

    given = await client.post(
        f"/api/editions/{SLUG}/grants", json={**body, "reason": "Projets déjà financés par la Région"}
    )
    assert given.status_code == 201, given.text
    [decision] = [
        d for d in (await client.get(f"/api/editions/{SLUG}/decisions")).json() if d["kind"] == "laureate"
    ]
    assert decision["departure"].startswith(
        "Contraire au classement : classé 4e, financé avant Ludothèque (1er)"
    )


async def test_an_undone_grant_gives_its_amount_back_to_the_budget(client, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    given = await client.post(
        f"/api/editions/{SLUG}/grants",
        json={
            "grants": [{"candidate_id": p.c["Ludothèque"], "granted_eur": 15000}],
            "based_on": "comité · sha256:aa",
        },
    )
    assert given.status_code == 201, given.text
    proposal = (await client.get(f"/api/editions/{SLUG}/grants/proposal")).json()
    assert proposal["already_granted_eur"] == 15000
    [decision] = [
        d for d in (await client.get(f"/api/editions/{SLUG}/decisions")).json() if d["kind"] == "laureate"
    ]

    undone = await client.post(
        f"/api/decisions/{decision['id']}/undo", json={"reason": "Montant saisi sur le mauvais projet"}
    )
    assert undone.status_code == 200, undone.text
    proposal = (await client.get(f"/api/editions/{SLUG}/grants/proposal")).json()
    assert proposal["already_granted_eur"] == 0
    assert [line["candidate"] for line in proposal["lines"]][:2] == ["Ludothèque", "Café des aidants"]
    assert proposal["lines"][0]["proposed_eur"] == 15000
