"""Curious Lab' 2023, set up from nothing through HTTP only: the Département's laboratory of student ideas.

What the brochure says (seed-brochure-hauts-de-seine.txt, « Stimuler l'innovation territoriale »): launched
in 2019 by the Département; communes of the Hauts-de-Seine set challenges to students (schools of business,
geopolitics, engineering, digital) on the quality and modernisation of their public services; the
Département funds the most accomplished solutions, « dans la limite d'une subvention de 20 000 € par
solution retenue »; examples: easing traffic, urban logistics, a one-stop desk, greening a town centre;
four new towns joined in 2023: Bois-Colombes, Clichy, Ville-d'Avray and Sèvres.

Assumptions of this test (the brochure does not give them): the call runs every year since 2019, so 2023 is
the 5th edition; the year's envelope is 50 000 €; the grid, the committee and the people are invented.

The Département's administrator creates the contest and names its organiser, who builds the 2023 edition
from scratch (no copy): the committee round and its panel, the grid /100, the « Solution retenue » prize
(a laureate prize: a grant), the ceiling of 20 000 € and a budget, the rules (communes of the 92, a
request within the ceiling). The communes' projects enter (Nanterre's 25 000 € request is flagged, then
withdrawn), the committee scores on tablets, the grants follow the ranking within the envelope, the
edition is decided, the procès-verbal is read back and the grant letters verified at /verifier.

Every member gives each criterion the same share of its points, so the totals are known: Sèvres 90,
Clichy 80, Bois-Colombes 70, Ville-d'Avray 60. The first three ask 20 000 + 18 000 + 12 000 = 50 000 €,
the whole envelope: Ville-d'Avray's 15 000 € no longer fit.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    Flow,
    World,
    committee_proposal,
    committee_round,
    diplomas_with_pdfs,
    import_jurors,
    new_contest,
    prepare_single_panel_round,
    read_minutes,
    score_on_tablets,
    verify,
)

CONTEST = "curious-lab"
EDITION = "curious-lab-2023"
NAME = "Curious Lab'"
ORGANISERS = "Département des Hauts-de-Seine"
DESCRIPTION = (
    "Laboratoire d'idées innovantes : des étudiants relèvent les défis des communes des Hauts-de-Seine ; "
    "le Département finance les solutions retenues, dans la limite de 20 000 € par solution."
)
ORGANISER = {
    "email": "camille.renard@exemple.fr",
    "name": "Camille Renard",
    "password": "laboratoire-2023",
}
THEME = (
    "Moderniser les services publics locaux : transitions territoriale, écologique, citoyenne et numérique"
)
BUDGET = 50_000
CEILING = 20_000
ROUND = "Comité de sélection"
PANEL = "Comité Curious Lab'"
CATEGORY = ("defis", "Défis des communes")
CRITERIA = [
    ("reponse", "Réponse au défi de la commune", 30.0),
    ("innovation", "Caractère innovant", 25.0),
    ("faisabilite", "Faisabilité de la mise en œuvre", 25.0),
    ("transition", "Transition territoriale, écologique, citoyenne ou numérique", 20.0),
]
PRIZE = {"code": "solution-retenue", "name": "Solution retenue Curious Lab'", "kind": "laureate"}
# Who signs the grant letters: an edition from scratch has none until they are set.
SIGNATORIES = [{"name": "Georges Siffredi", "title": "Le Président du Département des Hauts-de-Seine"}]

# numero, commune (structure), student lead, e-mail, INSEE, request, project, share of each criterion's points
PROJECTS = (
    (
        1,
        "Ville de Sèvres",
        "Inès Garnier",
        "defi@sevres.exemple.fr",
        "92072",
        20000,
        "Un guichet unique",
        0.9,
    ),
    (
        2,
        "Ville de Clichy",
        "Hugo Lambert",
        "defi@clichy.exemple.fr",
        "92024",
        18000,
        "La logistique urbaine",
        0.8,
    ),
    (
        3,
        "Ville de Bois-Colombes",
        "Manon Petit",
        "defi@bois-colombes.exemple.fr",
        "92009",
        12000,
        "Un outil de fluidification du trafic",
        0.7,
    ),
    (
        4,
        "Ville de Ville-d'Avray",
        "Lucas Fontaine",
        "defi@ville-davray.exemple.fr",
        "92077",
        15000,
        "Le verdissement du centre-ville",
        0.6,
    ),
)
OVER_CEILING = (
    5,
    "Ville de Nanterre",
    "Chloé Mercier",
    "defi@nanterre.exemple.fr",
    "92050",
    25000,
    "Des navettes autonomes",
    0.95,
)
SHARE = {p[0]: p[-1] for p in (*PROJECTS, OVER_CEILING)}
FUNDED = [("Ville de Sèvres", 20000), ("Ville de Clichy", 18000), ("Ville de Bois-Colombes", 12000)]
COMMITTEE = [
    ("Sophie Marchand", "sophie.marchand@exemple.fr", "Directrice de l'innovation territoriale", "président"),
    ("Karim Benali", "karim.benali@exemple.fr", "Enseignant en école d'ingénieurs", "juré"),
    ("Élise Perrin", "elise.perrin@exemple.fr", "Directrice générale des services d'une commune", "juré"),
]
MEMBERS = sorted(name for name, *_ in COMMITTEE)
REASON = "Les trois solutions les mieux classées, dans l'enveloppe de l'édition."


def fields(project: tuple[Any, ...]) -> dict[str, Any]:
    numero, commune, lead, email, insee, amount, title, _ = project
    return {
        "numero": numero,
        "nom_structure": commune,
        "nom_porteur": lead,
        "courriel": email,
        "code_insee": insee,
        "forme_juridique": "Commune",
        "montant_demande": amount,
        "projet": title,
        "categorie": CATEGORY[0],
    }


@pytest.fixture(scope="module")
async def curious_lab(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    state: dict[str, Any] = {}

    async def contest() -> dict[str, Any]:
        created, named, state["organiser"] = await new_contest(
            world,
            contest={
                "slug": CONTEST,
                "name": NAME,
                "organisers": ORGANISERS,
                "candidate_kind": "organisation",
                "description": DESCRIPTION,
            },
            organiser=ORGANISER,
        )
        return {"created": created, "named": named}

    async def setup() -> dict[str, Any]:
        camille = state["organiser"]
        created = await camille.post(
            f"/api/contests/{CONTEST}/editions",
            {
                "year": 2023,
                "number": 5,
                "theme": THEME,
                "opens_on": "2023-01-09",
                "closes_on": "2023-03-31",
                "decision_on": "2023-06-15",
                "budget_eur": BUDGET,
                "max_grant_eur": CEILING,
                "eligible_legal_forms": ["Commune"],
            },
            expect=201,
        )
        committee, panel, grid = await committee_round(
            camille, edition=EDITION, name=ROUND, panel=PANEL, category=CATEGORY, criteria=CRITERIA
        )
        state["round"] = committee["id"]
        prizes = await camille.put(f"/api/editions/{EDITION}/prizes", [{**PRIZE, "max_winners": None}])
        signatories = await camille.put(f"/api/editions/{EDITION}/signatories", SIGNATORIES)
        rules = await camille.put(
            f"/api/editions/{EDITION}/eligibility",
            {
                "territory": {"department": "92", "accepted_outside_insee": []},
                "legal_forms": ["Commune"],
                "max_request_eur": CEILING,
                "required_fields": ["nom_structure", "code_insee", "montant_demande", "projet"],
            },
        )
        edition = await camille.get(f"/api/editions/{EDITION}")
        rounds = await camille.get(f"/api/editions/{EDITION}/rounds")
        read = await camille.get(f"/api/editions/{EDITION}/grid")
        return {
            "created": created,
            "panel": panel,
            "grid": grid,
            "prizes": prizes,
            "signatories": signatories,
            "rules": rules,
            "edition": edition,
            "rounds": rounds,
            "read": read,
        }

    async def applications() -> dict[str, Any]:
        camille = state["organiser"]
        await camille.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        entered = {}
        for project in (*PROJECTS, OVER_CEILING):
            entered[project[1]] = await camille.post(
                f"/api/editions/{EDITION}/candidates", fields(project), expect=201
            )
        state["ids"] = {name: body["candidate"]["id"] for name, body in entered.items()}
        withdrawn = await camille.post(
            f"/api/candidates/{state['ids'][OVER_CEILING[1]]}/withdrawal",
            {"reason": "Demande au-delà de 20 000 € par solution : la commune n'a pas révisé son budget."},
        )
        listed = await camille.get(f"/api/editions/{EDITION}/candidates")
        return {"entered": entered, "withdrawn": withdrawn, "listed": listed}

    async def committee() -> dict[str, Any]:
        camille = state["organiser"]
        rid = state["round"]
        rows = [[name, email, title, PANEL, role, "non"] for name, email, title, role in COMMITTEE]
        report = await import_jurors(camille, edition=EDITION, rows=rows)
        await camille.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        prepared = await prepare_single_panel_round(camille, edition=EDITION, round_id=rid, k=3)
        opened = await camille.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score_on_tablets(
            world,
            cards=prepared["cards"],
            round_id=rid,
            marks=lambda c, criterion: criterion["max"] * SHARE[c["entry_number"]],
        )
        progress = await camille.get(f"/api/rounds/{rid}/progress")
        return {"report": report, "prepared": prepared, "opened": opened, "seen": seen, "progress": progress}

    async def grants() -> dict[str, Any]:
        camille = state["organiser"]
        rid = state["round"]
        standing, proposal, based_on = await committee_proposal(camille, edition=EDITION, round_id=rid)
        ids = state["ids"]
        too_much = await camille.call(
            "POST",
            f"/api/editions/{EDITION}/grants",
            expect=422,
            json={
                "grants": [{"candidate_id": ids[name], "granted_eur": amount} for name, amount in FUNDED]
                + [{"candidate_id": ids["Ville de Ville-d'Avray"], "granted_eur": 15000}],
                "based_on": based_on,
                "round_id": rid,
            },
        )
        granted = await camille.post(
            f"/api/editions/{EDITION}/grants",
            {
                "grants": [{"candidate_id": ids[name], "granted_eur": amount} for name, amount in FUNDED],
                "based_on": based_on,
                "round_id": rid,
                "reason": REASON,
                "decided_on": "2023-06-15",
            },
        )
        closed = await camille.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await camille.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        decisions = await camille.get(f"/api/editions/{EDITION}/decisions")
        return {
            "standing": standing,
            "proposal": proposal,
            "too_much": too_much.json(),
            "granted": granted,
            "closed": closed,
            "decided": decided,
            "decisions": decisions,
        }

    async def minutes() -> str:
        panel = flow["committee"]["prepared"]["panel"]
        return await read_minutes(state["organiser"], round_id=state["round"], panel_id=panel["id"])

    async def letters() -> dict[str, Any]:
        made = await diplomas_with_pdfs(state["organiser"], edition=EDITION)
        visitor = await world.open("visiteur")
        return {
            **made,
            "checks": {row[0]: await verify(visitor, row[3]) for row in made["rows"]},
            # Printed under the QR code: where to type the code (the QR code holds the address with it).
            "verifier": world.settings.base_url.rstrip("/") + "/verifier",  # printed whole
        }

    for name, run in (
        ("contest", contest),
        ("setup", setup),
        ("applications", applications),
        ("committee", committee),
        ("grants", grants),
        ("minutes", minutes),
        ("letters", letters),
    ):
        await flow.stage(name, run)
    yield flow


# --- What each stage leaves behind ----------------------------------------------------------------------


async def test_the_administrator_creates_curious_lab_and_names_its_organiser(curious_lab: Flow) -> None:
    outcome = curious_lab["contest"]
    created = outcome["created"]
    assert {k: created[k] for k in ("slug", "name", "organisers", "candidate_kind", "editions")} == {
        "slug": CONTEST,
        "name": NAME,
        "organisers": ORGANISERS,
        "candidate_kind": "organisation",
        "editions": [],
    }
    named = outcome["named"]
    assert (named["contest_slug"], named["email"], named["full_name"], named["created"]) == (
        CONTEST,
        ORGANISER["email"],
        ORGANISER["name"],
        True,
    )


async def test_the_2023_call_is_set_up_from_scratch_with_its_ceiling_and_envelope(curious_lab: Flow) -> None:
    setup = curious_lab["setup"]
    created = setup["created"]
    assert (created["slug"], created["copied_from"], created["copied"]) == (EDITION, None, {})
    assert {
        k: created[k]
        for k in ("year", "number", "status", "theme", "budget_eur", "max_grant_eur", "eligible_legal_forms")
    } == {
        "year": 2023,
        "number": 5,
        "status": "preparing",
        "theme": THEME,
        "budget_eur": 50000,
        "max_grant_eur": 20000,
        "eligible_legal_forms": ["Commune"],
    }
    assert [(r["kind"], r["name"], r["status"], r["panel_count"]) for r in setup["rounds"]] == [
        ("committee", ROUND, "draft", 1)
    ]
    [category] = setup["read"]["categories"]
    assert (category["code"], category["name"], category["weights_total"]) == (*CATEGORY, 100.0)
    assert [(c["code"], c["label"], c["weight"], c["scale_max"]) for c in category["criteria"]] == [
        (code, label, weight, 10.0) for code, label, weight in CRITERIA
    ]
    assert [(p["code"], p["name"], p["kind"], p["max_winners"]) for p in setup["read"]["prizes"]] == [
        ("solution-retenue", "Solution retenue Curious Lab'", "laureate", None)
    ]
    assert setup["signatories"] == [{"position": 1, **SIGNATORIES[0], "distinction": None}]
    assert setup["read"]["eligibility"] == {
        "territory": {"department": "92", "accepted_outside_insee": []},
        "max_company_age_years": None,
        "legal_forms": ["Commune"],
        "max_request_eur": 20000,
        "required_fields": ["nom_structure", "code_insee", "montant_demande", "projet"],
    }


async def test_a_request_above_20000_euros_is_flagged_then_withdrawn(curious_lab: Flow) -> None:
    applications = curious_lab["applications"]
    entered = applications["entered"]
    for _, commune, *_ in PROJECTS:
        assert entered[commune]["round"]["name"] == ROUND
        assert entered[commune]["eligibility"]["eligible"] is True, commune
    nanterre = entered["Ville de Nanterre"]["eligibility"]
    assert nanterre["eligible"] is False
    assert [f["rule"] for f in nanterre["failures"]] == ["requested_amount"]
    assert applications["withdrawn"]["candidate"]["withdrawn"] is True
    listed = {c["entry_number"]: c for c in applications["listed"]}
    assert sorted(listed) == [1, 2, 3, 4, 5]
    assert (listed[1]["organisation_name"], listed[1]["commune"]) == ("Ville de Sèvres", "Sèvres")


async def test_the_committee_scores_the_four_projects_on_tablets(curious_lab: Flow) -> None:
    committee = curious_lab["committee"]
    assert committee["report"]["imported"] == 3
    assert sorted(committee["prepared"]["cards"]) == MEMBERS
    assert committee["opened"]["status"] == "open"
    assert sorted(committee["seen"]) == MEMBERS
    for name in MEMBERS:
        assert sorted(c["entry_number"] for c in committee["seen"][name]) == [1, 2, 3, 4], name


async def test_grants_follow_the_ranking_within_the_envelope_and_the_call_is_decided(
    curious_lab: Flow,
) -> None:
    outcome = curious_lab["grants"]
    ranked = sorted(outcome["standing"]["lines"], key=lambda line: line["rank"])
    assert [(line["entry_number"], line["raw"]) for line in ranked] == [
        (1, 90.0),
        (2, 80.0),
        (3, 70.0),
        (4, 60.0),
    ]
    proposal = outcome["proposal"]
    assert (proposal["budget_eur"], proposal["max_grant_eur"], proposal["proposed_total_eur"]) == (
        50000,
        20000,
        50000,
    )
    assert [(line["candidate"], line["proposed_eur"], line["status"]) for line in proposal["lines"]] == [
        ("Ville de Sèvres", 20000, "full"),
        ("Ville de Clichy", 18000, "full"),
        ("Ville de Bois-Colombes", 12000, "full"),
        ("Ville de Ville-d'Avray", 0, "unfunded"),
    ]
    assert outcome["too_much"]["status_code"] == 422
    assert [(a["prize"], a["candidate"], a["granted_eur"], a["decided_on"]) for a in outcome["granted"]] == [
        ("Solution retenue Curious Lab'", name, amount, "2023-06-15") for name, amount in FUNDED
    ]
    assert outcome["closed"]["status"] == "closed"
    assert (outcome["decided"]["previous"], outcome["decided"]["status"]) == ("judging", "decided")
    assert sorted((d["kind"], d["candidate"], d["granted_eur"]) for d in outcome["decisions"]) == sorted(
        ("laureate", name, amount) for name, amount in FUNDED
    )


async def test_the_proces_verbal_names_the_committee_and_the_retained_solutions(curious_lab: Flow) -> None:
    # A line of the decisions table may break a hyphenated commune (« Bois- Colombes »): joined back.
    text = re.sub(r"(\w)- (\w)", r"\1-\2", curious_lab["minutes"])
    assert "Procès-verbal de délibération" in text
    for name, title, role in ((n, t, r) for n, _, t, r in COMMITTEE):
        chair = " — présidence du jury" if role == "président" else ""
        assert f"{name}, {title}{chair}" in text
    assert "Aucun conflit d'intérêts déclaré." in text
    assert (
        "Rang Candidat Score calibré Moyenne brute Notes P(qualifié) Observations "
        "1 Ville de Sèvres 90,00 90,00 3 — 2 Ville de Clichy 80,00 80,00 3 — "
        "3 Ville de Bois-Colombes 70,00 70,00 3 — 4 Ville de Ville-d'Avray 60,00 60,00 3 —"
    ) in text
    assert "Ville de Nanterre" not in text  # withdrawn before the committee
    for name, _ in FUNDED:
        assert f"Lauréat : Solution retenue Curious Lab' {name} {REASON}" in text


async def test_the_grant_letters_state_the_amount_and_are_verified_by_anyone(curious_lab: Flow) -> None:
    outcome = curious_lab["letters"]
    assert [(row[0], row[1], row[2]) for row in outcome["rows"]] == [
        ("Inès Garnier — Ville de Sèvres", "Solution retenue Curious Lab'", "prêt PDF"),
        ("Hugo Lambert — Ville de Clichy", "Solution retenue Curious Lab'", "prêt PDF"),
        ("Manon Petit — Ville de Bois-Colombes", "Solution retenue Curious Lab'", "prêt PDF"),
    ]
    projects = {p[1]: p for p in PROJECTS}
    signatory = f"{SIGNATORIES[0]['title']} {SIGNATORIES[0]['name']}"
    assert len(outcome["pdfs"]) == 3
    for (laureate, prize, _, code, *_), pdf, (structure, amount) in zip(
        outcome["rows"], outcome["pdfs"], FUNDED, strict=True
    ):
        _, _, lead, _, _, _, project, _ = projects[structure]
        commune = structure.removeprefix("Ville de ")
        grouped = f"{amount:,}".replace(",", " ")
        assert laureate == f"{lead} — {structure}"
        # The grant letter read back (pypdf joins the laureate's name and the line under it).
        assert pdf[pdf.index("Attestation") :] == (
            f"Attestation de lauréat Curious Lab' 5e édition — 2023 décernée à {lead}{structure}, {commune} "
            f"Solution retenue Curious Lab' pour le projet « {project} » Subvention accordée : {grouped} € "
            f"Fait à Nanterre, le 15 juin 2023 {signatory} Code de vérification {code} {outcome['verifier']}"
        )
        # Anyone holding the code reads what was decided, the amount included.
        assert (
            f"Ce diplôme est authentique. Concours Curious Lab' Édition 5 e édition — 2023 Distinction {prize} "
            f"Lauréat {laureate} Décision du jury 15 juin 2023 Code de vérification {code} "
            f"Subvention accordée {grouped} €"
        ) in outcome["checks"][laureate]
    assert "Ville-d'Avray" not in " ".join(outcome["pdfs"])  # not funded: no letter
