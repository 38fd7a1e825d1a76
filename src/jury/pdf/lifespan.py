"""The web app's PDF pool: one per process, on `app.state.pdf`, for downloads and (when `jury serve`
consumes jobs itself) the jobs; its processes start on first use and stop with the app."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar

from jury.pdf.pool import PdfPool


@asynccontextmanager
async def pdf_lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    app.state.pdf = PdfPool.for_settings(app.state.settings)
    try:
        yield
    finally:
        await app.state.pdf.close()
