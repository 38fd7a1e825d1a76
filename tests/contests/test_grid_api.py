"""Criteria grids and prizes through HTTP: whole replacements with exact stored values, each refusal naming
its line and field, a grid in use or an awarded prize protected (409), and the audit events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests import factories
from tests.helpers import make_organiser, sign_in

from jury.db.queries import Database

SLUG = "progress-2026"


async def scene(db: Database) -> int:
    contest = await factories.contest(db, slug="progress", kind="organisation")
    await factories.contest(db, slug="made-in-92")
    edition = await factories.edition(db, contest_id=contest, year=2026, slug=SLUG, budget_eur=100_000)
    await make_organiser(db, email="ess@exemple.fr", contests=["progress"])
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    return edition


def grid(*weights: float) -> list[dict]:
    return [
        {
            "code": f"c{i}",
            "label": f"Critère {i}",
            "weight": w,
            "scale_min": 0,
            "scale_max": 20,
            "scale_step": 0.5,
            "help": "0 : absent ; 20 : remarquable",
            "comment_required": i == 0,
            "eliminatory": i == 1,
        }
        for i, w in enumerate(weights)
    ]


async def stored(db: Database, edition: int) -> list[tuple]:
    rows = await db.conn.fetch(
        "select c.code, c.name, c.weights_total, k.code as criterion, k.label, k.weight, k.scale_min, k.scale_max, "
        "k.scale_step, k.help, k.comment_required, k.eliminatory, k.position from criteria k "
        "join categories c on c.id = k.category_id where c.edition_id = $1 order by c.code, k.position",
        edition,
    )
    return [tuple(r.values()) for r in rows]


async def actions(db: Database) -> list[tuple[str, str]]:
    return [
        (r["action"], r["target"])
        for r in await db.conn.fetch("select action, target from audit_events order by id")
    ]


async def test_a_category_is_created_with_its_grid_summing_to_100(client, db):
    edition = await scene(db)
    await sign_in(client, email="ess@exemple.fr")
    response = await client.put(
        f"/api/editions/{SLUG}/categories/projets/criteria",
        json={"name": "Projets", "weights_total": 100, "criteria": grid(40, 35, 25)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["code"], body["name"], body["weights_total"], body["in_use"]) == (
        "projets",
        "Projets",
        100.0,
        False,
    )
    assert [c["weight"] for c in body["criteria"]] == [40.0, 35.0, 25.0]
    assert await stored(db, edition) == [
        (
            "projets",
            "Projets",
            Decimal("100.00"),
            "c0",
            "Critère 0",
            Decimal("40.00"),
            Decimal("0.00"),
            Decimal("20.00"),
            Decimal("0.50"),
            "0 : absent ; 20 : remarquable",
            True,
            False,
            1,
        ),
        (
            "projets",
            "Projets",
            Decimal("100.00"),
            "c1",
            "Critère 1",
            Decimal("35.00"),
            Decimal("0.00"),
            Decimal("20.00"),
            Decimal("0.50"),
            "0 : absent ; 20 : remarquable",
            False,
            True,
            2,
        ),
        (
            "projets",
            "Projets",
            Decimal("100.00"),
            "c2",
            "Critère 2",
            Decimal("25.00"),
            Decimal("0.00"),
            Decimal("20.00"),
            Decimal("0.50"),
            "0 : absent ; 20 : remarquable",
            False,
            False,
            3,
        ),
    ]
    category = await db.conn.fetchval("select id from categories where edition_id = $1", edition)
    criterion = await db.conn.fetchval(
        "select id from criteria where category_id = $1 and code = 'c1'", category
    )
    # A plain list replaces the grid of an existing category; the weight rule stays; kept codes keep their id.
    again = await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json=grid(60, 40))
    assert again.status_code == 200, again.text
    assert [r[3] for r in await stored(db, edition)] == ["c0", "c1"]
    assert await db.conn.fetchval("select id from criteria where code = 'c1'") == criterion
    assert await actions(db) == [("criteria.replaced", f"category:{category}")] * 2
    grid_body = (await client.get(f"/api/editions/{SLUG}/grid")).json()
    assert [c["code"] for c in grid_body["categories"]] == ["projets"]


async def test_each_refused_line_is_named_and_nothing_is_written(client, db):
    edition = await scene(db)
    await sign_in(client, email="ess@exemple.fr")
    lines = grid(40, 35, 20)
    lines[2]["scale_max"] = 0  # not above its minimum
    lines[1]["scale_step"] = 3  # does not divide 0..20
    response = await client.put(
        f"/api/editions/{SLUG}/categories/projets/criteria",
        json={"name": "Projets", "weights_total": 100, "criteria": lines},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "criteria[1].scale_step",
        "criteria[2].scale_max",
    ]
    # A value outside its type's bounds is refused by the body's type first, naming it.
    zero = grid(40, 35, 20)
    zero[2]["weight"] = 0
    refused = await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json={"criteria": zero})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "criteria[2].weight", "message": "La valeur doit être supérieure à 0.0."}
    ]
    bare = await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json=zero)
    assert bare.status_code == 422
    assert bare.json()["errors"] == [
        {"field": "[2].weight", "message": "La valeur doit être supérieure à 0.0."}
    ]
    off = await client.put(
        f"/api/editions/{SLUG}/categories/projets/criteria",
        json={"name": "Projets", "weights_total": 100, "criteria": grid(40, 35, 20)},
    )
    assert off.status_code == 422
    assert off.json()["errors"] == [
        {"field": "criteria", "message": "La somme des pondérations vaut 95 ; cette catégorie demande 100."}
    ]
    missing = await client.put(f"/api/editions/{SLUG}/categories/inconnue/criteria", json=grid(10))
    assert missing.status_code == 404
    assert await stored(db, edition) == [] and await actions(db) == []


async def test_a_grid_in_use_cannot_change_and_strangers_are_refused(client, db):
    edition = await scene(db)
    category = await factories.category(db, edition_id=edition, code="projets", name="Projets")
    await factories.criterion(db, category_id=category)
    assert (
        await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json=grid(10))
    ).status_code == 401
    await sign_in(client, email="cci@exemple.fr")
    assert (
        await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json=grid(10))
    ).status_code == 403
    assert (await client.put(f"/api/editions/{SLUG}/prizes", json=[])).status_code == 403
    assert (await client.get(f"/api/editions/{SLUG}/grid")).status_code == 403
    await sign_in(client, email="ess@exemple.fr")
    round_id = await factories.round_(db, edition_id=edition)
    panel = await factories.panel(db, round_id=round_id)
    juror = await factories.person(db)
    await factories.member(db, panel_id=panel, person_id=juror)
    candidate = await factories.candidate(
        db,
        edition_id=edition,
        entry_number=1,
        organisation_name="Asso",
        category_id=category,
        kind="organisation",
    )
    await db.conn.execute(
        "insert into score_sheets (round_id, panel_id, person_id, candidate_id) values ($1, $2, $3, $4)",
        round_id,
        panel,
        juror,
        candidate,
    )
    response = await client.put(f"/api/editions/{SLUG}/categories/projets/criteria", json=grid(10))
    assert response.status_code == 409 and "Projets" in response.json()["detail"]


async def test_prizes_are_replaced_whole_and_an_awarded_prize_stays(client, db):
    edition = await scene(db)
    await factories.category(db, edition_id=edition, code="projets", name="Projets")
    await sign_in(client, email="ess@exemple.fr")
    prizes = [
        {
            "code": "laureat",
            "name": "Lauréat Progr'ESS",
            "kind": "laureate",
            "category": "projets",
            "amount_eur": 15000,
        },
        {"code": "or", "name": "1er prix", "kind": "podium", "place": 1, "ex_aequo_allowed": True},
        {"code": "special", "name": "Prix spécial", "kind": "special"},
    ]
    response = await client.put(
        f"/api/editions/{SLUG}/prizes", json={"allow_multiple_prizes": True, "prizes": prizes}
    )
    assert response.status_code == 200, response.text
    assert response.json()["allow_multiple_prizes"] is True
    rows = await db.conn.fetch(
        "select p.code, p.name, p.kind, c.code as category, p.place, p.amount_eur, p.ex_aequo_allowed, "
        "p.max_winners, p.position from prizes p left join categories c on c.id = p.category_id "
        "where p.edition_id = $1 order by p.position",
        edition,
    )
    assert [tuple(r.values()) for r in rows] == [
        ("laureat", "Lauréat Progr'ESS", "laureate", "projets", None, 15000, False, None, 1),
        ("or", "1er prix", "podium", None, 1, None, True, 1, 2),
        ("special", "Prix spécial", "special", None, None, None, False, 1, 3),
    ]
    assert await db.conn.fetchval("select allow_multiple_prizes from editions where id = $1", edition) is True
    bad = await client.put(
        f"/api/editions/{SLUG}/prizes",
        json=[
            {"code": "or", "name": "1er prix", "kind": "podium"},
            {"code": "x", "name": "X", "kind": "category", "category": "gateaux"},
        ],
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["prizes[0].place", "prizes[1].category"]
    laureate = await db.conn.fetchval("select id from prizes where code = 'laureat'")
    candidate = await factories.candidate(
        db, edition_id=edition, entry_number=1, organisation_name="Asso", kind="organisation"
    )
    await db.conn.execute(
        "insert into awards (prize_id, candidate_id, decided_on) values ($1, $2, $3)",
        laureate,
        candidate,
        dt.date(2026, 3, 14),
    )
    refused = await client.put(f"/api/editions/{SLUG}/prizes", json=prizes[1:])
    assert refused.status_code == 409 and "Lauréat Progr'ESS" in refused.json()["detail"]
    kept = await client.put(f"/api/editions/{SLUG}/prizes", json=prizes[:1])
    assert kept.status_code == 200
    assert [p["code"] for p in kept.json()["prizes"]] == ["laureat"]
    assert kept.json()["allow_multiple_prizes"] is True  # left out: unchanged
    assert await actions(db) == [("prizes.replaced", f"edition:{SLUG}")] * 2


async def test_the_grid_page_forms(client, db):
    edition = await scene(db)
    await sign_in(client, email="ess@exemple.fr")
    form = {
        "category": "projets",
        "name": "Projets",
        "weights_total": "100",
        "code-0": "impact",
        "label-0": "Impact social",
        "weight-0": "60",
        "scale_min-0": "0",
        "scale_max-0": "10",
        "scale_step-0": "0,5",
        "help-0": "",
        "comment_required-0": "on",
        "code-1": "budget",
        "label-1": "Budget",
        "weight-1": "40",
        "scale_min-1": "0",
        "scale_max-1": "10",
        "scale_step-1": "1",
        "code-2": "",
        "label-2": "",
        "weight-2": "",
        "scale_min-2": "0",
        "scale_max-2": "10",
        "scale_step-2": "1",
    }
    saved = await client.post(
        f"/organisation/editions/{SLUG}/grille/criteres", data=form, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/organisation/editions/{SLUG}/grille#categorie-projets"
    assert [(r[3], r[5], r[8], r[10]) for r in await stored(db, edition)] == [
        ("impact", Decimal("60.00"), Decimal("0.50"), True),
        ("budget", Decimal("40.00"), Decimal("1.00"), False),
    ]
    prizes = await client.post(
        f"/organisation/editions/{SLUG}/grille/prix",
        data={
            "code-0": "laureat",
            "name-0": "Lauréat",
            "kind-0": "laureate",
            "category-0": "projets",
            "place-0": "",
            "amount_eur-0": "15 000",
            "code-1": "",
            "name-1": "",
            "kind-1": "category",
        },
        follow_redirects=False,
    )
    assert prizes.status_code == 303, prizes.text
    assert await db.conn.fetchval("select amount_eur from prizes where code = 'laureat'") == 15000
    page = await client.get(f"/organisation/editions/{SLUG}/grille/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'value="Impact social"' in page.text and 'value="Lauréat"' in page.text
    form["weight-1"] = "30"
    refused = await client.post(
        f"/organisation/editions/{SLUG}/grille/criteres", data=form, headers={"Accept": "text/html"}
    )
    assert refused.status_code == 422 and "La somme des pondérations vaut 90" in refused.text
    assert [a for a, _ in await actions(db)] == ["criteria.replaced", "prizes.replaced"]


async def test_a_label_and_a_cohort_are_prizes_several_laureates_hold(client, db):
    edition = await scene(db)
    await sign_in(client, email="ess@exemple.fr")
    response = await client.put(
        f"/api/editions/{SLUG}/prizes",
        json=[
            {"code": "label", "name": "Label « Artisan du tourisme »", "kind": "label"},
            {"code": "promotion", "name": "Promotion", "kind": "cohort", "max_winners": 4},
            {"code": "or", "name": "1er prix", "kind": "podium", "place": 1, "ex_aequo_allowed": True},
        ],
    )
    assert response.status_code == 200, response.text
    assert [
        (p["code"], p["kind"], p["max_winners"], p["amount_eur"], p["ex_aequo_allowed"])
        for p in response.json()["prizes"]
    ] == [
        ("label", "label", None, None, False),  # left out: a label has no limit
        ("promotion", "cohort", 4, None, False),
        ("or", "podium", 1, None, True),
    ]
    # A cohort turned into a category prize keeps one place, whatever it had.
    changed = await client.put(
        f"/api/editions/{SLUG}/prizes",
        json=[{"code": "promotion", "name": "Prix", "kind": "special"}],
    )
    assert [(p["kind"], p["max_winners"]) for p in changed.json()["prizes"]] == [("special", 1)]
    refused = await client.put(
        f"/api/editions/{SLUG}/prizes",
        json=[
            {"code": "label", "name": "Label", "kind": "label", "amount_eur": 500},
            {"code": "special", "name": "Prix spécial", "kind": "special", "max_winners": 3},
        ],
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["prizes[0].amount_eur", "prizes[1].max_winners"]
    assert await db.conn.fetchval("select count(*) from prizes where edition_id = $1", edition) == 1
    grid_page = await client.get(f"/organisation/editions/{SLUG}/grille")
    assert 'value="label"' in grid_page.text and 'value="cohort"' in grid_page.text


async def test_the_prizes_form_sets_how_many_laureates_a_cohort_takes(client, db):
    await scene(db)
    await sign_in(client, email="ess@exemple.fr")
    form = {
        "code-0": "promotion",
        "name-0": "Promotion Boost",
        "kind-0": "cohort",
        "max_winners-0": "6",
        "code-1": "label",
        "name-1": "Label",
        "kind-1": "label",
    }
    saved = await client.post(f"/organisation/editions/{SLUG}/grille/prix", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    prizes = (await client.get(f"/api/editions/{SLUG}/grid")).json()["prizes"]
    assert [(p["code"], p["max_winners"]) for p in prizes] == [("promotion", 6), ("label", None)]
    page = await client.get(f"/organisation/editions/{SLUG}/grille")
    assert 'name="max_winners-0" min="1" value="6"' in page.text
    refused = await client.post(
        f"/organisation/editions/{SLUG}/grille/prix",
        data={**form, "max_winners-0": "six"},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 422 and "Nombre entier attendu." in refused.text
