"""The command line as a script sees it: help everywhere, `new` never overwrites, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from govcases.cli import main


def govcases(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govcases.cli", *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("command", [[], ["validate"], ["new"], ["schema"], ["search"]])
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = govcases(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage: govcases" in result.stdout


def test_no_command_prints_help_and_exits_2(tmp_path: Path) -> None:
    result = govcases(cwd=tmp_path)
    assert result.returncode == 2 and "validate" in result.stdout


def test_new_writes_a_skeleton_and_refuses_to_overwrite(project: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert main(["new", "sichuan-test-case"]) == 0
    path = project / "cases" / "sichuan-test-case.yaml"
    skeleton = path.read_text(encoding="utf-8")
    assert skeleton.startswith("# 案例记录：sichuan-test-case")
    path.write_text("changed", encoding="utf-8")
    assert main(["new", "sichuan-test-case"]) == 1
    assert path.read_text(encoding="utf-8") == "changed"
    assert "已存在" in capsys.readouterr().err
    assert main(["new", "Bad Id"]) == 2


def test_skeleton_is_a_starting_point_that_validation_explains(project: Path,
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    main(["new", "sichuan-test-case"])
    capsys.readouterr()
    # The skeleton parses; what is left to do is reported field by field, not as a crash.
    assert main(["validate", "cases/sichuan-test-case.yaml"]) == 1
    out = capsys.readouterr().out
    assert "Traceback" not in out and out.strip().splitlines()[-1].startswith("校验失败：")


def test_schema_agrees_with_validation(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    monkeypatch.chdir(FIXTURES / "project")
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema)

    def load(path: Path) -> object:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        for source in data.get("sources", []) if isinstance(data, dict) else []:
            if hasattr(source.get("date"), "isoformat"):
                source["date"] = source["date"].isoformat()
        return data

    for path in (FIXTURES / "project" / "cases").glob("[a-z]*.yaml"):
        assert list(validator.iter_errors(load(path))) == [], path
    for name in ("wrong-type", "unknown-field", "missing-field", "unknown-type", "unknown-vocab"):
        assert list(validator.iter_errors(load(FIXTURES / "bad" / "cases" / f"{name}.yaml"))), name
