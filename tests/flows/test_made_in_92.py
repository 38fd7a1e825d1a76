"""Made in 92, 2026: next year's edition run by its organiser through HTTP only, to the diplomas.

Claire Vasseur (CCI) copies the 2025 edition's setup (preselection, the two territorial semi-finals, the
final before the Grand jury, five categories and the Prix spécial) and enters applications: the « company
under 8 years » rule is checked as they enter. Twenty young companies apply, two per category in each zone
(Nord = EPT T4 + T5, with Argenteuil which the edition accepts; Sud = T2 + T3; INSEE codes of
`sql/reference/communes_92.csv`). The jurors come by spreadsheet with their panels, print their cards and
score on tablets: the preselection committee keeps six companies per zone, the semi-finals are routed by
commune and each keeps three, the finalists go before the Grand jury (named through the API), which gives
one prize per category and the Prix spécial. The edition is decided, the procès-verbal read back and the
diplomas verified at /verifier.

Every juror gives every criterion of a company the same mark in a round, so each weighted total is ten times
that mark, the same for every juror, and every ranking is known in advance (see `COMPANIES`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import (
    Flow,
    Person,
    World,
    generate_diplomas,
    import_jurors,
    print_cards,
    read_minutes,
    score_round,
    verify,
)

CONTEST = "made-in-92"
LAST_YEAR = "made-in-92-2025"
EDITION = "made-in-92-2026"
ORGANISER = "claire.vasseur@exemple.fr"
FINAL_DAY = "2026-07-03"

YOUNG = {
    "nom_structure": "Atelier Lumen SAS",
    "nom_porteur": "Inès Bernard",
    "courriel": "ines.bernard@lumen.exemple.fr",
    "code_insee": "92012",
    "forme_juridique": "SAS",
    "date_creation": "2022-03-14",
    "categorie": "transition-energetique",
    "projet": "Des panneaux solaires souples pour les toits des Hauts-de-Seine",
}
OLD = {
    "nom_structure": "Vieille Maison SARL",
    "nom_porteur": "Louis Garnier",
    "courriel": "louis.garnier@vieille-maison.exemple.fr",
    "code_insee": "92050",
    "forme_juridique": "SARL",
    "date_creation": "2012-01-10",
    "categorie": "transition-energetique",
    "projet": "Une chaudière à bois de nouvelle génération",
}

TE, SSB, GCT, IE, EF = (
    "transition-energetique",
    "sante-sport-bien-etre",
    "gastronomie-culture-tourisme",
    "innovation-educative",
    "entrepreneuriat-feminin",
)
NORD, SUD = "nord", "sud"

# company, founder, INSEE code, commune, zone, category, founded, marks (preselection, semi-final, final):
# a mark is given to every criterion by every juror; None: the company is no longer in that round.
COMPANIES: tuple[tuple[str, str, str, str, str, str, str, tuple[int | None, ...]], ...] = (
    ("Solaris Seine", "Mehdi Benali", "92036", "Gennevilliers", NORD, TE, "2021-06-01", (8, 9, 8)),
    ("Vent d'Ouest Énergie", "Paul Lemaire", "92026", "Courbevoie", NORD, TE, "2020-02-17", (4, None, None)),
    ("Kiné Connect", "Laura Petit", "92050", "Nanterre", NORD, SSB, "2022-09-05", (9, 8, 7)),
    ("Padel Parc", "Hugo Martin", "92025", "Colombes", NORD, SSB, "2023-01-23", (6, 5, None)),
    ("Les Toques d'Argenteuil", "Rosa Lopez", "95018", "Argenteuil", NORD, GCT, "2021-11-08", (7, 7, 5)),
    ("Guinguette de Suresnes", "Éric Fabre", "92073", "Suresnes", NORD, GCT, "2019-04-12", (3, None, None)),
    ("Classe Nomade", "Samir Haddou", "92063", "Rueil-Malmaison", NORD, IE, "2022-05-30", (7, 6, None)),
    (
        "Lire à Levallois",
        "Anne Roussel",
        "92044",
        "Levallois-Perret",
        NORD,
        IE,
        "2020-10-01",
        (2, None, None),
    ),
    ("Maison Céleste", "Chloé Vernet", "92024", "Clichy", NORD, EF, "2023-03-15", (5, 4, None)),
    ("Atelier Nacre", "Jeanne Caron", "92062", "Puteaux", NORD, EF, "2021-07-19", (1, None, None)),
    ("Atelier Lumen SAS", "Inès Bernard", "92012", "Boulogne-Billancourt", SUD, TE, "2022-03-14", (9, 7, 9)),
    ("Hélio Sceaux", "Victor Blanc", "92071", "Sceaux", SUD, TE, "2020-08-24", (6, 5, None)),
    ("Vélo Santé", "Malik Traoré", "92040", "Issy-les-Moulineaux", SUD, SSB, "2021-02-02", (7, 6, None)),
    ("Yoga Malakoff", "Lucie Faure", "92046", "Malakoff", SUD, SSB, "2019-12-09", (3, None, None)),
    ("Table de Meudon", "Olivier Chevalier", "92048", "Meudon", SUD, GCT, "2022-06-27", (5, None, None)),
    ("Brasserie de Bagneux", "Nicolas Henry", "92007", "Bagneux", SUD, GCT, "2020-03-03", (2, None, None)),
    ("Petits Codeurs", "Yasmine Cherif", "92002", "Antony", SUD, IE, "2021-09-13", (8, 9, 7)),
    ("Math en Jeu", "Damien Roy", "92075", "Vanves", SUD, IE, "2023-05-02", (4, None, None)),
    ("Elles Bâtissent", "Sarah Mercier", "92049", "Montrouge", SUD, EF, "2022-01-10", (8, 8, 6)),
    ("Cuir et Co", "Emma Giraud", "92023", "Clamart", SUD, EF, "2021-04-26", (6, 4, None)),
)
ROUNDS = ("Présélection", "Demi-finales", "Finale")
SEMI_FINALISTS = {
    NORD: ["Kiné Connect", "Solaris Seine", "Les Toques d'Argenteuil", "Classe Nomade", "Padel Parc",
           "Maison Céleste"],
    SUD: ["Atelier Lumen SAS", "Petits Codeurs", "Elles Bâtissent", "Vélo Santé", "Hélio Sceaux",
          "Cuir et Co"],
}  # fmt: skip
FINALISTS = {
    NORD: ["Solaris Seine", "Kiné Connect", "Les Toques d'Argenteuil"],
    SUD: ["Petits Codeurs", "Elles Bâtissent", "Atelier Lumen SAS"],
}
PRIZES = (
    ("special", "Atelier Lumen SAS"),
    (TE, "Solaris Seine"),
    (SSB, "Kiné Connect"),
    (GCT, "Les Toques d'Argenteuil"),
    (IE, "Petits Codeurs"),
    (EF, "Elles Bâtissent"),
)
AWARD_REASON = (
    "Prix spécial à la meilleure note du Grand jury ; chaque prix de catégorie au premier des autres "
    "finalistes de sa catégorie (un prix par lauréat)."
)

# Jurors: name, e-mail, title, panel ("" = none yet), role
SPARE = "yves.remplacant@jury92.exemple.fr"
"""Imported with no panel, as a possible replacement: named to the Grand jury through the API, then taken
off it again (the Grand jury scores with four members)."""
PRESELECTION = "Comité de présélection"
PANEL_NORD, PANEL_SUD, GRAND_JURY = "Demi-finale Nord", "Demi-finale Sud", "Grand jury"
JURORS = (
    ("Hélène Marchand", "helene.marchand@jury92.exemple.fr", "Directrice, CCI Hauts-de-Seine", PRESELECTION,
     "président"),
    ("Bruno Castel", "bruno.castel@jury92.exemple.fr", "Chargé d'affaires", PRESELECTION, "juré"),
    ("Awa Diallo", "awa.diallo@jury92.exemple.fr", "Business angel", PRESELECTION, "juré"),
    ("Sophie Renard", "sophie.renard@jury92.exemple.fr", "Cheffe d'entreprise", PANEL_NORD, "président"),
    ("Karim Haddad", "karim.haddad@jury92.exemple.fr", "Expert-comptable", PANEL_NORD, "juré"),
    ("Lise Aubert", "lise.aubert@jury92.exemple.fr", "Banquière", PANEL_NORD, "juré"),
    ("Marc Olivier", "marc.olivier@jury92.exemple.fr", "Chef d'entreprise", PANEL_SUD, "président"),
    ("Fatou Ndiaye", "fatou.ndiaye@jury92.exemple.fr", "Investisseuse", PANEL_SUD, "juré"),
    ("Pierre Lambert", "pierre.lambert@jury92.exemple.fr", "Incubateur", PANEL_SUD, "juré"),
    ("Nathalie Perrin", "nathalie.perrin@jury92.exemple.fr", "Département des Hauts-de-Seine", PANEL_NORD,
     "juré"),
    ("Nathalie Perrin", "nathalie.perrin@jury92.exemple.fr", "Département des Hauts-de-Seine", PANEL_SUD,
     "juré"),
    ("Georges Vallier", "georges.vallier@jury92.exemple.fr", "Président d'honneur", GRAND_JURY, "président"),
    ("Amélie Fontaine", "amelie.fontaine@jury92.exemple.fr", "Journaliste économique", GRAND_JURY, "juré"),
    ("Thomas Nguyen", "thomas.nguyen@jury92.exemple.fr", "Entrepreneur", GRAND_JURY, "juré"),
    ("Yves Remplaçant", SPARE, "Ancien lauréat", "", "juré"),
)  # fmt: skip
BRIDGE = "Nathalie Perrin"
"""Sits on both semi-final panels, so that their marks stay comparable."""
NAMED = "sophie.renard@jury92.exemple.fr"
"""The Nord semi-final's chair, named to the Grand jury through the API once the import has seated her."""
PANEL_JURORS = {
    PRESELECTION: ["Awa Diallo", "Bruno Castel", "Hélène Marchand"],
    PANEL_NORD: ["Karim Haddad", "Lise Aubert", "Nathalie Perrin", "Sophie Renard"],
    PANEL_SUD: ["Fatou Ndiaye", "Marc Olivier", "Nathalie Perrin", "Pierre Lambert"],
    GRAND_JURY: ["Amélie Fontaine", "Georges Vallier", "Sophie Renard", "Thomas Nguyen"],
}


def application(company: tuple[Any, ...]) -> dict[str, str]:
    name, founder, insee, _, _, category, founded, _ = company
    slug = "".join(
        ch for ch in founder.lower().replace(" ", ".") if ch.isascii() and (ch.isalnum() or ch == ".")
    )
    return {
        "nom_structure": name,
        "nom_porteur": founder,
        "courriel": f"{slug}@entreprise.exemple.fr",
        "code_insee": insee,
        "forme_juridique": "SAS",
        "date_creation": founded,
        "categorie": category,
        "projet": f"{name} : projet de jeune entreprise des Hauts-de-Seine.",
    }


BY_NAME = {c[0]: c for c in COMPANIES}
MARK_ROUND = {name: i for i, name in enumerate(ROUNDS)}


@pytest.fixture(scope="module")
async def made_in_92(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    claire = await world.organiser(ORGANISER)
    state: dict[str, Any] = {"tablets": {}}

    def name_of(candidate_id: int) -> str:
        return state["names"][candidate_id]

    async def tablet(name: str) -> Person:
        if name not in state["tablets"]:
            state["tablets"][name] = await world.tablet(state["cards"][name], name=name)
        return state["tablets"][name]

    async def score(round_name: str, jurors: list[str]) -> dict[str, list[str]]:
        rid = state["rounds"][round_name]
        index = MARK_ROUND[round_name]

        def marks(candidate: Any, _criterion: Any) -> float:
            return float(BY_NAME[name_of(candidate["id"])][7][index])

        seen = {}
        for juror in jurors:
            shown = await score_round(await tablet(juror), round_id=rid, marks=marks)
            seen[juror] = sorted(name_of(c["id"]) for c in shown)
        return seen

    async def qualify(round_name: str, *, chosen: list[str], panel: str | None, reason: str) -> Any:
        rid = state["rounds"][round_name]
        preview = await claire.get(f"/api/rounds/{rid}/advancement")
        [section] = [p for p in preview["panels"] if panel is None or p["panel_name"] == panel]
        body = {
            "advance": [state["ids"][n] for n in chosen],
            "based_on": section["based_on"],
            "reason": reason,
            "panel_id": section["panel_id"] if panel else None,
        }
        advanced = await claire.post(f"/api/rounds/{rid}/advance", body)
        return {"preview": section, "advanced": advanced}

    async def setup() -> dict[str, Any]:
        created = await claire.post(
            f"/api/contests/{CONTEST}/editions", {"year": 2026, "copy_from": LAST_YEAR}, expect=201
        )
        rounds = await claire.get(f"/api/editions/{EDITION}/rounds")
        state["rounds"] = {r["name"]: r["id"] for r in rounds}
        rules = [
            await claire.patch(
                f"/api/rounds/{state['rounds'][name]}", {"advance_count": count, "quota_scope": "zone"}
            )
            for name, count in (("Présélection", 6), ("Demi-finales", 3))
        ]
        panels = {r["name"]: await claire.get(f"/api/rounds/{r['id']}/entries") for r in rounds}
        state["panels"] = {p["name"]: p["id"] for r in panels.values() for p in r["panels"]}
        grid = await claire.get(f"/api/editions/{EDITION}/grid")
        return {"created": created, "rounds": rounds, "rules": rules, "panels": panels, "grid": grid}

    async def applications() -> dict[str, Any]:
        await claire.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        young = await claire.post(f"/api/editions/{EDITION}/candidates", YOUNG, expect=201)
        old = await claire.post(f"/api/editions/{EDITION}/candidates", OLD, expect=201)
        entered = {YOUNG["nom_structure"]: young}
        for company in COMPANIES:
            if company[0] != YOUNG["nom_structure"]:
                entered[company[0]] = await claire.post(
                    f"/api/editions/{EDITION}/candidates", application(company), expect=201
                )
        state["ids"] = {name: body["candidate"]["id"] for name, body in entered.items()}
        state["names"] = {cid: name for name, cid in state["ids"].items()}
        state["names"][old["candidate"]["id"]] = OLD["nom_structure"]
        return {"young": young, "old": old, "entered": entered}

    async def jury() -> dict[str, Any]:
        rows = [[name, email, title, panel, role, "oui"] for name, email, title, panel, role in JURORS]
        report = await import_jurors(claire, edition=EDITION, rows=rows)
        jurors = await claire.get(f"/api/editions/{EDITION}/jurors")
        grand_jury = state["panels"][GRAND_JURY]
        named = await claire.post(f"/api/panels/{grand_jury}/members", {"email": NAMED}, expect=201)
        spare = await claire.post(f"/api/panels/{grand_jury}/members", {"email": SPARE}, expect=201)
        with_spare = await claire.get(f"/api/rounds/{state['rounds']['Finale']}/entries")
        spare_removed = (await claire.delete(f"/api/panels/{grand_jury}/members/{spare['person_id']}")).json()
        final = await claire.get(f"/api/rounds/{state['rounds']['Finale']}/entries")
        cards = await print_cards(claire, edition=EDITION)
        state["cards"] = cards
        return {
            "report": report,
            "jurors": jurors,
            "named": named,
            "spare": spare,
            "with_spare": with_spare,
            "spare_removed": spare_removed,
            "final": final,
            "cards": cards,
        }

    async def preselection() -> dict[str, Any]:
        await claire.post(f"/api/editions/{EDITION}/status", {"status": "judging"})
        rid = state["rounds"]["Présélection"]
        before = await claire.get(f"/api/rounds/{rid}/entries")
        plan = await claire.post(f"/api/rounds/{rid}/assignments", {"k": 3, "seed": 1, "bridging": 0})
        opened = await claire.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score("Présélection", PANEL_JURORS[PRESELECTION])
        await claire.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        standings = await claire.get(f"/api/rounds/{rid}/standings")
        chosen = [name for zone in (NORD, SUD) for name in SEMI_FINALISTS[zone]]
        qualified = await qualify(
            "Présélection",
            chosen=chosen,
            panel=None,
            reason="Les six meilleurs dossiers de chaque zone vont en demi-finale.",
        )
        closed = await claire.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        return {
            "before": before,
            "plan": plan,
            "opened": opened,
            "seen": seen,
            "standings": standings,
            "qualified": qualified,
            "closed": closed,
        }

    async def semi_finals() -> dict[str, Any]:
        rid = state["rounds"]["Demi-finales"]
        routing = await claire.post(f"/api/rounds/{rid}/routing")
        entries = await claire.get(f"/api/rounds/{rid}/entries")
        plan = await claire.post(
            f"/api/rounds/{rid}/assignments", {"k": 4, "seed": 1, "bridging": 1, "bridge_min_per_zone": 6}
        )
        opened = await claire.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score("Demi-finales", sorted({*PANEL_JURORS[PANEL_NORD], *PANEL_JURORS[PANEL_SUD]}))
        await claire.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        standings = await claire.get(f"/api/rounds/{rid}/standings")
        qualified = {
            zone: await qualify(
                "Demi-finales",
                chosen=FINALISTS[zone],
                panel=panel,
                reason=f"Les trois premiers de la {panel} vont en finale.",
            )
            for zone, panel in ((NORD, PANEL_NORD), (SUD, PANEL_SUD))
        }
        closed = await claire.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        final = await claire.get(f"/api/rounds/{state['rounds']['Finale']}/entries")
        return {
            "routing": routing,
            "entries": entries,
            "plan": plan,
            "opened": opened,
            "seen": seen,
            "standings": standings,
            "qualified": qualified,
            "closed": closed,
            "final": final,
        }

    async def final() -> dict[str, Any]:
        rid = state["rounds"]["Finale"]
        plan = await claire.post(f"/api/rounds/{rid}/assignments", {"k": 4, "seed": 1, "bridging": 0})
        opened = await claire.post(f"/api/rounds/{rid}/status", {"to": "open"})
        seen = await score("Finale", PANEL_JURORS[GRAND_JURY])
        await claire.post(f"/api/rounds/{rid}/status", {"to": "deliberation"})
        standings = await claire.get(f"/api/rounds/{rid}/standings")
        based_on = " ; ".join(f"{s['category_name']} {s['method']} {s['input_digest']}" for s in standings)
        await claire.patch(f"/api/editions/{EDITION}", {"decision_on": FINAL_DAY})
        awards = await claire.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": prize, "candidate_id": state["ids"][name]} for prize, name in PRIZES],
                "round_id": rid,
                "reason": AWARD_REASON,
                "based_on": based_on,
                "decided_on": FINAL_DAY,
            },
        )
        # The Prix spécial entered before the jury's vote was read out: undone with its reason, given again.
        [special] = [
            d
            for d in await claire.get(f"/api/editions/{EDITION}/decisions")
            if d["prize"] == "Prix spécial Made in 92"
        ]
        undone = await claire.post(
            f"/api/decisions/{special['id']}/undo", {"reason": "Saisi avant le vote du jury"}
        )
        awards = await claire.post(
            f"/api/editions/{EDITION}/awards",
            {
                "awards": [{"prize": "special", "candidate_id": state["ids"]["Atelier Lumen SAS"]}],
                "round_id": rid,
                "reason": AWARD_REASON,
                "based_on": based_on,
                "decided_on": FINAL_DAY,
            },
        )
        closed = await claire.post(f"/api/rounds/{rid}/status", {"to": "closed"})
        decided = await claire.post(f"/api/editions/{EDITION}/status", {"status": "decided"})
        edition = await claire.get(f"/api/editions/{EDITION}")
        decisions = await claire.get(f"/api/editions/{EDITION}/decisions")
        return {
            "plan": plan,
            "opened": opened,
            "seen": seen,
            "standings": standings,
            "undone": undone,
            "awards": awards,
            "closed": closed,
            "decided": decided,
            "edition": edition,
            "decisions": decisions,
        }

    async def minutes() -> dict[str, str]:
        return {
            panel: await read_minutes(
                claire, round_id=state["rounds"][round_name], panel_id=state["panels"][panel]
            )
            for round_name, panel in (("Demi-finales", PANEL_NORD), ("Finale", GRAND_JURY))
        }

    async def diplomas() -> dict[str, Any]:
        rows = await generate_diplomas(claire, edition=EDITION)
        visitor = await world.open("visiteur")
        checks = {row[1]: await verify(visitor, row[3]) for row in rows}
        return {"rows": rows, "checks": checks}

    for name, run in (
        ("setup", setup),
        ("applications", applications),
        ("jury", jury),
        ("preselection", preselection),
        ("semi_finals", semi_finals),
        ("final", final),
        ("minutes", minutes),
        ("diplomas", diplomas),
    ):
        await flow.stage(name, run)
    yield flow


# --- What each stage leaves behind ----------------------------------------------------------------------


def rankings(standings: list[dict[str, Any]]) -> dict[tuple[str, str], list[tuple[str, int, float, float]]]:
    """Each standing (panel × category) as its lines in rank order: (company, rank, raw, calibrated)."""
    return {
        (s["panel_name"], s["category_name"]): [
            (line["name"], line["rank"], line["raw"], round(line["score"], 2))
            for line in sorted(s["lines"], key=lambda line: line["rank"])
        ]
        for s in standings
    }


CATEGORY_NAMES = {
    TE: "Transition énergétique",
    SSB: "Santé, sport et bien-être",
    GCT: "Gastronomie, culture et tourisme",
    IE: "Innovation éducative",
    EF: "Entrepreneuriat au féminin",
}


def expected_rankings(
    round_name: str, *, panel_of: dict[str, str]
) -> dict[tuple[str, str], list[tuple[str, int, float, float]]]:
    """What the marks of `COMPANIES` give: ten times the mark, raw and calibrated alike (every juror agrees)."""
    index = MARK_ROUND[round_name]
    sections: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for name, _, _, _, zone, category, _, marks in COMPANIES:
        if marks[index] is not None:
            sections.setdefault((panel_of[zone], CATEGORY_NAMES[category]), []).append((name, marks[index]))
    return {
        key: [
            (name, rank, 10.0 * mark, 10.0 * mark)
            for rank, (name, mark) in enumerate(sorted(lines, key=lambda line: -line[1]), start=1)
        ]
        for key, lines in sections.items()
    }


async def test_next_years_edition_copies_the_three_rounds_and_their_panels(made_in_92: Flow) -> None:
    setup = made_in_92["setup"]
    assert setup["created"]["slug"] == EDITION
    assert [(r["kind"], r["name"], r["status"], r["candidate_count"]) for r in setup["rounds"]] == [
        ("preselection", "Présélection", "draft", 0),
        ("semi_final", "Demi-finales", "draft", 0),
        ("final", "Finale", "draft", 0),
    ]
    semi = setup["panels"]["Demi-finales"]["panels"]
    assert sorted((p["name"], p["zone"], p["members"]) for p in semi) == [
        ("Demi-finale Nord", "Nord", []),
        ("Demi-finale Sud", "Sud", []),
    ]
    assert [(p["name"], p["members"]) for p in setup["panels"]["Finale"]["panels"]] == [("Grand jury", [])]
    prizes = [(p["kind"], p["name"]) for p in setup["grid"]["prizes"]]
    assert ("special", "Prix spécial Made in 92") in prizes
    assert len([p for p in prizes if p[0] == "category"]) == len(setup["grid"]["categories"])


async def test_this_years_smaller_field_keeps_six_per_zone_then_three(made_in_92: Flow) -> None:
    rules = made_in_92["setup"]["rules"]
    assert [(r["name"], r["advance_count"], r["quota_scope"], r["rule"]) for r in rules] == [
        ("Présélection", 6, "zone", "Les 6 premiers par zone."),
        ("Demi-finales", 3, "zone", "Les 3 premiers par zone."),
    ]


async def test_a_company_over_8_years_old_is_flagged_as_it_enters(made_in_92: Flow) -> None:
    outcome = made_in_92["applications"]
    young = outcome["young"]
    assert (young["round"]["name"], young["eligibility"]["eligible"]) == ("Présélection", True)
    old = outcome["old"]
    assert (old["round"]["name"], old["eligibility"]["eligible"]) == ("Présélection", False)
    assert [f["rule"] for f in old["eligibility"]["failures"]] == ["company_age"]
    assert (old["round"]["status"], old["round"]["reason"]) == (
        "ineligible",
        "Entreprise créée le 10 janvier 2012 : 14 ans à la clôture du 31 janvier 2026 (moins de 8 ans exigés)",
    )


async def test_companies_of_both_zones_and_every_category_enter_the_preselection(made_in_92: Flow) -> None:
    entered = made_in_92["applications"]["entered"]
    assert sorted(entered) == sorted(c[0] for c in COMPANIES)
    for name, _, insee, commune, _, category, _, _ in COMPANIES:
        body = entered[name]
        assert (body["candidate"]["insee_code"], body["candidate"]["commune"]) == (insee, commune), name
        assert body["candidate"]["category"] == category, name
        assert (body["round"]["name"], body["round"]["status"]) == ("Présélection", "pending"), name
        assert (body["eligibility"]["eligible"], body["eligibility"]["failures"]) == (True, []), name
    # Argenteuil (Val-d'Oise) is in the EPT Boucle Nord de Seine, and the edition accepts it.
    assert made_in_92["setup"]["created"]["accepted_outside_insee"] == ["95018"]
    numbers = sorted(body["candidate"]["entry_number"] for body in entered.values())
    assert numbers == [1, *range(3, 22)]  # n° 2 is the company over 8 years old


async def test_jurors_come_with_their_panels_and_the_grand_jury_is_completed_through_the_api(
    made_in_92: Flow,
) -> None:
    jury = made_in_92["jury"]
    assert jury["report"] == {
        "kind": "jures",
        "dry_run": False,
        "rows": 15,
        "imported": 15,
        "new_people": 14,
        "memberships": 14,
    }
    chairs = {"Hélène Marchand", "Sophie Renard", "Marc Olivier", "Georges Vallier"}
    imported: dict[str, list[str]] = {}
    for name, _, _, panel, _ in JURORS:
        seats = imported.setdefault(name, [])
        if panel:
            seats.append(f"{panel} (présidence)" if name in chairs else panel)
    # Yves Remplaçant came without a panel: a juror of the edition all the same, with no seat yet.
    assert imported["Yves Remplaçant"] == []
    assert {j["full_name"]: j["panels"] for j in jury["jurors"]} == imported
    assert (jury["named"]["full_name"], jury["named"]["role"]) == ("Sophie Renard", "juror")
    [grand_jury] = jury["final"]["panels"]
    assert [(m["full_name"], m["role"]) for m in grand_jury["members"]] == [
        ("Georges Vallier", "chair"),
        ("Amélie Fontaine", "juror"),
        ("Sophie Renard", "juror"),
        ("Thomas Nguyen", "juror"),
    ]
    assert jury["final"]["problems"] == ["Aucun candidat n'est inscrit à ce tour."]
    assert sorted(jury["cards"]) == sorted({name for name, *_ in JURORS})


async def test_a_juror_imported_without_a_panel_can_then_be_named_to_the_grand_jury(made_in_92: Flow) -> None:
    jury = made_in_92["jury"]
    [yves] = [j["id"] for j in jury["jurors"] if j["email"] == SPARE]
    grand_jury = made_in_92["setup"]["panels"]["Finale"]["panels"][0]["id"]
    final = made_in_92["setup"]["rounds"][2]["id"]
    assert jury["spare"] == {
        "panel_id": grand_jury,
        "round_id": final,
        "person_id": yves,
        "full_name": "Yves Remplaçant",
        "role": "juror",
        "is_professional": False,
    }
    [seated] = jury["with_spare"]["panels"]
    assert [(m["full_name"], m["role"]) for m in seated["members"]] == [
        ("Georges Vallier", "chair"),
        ("Amélie Fontaine", "juror"),
        ("Sophie Renard", "juror"),
        ("Thomas Nguyen", "juror"),
        ("Yves Remplaçant", "juror"),
    ]
    # Taken off again before anyone scores: the Grand jury judges with four, Yves keeps his card.
    assert jury["spare_removed"] == {
        "panel_id": grand_jury,
        "round_id": final,
        "person_id": yves,
        "role": "juror",
        "assignments_removed": 0,
    }
    assert "Yves Remplaçant" in jury["cards"]


async def test_the_committee_reads_every_eligible_application_and_keeps_six_per_zone(
    made_in_92: Flow,
) -> None:
    outcome = made_in_92["preselection"]
    before = outcome["before"]
    [committee] = before["panels"]
    # One panel: every applicant stands before it at once, the one over 8 years old flagged.
    assert {(e["name"], e["status"], e["panel_id"]) for e in before["entries"]} == {
        (c[0], "pending", committee["id"]) for c in COMPANIES
    } | {(OLD["nom_structure"], "ineligible", committee["id"])}
    assert (outcome["plan"]["pairs"], outcome["plan"]["uncovered"]) == (60, 0)
    assert outcome["opened"]["status"] == "open"
    every = sorted(c[0] for c in COMPANIES)
    assert outcome["seen"] == {name: every for name in PANEL_JURORS[PRESELECTION]}
    assert rankings(outcome["standings"]) == expected_rankings(
        "Présélection", panel_of={NORD: PRESELECTION, SUD: PRESELECTION}
    )
    advanced = outcome["qualified"]["advanced"]
    names = made_in_92.outcomes["applications"]["entered"]
    by_id = {body["candidate"]["id"]: name for name, body in names.items()}
    assert [by_id[c] for c in advanced["advanced"]] == [*SEMI_FINALISTS[NORD], *SEMI_FINALISTS[SUD]]
    assert sorted(by_id[c] for c in advanced["eliminated"]) == sorted(
        c[0] for c in COMPANIES if c[0] not in {*SEMI_FINALISTS[NORD], *SEMI_FINALISTS[SUD]}
    )
    assert outcome["closed"]["status"] == "closed"


async def test_the_semi_finals_are_routed_by_commune_and_each_sends_three_to_the_final(
    made_in_92: Flow,
) -> None:
    outcome = made_in_92["semi_finals"]
    entered = made_in_92.outcomes["applications"]["entered"]
    by_id = {body["candidate"]["id"]: name for name, body in entered.items()}
    routed = {
        by_id[r["candidate_id"]]: (r["zone"], r["eligible"], r["reason"])
        for r in outcome["routing"]["routed"]
    }
    assert routed == {name: (zone, True, "") for zone in (NORD, SUD) for name in SEMI_FINALISTS[zone]}
    panels = {p["id"]: p for p in outcome["entries"]["panels"]}
    placed = {(e["name"], panels[e["panel_id"]]["name"], e["status"]) for e in outcome["entries"]["entries"]}
    assert placed == {
        (name, panel, "pending")
        for zone, panel in ((NORD, PANEL_NORD), (SUD, PANEL_SUD))
        for name in SEMI_FINALISTS[zone]
    }
    assert {p["name"]: sorted(m["full_name"] for m in p["members"]) for p in panels.values()} == {
        PANEL_NORD: PANEL_JURORS[PANEL_NORD],
        PANEL_SUD: PANEL_JURORS[PANEL_SUD],
    }
    assert outcome["entries"]["problems"] == ["12 candidat(s) sans juré affecté."]
    assert (outcome["plan"]["pairs"], outcome["plan"]["uncovered"]) == (48, 0)
    seen = outcome["seen"]
    assert seen[BRIDGE] == sorted([*SEMI_FINALISTS[NORD], *SEMI_FINALISTS[SUD]])
    for zone, panel in ((NORD, PANEL_NORD), (SUD, PANEL_SUD)):
        for juror in PANEL_JURORS[panel]:
            if juror != BRIDGE:
                assert seen[juror] == sorted(SEMI_FINALISTS[zone]), juror
    assert rankings(outcome["standings"]) == expected_rankings(
        "Demi-finales", panel_of={NORD: PANEL_NORD, SUD: PANEL_SUD}
    )
    for zone in (NORD, SUD):
        advanced = outcome["qualified"][zone]["advanced"]
        assert [by_id[c] for c in advanced["advanced"]] == FINALISTS[zone]
        assert sorted(by_id[c] for c in advanced["eliminated"]) == sorted(
            set(SEMI_FINALISTS[zone]) - set(FINALISTS[zone])
        )
    assert outcome["closed"]["status"] == "closed"
    # The final has one panel: its finalists stand before the Grand jury without anyone placing them.
    final = outcome["final"]
    [grand_jury] = final["panels"]
    assert {(e["name"], e["panel_id"], e["status"]) for e in final["entries"]} == {
        (name, grand_jury["id"], "pending") for zone in (NORD, SUD) for name in FINALISTS[zone]
    }
    assert final["problems"] == ["6 candidat(s) sans juré affecté."]


async def test_the_grand_jury_gives_one_prize_per_category_and_the_prix_special(made_in_92: Flow) -> None:
    outcome = made_in_92["final"]
    finalists = sorted(name for zone in (NORD, SUD) for name in FINALISTS[zone])
    assert outcome["seen"] == {name: finalists for name in PANEL_JURORS[GRAND_JURY]}
    assert rankings(outcome["standings"]) == {
        (GRAND_JURY, "Transition énergétique"): [
            ("Atelier Lumen SAS", 1, 90.0, 90.0),
            ("Solaris Seine", 2, 80.0, 80.0),
        ],
        (GRAND_JURY, "Santé, sport et bien-être"): [("Kiné Connect", 1, 70.0, 70.0)],
        (GRAND_JURY, "Gastronomie, culture et tourisme"): [("Les Toques d'Argenteuil", 1, 50.0, 50.0)],
        (GRAND_JURY, "Innovation éducative"): [("Petits Codeurs", 1, 70.0, 70.0)],
        (GRAND_JURY, "Entrepreneuriat au féminin"): [("Elles Bâtissent", 1, 60.0, 60.0)],
    }
    assert sorted(
        (a["prize"], a["prize_kind"], a["candidate"], a["decided_on"]) for a in outcome["awards"]
    ) == [
        ("Prix de l'entrepreneuriat au féminin", "category", "Elles Bâtissent", FINAL_DAY),
        ("Prix de l'innovation éducative", "category", "Petits Codeurs", FINAL_DAY),
        ("Prix de la transition énergétique", "category", "Solaris Seine", FINAL_DAY),
        ("Prix gastronomie, culture et tourisme", "category", "Les Toques d'Argenteuil", FINAL_DAY),
        ("Prix santé, sport et bien-être", "category", "Kiné Connect", FINAL_DAY),
        ("Prix spécial Made in 92", "special", "Atelier Lumen SAS", FINAL_DAY),
    ]
    assert outcome["closed"]["status"] == "closed"
    assert outcome["decided"] == {
        "slug": EDITION,
        "previous": "judging",
        "status": "decided",
        "decision_on": FINAL_DAY,
    }
    assert outcome["edition"]["status"] == "decided"
    kinds = sorted((d["kind"], d["round_name"]) for d in outcome["decisions"])
    assert kinds == sorted(
        [("advance", "Présélection")] * 12
        + [("eliminate", "Présélection")] * 8
        + [("advance", "Demi-finales")] * 6
        + [("eliminate", "Demi-finales")] * 6
        + [("award", "Finale")] * 7
    )
    assert {d["decided_by"] for d in outcome["decisions"]} == {"Claire Vasseur"}
    # The Prix spécial undone once, with its reason, and given again: both decisions stay in the record.
    specials = [d for d in outcome["decisions"] if d["prize"] == "Prix spécial Made in 92"]
    assert [(d["undo_reason"], d["undone_by"]) for d in specials] == [
        ("Saisi avant le vote du jury", "Claire Vasseur"),
        ("", None),
    ]
    assert outcome["undone"]["revoked_diploma"] is None  # no diploma had been issued yet
    # Solaris Seine, second in its category, takes its prize: the first, Atelier Lumen SAS, holds the Prix
    # spécial and one laureate holds one prize here, so no departure from the ranking is recorded.
    assert {d["departure"] for d in outcome["decisions"]} == {""}


async def test_the_semi_final_proces_verbal_states_its_qualifiers(made_in_92: Flow) -> None:
    text = made_in_92["minutes"][PANEL_NORD]
    assert "Procès-verbal de délibération Made in 92 · 11e édition (2026) Tour Demi-finales" in text
    assert "Jury Demi-finale Nord Règle de qualification Les 3 premiers par zone." in text
    assert "Sophie Renard, Cheffe d'entreprise — présidence du jury" in text
    for juror in PANEL_JURORS[PANEL_NORD]:
        assert juror in text
    assert "Aucun conflit d'intérêts déclaré." in text
    for name in FINALISTS[NORD]:
        assert (
            f"Qualification pour le tour suivant {name} Les trois premiers de la Demi-finale Nord vont en finale."
            in text
        ), name
    for name in set(SEMI_FINALISTS[NORD]) - set(FINALISTS[NORD]):
        assert (
            f"Non-qualification {name} Les trois premiers de la Demi-finale Nord vont en finale." in text
        ), name
    assert "Le président / La présidente du jury Sophie Renard" in text


async def test_the_final_proces_verbal_states_the_grand_jury_its_ranking_and_prizes(made_in_92: Flow) -> None:
    text = made_in_92["minutes"][GRAND_JURY]
    assert (
        "Procès-verbal de délibération Made in 92 · 11e édition (2026) Tour Finale Jury Grand jury "
        "Règle de qualification Aucune qualification (tour final ou sans suite). "
        "Date de la délibération 3 juillet 2026 Lieu Boulogne-Billancourt MEMBRES DU JURY PRÉSENTS "
        "Georges Vallier, Président d'honneur — présidence du jury Amélie Fontaine, Journaliste économique "
        "Sophie Renard, Cheffe d'entreprise Thomas Nguyen, Entrepreneur "
        "CONFLITS D'INTÉRÊTS DÉCLARÉS Aucun conflit d'intérêts déclaré."
    ) in text
    for line in (
        "1 Atelier Lumen SAS 90,00 90,00 4 — 2 Solaris Seine 80,00 80,00 4 —",
        "1 Kiné Connect 70,00 70,00 4 —",
        "1 Les Toques d'Argenteuil 50,00 50,00 4 —",
        "1 Petits Codeurs 70,00 70,00 4 —",
        "1 Elles Bâtissent 60,00 60,00 4 —",
    ):
        assert line in text, line
    for prize, name in (
        ("Prix spécial Made in 92", "Atelier Lumen SAS"),
        ("Prix de la transition énergétique", "Solaris Seine"),
        ("Prix santé, sport et bien-être", "Kiné Connect"),
        ("Prix gastronomie, culture et tourisme", "Les Toques d'Argenteuil"),
        ("Prix de l'innovation éducative", "Petits Codeurs"),
        ("Prix de l'entrepreneuriat au féminin", "Elles Bâtissent"),
    ):
        assert f"Prix : {prize} {name} {AWARD_REASON}" in text, prize
    assert "Le président / La présidente du jury Georges Vallier" in text


async def test_the_laureates_diplomas_are_verified_by_anyone(made_in_92: Flow) -> None:
    outcome = made_in_92["diplomas"]
    founders = {c[0]: c[1] for c in COMPANIES}
    prize_names = {p["code"]: p["name"] for p in made_in_92["setup"]["grid"]["prizes"]}
    assert sorted((row[0], row[1], row[2]) for row in outcome["rows"]) == sorted(
        (f"{founders[name]} — {name}", prize_names[code], "prêt PDF") for code, name in PRIZES
    )
    for laureate, prize, _, code, *_ in outcome["rows"]:
        assert (
            f"Ce diplôme est authentique. Concours Made in 92 Édition 11 e édition — 2026 "
            f"Distinction {prize} Lauréat {laureate} Décision du jury 3 juillet 2026 "
            f"Code de vérification {code}"
        ) in outcome["checks"][prize]
