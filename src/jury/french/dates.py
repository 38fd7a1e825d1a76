"""French dates as printed on pages, minutes and diplomas: '12 décembre 2025', '1er mai 2026'.

Written out by hand rather than through `locale`/Babel: the process locale of a server is rarely
fr_FR, `setlocale` is process-wide (unsafe next to other code), and the one format we need fits in
a few lines.

Instants are dated in Paris, where the contests take place: the database hands back aware datetimes
in UTC, and a revocation at 00:30 in Nanterre is dated that day, not the day before.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jury.french.ordinal import ordinal

PARIS = ZoneInfo("Europe/Paris")

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""Lowercase: French does not capitalise month names."""


def paris_day(instant: dt.datetime) -> dt.date:
    """The calendar day in Paris of an aware instant (a clock's reading, a stored timestamp)."""
    return instant.astimezone(PARIS).date()


def french_date(value: dt.date | dt.datetime) -> str:
    """'12 décembre 2025', '1er mai 2026': months are lowercase and the first day is an ordinal.

    An aware datetime is converted to Paris time first; a naive one is taken as already local.
    """
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(PARIS)
    day_text = ordinal(1) if value.day == 1 else str(value.day)
    return f"{day_text} {MONTHS[value.month - 1]} {value.year}"
