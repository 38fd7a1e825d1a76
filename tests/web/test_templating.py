import datetime as dt
from pathlib import Path

import pytest

from jury.web.templating import date_fr, edition_number, euros, make_environment


def test_a_missing_value_prints_a_dash() -> None:
    assert euros(None) == "—"
    assert date_fr(None) == "—"


def test_filters_use_the_shared_french_formats() -> None:
    assert euros(15000) == "15\u202f000\u00a0€"
    assert date_fr(dt.date(2026, 5, 1)) == "1er mai 2026"
    assert date_fr(dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)) == "1er mars 2026"


@pytest.mark.parametrize(("amount", "text"), [(15000.0, "15\u202f000\u00a0€"), (2500.6, "2\u202f501\u00a0€")])
def test_a_float_prints_whole_euros(amount: float, text: str) -> None:
    assert euros(amount) == text


def test_the_filters_are_registered_under_their_template_names(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    template = env.from_string("{{ none | euros }} {{ none | date_fr }} {{ amount | euros }}")
    assert template.render(none=None, amount=1500) == "— — 1\u202f500\u00a0€"


def test_edition_number_agrees_with_the_feminine_noun() -> None:
    assert edition_number(1) == "1<sup>re</sup> édition"
    assert edition_number(10) == "10<sup>e</sup> édition"


def test_a_decision_after_midnight_in_paris_is_dated_that_day(tmp_path: Path) -> None:
    """The decisions page prints a timestamptz: 1 March 00:30 in Nanterre is 28 February in UTC."""
    env = make_environment(tmp_path)
    decided_at = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    assert env.from_string("{{ at | date_fr }}").render(at=decided_at) == "1er mars 2026"
