"""Every CSV and XLSX download neutralises text a spreadsheet would evaluate (issue 19).

Imports now refuse such cells, but text reaches the database by other doors too (the API, the forms, the
applications, data from before the rule), so every export must neutralise it (`jury.spreadsheet`). The
exports are found from the application's routes: a new download route fails here until it is listed, with
what it is fetched with. Names of the demo's candidates, jurors and organiser, and the conflict reasons,
are given formula-looking starts; no text cell of any download may start with `=`, `+`, `-` or `@` (numbers
stay numbers: a negative calibrated score is not a formula).
"""

from __future__ import annotations

import csv
import io
import re

import asyncpg
import openpyxl
from litestar.routes import HTTPRoute
from tests.security.conftest import EDITION, ORGANISER, Demo, organiser_client

from jury.app import create_app
from jury.settings import load_settings

FORMULA = ("=", "+", "-", "@")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?(e-?\d+)?$")
EXPORT_TYPES = ("text/csv", "spreadsheetml")


def _export_paths() -> set[str]:
    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    return {
        route.path_format
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if any(kind in str(handler.media_type) for kind in EXPORT_TYPES)
    }


def _urls(demo: Demo) -> dict[str, str]:
    """Each download route, as fetched here (the demo's open round and edition)."""
    return {
        "/organisation/audit.csv": "/organisation/audit.csv",
        "/organisation/rounds/{round_id}/classement.csv": f"/organisation/rounds/{demo.round_id}/classement.csv",
        "/organisation/rounds/{round_id}/classement.xlsx": f"/organisation/rounds/{demo.round_id}/classement.xlsx",
        "/organisation/rounds/{round_id}/suivi.csv": f"/organisation/rounds/{demo.round_id}/suivi.csv",
        "/organisation/editions/{slug}/conflits.csv": f"/organisation/editions/{EDITION}/conflits.csv",
        "/organisation/editions/{slug}/import/modele/{kind}": f"/organisation/editions/{EDITION}/import/modele/jures",
    }


async def _poison(demo: Demo) -> None:
    """Formula-looking starts on the names and reasons the downloads print."""
    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        await conn.execute(
            'update candidates set organisation_name = \'=HYPERLINK("http://exemple.invalid";"\' '
            "|| organisation_name || '\")', person_name = '@' || person_name where edition_id = $1",
            demo.edition_id,
        )
        await conn.execute(
            "update people set full_name = '+' || full_name where id = any($1::int[])", list(demo.people)
        )
        await conn.execute(
            "update people set full_name = '-' || full_name where lower(email) = lower($1)", ORGANISER
        )
        await conn.execute(
            "update conflict_declarations set reason = '=1+1 ' || reason where has_conflict and round_id = $1",
            demo.round_id,
        )
    finally:
        await conn.close()


def _cells(content: bytes, *, xlsx: bool) -> list[object]:
    if xlsx:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return [
            value
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        ]
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _formulas(cells: list[object]) -> list[str]:
    return [
        cell
        for cell in cells
        if isinstance(cell, str) and cell.startswith(FORMULA) and not NUMBER.match(cell.strip())
    ]


async def test_every_download_route_is_checked_here(demo: Demo) -> None:
    assert set(_urls(demo)) == _export_paths()


async def test_no_download_carries_a_formula(demo: Demo) -> None:
    await _poison(demo)
    client = await organiser_client(demo.settings, ORGANISER)
    try:
        # One audited act after the renaming, so the audit trail's actor name starts with « - » too.
        await client.post(
            f"/api/rounds/{demo.round_id}/notes", json={"candidate_id": demo.candidate_id, "text": "@note"}
        )
        neutralised = 0
        for path, url in _urls(demo).items():
            response = await client.get(url)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            cells = _cells(response.content, xlsx=url.endswith(".xlsx"))
            assert _formulas(cells) == [], path
            neutralised += sum(
                1 for c in cells if isinstance(c, str) and c.startswith(("'=", "'+", "'-", "'@"))
            )
        assert neutralised > 20  # the poisoned names were there, and came out neutralised
    finally:
        await client.__aexit__(None, None, None)
