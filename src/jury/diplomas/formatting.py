"""French dates and amounts as printed on a diploma.

Written out by hand rather than through `locale`/Babel: the process locale of a server is rarely
fr_FR, `setlocale` is process-wide (unsafe next to other code), and a diploma needs exactly two
formats whose rules fit in a few lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jury.diplomas.ordinal import ordinal

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

NARROW_NBSP = "\u202f"
"""Thousands separator in French (Imprimerie nationale, CLDR fr)."""
NBSP = "\u00a0"
"""Between an amount and its unit, so '€' never starts a line."""


def french_date(day: dt.date) -> str:
    """'12 décembre 2025', '1er mai 2026': months are lowercase and the first day is an ordinal."""
    day_text = ordinal(1) if day.day == 1 else str(day.day)
    return f"{day_text} {MONTHS[day.month - 1]} {day.year}"


def group_thousands(n: int) -> str:
    """'15 000' with narrow no-break spaces; French does not group four-digit numbers' like '1 500'
    consistently, but public notices do, so we always group for a steady look in tables too."""
    digits = str(abs(n))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return ("-" if n < 0 else "") + NARROW_NBSP.join(reversed(groups))


def format_euros(amount: int | Decimal) -> str:
    """'15 000 €', or '2 500,50 €' when there are cents: grants are usually whole euros and
    ',00' would look like an invoice."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    whole = int(value)
    cents = abs(int((value - whole) * 100))
    text = group_thousands(whole)
    if cents:
        text += f",{cents:02d}"
    return f"{text}{NBSP}€"
