"""Pages in the visitor's language: French (the source text of the templates) or English.

The language of a request is the one the visitor chose with the « English / Français » switch (kept in
their session), else the first supported one of the browser's `Accept-Language`, else French. Templates
mark their text with `_()` / `{% trans %}` (Jinja's i18n extension); the English catalogue is a gettext
`.po` file under `jury/locales/`, read with Babel when the application is built, so there is no compile step
and nothing to build before the tests. A French page renders exactly its source text. After changing a
translated template:

    pybabel extract -F src/jury/locales/babel.cfg --no-location -o /tmp/jury.pot .
    pybabel update -i /tmp/jury.pot -d src/jury/locales --no-fuzzy-matching


The translation is picked per render from the `request` in the template's context, so one Jinja
environment serves every language; templates rendered without a request (mails, PDFs) and pages that do not
declare themselves translated (`{% set translated = true %}`, the juror pages so far) stay French.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from jury.french.numbers import MISSING
from jury.labels import label
from jury.web.templating import date_fr

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
"""Inside the package, so the catalogues ship in the wheel."""
DEFAULT = "fr"
LANGUAGES: Mapping[str, str] = {"fr": "Français", "en": "English"}
"""Each supported language, named in itself (the switch shows the other one's name)."""
SESSION_KEY = "lang"
_SCOPE_KEY = "jury.language"
TRANSLATED = "translated"
"""The template variable by which a page says its text is in the catalogues (the juror pages so far)."""


def N_(message: str) -> str:
    """Marks a string made in Python for the catalogue (gettext's usual name) without translating it here."""
    return message


PYTHON_MESSAGES = (
    # The labels the juror pages show (jury.labels: rounds and sheets), through the `label` filter.
    *(N_("en préparation"), N_("notation"), N_("délibération"), N_("clos")),
    *(N_("à évaluer"), N_("brouillon"), N_("validée")),
    # Confirmations and refusals made in Python, shown through the `translate` filter.
    *(N_("Brouillon enregistré."), N_("Feuille validée et transmise."), N_("Déclarations enregistrées.")),
    N_("Code d'accès inconnu ou révoqué."),
)
"""Strings the juror pages show that are not in a template: listed for `pybabel extract` (babel.cfg); a
test checks that they are exactly what jury.labels and the services say."""


def load_catalogues(locales_dir: Path = LOCALES_DIR) -> dict[str, NullTranslations]:
    """Every language's translations: French is the templates' own text; the others are read from their
    `<lang>/LC_MESSAGES/messages.po`, compiled in memory (fuzzy entries are left out, as msgfmt does)."""
    catalogues: dict[str, NullTranslations] = {DEFAULT: NullTranslations()}
    for language in LANGUAGES:
        if language == DEFAULT:
            continue
        with (locales_dir / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalogue = read_po(po, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        catalogues[language] = Translations(compiled)
    return catalogues


def negotiate(accept_language: str | None) -> str:
    """The first supported language of an `Accept-Language` header by preference ('en-GB,en;q=0.9' →
    'en'), else French. A malformed part is skipped rather than refusing the page."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT


def request_language(request: Any) -> str:
    """The visitor's language for this request (their switch, then their browser), worked out once."""
    scope = request.scope
    cached = scope.get(_SCOPE_KEY)
    if cached is None:
        chosen = request.session.get(SESSION_KEY) if "session" in scope and request.session else None
        cached = chosen if chosen in LANGUAGES else negotiate(request.headers.get("accept-language"))
        scope[_SCOPE_KEY] = cached
    return cached


def _language(context: Context) -> str:
    """French unless the page declares it has its translations (`{% set translated = true %}`): a page not
    translated yet (organisers', public) stays wholly French, `<html lang>` and navigation included."""
    request = context.get("request")
    return DEFAULT if request is None or context.get(TRANSLATED) is not True else request_language(request)


def number(language: str, value: Decimal | float | int | None) -> str:
    """A mark or a total as the visitor writes it: '7,5' in French (as everywhere else), '7.5' in English."""
    if value is None:
        return MISSING
    if language == DEFAULT:
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return format_decimal(Decimal(str(value)).normalize(), locale=language, group_separator=False)


def install_i18n(env: Environment, catalogues: Mapping[str, NullTranslations]) -> None:
    """Adds the i18n extension to `env` with translations chosen per render, a translated `label` filter
    and the locale-aware `number` and `date` filters; `language()` gives the page's language."""

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return catalogues[_language(context)].gettext(message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
        return catalogues[_language(context)].ngettext(singular, plural, n)

    @pass_context
    def translate(context: Context, message: str) -> str:
        """A message made in Python (a service's refusal, a confirmation): its English when the catalogue has
        it, else as it is. Unlike `_()`, no `%` formatting, so any text is safe."""
        return catalogues[_language(context)].gettext(message)

    @pass_context
    def translated_label(context: Context, value: str, kind: str) -> str:
        return catalogues[_language(context)].gettext(label(value, kind))

    @pass_context
    def localised_number(context: Context, value: Decimal | float | int | None) -> str:
        return number(_language(context), value)

    @pass_context
    def localised_date(context: Context, value: dt.date | None) -> str:
        language = _language(context)
        if value is None or language == DEFAULT:
            return date_fr(value)
        return format_date(value, format="long", locale=language)

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["translate"] = translate
    env.filters["label"] = translated_label
    env.filters["number"] = localised_number
    env.filters["date"] = localised_date
    env.globals["language"] = pass_context(_language)
    env.globals["languages"] = LANGUAGES
