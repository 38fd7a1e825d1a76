"""Prizes: Made in 92 category prizes and Prix spécial (exclusivity per edition), the Gâteau podium."""

from __future__ import annotations

import datetime as dt

from jury.french.dates import paris_day


async def _award(client, slug: str, *lines: tuple[str, int], **extra):
    return await client.post(
        f"/api/editions/{slug}/awards",
        json={"awards": [{"prize": p, "candidate_id": c} for p, c in lines], **extra},
    )


async def test_second_prize_refused_when_the_edition_forbids_it(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    first = await _award(
        client, m.slug, ("energie", m.c["solaris"]), reason="Vote du grand jury", decided_on="2025-07-08"
    )
    assert first.status_code == 201, first.text
    assert [(a["prize"], a["candidate"], a["decided_on"]) for a in first.json()] == [
        ("Prix de la transition énergétique", "Solaris", "2025-07-08")
    ]
    second = await _award(client, m.slug, ("special", m.c["solaris"]))
    assert second.status_code == 422
    assert second.json()["detail"] == "Attribution des prix refusée : rien n'a été enregistré."
    assert second.json()["errors"] == [
        {
            "field": "awards",
            "message": "Solaris ne peut pas recevoir plusieurs prix dans cette édition : "
            "Prix de la transition énergétique et Prix spécial Made in 92",
        }
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 1
    assert await db.conn.fetchval("select count(*) from decisions") == 1
    decision = await db.conn.fetchrow("select kind, reason, decided_by from decisions")
    assert (decision["kind"], decision["reason"]) == ("award", "Vote du grand jury")
    assert (
        await db.conn.fetchval(
            "select count(*) from audit_events where action = 'deliberation.award_granted'"
        )
        == 1
    )


async def test_second_prize_accepted_when_the_edition_allows_it(client, db, made_in_92, as_organiser):
    m = made_in_92
    await db.conn.execute("update editions set allow_multiple_prizes = true where id = $1", m.edition)
    await as_organiser("cci@exemple.fr")
    assert (await _award(client, m.slug, ("energie", m.c["solaris"]))).status_code == 201
    second = await _award(client, m.slug, ("special", m.c["solaris"]))
    assert second.status_code == 201
    assert [a["prize"] for a in second.json()] == [
        "Prix de la transition énergétique",
        "Prix spécial Made in 92",
    ]
    today = paris_day(db.now())  # the app's clock, the tests' fixed one, not the database server's
    assert await db.conn.fetchval("select array_agg(distinct decided_on) from awards") == [today]


async def test_one_winner_per_prize_and_category_prizes_stay_in_their_category(
    client, db, made_in_92, as_organiser
):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    response = await _award(
        client,
        m.slug,
        ("feminin", m.c["solaris"]),
        ("special", m.c["elles"]),
        ("special", m.c["ondine"]),
        ("inexistant", m.c["kiosque"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "awards[0]",
            "message": "Solaris ne concourt pas dans la catégorie du « Prix de l'entrepreneuriat au féminin ».",
        },
        {"field": "awards[3].prize", "message": "Prix inconnu : « inexistant »."},
    ]
    response = await _award(client, m.slug, ("special", m.c["elles"]), ("special", m.c["ondine"]))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "awards[1]",  # the line that would share the prize: no ex aequo for it
            "message": "Prix attribué plusieurs fois : Prix spécial Made in 92 (Elles & Co et Ondine)",
        }
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 0


async def test_final_award_sheet_in_one_go_marks_the_laureates(client, db, made_in_92, as_organiser):
    m = made_in_92
    await db.conn.execute("update rounds set status = 'closed' where id = $1", m.semi)
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", m.final)
    for key in ("solaris", "elles", "kiosque"):
        await db.conn.execute(
            "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", m.c[key], m.final
        )
    await as_organiser("cci@exemple.fr")
    response = await _award(
        client,
        m.slug,
        ("energie", m.c["solaris"]),
        ("feminin", m.c["elles"]),
        ("special", m.c["kiosque"]),
        round_id=m.final,
        based_on="Scrutin n° 3 (Schulze)",
    )
    assert response.status_code == 201
    statuses = await db.conn.fetch(
        "select candidate_id, status, reason from candidate_rounds where round_id = $1 order by candidate_id",
        m.final,
    )
    assert [tuple(r) for r in statuses] == sorted(
        [
            (m.c["solaris"], "laureate", "Prix de la transition énergétique"),
            (m.c["elles"], "laureate", "Prix de l'entrepreneuriat au féminin"),
            (m.c["kiosque"], "laureate", "Prix spécial Made in 92"),
        ]
    )
    assert await db.conn.fetchval("select array_agg(distinct based_on) from decisions") == [
        "Scrutin n° 3 (Schulze)"
    ]


async def test_gateau_podium(client, db, gateau, as_organiser):
    g = gateau
    await as_organiser("cma@exemple.fr")
    wrong = await _award(client, g.slug, ("premier", g.cakes[3]), ("deuxieme", g.cakes[3]))
    assert wrong.status_code == 422
    assert [e["message"] for e in wrong.json()["errors"]] == [
        "3e prix non attribué",
        "Entrée 3 classée plusieurs fois : 1er prix et 2e prix",
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 0

    podium = await _award(
        client,
        g.slug,
        ("premier", g.cakes[3]),
        ("deuxieme", g.cakes[1]),
        ("troisieme", g.cakes[4]),
        decided_on="2025-12-05",
        reason="Délibération du jury présidé par Stéphane Glacier",
    )
    assert podium.status_code == 201
    assert [(a["prize"], a["place"], a["candidate"], a["decided_on"]) for a in podium.json()] == [
        ("1er prix", 1, "Le Miel de Greg", "2025-12-05"),
        ("2e prix", 2, "Comptoir des Pipelettes", "2025-12-05"),
        ("3e prix", 3, "Chez Madeleine", "2025-12-05"),
    ]
    rows = await db.conn.fetch(
        "select a.candidate_id, a.decided_on, d.kind from awards a join decisions d on d.id = a.decision_id order by a.id"
    )
    assert [tuple(r) for r in rows] == [
        (g.cakes[3], dt.date(2025, 12, 5), "award"),
        (g.cakes[1], dt.date(2025, 12, 5), "award"),
        (g.cakes[4], dt.date(2025, 12, 5), "award"),
    ]


async def test_podium_with_a_vacant_place_only_when_the_jury_says_so(client, db, gateau, as_organiser):
    g = gateau
    await as_organiser("cma@exemple.fr")
    refused = await _award(client, g.slug, ("premier", g.cakes[2]), ("deuxieme", g.cakes[4]))
    assert [e["message"] for e in refused.json()["errors"]] == ["3e prix non attribué"]
    accepted = await _award(
        client, g.slug, ("premier", g.cakes[2]), ("deuxieme", g.cakes[4]), allow_vacant=True
    )
    assert accepted.status_code == 201
    assert await db.conn.fetchval("select count(*) from awards") == 2


async def test_organiser_of_another_contest_cannot_award_or_list(
    client, db, made_in_92, gateau, as_organiser
):
    m = made_in_92
    await as_organiser("cma@exemple.fr")
    refused = await _award(client, m.slug, ("energie", m.c["solaris"]))
    assert refused.status_code == 403
    listed = await client.get(f"/api/editions/{m.slug}/awards")
    assert listed.status_code == 403 and "Solaris" not in listed.text
    page = await client.get(f"/organisation/editions/{m.slug}/decisions", headers={"accept": "text/html"})
    assert page.status_code == 403 and "Solaris" not in page.text
    assert await db.conn.fetchval("select count(*) from awards") == 0


async def test_award_through_the_decisions_page(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    ok = await client.post(
        f"/organisation/editions/{m.slug}/decisions/prix",
        data={"prix-energie": str(m.c["verdure"]), "prix-special": "", "reason": "Unanimité"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    refused = await client.post(
        f"/organisation/editions/{m.slug}/decisions/prix",
        data={"prix-special": str(m.c["verdure"]), "prix-feminin": ""},
    )
    assert refused.status_code == 422
    assert "Verdure ne peut pas recevoir plusieurs prix dans cette édition" in refused.text
    assert await db.conn.fetchval("select count(*) from awards") == 1


async def test_podium_through_the_decisions_page(client, db, gateau, as_organiser):
    g = gateau
    await as_organiser("cma@exemple.fr")
    page = await client.get(f"/organisation/editions/{g.slug}/decisions")
    assert [f'name="prix-{code}"' in page.text for code in ("premier", "deuxieme", "troisieme")] == [True] * 3
    response = await client.post(
        f"/organisation/editions/{g.slug}/decisions/prix",
        data={
            "prix-premier": str(g.cakes[2]),
            "prix-deuxieme": str(g.cakes[4]),
            "prix-troisieme": str(g.cakes[1]),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    rows = await db.conn.fetch(
        "select p.place, a.candidate_id from awards a join prizes p on p.id = a.prize_id"
    )
    assert sorted(tuple(r) for r in rows) == [(1, g.cakes[2]), (2, g.cakes[4]), (3, g.cakes[1])]
    page = await client.get(f"/organisation/editions/{g.slug}/decisions")
    assert 'name="prix-premier"' not in page.text and "L&#39;Écrin" in page.text
