"""A stored PDF is found again by the digest of its templates: the digest must follow the files."""

from __future__ import annotations

import os
from pathlib import Path

from jury.templates_digest import templates_digest


def _folder(root: Path) -> Path:
    (root / "logos").mkdir(parents=True)
    (root / "base.html").write_text("<p>Diplôme</p>", encoding="utf-8")
    (root / "logos" / "a.svg").write_bytes(b"<svg/>")
    return root


def test_same_files_give_the_same_digest_in_another_folder(tmp_path: Path) -> None:
    assert templates_digest(_folder(tmp_path / "one")) == templates_digest(_folder(tmp_path / "two"))


def test_an_edited_file_of_the_same_size_changes_the_digest(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "t")
    before = templates_digest(folder)
    target = folder / "base.html"
    stat = target.stat()
    target.write_text("<p>Diplôma</p>", encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert target.stat().st_size == stat.st_size
    assert templates_digest(folder) != before


def test_an_added_logo_changes_the_digest(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "t")
    before = templates_digest(folder)
    (folder / "logos" / "b.png").write_bytes(b"\x89PNG")
    after = templates_digest(folder)
    assert after != before
    (folder / "logos" / "b.png").unlink()
    assert templates_digest(folder) == before
