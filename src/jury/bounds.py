"""Numeric bounds for request types, refused by msgspec (422) and shown in the OpenAPI schema alike.

Litestar 2 leaves a bound of 0 out of the schema of an optional field (it tests the bound's truth, not its
presence: `int | None` with `ge=0` was documented without its minimum). `bounded` also puts such a bound in
the metadata Litestar copies as it is (`extra_json_schema["extra"]`), so the contract says what is checked.
"""

from __future__ import annotations

import msgspec

_SCHEMA_KEYS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}


def bounded(
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
) -> msgspec.Meta:
    """`msgspec.Meta` with these bounds; zero-valued ones repeated for Litestar's schema."""
    bounds = {"ge": ge, "gt": gt, "le": le, "lt": lt}
    zeros = {_SCHEMA_KEYS[name]: 0 for name, value in bounds.items() if value == 0}
    extra = {"extra": zeros} if zeros else None
    return msgspec.Meta(**{k: v for k, v in bounds.items() if v is not None}, extra_json_schema=extra)
