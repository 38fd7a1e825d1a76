"""Value types of an import: the column vocabulary, what a file reads as, the rules it is checked against.

The column vocabulary lives here, once, because three readers need it: the parser (to recognise which
delimiter splits the header into known names), the validator and the page that tells organisers what
to put in their spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal

import msgspec

from jury.contests.eligibility import EditionRules, Eligibility, EligibilityFailure
from jury.errors import FieldError, Invalid

ImportKind = Literal["candidats", "jures"]
IMPORT_KINDS: tuple[ImportKind, ...] = ("candidats", "jures")
KIND_LABELS = {"candidats": "Candidats", "jures": "Jurés"}

MAX_ERRORS = 200
MAX_ROWS = 10_000
FILE = "fichier"  # the "column" of errors that concern the whole file


class Column(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    label: str
    help: str
    aliases: tuple[str, ...] = ()


CANDIDATE_COLUMNS: tuple[Column, ...] = (
    Column(
        name="nom_structure",
        label="Structure",
        help="Nom de l'entreprise, de l'association ou de la boutique.",
        aliases=("structure", "nom_de_la_structure", "raison_sociale", "entreprise"),
    ),
    Column(
        name="nom_porteur",
        label="Porteur",
        help="Prénom et nom du porteur de projet ou de l'artisan.",
        aliases=("porteur", "nom_du_porteur", "porteur_de_projet"),
    ),
    Column(
        name="courriel",
        label="Courriel",
        help="Adresse électronique de contact.",
        aliases=("email", "e_mail", "mail", "adresse_electronique", "adresse_mail"),
    ),
    Column(
        name="code_insee",
        label="Code INSEE",
        help="Code INSEE de la commune (5 caractères, par exemple 92050 pour Nanterre), "
        "jamais le code postal.",
        aliases=("insee", "code_commune", "code_commune_insee"),
    ),
    Column(
        name="forme_juridique",
        label="Forme juridique",
        help="Forme juridique ; elle doit figurer parmi les formes éligibles de l'édition.",
        aliases=("statut_juridique",),
    ),
    Column(
        name="date_creation",
        label="Date de création",
        help="JJ/MM/AAAA ou AAAA-MM-JJ.",
        aliases=("date_de_creation",),
    ),
    Column(
        name="montant_demande",
        label="Montant demandé",
        help="En euros, nombre entier : « 15 000 », « 15000 » ou « 15000 € ».",
        aliases=("montant", "montant_demande_eur", "subvention_demandee"),
    ),
    Column(
        name="numero",
        label="Numéro",
        help="Numéro d'anonymat pour la dégustation à l'aveugle, entier positif unique dans l'édition.",
        aliases=("numero_de_passage", "numero_d_anonymat", "no"),
    ),
    Column(
        name="creation",
        label="Création",
        help="Nom de la création (le gâteau).",
        aliases=("nom_de_la_creation", "gateau"),
    ),
    Column(
        name="categorie",
        label="Catégorie",
        help="Code ou nom d'une catégorie de l'édition.",
        aliases=("category", "prix"),
    ),
    Column(
        name="projet", label="Projet", help="Titre du projet.", aliases=("titre_du_projet", "nom_du_projet")
    ),
)

JUROR_COLUMNS: tuple[Column, ...] = (
    Column(name="nom", label="Nom", help="Prénom et nom du juré.", aliases=("nom_complet", "prenom_nom")),
    Column(
        name="courriel",
        label="Courriel",
        help="Adresse électronique ; un juré déjà connu sous cette adresse est mis à jour, pas dupliqué.",
        aliases=("email", "e_mail", "mail", "adresse_electronique", "adresse_mail"),
    ),
    Column(
        name="qualite",
        label="Qualité",
        help="Titre ou fonction, par exemple « Meilleur Ouvrier de France pâtissier ».",
        aliases=("titre", "fonction"),
    ),
    Column(name="jury", label="Jury", help="Nom d'un jury de l'édition (facultatif).", aliases=("panel",)),
    Column(
        name="role",
        label="Rôle",
        help="« juré » ou « président » (facultatif, juré par défaut).",
        aliases=("fonction_dans_le_jury",),
    ),
    Column(
        name="professionnel",
        label="Professionnel",
        help="« oui » ou « non » (facultatif).",
        aliases=("pro", "est_professionnel"),
    ),
)

# Each entry is a group of alternatives: at least one column of the group must be present and filled.
REQUIRED_CANDIDATE_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "company": (("nom_structure",), ("courriel",), ("code_insee",)),
    "artisan": (("nom_porteur", "nom_structure"), ("courriel",), ("code_insee",)),  # numbers: next free
    "organisation": (
        ("nom_structure",),
        ("courriel",),
        ("code_insee",),
        ("forme_juridique",),
        ("montant_demande",),
    ),
}
REQUIRED_JUROR_COLUMNS: tuple[tuple[str, ...], ...] = (("nom",), ("courriel",))


def columns_for(kind: ImportKind) -> tuple[Column, ...]:
    return CANDIDATE_COLUMNS if kind == "candidats" else JUROR_COLUMNS


def required_for(kind: ImportKind, candidate_kind: str) -> tuple[tuple[str, ...], ...]:
    return REQUIRED_CANDIDATE_COLUMNS[candidate_kind] if kind == "candidats" else REQUIRED_JUROR_COLUMNS


def fold(text: str) -> str:
    """Compare names the way people type them: accents, case, curly apostrophes and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def header_key(text: str) -> str:
    """'Code INSEE', 'code_insee' and ' Code-Insée ' all name the same column."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text.lstrip("\ufeff"))).strip("_")


def column_lookup(kind: ImportKind) -> dict[str, str]:
    """Every accepted spelling of a header (folded) → the column's canonical name."""
    lookup: dict[str, str] = {}
    for column in columns_for(kind):
        lookup[column.name] = column.name
        for alias in column.aliases:
            lookup[alias] = column.name
    return lookup


class Row(msgspec.Struct, frozen=True):
    line: int
    cells: tuple[str, ...]
    formulas: tuple[int, ...] = ()  # positions of a workbook's formula cells (cells hold their formula)


class Table(msgspec.Struct, frozen=True, kw_only=True):
    """A file as read: text cells only, each row with the line it starts on (header = its own line)."""

    file_type: Literal["csv", "xlsx"]
    encoding: str | None
    delimiter: str | None
    header_line: int
    header: tuple[str, ...]
    rows: tuple[Row, ...]


class Commune(msgspec.Struct, frozen=True, kw_only=True):
    insee_code: str
    name: str
    postal_codes: tuple[str, ...]


class CategoryRef(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    name: str


class PanelRef(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    round_name: str


class ChairRef(msgspec.Struct, frozen=True, kw_only=True):
    panel_id: int
    email: str
    full_name: str


class CandidateRules(msgspec.Struct, frozen=True, kw_only=True):
    candidate_kind: str
    eligible_legal_forms: tuple[str, ...]
    max_grant_eur: int | None
    categories: tuple[CategoryRef, ...]
    communes: tuple[Commune, ...]
    taken_entry_numbers: frozenset[int]
    today: dt.date
    eligibility: EditionRules = EditionRules(department_communes=frozenset())  # no rule: nothing flagged
    existing: tuple[ExistingCandidate, ...] = ()
    """The edition's candidates, for an import: a row naming one of them may carry its own number."""


class ExistingCandidate(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate already in the edition, as an imported row is matched against it."""

    id: int
    organisation_name: str
    person_name: str
    email: str
    insee_code: str
    withdrawn: bool
    entry_number: int | None = None


class JurorRules(msgspec.Struct, frozen=True, kw_only=True):
    panels: tuple[PanelRef, ...]
    chairs: tuple[ChairRef, ...]


class CandidateRecord(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    organisation_name: str
    person_name: str
    email: str
    insee_code: str
    legal_form: str
    founded_on: dt.date | None
    requested_eur: int | None
    entry_number: int | None
    creation_name: str
    category_id: int | None
    project_title: str
    eligibility: Eligibility = Eligibility()


class JurorRecord(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    full_name: str
    email: str
    title: str
    panel_id: int | None
    role: Literal["juror", "chair"] | None  # None: keep the role of an existing membership
    is_professional: bool | None  # None: keep what is stored


class IneligibleLine(msgspec.Struct, frozen=True, kw_only=True):
    """A row imported but flagged: the edition's rules it fails, with their reasons."""

    line: int
    name: str
    failures: tuple[EligibilityFailure, ...]


class ExistingLine(msgspec.Struct, frozen=True, kw_only=True):
    """A row that names a candidate already in the edition: skipped, or with `update_existing` updated.

    `matched_on`: `courriel` (same e-mail) or `nom_commune` (same name in the same commune). A withdrawn
    candidate is never updated by an import.
    """

    line: int
    candidate_id: int
    name: str
    matched_on: Literal["courriel", "nom_commune"]
    updated: bool


class ImportReport(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What an import did, or with `dry_run` would do. Ineligible candidates are imported and listed;
    rows naming a candidate already in the edition are listed in `existing`, skipped unless the organiser
    asked to update them (`updated` then counts them; `imported` counts new candidates only)."""

    kind: ImportKind
    dry_run: bool
    rows: int
    imported: int
    new_people: int | None = None
    memberships: int | None = None
    ineligible: tuple[IneligibleLine, ...] = ()
    round_name: str | None = None
    existing: tuple[ExistingLine, ...] = ()
    updated: int = 0


class Problems:
    """Collects errors up to a cap, so one upload shows everything to fix rather than the first mistake."""

    def __init__(self, cap: int = MAX_ERRORS) -> None:
        self.cap = cap
        self.total = 0
        self.items: list[FieldError] = []

    def add(self, *, line: int | None, field: str, message: str) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(FieldError(field=field, message=message, line=line))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if not self.total:
            return
        count = f"{self.total} erreur" + ("s" if self.total > 1 else "")
        message = f"Le fichier contient {count} : rien n'a été importé."
        if self.total > self.cap:
            message += f" Seules les {self.cap} premières sont listées."
        raise Invalid(message, errors=list(self.items))


def file_error(message: str, *, line: int | None = None, field: str = FILE) -> Invalid:
    """A problem that stops reading the file at all (encoding, type, emptiness)."""
    return Invalid(
        "Le fichier n'a pas pu être lu : rien n'a été importé.",
        errors=[FieldError(field=field, message=message, line=line)],
    )
