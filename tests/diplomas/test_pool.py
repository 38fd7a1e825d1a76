"""The shared PDF pool as diplomas use it: spawned processes, batches in input order, progress, life
cycle, a dead render process, and a procès-verbal rendered by the same processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pypdf
import pytest

from jury.deliberation.minutes.render import MinutesContext, render_minutes
from jury.diplomas.printing import render_diploma, render_diplomas
from jury.pdf.pool import PdfPool

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


@pytest.fixture(scope="module")
async def pool(templates_root: Path) -> AsyncIterator[PdfPool]:
    async with PdfPool(templates_root, max_workers=2, batch_size=4) as pool:
        yield pool


async def test_workers_are_spawned_processes(pool: PdfPool) -> None:
    stats = await pool.warm_up()
    assert stats, "no worker answered"
    for worker in stats:
        assert worker.pid != os.getpid()
        assert worker.parent_pid == os.getpid()
        assert Path(worker.templates_dir) == pool.templates_dir
    assert pool.executor._mp_context.get_start_method() == "spawn"


async def test_render_one(pool: PdfPool, make_context, read_pdf) -> None:
    facts = read_pdf(await render_diploma(pool, make_context("progress")))
    assert facts.pages == 1
    assert "Subvention accordée : 15 000 €" in facts.text


async def test_batch_of_ten_in_input_order(pool: PdfPool, make_context, read_pdf) -> None:
    contests = ["gateau-des-hauts-de-seine", "made-in-92", "progress"]
    contexts = [
        make_context(
            contests[i % 3],
            verification_code=f"ORDR-{i:04d}",
            laureate_person=f"Lauréate NUMÉRO {i}",
            laureate_organisation=f"Maison numéro {i}",
        )
        for i in range(10)
    ]
    progress: list[tuple[int, int]] = []
    pdfs = await render_diplomas(
        pool, contexts, on_progress=lambda done, total: progress.append((done, total))
    )
    assert len(pdfs) == 10
    for i, pdf in enumerate(pdfs):
        facts = read_pdf(pdf)
        assert facts.pages == 1
        assert f"ORDR-{i:04d}" in facts.text
        assert f"Lauréate NUMÉRO {i}" in facts.text
        assert f"Maison numéro {i}" in facts.text
        assert f"ORDR-{(i + 1) % 10:04d}" not in facts.text
    # Batches of at most 4 (three of them), progress only grows and ends at the total.
    assert [total for _, total in progress] == [10] * len(progress)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert progress[-1] == (10, 10)
    assert len(progress) == 3


async def test_async_progress_callback_and_empty_job(pool: PdfPool, make_context) -> None:
    seen: list[int] = []

    async def on_progress(done: int, total: int) -> None:
        seen.append(done)

    assert await render_diplomas(pool, [], on_progress=on_progress) == []
    pdfs = await render_diplomas(pool, [make_context(), make_context("made-in-92")], on_progress=on_progress)
    assert len(pdfs) == 2
    assert seen[-1] == 2


async def test_a_proces_verbal_is_rendered_by_the_same_processes(pool: PdfPool, make_context) -> None:
    """One pool for every document: a diploma and a procès-verbal side by side."""
    context = MinutesContext(
        title="Procès-verbal — Essai",
        contest="Concours Made in 92",
        edition="9e édition (2024)",
        round="Demi-finale",
        rule="Les 3 premiers de chaque section",
        panel="Nord",
        venue="Nanterre",
        date="28 novembre 2024",
        generated="28 novembre 2024 à 18\u00a0h\u00a030",
        provisional=False,
        blind=False,
        members=[],
        chair="Nadia Présidente",
        conflicts=[],
        standings=[],
        ballots=[],
        decisions=[],
        grants=None,
        omitted="",
    )
    minutes, diploma = await render_minutes(pool, context), await render_diploma(pool, make_context())
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(minutes)).pages)
    assert "Nadia Présidente" in text
    assert diploma.startswith(b"%PDF-")


def test_batch_sizes_keep_every_worker_busy(templates_root: Path) -> None:
    pool = PdfPool(templates_root, max_workers=2, batch_size=24)
    assert pool.effective_batch_size(10) == 5
    assert pool.effective_batch_size(1) == 1
    assert pool.effective_batch_size(5600) == 24
    assert pool.effective_batch_size(5600, batch_size=50) == 50


async def test_a_dead_render_process_fails_its_call_and_the_next_call_gets_a_new_pool(
    templates_root: Path, make_context, read_pdf
) -> None:
    async with PdfPool(templates_root, max_workers=1) as pool:
        [worker] = await pool.warm_up()
        broken = pool.executor
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            await render_diploma(pool, make_context())
        facts = read_pdf(await render_diploma(pool, make_context()))
        assert facts.pages == 1
        assert pool.executor is not broken


async def test_closed_pool_refuses_work(templates_root: Path, make_context) -> None:
    pool = PdfPool(templates_root, max_workers=1)
    await pool.close()
    await pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        await render_diploma(pool, make_context())


def test_web_process_does_not_load_weasyprint() -> None:
    """Only the render processes load WeasyPrint (Pango, GLib, fonts); importing the pool and the
    documents' fronts must not."""
    code = (
        "import sys, jury.pdf.pool, jury.diplomas.printing, jury.deliberation.minutes.render; "
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_missing_templates_fail_at_construction(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        PdfPool(tmp_path, max_workers=1)
