"""The safe YAML loader: positions, duplicate keys, encodings, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcases.records.yamlsource import MAX_BYTES, load_yaml


def write(tmp_path: Path, text: str | bytes, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_marks_point_at_values_and_keys(tmp_path: Path) -> None:
    doc, problem = load_yaml(write(tmp_path, "a: 1\nfigures:\n  - value: 978\n    unit: 户\n"), "x.yaml")
    assert problem is None and doc is not None
    assert doc.data == {"a": 1, "figures": [{"value": 978, "unit": "户"}]}
    assert doc.marks[("figures", 0, "value")] == (3, 12)
    assert doc.key_marks[("figures", 0, "unit")] == (4, 5)
    # a missing field points at the mapping that should hold it
    assert doc.where(("figures", 0, "label")) == (3, 5)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    doc, problem = load_yaml(write(tmp_path, b"\xef\xbb\xbftitle: \xe6\xb5\x8b\r\nyear: 2022\r\n"))
    assert problem is None and doc is not None
    assert doc.data == {"title": "测", "year": 2022}
    assert doc.marks[("year",)] == (2, 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "x.yaml:2:1: duplicate key 'a' (first at line 1); the later value would be lost"),
        ("a: !!python/object/apply:os.system ['id']\n",
         "x.yaml:1:4: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
        ("a: !!binary aGk=\n", "x.yaml:1:4: YAML tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "x.yaml:3:3: merge keys ('<<') are not allowed; write the fields out"),
        ("", "x.yaml:1:1: file is empty; expected a mapping of fields"),
        ("a: 1\n---\nb: 2\n", "x.yaml:3:1: more than one YAML document ('---')"),
        ("a:\n\t- 1\n", "x.yaml:2:1: YAML syntax error: a tab character; indent with spaces"),
        ('a: "open\n', "x.yaml:1:4: YAML syntax error: a quoted scalar is never closed"),
        ("? [1, 2]\n: x\n", "x.yaml:1:3: a mapping key must be plain text"),
        ("=: x\n", "x.yaml:1:1: a mapping key must be plain text"),  # '=' is YAML's "value" key tag
        ("date: 2022-13-40\n",
         "x.yaml:1:7: 日期 '2022-13-40' 不存在；请写真实的日期 YYYY-MM-DD（只知年月时写 YYYY-MM）；"
         "若本来是文字，请加上引号"),
    ],
)
def test_refusals_are_located(tmp_path: Path, text: str, message: str) -> None:
    doc, problem = load_yaml(write(tmp_path, text), "x.yaml")
    assert doc is None
    assert str(problem) == message


def test_gbk_file_says_how_to_fix(tmp_path: Path) -> None:
    _, problem = load_yaml(write(tmp_path, "标题: 测试\n".encode("gb18030")), "x.yaml")
    assert str(problem) == (
        "x.yaml:1:1: file is not valid UTF-8 (byte 0xb1); it looks like GBK/GB18030: "
        "re-save it as UTF-8 (e.g. in Notepad: Save As → Encoding: UTF-8)"
    )


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc, problem = load_yaml(write(tmp_path, "\n".join(rows) + "\n"), "x.yaml")
    assert doc is None
    assert problem is not None and "aliases that expand are refused" in problem.message


def test_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: " + b"x" * (MAX_BYTES + 1))
    doc, problem = load_yaml(path, "x.yaml")
    assert doc is None
    assert str(problem) == f"x.yaml: file is too large ({MAX_BYTES + 4} bytes; at most {MAX_BYTES})"


def test_validation_never_rewrites_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfa: 1\r\na: 2\r\n")
    before = path.read_bytes()
    load_yaml(path)
    assert path.read_bytes() == before
