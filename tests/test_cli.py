"""The command line as a script sees it: help everywhere, `new` never overwrites, exit codes."""

from __future__ import annotations

import json
import re
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
    assert result.stdout.startswith("用法：govcases")
    assert "显示本帮助并退出" in result.stdout and "选项" in result.stdout
    assert not ENGLISH.search(result.stdout), result.stdout


# Words of argparse's and our own former English messages; none may reach a person.
ENGLISH = re.compile(r"\b(usage|options|positional|arguments?|show this|error|expected|got|unknown|missing|"
                     r"allowed|did you mean|invalid|choose from|required|not allowed|is not)\b", re.IGNORECASE)


@pytest.mark.parametrize(("argv", "message"), [
    (["bogus"], "govcases：错误：没有“bogus”这个命令；可用的命令：validate、new、schema、search、workbook、import、export"),
    (["new"], "govcases new：错误：缺少参数 id；请在命令后面写上它"),
    (["validate", "--foo"], "govcases：错误：不认识的参数 --foo；请检查拼写，或把它移到正确的命令后面"),
    (["--root"], "govcases：错误：--root 后面要写一个值"),
    (["search", "--limit", "x", "积分"], "govcases search：错误：--limit：应为正整数，而不是“x”"),
    (["search", "--limit"], "govcases search：错误：--limit 后面要写一个值"),
    (["search", "--l", "村", "积分"], "govcases search：错误：选项 --l 不明确，可能是 --level、--limit；请写全"),
])
def test_usage_errors_are_chinese(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    lines = err.splitlines()
    assert lines[0].startswith("用法：govcases")
    assert lines[-2:] == [message, f"（运行 {message.split('：')[0]} --help 查看用法）"]
    assert not ENGLISH.search(err), err


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
    assert not ENGLISH.search(out), out


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
