"""The public application form as data, and what a sent document is, read from its first bytes.

Pure: the fields an edition's form shows follow its contest's kind of candidates and its eligibility rules
(a legal form where forms are restricted, a creation date where the company's age counts, an amount where
grants are capped, the creation's name for a tasting), named as the import's columns so that an accepted
application becomes a candidate through the same checks as a line of a file.
"""

from __future__ import annotations

from collections.abc import Collection

import msgspec

DOCUMENT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
MAX_DOCUMENTS = 10
"""Documents one application may hold (statutes, budget, photos of the creation...)."""
HONEYPOT = "site_web"
"""A field hidden from people: a robot filling every input fills it too, and its application is refused."""


class FormField(msgspec.Struct, frozen=True, kw_only=True):
    """One input of the form: its column name, French label and help, HTML type and constraints."""

    name: str
    label: str
    help: str = ""
    input: str = "text"  # text, email, date, number, select, datalist
    required: bool = False
    pattern: str = ""
    min: int | None = None
    max: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)


def form_fields(
    *,
    candidate_kind: str,
    required: Collection[str],
    legal_forms: Collection[str],
    max_grant_eur: int | None,
    max_company_age_years: int | None,
    categories: Collection[tuple[str, str]],
    communes: Collection[tuple[str, str]],
) -> list[FormField]:
    """The edition's inputs in the order an applicant fills them. `required` holds the column names the
    edition's kind and rules make mandatory; `categories` and `communes` are (code, name) pairs."""

    def field(name: str, label: str, **kw: object) -> FormField:
        return FormField(name=name, label=label, required=name in required, **kw)  # type: ignore[arg-type]

    artisan = candidate_kind == "artisan"
    fields = [
        field(
            "nom_structure",
            "Boutique ou entreprise" if artisan else "Entreprise ou association",
            help="Nom sous lequel la structure est connue.",
        ),
        field("nom_porteur", "Artisan" if artisan else "Porteur du projet", help="Prénom et nom."),
        field(
            "courriel",
            "Courriel",
            input="email",
            help="L'accusé de réception et votre lien y seront envoyés.",
        ),
        field(
            "code_insee",
            "Commune du siège",
            input="select",
            choices=tuple((code, f"{name} ({code})") for code, name in communes),
        ),
    ]
    if legal_forms or candidate_kind != "artisan":
        fields.append(
            field(
                "forme_juridique",
                "Forme juridique",
                input="datalist",
                choices=tuple((form, form) for form in legal_forms),
                help="Formes admises : " + ", ".join(legal_forms) if legal_forms else "",
            )
        )
    if max_company_age_years is not None or candidate_kind == "company":
        fields.append(
            field(
                "date_creation",
                "Date de création",
                input="date",
                help=f"Moins de {max_company_age_years} ans à la clôture des candidatures."
                if max_company_age_years
                else "",
            )
        )
    if max_grant_eur is not None or candidate_kind == "organisation":
        fields.append(
            field(
                "montant_demande",
                "Montant demandé (euros)",
                input="number",
                min=1,
                max=max_grant_eur,
                help=f"Plafond : {max_grant_eur} €." if max_grant_eur is not None else "",
            )
        )
    if artisan:
        fields.append(field("creation", "Nom de la création", help="Le nom de votre gâteau."))
    else:
        fields.append(field("projet", "Projet", help="Titre du projet présenté."))
    if categories:
        fields.append(
            field("categorie", "Catégorie", input="select", choices=tuple((c, n) for c, n in categories))
        )
    return fields


def required_columns(groups: Collection[tuple[str, ...]], edition_required: Collection[str]) -> set[str]:
    """Columns marked required on the form: the first of each group the contest's kind requires, and the
    edition's own required fields."""
    return {group[0] for group in groups} | set(edition_required)


def document_type(head: bytes) -> str | None:
    """The media type of a PDF, JPEG or PNG file from its first bytes, whatever its name says; None for
    anything else (a Word file renamed .pdf, an executable)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def document_problem(*, file_name: str, content: bytes, max_bytes: int) -> str | None:
    """Why a sent document is refused, in French, or None."""
    if not content:
        return f"« {file_name} » est vide."
    if len(content) > max_bytes:
        return (
            f"« {file_name} » dépasse la taille maximale d'un document "
            f"({max_bytes // 1024} Kio ; il en fait {len(content) // 1024})."
        )
    if document_type(content[:16]) is None:
        return f"« {file_name} » n'est ni un PDF, ni une image JPEG ou PNG (format reconnu à son contenu)."
    return None


def rule_field(rule: str) -> str:
    """The form field an eligibility rule is about, so that its refusal shows beside the input."""
    return {
        "legal_form": "forme_juridique",
        "territory": "code_insee",
        "seat": "code_insee",
        "company_age": "date_creation",
        "requested_amount": "montant_demande",
    }.get(rule, "")
