"""Errors raised by services, turned into clear answers by the web layer.

Services never import Litestar; they raise these, and `jury.web.errors` maps them to a JSON body or a
French page. Messages are in French because they reach organisers and jurors as they are.
"""

from __future__ import annotations

import msgspec

from jury.french.durations import wait_in_words


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    message: str
    line: int | None = None
    link: str | None = None  # the page that fixes it, when there is one


class JuryError(Exception):
    status_code = 400

    def __init__(self, message: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class Invalid(JuryError):
    status_code = 422


class NotFound(JuryError):
    status_code = 404


class Forbidden(JuryError):
    status_code = 403


class Conflict(JuryError):
    status_code = 409


class Throttled(JuryError):
    """Too many attempts: answered 429 with `Retry-After` (whole seconds) and the wait in the message."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    @classmethod
    def sign_in(cls, retry_after: int) -> Throttled:
        """Too many sign-in attempts (a credential, a session, an address): the wait said in words."""
        return cls(
            f"Trop de tentatives de connexion : réessayez dans {wait_in_words(retry_after)}.",
            retry_after=retry_after,
        )
