"""Files that cannot be read at all, or whose header or rows are malformed: one precise error, nothing written."""

from __future__ import annotations

import codecs

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from tests.helpers import make_organiser, sign_in
from tests.imports.conftest import ORGANISER
from tests.imports.files import count_rows, csv_bytes, post_file, xlsx_bytes

from jury.app import create_app

UNREADABLE = "Le fichier n'a pas pu être lu : rien n'a été importé."
RESAVE = "réenregistrez le fichier en « CSV UTF-8 » depuis Excel ou LibreOffice"
HEADER = b"nom_structure;courriel;code_insee\r\n"
GOOD = b"Nobsolete;lea@nobsolete.fr;92022\r\n"


async def refused(client, db, *, name: str, content: bytes, edition: str = "made-in-92-2024") -> dict:
    response = await post_file(client, edition=edition, kind="candidats", name=name, content=content)
    assert response.status_code == 422, response.text
    assert await count_rows(db, "candidates") == 0
    return response.json()


FILE_ERRORS = [
    pytest.param(
        "candidats.csv",
        HEADER + GOOD + "Soci\x81té;b@x.fr;92050\r\n".encode("latin-1"),
        {
            "line": 3,
            "field": "fichier",
            "message": "Encodage non reconnu : la ligne 3 n'est lisible ni en UTF-8 ni en Windows-1252 ; "
            f"{RESAVE}.",
        },
        id="bytes-neither-utf8-nor-cp1252",
    ),
    pytest.param(
        "candidats.csv",
        HEADER + "Pâtisserie;a@x.fr;92050\r\n".encode() + "Crêperie;b@x.fr;92050\r\n".encode("cp1252"),
        {
            "line": 3,
            "field": "fichier",
            "message": "Encodages mélangés : le fichier est en UTF-8 mais la ligne 3 contient des caractères "
            f"dans un autre encodage ; {RESAVE}.",
        },
        id="utf8-mixed-with-cp1252",
    ),
    pytest.param(
        "candidats.csv",
        codecs.BOM_UTF8 + HEADER + "Crêperie;b@x.fr;92050\r\n".encode("cp1252"),
        {
            "line": 2,
            "field": "fichier",
            "message": "Le fichier s'annonce en UTF-8 mais la ligne 2 contient des caractères dans un autre "
            f"encodage : {RESAVE}.",
        },
        id="utf8-bom-with-cp1252-line",
    ),
    pytest.param(
        "candidats.csv",
        (HEADER + GOOD).decode().encode("utf-16"),
        {"line": 1, "field": "fichier", "message": f"Le fichier est encodé en UTF-16 : {RESAVE}."},
        id="utf16",
    ),
    pytest.param(
        "candidats.csv",
        b"nom_structure|courriel|code_insee\r\nNobsolete|lea@nobsolete.fr|92022\r\n",
        {
            "line": 1,
            "field": "séparateur",
            "message": "Séparateur de colonnes non reconnu : l'en-tête « nom_structure|courriel|code_insee » "
            "forme une seule colonne. Séparez les colonnes par des points-virgules (;), des "
            "virgules (,) ou des tabulations.",
        },
        id="unknown-delimiter",
    ),
    pytest.param(
        "candidats.csv", b"", {"field": "fichier", "message": "Le fichier est vide."}, id="empty-file"
    ),
    pytest.param(
        "candidats.csv",
        codecs.BOM_UTF8 + b"\r\n  \r\n",
        {"field": "fichier", "message": "Le fichier est vide."},
        id="blank-file",
    ),
    pytest.param(
        "candidats.csv",
        codecs.BOM_UTF8 + HEADER + b";;\r\n",
        {
            "line": 1,
            "field": "fichier",
            "message": "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer.",
        },
        id="header-without-rows",
    ),
    pytest.param(
        "candidats.xlsx",
        xlsx_bytes([["nom_structure", "courriel", "code_insee"]]),
        {
            "line": 1,
            "field": "fichier",
            "message": "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer.",
        },
        id="xlsx-header-without-rows",
    ),
    pytest.param(
        "candidats.xlsx",
        xlsx_bytes([]),
        {
            "field": "fichier",
            "message": "Le fichier est vide : la première feuille du classeur ne contient aucune donnée.",
        },
        id="xlsx-empty-sheet",
    ),
    pytest.param(
        "candidats.xlsx",
        b"nom_structure;courriel;code_insee\r\n",
        {
            "field": "fichier",
            "message": "Ce fichier n'est pas un classeur Excel valide (.xlsx) : ouvrez-le dans Excel ou "
            "LibreOffice et enregistrez-le à nouveau au format .xlsx.",
        },
        id="xlsx-that-is-text",
    ),
    pytest.param(
        "candidats.xlsx",
        xlsx_bytes([["nom_structure"], ["A"]])[:900],
        {
            "field": "fichier",
            "message": "Ce fichier n'est pas un classeur Excel valide (.xlsx) : ouvrez-le dans Excel ou "
            "LibreOffice et enregistrez-le à nouveau au format .xlsx.",
        },
        id="xlsx-truncated",
    ),
    pytest.param(
        "candidats.pdf",
        b"%PDF-1.7\n",
        {
            "field": "fichier",
            "message": "Type de fichier non pris en charge (.pdf) : déposez un fichier .csv ou .xlsx.",
        },
        id="unsupported-type",
    ),
    pytest.param(
        "candidats.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        {
            "field": "fichier",
            "message": "Ancien format Excel (.xls) non pris en charge : enregistrez le classeur au format "
            ".xlsx ou .csv.",
        },
        id="old-excel-format",
    ),
    pytest.param(
        "candidats.csv",
        HEADER + b'Nobsolete;"lea@nobsolete.fr;92022\r\nA;a@x.fr;92050\r\n',
        {
            "line": 2,
            "field": "fichier",
            "message": "Ligne 2 illisible (guillemet ouvert jamais refermé) : vérifiez les guillemets.",
        },
        id="unclosed-quote",
    ),
]


@pytest.mark.parametrize(("name", "content", "error"), FILE_ERRORS)
async def test_an_unreadable_file_is_refused_with_one_precise_error(import_client, db, name, content, error):
    body = await refused(import_client, db, name=name, content=content)
    assert body == {"status_code": 422, "detail": UNREADABLE, "errors": [error]}


ROW_SHAPE_ERRORS = [
    pytest.param(
        HEADER + GOOD + b"Studio,studio@exemple.fr,92050\r\n",
        {
            "line": 3,
            "field": "séparateur",
            "message": "Cette ligne est séparée par des virgules (,) alors que l'en-tête l'est par des "
            "points-virgules (;).",
        },
        id="row-with-another-delimiter",
    ),
    pytest.param(
        HEADER + GOOD + b"Studio;studio@exemple.fr;92050;01 02 03 04 05\r\n",
        {
            "line": 3,
            "field": "séparateur",
            "message": "4 valeurs pour 3 colonnes d'en-tête : vérifiez les séparateurs et les guillemets de "
            "cette ligne.",
        },
        id="row-with-too-many-values",
    ),
]


@pytest.mark.parametrize(("content", "error"), ROW_SHAPE_ERRORS)
async def test_a_row_split_differently_from_the_header_is_named_by_its_line(
    import_client, db, content, error
):
    body = await refused(import_client, db, name="candidats.csv", content=content)
    assert body["errors"] == [error]


async def test_unknown_and_missing_header_columns_are_reported_on_line_1(import_client, db):
    content = csv_bytes(
        [
            ["Nom structure", "Code INSE", "téléphone", "courriel"],
            ["Nobsolete", "92022", "01 02 03 04 05", "lea@nobsolete.fr"],
        ]
    )

    body = await refused(import_client, db, name="candidats.csv", content=content)

    known = (
        "nom_structure, nom_porteur, courriel, code_insee, forme_juridique, date_creation, "
        "montant_demande, numero, creation, categorie, projet"
    )
    assert body["detail"] == "Le fichier contient 3 erreurs : rien n'a été importé."
    assert body["errors"] == [
        {
            "line": 1,
            "field": "Code INSE",
            "message": f"Colonne inconnue « Code INSE ». Vouliez-vous dire « code_insee » ? Colonnes possibles : {known}.",
        },
        {
            "line": 1,
            "field": "téléphone",
            "message": f"Colonne inconnue « téléphone ». Colonnes possibles : {known}.",
        },
        {"line": 1, "field": "code_insee", "message": "Colonne obligatoire absente : code_insee."},
    ]


async def test_a_column_given_twice_is_refused(import_client, db):
    content = csv_bytes(
        [
            ["nom_structure", "courriel", "code_insee", "E-mail"],
            ["Nobsolete", "lea@nobsolete.fr", "92022", "autre@nobsolete.fr"],
        ]
    )
    body = await refused(import_client, db, name="candidats.csv", content=content)
    assert body["errors"] == [
        {"line": 1, "field": "courriel", "message": "Colonne « courriel » en double (colonnes 2 et 4)."},
    ]


async def test_lines_count_physical_lines_across_quoted_newlines_blank_lines_and_sep_hint(import_client, db):
    content = (
        b"sep=;\r\n"
        + HEADER
        + b'"Atelier\r\nsur deux lignes";a@exemple.fr;92050\r\n\r\n'
        + b"Studio;studio@exemple;92050\r\n"
    )

    body = await refused(import_client, db, name="candidats.csv", content=content)

    assert body["errors"] == [
        {"line": 6, "field": "courriel", "message": "Adresse électronique invalide : « studio@exemple »."},
    ]


async def test_xlsx_errors_name_the_sheet_row(import_client, db):
    content = xlsx_bytes(
        [
            [None],
            ["nom_structure", "courriel", "code_insee"],
            ["Nobsolete", "lea@nobsolete.fr", 92022],
            [None, None, None],
            ["Studio", "studio@exemple.fr", 92100],
        ]
    )

    body = await refused(import_client, db, name="candidats.xlsx", content=content)

    assert body["errors"] == [
        {
            "line": 5,
            "field": "code_insee",
            "message": "92100 est le code postal de Boulogne-Billancourt, pas son code INSEE : indiquez 92012.",
        },
    ]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
async def test_comma_tab_and_semicolon_csv_are_all_read(import_client, db, delimiter):
    content = csv_bytes(
        [
            ["nom_structure", "courriel", "code_insee", "projet"],
            ["Nobsolete", "lea@nobsolete.fr", "92022", "Réemploi; réparation, revente"],
        ],
        delimiter=delimiter,
    )
    response = await post_file(
        import_client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=content
    )
    assert response.status_code == 201, response.text
    assert await db.conn.fetchval("select project_title from candidates") == "Réemploi; réparation, revente"


async def test_a_request_without_a_file_is_refused(import_client, db):
    response = await import_client.post(
        "/api/editions/made-in-92-2024/imports/candidats", files={"fichier": ("c.csv", HEADER + GOOD)}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "file", "message": "Envoyez le fichier dans le champ « file »."}
    ]


async def test_a_file_over_the_upload_limit_is_a_413(settings, editions, db):
    small = msgspec.structs.replace(settings, max_upload_bytes=4096)
    app = create_app(small)
    await make_organiser(db, email=ORGANISER, contests=["made-in-92"])
    async with AsyncTestClient(app=app) as client:
        await sign_in(client, email=ORGANISER)
        rows = [["nom_structure", "courriel", "code_insee"]]
        rows += [[f"Entreprise {i}", f"contact{i}@exemple.fr", "92050"] for i in range(200)]
        response = await post_file(
            client, edition="made-in-92-2024", kind="candidats", name="c.csv", content=csv_bytes(rows)
        )
    assert response.status_code == 413
    assert await count_rows(db, "candidates") == 0
