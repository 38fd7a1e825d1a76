"""Building upload files in memory, the way Excel and LibreOffice write them, and reading back counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl
from httpx import Response
from litestar.testing import AsyncTestClient

from jury.db.queries import Database


def csv_bytes(
    rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> bytes:
    """Excel's "CSV UTF-8 (délimité par des points-virgules)" by default: BOM, semicolons, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, title: str = "Feuil1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def count_rows(db: Database, table: str) -> int:
    assert table in {"candidates", "people", "panel_members", "audit_events"}
    return await db.conn.fetchval(f"select count(*) from {table}")


async def post_file(
    client: AsyncTestClient, *, edition: str, kind: str, name: str, content: bytes, dry_run: bool = False
) -> Response:
    path = f"/api/editions/{edition}/imports/{kind}" + ("?dry_run=true" if dry_run else "")
    return await client.post(path, files={"file": (name, content)})
