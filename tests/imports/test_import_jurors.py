"""Importing jurors: people matched by e-mail whatever its case, panel seats added, one chair per panel."""

from __future__ import annotations

import pytest
from tests.imports.files import count_rows, csv_bytes, post_file, xlsx_bytes

HEADER = ["nom", "courriel", "qualite", "jury", "role", "professionnel"]
GLACIER = [
    "Stéphane Glacier",
    "s.glacier@exemple.fr",
    "Meilleur Ouvrier de France pâtissier",
    "Jury de dégustation",
    "président",
    "oui",
]
DUPONT = [
    "Marie Dupont",
    "marie.dupont@exemple.fr",
    "Journaliste culinaire",
    "jury de degustation",
    "juré",
    "non",
]

PEOPLE = "select full_name, email, title from people where email <> 'organisation@exemple.fr' order by id"
SEATS = """
select pe.email, pa.name, pm.role, pm.is_professional
from panel_members pm join people pe on pe.id = pm.person_id join panels pa on pa.id = pm.panel_id
order by pe.id, pa.id
"""


async def rows(db, sql: str) -> list[tuple]:
    return [tuple(r) for r in await db.conn.fetch(sql)]


async def import_jurors(
    client, edition: str, table: list[list[object]], *, xlsx: bool = False, dry_run=False
):
    content = xlsx_bytes(table) if xlsx else csv_bytes(table)
    return await post_file(
        client,
        edition=edition,
        kind="jures",
        name="jures.xlsx" if xlsx else "jures.csv",
        content=content,
        dry_run=dry_run,
    )


async def test_jurors_are_created_with_their_panel_seat_role_and_professional_flag(import_client, db):
    response = await import_jurors(
        import_client,
        "gateau-2023",
        [
            HEADER,
            GLACIER,
            DUPONT,
            ["Jean Martin", "jean.martin@exemple.fr", "", "", "", ""],
        ],
    )

    assert response.status_code == 201, response.text
    assert response.json() == {
        "kind": "jures",
        "dry_run": False,
        "rows": 3,
        "imported": 3,
        "new_people": 3,
        "memberships": 2,
    }
    assert await rows(db, PEOPLE) == [
        ("Stéphane Glacier", "s.glacier@exemple.fr", "Meilleur Ouvrier de France pâtissier"),
        ("Marie Dupont", "marie.dupont@exemple.fr", "Journaliste culinaire"),
        ("Jean Martin", "jean.martin@exemple.fr", ""),
    ]
    assert await rows(db, SEATS) == [
        ("s.glacier@exemple.fr", "Jury de dégustation", "chair", True),
        ("marie.dupont@exemple.fr", "Jury de dégustation", "juror", False),
    ]
    events = await rows(db, "select action, target from audit_events")
    assert events == [("jurors.import", "edition:gateau-2023")]


async def test_reimporting_updates_people_by_email_whatever_its_case_without_duplicating(import_client, db):
    first = await import_jurors(import_client, "gateau-2023", [HEADER, GLACIER, DUPONT])
    assert first.status_code == 201

    second = await import_jurors(
        import_client,
        "gateau-2023",
        [
            ["nom", "courriel", "qualite", "jury"],
            [
                "Stéphane Glacier",
                "S.Glacier@EXEMPLE.fr",
                "MOF pâtissier, parrain du concours",
                "Jury de dégustation",
            ],
            ["Marie Dupont-Leroy", "MARIE.DUPONT@exemple.fr", "", "Jury de dégustation"],
            ["Organisation CMA", "Organisation@Exemple.fr", "Chargée de mission", ""],
        ],
        xlsx=True,
    )

    assert second.status_code == 201, second.text
    assert second.json()["new_people"] == 0
    assert await count_rows(db, "people") == 3  # the organiser and the two jurors
    assert await rows(db, PEOPLE) == [
        ("Stéphane Glacier", "s.glacier@exemple.fr", "MOF pâtissier, parrain du concours"),
        ("Marie Dupont-Leroy", "marie.dupont@exemple.fr", "Journaliste culinaire"),
    ]
    # Blank role and professional flag keep what the first import stored.
    assert await rows(db, SEATS) == [
        ("s.glacier@exemple.fr", "Jury de dégustation", "chair", True),
        ("marie.dupont@exemple.fr", "Jury de dégustation", "juror", False),
    ]


async def test_dry_run_counts_new_people_and_writes_nothing(import_client, db):
    response = await import_jurors(import_client, "gateau-2023", [HEADER, GLACIER, DUPONT], dry_run=True)
    assert response.status_code == 200
    assert response.json() == {
        "kind": "jures",
        "dry_run": True,
        "rows": 2,
        "imported": 0,
        "new_people": 2,
        "memberships": 2,
    }
    assert await count_rows(db, "people") == 1
    assert await count_rows(db, "panel_members") == 0


async def test_one_person_may_sit_on_panels_of_two_rounds(import_client, db):
    response = await import_jurors(
        import_client,
        "made-in-92-2024",
        [
            HEADER,
            [
                "Denis Larghero",
                "d.larghero@exemple.fr",
                "Vice-président du Département",
                "Demi-finale / Jury Nord",
                "président",
                "",
            ],
            [
                "Denis Larghero",
                "d.larghero@exemple.fr",
                "Vice-président du Département",
                "Grand jury",
                "",
                "",
            ],
        ],
    )
    assert response.status_code == 201, response.text
    assert await rows(db, SEATS) == [
        ("d.larghero@exemple.fr", "Jury Nord", "chair", False),
        ("d.larghero@exemple.fr", "Grand jury", "juror", False),
    ]


JUROR_ERRORS = [
    pytest.param(
        "gateau-2023",
        [HEADER, DUPONT, ["Marie Dupont", "Marie.Dupont@exemple.fr", "", "", "", ""]],
        [{"line": 3, "field": "courriel", "message": "Courriel en double : ce juré figure déjà ligne 2."}],
        id="duplicate-email",
    ),
    pytest.param(
        "gateau-2023",
        [HEADER, DUPONT, ["Paul Durand", "marie.dupont@exemple.fr", "", "", "", ""]],
        [{"line": 3, "field": "courriel", "message": "Courriel déjà utilisé ligne 2 pour « Marie Dupont »."}],
        id="email-of-another-name",
    ),
    pytest.param(
        "made-in-92-2024",
        [HEADER, ["Paul Durand", "paul@exemple.fr", "", "Jury Est", "", ""]],
        [
            {
                "line": 2,
                "field": "jury",
                "message": "Jury inconnu : « Jury Est » (jurys de l'édition : Jury Nord (Demi-finale), "
                "Jury Sud (Demi-finale), Grand jury (Finale), Jury Nord (Finale)).",
            }
        ],
        id="unknown-panel",
    ),
    pytest.param(
        "made-in-92-2024",
        [HEADER, ["Paul Durand", "paul@exemple.fr", "", "Jury Nord", "", ""]],
        [
            {
                "line": 2,
                "field": "jury",
                "message": "Jury « Jury Nord » ambigu : il existe dans plusieurs tours ; écrivez par exemple "
                "« Demi-finale / Jury Nord ».",
            }
        ],
        id="ambiguous-panel",
    ),
    pytest.param(
        "gateau-2023",
        [HEADER, ["", "paul@exemple", "", "", "chef", "peut-être"]],
        [
            {"line": 2, "field": "nom", "message": "Valeur obligatoire manquante."},
            {"line": 2, "field": "courriel", "message": "Adresse électronique invalide : « paul@exemple »."},
            {
                "line": 2,
                "field": "role",
                "message": "Rôle inconnu : « chef » (« juré » ou « président » attendu).",
            },
            {
                "line": 2,
                "field": "professionnel",
                "message": "Valeur inattendue : « peut-être » (« oui » ou « non » attendu).",
            },
        ],
        id="bad-values",
    ),
    pytest.param(
        "gateau-2023",
        [HEADER, ["Paul Durand", "paul@exemple.fr", "", "", "Président", ""]],
        [
            {
                "line": 2,
                "field": "role",
                "message": "Un président doit être rattaché à un jury : renseignez la colonne jury.",
            }
        ],
        id="chair-without-panel",
    ),
    pytest.param(
        "gateau-2023",
        [HEADER, GLACIER, ["Paul Durand", "paul@exemple.fr", "", "Jury de dégustation", "présidente", ""]],
        [
            {
                "line": 3,
                "field": "role",
                "message": "Le jury « Jury de dégustation » a déjà un président dans ce fichier (ligne 2).",
            }
        ],
        id="two-chairs-in-file",
    ),
    pytest.param(
        "gateau-2023",
        [["nom", "qualite"], ["Paul Durand", "Chef"]],
        [{"line": 1, "field": "courriel", "message": "Colonne obligatoire absente : courriel."}],
        id="missing-column",
    ),
]


@pytest.mark.parametrize(("edition", "table", "errors"), JUROR_ERRORS)
async def test_a_wrong_juror_file_is_refused_with_lines_and_columns(
    import_client, db, edition, table, errors
):
    response = await import_jurors(import_client, edition, table)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == errors
    assert await count_rows(db, "people") == 1
    assert await count_rows(db, "panel_members") == 0


async def test_a_seated_chair_is_replaced_only_when_the_file_demotes_them(import_client, db):
    assert (await import_jurors(import_client, "gateau-2023", [HEADER, GLACIER])).status_code == 201
    new_chair = ["Paul Durand", "paul@exemple.fr", "", "Jury de dégustation", "président", ""]

    refused = await import_jurors(import_client, "gateau-2023", [HEADER, new_chair])
    replaced = await import_jurors(
        import_client,
        "gateau-2023",
        [
            HEADER,
            new_chair,
            [*GLACIER[:4], "juré", ""],
        ],
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "line": 2,
            "field": "role",
            "message": "Le jury « Jury de dégustation » a déjà un président, Stéphane Glacier : ajoutez-le au "
            "fichier avec le rôle « juré » pour le remplacer.",
        },
    ]
    assert replaced.status_code == 201, replaced.text
    assert await rows(db, SEATS) == [
        ("s.glacier@exemple.fr", "Jury de dégustation", "juror", True),
        ("paul@exemple.fr", "Jury de dégustation", "chair", False),
    ]
