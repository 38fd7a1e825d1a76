import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from jury.diplomas.formatting import NARROW_NBSP, NBSP, format_euros, french_date, group_thousands


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
    for month in range(1, 13):
        name = french_date(dt.date(2025, month, 2)).split()[1]
        assert name == name.lower()


def test_euros_use_narrow_no_break_space_between_thousands() -> None:
    text = format_euros(15000)
    assert text == f"15{NARROW_NBSP}000{NBSP}€"
    assert unicodedata.normalize("NFKC", text) == "15 000 €"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 €"),
        (999, "999 €"),
        (1500, "1 500 €"),
        (100000, "100 000 €"),
        (1234567, "1 234 567 €"),
        (Decimal("2500.50"), "2 500,50 €"),
        (Decimal("2500.00"), "2 500 €"),
    ],
)
def test_euro_amounts(amount: int | Decimal, text: str) -> None:
    assert unicodedata.normalize("NFKC", format_euros(amount)) == text


def test_group_thousands_negative() -> None:
    assert group_thousands(-12345) == f"-12{NARROW_NBSP}345"
