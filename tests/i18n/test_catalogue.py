"""The English catalogue covers every string of the translated templates, and languages are negotiated as
browsers send them. A new French string in a juror template without its English fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2 import DictLoader, Environment

from jury.labels import ROUND_STATUS, SHEET_STATE
from jury.scoring.juror_web import DONE
from jury.web.i18n import LOCALES_DIR, PYTHON_MESSAGES, install_i18n, load_catalogues, negotiate, number

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [*sorted((ROOT / "templates" / "juror").glob("*.html")), ROOT / "templates" / "base.html"]
# As the application's environment parses them (jury.web.templating.make_environment).
OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "extensions": "jinja2.ext.i18n"}


def english_catalogue():
    with (LOCALES_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale="en")


def extracted() -> list[tuple[str, int, str | tuple[str, ...]]]:
    found = []
    for path in TRANSLATED:
        for lineno, message, _comments, _context in extract_from_file("jinja2", path, options=OPTIONS):
            found.append((path.name, lineno, message))
    return found


def test_translated_templates_have_strings_to_translate() -> None:
    """The extraction really reads the templates (an extractor silently finding nothing would pass all)."""
    names = {name for name, _, _ in extracted()}
    assert names == {
        "access.html",
        "conflicts.html",
        "home.html",
        "sheet.html",
        "_messages.html",
        "base.html",
    }
    assert len(extracted()) >= 90


def test_every_template_string_has_its_english() -> None:
    catalogue = english_catalogue()
    missing = []
    for name, lineno, message in extracted():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else None
        complete = strings and (all(strings) if isinstance(strings, tuple) else True)
        if entry is None or entry.fuzzy or not complete:
            missing.append(f"{name}:{lineno}: {msgid!r}")
    assert missing == []


def test_every_message_made_in_python_has_its_english() -> None:
    catalogue = english_catalogue()
    assert [fr for fr in PYTHON_MESSAGES if not (catalogue.get(fr) and catalogue.get(fr).string)] == []


def test_the_python_messages_listed_are_those_the_juror_pages_show() -> None:
    """The labels of rounds and sheets and the confirmations, as jury.labels and the pages say them."""
    shown = {*ROUND_STATUS.values(), *SHEET_STATE.values(), *DONE.values()}
    assert shown <= set(PYTHON_MESSAGES)


def test_translations_keep_their_placeholders() -> None:
    """Babel's own checks: a translation that drops or renames a %(name)s would fail at render time."""
    problems = [(message.id, [str(e) for e in errors]) for message, errors in english_catalogue().check()]
    assert problems == []


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("de, it", "fr"),
        ("en;q=0.4, fr;q=0.6", "fr"),
        ("en;q=0, fr;q=0.1", "fr"),
        ("en;q=bad, fr", "fr"),
    ],
)
def test_accept_language_picks_the_first_supported_language(header, language) -> None:
    assert negotiate(header) == language


def test_numbers_are_written_as_each_language_writes_them() -> None:
    assert [number("fr", v) for v in (7.5, 10.0, 0.25, 12000, None)] == ["7,5", "10", "0,25", "12000", "—"]
    assert [number("en", v) for v in (7.5, 10.0, 0.25, 12000, None)] == ["7.5", "10", "0.25", "12000", "—"]


class _Request:
    """What the gettext callables read of a request: its scope (with a session) and headers."""

    def __init__(self, *, session: dict | None, accept: str | None) -> None:
        self.scope = {"session": session} if session is not None else {}
        self.session = session
        self.headers = {"accept-language": accept} if accept else {}


def render(source: str, **context) -> str:
    env = Environment(loader=DictLoader({"t.html": source}), autoescape=True)
    install_i18n(env, load_catalogues())
    return env.get_template("t.html").render(**context)


def test_the_session_choice_wins_over_the_browser_and_french_is_the_source_text() -> None:
    source = '{% set translated = true %}<html lang="{{ language() }}">{{ _("Mes candidats") }} · {{ "draft" | label("sheet") }}'
    assert render(source) == '<html lang="fr">Mes candidats · brouillon'
    assert (
        render(source, request=_Request(session=None, accept="en-GB"))
        == '<html lang="en">My candidates · draft'
    )
    chosen = _Request(session={"lang": "fr"}, accept="en-GB")
    assert render(source, request=chosen) == '<html lang="fr">Mes candidats · brouillon'
    chosen = _Request(session={"lang": "en"}, accept="fr")
    assert render(source, request=chosen) == '<html lang="en">My candidates · draft'


def test_a_page_not_declared_translated_stays_french() -> None:
    source = '<html lang="{{ language() }}">{{ _("Mes candidats") }} · {{ "draft" | label("sheet") }}'
    chosen = _Request(session={"lang": "en"}, accept="en")
    assert render(source, request=chosen) == '<html lang="fr">Mes candidats · brouillon'


def test_a_message_made_in_python_is_translated_when_known_and_kept_otherwise() -> None:
    source = "{% set translated = true %}{{ a | translate }} | {{ b | translate }}"
    english = _Request(session=None, accept="en")
    assert render(source, a="Brouillon enregistré.", b="100 % <b>", request=english) == (
        "Draft saved. | 100 % &lt;b&gt;"
    )
