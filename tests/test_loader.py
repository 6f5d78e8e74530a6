"""The safe YAML loader: positions, duplicate keys, encodings, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcases.records.yamlsource import MAX_BYTES, load_yaml, strings


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


def test_texts_and_problems_are_located(tmp_path: Path) -> None:
    doc, _ = load_yaml(write(tmp_path, "title: 甲\nn: 3\nsteps:\n  - 乙\n  - {name: 丙}\n"), "x.yaml")
    assert doc is not None
    assert list(strings(doc.data)) == [(("title",), "甲"), (("steps", 0), "乙"), (("steps", 1, "name"), "丙")]
    assert str(doc.problem(("steps", 1, "name"), "错")) == "x.yaml:5:12: steps[1].name：错"
    assert str(doc.problem(("steps", 1, "name"), "错", key=True, field="steps")) == "x.yaml:5:6: steps：错"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    doc, problem = load_yaml(write(tmp_path, b"\xef\xbb\xbftitle: \xe6\xb5\x8b\r\nyear: 2022\r\n"))
    assert problem is None and doc is not None
    assert doc.data == {"title": "测", "year": 2022}
    assert doc.marks[("year",)] == (2, 7)


PLAIN = "请删掉它，只写普通文字、数字或日期（文字以“!”开头时请加引号）"
KEY = "字段名必须是普通文字（如 title）；请去掉字段名里的括号、引用或“?”等记号"
INDENT = "格式错误：缩进不对，同一级的字段要左边对齐，下一级比上一级多缩进两个空格；请用空格调整这一行的缩进"
NOT_A_LINE = ("格式错误：这一行既不是“字段: 值”，也不是以“- ”开头的列表项；列表项的“-”后要空一格，"
              "新字段写成“字段: 值”，上一行文字的续行要比字段名多缩进")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n",
         "x.yaml:2:1: 字段“a”写了两次（第一次在第 1 行），后一个会覆盖前一个；请合并成一个，删掉多余的"),
        ("a: !!python/object/apply:os.system ['id']\n", f"x.yaml:1:4: 不支持“!”开头的类型标记 "
         f"!!python/object/apply:os.system；{PLAIN}"),
        ("a: !!binary aGk=\n", f"x.yaml:1:4: 不支持“!”开头的类型标记 !!binary；{PLAIN}"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "x.yaml:3:3: 不支持“<<”合并写法；请把各字段逐一写出来"),
        ("", "x.yaml:1:1: 文件是空的；请用 govcases new 生成骨架后填写，或删掉这个文件"),
        ("a: 1\n---\nb: 2\n",
         "x.yaml:3:1: 一个文件只能写一个案例，这里的“---”之后又开始了一个；请删掉“---”，另一个案例另存一个文件"),
        ("a:\n\t- 1\n", "x.yaml:2:1: 格式错误：这一行用 Tab 键缩进了；请删掉 Tab，改用空格缩进（每级两个空格）"),
        ('a: "open\n', "x.yaml:1:4: 格式错误：这里开始的引号到文件末尾都没有配对的后引号；"
         "请在文字末尾补上同样的引号，或删掉这个引号"),
        ("? [1, 2]\n: x\n", f"x.yaml:1:3: {KEY}"),
        ("=: x\n", f"x.yaml:1:1: {KEY}"),  # '=' is YAML's "value" key tag
        # The slips people make in a text editor, each in plain words with the fix.
        ("summary: 村民说: 很好\n", "x.yaml:1:13: 格式错误：文字里有英文冒号“:”（后面跟着空格），会被当成新的字段；"
         "请改用中文冒号“：”，或给整段文字加上引号"),
        ("title: 标题\n summary: x\n", f"x.yaml:2:2: {INDENT}"),
        ("types: [积分制, 村规民约\nb: 1\n", "x.yaml:1:8: 格式错误：这里开始的“[”没有配对的“]”；请在列表末尾补上“]”；"
         "若“[”是文字的一部分，请给整段文字加上引号"),
        ('a: "引号"后面还有字\n',
         "x.yaml:1:8: 格式错误：引号后面还有文字；引号要把整段文字括起来：请把后引号移到文字末尾，或去掉引号"),
        ("results:\n  - 甲\n  -乙\n", f"x.yaml:3:3: {NOT_A_LINE}"),
        ("title: x\n村民很满意\n", f"x.yaml:2:1: {NOT_A_LINE}"),
        ("a: [1]]\n", "x.yaml:1:7: 格式错误：多了一个“]”；请删掉它，若它是文字的一部分，请给整段文字加上引号"),
        ('a: "C:\\q"\n',
         "x.yaml:1:8: 格式错误：双引号里的反斜杠“\\”有特殊含义；请改用单引号括起这段文字，或写两个反斜杠“\\\\”"),
        ("a: %50\n", "x.yaml:1:4: 格式错误：值不能以“%”开头；请给整段文字加上引号，如 '%……'"),
        ("a: *重点\n",
         "x.yaml:1:4: 格式错误：值不能以“*”开头（YAML 把它当作特殊记号）；请给整段文字加上引号，如 '*……'"),
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
        "x.yaml:1:1: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码），第 1 行有无法识别的字节 0xb1；"
        "请另存为 UTF-8：记事本选“另存为 → 编码：UTF-8”，WPS 选“另存为 → 纯文本 → 编码：UTF-8”"
    )


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc, problem = load_yaml(write(tmp_path, "\n".join(rows) + "\n"), "x.yaml")
    assert doc is None
    assert problem is not None and problem.message == (
        "内容太多（超过 20000 个值），多半是用了会层层展开的“&”“*”引用；请删掉“&”“*”，把内容直接写出来")


def test_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: " + b"x" * (MAX_BYTES + 1))
    doc, problem = load_yaml(path, "x.yaml")
    assert doc is None
    assert str(problem) == (f"x.yaml: 文件太大（{MAX_BYTES + 4} 字节，最多 {MAX_BYTES} 字节）；"
                            "一个案例只需几千字，请检查是否粘贴了整篇原文或图片")


def test_validation_never_rewrites_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfa: 1\r\na: 2\r\n")
    before = path.read_bytes()
    load_yaml(path)
    assert path.read_bytes() == before
