"""How many failed sign-ins a credential and a browser session may have, and how long to wait after.

A venue puts every tablet behind one address, so limiting by address alone locks a jury out after a few
typing mistakes (issue 17). Failures are counted instead against what was tried: the credential (an access
code, an e-mail address) and the browser session that tried it; the address keeps only a generous ceiling
(Litestar's throttle, `JURY_SIGN_IN_ATTEMPTS_PER_MINUTE`). Pure rules: the service reads and writes the
failures, these functions name their keys and decide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping, Sequence

import msgspec


class SignInLimits(msgspec.Struct, frozen=True, kw_only=True):
    per_credential: int = 5
    """Failed attempts one access code or e-mail address may have within the window."""
    per_session: int = 10
    """Failed attempts one browser session (one tablet) may have within the window, whatever it typed."""
    window_seconds: int = 15 * 60
    """How long a failure counts; a refused attempt waits until enough failures have left the window."""


def code_key(code_hash: str) -> str:
    """The key of an access code: the code's hash as stored (never the code itself)."""
    return f"code:{code_hash}"


def email_key(email: str) -> str:
    """The key of an e-mail address, as organisers sign in (case and surrounding spaces ignored)."""
    return "email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def session_key(token: str) -> str:
    return f"session:{token}"


def wait_seconds(
    failures: Mapping[str, Sequence[dt.datetime]], *, limits: SignInLimits, now: dt.datetime
) -> int | None:
    """None when an attempt may go on; otherwise the whole seconds until every key is under its limit,
    that is until the failure that keeps a key at its limit leaves the window (at least one second)."""
    window = dt.timedelta(seconds=limits.window_seconds)
    waits = []
    for key, times in failures.items():
        limit = limits.per_session if key.startswith("session:") else limits.per_credential
        if len(times) >= limit:
            leaving = sorted(times)[len(times) - limit]
            waits.append(max(1, math.ceil((leaving + window - now).total_seconds())))
    return max(waits) if waits else None
