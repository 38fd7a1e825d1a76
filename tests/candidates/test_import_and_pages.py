"""An import puts candidates in the first round with numbers; the organisers' candidate pages."""

from __future__ import annotations

import csv
import io

from tests.candidates.conftest import GATEAU, M92, World

HTML = {"accept": "text/html"}


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


async def test_import_enters_the_first_round_with_numbers_and_flags(organiser, db, world: World):
    content = csv_file(
        [
            ["nom_porteur", "courriel", "code_insee", "numero", "creation"],
            ["Paul Fournil", "paul@fournil.fr", "95018", "", "Opéra"],
            ["Anne Sucre", "anne@sucre.fr", "92050", "5", "Paris-Brest"],
            ["Marc Levain", "marc@levain.fr", "92012", "", "Fraisier"],
        ]
    )
    response = await organiser.post(
        f"/api/editions/{GATEAU}/imports/candidats", files={"file": ("c.csv", content)}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["round_name"] == "Dégustation"
    assert [(line["line"], line["name"]) for line in body["ineligible"]] == [(2, "Paul Fournil")]
    rows = await db.conn.fetch(
        "select c.person_name, c.entry_number, cr.round_id, cr.status, cr.reason from candidates c "
        "join candidate_rounds cr on cr.candidate_id = c.id order by c.id"
    )
    assert [tuple(r) for r in rows] == [
        (
            "Paul Fournil",
            1,
            world.rounds[GATEAU],
            "ineligible",
            "Commune hors des Hauts-de-Seine et non acceptée par cette édition : Argenteuil (95018)",
        ),
        ("Anne Sucre", 5, world.rounds[GATEAU], "pending", ""),
        ("Marc Levain", 2, world.rounds[GATEAU], "pending", ""),
    ]
    # Malformed data is still refused: nothing written.
    bad = csv_file([["nom_porteur", "courriel", "code_insee"], ["Zoé", "zoe@@x", "92050"]])
    refused = await organiser.post(
        f"/api/editions/{GATEAU}/imports/candidats", files={"file": ("c.csv", bad)}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "courriel"


async def test_pages_add_edit_override_and_withdraw(organiser, db, world: World):
    listing = await organiser.get(f"/organisation/editions/{M92}/candidats", headers=HTML)
    assert f'href="/organisation/editions/{M92}/candidats/nouveau"' in listing.text
    form = await organiser.get(f"/organisation/editions/{M92}/candidats/nouveau", headers=HTML)
    assert form.status_code == 200 and 'name="code_insee"' in form.text
    fields = {
        "nom_structure": "Vieille Maison",
        "courriel": "vm@exemple.fr",
        "code_insee": "92050",
        "date_creation": "2010-01-01",
        "categorie": "TE",
    }
    refused = await organiser.post(
        f"/organisation/editions/{M92}/candidats/nouveau", data={**fields, "courriel": "non"}, headers=HTML
    )
    assert refused.status_code == 422 and "courriel" in refused.text
    added = await organiser.post(
        f"/organisation/editions/{M92}/candidats/nouveau", data=fields, follow_redirects=False
    )
    assert added.status_code == 303
    page_url = added.headers["location"]
    page = await organiser.get(page_url, headers=HTML)
    assert "N° 1 — Vieille Maison" in page.text
    assert "Inéligible" in page.text and "(moins de 8 ans exigés)" in page.text
    no_reason = await organiser.post(f"{page_url}/derogation", data={"reason": " "}, headers=HTML)
    assert no_reason.status_code == 422 and "Motif obligatoire" in no_reason.text
    accepted = await organiser.post(
        f"{page_url}/derogation", data={"reason": "Reprise en 2020"}, headers=HTML
    )
    assert (
        accepted.status_code == 200
        and "Dérogation accordée" in accepted.text
        and "Reprise en 2020" in accepted.text
    )
    edited = await organiser.post(page_url, data={**fields, "projet": "Nouveau projet"}, headers=HTML)
    assert edited.status_code == 200 and 'value="Nouveau projet"' in edited.text
    withdrawn = await organiser.post(f"{page_url}/retrait", data={"reason": "Abandon"}, headers=HTML)
    assert (
        withdrawn.status_code == 200 and "Candidat retiré" in withdrawn.text and "Abandon" in withdrawn.text
    )


async def test_other_contests_organiser_cannot_see_the_page(organiser, other):
    added = await organiser.post(
        f"/api/editions/{M92}/candidates",
        json={"nom_structure": "X", "courriel": "x@exemple.fr", "code_insee": "92050"},
    )
    cid = added.json()["candidate"]["id"]
    assert (await other.get(f"/organisation/candidats/{cid}", headers=HTML)).status_code == 403
    assert (
        await other.get(f"/organisation/editions/{M92}/candidats/nouveau", headers=HTML)
    ).status_code == 403
