"""Standings as CSV and XLSX files, with the same columns as the page.

Spreadsheets execute a cell that starts with `=`, `+`, `-` or `@` (and some also after a tab or a
carriage return) as a formula, so a candidate named `=HYPERLINK(…)` could make an organiser's computer
open a link or leak data. Every *text* cell starting with one of these gets an apostrophe in front.
Numeric cells are written by this module from numbers, never from user input, and stay numbers (a
negative calibrated score must remain a number, not become text).

The CSV is the French spreadsheet dialect: `;` separators, decimal commas and a UTF-8 byte-order mark,
so that a double click opens it correctly in a French Excel or LibreOffice. Both files hold the current
standings as the caller may see them (`standings.standings`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import anyio.to_thread
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jury.access.identity import Identity
from jury.db.queries import Database
from jury.french.numbers import decimal_fr
from jury.results.models import StandingView
from jury.results.standings import standings
from jury.spreadsheet import french_csv, neutralise

COLUMNS = (
    "Jury",
    "Catégorie",
    "Rang calibré",
    "Évolution",
    "Candidat",
    "N° d'inscription",
    "Notes",
    "Moyenne brute",
    "Rang brut",
    "Score calibré",
    "Intervalle bas (2,5 %)",
    "Intervalle haut (97,5 %)",
    "P(qualifié)",
    "Zone limite",
    "Éliminé par (jurés)",
)
DECIMALS = {7: 2, 9: 2, 10: 2, 11: 2, 12: 3}

Cell = str | int | float | None


def rank_change(raw_rank: int | None, rank: int | None) -> str:
    """'↑ 2' when calibration moved the candidate up two places, '↓ 1', 'stable' when unchanged (not
    '=': a spreadsheet would read it as the start of a formula)."""
    if raw_rank is None or rank is None:
        return ""
    moved = raw_rank - rank
    return "stable" if moved == 0 else f"↑ {moved}" if moved > 0 else f"↓ {-moved}"


def rows(standings: Sequence[StandingView]) -> list[list[Cell]]:
    """One row per candidate and standing, typed (numbers stay numbers), text already neutralised."""
    out: list[list[Cell]] = []
    for standing in standings:
        for line in standing.lines:
            out.append(
                [
                    neutralise(standing.panel_name),
                    neutralise(standing.category_name),
                    line.rank,
                    neutralise(rank_change(line.raw_rank, line.rank)),
                    neutralise(line.name),
                    line.entry_number,
                    line.marks,
                    line.raw,
                    line.raw_rank,
                    line.score,
                    line.low,
                    line.high,
                    line.p_top_k,
                    "oui" if line.borderline else "",
                    line.eliminated_by,
                ]
            )
    return out


def to_csv(standings: Sequence[StandingView]) -> bytes:
    return french_csv(
        COLUMNS, ([_csv_cell(i, value) for i, value in enumerate(row)] for row in rows(standings))
    )


def _csv_cell(index: int, value: Cell) -> str:
    if value is None:
        return ""
    if index in DECIMALS and isinstance(value, float):
        return decimal_fr(value, DECIMALS[index])
    return str(value)


def to_xlsx(standings: Sequence[StandingView]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Classement")
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(standings):
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if index in DECIMALS:
                cell.number_format = "0." + "0" * DECIMALS[index]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def standings_csv(db: Database, *, identity: Identity, round_id: int) -> bytes:
    """The round's current standings as the French CSV download."""
    return to_csv(await standings(db, identity=identity, round_id=round_id))


async def standings_xlsx(db: Database, *, identity: Identity, round_id: int) -> bytes:
    """The round's current standings as an XLSX workbook, written in a thread: openpyxl is slow on big
    rounds and would hold the event loop."""
    views = await standings(db, identity=identity, round_id=round_id)
    return await anyio.to_thread.run_sync(to_xlsx, views)
