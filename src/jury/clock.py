"""The one place that reads the real clock.

Rules (retention periods, link expiry, decision dates, audit stamps) take the time from their caller, so a
test can pin it and a rule can never mix a fixed "now" with the real one. Entry points (the app factory, the
CLI, the job worker) choose the clock; everything below them receives it, usually through `Database.now()`.
`tests/test_clock.py` fails when a module other than this one reads the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""Returns the current instant, timezone-aware."""


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock stopped at `at` (timezone-aware), for tests and reproducible runs."""
    if at.tzinfo is None:
        raise ValueError("a fixed clock needs a timezone-aware instant")

    def clock() -> dt.datetime:
        return at

    return clock
