"""Boost Entrepreneurs au Féminin 2023, its first cohort, set up from nothing through HTTP only.

What the brochure says (seed-brochure-hauts-de-seine.txt, « Agir pour la réussite des femmes »): the
Département, with the CCI 92 and Femmes Chefs d'Entreprises France, launches « la première promotion de
Boost Entrepreneurs au Féminin »: five months of personal support for the heads of companies less than three
years old, to develop their leadership and meet a network of « femmes inspirantes ».

Assumptions of this test (not in the brochure): a cohort of four chosen by a jury among the applicants; the
grid, the dates and the people are invented.

The Département's administrator creates the programme and names its organiser, who builds the 2023 edition
(the 1st: the first cohort) from scratch: the selection jury's round and panel, the grid /100, the cohort as
a prize of kind 'cohort' with four places and no amount, the rules (the 92, a company under three years old
at the closing date).
Seven entrepreneurs apply; a company founded in 2018 is flagged and withdrawn; the jury scores the six
others on tablets and selects the four best: Studio Lumen 90, Bocal & Co 85, Kinésis Santé 80, Atelier
Nomade 75 (not Verte Mobilité 65 nor Papeterie Oréa 60). The cohort list is the edition's decisions, read
back from `GET /api/editions/{slug}/decisions` and the procès-verbal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    Flow,
    World,
    committee_round,
    import_jurors,
    new_contest,
    prepare_single_panel_round,
    read_minutes,
    score_on_tablets,
)

CONTEST = "boost-entrepreneurs-au-feminin"
EDITION = "boost-entrepreneurs-au-feminin-2023"
NAME = "Boost Entrepreneurs au Féminin"
ORGANISERS = "Département des Hauts-de-Seine, CCI Hauts-de-Seine et Femmes Chefs d'Entreprises France"
DESCRIPTION = (
    "Un accompagnement personnalisé de cinq mois pour les dirigeantes d'entreprises de moins de trois ans : "
    "développer leur leadership et entrer dans un réseau de « femmes inspirantes »."
)
ORGANISER = {"email": "amelie.rousseau@exemple.fr", "name": "Amélie Rousseau", "password": "promotion-2023"}
ROUND = "Jury de sélection"
PANEL = "Jury Boost"
CATEGORY = ("dirigeantes", "Dirigeantes d'entreprises de moins de trois ans")
CRITERIA = [
    ("leadership", "Leadership de la dirigeante", 30.0),
    ("potentiel", "Potentiel de développement de l'entreprise", 30.0),
    ("besoins", "Besoins auxquels répond l'accompagnement", 20.0),
    ("reseau", "Engagement dans le réseau", 20.0),
]
COHORT_SIZE = 4
PRIZE = {"code": "promotion", "name": "Promotion Boost Entrepreneurs au Féminin", "kind": "cohort"}
REASON = "Les quatre meilleurs dossiers du jury forment la promotion."

# numero, company, head, e-mail, INSEE, legal form, founded, share of each criterion's points
ENTREPRENEURS = (
    (1, "Studio Lumen", "Sarah Haddad", "sarah.haddad@exemple.fr", "92040", "SAS", "2021-09-01", 0.9),
    (2, "Bocal & Co", "Julie Martin", "julie.martin@exemple.fr", "92025", "SAS", "2022-02-14", 0.85),
    (3, "Kinésis Santé", "Aïcha Diallo", "aicha.diallo@exemple.fr", "92050", "SARL", "2020-06-15", 0.8),
    (4, "Atelier Nomade", "Emma Girard", "emma.girard@exemple.fr", "92073", "EI", "2022-11-03", 0.75),
    (5, "Verte Mobilité", "Laura Nguyen", "laura.nguyen@exemple.fr", "92062", "SAS", "2021-01-11", 0.65),
    (6, "Papeterie Oréa", "Inès Lambert", "ines.lambert@exemple.fr", "92044", "EI", "2022-05-30", 0.6),
)
TOO_OLD = (7, "Conseil Horizon", "Marie Blanc", "marie.blanc@exemple.fr", "92012", "SAS", "2018-04-02", 0.95)
"""Founded five years before the closing date: the programme is for companies under three years."""
SHARE = {e[0]: e[-1] for e in (*ENTREPRENEURS, TOO_OLD)}
COHORT = ["Studio Lumen", "Bocal & Co", "Kinésis Santé", "Atelier Nomade"]
JURY = [
    (
        "Hélène Vidal",
        "helene.vidal@exemple.fr",
        "Cheffe d'entreprise, Femmes Chefs d'Entreprises",
        "président",
    ),
    (
        "Nora Belkacem",
        "nora.belkacem@exemple.fr",
        "Conseillère création d'entreprise, CCI Hauts-de-Seine",
        "juré",
    ),
    (
        "Valérie Chen",
        "valerie.chen@exemple.fr",
        "Chargée de mission égalité femmes-hommes du Département",
        "juré",
    ),
]
JURORS = sorted(name for name, *_ in JURY)


def fields(entrepreneur: tuple[Any, ...]) -> dict[str, Any]:
    numero, company, head, email, insee, form, founded, _ = entrepreneur
    return {
        "numero": numero,
        "nom_structure": company,
        "nom_porteur": head,
        "courriel": email,
        "code_insee": insee,
        "forme_juridique": form,
        "date_creation": founded,
        "categorie": CATEGORY[0],
    }


@pytest.fixture(scope="module")
async def boost(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    state: dict[str, Any] = {}

    async def contest() -> dict[str, Any]:
        created, named, state["organiser"] = await new_contest(
            world,
            contest={
                "slug": CONTEST,
                "name": NAME,
                "organisers": ORGANISERS,
                "candidate_kind": "company",
                "description": DESCRIPTION,
            },
            organiser=ORGANISER,
        )
        return {"created": created, "named": named}

    async def setup() -> dict[str, Any]:
        amelie = state["organiser"]
        created = await amelie.post(
            f"/api/contests/{CONTEST}/editions",
            {"year": 2023, "opens_on": "2023-01-16", "closes_on": "2023-03-17", "decision_on": "2023-04-13"},
            expect=201,
        )
        jury_round, panel, _ = await committee_round(
            amelie, edition=EDITION, name=ROUND, panel=PANEL, category=CATEGORY, criteria=CRITERIA
        )
        state["round"] = jury_round["id"]
        await amelie.put(f"/api/editions/{EDITION}/prizes", [{**PRIZE, "max_winners": COHORT_SIZE}])
        await amelie.put(
            f"/api/editions/{EDITION}/eligibility",
            {
                "territory": {"department": "92", "accepted_outside_insee": []},
                "max_company_age_years": 3,
                "required_fields": [
                    "nom_structure",
                    "nom_porteur",
                    "courriel",
                    "code_insee",
                    "date_creation",
                ],
            },
        )
        return {
            "created": created,
            "panel": panel,
            "rounds": await amelie.get(f"/api/editions/{EDITION}/rounds"),
            "grid": await amelie.get(f"/api/editions/{EDITION}/grid"),
        }

    async def applications() -> dict[str, Any]:
        amelie = state["organiser"]
        await amelie.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        entered = {}
        for entrepreneur in (*ENTREPRENEURS, TOO_OLD):
            entered[entrepreneur[1]] = await amelie.post(
                f"/api/editions/{EDITION}/candidates", fields(entrepreneur), expect=201
            )
        state["ids"] = {name: body["candidate"]["id"] for name, body in entered.items()}
        withdrawn = await amelie.post(
            f"/api/candidates/{state['ids'][TOO_OLD[1]]}/withdrawal",
            {"reason": "Entreprise créée il y a plus de trois ans à la clôture des candidatures."},
        )
        return {"entered": entered, "withdrawn": withdrawn}

    async def jury() -> dict[str, Any]:
        amelie = state["organiser"]
        rid = state["round"]
        rows = [[name, email, title, PANEL, role, "oui"] for name, email, title, role in JURY]
        report = await import_jurors(amelie, edition=EDITION, rows=rows)
        await amelie.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        prepared = await prepare_single_panel_round(amelie, edition=EDITION, round_id=rid, k=3)
        opened = await amelie.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score_on_tablets(
            world,
            cards=prepared["cards"],
            round_id=rid,
            marks=lambda c, criterion: criterion["max"] * SHARE[c["entry_number"]],
        )
        await amelie.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        [standing] = await amelie.get(f"/api/rounds/{rid}/standings")
        state["based_on"] = f"{standing['method']} {standing['input_digest']}"
        return {"report": report, "prepared": prepared, "opened": opened, "seen": seen, "standing": standing}

    async def cohort() -> dict[str, Any]:
        amelie = state["organiser"]
        rid = state["round"]
        selected = await amelie.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": PRIZE["code"], "candidate_id": state["ids"][name]} for name in COHORT],
                "round_id": rid,
                "reason": REASON,
                "based_on": state["based_on"],
                "decided_on": "2023-04-13",
            },
        )
        closed = await amelie.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await amelie.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        return {"selected": selected, "closed": closed, "decided": decided}

    async def cohort_list() -> dict[str, Any]:
        amelie = state["organiser"]
        panel = flow["jury"]["prepared"]["panel"]
        return {
            "decisions": await amelie.get(f"/api/editions/{EDITION}/decisions"),
            "minutes": await read_minutes(amelie, round_id=state["round"], panel_id=panel["id"]),
        }

    for name, run in (
        ("contest", contest),
        ("setup", setup),
        ("applications", applications),
        ("jury", jury),
        ("cohort", cohort),
        ("cohort list", cohort_list),
    ):
        await flow.stage(name, run)
    yield flow


# --- What each stage leaves behind ----------------------------------------------------------------------


async def test_the_administrator_creates_the_programme_and_names_its_organiser(boost: Flow) -> None:
    outcome = boost["contest"]
    created = outcome["created"]
    assert {k: created[k] for k in ("slug", "name", "organisers", "candidate_kind", "editions")} == {
        "slug": CONTEST,
        "name": NAME,
        "organisers": ORGANISERS,
        "candidate_kind": "company",
        "editions": [],
    }
    named = outcome["named"]
    assert (named["email"], named["full_name"], named["created"]) == (
        ORGANISER["email"],
        ORGANISER["name"],
        True,
    )


async def test_the_first_cohort_is_set_up_from_scratch(boost: Flow) -> None:
    setup = boost["setup"]
    created = setup["created"]
    assert (created["slug"], created["year"], created["number"], created["status"], created["copied"]) == (
        EDITION,
        2023,
        1,
        "preparing",
        {},
    )
    assert [(r["kind"], r["name"], r["status"], r["panel_count"]) for r in setup["rounds"]] == [
        ("committee", ROUND, "draft", 1)
    ]
    grid = setup["grid"]
    [category] = grid["categories"]
    assert [(c["code"], c["label"], c["weight"]) for c in category["criteria"]] == CRITERIA
    assert [(p["code"], p["name"], p["kind"], p["max_winners"]) for p in grid["prizes"]] == [
        ("promotion", PRIZE["name"], "cohort", 4)
    ]
    assert grid["eligibility"] == {
        "territory": {"department": "92", "accepted_outside_insee": []},
        "max_company_age_years": 3,
        "legal_forms": [],
        "max_request_eur": None,
        "required_fields": ["nom_structure", "nom_porteur", "courriel", "code_insee", "date_creation"],
    }


async def test_a_company_older_than_three_years_is_flagged_then_withdrawn(boost: Flow) -> None:
    applications = boost["applications"]
    entered = applications["entered"]
    assert {name: body["eligibility"]["eligible"] for name, body in entered.items()} == {
        **{e[1]: True for e in ENTREPRENEURS},
        TOO_OLD[1]: False,
    }
    assert [f["rule"] for f in entered[TOO_OLD[1]]["eligibility"]["failures"]] == ["company_age"]
    withdrawn = applications["withdrawn"]
    assert (withdrawn["candidate"]["withdrawn"], withdrawn["round"]["status"]) == (True, "withdrawn")


async def test_the_jury_scores_the_six_applicants_on_tablets(boost: Flow) -> None:
    jury = boost["jury"]
    assert (jury["report"]["imported"], jury["report"]["new_people"]) == (3, 3)
    assert sorted(jury["prepared"]["cards"]) == JURORS
    assert jury["opened"]["status"] == "open"
    for name in JURORS:
        assert sorted(c["entry_number"] for c in jury["seen"][name]) == [1, 2, 3, 4, 5, 6], name
    ranked = sorted(jury["standing"]["lines"], key=lambda line: line["rank"])
    assert [(line["entry_number"], line["raw"]) for line in ranked] == [
        (1, 90.0),
        (2, 85.0),
        (3, 80.0),
        (4, 75.0),
        (5, 65.0),
        (6, 60.0),
    ]


async def test_the_jury_selects_a_cohort_of_four_and_the_edition_is_decided(boost: Flow) -> None:
    outcome = boost["cohort"]
    assert [(a["prize"], a["candidate"], a["granted_eur"], a["decided_on"]) for a in outcome["selected"]] == [
        (PRIZE["name"], name, None, "2023-04-13") for name in COHORT
    ]
    assert outcome["closed"]["status"] == "closed"
    assert (outcome["decided"]["previous"], outcome["decided"]["status"]) == ("judging", "decided")


async def test_the_cohort_list_is_read_back_from_the_decisions_and_the_proces_verbal(boost: Flow) -> None:
    outcome = boost["cohort list"]
    assert sorted((d["prize"], d["candidate"], d["reason"]) for d in outcome["decisions"]) == sorted(
        (PRIZE["name"], name, REASON) for name in COHORT
    )
    text = outcome["minutes"]
    for juror in JURORS:
        assert juror in text
    for name in COHORT:
        assert f"{PRIZE['name']} {name} {REASON}" in text
    for name in ("Verte Mobilité", "Papeterie Oréa"):
        assert f"{PRIZE['name']} {name}" not in text
