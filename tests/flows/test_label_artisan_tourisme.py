"""The Label « Artisan du tourisme », set up from nothing through HTTP only, then renewed the next year.

What the brochure says (seed-brochure-hauts-de-seine.txt, « Artisan du tourisme, un label local »): created
in 2018 by the Département and the Chambre de Métiers et de l'Artisanat; it honours the talent and the path
of everyday craftspeople of the « fait-main » (gastronomy, luxury, objets d'art et d'histoire), urged to win
over local visitors and French or foreign tourists; « attribuée pour une durée d'un an renouvelable »; the
holders meet at the yearly evening where the diplomas are handed; 85 craftspeople were labelled at the last
edition, « à l'issue d'un processus de sélection exigeant ».

Assumptions of this test (not in the brochure): one edition a year since 2018, so 2023 is the 6th; the
grid, the threshold of 70 points, the dates and the people are invented.

The Département's administrator creates the contest and names its organiser (Romain Texier, of the CMA,
already organiser of the Gâteau: his account is linked as it is). He builds the 2023 edition from
scratch: the labelling jury's round and panel, the grid /100, the label as a prize of kind 'label' any
number of artisans may hold, with no amount, the rules (the 92). Five artisans apply, the jury scores
them on tablets, and the jury labels every artisan with 70 points or more: Atelier Céramique de Sèvres
90, Chocolaterie du Parc 85, Maroquinerie Vasseur 75 (not Ébénisterie Lemoine 65 nor Fromagerie des
Coteaux 60). Each labelled artisan gets a certificate verified at /verifier; the label being for one
year, the 2024 edition is a copy of 2023: the
setup comes along, not the laureates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    DEMO_PASSWORD,
    Flow,
    World,
    committee_round,
    diplomas_with_pdfs,
    import_jurors,
    new_contest,
    prepare_single_panel_round,
    read_minutes,
    score_on_tablets,
    verify,
)

CONTEST = "label-artisan-du-tourisme"
EDITION = "label-artisan-du-tourisme-2023"
RENEWED = "label-artisan-du-tourisme-2024"
NAME = "Label « Artisan du tourisme »"
ORGANISERS = "Département des Hauts-de-Seine et Chambre de Métiers et de l'Artisanat"
DESCRIPTION = (
    "Label local créé en 2018 : il valorise le savoir-faire et l'esprit d'innovation des artisans du "
    "« fait-main », acteurs du tourisme et de l'économie locale. Attribué pour un an, renouvelable."
)
ORGANISER = {"email": "romain.texier@exemple.fr", "name": "Romain Texier"}
ROUND = "Jury de labellisation"
PANEL = "Jury du label"
CATEGORY = ("fait-main", "Métiers du fait-main")
CRITERIA = [
    ("savoir-faire", "Savoir-faire et qualité du travail", 30.0),
    ("innovation", "Esprit d'innovation", 25.0),
    ("accueil", "Accueil des visiteurs et des touristes", 25.0),
    ("parcours", "Parcours de l'artisan et ancrage local", 20.0),
]
LABEL = {"code": "label", "name": "Label « Artisan du tourisme »", "kind": "label", "max_winners": None}
THRESHOLD_REASON = "Au moins 70 points sur 100 : label attribué pour un an."

# numero, workshop, artisan, e-mail, INSEE, legal form, founded, share of each criterion's points
ARTISANS = (
    (
        1,
        "Atelier Céramique de Sèvres",
        "Claire Dumas",
        "claire.dumas@exemple.fr",
        "92072",
        "EI",
        "2009-04-01",
        0.9,
    ),
    (
        2,
        "Chocolaterie du Parc",
        "Julien Moreau",
        "julien.moreau@exemple.fr",
        "92063",
        "SARL",
        "2014-10-06",
        0.85,
    ),
    (3, "Maroquinerie Vasseur", "Léa Vasseur", "lea.vasseur@exemple.fr", "92012", "SAS", "2017-02-20", 0.75),
    (4, "Ébénisterie Lemoine", "Paul Lemoine", "paul.lemoine@exemple.fr", "92048", "EI", "2001-09-03", 0.65),
    (
        5,
        "Fromagerie des Coteaux",
        "Nadia Roche",
        "nadia.roche@exemple.fr",
        "92077",
        "SARL",
        "2019-05-15",
        0.6,
    ),
)
SHARE = {a[0]: a[-1] for a in ARTISANS}
LABELLED = ["Atelier Céramique de Sèvres", "Chocolaterie du Parc", "Maroquinerie Vasseur"]
JURY = [
    (
        "Martine Caron",
        "martine.caron@exemple.fr",
        "Élue de la Chambre de Métiers et de l'Artisanat",
        "président",
    ),
    ("Olivier Brun", "olivier.brun@exemple.fr", "Chargé de mission tourisme du Département", "juré"),
    ("Sandrine Lefort", "sandrine.lefort@exemple.fr", "Guide-conférencière", "juré"),
]
JURORS = sorted(name for name, *_ in JURY)


def fields(artisan: tuple[Any, ...]) -> dict[str, Any]:
    numero, workshop, name, email, insee, form, founded, _ = artisan
    return {
        "numero": numero,
        "nom_structure": workshop,
        "nom_porteur": name,
        "courriel": email,
        "code_insee": insee,
        "forme_juridique": form,
        "date_creation": founded,
        "categorie": CATEGORY[0],
    }


@pytest.fixture(scope="module")
async def label(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    state: dict[str, Any] = {}

    async def contest() -> dict[str, Any]:
        created, named, state["organiser"] = await new_contest(
            world,
            contest={
                "slug": CONTEST,
                "name": NAME,
                "organisers": ORGANISERS,
                "candidate_kind": "artisan",
                "description": DESCRIPTION,
            },
            organiser={**ORGANISER, "password": DEMO_PASSWORD},
        )
        return {"created": created, "named": named}

    async def setup() -> dict[str, Any]:
        romain = state["organiser"]
        created = await romain.post(
            f"/api/contests/{CONTEST}/editions",
            {
                "year": 2023,
                "number": 6,
                "opens_on": "2023-03-01",
                "closes_on": "2023-05-31",
                "decision_on": "2023-09-28",
            },
            expect=201,
        )
        jury_round, panel, grid = await committee_round(
            romain, edition=EDITION, name=ROUND, panel=PANEL, category=CATEGORY, criteria=CRITERIA
        )
        state["round"] = jury_round["id"]
        prizes = await romain.put(f"/api/editions/{EDITION}/prizes", [LABEL])
        rules = await romain.put(
            f"/api/editions/{EDITION}/eligibility",
            {
                "territory": {"department": "92", "accepted_outside_insee": []},
                "required_fields": ["nom_structure", "nom_porteur", "code_insee"],
            },
        )
        read = await romain.get(f"/api/editions/{EDITION}/grid")
        rounds = await romain.get(f"/api/editions/{EDITION}/rounds")
        return {
            "created": created,
            "panel": panel,
            "grid": grid,
            "prizes": prizes,
            "rules": rules,
            "read": read,
            "rounds": rounds,
        }

    async def applications() -> dict[str, Any]:
        romain = state["organiser"]
        await romain.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        entered = {}
        for artisan in ARTISANS:
            entered[artisan[1]] = await romain.post(
                f"/api/editions/{EDITION}/candidates", fields(artisan), expect=201
            )
        state["ids"] = {name: body["candidate"]["id"] for name, body in entered.items()}
        return {"entered": entered}

    async def jury() -> dict[str, Any]:
        romain = state["organiser"]
        rid = state["round"]
        rows = [[name, email, title, PANEL, role, "oui"] for name, email, title, role in JURY]
        report = await import_jurors(romain, edition=EDITION, rows=rows)
        await romain.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        prepared = await prepare_single_panel_round(romain, edition=EDITION, round_id=rid, k=3)
        opened = await romain.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score_on_tablets(
            world,
            cards=prepared["cards"],
            round_id=rid,
            marks=lambda c, criterion: criterion["max"] * SHARE[c["entry_number"]],
        )
        await romain.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        [standing] = await romain.get(f"/api/rounds/{rid}/standings")
        state["based_on"] = f"{standing['method']} {standing['input_digest']}"
        return {"report": report, "prepared": prepared, "opened": opened, "seen": seen, "standing": standing}

    async def labels() -> dict[str, Any]:
        romain = state["organiser"]
        rid = state["round"]
        ids = state["ids"]
        awarded = await romain.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": "label", "candidate_id": ids[name]} for name in LABELLED],
                "round_id": rid,
                "reason": THRESHOLD_REASON,
                "based_on": state["based_on"],
                "decided_on": "2023-09-28",
            },
        )
        closed = await romain.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await romain.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        decisions = await romain.get(f"/api/editions/{EDITION}/decisions")
        return {"awarded": awarded, "closed": closed, "decided": decided, "decisions": decisions}

    async def minutes() -> str:
        panel = flow["jury"]["prepared"]["panel"]
        return await read_minutes(state["organiser"], round_id=state["round"], panel_id=panel["id"])

    async def certificates() -> dict[str, Any]:
        made = await diplomas_with_pdfs(state["organiser"], edition=EDITION)
        visitor = await world.open("visiteur")
        return {**made, "checks": {row[0]: await verify(visitor, row[3]) for row in made["rows"]}}

    for name, run in (
        ("contest", contest),
        ("setup", setup),
        ("applications", applications),
        ("jury", jury),
        ("labels", labels),
        ("minutes", minutes),
        ("certificates", certificates),
    ):
        await flow.stage(name, run)

    # The renewal is shown whatever became of the 2023 decisions: copying a year's setup needs none of them.
    renewal = Flow()

    async def renew() -> dict[str, Any]:
        romain = state["organiser"]
        created = await romain.post(
            f"/api/contests/{CONTEST}/editions", {"year": 2024, "copy_from": EDITION}, expect=201
        )
        return {
            "created": created,
            "rounds": await romain.get(f"/api/editions/{RENEWED}/rounds"),
            "grid": await romain.get(f"/api/editions/{RENEWED}/grid"),
            "candidates": await romain.get(f"/api/editions/{RENEWED}/candidates"),
            "jurors": await romain.get(f"/api/editions/{RENEWED}/jurors"),
            "awards": await romain.get(f"/api/editions/{RENEWED}/awards"),
            "last_year": await romain.get(f"/api/editions/{EDITION}/awards"),
            "last_year_grid": await romain.get(f"/api/editions/{EDITION}/grid"),
        }

    if "contest" in flow.outcomes:
        await renewal.stage("renewal", renew)
    flow.outcomes["renewal flow"] = renewal
    yield flow


# --- What each stage leaves behind ----------------------------------------------------------------------


async def test_the_administrator_creates_the_label_and_names_the_cmas_organiser(label: Flow) -> None:
    outcome = label["contest"]
    created = outcome["created"]
    assert {
        k: created[k] for k in ("slug", "name", "organisers", "candidate_kind", "description", "editions")
    } == {
        "slug": CONTEST,
        "name": NAME,
        "organisers": ORGANISERS,
        "candidate_kind": "artisan",
        "description": DESCRIPTION,
        "editions": [],
    }
    named = outcome["named"]
    assert (named["contest_slug"], named["email"], named["full_name"], named["created"]) == (
        CONTEST,
        ORGANISER["email"],
        ORGANISER["name"],
        False,  # the Gâteau's organiser: his account is linked, not created
    )


async def test_the_2023_label_is_set_up_from_scratch(label: Flow) -> None:
    setup = label["setup"]
    created = setup["created"]
    assert (created["slug"], created["copied_from"], created["copied"]) == (EDITION, None, {})
    assert {k: created[k] for k in ("year", "number", "status", "opens_on", "closes_on", "decision_on")} == {
        "year": 2023,
        "number": 6,
        "status": "preparing",
        "opens_on": "2023-03-01",
        "closes_on": "2023-05-31",
        "decision_on": "2023-09-28",
    }
    assert [(r["kind"], r["name"], r["status"], r["blind"], r["panel_count"]) for r in setup["rounds"]] == [
        ("committee", ROUND, "draft", False, 1)
    ]
    assert (setup["panel"]["name"], setup["panel"]["member_count"]) == (PANEL, 0)
    [category] = setup["read"]["categories"]
    assert (category["code"], category["name"], category["weights_total"]) == (*CATEGORY, 100.0)
    assert [(c["code"], c["label"], c["weight"]) for c in category["criteria"]] == CRITERIA
    assert [
        (p["code"], p["name"], p["kind"], p["max_winners"], p["amount_eur"]) for p in setup["read"]["prizes"]
    ] == [("label", NAME, "label", None, None)]
    assert setup["read"]["eligibility"] == {
        "territory": {"department": "92", "accepted_outside_insee": []},
        "max_company_age_years": None,
        "legal_forms": [],
        "max_request_eur": None,
        "required_fields": ["nom_structure", "nom_porteur", "code_insee"],
    }


async def test_five_artisans_of_the_92_apply(label: Flow) -> None:
    entered = label["applications"]["entered"]
    assert [
        (name, body["round"]["name"], body["eligibility"]["eligible"]) for name, body in entered.items()
    ] == [(a[1], ROUND, True) for a in ARTISANS]
    assert [body["candidate"]["commune"] for body in entered.values()] == [
        "Sèvres",
        "Rueil-Malmaison",
        "Boulogne-Billancourt",
        "Meudon",
        "Ville-d'Avray",
    ]


async def test_the_jury_scores_every_artisan_on_tablets(label: Flow) -> None:
    jury = label["jury"]
    assert (jury["report"]["imported"], jury["report"]["new_people"]) == (3, 3)
    assert sorted(jury["prepared"]["cards"]) == JURORS
    assert jury["opened"]["status"] == "open"
    for name in JURORS:
        assert sorted(c["entry_number"] for c in jury["seen"][name]) == [1, 2, 3, 4, 5], name
    ranked = sorted(jury["standing"]["lines"], key=lambda line: line["rank"])
    assert [(line["entry_number"], line["raw"]) for line in ranked] == [
        (1, 90.0),
        (2, 85.0),
        (3, 75.0),
        (4, 65.0),
        (5, 60.0),
    ]


async def test_next_year_the_label_is_renewed_with_its_setup_and_without_its_people(label: Flow) -> None:
    renewal = label["renewal flow"]["renewal"]
    created = renewal["created"]
    assert (
        created["slug"],
        created["year"],
        created["number"],
        created["status"],
        created["copied_from"],
    ) == (
        RENEWED,
        2024,
        7,
        "preparing",
        EDITION,
    )
    assert (created["opens_on"], created["closes_on"], created["decision_on"]) == (
        "2024-03-01",
        "2024-05-31",
        None,
    )
    assert {k: created["copied"][k] for k in ("categories", "criteria", "prizes", "rounds", "panels")} == {
        "categories": 1,
        "criteria": 4,
        "prizes": 1,
        "rounds": 1,
        "panels": 1,
    }
    assert [
        (r["kind"], r["name"], r["status"], r["candidate_count"], r["panel_count"]) for r in renewal["rounds"]
    ] == [("committee", ROUND, "draft", 0, 1)]
    last_year = renewal["last_year_grid"]
    # The same grid, still free to change (last year's is in use: its sheets were scored on it).
    assert [{**c, "in_use": False} for c in renewal["grid"]["categories"]] == [
        {**c, "in_use": False} for c in last_year["categories"]
    ]
    assert [c["in_use"] for c in renewal["grid"]["categories"]] == [False]
    assert [(p["code"], p["name"], p["kind"], p["award_count"]) for p in renewal["grid"]["prizes"]] == [
        ("label", NAME, "label", 0)
    ]
    assert renewal["grid"]["eligibility"] == last_year["eligibility"]
    assert (renewal["candidates"], renewal["jurors"], renewal["awards"]) == ([], [], [])


async def test_the_jury_labels_every_artisan_above_the_threshold_and_the_edition_is_decided(
    label: Flow,
) -> None:
    outcome = label["labels"]
    assert [
        (a["prize"], a["prize_kind"], a["candidate"], a["granted_eur"], a["decided_on"])
        for a in outcome["awarded"]
    ] == [(NAME, "label", name, None, "2023-09-28") for name in LABELLED]
    assert outcome["closed"]["status"] == "closed"
    assert (outcome["decided"]["previous"], outcome["decided"]["status"]) == ("judging", "decided")
    assert sorted((d["prize"], d["candidate"], d["reason"]) for d in outcome["decisions"]) == sorted(
        (NAME, name, THRESHOLD_REASON) for name in LABELLED
    )


async def test_the_proces_verbal_lists_the_labelled_artisans(label: Flow) -> None:
    text = label["minutes"]
    assert "Procès-verbal de délibération" in text
    for name in LABELLED:
        assert f"{NAME} {name} {THRESHOLD_REASON}" in text


async def test_the_label_certificates_are_verified_by_anyone(label: Flow) -> None:
    outcome = label["certificates"]
    assert [(row[0], row[1], row[2]) for row in outcome["rows"]] == [
        ("Claire Dumas — Atelier Céramique de Sèvres", NAME, "prêt PDF"),
        ("Julien Moreau — Chocolaterie du Parc", NAME, "prêt PDF"),
        ("Léa Vasseur — Maroquinerie Vasseur", NAME, "prêt PDF"),
    ]
    for (laureate, prize, _, code, *_), pdf in zip(outcome["rows"], outcome["pdfs"], strict=True):
        assert (
            f"Ce diplôme est authentique. Concours {NAME} Édition 6 e édition — 2023 Distinction {prize} "
            f"Lauréat {laureate} Décision du jury 28 septembre 2023 Code de vérification {code}"
        ) in outcome["checks"][laureate]
        assert NAME in pdf
        assert "€" not in pdf  # a label carries no amount


async def test_last_years_labels_stay_with_2023_and_2024_starts_with_none(label: Flow) -> None:
    renewal = label["renewal flow"]["renewal"]
    assert sorted(a["candidate"] for a in renewal["last_year"]) == sorted(LABELLED)
    assert renewal["awards"] == []
