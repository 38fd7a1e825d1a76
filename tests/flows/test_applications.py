"""Imaginez le gâteau des Hauts-de-Seine 2026 takes applications online, through HTTP only.

Romain Texier (CMA) copies the 2025 edition, opens applications from 1 November to 15 December 2026 (the
service's clock reads 27 November 2026). Two artisans apply on the public form, without an account: Julie
Morel (Pâtisserie Morel, Nanterre) with a photo of her creation, who later adds her recipe as a PDF through
the private link; Marc Roux, whose shop is in Argenteuil, outside the département, is told why as he types
and refused when he sends. A second Nanterre application, a reseller's, is refused by the organiser with a
reason; Julie's is accepted and she enters the tasting as a candidate. Without SMTP settings, jurors cannot
be invited by e-mail: the service says so and the cards remain.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.flows.browser_free_client import Flow, World, text_of

CONTEST = "gateau-des-hauts-de-seine"
LAST_YEAR = "gateau-des-hauts-de-seine-2025"
EDITION = "gateau-des-hauts-de-seine-2026"
ORGANISER = "romain.texier@exemple.fr"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128
PDF = b"%PDF-1.4\n%%EOF\n"
NO_FILE = [("documents", ("", b"", "application/octet-stream"))]
"""The form is multipart, as a browser sends it: a file input left empty is a nameless, empty part."""
JULIE = {
    "nom_structure": "Pâtisserie Morel",
    "nom_porteur": "Julie Morel",
    "courriel": "julie.morel@patisserie-morel.example",
    "code_insee": "92050",
    "creation": "Le Nanterrois",
    "categorie": "gateau",
}
MARC = {
    **JULIE,
    "nom_structure": "Pâtisserie du Val",
    "nom_porteur": "Marc Roux",
    "courriel": "marc.roux@val.example",
    "code_insee": "95018",
    "creation": "Val d'Argent",
}
RESELLER = {
    **JULIE,
    "nom_structure": "Gâteaux Express",
    "nom_porteur": "Paul Vendeur",
    "courriel": "paul@express.example",
    "creation": "Gâteau du jour",
}


def token_of(location: str) -> str:
    return re.fullmatch(r"/candidature/([A-Za-z0-9_-]+)\?envoyee=1", location).group(1)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
async def gateau(world: World) -> AsyncIterator[Flow]:
    flow = Flow()
    romain = await world.organiser(ORGANISER)
    state: dict[str, Any] = {}

    async def opening() -> dict[str, Any]:
        await romain.post(
            f"/api/contests/{CONTEST}/editions", {"year": 2026, "copy_from": LAST_YEAR}, expect=201
        )
        await romain.patch(f"/api/editions/{EDITION}", {"opens_on": "2026-11-01", "closes_on": "2026-12-15"})
        await romain.post(f"/api/editions/{EDITION}/status", {"status": "applications"})
        visitor = await world.open("visiteur")
        return {"form": text_of(await visitor.page(f"/candidater/{EDITION}"))}

    async def applying() -> dict[str, Any]:
        julie = await world.open("Julie Morel")
        sent = await julie.call(
            "POST",
            f"/candidater/{EDITION}",
            expect=303,
            data=JULIE,
            files=[("documents", ("gateau.jpg.png", PNG, "image/png"))],
        )
        state["julie"] = token_of(sent.headers["location"])
        state["julie_browser"] = julie
        marc = await world.open("Marc Roux")
        typed = await marc.post(f"/candidater/{EDITION}/verification", MARC, expect=200)
        refused = await marc.call(
            "POST",
            f"/candidater/{EDITION}",
            expect=422,
            data=MARC,
            files=NO_FILE,
            headers={"accept": "text/html"},
        )
        reseller = await world.open("Paul Vendeur")
        resold = await reseller.call(
            "POST", f"/candidater/{EDITION}", expect=303, data=RESELLER, files=NO_FILE
        )
        state["reseller"] = token_of(resold.headers["location"])
        return {"typed": typed, "refused": text_of(refused.text)}

    async def completing() -> dict[str, Any]:
        julie = state["julie_browser"]
        await julie.call(
            "POST",
            f"/candidature/{state['julie']}",
            data={**JULIE, "creation": "Le Nanterrois aux noix"},
            files=[("documents", ("recette.pdf", PDF, "application/pdf"))],
        )
        return {"page": text_of(await julie.page(f"/candidature/{state['julie']}"))}

    async def deciding() -> dict[str, Any]:
        listed = {a["display_name"]: a for a in await romain.get(f"/api/editions/{EDITION}/applications")}
        accepted = await romain.post(f"/api/applications/{listed['Pâtisserie Morel']['id']}/acceptance")
        refused = await romain.post(
            f"/api/applications/{listed['Gâteaux Express']['id']}/refusal",
            {"reason": "Revendeur : le concours est réservé aux artisans qui fabriquent."},
        )
        rounds = await romain.get(f"/api/editions/{EDITION}/rounds")
        entries = await romain.get(f"/api/rounds/{rounds[0]['id']}/entries")
        candidate = await romain.get(f"/api/candidates/{accepted['candidate_id']}")
        reseller_page = text_of(await (await world.open("Paul")).page(f"/candidature/{state['reseller']}"))
        return {
            "listed": listed,
            "accepted": accepted,
            "refused": refused,
            "entries": entries,
            "candidate": candidate,
            "reseller_page": reseller_page,
        }

    async def inviting() -> dict[str, Any]:
        return {"answer": await romain.post(f"/api/editions/{EDITION}/invitations", {}, expect=422)}

    for name, run in (
        ("opening", opening),
        ("applying", applying),
        ("completing", completing),
        ("deciding", deciding),
        ("inviting", inviting),
    ):
        await flow.stage(name, run)
    yield flow


async def test_the_form_asks_for_the_creation_not_a_company(gateau: Flow) -> None:
    form = gateau["opening"]["form"]
    assert "Candidater — Imaginez le gâteau des Hauts-de-Seine 2026" in form
    assert "Boutique ou entreprise" in form and "Nom de la création" in form
    assert "Date de création" not in form and "Montant demandé" not in form


async def test_an_artisan_outside_the_departement_learns_why_as_he_types_and_when_he_sends(
    gateau: Flow,
) -> None:
    typed = gateau["applying"]["typed"]
    assert typed["eligible"] is False
    assert [f["rule"] for f in typed["failures"]] == ["territory"]
    assert (
        "Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)"
        in (gateau["applying"]["refused"])
    )


async def test_the_private_link_completes_the_application_with_a_pdf(gateau: Flow) -> None:
    page = gateau["completing"]["page"]
    assert "État : à examiner" in page
    assert "gateau.jpg.png" in page and "recette.pdf" in page


async def test_the_accepted_artisan_enters_the_tasting_and_the_reseller_is_told_why(gateau: Flow) -> None:
    outcome = gateau["deciding"]
    assert [a["status"] for a in outcome["listed"].values()] == ["submitted", "submitted"]
    assert outcome["accepted"]["status"] == "accepted"
    candidate = outcome["candidate"]["candidate"]
    assert (candidate["person_name"], candidate["creation_name"], candidate["insee_code"]) == (
        "Julie Morel",
        "Le Nanterrois aux noix",
        "92050",
    )
    assert outcome["candidate"]["round"]["kind"] == "tasting"
    assert [e["candidate_id"] for e in outcome["entries"]["entries"]] == [outcome["accepted"]["candidate_id"]]
    assert outcome["refused"]["status"] == "refused"
    assert "État : refusée" in outcome["reseller_page"]
    assert "Revendeur : le concours est réservé aux artisans qui fabriquent." in outcome["reseller_page"]


async def test_without_smtp_jurors_are_not_invited_by_email(gateau: Flow) -> None:
    answer = gateau["inviting"]["answer"]
    assert answer["detail"].startswith(
        "L'envoi d'e-mails n'est pas configuré (JURY_SMTP_HOST et JURY_SMTP_FROM)."
    )
