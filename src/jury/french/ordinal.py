"""French ordinal abbreviations as the Imprimerie nationale writes them.

Only the first rank agrees in gender ("1er prix" but "1re édition"); every other rank takes a bare
"e" ("2e", "10e"), never "ème" nor "ième". The letters are returned as plain text: the diploma
template raises them with CSS (`font-variant-position: super`) so that the PDF's text layer still
reads "10e" for search, copy-paste and our tests.
"""

from __future__ import annotations

from typing import Literal

Gender = Literal["masculine", "feminine"]


def ordinal_suffix(n: int, *, gender: Gender = "masculine") -> str:
    """Return the suffix alone, so a template can style it apart from the number."""
    if isinstance(n, bool) or not isinstance(n, int):
        # bool is an int subclass: True would silently print "1er".
        raise TypeError(f"an ordinal needs an int, not {type(n).__name__}")
    if n < 1:
        raise ValueError(f"French ordinals start at 1, got {n}")
    if n == 1:
        return "re" if gender == "feminine" else "er"
    return "e"


def ordinal(n: int, *, gender: Gender = "masculine") -> str:
    """'1er', '1re', '2e', '10e'."""
    return f"{n}{ordinal_suffix(n, gender=gender)}"


def edition_ordinal(n: int) -> str:
    """'1re édition', '10e édition': édition is feminine."""
    return f"{ordinal(n, gender='feminine')} édition"


def prize_ordinal(place: int) -> str:
    """'1er prix', '2e prix': prix is masculine."""
    return f"{ordinal(place, gender='masculine')} prix"
