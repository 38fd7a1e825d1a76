"""French amounts in euros: '15 000 €', '2 500,50 €'.

Written out by hand rather than through `locale`/Babel: the process locale of a server is rarely
fr_FR, `setlocale` is process-wide (unsafe next to other code), and the rules fit in a few lines.
"""

from __future__ import annotations

from decimal import Decimal

NARROW_NBSP = "\u202f"
"""Thousands separator in French (Imprimerie nationale, CLDR fr)."""
NBSP = "\u00a0"
"""Between an amount and its unit, so '€' never starts a line."""


def group_thousands(n: int) -> str:
    """'15 000' with narrow no-break spaces; French does not group four-digit numbers like '1 500'
    consistently, but public notices do, so we always group for a steady look in tables too."""
    digits = str(abs(n))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return ("-" if n < 0 else "") + NARROW_NBSP.join(reversed(groups))


def euros(amount: int | Decimal) -> str:
    """'15 000 €', or '2 500,50 €' when there are cents: grants are usually whole euros and
    ',00' would look like an invoice. A negative amount keeps its sign, even above -1 €."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    whole = int(abs(value))
    cents = int((abs(value) - whole) * 100)
    text = ("-" if value < 0 else "") + group_thousands(whole)
    if cents:
        text += f",{cents:02d}"
    return f"{text}{NBSP}€"
