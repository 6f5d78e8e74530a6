"""`atomic_write`: a file is replaced whole or not at all, and no temporary file is left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcases.cache import atomic_write


def test_bytes_replace_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "file.json"
    atomic_write(path, b"first")
    atomic_write(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["file.json"]


def test_a_writer_function_gets_a_temporary_path_beside_the_file(tmp_path: Path) -> None:
    seen: list[Path] = []

    def fill(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("made", encoding="utf-8")

    atomic_write(tmp_path / "index.sqlite", fill)
    assert (tmp_path / "index.sqlite").read_text(encoding="utf-8") == "made"
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".index.sqlite.")
    assert [p.name for p in tmp_path.iterdir()] == ["index.sqlite"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("old", encoding="utf-8")

    def fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
