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


# Case 3 of the fixture workbook: its source is 来源!A5, its figures 关键数据!A33:A38.
_EXCERPT = "每村配备1—2名“五员”，细化为35项评分细则；4个群体；7—9人、3—5人、5—7人"


def _figure(ws, row: int, label: str, value, fmt: str = "General") -> None:
    ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"] = 3, label, value
    ws[f"C{row}"].number_format = fmt


def test_numbers_in_text_cells_are_read_as_excel_shows_them(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["来源"]["M5"] = f"{_EXCERPT}。覆盖率95%，累计兑换50,000元，投入1.2万元"
        _figure(wb["关键数据"], 39, "覆盖率", 0.95, "0%")
        _figure(wb["关键数据"], 40, "兑换金额", 50000, '#,##0"元"')
        _figure(wb["关键数据"], 41, "投入", 1.2, 'G/通用格式"万元"')
    planned, problems = plan_import(project, _book(tmp_path, filled, edit))
    assert [str(p) for p in problems] == []
    text = next(p.text for p in planned if p.id == "sichuan-miyi-1357")
    assert "written: 95%\n" in text and "written: 50,000元\n" in text and "written: 1.2万元\n" in text


def test_number_format_that_cannot_be_read_says_to_type_it_as_text(project: Path, tmp_path: Path,
                                                                  filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        _figure(wb["关键数据"], 39, "投入", 12000, '0.0,"万元"')
        _figure(wb["关键数据"], 40, "比例", "1/2")
        wb["关键数据"]["B40"] = 1.5
        wb["关键数据"]["B40"].number_format = "# ?/?"
    assert _messages(project, _book(tmp_path, filled, edit)) == [
        "报送表.xlsx 关键数据!C39: 此格被 Excel/WPS 当成了数字（格式“0.0,\"万元\"”），读不出它显示的写法："
        "请把单元格格式设为“文本”（右键→设置单元格格式→文本），再照来源原文重新输入，如 95%、1.2万户、2022年10月",
        "报送表.xlsx 关键数据!B40: 此格被 Excel/WPS 当成了数字（格式“# ?/?”），读不出它显示的写法："
        "请把单元格格式设为“文本”（右键→设置单元格格式→文本），再照来源原文重新输入，如 95%、1.2万户、2022年10月"]


def test_a_figure_excel_reformatted_points_at_the_format(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["来源"]["M5"] = f"{_EXCERPT}。覆盖率95.5%"
        _figure(wb["关键数据"], 39, "覆盖率", 0.955, "0.00%")  # Excel's own format for a typed 95.5%
    assert _messages(project, _book(tmp_path, filled, edit)) == [
        "报送表.xlsx 关键数据!C39: 第3个案例 原文写法：“95.50%”在来源的“原文摘录”里找不到；"
        "请照摘录原文填写本格，或把含这个数字的原文句子加进来源表的“原文摘录”列"
        "（此格是 Excel/WPS 的数字格式，显示为“95.50%”，可能不是原来输入的写法："
        "请把单元格格式设为“文本”（右键→设置单元格格式→文本），再照来源原文重新输入）"]


def test_dates_typed_into_date_columns_keep_what_the_format_shows(project: Path, tmp_path: Path,
                                                                 filled: bytes) -> None:
    import datetime as dt

    def edit(wb: openpyxl.Workbook) -> None:
        wb["来源"]["E5"] = dt.datetime(2022, 10, 1)
        wb["来源"]["E5"].number_format = 'yyyy"年"m"月"'
        wb["案例"]["L5"] = dt.datetime(2022, 10, 8)
        wb["案例"]["L5"].number_format = "yyyy/m/d"
    planned, problems = plan_import(project, _book(tmp_path, filled, edit))
    assert [str(p) for p in problems] == []
    text = next(p.text for p in planned if p.id == "sichuan-miyi-1357")
    assert "\nas_of: \"2022-10-08\"\n" in text and "    date: 2022-10\n" in text


def test_blank_workbook_cells_are_text_except_sequence_numbers() -> None:
    from govcases.exchange.export import blank_workbook

    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(load_library(FIXTURE))))
    formats = {ws.title: [ws.cell(row=1003, column=c).number_format for c in range(1, ws.max_column + 1)]
               for ws in wb.worksheets[2:]}
    assert formats["关键数据"] == ["General", "@", "@", "@", "General", "@", "@"]
    assert formats["做法"] == ["General", "General", "@", "@", "@"]
    assert formats["案例"][:2] == ["General", "@"] and set(formats["案例"][2:]) == {"@"}


def test_a_figure_without_the_unit_its_excerpt_has(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["来源"]["M5"] = f"{_EXCERPT}。全村320户参与积分"
        _figure(wb["关键数据"], 39, "参与积分的户数", 320)
    assert _messages(project, _book(tmp_path, filled, edit)) == [
        "报送表.xlsx 关键数据!C39: 第3个案例 原文写法：来源表的“原文摘录”里“320”后面紧跟着单位（320户）；"
        "请连同单位照原文写，如“320户”"]


def test_messages_name_sheets_and_columns_not_record_fields(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["案例"]["N3"] = None  # 摘要
        wb["案例"]["N4"] = "目前全村都参与积分。"
        wb["案例"]["L4"] = None  # 时间基准
        classes = wb["分类"]
        row = next(r for r in range(3, classes.max_row + 1) if classes[f"A{r}"].value == 3)
        classes[f"D{row}"] = None  # 依据
        wb["命名程序"]["F3"] = 9  # 来源只列出几项
    messages = _messages(project, _book(tmp_path, filled, edit))
    assert [m for m in messages if any(w in m for w in ("govcases", "excerpts", "written", "evidence", "as_of",
                                                          "source_lists", "steps", "practice_types"))] == []
    assert messages == [
        "报送表.xlsx 案例!N3: 第1个案例 摘要：必填，但没有填；请填写这一格",
        "报送表.xlsx 案例!N4: 第2个案例 摘要：“目前”是相对时间，读者不知道指哪一年；"
        "请在“案例”表的“时间基准”列填写来源发布日期（如 2022-10），或按来源日期改写成具体年份",
        "报送表.xlsx 分类!D18: 第3个案例 依据：缺少这些实践类型或治理维度的分类依据：村规民约；"
        "请在“分类”表的“依据”列各写一条，说明哪一步做法或来源哪句话体现了它",
        "报送表.xlsx 命名程序!F3: 第3个案例 来源只列出几项：“来源只列出几项”填的是 9，但这个程序列了 4 项；"
        "来源列出几项就写几项，两者应相等",
    ]


def test_another_place_with_the_same_pinyin_gets_the_next_id(project: Path, tmp_path: Path, filled: bytes,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    taken = "sichuan-luojiang-anjia-xiaojifen"  # what 安家村 and 安佳村 (金山镇, 小积分) both spell
    shutil.copy(FIXTURE / "cases" / "sichuan-luojiang-anjia-points.yaml", project / "cases" / f"{taken}.yaml")

    def edit(wb: openpyxl.Workbook) -> None:
        for row in (3, 4, 5):
            wb["案例"][f"B{row}"] = None  # 编号 left blank, as officials do
        wb["案例"]["I4"] = "安佳村"
    book = _book(tmp_path, filled, edit)
    assert main(["--root", str(project), "import", "--dry-run", str(book)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        f"新增 cases/{taken}-2.yaml（编号 {taken} 已是德阳市罗江区金山镇安家村的案例，这个案例编为 {taken}-2）")
    shutil.copy(project / "cases" / f"{taken}.yaml", project / "cases" / f"{taken}-2.yaml")
    assert [p.id for p in plan_import(project, book)[0]][1] == f"{taken}-3"  # the same ids from the same state


def test_the_same_place_again_asks_for_update_or_a_new_id(project: Path, tmp_path: Path, filled: bytes) -> None:
    taken = "sichuan-luojiang-anjia-xiaojifen"
    shutil.copy(FIXTURE / "cases" / "sichuan-luojiang-anjia-points.yaml", project / "cases" / f"{taken}.yaml")

    def edit(wb: openpyxl.Workbook) -> None:
        for row in (3, 4, 5):
            wb["案例"][f"B{row}"] = None
    assert _messages(project, _book(tmp_path, filled, edit)) == [
        f"报送表.xlsx 案例!B4: 库中已有编号为 {taken} 的案例（cases/{taken}.yaml）：如是对它的修改，"
        "请维护人员加 --update 重新导入；如是另一个案例，请在本格（“编号”列）另填一个编号，"
        f"如 {taken}-2"]
