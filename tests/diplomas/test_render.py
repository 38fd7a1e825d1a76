"""Real WeasyPrint renders, read back with pypdf (and, when available, pdftoppm + zxing-cpp)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from jury.diplomas import render
from jury.diplomas.models import Signatory
from jury.diplomas.render import (
    DiplomaRenderError,
    RefusedURLError,
    Renderer,
    TemplatesOnlyFetcher,
    size_class,
)

A4_LANDSCAPE = (841.89, 595.28)
NAME_80 = "Marie-Amélie de La Tour d'Auvergne-Lauraguais de Saint-Exupéry-Montmorency-Vauxy"
assert len(NAME_80) == 80


@pytest.fixture(scope="module")
def renderer(templates_dir: Path) -> Renderer:
    return Renderer(templates_dir)


# ---------------------------------------------------------------- no PDF needed


def test_size_classes_by_length() -> None:
    assert size_class("Camille DURAND") == "len-1"
    assert size_class("x" * 40) == "len-2"
    assert size_class("x" * 56) == "len-3"
    assert size_class("x" * 80) == "len-4"
    assert size_class("x" * 81) == "len-5"
    assert size_class(None) == "len-1"


def test_names_are_escaped_not_interpreted(renderer: Renderer, make_context) -> None:
    ctx = make_context(laureate_person='<img src="file:///etc/passwd"> & Cie')
    html = renderer.section_html(ctx)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; &amp; Cie" in html
    assert '<img src="file:///etc/passwd">' not in html


def test_qr_payload_is_the_verification_address(renderer: Renderer, make_context, monkeypatch) -> None:
    payloads: list[str] = []
    real = render.qr_code
    monkeypatch.setattr(render, "qr_code", lambda payload: payloads.append(payload) or real(payload))
    ctx = make_context(verification_code="QR12-3456-7890")
    html = renderer.section_html(ctx)
    assert payloads == ["https://concours.example.fr/verifier/QR12-3456-7890"]
    assert render.qr_data_uri(payloads[0]) in html


def test_undefined_template_variables_fail(templates_dir: Path, tmp_path: Path, make_context) -> None:
    """StrictUndefined: a typo in a template must break rendering, not print an empty string."""
    copy = tmp_path / "diplomas"
    shutil.copytree(templates_dir, copy)
    (copy / "progress.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ d.no_such }}{% endblock %}'
    )
    with pytest.raises(Exception, match="no_such"):
        Renderer(copy).section_html(make_context("progress"))


# ---------------------------------------------------------------- URL fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.svg",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
    ],
)
def test_fetcher_refuses_outside_resources(templates_dir: Path, url: str) -> None:
    with pytest.raises(RefusedURLError):
        TemplatesOnlyFetcher(templates_dir).fetch(url)


def test_fetcher_refuses_escaping_the_folder(templates_dir: Path, tmp_path: Path) -> None:
    fetcher = TemplatesOnlyFetcher(templates_dir)
    with pytest.raises(RefusedURLError):
        fetcher.fetch(templates_dir.as_uri() + "/../../../../etc/passwd")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.svg").symlink_to(secret)
    with pytest.raises(RefusedURLError):
        TemplatesOnlyFetcher(root).fetch((root / "link.svg").as_uri())


def test_fetcher_serves_template_files_and_data(templates_dir: Path) -> None:
    fetcher = TemplatesOnlyFetcher(templates_dir)
    logo = fetcher.fetch((templates_dir / "logos" / "cci-hauts-de-seine.svg").as_uri())
    assert logo.content_type == "image/svg+xml"
    assert b"<svg" in logo.read()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


@pytest.mark.pdf
@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://example.com/x.png">',
        '<div style="background-image: url(file:///etc/passwd)">x</div>',
        '<link rel="stylesheet" href="http://example.com/x.css"><p>x</p>',
    ],
)
def test_rendering_stops_on_a_refused_reference(renderer: Renderer, html: str) -> None:
    with pytest.raises(DiplomaRenderError, match="refused"):
        renderer.layout(html)


# ---------------------------------------------------------------- PDFs


@pytest.mark.pdf
def test_gateau_diploma(renderer: Renderer, make_context, read_pdf) -> None:
    ctx = make_context("gateau-des-hauts-de-seine")
    pdf = read_pdf(renderer.render_one(ctx))
    assert pdf.pages == 1
    width, height = pdf.sizes[0]
    assert abs(width - A4_LANDSCAPE[0]) < 1 and abs(height - A4_LANDSCAPE[1]) < 1
    for expected in (
        "Imaginez le gâteau des Hauts-de-Seine",
        "10e édition — 2025",
        "Camille DURAND",
        "Pâtisserie Durand, Sèvres",
        "1er prix",
        "L'écrin",
        "Fait à Nanterre, le 12 décembre 2025",
        "K7QM-3XH2-PA9D",
        "Claire Martin",
        "La Présidente du Département des Hauts-de-Seine",
    ):
        assert expected in pdf.text
    # The State title appears once, right after the chair's name, never near the laureate.
    assert pdf.text.count("Meilleur Ouvrier de France") == 1
    assert "Le Président du jury Jean Dupont Meilleur Ouvrier de France" in pdf.text
    assert pdf.title == "Diplôme — Camille DURAND — Imaginez le gâteau des Hauts-de-Seine 2025"


@pytest.mark.pdf
def test_made_in_92_diploma(renderer: Renderer, make_context, read_pdf) -> None:
    pdf = read_pdf(renderer.render_one(make_context("made-in-92")))
    assert pdf.pages == 1
    for expected in (
        "Diplôme de lauréat",
        "Concours Made in 92",
        "9e édition — 2024",
        "Atelier Lumen SAS",
        "Inès BERNARD, Boulogne-Billancourt",
        "Prix de la transition énergétique",
        "Catégorie « Industrie »",
        "le 28 novembre 2024",
        "AB12-CD34-EF56",
        "Le Président de la CCI Hauts-de-Seine",
    ):
        assert expected in pdf.text
    assert "Meilleur Ouvrier" not in pdf.text


@pytest.mark.pdf
def test_progress_certificate_shows_laureat_and_amount(renderer: Renderer, make_context, read_pdf) -> None:
    pdf = read_pdf(renderer.render_one(make_context("progress", edition_number=1)))
    assert pdf.pages == 1
    for expected in (
        "Attestation de lauréat",
        "Appel à projets Progr'ESS",
        "1re édition — 2025",
        "Association Les Jardins partagés de Colombes",
        "Lauréat",
        "Une recyclerie solidaire",
        "Subvention accordée : 15 000 €",
        "Fait à Nanterre, le 30 juin 2025",
        "ZZ99-8877-6655",
    ):
        assert expected in pdf.text


@pytest.mark.pdf
def test_a_contest_set_up_through_the_api_prints_the_generic_grant_letter(
    renderer: Renderer, make_context, read_pdf
) -> None:
    pdf = read_pdf(renderer.render_one(make_context("curious-lab")))
    assert pdf.pages == 1
    width, height = pdf.sizes[0]
    assert abs(width - A4_LANDSCAPE[0]) < 1 and abs(height - A4_LANDSCAPE[1]) < 1
    for expected in (
        "Département des Hauts-de-Seine",
        "Attestation de lauréat Curious Lab' 5e édition — 2023 décernée à Inès Garnier",
        "Ville de Sèvres, Sèvres Solution retenue Curious Lab' pour le projet « Un guichet unique » "
        "Subvention accordée : 20 000 € Fait à Nanterre, le 15 juin 2023 "
        "La Présidente du Département des Hauts-de-Seine Claire Martin "
        "Code de vérification CL23-5VR5-0001 https://concours.example.fr/verifier",
    ):
        assert expected in pdf.text
    assert pdf.title == "Diplôme — Inès Garnier — Curious Lab' 2023"


@pytest.mark.pdf
def test_the_generic_diploma_without_an_amount_is_a_diploma(
    renderer: Renderer, make_context, read_pdf
) -> None:
    prize = read_pdf(
        renderer.render_one(
            make_context("curious-lab", amount_euros=None, project_name=None, category="Défis des communes")
        )
    ).text
    assert "Diplôme de lauréat Curious Lab' 5e édition — 2023 est décerné à Inès Garnier" in prize
    assert "Solution retenue Curious Lab' Catégorie « Défis des communes » Fait à Nanterre" in prize
    assert "Subvention" not in prize and "Attestation" not in prize
    podium = read_pdf(
        renderer.render_one(
            make_context("curious-lab", amount_euros=None, place=2, prize=None, creation_name="L'écrin")
        )
    ).text
    assert "Ville de Sèvres, Sèvres 2e prix pour sa création « L'écrin » pour le projet" in podium
    bare = read_pdf(renderer.render_one(make_context("curious-lab", prize=None, project_name=None))).text
    assert "Ville de Sèvres, Sèvres Lauréat Subvention accordée : 20 000 € Fait à" in bare


def test_a_contests_own_template_wins_over_the_generic_one(
    templates_dir: Path, tmp_path: Path, make_context
) -> None:
    copy = tmp_path / "diplomas"
    shutil.copytree(templates_dir, copy)
    (copy / "curious-lab.html").write_text(
        '{% extends "base.html" %}{% block title %}Lettre de subvention Curious Lab\'{% endblock %}'
    )
    assert "Lettre de subvention Curious Lab" in Renderer(copy).section_html(make_context("curious-lab"))
    assert "Attestation de lauréat" in Renderer(templates_dir).section_html(make_context("curious-lab"))


@pytest.mark.pdf
@pytest.mark.parametrize("contest", ["made-in-92", "gateau-des-hauts-de-seine"])
def test_a_granted_amount_is_printed_whatever_the_contest(
    renderer: Renderer, make_context, read_pdf, contest: str
) -> None:
    assert (
        "Subvention accordée : 5 000 €"
        in read_pdf(renderer.render_one(make_context(contest, amount_euros=5000))).text
    )
    assert "Subvention" not in read_pdf(renderer.render_one(make_context(contest))).text


@pytest.mark.pdf
def test_not_a_state_diploma(renderer: Renderer, make_context, read_pdf) -> None:
    for contest in ("gateau-des-hauts-de-seine", "made-in-92", "progress", "curious-lab"):
        text = read_pdf(renderer.render_one(make_context(contest))).text.lower()
        assert "république" not in text and "marianne" not in text and "diplôme d'état" not in text


@pytest.mark.pdf
def test_first_of_the_month(renderer: Renderer, make_context, read_pdf) -> None:
    pdf = read_pdf(renderer.render_one(make_context(decision_date=dt.date(2026, 5, 1))))
    assert "le 1er mai 2026" in pdf.text


@pytest.mark.pdf
def test_long_names_stay_on_one_page(renderer: Renderer, make_context, read_pdf) -> None:
    """Worst case: 80 characters everywhere and four signatories with long quality lines."""
    long_title = "La Vice-Présidente chargée de l'économie sociale et solidaire du Département"
    ctx = make_context(
        laureate_person=NAME_80,
        laureate_organisation="Établissements de pâtisserie et chocolaterie fine Dupont-Moreau et Associés",
        commune="Issy-les-Moulineaux",
        prize="Prix spécial du jury pour l'audace, la technique et le lien avec le territoire",
        creation_name="La Folie-Fontaine au caramel beurre salé et à la poire williams des coteaux",
        signatories=(
            Signatory(name="Claire Martin-Dubois de la Roche", title=long_title),
            Signatory(name="Paul Lefèvre", title="Le Président de la CMA Île-de-France – Hauts-de-Seine"),
            Signatory(name="Sophie Bernard", title=long_title),
            Signatory(
                name="Jean Dupont", title="Le Président du jury", distinction="Meilleur Ouvrier de France"
            ),
        ),
    )
    document = renderer.layout(renderer.document_html([ctx]))
    assert len(document.pages) == 1
    assert_zones_not_overflowing(document)
    pdf = read_pdf(renderer.render_one(ctx))
    assert pdf.pages == 1
    assert NAME_80 in pdf.text
    assert "Fait à Nanterre, le 12 décembre 2025" in pdf.text
    assert "Jean Dupont Meilleur Ouvrier de France" in pdf.text


@pytest.mark.pdf
def test_batch_is_one_pdf_per_diploma_in_order(renderer: Renderer, make_context, read_pdf) -> None:
    contests = ["gateau-des-hauts-de-seine", "made-in-92", "progress"]
    contexts = [
        make_context(
            contests[i % 3], verification_code=f"BATC-H{i:03d}", laureate_person=f"Personne NUMÉRO {i}"
        )
        for i in range(5)
    ]
    pdfs = renderer.render_batch(contexts)
    assert len(pdfs) == 5
    for i, pdf in enumerate(pdfs):
        facts = read_pdf(pdf)
        assert facts.pages == 1
        assert f"BATC-H{i:03d}" in facts.text
        assert f"Personne NUMÉRO {i}" in facts.text
        assert f"BATC-H{(i + 1) % 5:03d}" not in facts.text


@pytest.mark.pdf
def test_a_diploma_in_a_batch_is_the_diploma_alone(
    renderer: Renderer, make_context, read_pdf, tmp_path: Path
) -> None:
    """Same text, same title, same pixels, whether rendered alone or among others of other contests."""
    contexts = [
        make_context("made-in-92", verification_code="SAME-0000-0001"),
        make_context("gateau-des-hauts-de-seine", verification_code="SAME-0000-0002"),
        make_context("progress", verification_code="SAME-0000-0003"),
    ]
    batch = renderer.render_batch(contexts)
    for ctx, in_batch in zip(contexts, batch, strict=True):
        alone = renderer.render_one(ctx)
        assert read_pdf(in_batch) == read_pdf(alone)
        if shutil.which("pdftoppm") is not None:
            assert raster(in_batch, tmp_path / "batch") == raster(alone, tmp_path / "alone")


@pytest.mark.pdf
def test_the_static_layer_is_drawn_once_per_contest_and_under_the_text(
    templates_dir: Path, make_context, read_pdf
) -> None:
    renderer = Renderer(templates_dir)
    contexts = [
        make_context("made-in-92", verification_code=f"ONCE-0000-{i:04d}", laureate_person=f"Personne {i}")
        for i in range(4)
    ] + [make_context("progress")]
    pdfs = renderer.render_batch(contexts)
    assert sorted(renderer._static_layers) == [
        ("made-in-92", "made-in-92.html"),
        ("progress", "progress.html"),
    ]
    text = read_pdf(pdfs[0]).text
    # The logos (placeholders with their names) come first, then the diploma, as on the page.
    assert text.index("CCI Hauts-de-Seine") < text.index("Diplôme de lauréat") < text.index("Personne 0")
    page = pypdf.PdfReader(io.BytesIO(pdfs[0])).pages[0]
    # The static layer's placement, the winner's own stream between q and Q, then the QR code.
    assert len(page["/Contents"]) == 5
    assert list(page["/Resources"]["/XObject"]) == ["/JuryStatic"]  # one Form XObject, no QR image


@pytest.mark.pdf
def test_fonts_are_ours_and_embedded(renderer: Renderer, make_context) -> None:
    page = pypdf.PdfReader(io.BytesIO(renderer.render_one(make_context()))).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile"))
        names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert names, "no font in the PDF"
    assert names <= {"Jury-Garamond", "Jury-Garamond-Italic", "Jury-Lato"}, names


@pytest.mark.pdf
def test_qr_code_decodes_to_the_verification_address(
    renderer: Renderer, make_context, tmp_path: Path
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    numpy = pytest.importorskip("numpy")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    ctx = make_context(verification_code="SCAN-ME12-3456")
    (tmp_path / "d.pdf").write_bytes(renderer.render_one(ctx))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", str(tmp_path / "d.pdf"), str(tmp_path / "p")], check=True
    )
    image = read_pgm(next(tmp_path.glob("p*.pgm")), numpy)
    texts = [result.text for result in zxingcpp.read_barcodes(image)]
    assert texts == ["https://concours.example.fr/verifier/SCAN-ME12-3456"]


# ---------------------------------------------------------------- helpers


def raster(pdf: bytes, stem: Path) -> bytes:
    """The page as pdftoppm draws it at 100 dpi in grey (PGM bytes)."""
    stem.with_suffix(".pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-singlefile", str(stem.with_suffix(".pdf")), str(stem)],
        check=True,
    )
    return stem.with_suffix(".pgm").read_bytes()


def read_pgm(path: Path, numpy):
    """pdftoppm -gray writes binary PGM: 'P5', width height, maxval, then the pixels."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    return numpy.frombuffer(pixels, dtype=numpy.uint8).reshape(height, width)


def walk(box):
    """All layout boxes, looking through the placeholders WeasyPrint leaves for positioned boxes."""
    box = getattr(box, "_box", box)
    yield box
    for child in getattr(box, "children", ()):
        yield from walk(child)


def boxes_by_class(document, name: str) -> list:
    """Layout boxes whose element has CSS class `name` (WeasyPrint's own tests walk _page_box too)."""
    found = []
    for page in document.pages:
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if (
                element is not None
                and name in (element.get("class") or "").split()
                and (not found or found[-1].element is not element)
            ):
                found.append(box)
    return found


def assert_zones_not_overflowing(document) -> None:
    """Fixed zones clip what overflows, so 'one page' alone would not catch text cut off."""
    (body,) = boxes_by_class(document, "body")
    (inner,) = boxes_by_class(document, "body-inner")
    assert inner.margin_height() <= body.height + 0.5, "the central text is taller than its zone"
    (footer,) = boxes_by_class(document, "footer")
    footer_bottom = footer.content_box_y() + footer.height
    for signatory in boxes_by_class(document, "signatory"):
        assert signatory.position_y + signatory.margin_height() <= footer_bottom + 0.5
    (verification,) = boxes_by_class(document, "verification")
    assert verification.position_y >= footer.content_box_y()
