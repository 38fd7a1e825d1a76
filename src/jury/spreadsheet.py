"""What every CSV and XLSX download of the service shares.

Spreadsheets execute a cell that starts with `=`, `+`, `-` or `@` (and some also after a tab or a
carriage return) as a formula, so a candidate or juror named `=HYPERLINK(…)` could make an organiser's
computer open a link or leak data (OWASP "CSV injection"). Every *text* cell that came from people goes
through `neutralise`; numbers are written as numbers by the exporters and must stay numbers (a negative
calibrated score is not a formula), which is why this is a function the exporters call per cell rather
than a rule applied to whole rows.

CSV files use the French spreadsheet dialect: `;` separators, CRLF line ends and a UTF-8 byte-order mark,
so that a double click opens them correctly in a French Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """An apostrophe in front of a text a spreadsheet would evaluate; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def french_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The file's bytes; cells are written as given (neutralise text cells before)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
