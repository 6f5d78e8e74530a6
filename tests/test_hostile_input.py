"""Broken and hostile input: values no record may hold, ids that would drop pages, and every file-system state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from govcases.cli import main
from govcases.records.errors import Problem
from govcases.records.library import collect
from govcases.records.load import check_file_id, check_placeholders
from govcases.records.yamlsource import load_yaml

ANJIA = "cases/sichuan-luojiang-anjia-points.yaml"


def value_line(proj: Path) -> int:
    """The line of the first figure's value in the Anjia record (the fixture changes as the schema grows)."""
    return (proj / ANJIA).read_text("utf-8").splitlines().index("    value: 978") + 1
NOT_DECIMAL = ("不是普通的十进制数字（YAML 会把它读成 {}）；请直接写十进制数字，不要用前导 0、0x、下划线或冒号；"
               "若本来是文字，请加上引号")
TOO_BIG = "太大（最多 15 位）；请换用更大的单位，如 万元、亿元"
NO_DATE = "不存在；请写真实的日期 YYYY-MM-DD（只知年月时写 YYYY-MM）"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a: "x\\x01y"\n', "x.yaml:1:4: a：含有不可见的控制字符 \\x01（多来自复制粘贴）；请删除它"),
        ('t: "\\e[2J\\e[32m校验通过"\n', "x.yaml:1:4: t：含有不可见的控制字符 \\x1b（多来自复制粘贴）；请删除它"),
        ('a: "\\u202e"\n', "x.yaml:1:4: a：含有不可见的控制字符 \\u202e（多来自复制粘贴）；请删除它"),
        ('"k\\x07": 1\n', "x.yaml:1:1: 字段名含有不可见的控制字符 \\x07；请删除它"),
        ("a: .nan\n", "x.yaml:1:4: a：'.nan' 不是一个数值（.nan/.inf）；请写来源中的数字"),
        ("a: -.inf\n", "x.yaml:1:4: a：'-.inf' 不是一个数值（.nan/.inf）；请写来源中的数字"),
        ("a: " + "9" * 310 + "\n", f"x.yaml:1:4: a：数字 99999999999999999999… {TOO_BIG}"),
        ("a: 1000000000000000\n", f"x.yaml:1:4: a：数字 1000000000000000 {TOO_BIG}"),
        ("a: 010\n", "x.yaml:1:4: a：'010' " + NOT_DECIMAL.format(8)),
        ("a: 0x1F\n", "x.yaml:1:4: a：'0x1F' " + NOT_DECIMAL.format(31)),
        ("a: 1:30\n", "x.yaml:1:4: a：'1:30' " + NOT_DECIMAL.format(90)),
        ("a: 1_000\n", "x.yaml:1:4: a：'1_000' " + NOT_DECIMAL.format(1000)),
        ('a: "2022-02-30"\n', f"x.yaml:1:4: a：日期 '2022-02-30' {NO_DATE}"),
        ("a: '2022-13'\n", f"x.yaml:1:4: a：日期 '2022-13' {NO_DATE}"),
    ],
)
def test_values_no_record_may_hold(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    doc, problem = load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert problem is None and doc is not None
    assert [str(p) for p in doc.problems] == [message]


def test_plain_values_pass(tmp_path: Path) -> None:
    text = 'a: 1.5\nb: -0.25\nc: 0\nd: 2022-02-28\ne: "2022-02"\nf: "一行\\n两行\\t制表"\ng: 999999999999999\n'
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    doc, problem = load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert problem is None and doc is not None and doc.problems == []


def test_raw_control_character_is_located(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes("a: 1\nb: 标题\x01\n".encode())
    _, problem = load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert str(problem) == "x.yaml:2:6: 含有不可见的控制字符 \\x01（多来自复制粘贴）；请删除它"


def test_number_in_another_notation_asks_for_decimal(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = value_line(proj)
    edit(proj / ANJIA, "value: 978", "value: 0o17")
    code, out, _ = run(capsys, "validate", ANJIA)
    assert code == 1
    assert out.splitlines()[0] == (f"{ANJIA}:{line}:12: figures[0].value：“0o17”不是普通的十进制数字；"
                                   "请直接写十进制数字，不要用 0x、0o、0b 前缀、下划线或冒号")


def test_huge_number_in_written_text(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = value_line(proj)
    edit(proj / ANJIA, "    value: 978\n", "    written: " + "9" * 310 + "户\n")
    assert run(capsys, "validate", ANJIA)[:2] == (1, (
        f"{ANJIA}:{line - 1}:5: figures[0]：written 里的数字太大（最多 15 位）；请换用更大的单位，如 万元、亿元\n"
        "校验失败：1 个错误，涉及 1 个文件\n"))


def test_terminal_sees_no_control_characters(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A record cannot clear the screen and print a fake "validation passed" through any message.
    edit(proj / ANJIA, "practice_types: [积分制,", 'practice_types: ["\\e[2J\\e[32m校验通过\\n", 积分制,')
    code, out, _ = run(capsys, "validate")
    assert code == 1 and "\x1b" not in out
    control, unknown, count = out.splitlines()
    shown = "“\\x1b[2J\\x1b[32m校验通过”"
    assert unknown.startswith(f"{ANJIA}:11:18: practice_types[0]：没有{shown}这个实践类型；")
    assert control == f"{ANJIA}:11:18: practice_types[0]：含有不可见的控制字符 \\x1b（多来自复制粘贴）；请删除它"
    assert count == "校验失败：2 个错误，涉及 1 个文件"


def test_placeholder_check_is_linear(tmp_path: Path) -> None:
    import time

    (tmp_path / "x.yaml").write_text("a: " + "【" * 330_000 + "\nb: 甲【村名】乙【日期】\n", "utf-8")  # 965 KB
    doc, _ = load_yaml(tmp_path / "x.yaml", "x.yaml")
    assert doc is not None
    start = time.perf_counter()
    assert [str(p) for p in check_placeholders(doc)] == [
        "x.yaml:2:4: b：【村名】 还没有填写；请换成来源里的真实内容，不适用的可选字段整行删掉"]
    assert time.perf_counter() - start < 0.5


# ---- ids and names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("index.yaml", "x: 文件名 'index' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）"),
        ("search.yaml", "x: 文件名 'search' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）"),
        ("finder.yaml", "x: 文件名 'finder' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）"),
        ("con.yaml", "x: 文件名 'con' 是 Windows 的设备名，这样的文件在 Windows 上无法打开；请换一个名字"),
        ("lpt1.yaml", "x: 文件名 'lpt1' 是 Windows 的设备名，这样的文件在 Windows 上无法打开；请换一个名字"),
        ("abc\n.yaml", "x: 文件名“abc\\n.yaml”不能作为案例 id（它也是网页地址）；"
                       "请改名，只用小写英文字母、数字和连字符，如 a-b.yaml"),
        ("a" * 81 + ".yaml", "x: 文件名太长（81 个字符，最多 80 个）；请改用较短的 id"),
    ],
)
def test_ids_that_would_drop_pages(name: str, message: str) -> None:
    assert [str(p) for p in check_file_id(Path(name), "x", "案例", "a-b.yaml")] == [message]


def test_reserved_names_come_from_the_page_generator() -> None:
    from govcases.paths import INDEX_PAGES, reserved_names

    assert {"index", "finder", "types", "regions", "cases", "search", "data", "schema"} <= reserved_names()
    assert {p.split("/")[0].removesuffix(".md") for p in INDEX_PAGES} <= reserved_names()


def test_reserved_taxonomy_id(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(proj / "cases" / "_taxonomy.yaml", "id: points", "id: index")
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert out.splitlines()[0].endswith(
        ": practice_types[0].id：'index' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）")


def test_new_refuses_reserved_and_newline_ids(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", "index")[::2] == (
        2, "无效的案例 id 'index' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）\n")
    code, _, err = run(capsys, "new", "abc\n")
    assert (code, err) == (2, "无效的案例 id 'abc\\n'：只能用小写英文字母、数字和连字符，最多 80 个字符，"
                              "如 sichuan-luojiang-anjia-points\n")
    assert sorted(p.name for p in (proj / "cases").iterdir() if p.name.startswith(("index", "abc"))) == []


def test_upper_case_extension_is_an_error(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(proj / ANJIA, proj / "cases" / "x.YAML")
    assert run(capsys, "validate")[:2] == (1, (
        "cases/x.YAML: 扩展名 '.YAML' 须为小写，否则不会被读取；请把文件改名为 x.yaml\n"
        "校验失败：1 个错误，涉及 1 个文件\n"))


def test_one_place_spelled_two_ways(proj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = proj / "cases" / "sichuan-luojiang-other.yaml"
    shutil.copy(proj / ANJIA, other)
    edit(other, "county: 罗江区", "county: 罗江")
    message = ("cases/sichuan-luojiang-other.yaml:6:11: place.county：'罗江' 与 "
               "cases/sichuan-luojiang-anjia-points.yaml 中的 '罗江区' 同在 四川省德阳市 下，"
               "会共用地区页 regions/sichuan/deyang/luojiang/，其中一处的案例会从该页消失；"
               "若是同一个地方，请统一写作 '罗江区'；若是两个地方，请写全称以示区别")
    assert run(capsys, "validate")[:2] == (1, f"{message}\n校验失败：1 个错误，涉及 1 个文件\n")
    assert run(capsys, "validate", "cases")[:2] == (1, f"{message}\n校验失败：1 个错误，涉及 1 个文件\n")


# ---- file-system states, the same message from every command --------------------------------------

MISSING = "无法读取：文件不存在（若是链接，它指向的文件已不在）；请恢复它，或删除这个链接"
STATES = {
    "dangling": (lambda p: os.symlink("nowhere.yaml", p), MISSING),
    "loop": (lambda p: os.symlink(p.name, p),
             "无法读取：是一个循环的链接（链接指向自己）；请删除它，或让它指向真实的文件"),
    "folder": (lambda p: p.mkdir(), "是一个文件夹，不是记录文件；请改名（去掉 .yaml），或移出这个目录"),
    "fifo": (lambda p: os.mkfifo(p), "是命名管道（FIFO），不是记录文件；请删除它，或把它移出这个目录"),
    "dev-zero": (lambda p: os.symlink("/dev/zero", p), "是设备文件，不是记录文件；请删除它，或把它移出这个目录"),
}


def _outputs(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, tuple[int, str]]:
    """What validate, search and the site build's loader say about the project at `root`."""
    validate = run(capsys, "validate")
    search = run(capsys, "search", "积分")
    _, problems = collect(root)
    return {
        "validate": (validate[0], validate[1]),
        "search": (search[0], search[2]),
        "build": (1 if problems else 0, "\n".join(map(str, sorted(problems)))),
    }


@pytest.mark.parametrize("state", sorted(STATES))
def test_every_command_meets_every_file_state(proj: Path, capsys: pytest.CaptureFixture[str], state: str) -> None:
    make, message = STATES[state]
    make(proj / "cases" / "x.yaml")
    os.symlink("nowhere.yaml", proj / "cases" / ".#sichuan-miyi-1357.yaml")  # an editor's lock file: ignored
    line = f"cases/x.yaml: {message}"
    report = f"{line}\n校验失败：1 个错误，涉及 1 个文件\n"
    assert _outputs(capsys, proj) == {"validate": (1, report), "search": (1, report), "build": (1, line)}


def test_no_project_and_no_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path / ".cache"))
    line = (f"cases/_taxonomy.yaml: 找不到案例库：{tmp_path.as_posix()} 及其上级目录都没有 cases/_taxonomy.yaml；"
            "请先进入项目目录（含 cases/ 的目录）再运行，或用 --root 指定项目目录")
    report = f"{line}\n校验失败：1 个错误，涉及 1 个文件\n"
    assert _outputs(capsys, tmp_path) == {"validate": (1, report), "search": (1, report), "build": (1, line)}
    assert run(capsys, "schema") == (1, report, "")
    assert run(capsys, "new", "abc") == (1, "", f"{line}\n")
    assert not (tmp_path / "cases").exists()

    (tmp_path / "cases").mkdir()
    shutil.copy(FIXTURES / "project" / "cases" / "_taxonomy.yaml", tmp_path / "cases")
    line = "cases: 还没有任何案例记录（cases/ 下没有 .yaml 文件）；请用 govcases new <id> 新建一个，填写后再运行"
    report = f"{line}\n校验失败：1 个错误，涉及 1 个文件\n"
    assert _outputs(capsys, tmp_path) == {"validate": (1, report), "search": (1, report), "build": (1, line)}


def test_unreadable_file(proj: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("anjia-points.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    line = f"{ANJIA}: 无法读取：没有读取权限；请检查文件权限（如 chmod a+r）"
    assert run(capsys, "validate")[:2] == (1, f"{line}\n校验失败：1 个错误，涉及 1 个文件\n")


def test_devices_are_never_read(tmp_path: Path) -> None:
    # /dev/zero says its size is 0 and never ends; it is refused before a byte is read.
    assert load_yaml(Path("/dev/zero"), "z.yaml") == (
        None, Problem("z.yaml", 0, 0, "", "是设备文件，不是记录文件；请删除它，或把它移出这个目录"))
