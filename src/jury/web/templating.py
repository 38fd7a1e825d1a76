"""Jinja setup shared by pages: strict undefined variables, French number and date formats.

The filters only add what a page needs on top of `jury.french`: a dash for a missing value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from jury.french.dates import french_date
from jury.french.money import euros as french_euros
from jury.french.numbers import decimal_fr
from jury.french.ordinal import ordinal_suffix
from jury.labels import label

MISSING = "—"


def euros(amount: int | float | None) -> str:
    """15000 → '15 000 €'; a float prints whole euros, as the pages always did."""
    if amount is None:
        return MISSING
    return french_euros(round(amount) if isinstance(amount, float) else amount)


def date_fr(value: dt.date | None) -> str:
    """'1er mai 2026', an aware datetime dated in Paris."""
    return MISSING if value is None else french_date(value)


def edition_number(number: int) -> Markup:
    """'10<sup>e</sup> édition', '1<sup>re</sup> édition' (édition is feminine)."""
    return Markup("{}<sup>{}</sup> édition").format(number, ordinal_suffix(number, gender="feminine"))


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
    env.filters["edition_number"] = edition_number
    env.filters["decimal_fr"] = decimal_fr
    env.filters["label"] = label
    return env
