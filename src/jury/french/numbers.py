"""French decimals as printed on pages, exports and PDFs: '12,5', '−0,83', '—' for a missing value.

One function for every place that prints a score, a severity or a probability, so a page, its CSV and
its procès-verbal never disagree on a digit or a sign.
"""

from __future__ import annotations

MISSING = "—"
MINUS = "\u2212"
"""The typographic minus of printed tables; exports keep the ASCII hyphen that spreadsheets parse."""


def decimal_fr(value: float | None, digits: int = 1, *, typographic_minus: bool = False) -> str:
    """`value` rounded to `digits` decimals with a decimal comma; '—' when there is no value.

    Rounding is Python's (half to even on the binary value), the same everywhere, and a value that
    rounds to zero prints without a sign ('0,0', never '-0,0').
    """
    if value is None:
        return MISSING
    text = f"{value:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    text = text.replace(".", ",")
    if typographic_minus:
        text = text.replace("-", MINUS)
    return text
