"""Alphabetical order as a French reader expects it: « Élodie » between « Denis » and « Fabrice », not
after « Yannick » (where a byte-wise or C-locale sort, PostgreSQL's default here, puts it).

Accents and case are set aside for the comparison (Unicode NFD, combining marks dropped, case folded),
then break ties so that the order is total and stable; œ and æ compare as oe and ae. No ICU needed.
"""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def sort_key(text: str) -> tuple[str, str]:
    """A key for `sorted` giving French dictionary order of names and labels."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LIGATURES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.casefold(), text
