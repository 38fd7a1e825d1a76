"""A wait as a person reads it in French: « 45 secondes », « 15 minutes »."""

from __future__ import annotations


def wait_in_words(seconds: int) -> str:
    """Whole seconds under a minute, minutes (rounded up) from there: a wait is never said shorter."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
