"""The contribution path as an official meets it: cells read as shown, messages in the workbook's own words."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from govcases.cli import main
from govcases.exchange.export import export_workbook
from govcases.exchange.importer import plan_import
from govcases.records.library import load_library

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "project"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with the fixture vocabulary and no cases yet."""
    (tmp_path / "proj" / "cases").mkdir(parents=True)
    shutil.copy(FIXTURE / "cases" / "_taxonomy.yaml", tmp_path / "proj" / "cases" / "_taxonomy.yaml")
    return tmp_path / "proj"


@pytest.fixture(scope="module")
def filled() -> bytes:
    """The fixture project's cases as a filled workbook (what an official would send)."""
    lib = load_library(FIXTURE)
    return export_workbook(lib, list(lib.cases))


def _book(tmp_path: Path, data: bytes, edit, name: str = "报送表.xlsx") -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def _messages(project: Path, book: Path, **kw: bool) -> list[str]:
    _planned, problems = plan_import(project, book, **kw)
    return [str(p) for p in problems]


@pytest.mark.parametrize("command", [["workbook", "-o", "x.xlsx"], ["export"], ["import", "报送表.xlsx"]])
def test_exchange_commands_outside_a_project_say_only_that(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str],
                                                          command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(command) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", (
        f"cases/_taxonomy.yaml: 找不到案例库：{tmp_path.as_posix()} 及其上级目录都没有 cases/_taxonomy.yaml；"
        "请先进入项目目录（含 cases/ 的目录）再运行，或用 --root 指定项目目录\n"))
    assert list(tmp_path.iterdir()) == []
