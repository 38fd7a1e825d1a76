"""Imaginez le gâteau des Hauts-de-Seine, 2026: next year's tasting run by its organiser through HTTP only.

Romain Texier (CMA) copies the 2025 edition's setup, opens applications, enters the cakes one by one (a
bakery from Argenteuil is flagged: the Gâteau is for the Hauts-de-Seine), invites last year's chair and
jurors back with a spreadsheet, prints their access cards, and the jurors taste blind on their tablets.
The jury's marks decide the podium; the procès-verbal is read back, the edition decided and its diplomas
verified by anyone at /verifier.

Every juror gives each criterion of a cake the same mark, the same for every juror, so each weighted total
is ten times that mark and the podium is known in advance: « Le Clocher de Sceaux » (n° 12, 9/10),
« Pavlova des Coteaux » (n° 15, 8,5/10), « Tarte Tatin de Sèvres » (n° 14, 8/10).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    Flow,
    World,
    generate_diplomas,
    import_jurors,
    print_cards,
    read_minutes,
    score_round,
    verify,
)

CONTEST = "gateau-des-hauts-de-seine"
LAST_YEAR = "gateau-des-hauts-de-seine-2025"
EDITION = "gateau-des-hauts-de-seine-2026"
ORGANISER = "romain.texier@exemple.fr"
THEME = "Le gâteau de fête, entre patrimoine et création"

# numero, shop, artisan, e-mail, INSEE code, legal form, founded, creation, recipe, mark of every criterion
CAKES = (
    (
        12,
        "Pâtisserie Morel",
        "Julie Morel",
        "julie.morel@exemple.fr",
        "92071",
        "SARL",
        "2012-03-01",
        "Le Clocher de Sceaux",
        "Entremets praliné-noisette en forme de clocher.",
        9.0,
    ),
    (
        14,
        "Maison Dufresne",
        "Karim Dufresne",
        "karim.dufresne@exemple.fr",
        "92072",
        "EI",
        "2016-09-15",
        "Tarte Tatin de Sèvres",
        "Tatin aux pommes d'Île-de-France, caramel au beurre demi-sel.",
        8.0,
    ),
    (
        15,
        "Au Fournil des Coteaux",
        "Anne Leclerc",
        "anne.leclerc@exemple.fr",
        "92064",
        "SAS",
        "2019-01-07",
        "Pavlova des Coteaux",
        "Meringue croquante, crème vanille et fruits rouges.",
        8.5,
    ),
    (
        11,
        "Boulangerie Garnier",
        "Théo Garnier",
        "theo.garnier@exemple.fr",
        "92050",
        "EI",
        "2021-05-20",
        "Paris-Nanterre",
        "Pâte à choux, crème mousseline pralinée.",
        7.0,
    ),
    (
        13,
        "Chocolaterie Vidal",
        "Sonia Vidal",
        "sonia.vidal@exemple.fr",
        "92040",
        "SAS",
        "2010-11-02",
        "Forêt d'Issy",
        "Biscuit chocolat, griottes et chantilly mascarpone.",
        6.5,
    ),
)
OUTSIDE = (
    16,
    "Pâtisserie du Val",
    "Marc Roux",
    "marc.roux@exemple.fr",
    "95018",
    "EI",
    "2018-02-12",
    "Val d'Argent",
    "Gâteau de voyage au citron.",
    6.0,
)
"""Typed with the commune of the baker's home (Argenteuil); the shop is in Colombes (92025)."""
NO_SHOW = (
    17,
    "Maison Fabre",
    "Lina Fabre",
    "lina.fabre@exemple.fr",
    "92044",
    "SARL",
    "2015-04-01",
    "Levallois Chic",
    "Millefeuille vanille de Tahiti.",
    9.8,
)
"""Entered, then never brought the cake to the tasting: withdrawn before the jurors start."""
PODIUM = [("premier-prix", 12), ("deuxieme-prix", 15), ("troisieme-prix", 14)]

NEW_JURORS = (
    ("Nadia Ferrand", "nadia.ferrand@exemple.fr", "Cheffe pâtissière", "non"),
    ("Yann Le Goff", "yann.legoff@exemple.fr", "Critique gastronomique", "non"),
)
RETURNING = ("ines.belkacem@exemple.fr", "olivier.tessier@exemple.fr")
CHAIR = "stephane.glacier@exemple.fr"
PANEL = "Jury de dégustation"
ARGENTEUIL_REFUSED = "Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)"
JURY = ["Inès Belkacem", "Nadia Ferrand", "Olivier Tessier", "Stéphane Glacier", "Yann Le Goff"]


def candidate_fields(cake: tuple[Any, ...]) -> dict[str, str]:
    numero, shop, artisan, email, insee, form, founded, creation, recipe, _ = cake
    return {
        "numero": str(numero),
        "nom_structure": shop,
        "nom_porteur": artisan,
        "courriel": email,
        "code_insee": insee,
        "forme_juridique": form,
        "date_creation": founded,
        "creation": creation,
        "projet": recipe,
        "categorie": "gateau",
    }


MARK = {cake[0]: cake[-1] for cake in (*CAKES, OUTSIDE, NO_SHOW)}


@pytest.fixture(scope="module")
async def gateau(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    romain = await world.organiser(ORGANISER)
    state: dict[str, Any] = {}

    async def setup() -> dict[str, Any]:
        created = await romain.post(
            f"/api/contests/{CONTEST}/editions", {"year": 2026, "copy_from": LAST_YEAR}, expect=201
        )
        await romain.patch(
            f"/api/editions/{EDITION}",
            {
                "theme": THEME,
                "opens_on": "2026-06-01",
                "closes_on": "2026-10-02",
                "decision_on": "2026-10-15",
            },
        )
        edition = await romain.get(f"/api/editions/{EDITION}")
        rounds = await romain.get(f"/api/editions/{EDITION}/rounds")
        state["round"] = rounds[0]["id"]
        return {"created": created, "edition": edition, "rounds": rounds}

    async def applications() -> dict[str, Any]:
        await romain.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        entered = {}
        for cake in (*CAKES, OUTSIDE, NO_SHOW):
            entered[cake[0]] = await romain.post(
                f"/api/editions/{EDITION}/candidates", candidate_fields(cake), expect=201
            )
        state["ids"] = {number: candidate_id(body) for number, body in entered.items()}
        corrected = await romain.patch(f"/api/candidates/{state['ids'][OUTSIDE[0]]}", {"code_insee": "92025"})
        listed = await romain.get(f"/api/editions/{EDITION}/candidates")
        return {"entered": entered, "corrected": corrected, "listed": listed}

    async def jury() -> dict[str, Any]:
        last_year = {j["email"]: j for j in await romain.get(f"/api/editions/{LAST_YEAR}/jurors")}
        rows = [[last_year[CHAIR]["full_name"], CHAIR, last_year[CHAIR]["title"], PANEL, "président", "oui"]]
        rows += [
            [last_year[e]["full_name"], e, last_year[e]["title"], PANEL, "juré", "oui"] for e in RETURNING
        ]
        rows += [[name, email, title, PANEL, "juré", pro] for name, email, title, pro in NEW_JURORS]
        report = await import_jurors(romain, edition=EDITION, rows=rows)
        jurors = await romain.get(f"/api/editions/{EDITION}/jurors")
        return {"report": report, "jurors": jurors}

    async def judging() -> dict[str, Any]:
        await romain.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        rid = state["round"]
        before = await romain.get(f"/api/rounds/{rid}/entries")
        [panel] = before["panels"]
        # The cakes went before the tasting's only panel as they entered: nothing to place by hand.
        placed = {e["candidate_id"]: e["panel_id"] for e in before["entries"] if e["status"] != "withdrawn"}
        assert set(placed.values()) == {panel["id"]}, before["entries"]
        plan = await romain.post(f"/api/rounds/{rid}/assignments", {"k": 5, "seed": 1})
        overview = await romain.get(f"/api/rounds/{rid}/assignments")
        cards = await print_cards(romain, edition=EDITION)
        opened = await romain.post(f"/api/rounds/{rid}/status", {"to": "open"})
        state["cards"] = cards
        return {
            "before": before,
            "placed": placed,
            "plan": plan,
            "overview": overview,
            "cards": cards,
            "opened": opened,
        }

    async def tasting() -> dict[str, Any]:
        rid = state["round"]
        withdrawn = await romain.post(
            f"/api/candidates/{state['ids'][NO_SHOW[0]]}/withdrawal",
            {"reason": "Gâteau non apporté le jour de la dégustation."},
        )
        seen, criteria = {}, []
        for name, code in sorted(state["cards"].items()):
            tablet = await world.tablet(code, name=name)
            seen[name] = await score_round(
                tablet, round_id=rid, marks=lambda candidate, _criterion: MARK[candidate["entry_number"]]
            )
            criteria = (await tablet.get(f"/api/jure/feuilles/{rid}/{seen[name][0]['id']}"))["criteria"]
            await world.close(tablet)
        progress = await romain.get(f"/api/rounds/{rid}/progress")
        return {"withdrawn": withdrawn, "seen": seen, "criteria": criteria, "progress": progress}

    async def deliberation() -> dict[str, Any]:
        rid = state["round"]
        await romain.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        # Moved too early by mistake: back to scoring with a reason, then to deliberation again.
        back = await romain.post(
            f"/api/rounds/{rid}/status", {"to": "open", "reason": "Une table goûtait encore"}
        )
        await romain.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        [standing] = await romain.get(f"/api/rounds/{rid}/standings")
        based_on = f"{standing['method']} {standing['input_digest']}"
        ids = state["ids"]
        swapped = dict(PODIUM) | {"deuxieme-prix": PODIUM[2][1], "troisieme-prix": PODIUM[1][1]}
        against = await romain.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [
                    {"prize": prize, "candidate_id": ids[number]} for prize, number in swapped.items()
                ],
                "round_id": rid,
                "based_on": based_on,
            },
            expect=422,
        )
        awards = await romain.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": prize, "candidate_id": ids[number]} for prize, number in PODIUM],
                "round_id": rid,
                "reason": "Podium des trois meilleures moyennes du jury de dégustation.",
                "based_on": based_on,
                "decided_on": "2026-10-15",
            },
        )
        # The third prize entered on the wrong line: undone with its reason, then given again.
        decisions = await romain.get(f"/api/editions/{EDITION}/decisions")
        [third] = [d for d in decisions if d["prize"] == "3e prix"]
        undone = await romain.post(f"/api/decisions/{third['id']}/undo", {"reason": "Saisie à reprendre"})
        stuck = await romain.post(
            f"/api/rounds/{rid}/status", {"to": "open", "reason": "Trop tard"}, expect=409
        )
        awards = await romain.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": "troisieme-prix", "candidate_id": ids[PODIUM[2][1]]}],
                "round_id": rid,
                "reason": "Podium des trois meilleures moyennes du jury de dégustation.",
                "based_on": based_on,
                "decided_on": "2026-10-15",
            },
        )
        closed = await romain.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await romain.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        contests = await romain.get("/api/contests")
        return {
            "back": back,
            "against": against,
            "undone": undone,
            "stuck": stuck,
            "standing": standing,
            "awards": awards,
            "closed": closed,
            "decided": decided,
            "contests": contests,
        }

    async def minutes() -> str:
        overview = flow["judging"]["overview"]
        return await read_minutes(romain, round_id=state["round"], panel_id=overview["panels"][0]["id"])

    async def diplomas() -> dict[str, Any]:
        rows = await generate_diplomas(romain, edition=EDITION)
        visitor = await world.open("visiteur")
        checks = {row[1]: await verify(visitor, row[3]) for row in rows}
        return {"rows": rows, "checks": checks}

    for name, run in (
        ("setup", setup),
        ("applications", applications),
        ("jury", jury),
        ("judging", judging),
        ("tasting", tasting),
        ("deliberation", deliberation),
        ("minutes", minutes),
        ("diplomas", diplomas),
    ):
        await flow.stage(name, run)
    yield flow


def candidate_id(entered: dict[str, Any]) -> int:
    """The new candidate's id in the answer of `POST /api/editions/{slug}/candidates`."""
    return entered["candidate"]["id"]


# --- What each stage leaves behind ----------------------------------------------------------------------


async def test_next_years_edition_is_last_years_setup_without_its_people(gateau: Flow) -> None:
    setup = gateau["setup"]
    assert setup["created"]["slug"] == EDITION
    edition = setup["edition"]
    assert (edition["year"], edition["number"], edition["theme"], edition["status"]) == (
        2026,
        8,
        THEME,
        "preparing",
    )
    assert (edition["opens_on"], edition["closes_on"], edition["decision_on"]) == (
        "2026-06-01",
        "2026-10-02",
        "2026-10-15",
    )
    [tasting] = setup["rounds"]
    assert {k: tasting[k] for k in ("kind", "name", "status", "blind", "candidate_count", "panel_count")} == {
        "kind": "tasting",
        "name": "Dégustation à l'aveugle",
        "status": "draft",
        "blind": True,
        "candidate_count": 0,
        "panel_count": 1,
    }


async def test_cakes_enter_the_tasting_and_the_one_from_argenteuil_is_flagged_until_corrected(
    gateau: Flow,
) -> None:
    applications = gateau["applications"]
    entered = applications["entered"]
    for number in (11, 12, 13, 14, 15, 17):
        assert entered[number]["round"]["name"] == "Dégustation à l'aveugle"
        assert entered[number]["eligibility"]["eligible"] is True
    outside = entered[OUTSIDE[0]]
    assert (outside["candidate"]["commune"], outside["eligibility"]["eligible"]) == ("Argenteuil", False)
    assert outside["eligibility"]["failures"] == [{"rule": "territory", "message": ARGENTEUIL_REFUSED}]
    corrected = applications["corrected"]
    assert (corrected["candidate"]["commune"], corrected["eligibility"]["eligible"]) == ("Colombes", True)
    assert corrected["eligibility"]["failures"] == []
    listed = {c["entry_number"]: c for c in applications["listed"]}
    assert sorted(listed) == [11, 12, 13, 14, 15, 16, 17]
    assert (listed[12]["creation_name"], listed[12]["commune"]) == ("Le Clocher de Sceaux", "Sceaux")


async def test_last_years_chair_and_jurors_come_back_with_two_new_ones(gateau: Flow) -> None:
    jury = gateau["jury"]
    assert jury["report"] == {
        "kind": "jures",
        "dry_run": False,
        "rows": 5,
        "imported": 5,
        "new_people": 2,
        "memberships": 5,
    }
    assert sorted(j["full_name"] for j in jury["jurors"]) == JURY
    assert {j["full_name"]: j["panels"] for j in jury["jurors"]} == {
        name: [f"{PANEL} (présidence)" if name == "Stéphane Glacier" else PANEL] for name in JURY
    }


async def test_every_juror_tastes_every_cake_still_in_the_running(gateau: Flow) -> None:
    judging = gateau["judging"]
    assert sorted(judging["cards"]) == JURY
    assert judging["opened"]["status"] == "open"
    [panel] = judging["overview"]["panels"]
    assert panel["name"] == PANEL


async def test_tablets_taste_blind_on_last_years_grid(gateau: Flow) -> None:
    tasting = gateau["tasting"]
    seen = tasting["seen"]
    withdrawn = tasting["withdrawn"]
    assert (withdrawn["candidate"]["withdrawn"], withdrawn["round"]["status"]) == (True, "withdrawn")
    assert sorted(seen) == JURY
    for name in JURY:
        assert sorted(c["entry_number"] for c in seen[name]) == [11, 12, 13, 14, 15, 16], name
        assert all(c["name"] is None and c["title"] is None for c in seen[name]), name
    assert [(c["label"], c["weight"], c["min"], c["max"], c["step"]) for c in tasting["criteria"]] == [
        ("Goût et saveurs", 35.0, 0.0, 10.0, 0.5),
        ("Respect du thème", 15.0, 0.0, 10.0, 0.5),
        ("Lien avec les Hauts-de-Seine", 15.0, 0.0, 10.0, 0.5),
        ("Aspect et présentation", 15.0, 0.0, 10.0, 0.5),
        ("Texture et technique", 10.0, 0.0, 10.0, 0.5),
        ("Originalité", 10.0, 0.0, 10.0, 0.5),
    ]


async def test_the_jury_awards_the_podium_and_the_edition_is_decided(gateau: Flow) -> None:
    outcome = gateau["deliberation"]
    ranked = sorted(outcome["standing"]["lines"], key=lambda line: line["rank"])
    assert [(line["entry_number"], line["raw"]) for line in ranked] == [
        (12, 90.0),
        (15, 85.0),
        (14, 80.0),
        (11, 70.0),
        (13, 65.0),
        (16, 60.0),
    ]
    assert [(a["prize"], a["candidate"], a["decided_on"]) for a in outcome["awards"]] == [
        ("1er prix", "Pâtisserie Morel", "2026-10-15"),
        ("2e prix", "Au Fournil des Coteaux", "2026-10-15"),
        ("3e prix", "Maison Dufresne", "2026-10-15"),
    ]
    assert outcome["closed"]["status"] == "closed"
    [contest] = [c for c in outcome["contests"] if c["slug"] == CONTEST]
    assert {e["slug"]: e["status"] for e in contest["editions"]}[EDITION] == "decided"


async def test_a_round_goes_back_once_and_a_prize_is_undone_and_given_again(gateau: Flow) -> None:
    outcome = gateau["deliberation"]
    assert (outcome["back"]["previous"], outcome["back"]["status"]) == ("deliberation", "open")
    # The 2nd and 3rd places swapped: against the ranking, refused without a reason, nothing written.
    [error] = outcome["against"]["errors"]
    assert error["field"] == "reason"
    assert error["message"].startswith(
        "Maison Dufresne : Contraire au classement : classé 3e pour la 2e place ; devant : Pâtisserie Morel (1er), "
        "Au Fournil des Coteaux (2e)."
    )
    assert (outcome["undone"]["kind"], outcome["undone"]["reason"]) == ("award", "Saisie à reprendre")
    assert outcome["stuck"]["detail"].startswith("2 décision(s) reposent déjà sur ce tour")  # 3rd undone


async def test_the_proces_verbal_states_the_tasting_and_its_podium(gateau: Flow) -> None:
    text = gateau["minutes"]
    assert "Procès-verbal de délibération" in text
    assert "Dégustation à l'aveugle : les candidats sont désignés par leur numéro d'entrée." in text
    for juror in JURY:
        assert juror in text
    assert "Aucun conflit d'intérêts déclaré." in text
    assert (
        "Rang Candidat Score calibré Moyenne brute Notes P(qualifié) Observations "
        "1 Entrée n° 12 90,00 90,00 5 — 2 Entrée n° 15 85,00 85,00 5 — 3 Entrée n° 14 80,00 80,00 5 — "
        "4 Entrée n° 11 70,00 70,00 5 — 5 Entrée n° 13 65,00 65,00 5 — 6 Entrée n° 16 60,00 60,00 5 —"
    ) in text
    assert "Entrée n° 17" not in text  # withdrawn before the tasting
    for prize, number in (("1er prix", 12), ("2e prix", 15), ("3e prix", 14)):
        assert (
            f"Prix : {prize} Entrée n° {number} Podium des trois meilleures moyennes du jury de dégustation."
        ) in text
    assert "Le président / La présidente du jury Stéphane Glacier" in text
    undone = text.split("Décisions annulées", 1)[1]
    assert "Prix : 3e prix Entrée n° 14" in undone and "Saisie à reprendre" in undone


async def test_the_podiums_diplomas_are_verified_by_anyone(gateau: Flow) -> None:
    outcome = gateau["diplomas"]
    assert [(row[0], row[1], row[2]) for row in outcome["rows"]] == [
        ("Julie Morel — Pâtisserie Morel", "1er prix", "prêt PDF"),
        ("Anne Leclerc — Au Fournil des Coteaux", "2e prix", "prêt PDF"),
        ("Karim Dufresne — Maison Dufresne", "3e prix", "prêt PDF"),
    ]
    for laureate, prize, _, code, *_ in outcome["rows"]:
        assert (
            f"Ce diplôme est authentique. Concours Imaginez le gâteau des Hauts-de-Seine "
            f"Édition 8 e édition — 2026 Distinction {prize} Lauréat {laureate} "
            f"Décision du jury 15 octobre 2026 Code de vérification {code}"
        ) in outcome["checks"][prize]
