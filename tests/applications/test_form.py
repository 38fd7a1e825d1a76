"""The pure parts of the application form: which inputs an edition shows, and what a document is."""

from __future__ import annotations

from jury.applications.form import document_problem, document_type, form_fields, required_columns, rule_field

COMMUNES = [("92050", "Nanterre"), ("92025", "Colombes")]


def test_a_pdf_a_jpeg_and_a_png_are_recognised_by_their_first_bytes_whatever_their_name() -> None:
    assert document_type(b"%PDF-1.7\n") == "application/pdf"
    assert document_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert document_type(b"\x89PNG\r\n\x1a\n\x00\x00") == "image/png"
    assert document_type(b"PK\x03\x04") is None  # a Word or ZIP file
    assert document_type(b"MZ\x90\x00") is None  # an executable
    assert document_type(b"") is None


def test_a_document_is_refused_with_its_name_and_the_reason() -> None:
    assert document_problem(file_name="a.pdf", content=b"%PDF-1.4", max_bytes=1024) is None
    assert document_problem(file_name="vide.pdf", content=b"", max_bytes=1024) == "« vide.pdf » est vide."
    assert document_problem(
        file_name="gros.png", content=b"\x89PNG\r\n\x1a\n" + b"0" * 4096, max_bytes=2048
    ) == ("« gros.png » dépasse la taille maximale d'un document (2 Kio ; il en fait 4).")
    assert document_problem(file_name="cv.pdf", content=b"PK\x03\x04", max_bytes=1024) == (
        "« cv.pdf » n'est ni un PDF, ni une image JPEG ou PNG (format reconnu à son contenu)."
    )


def test_a_company_contest_asks_for_the_creation_date_legal_form_and_project() -> None:
    fields = form_fields(
        candidate_kind="company",
        required={"nom_structure", "courriel", "code_insee"},
        legal_forms=(),
        max_grant_eur=None,
        max_company_age_years=8,
        categories=[("industrie", "Industrie")],
        communes=COMMUNES,
    )
    assert [f.name for f in fields] == [
        "nom_structure",
        "nom_porteur",
        "courriel",
        "code_insee",
        "forme_juridique",
        "date_creation",
        "projet",
        "categorie",
    ]
    by_name = {f.name: f for f in fields}
    assert by_name["date_creation"].help == "Moins de 8 ans à la clôture des candidatures."
    assert by_name["code_insee"].choices == (("92050", "Nanterre (92050)"), ("92025", "Colombes (92025)"))
    assert [f.name for f in fields if f.required] == ["nom_structure", "courriel", "code_insee"]


def test_a_tasting_asks_for_the_creation_and_a_call_for_projects_for_the_amount() -> None:
    tasting = form_fields(
        candidate_kind="artisan",
        required=set(),
        legal_forms=(),
        max_grant_eur=None,
        max_company_age_years=None,
        categories=[],
        communes=COMMUNES,
    )
    assert [f.name for f in tasting] == ["nom_structure", "nom_porteur", "courriel", "code_insee", "creation"]
    grants = form_fields(
        candidate_kind="organisation",
        required=set(),
        legal_forms=("Association", "ESUS"),
        max_grant_eur=15000,
        max_company_age_years=None,
        categories=[],
        communes=COMMUNES,
    )
    amount = next(f for f in grants if f.name == "montant_demande")
    assert (amount.input, amount.min, amount.max, amount.help) == ("number", 1, 15000, "Plafond : 15000 €.")
    form = next(f for f in grants if f.name == "forme_juridique")
    assert form.choices == (("Association", "Association"), ("ESUS", "ESUS"))
    assert "date_creation" not in [f.name for f in grants]


def test_required_columns_and_the_field_of_each_rule() -> None:
    assert required_columns([("nom_porteur", "nom_structure"), ("courriel",)], ["date_creation"]) == {
        "nom_porteur",
        "courriel",
        "date_creation",
    }
    assert (rule_field("company_age"), rule_field("territory"), rule_field("required_field")) == (
        "date_creation",
        "code_insee",
        "",
    )
