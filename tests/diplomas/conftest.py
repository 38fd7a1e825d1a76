"""Shared fixtures for the diploma tests: sample contexts and reading PDFs back."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pypdf
import pytest

from jury.diplomas.models import DiplomaContext, Signatory

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "diplomas"

DEPARTEMENT = Signatory(name="Claire Martin", title="La Présidente du Département des Hauts-de-Seine")
CCI = Signatory(name="Marc Petit", title="Le Président de la CCI Hauts-de-Seine")
CMA = Signatory(name="Paul Lefèvre", title="Le Président de la CMA Île-de-France – Hauts-de-Seine")
CHAIR = Signatory(name="Jean Dupont", title="Le Président du jury", distinction="Meilleur Ouvrier de France")

BASES: dict[str, dict[str, Any]] = {
    "gateau-des-hauts-de-seine": dict(
        contest="gateau-des-hauts-de-seine",
        contest_name="Imaginez le gâteau des Hauts-de-Seine",
        edition_number=10,
        year=2025,
        laureate_person="Camille DURAND",
        laureate_organisation="Pâtisserie Durand",
        commune="Sèvres",
        place=1,
        creation_name="L'écrin",
        decision_date=dt.date(2025, 12, 12),
        signatories=(DEPARTEMENT, CMA, CHAIR),
        verification_code="K7QM-3XH2-PA9D",
        base_url="https://concours.example.fr",
    ),
    "made-in-92": dict(
        contest="made-in-92",
        contest_name="Concours Made in 92",
        edition_number=9,
        year=2024,
        laureate_organisation="Atelier Lumen SAS",
        laureate_person="Inès BERNARD",
        commune="Boulogne-Billancourt",
        prize="Prix de la transition énergétique",
        category="Industrie",
        decision_date=dt.date(2024, 11, 28),
        signatories=(DEPARTEMENT, CCI),
        verification_code="AB12-CD34-EF56",
        base_url="https://concours.example.fr",
    ),
    "progress": dict(
        contest="progress",
        contest_name="Appel à projets Progr'ESS",
        edition_number=3,
        year=2025,
        laureate_organisation="Association Les Jardins partagés de Colombes",
        commune="Colombes",
        project_name="Une recyclerie solidaire",
        amount_euros=15000,
        decision_date=dt.date(2025, 6, 30),
        signatories=(DEPARTEMENT,),
        verification_code="ZZ99-8877-6655",
        base_url="https://concours.example.fr",
    ),
    # A contest set up through the API: no template of its own, so the generic one (a grant letter here).
    "curious-lab": dict(
        contest="curious-lab",
        contest_name="Curious Lab'",
        edition_number=5,
        year=2023,
        laureate_person="Inès Garnier",
        laureate_organisation="Ville de Sèvres",
        commune="Sèvres",
        prize="Solution retenue Curious Lab'",
        project_name="Un guichet unique",
        amount_euros=20000,
        decision_date=dt.date(2023, 6, 15),
        signatories=(DEPARTEMENT,),
        verification_code="CL23-5VR5-0001",
        base_url="https://concours.example.fr",
    ),
}


@pytest.fixture(scope="session")
def templates_dir() -> Path:
    return TEMPLATES_DIR


@pytest.fixture(scope="session")
def templates_root() -> Path:
    """The folder of every document's templates, as the shared PDF pool takes it."""
    return TEMPLATES_DIR.parent


@pytest.fixture(scope="session")
def make_context() -> Callable[..., DiplomaContext]:
    """make_context('progress', amount_euros=8000) → a valid context with those fields changed."""

    def make(contest: str = "gateau-des-hauts-de-seine", **changes: Any) -> DiplomaContext:
        return DiplomaContext(**{**BASES[contest], **changes})

    return make


def normalise(text: str) -> str:
    """NFKC (ligatures, narrow no-break spaces), one space between words, and no space after a
    hyphen that ended a line ('Saint-Exupéry- Montmorency')."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


class PdfFacts(msgspec.Struct):
    pages: int
    text: str
    sizes: list[tuple[float, float]]
    title: str | None


@pytest.fixture(scope="session")
def read_pdf() -> Callable[[bytes], PdfFacts]:
    def read(pdf: bytes) -> PdfFacts:
        assert pdf.startswith(b"%PDF-")
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        text = " ".join(page.extract_text() for page in reader.pages)
        sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
        return PdfFacts(pages=len(reader.pages), text=normalise(text), sizes=sizes, title=title)

    return read
