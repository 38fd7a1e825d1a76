"""Importing candidates through the API: every row stored exactly, or nothing with every error named."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.helpers import make_organiser, sign_in
from tests.imports.files import count_rows, csv_bytes, post_file, xlsx_bytes

from jury.db.queries import Database

STORED = """
select c.kind, c.organisation_name, c.person_name, c.email, c.insee_code, c.legal_form, c.founded_on,
       c.requested_eur, c.entry_number, c.creation_name, cat.code as category, c.project_title
from candidates c
join editions e on e.id = c.edition_id
left join categories cat on cat.id = c.category_id
where e.slug = $1
order by c.id
"""


async def stored(db: Database, edition: str) -> list[tuple]:
    return [tuple(row) for row in await db.conn.fetch(STORED, edition)]


async def test_semicolon_utf8_bom_csv_imports_every_row_with_exact_values(import_client, db):
    content = csv_bytes(
        [
            [
                "Nom structure",
                "Nom porteur",
                "Courriel",
                "Code INSEE",
                "Date de création",
                "Catégorie",
                "Projet",
            ],
            [
                "Nobsolete",
                "Léa Martin",
                "lea@nobsolete.fr",
                "92022",
                "15/03/2021",
                "TE",
                "Ordinateurs reconditionnés",
            ],
            [
                "Dos Palomas",
                "Inès Díaz",
                "contact@dospalomas.fr",
                "95018",
                "2019-09-01",
                "prix de l’entrepreneuriat au FÉMININ",
                "Épicerie fine",
            ],
            ["Atelier Meudon", "", "bonjour@atelier-meudon.fr", "92048", "", "", ""],
        ]
    )
    assert content.startswith(b"\xef\xbb\xbf")

    response = await post_file(
        import_client, edition="made-in-92-2024", kind="candidats", name="candidats.csv", content=content
    )

    assert response.status_code == 201
    # Argenteuil is outside the 92 and this edition lists no exception: imported, flagged.
    assert response.json() == {
        "kind": "candidats",
        "dry_run": False,
        "rows": 3,
        "imported": 3,
        "ineligible": [
            {
                "line": 3,
                "name": "Dos Palomas",
                "failures": [
                    {
                        "rule": "territory",
                        "message": "Commune hors des Hauts-de-Seine et non acceptée par cette édition : "
                        "Argenteuil (95018)",
                    }
                ],
            }
        ],
        "round_name": "Demi-finale",
    }
    assert await stored(db, "made-in-92-2024") == [
        (
            "company",
            "Nobsolete",
            "Léa Martin",
            "lea@nobsolete.fr",
            "92022",
            "",
            dt.date(2021, 3, 15),
            None,
            1,
            "",
            "TE",
            "Ordinateurs reconditionnés",
        ),
        (
            "company",
            "Dos Palomas",
            "Inès Díaz",
            "contact@dospalomas.fr",
            "95018",
            "",
            dt.date(2019, 9, 1),
            None,
            2,
            "",
            "EF",
            "Épicerie fine",
        ),
        (
            "company",
            "Atelier Meudon",
            "",
            "bonjour@atelier-meudon.fr",
            "92048",
            "",
            None,
            None,
            3,
            "",
            None,
            "",
        ),
    ]


async def test_xlsx_imports_every_row_with_numbers_and_dates_read_as_excel_stores_them(import_client, db):
    content = xlsx_bytes(
        [
            [
                "nom_structure",
                "nom_porteur",
                "courriel",
                "code_insee",
                "forme_juridique",
                "date_creation",
                "montant_demande",
                "projet",
            ],
            [
                "Les Jardins d'Issy",
                "Paul Bernard",
                "jardins@issy.org",
                92040,
                "association",
                dt.datetime(2015, 6, 1),
                15000,
                "Potagers partagés",
            ],
            [
                "Fondation Solidaire",
                None,
                "contact@fs.org",
                "92050",
                "FONDATION",
                "02/01/2010",
                "12 500 €",
                "Épicerie solidaire",
            ],
            ["Mutuelle 92", "", "info@m92.fr", 92012.0, "Mutuelle", None, 0, None],
        ]
    )

    response = await post_file(
        import_client, edition="progress-2024", kind="candidats", name="candidats.xlsx", content=content
    )

    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 3
    assert await stored(db, "progress-2024") == [
        (
            "organisation",
            "Les Jardins d'Issy",
            "Paul Bernard",
            "jardins@issy.org",
            "92040",
            "Association",
            dt.date(2015, 6, 1),
            15000,
            1,
            "",
            None,
            "Potagers partagés",
        ),
        (
            "organisation",
            "Fondation Solidaire",
            "",
            "contact@fs.org",
            "92050",
            "Fondation",
            dt.date(2010, 1, 2),
            12500,
            2,
            "",
            None,
            "Épicerie solidaire",
        ),
        ("organisation", "Mutuelle 92", "", "info@m92.fr", "92012", "Mutuelle", None, 0, 3, "", None, ""),
    ]


async def test_windows_1252_csv_with_commas_is_accepted_with_accents_intact(import_client, db):
    content = csv_bytes(
        [
            ["nom_porteur", "nom_structure", "courriel", "code_insee", "numero", "creation"],
            [
                "Fabienne Zacchi",
                "Comptoir des Pipelettes",
                "fabienne@pipelettes.fr",
                "92032",
                "7",
                "La Folie-Fontaine",
            ],
            ["Cyril Huet", "Pâtisserie Huet — Sèvres", "cyril@huet.fr", "92072", "12", "L’écrin"],
            ["Grégoire Delachaux", "", "greg@lemiel.fr", "92063", "3", "Arcane, pommes caramélisées"],
        ],
        delimiter=",",
        encoding="cp1252",
    )
    assert b"\xe2" in content and b"\x97" in content  # â and the em dash, as Windows-1252 bytes

    response = await post_file(
        import_client, edition="gateau-2023", kind="candidats", name="gateau.csv", content=content
    )

    assert response.status_code == 201, response.text
    rows = await stored(db, "gateau-2023")
    assert [(r[2], r[1], r[8], r[9]) for r in rows] == [
        ("Fabienne Zacchi", "Comptoir des Pipelettes", 7, "La Folie-Fontaine"),
        ("Cyril Huet", "Pâtisserie Huet — Sèvres", 12, "L’écrin"),
        ("Grégoire Delachaux", "", 3, "Arcane, pommes caramélisées"),
    ]
    assert {r[0] for r in rows} == {"artisan"}


async def test_dry_run_checks_the_file_and_writes_nothing(import_client, db):
    content = csv_bytes(
        [
            ["nom_structure", "courriel", "code_insee"],
            ["Nobsolete", "lea@nobsolete.fr", "92022"],
            ["Dos Palomas", "contact@dospalomas.fr", "95018"],
        ]
    )

    response = await post_file(
        import_client,
        edition="made-in-92-2024",
        kind="candidats",
        name="c.csv",
        content=content,
        dry_run=True,
    )

    assert response.status_code == 200
    assert response.json() == {
        "kind": "candidats",
        "dry_run": True,
        "rows": 2,
        "imported": 0,
        "ineligible": [
            {
                "line": 3,
                "name": "Dos Palomas",
                "failures": [
                    {
                        "rule": "territory",
                        "message": "Commune hors des Hauts-de-Seine et non acceptée par cette édition : "
                        "Argenteuil (95018)",
                    }
                ],
            }
        ],
    }
    assert await count_rows(db, "candidates") == 0
    assert await count_rows(db, "audit_events") == 0


async def test_an_import_appends_one_audit_event_naming_the_organiser_and_the_edition(import_client, db):
    content = csv_bytes(
        [["nom_structure", "courriel", "code_insee"], ["Nobsolete", "lea@nobsolete.fr", "92022"]]
    )

    response = await post_file(
        import_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=content
    )

    assert response.status_code == 201
    events = await db.conn.fetch("select actor_id, actor_label, action, target from audit_events")
    organiser_id = await db.conn.fetchval("select id from people where email = 'organisation@exemple.fr'")
    assert [tuple(e) for e in events] == [
        (organiser_id, f"organiser:{organiser_id}", "candidates.import", "edition:made-in-92-2024")
    ]


async def test_nothing_is_written_when_only_the_last_of_many_rows_is_wrong(import_client, db):
    rows = [["nom_structure", "courriel", "code_insee"]]
    rows += [[f"Entreprise {i}", f"contact{i}@exemple.fr", "92050"] for i in range(1, 60)]
    rows.append(["Entreprise 60", "contact60@exemple.fr", "92000"])

    response = await post_file(
        import_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=csv_bytes(rows)
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "line": 61,
            "field": "code_insee",
            "message": "92000 est le code postal de Nanterre, pas son code INSEE : indiquez 92050.",
        },
    ]
    assert await count_rows(db, "candidates") == 0
    assert await count_rows(db, "audit_events") == 0


COMPANY = ["nom_structure", "nom_porteur", "courriel", "code_insee", "date_creation", "categorie"]
GOOD_COMPANY = ["Nobsolete", "Léa Martin", "lea@nobsolete.fr", "92022", "15/03/2021", "TE"]
ORGANISATION = ["nom_structure", "courriel", "code_insee", "forme_juridique", "montant_demande"]
GOOD_ORGANISATION = ["Les Jardins d'Issy", "jardins@issy.org", "92040", "Association", "15 000"]
ARTISAN = ["nom_porteur", "nom_structure", "courriel", "code_insee", "numero", "creation"]
GOOD_ARTISAN = ["Fabienne Zacchi", "Comptoir des Pipelettes", "fabienne@pipelettes.fr", "92032", "7", "Folie"]

ROW_ERRORS = [
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "75056", "", ""],
        "code_insee",
        "Commune inconnue : aucune commune de code INSEE 75056 parmi les communes acceptées.",
        id="unknown-commune",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "92360", "", ""],
        "code_insee",
        "92360 est le code postal de Meudon, pas son code INSEE : indiquez 92048.",
        id="postal-code-instead-of-insee",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "Nanterre", "", ""],
        "code_insee",
        "« Nanterre » est un nom de commune : indiquez son code INSEE, 92050.",
        id="commune-name-instead-of-insee",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple", "92050", "", ""],
        "courriel",
        "Adresse électronique invalide : « studio@exemple ».",
        id="bad-email",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "", "92050", "", ""],
        "courriel",
        "Valeur obligatoire manquante.",
        id="missing-required-field",
    ),
    pytest.param(
        "gateau-2023",
        ARTISAN,
        GOOD_ARTISAN,
        ["", "", "anonyme@exemple.fr", "92050", "8", ""],
        "nom_porteur",
        "Valeur obligatoire manquante : renseignez nom_porteur ou nom_structure.",
        id="missing-artisan-name",
    ),
    pytest.param(
        "gateau-2023",
        ARTISAN,
        GOOD_ARTISAN,
        ["Cyril Huet", "", "cyril@huet.fr", "92072", "7", "L'écrin"],
        "numero",
        "Numéro 7 déjà utilisé ligne 2 du fichier.",
        id="duplicate-entry-number-in-file",
    ),
    pytest.param(
        "gateau-2023",
        ARTISAN,
        GOOD_ARTISAN,
        ["Cyril Huet", "", "cyril@huet.fr", "92072", "n° 8", "L'écrin"],
        "numero",
        "Numéro invalide : « n° 8 » (nombre entier positif attendu).",
        id="bad-entry-number",
    ),
    pytest.param(
        "progress-2024",
        ORGANISATION,
        GOOD_ORGANISATION,
        ["Asso", "asso@exemple.fr", "92050", "Association", "-500"],
        "montant_demande",
        "Montant négatif : « -500 ».",
        id="negative-amount",
    ),
    pytest.param(
        "progress-2024",
        ORGANISATION,
        GOOD_ORGANISATION,
        ["Asso", "asso@exemple.fr", "92050", "Association", "dix mille"],
        "montant_demande",
        "Montant non numérique : « dix mille » (par exemple 15 000 ou 15000 €).",
        id="non-numeric-amount",
    ),
    pytest.param(
        "progress-2024",
        ORGANISATION,
        GOOD_ORGANISATION,
        ["Asso", "asso@exemple.fr", "92050", "Association", "1500,50"],
        "montant_demande",
        "Montant non entier : « 1500,50 » (euros entiers attendus, sans centimes).",
        id="amount-with-cents",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "92050", "31/02/2020", ""],
        "date_creation",
        "Date impossible : « 31/02/2020 ».",
        id="impossible-date",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "92050", "mars 2020", ""],
        "date_creation",
        "Date invalide : « mars 2020 » (JJ/MM/AAAA ou AAAA-MM-JJ attendu).",
        id="bad-date",
    ),
    pytest.param(
        "made-in-92-2024",
        COMPANY,
        GOOD_COMPANY,
        ["Studio", "", "studio@exemple.fr", "92050", "", "Prix santé"],
        "categorie",
        "Catégorie inconnue : « Prix santé » (catégories de l'édition : "
        "TE (Prix de la transition énergétique), EF (Prix de l'entrepreneuriat au féminin)).",
        id="unknown-category",
    ),
]


@pytest.mark.parametrize(("edition", "header", "good", "bad", "field", "message"), ROW_ERRORS)
async def test_a_wrong_last_row_is_refused_with_its_line_and_column_and_nothing_is_written(
    import_client, db, edition, header, good, bad, field, message
):
    response = await post_file(
        import_client,
        edition=edition,
        kind="candidats",
        name="candidats.csv",
        content=csv_bytes([header, good, bad]),
    )

    assert response.status_code == 422
    assert response.json() == {
        "status_code": 422,
        "detail": "Le fichier contient 1 erreur : rien n'a été importé.",
        "errors": [{"line": 3, "field": field, "message": message}],
    }
    assert await count_rows(db, "candidates") == 0


async def test_a_legal_form_or_request_outside_the_rules_is_imported_and_flagged(import_client, db):
    content = csv_bytes(
        [
            ORGANISATION,
            ["Ma SARL", "sarl@exemple.fr", "92050", "SARL", "5000"],
            ["Asso", "asso@exemple.fr", "92050", "Association", "20 000 €"],
        ]
    )

    response = await post_file(
        import_client, edition="progress-2024", kind="candidats", name="c.csv", content=content
    )

    assert response.status_code == 201, response.text
    flagged = [
        (line["line"], [f["rule"] for f in line["failures"]]) for line in response.json()["ineligible"]
    ]
    assert flagged == [(2, ["legal_form"]), (3, ["requested_amount"])]
    assert await count_rows(db, "candidates") == 2


async def test_an_entry_number_already_taken_in_the_edition_is_refused(import_client, db):
    first = csv_bytes([ARTISAN, GOOD_ARTISAN])
    assert (
        await post_file(import_client, edition="gateau-2023", kind="candidats", name="a.csv", content=first)
    ).status_code == 201
    second = csv_bytes(
        [
            ARTISAN,
            ["Cyril Huet", "", "cyril@huet.fr", "92072", "12", "L'écrin"],
            ["Grégoire Delachaux", "", "greg@lemiel.fr", "92063", "7", "Arcane"],
        ]
    )

    response = await post_file(
        import_client, edition="gateau-2023", kind="candidats", name="b.csv", content=second
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"line": 3, "field": "numero", "message": "Numéro 7 déjà attribué à un candidat de l'édition."},
    ]
    assert await count_rows(db, "candidates") == 1


async def test_every_error_of_every_row_is_reported_not_just_the_first(import_client, db):
    content = csv_bytes(
        [
            ORGANISATION,
            ["Asso", "pas-un-courriel", "92000", "SARL", "20000"],
            GOOD_ORGANISATION,
            ["", "ok@exemple.fr", "99999", "Association", "abc"],
        ]
    )

    response = await post_file(
        import_client, edition="progress-2024", kind="candidats", name="c.csv", content=content
    )

    assert response.status_code == 422
    body = response.json()
    # A legal form or a request the edition does not accept is flagged, not refused.
    assert body["detail"] == "Le fichier contient 5 erreurs : rien n'a été importé."
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (2, "courriel"),
        (2, "code_insee"),
        (4, "nom_structure"),
        (4, "code_insee"),
        (4, "montant_demande"),
    ]


async def test_errors_are_capped_at_200_and_the_summary_says_how_many_there_were(import_client, db):
    rows = [["nom_structure", "courriel", "code_insee"]]
    rows += [[f"E{i}", "pas-un-courriel", "92000"] for i in range(150)]

    response = await post_file(
        import_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=csv_bytes(rows)
    )

    assert response.status_code == 422
    body = response.json()
    assert len(body["errors"]) == 200
    assert body["detail"] == (
        "Le fichier contient 300 erreurs : rien n'a été importé. Seules les 200 premières sont listées."
    )


async def test_an_unknown_edition_or_kind_is_a_404(import_client):
    content = csv_bytes([["nom_structure", "courriel", "code_insee"], ["A", "a@exemple.fr", "92050"]])
    unknown_edition = await post_file(
        import_client, edition="nope-2020", kind="candidats", name="c.csv", content=content
    )
    unknown_kind = await post_file(
        import_client, edition="made-in-92-2024", kind="prix", name="c.csv", content=content
    )
    assert unknown_edition.status_code == 404
    assert unknown_edition.json()["detail"] == "Édition inconnue : nope-2020"
    assert unknown_kind.status_code == 404
    assert unknown_kind.json()["detail"] == "Type d'import inconnu : prix (candidats ou jures)."


async def test_importing_needs_an_organiser_of_the_edition_contest(anonymous_client, db):
    content = csv_bytes([["nom_structure", "courriel", "code_insee"], ["A", "a@exemple.fr", "92050"]])
    anonymous = await post_file(
        anonymous_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=content
    )
    await make_organiser(db, email="cma@exemple.fr", contests=["gateau-92"])
    await sign_in(anonymous_client, email="cma@exemple.fr")
    other_contest = await post_file(
        anonymous_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=content
    )

    assert anonymous.status_code == 401
    assert other_contest.status_code == 403
    assert other_contest.json()["detail"] == "Vous n'organisez pas ce concours."
    assert await count_rows(db, "candidates") == 0
