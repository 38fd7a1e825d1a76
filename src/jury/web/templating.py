"""Jinja setup shared by pages: strict undefined variables, French number and date formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

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


def euros(amount: int | float | None) -> str:
    """15000 → '15 000 €' with the narrow no-break space French typography uses."""
    if amount is None:
        return "—"
    return f"{amount:,.0f}".replace(",", NARROW_NBSP) + "\u00a0€"


def date_fr(value: dt.date | None) -> str:
    if value is None:
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["euros"] = euros
    env.filters["date_fr"] = date_fr
    return env
