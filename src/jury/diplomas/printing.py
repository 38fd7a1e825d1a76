"""Diplomas on the shared PDF pool (`jury.pdf.pool`): what the web process and the jobs call.

A large job is cut into batches (one multi-page document each; measured 1.3–1.5× cheaper per diploma
than one document each) by `PdfPool.run_batches`. This module does not import WeasyPrint: the web
process never loads Pango/GLib, only the render processes do, through the small trampolines at the
bottom, which import `render` inside the render process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jury.diplomas.models import DiplomaContext
from jury.pdf.pool import BatchCallback, PdfPool, ProgressCallback

if TYPE_CHECKING:
    from jury.diplomas.render import RenderStats


async def render_diploma(pool: PdfPool, ctx: DiplomaContext) -> bytes:
    """One diploma, e.g. for a laureate's download link."""
    return await pool.run(_render_one, ctx)


async def render_diplomas(
    pool: PdfPool,
    contexts: Sequence[DiplomaContext],
    *,
    batch_size: int | None = None,
    on_batch: BatchCallback | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[bytes]:
    """Many diplomas, one PDF each, in the order of `contexts`, rendered in batches (see `run_batches`)."""
    return await pool.run_batches(
        _render_batch, contexts, batch_size=batch_size, on_batch=on_batch, on_progress=on_progress
    )


async def describe(pool: PdfPool) -> RenderStats:
    """What one render process's diploma renderer runs (WeasyPrint version, HarfBuzz subsetting)."""
    return await pool.run(_describe)


# ---------------------------------------------------------------- run in the render processes


def _render_one(ctx: DiplomaContext) -> bytes:
    from jury.diplomas import render

    return render.render_one(ctx)


def _render_batch(contexts: list[DiplomaContext]) -> list[bytes]:
    from jury.diplomas import render

    return render.render_batch(contexts)


def _describe() -> RenderStats:
    from jury.diplomas import render

    return render.describe()
