"""Prizes held by several candidates, through HTTP: a label and a cohort (up to `max_winners`, no amount),
ex aequo on a prize of one place only where the prize allows it; each refusal names its line, writes nothing."""

from __future__ import annotations

MADE_IN_92_PRIZES = [
    {
        "code": "energie",
        "name": "Prix de la transition énergétique",
        "kind": "category",
        "category": "energie",
    },
    {
        "code": "feminin",
        "name": "Prix de l'entrepreneuriat au féminin",
        "kind": "category",
        "category": "feminin",
    },
    {"code": "special", "name": "Prix spécial Made in 92", "kind": "special"},
]


async def _award(client, slug: str, *lines: tuple[str, int], **extra):
    return await client.post(
        f"/api/editions/{slug}/awards",
        json={"awards": [{"prize": p, "candidate_id": c} for p, c in lines], **extra},
    )


async def _prizes(client, slug: str, prizes: list[dict], **extra) -> None:
    response = await client.put(f"/api/editions/{slug}/prizes", json={"prizes": prizes, **extra})
    assert response.status_code == 200, response.text


async def test_ex_aequo_is_refused_naming_the_line_where_the_prize_forbids_it(
    client, db, made_in_92, as_organiser
):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    first = await _award(client, m.slug, ("special", m.c["elles"]))
    assert first.status_code == 201
    refused = await _award(client, m.slug, ("feminin", m.c["ondine"]), ("special", m.c["kiosque"]))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "awards[1]",
            "message": "Prix attribué plusieurs fois : Prix spécial Made in 92 (Elles & Co et Kiosque)",
        }
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 1


async def test_ex_aequo_is_accepted_where_the_prize_allows_it(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    await _prizes(
        client,
        m.slug,
        [*MADE_IN_92_PRIZES[:2], {**MADE_IN_92_PRIZES[2], "ex_aequo_allowed": True}],
    )
    shared = await _award(
        client,
        m.slug,
        ("special", m.c["elles"]),
        ("special", m.c["kiosque"]),
        reason="Ex aequo : le grand jury n'a pu les départager.",
    )
    assert shared.status_code == 201, shared.text
    assert [(a["prize"], a["candidate"], a["granted_eur"]) for a in shared.json()] == [
        ("Prix spécial Made in 92", "Elles & Co", None),
        ("Prix spécial Made in 92", "Kiosque", None),
    ]
    # The exclusivity rule still holds: Elles & Co cannot take a category prize besides.
    again = await _award(client, m.slug, ("feminin", m.c["elles"]))
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {
            "field": "awards",
            "message": "Elles & Co ne peut pas recevoir plusieurs prix dans cette édition : "
            "Prix de l'entrepreneuriat au féminin et Prix spécial Made in 92",
        }
    ]
    twice = await _award(client, m.slug, ("special", m.c["kiosque"]))
    assert twice.json()["errors"] == [
        {"field": "awards[0]", "message": "Kiosque a déjà reçu ce prix : « Prix spécial Made in 92 »."}
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 2


async def test_a_podium_place_shared_ex_aequo_only_where_allowed(client, db, gateau, as_organiser):
    g = gateau
    await as_organiser("cma@exemple.fr")
    tie = (("premier", g.cakes[3]), ("premier", g.cakes[1]), ("troisieme", g.cakes[4]))
    refused = await _award(client, g.slug, *tie, allow_vacant=True)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "awards[1]", "message": "1er prix attribué plusieurs fois : entrées 3 et 1"}
    ]
    await _prizes(
        client,
        g.slug,
        [
            {"code": "premier", "name": "1er prix", "kind": "podium", "place": 1, "ex_aequo_allowed": True},
            {"code": "deuxieme", "name": "2e prix", "kind": "podium", "place": 2},
            {"code": "troisieme", "name": "3e prix", "kind": "podium", "place": 3},
        ],
    )
    accepted = await _award(client, g.slug, *tie, allow_vacant=True)
    assert accepted.status_code == 201, accepted.text
    assert [(a["place"], a["candidate"]) for a in accepted.json()] == [
        (1, "Le Miel de Greg"),
        (1, "Comptoir des Pipelettes"),
        (3, "Chez Madeleine"),
    ]


async def test_a_label_goes_to_every_artisan_the_jury_names(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    await _prizes(client, m.slug, [{"code": "label", "name": "Label Made in 92", "kind": "label"}])
    names = ("solaris", "verdure", "elles", "batiment", "ondine")
    labelled = await _award(
        client,
        m.slug,
        *(("label", m.c[k]) for k in names),
        reason="Au moins 70 points sur 100.",
        decided_on="2025-07-08",
    )
    assert labelled.status_code == 201, labelled.text
    assert [
        (a["prize_kind"], a["candidate"], a["granted_eur"], a["decided_on"]) for a in labelled.json()
    ] == [
        ("label", name, None, "2025-07-08")
        for name in ("Solaris", "Verdure", "Elles & Co", "Bâtiment Vert", "Ondine")
    ]
    later = await _award(client, m.slug, ("label", m.c["kiosque"]))
    assert later.status_code == 201
    decisions = await client.get(f"/api/editions/{m.slug}/decisions")
    assert [(d["kind"], d["prize"], d["granted_eur"]) for d in decisions.json()] == [
        ("award", "Label Made in 92", None)
    ] * 6
    events = await db.conn.fetchval(
        "select count(*) from audit_events where action = 'deliberation.award_granted'"
    )
    assert events == 6


async def test_a_cohort_holds_up_to_its_places_and_one_more_is_refused(client, db, made_in_92, as_organiser):
    m = made_in_92
    await as_organiser("cci@exemple.fr")
    await _prizes(
        client, m.slug, [{"code": "promotion", "name": "Promotion 2025", "kind": "cohort", "max_winners": 3}]
    )
    too_many = await _award(
        client, m.slug, *(("promotion", m.c[k]) for k in ("solaris", "elles", "ondine", "kiosque"))
    )
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [
        {
            "field": "awards[3]",
            "message": "Promotion 2025 : au plus 3 lauréat(s), 4 désigné(s) (Solaris, Elles & Co, Ondine et Kiosque)",
        }
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 0
    three = await _award(client, m.slug, *(("promotion", m.c[k]) for k in ("solaris", "elles", "ondine")))
    assert three.status_code == 201, three.text
    assert len(three.json()) == 3
    one_more = await _award(client, m.slug, ("promotion", m.c["kiosque"]))
    assert one_more.status_code == 422
    assert one_more.json()["errors"] == [
        {
            "field": "awards[0]",
            "message": "Promotion 2025 : au plus 3 lauréat(s), 4 désigné(s) (Solaris, Elles & Co, Ondine et Kiosque)",
        }
    ]
    named_twice = await _award(client, m.slug, ("promotion", m.c["solaris"]))
    assert named_twice.json()["errors"] == [
        {"field": "awards[0]", "message": "Solaris a déjà reçu ce prix : « Promotion 2025 »."}
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 3


async def test_laureates_of_a_call_for_projects_still_come_with_their_grants(
    client, db, progress, as_organiser
):
    p = progress
    await as_organiser("dep@exemple.fr")
    refused = await _award(client, p.slug, ("laureat", p.c["Repair Café Nanterre"]))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "awards[0].prize",
            "message": "« Lauréat Progr'ESS » s'attribue avec la répartition des subventions.",
        }
    ]
