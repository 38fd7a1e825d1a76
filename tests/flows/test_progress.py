"""Progr'ESS 2025: next year's call for projects run by its organiser through HTTP only.

Leïla Amrani copies the 2024 call (eligibility round, committee, grid /100, the « Lauréat » prize), sets
the year's budget (40 000 €, 15 000 € at most per project) and its eligible legal forms, enters the
applications, applies the eligibility rules, invites the committee, whose members score on tablets; the
committee funds the best projects within the budget, the procès-verbal is read back and the laureates'
certificates verified at /verifier.

Every member gives a project the same whole marks (the grid counts in whole points): each criterion about
the project's share of its points, the points left over by rounding on the first criteria, so the totals are
known: Repair Café de Clichy 90, Les Petites Cantines de Montrouge 80, Fondation Lumière d'Antony 70,
Potager Partagé de Colombes 60. The first three ask 12 000 + 15 000 + 10 000 = 37 000 €; the fourth's
9 000 € no longer fits in the 3 000 € left.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    Flow,
    World,
    committee_proposal,
    generate_diplomas,
    import_jurors,
    print_cards,
    read_minutes,
    score_round,
    verify,
)

CONTEST = "progress"
LAST_YEAR = "progress-2024"
EDITION = "progress-2025"
ORGANISER = "leila.amrani@exemple.fr"
THEME = "Agir pour la transition écologique et solidaire"

# organisation, contact, e-mail, INSEE code, legal form, request, project, share of the grid's 100 points
PROJECTS = (
    (
        "Repair Café de Clichy",
        "Hélène Marchal",
        "contact@repaircafe-clichy.exemple.fr",
        "92024",
        "Association",
        12000,
        "Un atelier de réparation ouvert chaque samedi",
        0.9,
    ),
    (
        "Les Petites Cantines de Montrouge",
        "Samir Haddad",
        "bonjour@cantines-montrouge.exemple.fr",
        "92049",
        "ESUS",
        15000,
        "Une cantine de quartier participative",
        0.8,
    ),
    (
        "Fondation Lumière d'Antony",
        "Claire Benoît",
        "contact@fondation-lumiere.exemple.fr",
        "92002",
        "Fondation",
        10000,
        "Des ateliers numériques pour les seniors",
        0.7,
    ),
    (
        "Potager Partagé de Colombes",
        "Jules Perret",
        "potager@colombes.exemple.fr",
        "92025",
        "Association",
        9000,
        "Un potager pédagogique au pied des immeubles",
        0.6,
    ),
)
INELIGIBLE = (
    (
        "Vélo Express SARL",
        "Marc Antoine",
        "contact@velo-express.exemple.fr",
        "92050",
        "SARL",
        8000,
        "Des livraisons à vélo",
        0.95,
    ),
    (
        "Horizon Argenteuil",
        "Yasmine Kaci",
        "horizon@argenteuil.exemple.fr",
        "95018",
        "Association",
        7000,
        "Un tiers-lieu culturel",
        0.95,
    ),
    (
        "Grand Projet Solidaire",
        "Paul Renaud",
        "gps@boulogne.exemple.fr",
        "92012",
        "Association",
        20000,
        "Une recyclerie géante",
        0.95,
    ),
)
SHARE = {p[0]: p[-1] for p in (*PROJECTS, *INELIGIBLE)}


def whole_marks(share: float, maxima: list[tuple[str, int]]) -> dict[str, int]:
    """Whole marks out of each criterion's maximum adding up to `share` of the grid's points: each
    criterion's share rounded down, then one point more on the first criteria until the total is reached."""
    marks = {label: int(top * share) for label, top in maxima}
    missing = round(sum(top for _, top in maxima) * share) - sum(marks.values())
    for label, top in maxima:
        if missing and marks[label] < top:
            marks[label] += 1
            missing -= 1
    return marks


FUNDED = [
    ("Repair Café de Clichy", 12000),
    ("Les Petites Cantines de Montrouge", 15000),
    ("Fondation Lumière d'Antony", 10000),
]
COMMITTEE = [
    (
        "Martine Olivier",
        "martine.olivier@exemple.fr",
        "Directrice de l'attractivité et de l'ESS",
        "président",
    ),
    ("Fatou Sy", "fatou.sy@exemple.fr", "Responsable d'un incubateur de l'ESS", "juré"),
    ("Denis Caron", "denis.caron@exemple.fr", "Banquier solidaire", "juré"),
    ("Aurore Lemaire", "aurore.lemaire@exemple.fr", "Déléguée d'une fondation d'entreprise", "juré"),
]
MEMBERS = sorted(name for name, *_ in COMMITTEE)


def fields(project: tuple[Any, ...], *, category: str) -> dict[str, Any]:
    """The application as entered, in the import's columns; the grid's only category named, as the
    import's « categorie » column does: a project without one has no grid to be scored on."""
    organisation, contact, email, insee, form, amount, title, _ = project
    return {
        "categorie": category,
        "nom_structure": organisation,
        "nom_porteur": contact,
        "courriel": email,
        "code_insee": insee,
        "forme_juridique": form,
        "montant_demande": amount,
        "projet": title,
    }


@pytest.fixture(scope="module")
async def progress(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    leila = await world.organiser(ORGANISER)
    state: dict[str, Any] = {}

    async def setup() -> dict[str, Any]:
        created = await leila.post(
            f"/api/contests/{CONTEST}/editions", {"year": 2025, "copy_from": LAST_YEAR}, expect=201
        )
        await leila.patch(
            f"/api/editions/{EDITION}",
            {
                "theme": THEME,
                "opens_on": "2025-10-06",
                "closes_on": "2025-12-19",
                "decision_on": "2026-03-12",
                "budget_eur": 40000,
                "max_grant_eur": 15000,
            },
        )
        grid = await leila.get(f"/api/editions/{EDITION}/grid")
        [category] = grid["categories"]
        state["category"] = category["code"]
        lopsided = [dict(c) for c in category["criteria"]]
        lopsided[0]["weight"] -= 5  # 95 points in all: refused, the grid is out of 100
        criteria = [
            {k: c[k] for k in ("code", "label", "weight", "scale_min", "scale_max", "scale_step", "help")}
            for c in lopsided
        ]
        refused = await leila.call(
            "PUT",
            f"/api/editions/{EDITION}/categories/{category['code']}/criteria",
            expect=422,
            json={"criteria": criteria, "weights_total": 100},
        )
        rules = await leila.put(
            f"/api/editions/{EDITION}/eligibility",
            {
                "territory": {"department": "92", "accepted_outside_insee": []},
                "legal_forms": ["Association", "ESUS", "Fondation"],
                "max_request_eur": 15000,
                "required_fields": grid["eligibility"].get("required_fields", []),
            },
        )
        rounds = await leila.get(f"/api/editions/{EDITION}/rounds")
        state["eligibility"], state["committee"] = (r["id"] for r in rounds)
        after = await leila.get(f"/api/editions/{EDITION}/grid")
        return {
            "created": created,
            "grid": grid,
            "refused": refused.json(),
            "rules": rules,
            "rounds": rounds,
            "after": after,
        }

    async def applications() -> dict[str, Any]:
        await leila.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        entered = {}
        for project in (*PROJECTS, *INELIGIBLE):
            entered[project[0]] = await leila.post(
                f"/api/editions/{EDITION}/candidates",
                fields(project, category=state["category"]),
                expect=201,
            )
        state["ids"] = {name: body["candidate"]["id"] for name, body in entered.items()}
        state["names"] = {cid: name for name, cid in state["ids"].items()}
        return {"entered": entered}

    async def eligibility() -> dict[str, Any]:
        await leila.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        rid = state["eligibility"]
        outcomes = await leila.post(f"/api/rounds/{rid}/eligibility")
        eligible = [o["candidate_id"] for o in outcomes if o["eligible"]]
        # No panel, no juror: the organisers decide this round by its rules, so it opens as it is.
        moves = [await leila.post(f"/api/rounds/{rid}/status", {"to": "open"})]
        moves.append(await leila.post(f"/api/rounds/{rid}/status", {"to": "deliberation"}))
        advanced = await leila.post(
            f"/api/rounds/{rid}/advance",
            {"advance": eligible, "based_on": "Règles d'éligibilité de l'édition"},
        )
        moves.append(await leila.post(f"/api/rounds/{rid}/status", {"to": "closed"}))
        return {"outcomes": outcomes, "moves": moves, "advanced": advanced}

    async def committee() -> dict[str, Any]:
        rid = state["committee"]
        rows = [
            [name, email, title, "Comité de sélection", role, "non"] for name, email, title, role in COMMITTEE
        ]
        report = await import_jurors(leila, edition=EDITION, rows=rows)
        entries = await leila.get(f"/api/rounds/{rid}/entries")
        plan = await leila.post(f"/api/rounds/{rid}/assignments", {"k": 4, "seed": 1})
        cards = await print_cards(leila, edition=EDITION)
        opened = await leila.post(f"/api/rounds/{rid}/status", {"to": "open"})
        [category] = flow["setup"]["after"]["categories"]
        maxima = [(c["label"], int(c["scale_max"])) for c in category["criteria"]]
        seen = {}
        for name, code in sorted(cards.items()):
            tablet = await world.tablet(code, name=name)
            seen[name] = await score_round(
                tablet,
                round_id=rid,
                marks=lambda c, criterion: whole_marks(SHARE[c["name"]], maxima)[criterion["label"]],
            )
            await world.close(tablet)
        return {"report": report, "entries": entries, "plan": plan, "opened": opened, "seen": seen}

    async def grants() -> dict[str, Any]:
        rid = state["committee"]
        standing, proposal, based_on = await committee_proposal(leila, edition=EDITION, round_id=rid)
        ids = state["ids"]
        too_much = await leila.call(
            "POST",
            f"/api/editions/{EDITION}/grants",
            expect=422,
            json={
                "grants": [{"candidate_id": ids[name], "granted_eur": amount} for name, amount in FUNDED]
                + [{"candidate_id": ids["Potager Partagé de Colombes"], "granted_eur": 9000}],
                "based_on": based_on,
                "round_id": rid,
            },
        )
        outside = await leila.call(
            "POST",
            f"/api/editions/{EDITION}/grants",
            expect=422,
            json={
                "grants": [{"candidate_id": ids[INELIGIBLE[0][0]], "granted_eur": 8000}],
                "based_on": based_on,
                "round_id": rid,
                "reason": "Projet apprécié",
            },
        )
        granted = await leila.post(
            f"/api/editions/{EDITION}/grants",
            {
                "grants": [{"candidate_id": ids[name], "granted_eur": amount} for name, amount in FUNDED],
                "based_on": based_on,
                "round_id": rid,
                "reason": "Répartition du comité dans l'enveloppe de l'édition.",
                "decided_on": "2026-03-12",
            },
        )
        closed = await leila.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await leila.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        return {
            "standing": standing,
            "proposal": proposal,
            "too_much": too_much.json(),
            "outside": outside.json(),
            "granted": granted,
            "closed": closed,
            "decided": decided,
        }

    async def minutes() -> str:
        [panel] = flow["committee"]["entries"]["panels"]
        return await read_minutes(leila, round_id=state["committee"], panel_id=panel["id"])

    async def certificates() -> dict[str, Any]:
        rows = await generate_diplomas(leila, edition=EDITION)
        visitor = await world.open("visiteur")
        return {"rows": rows, "checks": {row[0]: await verify(visitor, row[3]) for row in rows}}

    for name, run in (
        ("setup", setup),
        ("applications", applications),
        ("eligibility", eligibility),
        ("committee", committee),
        ("grants", grants),
        ("minutes", minutes),
        ("certificates", certificates),
    ):
        await flow.stage(name, run)
    yield flow


async def test_the_call_is_last_years_with_this_years_budget_and_forms(progress: Flow) -> None:
    setup = progress["setup"]
    assert setup["created"]["slug"] == EDITION
    assert [(r["kind"], r["name"], r["status"]) for r in setup["rounds"]] == [
        ("eligibility", "Éligibilité", "draft"),
        ("committee", "Comité de sélection", "draft"),
    ]
    [category] = setup["after"]["categories"]
    assert [(c["label"], c["weight"]) for c in category["criteria"]] == [
        ("Utilité sociale", 25.0),
        ("Ancrage local", 20.0),
        ("Viabilité économique", 20.0),
        ("Innovation", 15.0),
        ("Impact environnemental", 10.0),
        ("Gouvernance", 10.0),
    ]
    assert setup["after"]["eligibility"]["legal_forms"] == ["Association", "ESUS", "Fondation"]


async def test_a_grid_that_does_not_sum_to_100_is_refused(progress: Flow) -> None:
    refused = progress["setup"]["refused"]
    assert refused["status_code"] == 422
    assert "100" in str(refused["errors"])


async def test_applications_are_checked_against_the_rules_as_they_enter(progress: Flow) -> None:
    entered = progress["applications"]["entered"]
    assert {name: body["eligibility"]["eligible"] for name, body in entered.items()} == {
        **{p[0]: True for p in PROJECTS},
        **{p[0]: False for p in INELIGIBLE},
    }
    assert [f["rule"] for f in entered["Vélo Express SARL"]["eligibility"]["failures"]] == ["legal_form"]
    assert [f["rule"] for f in entered["Horizon Argenteuil"]["eligibility"]["failures"]] == ["territory"]
    assert [f["rule"] for f in entered["Grand Projet Solidaire"]["eligibility"]["failures"]] == [
        "requested_amount"
    ]


async def test_the_eligibility_round_sends_the_eligible_projects_to_the_committee(progress: Flow) -> None:
    outcome = progress["eligibility"]
    assert {
        progress_name(progress, o["candidate_id"]): (o["eligible"], o["reasons"]) for o in outcome["outcomes"]
    } == {
        **{p[0]: (True, []) for p in PROJECTS},
        "Vélo Express SARL": (
            False,
            [
                "Forme juridique non éligible pour cette édition : « SARL » (formes admises : Association, ESUS, "
                "Fondation)"
            ],
        ),
        "Horizon Argenteuil": (
            False,
            ["Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)"],
        ),
        "Grand Projet Solidaire": (
            False,
            ["Montant demandé (20\u202f000\xa0€) supérieur au plafond de 15\u202f000\xa0€"],
        ),
    }
    assert [(m["previous"], m["status"]) for m in outcome["moves"]] == [
        ("draft", "open"),
        ("open", "deliberation"),
        ("deliberation", "closed"),
    ]
    advanced = outcome["advanced"]
    assert advanced["next_round_id"] == progress["setup"]["rounds"][1]["id"]
    assert [progress_name(progress, cid) for cid in advanced["advanced"]] == [p[0] for p in PROJECTS]
    assert advanced["eliminated"] == []  # the ineligible were settled by the rules, not by the committee
    assert len(advanced["decision_ids"]) == 4


def progress_name(progress: Flow, candidate_id: int) -> str:
    """A project's name from its id, as the applications stage entered it."""
    entered = progress["applications"]["entered"]
    [name] = [name for name, body in entered.items() if body["candidate"]["id"] == candidate_id]
    return name


async def test_the_committee_scores_the_eligible_projects_out_of_100(progress: Flow) -> None:
    committee = progress["committee"]
    # The eligible projects entered the committee and stand before its only panel, with its four members.
    [panel] = committee["entries"]["panels"]
    assert (panel["name"], panel["candidates"]) == ("Comité de sélection", 4)
    assert sorted((m["full_name"], m["role"]) for m in panel["members"]) == sorted(
        (name, "chair" if role == "président" else "juror") for name, _, _, role in COMMITTEE
    )
    assert [(e["name"], e["status"], e["panel_id"]) for e in committee["entries"]["entries"]] == [
        (p[0], "pending", panel["id"]) for p in PROJECTS
    ]
    assert committee["entries"]["problems"] == ["4 candidat(s) sans juré affecté."]
    assert (committee["plan"]["pairs"], committee["plan"]["uncovered"]) == (16, 0)
    assert committee["opened"]["status"] == "open"
    assert sorted(committee["seen"]) == MEMBERS
    for name in MEMBERS:
        assert sorted(c["name"] for c in committee["seen"][name]) == sorted(p[0] for p in PROJECTS)


async def test_grants_stay_within_the_budget(progress: Flow) -> None:
    outcome = progress["grants"]
    ranked = sorted(outcome["standing"]["lines"], key=lambda line: line["rank"])
    assert [(line["name"], line["raw"]) for line in ranked] == [
        ("Repair Café de Clichy", 90.0),
        ("Les Petites Cantines de Montrouge", 80.0),
        ("Fondation Lumière d'Antony", 70.0),
        ("Potager Partagé de Colombes", 60.0),
    ]
    assert [
        (line["candidate"], line["proposed_eur"], line["status"]) for line in outcome["proposal"]["lines"]
    ] == [
        ("Repair Café de Clichy", 12000, "full"),
        ("Les Petites Cantines de Montrouge", 15000, "full"),
        ("Fondation Lumière d'Antony", 10000, "full"),
        ("Potager Partagé de Colombes", 0, "unfunded"),
    ]
    assert {
        k: outcome["proposal"][k]
        for k in ("budget_eur", "max_grant_eur", "proposed_total_eur", "remaining_eur")
    } == {"budget_eur": 40000, "max_grant_eur": 15000, "proposed_total_eur": 37000, "remaining_eur": 3000}
    assert outcome["too_much"]["status_code"] == 422
    assert outcome["too_much"]["errors"] == [
        {
            "field": "grants",
            "message": "Total accordé (46\u202f000\xa0€) supérieur au budget (40\u202f000\xa0€) : "
            "dépassement de 6\u202f000\xa0€",
        }
    ]
    assert [(a["candidate"], a["granted_eur"], a["decided_on"]) for a in outcome["granted"]] == [
        (name, amount, "2026-03-12") for name, amount in FUNDED
    ]
    assert (outcome["closed"]["previous"], outcome["closed"]["status"]) == ("deliberation", "closed")
    assert (outcome["decided"]["status"], outcome["decided"]["decision_on"]) == ("decided", "2026-03-12")


def plain_spaces(text: str) -> str:
    """French amounts group thousands with narrow no-break spaces and keep « € » with a no-break space:
    read back as ordinary spaces, for exact assertions."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


async def test_a_grant_to_a_project_the_committee_did_not_judge_is_refused(progress: Flow) -> None:
    errors = progress["grants"]["outside"]["errors"]
    assert errors[0]["field"] == "grants[0].candidate_id"
    assert errors[0]["message"].startswith("Vélo Express SARL : N'a pas concouru dans le tour")


async def test_the_proces_verbal_states_the_committees_grants(progress: Flow) -> None:
    text = plain_spaces(progress["minutes"])
    assert "Procès-verbal de délibération" in text
    for member in MEMBERS:
        assert member in text
    decisions = text.split("DÉCISIONS", 1)[1].strip()
    assert decisions.startswith("Décision Candidat Motif Montant accordé Fondement Par Le "), decisions
    for name, amount in FUNDED:
        euros = f"{amount:,} €".replace(",", " ")
        assert (
            f"Lauréat : Lauréat Progr'ESS {name} Répartition du comité dans l'enveloppe de l'édition. {euros} "
            in decisions
        ), name


async def test_the_proces_verbal_states_the_total_granted_and_the_budget_left(progress: Flow) -> None:
    decisions = plain_spaces(progress["minutes"]).split("DÉCISIONS", 1)[1]
    assert (
        "Total accordé par ce jury 37 000 € Budget de l'édition 40 000 € Reste disponible sur le budget 3 000 €"
    ) in decisions
    assert "Accordé par les autres décisions de l'édition" not in decisions  # the committee granted all


async def test_the_laureates_certificates_are_verified_by_anyone(progress: Flow) -> None:
    outcome = progress["certificates"]
    assert [(row[0], row[1]) for row in outcome["rows"]] == [
        ("Hélène Marchal — Repair Café de Clichy", "Lauréat Progr'ESS"),
        ("Samir Haddad — Les Petites Cantines de Montrouge", "Lauréat Progr'ESS"),
        ("Claire Benoît — Fondation Lumière d'Antony", "Lauréat Progr'ESS"),
    ]
    for laureate, prize, _, code, *_ in outcome["rows"]:
        assert (
            f"Ce diplôme est authentique. Concours Progr'ESS Édition 4 e édition — 2025 Distinction {prize} "
            f"Lauréat {laureate} Décision du jury 12 mars 2026 Code de vérification {code}"
        ) in outcome["checks"][laureate]
