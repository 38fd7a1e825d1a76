"""`jury diplomas --edition SLUG --out DIR`: one PDF per diploma, issued first when needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from jury.db.queries import Database
from jury.demo.loader import load_demo

JURY = [sys.executable, "-m", "jury"]


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "JURY_DATA_DIR": str(data_dir),
        "JURY_LOG_FORMAT": "json",
        "JURY_RENDER_WORKERS": "1",
    }


@pytest.mark.pdf
@pytest.mark.slow
async def test_writes_one_single_page_pdf_per_diploma(
    database_url: str, db: Database, tmp_path: Path
) -> None:
    await load_demo(db)
    out = tmp_path / "out"
    result = subprocess.run(
        [*JURY, "diplomas", "--edition", "gateau-des-hauts-de-seine-2023", "--out", str(out)],
        env=_env(database_url, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "3 diplôme(s) écrit(s)" in result.stdout
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3
    for path in pdfs:
        assert len(pypdf.PdfReader(path).pages) == 1
    assert await db.conn.fetchval("select count(*) from diplomas") == 3
    assert len(list((tmp_path / "data" / "storage" / "diplomas").glob("*.pdf"))) == 3


async def test_unknown_edition_fails_in_french(database_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [*JURY, "diplomas", "--edition", "pas-une-edition", "--out", str(tmp_path / "out")],
        env=_env(database_url, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Édition inconnue : pas-une-edition" in result.stderr
    assert not (tmp_path / "out").exists()
