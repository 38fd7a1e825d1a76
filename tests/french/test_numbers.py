import pytest

from jury.french.numbers import decimal_fr


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (12.5, 1, "12,5"),
        (12.25, 2, "12,25"),
        (3, 0, "3"),
        (0.8333, 2, "0,83"),
        (-1.25, 1, "-1,2"),
        (None, 1, "—"),
    ],
)
def test_decimal_comma_and_a_dash_for_nothing(value, digits, expected):
    assert decimal_fr(value, digits) == expected


def test_typographic_minus_for_printed_tables_and_no_negative_zero():
    assert decimal_fr(-0.83, 2, typographic_minus=True) == "\u22120,83"
    assert decimal_fr(-0.04, 1) == "0,0"
    assert decimal_fr(-0.04, 1, typographic_minus=True) == "0,0"
