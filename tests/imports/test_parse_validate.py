"""The pure parts: reading values the way organisers type them, and the delimiter that matches the header."""

from __future__ import annotations

import datetime as dt

import pytest

from jury.errors import Invalid
from jury.imports.models import column_lookup, header_key
from jury.imports.parse import cell_text, read_table
from jury.imports.validate import parse_amount, parse_date, parse_entry_number

KNOWN = column_lookup("candidats").keys()


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("15000", 15000),
        ("15 000", 15000),
        ("15000 €", 15000),
        ("15 000 €", 15000),
        ("15\u202f000\u00a0€", 15000),
        ("15.000", 15000),
        ("15 000,00 €", 15000),
        ("15000 EUR", 15000),
        ("0", 0),
        ("1 250 euros", 1250),
    ],
)
def test_amounts_are_read_as_whole_euros(raw, amount):
    assert parse_amount(raw) == (amount, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "Montant négatif : « -1 »."),
        ("15,000", "Montant non entier : « 15,000 » (euros entiers attendus, sans centimes)."),
        ("quinze mille", "Montant non numérique : « quinze mille » (par exemple 15 000 ou 15000 €)."),
    ],
)
def test_doubtful_amounts_are_refused_rather_than_guessed(raw, message):
    assert parse_amount(raw) == (None, message)


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("15/03/2021", dt.date(2021, 3, 15)),
        ("5/3/2021", dt.date(2021, 3, 5)),
        ("2021-03-15", dt.date(2021, 3, 15)),
        ("15.03.2021", dt.date(2021, 3, 15)),
    ],
)
def test_dates_are_read_day_first_or_iso(raw, date):
    assert parse_date(raw) == (date, None)


def test_a_two_digit_year_is_refused():
    assert parse_date("15/03/21") == (
        None,
        "Date invalide : « 15/03/21 » (JJ/MM/AAAA ou AAAA-MM-JJ attendu).",
    )


@pytest.mark.parametrize(("raw", "number"), [("7", 7), ("007", 7), ("0", None), ("7a", None), ("²", None)])
def test_entry_numbers_are_positive_integers(raw, number):
    assert parse_entry_number(raw)[0] == number


@pytest.mark.parametrize("raw", ["Code INSEE", "code_insee", " Code-Insée ", "\ufeffCODE  INSEE"])
def test_header_names_ignore_case_accents_and_separators(raw):
    assert header_key(raw) == "code_insee"


def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns():
    # Commas in every value would fool a plain sniffer; the header decides.
    data = "nom_structure;projet;courriel\nA, B et C;Vente, réparation, location;a@b.fr\n".encode()
    table = read_table(data, "c.csv", known_headers=KNOWN)
    assert table.delimiter == ";"
    assert table.rows[0].cells == ("A, B et C", "Vente, réparation, location", "a@b.fr")


def test_utf8_with_and_without_bom_and_windows_1252_read_the_same_text():
    text = "nom_structure;courriel\nPâtisserie Élise — Sèvres;e@x.fr\n"
    tables = [
        read_table(data, "c.csv", known_headers=KNOWN)
        for data in (text.encode("utf-8-sig"), text.encode(), text.encode("cp1252"))
    ]
    assert [t.encoding for t in tables] == ["utf-8-sig", "utf-8", "cp1252"]
    assert {t.rows[0].cells[0] for t in tables} == {"Pâtisserie Élise — Sèvres"}


def test_a_file_without_a_name_or_bytes_asks_for_a_file():
    with pytest.raises(Invalid) as caught:
        read_table(b"", "", known_headers=KNOWN)
    assert caught.value.errors[0].message == "Aucun fichier choisi."


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (92050, "92050"),
        (92050.0, "92050"),
        (1500.5, "1500.5"),
        (True, "oui"),
        (dt.datetime(2020, 3, 15, 0, 0), "2020-03-15"),
        (dt.date(2020, 3, 15), "2020-03-15"),
        ("  A  ", "A"),
    ],
)
def test_spreadsheet_values_become_the_text_the_validator_reads(value, text):
    assert cell_text(value) == text
