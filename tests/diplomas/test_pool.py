"""The process pool: spawned workers, batches in input order, progress, life cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jury.diplomas.pool import DiplomaRenderer

pytestmark = [pytest.mark.pdf, pytest.mark.slow]


@pytest.fixture(scope="module")
async def pool(templates_dir: Path) -> AsyncIterator[DiplomaRenderer]:
    async with DiplomaRenderer(templates_dir, max_workers=2, batch_size=4) as renderer:
        yield renderer


async def test_workers_are_spawned_processes(pool: DiplomaRenderer) -> None:
    stats = await pool.warm_up()
    assert stats, "no worker answered"
    for worker in stats:
        assert worker.pid != os.getpid()
        assert worker.parent_pid == os.getpid()
        assert Path(worker.templates_dir) == pool.templates_dir
    assert pool.executor._mp_context.get_start_method() == "spawn"


async def test_render_one(pool: DiplomaRenderer, make_context, read_pdf) -> None:
    facts = read_pdf(await pool.render(make_context("progress")))
    assert facts.pages == 1
    assert "Subvention accordée : 15 000 €" in facts.text


async def test_batch_of_ten_in_input_order(pool: DiplomaRenderer, make_context, read_pdf) -> None:
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
    pdfs = await pool.render_many(contexts, on_progress=lambda done, total: progress.append((done, total)))
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


async def test_async_progress_callback_and_empty_job(pool: DiplomaRenderer, make_context) -> None:
    seen: list[int] = []

    async def on_progress(done: int, total: int) -> None:
        seen.append(done)

    assert await pool.render_many([], on_progress=on_progress) == []
    pdfs = await pool.render_many([make_context(), make_context("made-in-92")], on_progress=on_progress)
    assert len(pdfs) == 2
    assert seen[-1] == 2


def test_batch_sizes_keep_every_worker_busy(templates_dir: Path) -> None:
    renderer = DiplomaRenderer(templates_dir, max_workers=2, batch_size=24)
    assert renderer.effective_batch_size(10) == 5
    assert renderer.effective_batch_size(1) == 1
    assert renderer.effective_batch_size(5600) == 24
    assert renderer.effective_batch_size(5600, batch_size=50) == 50


async def test_closed_renderer_refuses_work(templates_dir: Path, make_context) -> None:
    renderer = DiplomaRenderer(templates_dir, max_workers=1)
    await renderer.close()
    await renderer.close()
    with pytest.raises(RuntimeError, match="closed"):
        await renderer.render(make_context())


def test_web_process_does_not_load_weasyprint() -> None:
    """Only the workers load WeasyPrint (Pango, GLib, fonts); importing the pool must not."""
    code = "import sys, jury.diplomas.pool; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_missing_templates_fail_at_construction(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        DiplomaRenderer(tmp_path)
