"""The two rules every download follows: no formula from people's text, the French spreadsheet dialect."""

from __future__ import annotations

import pytest

from jury.spreadsheet import french_csv, neutralise


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_evaluate_gets_an_apostrophe(prefix: str) -> None:
    assert neutralise(f'{prefix}HYPERLINK("http://x")') == f'\'{prefix}HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["Pâtisserie Durand", "", "'déjà protégé", "3 = trois", " =espace"])
def test_other_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


def test_csv_has_a_bom_semicolons_crlf_and_quotes_only_where_needed() -> None:
    data = french_csv(["Nom", "Note"], [["Durand; fils", -1.5], ["Lefèvre", 12]])
    assert data == '\ufeffNom;Note\r\n"Durand; fils";-1.5\r\nLefèvre;12\r\n'.encode()


def test_a_header_only_file_is_one_line() -> None:
    assert french_csv(["a", "b"], []) == "\ufeffa;b\r\n".encode()
