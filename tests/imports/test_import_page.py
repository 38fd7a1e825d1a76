"""The organisers' import page: the expected columns per contest, "Vérifier", "Importer" and the error table."""

from __future__ import annotations

import codecs

from tests.imports.files import count_rows, csv_bytes

HTML = {"Accept": "text/html"}
VALID = csv_bytes(
    [
        ["nom_structure", "courriel", "code_insee"],
        ["Nobsolete", "lea@nobsolete.fr", "92022"],
        ["Dos Palomas", "contact@dospalomas.fr", "95018"],
    ]
)
PAGE = "/organisation/editions/made-in-92-2024/import"


async def submit(client, *, action: str, content: bytes | None, kind: str = "candidats", page: str = PAGE):
    files = {"file": ("candidats.csv", content)} if content is not None else {"file": ("", b"")}
    return await client.post(page, data={"kind": kind, "action": action}, files=files, headers=HTML)


async def test_the_page_lists_the_columns_required_by_the_contest_kind(import_client):
    artisan = await import_client.get("/organisation/editions/gateau-2023/import", headers=HTML)
    organisation = await import_client.get("/organisation/editions/progress-2024/import", headers=HTML)

    assert artisan.status_code == 200
    assert "<td><code>numero</code></td><td>facultative</td>" in artisan.text  # the next free number
    assert "<td><code>nom_porteur</code></td><td>obligatoire, ou nom_structure</td>" in artisan.text
    assert "<td><code>montant_demande</code></td><td>facultative</td>" in artisan.text
    assert "<td><code>montant_demande</code></td><td>obligatoire</td>" in organisation.text
    assert "Formes juridiques éligibles : Association, Fondation, Mutuelle, ESUS." in organisation.text
    assert 'value="verifier"' in artisan.text and 'value="importer"' in artisan.text
    assert "<script" not in artisan.text and "style=" not in artisan.text


async def test_verifier_reports_the_count_and_writes_nothing(import_client, db):
    response = await submit(import_client, action="verifier", content=VALID)
    assert response.status_code == 200
    assert "Fichier vérifié : aucune erreur" in response.text
    assert "2 candidats pourront être importés" in response.text
    assert await count_rows(db, "candidates") == 0


async def test_importer_writes_every_row_and_says_so(import_client, db):
    response = await submit(import_client, action="importer", content=VALID)
    assert response.status_code == 200
    assert "2 candidats importés" in response.text
    assert await count_rows(db, "candidates") == 2


async def test_errors_are_shown_as_a_table_of_line_column_and_message(import_client, db):
    content = csv_bytes(
        [
            ["nom_structure", "courriel", "code_insee"],
            ["Nobsolete", "lea@nobsolete.fr", "92022"],
            ["Studio", "studio@exemple", "75056"],
        ]
    )

    response = await submit(import_client, action="importer", content=content)

    assert response.status_code == 422
    assert "Le fichier contient 2 erreurs : rien n&#39;a été importé." in response.text
    assert (
        "<tr><td>3</td><td>courriel</td><td>Adresse électronique invalide : « studio@exemple ».</td></tr>"
        in response.text
    )
    assert (
        "<tr><td>3</td><td>code_insee</td><td>Commune inconnue : aucune commune de code INSEE 75056 parmi "
        "les communes acceptées.</td></tr>" in response.text
    )
    assert await count_rows(db, "candidates") == 0


async def test_jurors_can_be_checked_from_the_page(import_client, db):
    content = csv_bytes([["nom", "courriel", "jury"], ["Marie Dupont", "marie@exemple.fr", "Grand jury"]])
    response = await submit(import_client, action="verifier", content=content, kind="jures")
    assert response.status_code == 200
    assert "1 juré pourra être importé" in response.text
    assert "1 nouvelle personne" in response.text
    assert 'value="jures" checked' in response.text


async def test_submitting_without_a_file_asks_for_one(import_client, db):
    response = await submit(import_client, action="importer", content=None)
    assert response.status_code == 422
    assert "<td>—</td><td>fichier</td><td>Aucun fichier choisi.</td>" in response.text


async def test_the_template_file_is_a_semicolon_csv_with_a_bom_and_every_column(import_client):
    response = await import_client.get(f"{PAGE}/modele/jures")
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"] == 'attachment; filename="modele-jures-made-in-92-2024.csv"'
    )
    assert response.content == codecs.BOM_UTF8 + b"nom;courriel;qualite;jury;role;professionnel\r\n"


async def test_the_page_is_for_signed_in_organisers(anonymous_client):
    response = await anonymous_client.get(PAGE, headers=HTML)
    assert response.status_code == 401
