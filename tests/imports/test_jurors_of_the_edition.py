"""A juror the import brings without a panel is a juror of the edition all the same, through HTTP.

The « jury » column is optional: a replacement, or a Grand jury member to be named once the finalists are
known, comes with it empty. Such a juror is listed among the edition's jurors (API and Jurés page), can be
named to a panel later (`POST /api/panels/{id}/members`) and gets an access card; a juror of another
edition, or one only checked in a dry run, cannot be named.
"""

from __future__ import annotations

import html
import re

from tests.imports.files import csv_bytes, post_file

EDITION = "made-in-92-2024"
HEADER = ["nom", "courriel", "qualite", "jury", "role", "professionnel"]
ANNE = [
    "Anne Présidente",
    "anne@exemple.fr",
    "Cheffe d'entreprise",
    "Demi-finale / Jury Nord",
    "président",
    "",
]
YVES = ["Yves Remplaçant", "yves@exemple.fr", "Ancien lauréat", "", "", "oui"]
CARD = re.compile(r'<p class="card-name">(.*?)</p>', re.S)


async def import_jurors(client, edition: str, rows: list[list[str]], *, dry_run: bool = False):
    return await post_file(
        client,
        edition=edition,
        kind="jures",
        name="jures.csv",
        content=csv_bytes([HEADER, *rows]),
        dry_run=dry_run,
    )


async def panel_id(client, edition: str, *, round_name: str, panel: str) -> int:
    rounds = (await client.get(f"/api/editions/{edition}/rounds")).json()
    [rnd] = [r for r in rounds if r["name"] == round_name]
    entries = (await client.get(f"/api/rounds/{rnd['id']}/entries")).json()
    [found] = [p for p in entries["panels"] if p["name"] == panel]
    return found["id"]


async def test_a_juror_imported_without_a_panel_is_listed_named_to_a_panel_and_gets_a_card(import_client):
    client = import_client
    report = await import_jurors(client, EDITION, [ANNE, YVES])
    assert report.status_code == 201, report.text
    assert report.json() == {
        "kind": "jures",
        "dry_run": False,
        "rows": 2,
        "imported": 2,
        "new_people": 2,
        "memberships": 1,
    }

    jurors = (await client.get(f"/api/editions/{EDITION}/jurors")).json()
    assert [(j["full_name"], j["email"], j["title"], j["panels"]) for j in jurors] == [
        ("Anne Présidente", "anne@exemple.fr", "Cheffe d'entreprise", ["Jury Nord (présidence)"]),
        ("Yves Remplaçant", "yves@exemple.fr", "Ancien lauréat", []),
    ]
    yves = jurors[1]["id"]
    page = (await client.get(f"/organisation/editions/{EDITION}/jures")).text
    assert "Yves Remplaçant" in page and "Ancien lauréat" in page

    grand_jury = await panel_id(client, EDITION, round_name="Finale", panel="Grand jury")
    named = await client.post(f"/api/panels/{grand_jury}/members", json={"email": "YVES@exemple.fr"})
    assert named.status_code == 201, named.text
    assert named.json() == {
        "panel_id": grand_jury,
        "round_id": named.json()["round_id"],
        "person_id": yves,
        "full_name": "Yves Remplaçant",
        "role": "juror",
        "is_professional": False,
    }
    jurors = (await client.get(f"/api/editions/{EDITION}/jurors")).json()
    assert {j["full_name"]: j["panels"] for j in jurors} == {
        "Anne Présidente": ["Jury Nord (présidence)"],
        "Yves Remplaçant": ["Grand jury"],
    }

    # Taken off the Grand jury again, he stays a juror of the edition, card included.
    removed = await client.delete(f"/api/panels/{grand_jury}/members/{yves}")
    assert removed.status_code == 200, removed.text
    assert {
        j["full_name"]: j["panels"] for j in (await client.get(f"/api/editions/{EDITION}/jurors")).json()
    } == {
        "Anne Présidente": ["Jury Nord (présidence)"],
        "Yves Remplaçant": [],
    }
    cards = await client.post(f"/organisation/editions/{EDITION}/cartes", data={"action": "issue-missing"})
    assert cards.status_code == 200, cards.text
    assert sorted(html.unescape(n).strip() for n in CARD.findall(cards.text)) == [
        "Anne Présidente",
        "Yves Remplaçant",
    ]


async def test_a_juror_of_another_edition_or_of_a_dry_run_is_not_named(import_client):
    client = import_client
    assert (await import_jurors(client, "gateau-2023", [YVES])).status_code == 201
    checked = await import_jurors(
        client, EDITION, [["Zoé Essai", "zoe@exemple.fr", "", "", "", ""]], dry_run=True
    )
    assert checked.status_code == 200, checked.text
    grand_jury = await panel_id(client, EDITION, round_name="Finale", panel="Grand jury")
    for email in ("yves@exemple.fr", "zoe@exemple.fr"):
        refused = await client.post(f"/api/panels/{grand_jury}/members", json={"email": email})
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"] == "Ce juré n'est pas un juré de cette édition."
        assert [e["field"] for e in refused.json()["errors"]] == ["email"]
    assert (await client.get(f"/api/editions/{EDITION}/jurors")).json() == []
    assert [j["full_name"] for j in (await client.get("/api/editions/gateau-2023/jurors")).json()] == [
        "Yves Remplaçant"
    ]
