import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jury.french.dates import MONTHS, french_date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2025, 12, 12), "12 décembre 2025"),
        (dt.date(2026, 5, 1), "1er mai 2026"),
        (dt.date(2024, 2, 29), "29 février 2024"),
        (dt.date(2025, 8, 15), "15 août 2025"),
    ],
)
def test_french_date_lowercase_month_and_first_day_ordinal(day: dt.date, text: str) -> None:
    assert french_date(day) == text


def test_every_month_is_lowercase() -> None:
    assert len(MONTHS) == 12
    for month in range(1, 13):
        name = french_date(dt.date(2025, month, 2)).split()[1]
        assert name == name.lower()


def test_an_aware_datetime_is_dated_in_paris() -> None:
    """A revocation at 00:30 in Nanterre is dated that day, not the day before as in UTC."""
    moment = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    assert moment.astimezone(ZoneInfo("Europe/Paris")) == dt.datetime(
        2026, 3, 1, 0, 30, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert french_date(moment) == "1er mars 2026"


def test_a_naive_datetime_is_taken_as_local() -> None:
    assert french_date(dt.datetime(2026, 2, 28, 23, 30)) == "28 février 2026"
