"""Who is making a request, as stored in the server-side session."""

from __future__ import annotations

from typing import Literal

import msgspec

Kind = Literal["organiser", "juror"]


class Identity(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    name: str
    kind: Kind
    is_admin: bool = False
    # A juror's tablet is signed in for one edition only (the code on their card).
    edition_id: int | None = None

    def to_session(self) -> dict:
        return msgspec.to_builtins(self)

    @classmethod
    def from_session(cls, data: dict | None) -> Identity | None:
        if not data or "person_id" not in data:
            return None
        try:
            return msgspec.convert(data, cls)
        except msgspec.ValidationError:
            return None
