"""What a diploma shows, as one immutable value.

The renderer runs in other processes, so everything it needs travels in this Struct (msgspec
Structs pickle cheaply) and the templates never reach for a database or a setting. The checks in
`__post_init__` keep wording that the law reserves off a laureate's diploma, whatever the data
entry says.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated

import msgspec

CONTEST_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""The `contests.slug` check of the database: lower-case words joined by dashes."""

Contest = Annotated[str, msgspec.Meta(pattern=CONTEST_SLUG)]
"""The contest's slug: selects `templates/diplomas/{contest}.html` when the contest has its own template
(Made in 92, the Gâteau, Progr'ESS), `GENERIC_TEMPLATE` otherwise (any contest set up through the API)."""

GENERIC_TEMPLATE = "generic.html"
"""The diploma of a contest without a template of its own: prize (or podium place), project or creation,
granted amount when there is one (a grant letter), like the others."""

_NOT_CONTEST_TEMPLATES = frozenset({"base"})
"""Template files whose name a contest slug could spell but that are not a contest's diploma."""

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
"""Layout is proven for 80 characters; 120 still fits on one page in the smallest size class."""

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base 32: no I, L, O, U, so a code read aloud or typed from paper is unambiguous."""

_CODE_RE = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,40}$")
_CONTEST_RE = re.compile(CONTEST_SLUG)

# "Un des Meilleurs Ouvriers de France" is a State diploma (Code de l'éducation, D338-9 ff.): it may
# only describe a signatory (the jury chair), never a laureate, a prize or a creation.
_RESERVED_TITLES = re.compile(r"(?i:meilleurs?\s+ouvriers?\s+de\s+france)|\bM\.?O\.?F\b")


class Signatory(msgspec.Struct, frozen=True, kw_only=True):
    """One signature block; names and titles change with mandates, so they come per edition."""

    name: Text
    title: Text
    """Quality line, e.g. 'Le Président du Département des Hauts-de-Seine'."""
    distinction: Text | None = None
    """Printed under the name, e.g. 'Meilleur Ouvrier de France' for the jury chair of the cake."""


class DiplomaContext(msgspec.Struct, frozen=True, kw_only=True):
    """Everything one diploma shows; the template decides only how."""

    contest: Contest
    contest_name: Text
    """'Concours Made in 92', 'Imaginez le gâteau des Hauts-de-Seine', 'Appel à projets Progr'ESS'."""
    edition_number: Annotated[int, msgspec.Meta(ge=1)] | None
    """None for contests known by their year only; printed '10e édition — 2025' otherwise."""
    year: Annotated[int, msgspec.Meta(ge=2000, le=2200)]
    laureate_person: Text | None = None
    """'Prénom NOM' as the organisers want it printed: no case is changed here."""
    laureate_organisation: Text | None = None
    commune: Text | None = None
    prize: Text | None = None
    """'Prix de la transition énergétique', 'Prix spécial Made in 92'."""
    category: Text | None = None
    place: Annotated[int, msgspec.Meta(ge=1, le=99)] | None = None
    """Podium place, printed '1er prix' (Gâteau)."""
    creation_name: Text | None = None
    """The cake's name (« L'écrin »)."""
    project_name: Text | None = None
    """The funded project (Progr'ESS)."""
    amount_euros: Annotated[int, msgspec.Meta(ge=0)] | None = None
    """Granted amount of the award (a grant: Progr'ESS, Curious Lab'…), whole euros, printed '15 000 €'."""
    decision_date: dt.date
    """Date of the jury's decision, printed 'le 12 décembre 2025'."""
    signed_at: Text = "Nanterre"
    """The Hôtel du Département is in Nanterre."""
    signatories: Annotated[tuple[Signatory, ...], msgspec.Meta(max_length=4)] = ()
    verification_code: str
    base_url: str
    """Public root of the service, e.g. 'https://concours.example.fr'; the QR code points below it."""

    def __post_init__(self) -> None:
        if not _CONTEST_RE.match(self.contest):
            raise ValueError("contest must be a contest slug (lower-case words joined by dashes)")
        if self.laureate_person is None and self.laureate_organisation is None:
            raise ValueError("a diploma needs a laureate: a person, an organisation or both")
        if not _CODE_RE.match(self.verification_code):
            raise ValueError("verification_code must be upper-case letters, digits and dashes")
        if not self.base_url.startswith(("https://", "http://")):
            raise ValueError("base_url must be an absolute http(s) address")
        if self.contest == "gateau-des-hauts-de-seine" and self.place is None and self.prize is None:
            raise ValueError("a Gâteau diploma needs a podium place or a named prize")
        if self.contest == "made-in-92" and self.prize is None:
            raise ValueError("a Made in 92 diploma needs the prize's name")
        for field in (
            "laureate_person",
            "laureate_organisation",
            "prize",
            "category",
            "creation_name",
            "project_name",
            "contest_name",
        ):
            value = getattr(self, field)
            if value is not None and _RESERVED_TITLES.search(value):
                raise ValueError(
                    f"{field} mentions 'Meilleur Ouvrier de France', a State title that a contest diploma "
                    "may only give to a signatory"
                )
        for signatory in self.signatories:
            if _RESERVED_TITLES.search(signatory.name) or _RESERVED_TITLES.search(signatory.title):
                raise ValueError(
                    "put 'Meilleur Ouvrier de France' in the signatory's distinction, "
                    "not in the name or quality line"
                )

    @property
    def verification_url(self) -> str:
        """The QR payload: `{base_url}/verifier/{code}`, the public check of this diploma."""
        return f"{self.base_url.rstrip('/')}/verifier/{self.verification_code}"

    @property
    def template_names(self) -> tuple[str, ...]:
        """The templates to try, in order: the contest's own, then the generic diploma."""
        if self.contest in _NOT_CONTEST_TEMPLATES:
            return (GENERIC_TEMPLATE,)
        return (f"{self.contest}.html", GENERIC_TEMPLATE)


def new_verification_code(*, groups: int = 3) -> str:
    """A random code like 'K7QM-3XH2-PA9D' (60 bits with 3 groups): short enough to type from paper,
    too many to guess. Uniqueness is the database's job (a unique constraint), not this function's."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * groups))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))
