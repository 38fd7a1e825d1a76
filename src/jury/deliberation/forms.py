"""Reading the deliberation pages' form fields: ids and amounts typed or ticked by people.

A malformed number answers 422 naming the field, like the JSON API, instead of a server error.
"""

from __future__ import annotations

from collections.abc import Iterable

from jury.errors import Invalid


def ints(values: Iterable[str], *, what: str) -> list[int]:
    """The non-empty values as integers; `what` names the field in the refusal."""
    try:
        return [int(v) for v in values if v.strip()]
    except ValueError:
        raise Invalid(f"{what} : valeur non numérique.") from None


def one_int(value: str, *, what: str) -> int | None:
    """A single optional id (an empty field is None)."""
    found = ints([value], what=what)
    return found[0] if found else None
