import unicodedata
from decimal import Decimal

import pytest

from jury.french.money import NARROW_NBSP, NBSP, euros, group_thousands


def test_euros_use_narrow_no_break_space_between_thousands() -> None:
    text = euros(15000)
    assert text == "15\u202f000\u00a0€"
    assert text == f"15{NARROW_NBSP}000{NBSP}€"
    assert unicodedata.normalize("NFKC", text) == "15 000 €"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 €"),
        (999, "999 €"),
        (1500, "1 500 €"),
        (100000, "100 000 €"),
        (100_500, "100 500 €"),
        (1234567, "1 234 567 €"),
        (-500, "-500 €"),
        (-12345, "-12 345 €"),
        (Decimal("2500.50"), "2 500,50 €"),
        (Decimal("2500.00"), "2 500 €"),
        (Decimal("-2500.50"), "-2 500,50 €"),
        (Decimal("-0.50"), "-0,50 €"),
    ],
)
def test_euro_amounts(amount: int | Decimal, text: str) -> None:
    assert unicodedata.normalize("NFKC", euros(amount)) == text


@pytest.mark.parametrize("amount", [0, 7, 999, 1000, 15_000, 100_500, 1_234_567, -500, -1_000_000])
def test_whole_euros_as_every_former_copy_printed_them(amount: int) -> None:
    """The pages, the imports, the grants and the demo used `f"{amount:,}"`: same text for whole euros."""
    assert euros(amount) == f"{amount:,}".replace(",", NARROW_NBSP) + f"{NBSP}€"


def test_group_thousands_negative() -> None:
    assert group_thousands(-12345) == f"-12{NARROW_NBSP}345"
