"""What runs inside a render process of `jury.pdf.pool.PdfPool`: the templates folder it was started with
and, per kind of document, one renderer built on the first document of that kind.

A renderer (Jinja environment, fonts, stylesheet, URL fetcher) costs far more to set up than a page, so it
is built once per process and reused; a kind of document nobody prints in a process is never set up there.
This module imports neither WeasyPrint nor any document: the documents' own modules do, in the process.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_templates_dir: Path | None = None
_renderers: dict[Callable[[Path], Any], Any] = {}


@dataclasses.dataclass(frozen=True, slots=True)
class ProcessStats:
    """What a render process says about itself: the pool's warm-up and its tests check it is a child."""

    pid: int
    parent_pid: int
    templates_dir: str


def init_process(templates_dir: str) -> None:
    """The pool's initializer: remember where the templates are; renderers are built on first use."""
    global _templates_dir
    _templates_dir = Path(templates_dir)
    _renderers.clear()


def templates_dir() -> Path:
    if _templates_dir is None:
        raise RuntimeError("not a render process of jury.pdf.pool: init_process() was not called")
    return _templates_dir


def renderer(build: Callable[[Path], T]) -> T:
    """This process's renderer made by `build(templates_dir)`, built on its first call only."""
    if build not in _renderers:
        _renderers[build] = build(templates_dir())
    return _renderers[build]


def describe() -> ProcessStats:
    return ProcessStats(pid=os.getpid(), parent_pid=os.getppid(), templates_dir=str(templates_dir()))
