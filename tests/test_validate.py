"""Validation messages, as a person sees them from `govcases validate`: exact text and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, assert_golden
from test_cli import ENGLISH

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
    messages = [line.split(": ", 1)[-1] for line in out.splitlines()]  # the fixtures' names are English
    assert [m for m in messages if ENGLISH.search(m)] == []


COLON = "请改用中文冒号“：”，或给整段文字加上引号"
INDENT = "格式错误：缩进不对，同一级的字段要左边对齐，下一级比上一级多缩进两个空格；请用空格调整这一行的缩进"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("syntax-error", [
            "tests/fixtures/bad/cases/syntax-error.yaml:1:8: 格式错误：这里开始的引号到文件末尾都没有配对的后引号；"
            "请在文字末尾补上同样的引号，或删掉这个引号"]),
        ("tab-indent", [
            "tests/fixtures/bad/cases/tab-indent.yaml:4:1: 格式错误：这一行用 Tab 键缩进了；"
            "请删掉 Tab，改用空格缩进（每级两个空格）"]),
        ("colon-in-text", [
            "tests/fixtures/bad/cases/colon-in-text.yaml:9:13: 格式错误：文字里有英文冒号“:”（后面跟着空格），"
            f"会被当成新的字段；{COLON}"]),
        ("colon-in-list", [
            "tests/fixtures/bad/cases/colon-in-list.yaml:15:5: results[0]：应为文字，现为“字段: 值”形式的一组字段；"
            f"文字里的英文冒号“:”后跟空格会被当成“字段: 值”；{COLON}"]),
        ("unclosed-bracket", [
            "tests/fixtures/bad/cases/unclosed-bracket.yaml:8:13: 格式错误：这里开始的“[”没有配对的“]”；"
            "请在列表末尾补上“]”；若“[”是文字的一部分，请给整段文字加上引号"]),
        ("bad-indent", [f"tests/fixtures/bad/cases/bad-indent.yaml:17:6: {INDENT}"]),
        ("bad-nesting", [f"tests/fixtures/bad/cases/bad-nesting.yaml:5:5: {INDENT}"]),
        ("missing-field", [
            "tests/fixtures/bad/cases/missing-field.yaml:1:1: summary：必填字段，但没有写；"
            "请补上这一项（可参照 govcases new 生成的骨架）"]),
        ("wrong-type", [
            "tests/fixtures/bad/cases/wrong-type.yaml:14:10: results：应为列表，现为“一条成效”；"
            "请每项写一行，以“- ”开头",
            "tests/fixtures/bad/cases/wrong-type.yaml:17:12: figures[0].value：应为数字，现为“约978”；"
            "“约”“余”等字写在 qualifier，或只写 written: 约978",
        ]),
        ("unknown-field", [
            "tests/fixtures/bad/cases/unknown-field.yaml:1:1: summary：必填字段，但没有写；"
            "请补上这一项（可参照 govcases new 生成的骨架）",
            "tests/fixtures/bad/cases/unknown-field.yaml:9:1: sumary：未知字段“sumary”；是不是“summary”？",
        ]),
        ("duplicate-key", [
            "tests/fixtures/bad/cases/duplicate-key.yaml:11:1: 字段“summary”写了两次（第一次在第 9 行），"
            "后一个会覆盖前一个；请合并成一个，删掉多余的"]),
        ("gbk", [
            "tests/fixtures/bad/cases/gbk.yaml:1:1: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码），"
            "第 1 行有无法识别的字节 0xb2；请另存为 UTF-8：记事本选“另存为 → 编码：UTF-8”，"
            "WPS 选“另存为 → 纯文本 → 编码：UTF-8”"]),
        ("empty", [
            "tests/fixtures/bad/cases/empty.yaml:1:1: 文件是空的；请用 govcases new 生成骨架后填写，或删掉这个文件"]),
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
        "tests/fixtures/bad/cases/unknown-type.yaml:7:23: practice_types[1]：没有“积分超市”这个实践类型；"
        "是不是“积分制”？可选：积分制（points）、村规民约（village-rules）、网格化管理（grid）、"
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
    assert "案例 id “ok-case”重复（tests/fixtures/bad/cases/ok-case.yaml 也用了它）；请给其中一个文件改名" in out


def test_missing_path_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--root", str(BAD), "validate", "no/such.yaml")
    assert (code, out) == (1, (
        "no/such.yaml: 没有这个文件或文件夹；请检查路径和文件名（可用 Tab 键补全）\n"
        "校验失败：1 个错误，涉及 1 个文件\n"))


def test_the_real_project_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "validate")
    assert code == 0, out
    assert out.startswith("校验通过：")


def test_validation_never_rewrites_records(capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (BAD / "cases").iterdir()}
    run(capsys, "--root", str(BAD), "validate")
    assert {p: p.read_bytes() for p in (BAD / "cases").iterdir()} == before


def test_contributing_guide_quotes_the_real_messages() -> None:
    # The guide's examples of YAML slips are the messages validation prints for the bad fixtures.
    guide = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    golden = (REPO / "tests" / "golden" / "validate_bad.txt").read_text(encoding="utf-8")
    quoted = [line.split(": ", 1)[1] for line in guide.splitlines() if line.startswith("cases/x.yaml:")]
    assert len(quoted) == 6
    for message in quoted:
        assert message in golden, message
    assert "`路径:行:列: 字段：说明`" in guide


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("year: 2022", "year: 2022年", "year：应为整数，现为“2022年”；请只写阿拉伯数字，如 2022"),
    ("year: 2022", "year: 1800", "year：应为 ≥ 1949 的数字，现为1800；请核对来源"),
    ("level: 县", "level:", "level：冒号后什么也没写，应为文字；请填写（不用的可选字段整行删掉）"),
    ("    unit: 户", "    unit: 户\n    qualifier: 大约", "figures[0].qualifier：现为“大约”，不是可选的值；"
     "可选：约、近、超过、逾、不少于、不低于、达、低于、高于、不足、至少、余、多、以上、左右、以下、以内"),
    ("    unit: 户", "    unit: 户\n    compare: 是",
     "figures[0].compare：应为 true 或 false，现为“是”；请写 true（是）或 false（否），不加引号"),
    ("    date: 2022-10-08", "    date: 2022.5", "sources[0].date：应为日期，现为2022.5；请写成 YYYY-MM-DD，"
     "如 2022-10-08（只知年月写 2022-10，只知年份写 2022）"),
    ("summary: 摘要。", "summary: 摘要。\nsumary: 重复", "sumary：未知字段“sumary”；是不是“summary”？"),
    ("results: [一条成效]", "results: []", "results：至少要写一项，现在一项也没有；请补写，每项一行，以“- ”开头"),
    ("  county: 米易县", "  county: 米易县\n  tonw: 某镇", "place.tonw：未知字段“tonw”；是不是“town”？"),
    ("title: 测试案例", "title: 测试案例\nfoo: 1", "foo：未知字段“foo”；这里可写的字段：title、model、place、level、"
     "year、as_of、practice_types、dimensions、evidence、keywords、summary、background、measures、procedures、"
     "results、figures、recognition、analysis、sources；请改正拼写或删掉这一行"),
])
def test_each_mistake_says_how_to_fix_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
                                         expected: str) -> None:
    text = (BAD / "cases" / "ok-case.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "ok-case.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = run(capsys, "--root", str(BAD), "validate", str(tmp_path / "ok-case.yaml"))
    assert code == 1
    assert [line.split(": ", 1)[1] for line in out.splitlines()[:-1]] == [expected]


def test_an_address_with_a_space_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (BAD / "cases" / "ok-case.yaml").read_text(encoding="utf-8")
    text = text.replace("    date: 2022-10-08\n", "    date: 2022-10-08\n    url: https://example.org/a b\n")
    (tmp_path / "ok-case.yaml").write_text(text, encoding="utf-8")
    code, out = run(capsys, "--root", str(BAD), "validate", str(tmp_path / "ok-case.yaml"))
    assert code == 1
    assert out.splitlines()[0].split(": ", 1)[1] == (
        "sources[0].url：网址“https://example.org/a b”里有空格、引号、尖括号等网址里不能有的字符；"
        "请从浏览器地址栏重新复制完整网址")
