"""French counts for the assignment messages: one agreement rule for the solver, the service and the page.

0 and 1 take the singular in French; every word of the counted phrase agrees ('3 affectations ajoutées').
"""

from __future__ import annotations


def counted(count: int, words: str) -> str:
    """'1 juré', '0 candidat', '3 affectations ajoutées': the count followed by its agreeing words."""
    if count <= 1:
        return f"{count} {words}"
    return f"{count} " + " ".join(f"{word}s" for word in words.split())
