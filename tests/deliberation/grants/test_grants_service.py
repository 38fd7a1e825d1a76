"""Progr'ESS grants: eligibility, the proposed split of the budget, and the committee's amounts."""

from __future__ import annotations

BASED_ON = "grille /100 · sha256:77e1"


def plain(text: str) -> str:
    """French amounts use narrow no-break spaces; compare them with ordinary ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


async def _grant(client, slug: str, *, amounts: dict[int, int], **extra):
    return await client.post(
        f"/api/editions/{slug}/grants",
        json={
            "grants": [{"candidate_id": c, "granted_eur": a} for c, a in amounts.items()],
            "based_on": BASED_ON,
            **extra,
        },
    )


async def test_default_proposal_follows_the_committee_ranking_down_the_budget(client, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    response = await client.get(f"/api/editions/{p.slug}/grants/proposal")
    assert response.status_code == 200
    body = response.json()
    assert (body["round_id"], body["round_name"]) == (p.committee, "Comité de sélection")
    assert (body["budget_eur"], body["max_grant_eur"], body["proposed_total_eur"], body["remaining_eur"]) == (
        100000,
        15000,
        87000,
        13000,
    )
    # The marks' order (19 … 11), not the order of the applications (Repair Café first, ranked 8th).
    assert [(line["candidate"], line["status"], line["proposed_eur"]) for line in body["lines"]] == [
        ("Ludothèque", "full", 15000),
        ("Café des aidants", "full", 15000),
        ("Profit SAS", "ineligible", 0),
        ("Vélo-école", "full", 15000),
        ("Jardins partagés de Boulogne", "full", 12000),
        ("Coop d'Argenteuil", "ineligible", 0),
        ("Épicerie solidaire", "full", 15000),
        ("Repair Café Nanterre", "full", 15000),
        ("Ressourcerie", "unfunded", 0),
    ]
    assert (
        body
        == (
            await client.get(f"/api/editions/{p.slug}/grants/proposal", params={"round_id": p.committee})
        ).json()
    )
    by_name = {line["candidate"]: line for line in body["lines"]}
    assert by_name["Coop d'Argenteuil"]["failures"] == ["Siège hors des Hauts-de-Seine : code INSEE 95018"]
    assert by_name["Profit SAS"]["failures"] == [
        "Forme juridique non éligible pour cette édition : « SAS » (formes admises : Association, Structure agréée ESUS)"
    ]
    assert plain(by_name["Ressourcerie"]["note"]) == (
        "Non financé : la demande (15 000 €) dépasse le reliquat du budget (13 000 €) "
        "et l'édition n'admet pas de financement partiel"
    )

    ordered = await client.get(
        f"/api/editions/{p.slug}/grants/proposal",
        params={"order": [p.c["Ludothèque"], p.c["Jardins partagés de Boulogne"]], "min_partial": 5000},
    )
    assert [(line["candidate"], line["proposed_eur"]) for line in ordered.json()["lines"]] == [
        ("Ludothèque", 15000),
        ("Jardins partagés de Boulogne", 12000),
    ]


async def test_ineligible_legal_form_is_refused(client, db, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    response = await _grant(client, p.slug, amounts={p.c["Profit SAS"]: 10000})
    assert response.status_code == 422
    assert response.json()["detail"] == "Répartition des subventions refusée : rien n'a été enregistré."
    assert response.json()["errors"] == [
        {
            "field": "grants[0]",
            "message": "Profit SAS : Forme juridique non éligible pour cette édition : « SAS » "
            "(formes admises : Association, Structure agréée ESUS)",
        }
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 0


async def test_allocation_within_the_budget_is_recorded(client, db, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    amounts = {
        p.c["Repair Café Nanterre"]: 15000,
        p.c["Jardins partagés de Boulogne"]: 10000,
        p.c["Vélo-école"]: 0,
    }
    response = await _grant(client, p.slug, amounts=amounts, round_id=p.committee, reason="Comité du 12 mars")
    assert response.status_code == 201, response.text
    assert [(a["candidate"], a["granted_eur"], a["prize_code"]) for a in response.json()] == [
        ("Repair Café Nanterre", 15000, "laureat"),
        ("Jardins partagés de Boulogne", 10000, "laureat"),
    ]
    rows = await db.conn.fetch(
        "select a.candidate_id, a.granted_eur, d.kind, d.based_on, d.reason from awards a "
        "join decisions d on d.id = a.decision_id order by a.id"
    )
    assert [tuple(r) for r in rows] == [
        (p.c["Repair Café Nanterre"], 15000, "laureate", BASED_ON, "Comité du 12 mars"),
        (p.c["Jardins partagés de Boulogne"], 10000, "laureate", BASED_ON, "Comité du 12 mars"),
    ]
    statuses = await db.conn.fetch(
        "select status, count(*) from candidate_rounds where round_id = $1 group by status order by status",
        p.committee,
    )
    assert [tuple(r) for r in statuses] == [("laureate", 2), ("pending", 7)]
    assert (
        await db.conn.fetchval(
            "select count(*) from audit_events where action = 'deliberation.grant_awarded'"
        )
        == 2
    )


async def test_budget_overrun_is_rejected_with_every_error_and_nothing_written(
    client, db, scored, as_organiser
):
    p = scored
    await as_organiser("dep@exemple.fr")
    eligible = [
        "Repair Café Nanterre",
        "Jardins partagés de Boulogne",
        "Épicerie solidaire",
        "Vélo-école",
        "Ressourcerie",
        "Café des aidants",
        "Ludothèque",
    ]
    amounts = {p.c[name]: 15000 for name in eligible}
    response = await _grant(client, p.slug, amounts=amounts)
    assert response.status_code == 422
    assert [plain(e["message"]) for e in response.json()["errors"]] == [
        "Montant accordé à Jardins partagés de Boulogne (15 000 €) supérieur au montant demandé (12 000 €)",
        "Total accordé (105 000 €) supérieur au budget (100 000 €) : dépassement de 5 000 €",
    ]
    assert await db.conn.fetchval("select count(*) from awards") == 0
    assert await db.conn.fetchval("select count(*) from decisions") == 0


async def test_grants_already_recorded_count_against_the_budget(client, db, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    first = {
        p.c[n]: 15000 for n in ("Repair Café Nanterre", "Épicerie solidaire", "Vélo-école", "Ressourcerie")
    }
    first[p.c["Jardins partagés de Boulogne"]] = 12000
    first[p.c["Café des aidants"]] = 15000
    skipped = await _grant(client, p.slug, amounts=first)  # the Ludothèque, ranked first, left out
    assert skipped.status_code == 422 and skipped.json()["errors"][0]["field"] == "reason"
    reason = "La Ludothèque est déjà financée par la commune"
    assert (await _grant(client, p.slug, amounts=first, reason=reason)).status_code == 201
    more = await _grant(client, p.slug, amounts={p.c["Ludothèque"]: 15000})
    assert more.status_code == 422
    assert [plain(e["message"]) for e in more.json()["errors"]] == [
        "Total accordé (102 000 €) supérieur au budget (100 000 €) : dépassement de 2 000 €"
    ]
    twice = await _grant(client, p.slug, amounts={p.c["Vélo-école"]: 1000})
    assert twice.json()["errors"][0]["message"] == "Vélo-école est déjà lauréat de cette édition."
    assert await db.conn.fetchval("select sum(granted_eur) from awards") == 87000
    proposal = (await client.get(f"/api/editions/{p.slug}/grants/proposal")).json()
    assert (proposal["already_granted_eur"], proposal["proposed_total_eur"], proposal["remaining_eur"]) == (
        87000,
        0,
        13000,
    )


async def test_organiser_of_another_contest_and_jurors_are_refused(
    client, db, scored, made_in_92, as_organiser, as_juror
):
    p = scored
    await as_organiser("cci@exemple.fr")
    proposal = await client.get(f"/api/editions/{p.slug}/grants/proposal")
    assert proposal.status_code == 403 and "Repair" not in proposal.text
    assert (await _grant(client, p.slug, amounts={p.c["Repair Café Nanterre"]: 15000})).status_code == 403
    page = await client.get(f"/organisation/editions/{p.slug}/subventions", headers={"accept": "text/html"})
    assert page.status_code == 403 and "Repair" not in page.text
    await as_juror(made_in_92.edition, made_in_92.people["nadia"])
    assert (await client.get(f"/api/editions/{p.slug}/grants/proposal")).status_code == 403
    assert await db.conn.fetchval("select count(*) from awards") == 0


async def test_grants_page_proposes_and_records_editable_amounts(client, db, scored, as_organiser):
    p = scored
    await as_organiser("dep@exemple.fr")
    page = await client.get(f"/organisation/editions/{p.slug}/subventions")
    assert page.status_code == 200
    assert f'name="montant-{p.c["Repair Café Nanterre"]}"' in page.text
    assert f'name="montant-{p.c["Profit SAS"]}"' not in page.text  # ineligible: no amount to enter
    assert "Forme juridique non éligible" in page.text
    assert "<script" not in page.text and "style=" not in page.text

    overrun = await client.post(
        f"/organisation/editions/{p.slug}/subventions",
        data={
            f"montant-{p.c['Repair Café Nanterre']}": "15000",
            f"montant-{p.c['Vélo-école']}": "150000",
            "based_on": BASED_ON,
        },
    )
    assert overrun.status_code == 422
    assert "Répartition des subventions refusée" in overrun.text
    assert "supérieur au budget" in overrun.text
    assert 'value="150000"' in overrun.text  # the committee's entry is kept for correction
    assert await db.conn.fetchval("select count(*) from awards") == 0

    ok = await client.post(
        f"/organisation/editions/{p.slug}/subventions",
        data={
            f"montant-{p.c['Repair Café Nanterre']}": "15000",
            f"montant-{p.c['Vélo-école']}": "9000",
            "based_on": BASED_ON,
            "reason": "Projets déjà soutenus par ailleurs pour les mieux classés",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert await db.conn.fetchval("select sum(granted_eur) from awards") == 24000


async def test_the_proposal_leaves_out_projects_not_judged_in_the_round(client, db, scored, as_organiser):
    p = scored
    await db.conn.execute(
        "update candidate_rounds set status = 'withdrawn' where candidate_id = $1 and round_id = $2",
        p.c["Ludothèque"],
        p.committee,
    )
    await as_organiser("dep@exemple.fr")
    body = (await client.get(f"/api/editions/{p.slug}/grants/proposal")).json()
    # A withdrawn project counts in no standing: the ranking goes on without it, and Ressourcerie now fits.
    assert [(line["candidate"], line["proposed_eur"]) for line in body["lines"]] == [
        ("Café des aidants", 15000),
        ("Profit SAS", 0),
        ("Vélo-école", 15000),
        ("Jardins partagés de Boulogne", 12000),
        ("Coop d'Argenteuil", 0),
        ("Épicerie solidaire", 15000),
        ("Repair Café Nanterre", 15000),
        ("Ressourcerie", 15000),
    ]
    named = await client.get(
        f"/api/editions/{p.slug}/grants/proposal", params={"order": [p.c["Ludothèque"], p.c["Ressourcerie"]]}
    )
    assert [
        (line["candidate"], line["status"], line["proposed_eur"], line["failures"])
        for line in named.json()["lines"]
    ] == [
        ("Ludothèque", "ineligible", 0, ["Retiré du tour « Comité de sélection »"]),
        ("Ressourcerie", "full", 15000, []),
    ]


async def test_a_grant_to_a_project_not_judged_in_the_round_is_refused_and_nothing_written(
    client, db, scored, as_organiser
):
    p = scored
    late = await db.conn.fetchval(
        "insert into candidates (edition_id, organisation_name, email, kind, legal_form, insee_code, requested_eur) "
        "values ($1, 'Recyclerie', 'r@exemple.fr', 'organisation', 'Association', '92050', 5000) returning id",
        p.edition,
    )
    await db.conn.execute(
        "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", late, p.committee
    )
    absent = await db.conn.fetchval(
        "insert into candidates (edition_id, organisation_name, email, kind, legal_form, insee_code, requested_eur) "
        "values ($1, 'Absente', 'a@exemple.fr', 'organisation', 'Association', '92050', 5000) returning id",
        p.edition,
    )
    for name, status in (("Vélo-école", "withdrawn"), ("Ressourcerie", "ineligible")):
        await db.conn.execute(
            "update candidate_rounds set status = $3 where candidate_id = $1 and round_id = $2",
            p.c[name],
            p.committee,
            status,
        )
    await as_organiser("dep@exemple.fr")
    amounts = {
        p.c["Ludothèque"]: 15000,
        late: 5000,
        p.c["Vélo-école"]: 15000,
        absent: 5000,
        p.c["Ressourcerie"]: 15000,
    }
    response = await _grant(client, p.slug, amounts=amounts)  # no round: the committee's, the last scored
    assert response.status_code == 422
    assert response.json()["detail"] == "Répartition des subventions refusée : rien n'a été enregistré."
    assert response.json()["errors"] == [
        {
            "field": "grants[1].candidate_id",
            "message": "Recyclerie : Aucune feuille de notation remise dans le tour « Comité de sélection ».",
        },
        {
            "field": "grants[2].candidate_id",
            "message": "Vélo-école : Retiré du tour « Comité de sélection ».",
        },
        {
            "field": "grants[3].candidate_id",
            "message": "Absente : N'a pas concouru dans le tour « Comité de sélection ».",
        },
        {
            "field": "grants[4].candidate_id",
            "message": "Ressourcerie : Déclaré inéligible dans le tour « Comité de sélection ».",
        },
    ]
    named = await _grant(client, p.slug, amounts={late: 5000}, round_id=p.committee)
    assert named.status_code == 422
    assert named.json()["errors"] == [
        {
            "field": "grants[0].candidate_id",
            "message": "Recyclerie : Aucune feuille de notation remise dans le tour « Comité de sélection ».",
        }
    ]
    for table in ("awards", "decisions"):
        assert await db.conn.fetchval(f"select count(*) from {table}") == 0
    assert await db.conn.fetchval("select count(*) from audit_events where action like 'deliberation.%'") == 0
    assert (
        await db.conn.fetchval(
            "select count(*) from candidate_rounds where round_id = $1 and status = 'laureate'", p.committee
        )
        == 0
    )


async def test_a_grant_without_a_round_belongs_to_the_last_scored_committee_round(
    client, db, scored, as_organiser
):
    p = scored
    await as_organiser("dep@exemple.fr")
    response = await _grant(client, p.slug, amounts={p.c["Ludothèque"]: 15000})
    assert response.status_code == 201, response.text
    rows = await db.conn.fetch(
        "select d.round_id, d.candidate_id, cr.status from decisions d "
        "join candidate_rounds cr on cr.candidate_id = d.candidate_id and cr.round_id = d.round_id"
    )
    assert [tuple(r) for r in rows] == [(p.committee, p.c["Ludothèque"], "laureate")]


async def test_a_grant_with_no_scored_committee_round_is_refused(client, db, progress, as_organiser):
    """The issue's case: no round named, and nobody judged the project (no sheet at all in the edition)."""
    p = progress
    await as_organiser("dep@exemple.fr")
    response = await _grant(client, p.slug, amounts={p.c["Repair Café Nanterre"]: 15000})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "round_id",
            "message": "Aucun tour de comité noté dans cette édition : les subventions suivent le classement "
            "d'un tour de comité.",
        }
    ]
    named = await _grant(client, p.slug, amounts={p.c["Repair Café Nanterre"]: 15000}, round_id=p.committee)
    assert named.status_code == 422
    assert named.json()["errors"] == [
        {
            "field": "grants[0].candidate_id",
            "message": "Repair Café Nanterre : Aucune feuille de notation remise dans le tour "
            "« Comité de sélection ».",
        }
    ]
    assert await db.conn.fetchval("select count(*) from decisions") == 0
    assert await db.conn.fetchval("select count(*) from awards") == 0
