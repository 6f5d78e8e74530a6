"""Validation messages, as a person sees them from `govcases validate`: exact text and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, assert_golden

from govcases.cli import main

BAD = FIXTURES / "bad"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # messages show paths relative to the working directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_every_problem_in_every_file_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate")
    assert code == 1
    assert_golden("validate_bad.txt", out)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("syntax-error", [
            "tests/fixtures/bad/cases/syntax-error.yaml:1:8: YAML syntax error: a quoted scalar is never closed"]),
        ("missing-field", ["tests/fixtures/bad/cases/missing-field.yaml:1:1: summary: missing required field"]),
        ("wrong-type", [
            "tests/fixtures/bad/cases/wrong-type.yaml:14:10: results: expected a list, got '一条成效'",
            "tests/fixtures/bad/cases/wrong-type.yaml:17:12: figures[0].value: expected a number, got '约978'",
        ]),
        ("unknown-field", [
            "tests/fixtures/bad/cases/unknown-field.yaml:1:1: summary: missing required field",
            "tests/fixtures/bad/cases/unknown-field.yaml:9:1: sumary: unknown field 'sumary'; did you mean 'summary'?",
        ]),
        ("duplicate-key", [
            "tests/fixtures/bad/cases/duplicate-key.yaml:11:1: duplicate key 'summary' (first at line 9); "
            "the later value would be lost"]),
    ],
)
def test_single_file_messages(capsys: pytest.CaptureFixture[str], name: str, expected: list[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate", f"tests/fixtures/bad/cases/{name}.yaml")
    assert code == 1
    assert out.splitlines() == [*expected, f"校验失败：{len(expected)} 个错误，涉及 1 个文件"]


def test_unknown_practice_type_lists_the_allowed_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate", "tests/fixtures/bad/cases/unknown-type.yaml")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        "tests/fixtures/bad/cases/unknown-type.yaml:7:23: practice_types[1]: unknown practice type '积分超市'; "
        "did you mean '积分制'?; allowed: points（积分制）, village-rules（村规民约）, grid（网格化管理）"
    )


def test_good_files_pass_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate",
                    "tests/fixtures/bad/cases/ok-case.yaml", "tests/fixtures/bad/cases/bom-crlf.yaml")
    assert (code, out) == (0, "校验通过：2 个案例，没有错误。\n")


def test_duplicate_ids_across_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "ok-case.yaml").write_bytes((BAD / "cases" / "ok-case.yaml").read_bytes())
    code, out = run(capsys, "--root", str(BAD), "validate", "tests/fixtures/bad/cases/ok-case.yaml",
                    str(tmp_path / "ok-case.yaml"))
    assert code == 1
    assert "duplicate case id 'ok-case' (also tests/fixtures/bad/cases/ok-case.yaml)" in out


def test_missing_path_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate", "no/such.yaml")
    assert (code, out) == (1, "no/such.yaml: no such file or folder\n校验失败：1 个错误，涉及 1 个文件\n")


def test_the_real_project_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "validate")
    assert code == 0, out
    assert out.startswith("校验通过：")


def test_validation_never_rewrites_records(capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (BAD / "cases").iterdir()}
    run(capsys, "--root", str(BAD), "validate")
    assert {p: p.read_bytes() for p in (BAD / "cases").iterdir()} == before
