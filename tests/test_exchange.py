"""The submission workbook: made from the schema, imported with located Chinese messages, exported back unchanged."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from govcases.cli import main
from govcases.exchange.canonical import dump_record, record_data
from govcases.exchange.export import blank_workbook, export_workbook
from govcases.exchange.importer import make_id, plan_import
from govcases.records.library import load_library

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "project"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with the fixture vocabulary and no cases yet."""
    (tmp_path / "cases").mkdir()
    shutil.copy(FIXTURE / "cases" / "_taxonomy.yaml", tmp_path / "cases" / "_taxonomy.yaml")
    return tmp_path


@pytest.fixture(scope="module")
def filled() -> bytes:
    """The fixture project's cases as a filled workbook (what an official would send)."""
    lib = load_library(FIXTURE)
    return export_workbook(lib, list(lib.cases))


def _book(tmp_path: Path, data: bytes, edit=None, name: str = "报送表.xlsx") -> Path:
    path = tmp_path / name
    if edit is None:
        path.write_bytes(data)
        return path
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    wb.save(path)
    return path


def _records(project: Path) -> list[Path]:
    return [p for p in (project / "cases").glob("*.yaml") if not p.name.startswith("_")]


def _messages(project: Path, book: Path, **kw: bool) -> list[str]:
    _planned, problems = plan_import(project, book, **kw)
    assert _records(project) == []  # nothing is written by planning
    return [str(p) for p in problems]


def test_export_then_import_gives_the_same_records(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled)
    assert main(["--root", str(project), "import", str(book)]) == 0
    lib = load_library(FIXTURE)
    for case in lib.cases:
        written = (project / "cases" / f"{case.id}.yaml").read_text(encoding="utf-8")
        assert written == dump_record(record_data(case, lib.taxonomy))
    again = load_library(project)  # and the canonical form is a fixed point: exporting it again changes nothing
    assert [dump_record(record_data(c, again.taxonomy)) for c in again.cases] == [
        dump_record(record_data(c, lib.taxonomy)) for c in lib.cases]


def test_live_library_round_trips(tmp_path: Path) -> None:
    lib = load_library(REPO)
    book = tmp_path / "all.xlsx"
    book.write_bytes(export_workbook(lib, list(lib.cases)))
    (tmp_path / "p" / "cases").mkdir(parents=True)
    shutil.copy(REPO / "cases" / "_taxonomy.yaml", tmp_path / "p" / "cases")
    planned, problems = plan_import(tmp_path / "p", book)
    assert [str(p) for p in problems] == []
    texts = {p.id: p.text for p in planned}
    assert texts == {c.id: dump_record(record_data(c, lib.taxonomy)) for c in lib.cases}


def test_blank_workbook_has_lists_locked_headers_and_an_example() -> None:
    lib = load_library(FIXTURE)
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(lib)))
    assert wb.sheetnames == ["填写说明", "下拉选项", "案例", "分类", "做法", "命名程序", "关键数据", "来源"]
    ws = wb["案例"]
    assert [c.value for c in ws[1]][:5] == ["案例序号*", "编号", "标题*", "命名模式", "省级*"]
    assert ws["A3"].value == "示例" and ws["C3"].value == lib.by_id["sichuan-luojiang-anjia-points"].record.title
    assert ws.protection.sheet and ws["A1"].protection.locked and not ws["A3"].protection.locked
    assert ws.freeze_panes == "B3"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["E3:E1003"] == f"='下拉选项'!$A$2:$A${len(lib.taxonomy.provinces) + 1}"
    assert wb["下拉选项"].sheet_state == "hidden"


def test_live_example_shows_its_excerpts_and_imports_once_numbered(tmp_path: Path) -> None:
    """The real example: each figure's 原文写法 is in its 原文摘录; given a 案例序号, its rows import unchanged."""
    lib = load_library(REPO)
    case = lib.by_id["sichuan-luojiang-anjia-points"]
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(lib)))
    sources, figures = wb["来源"], wb["关键数据"]
    column = {c.value: c.column_letter for ws in (sources, figures) for c in ws[1]}
    excerpts = sources[f"{column['原文摘录']}3"].value
    assert sources["A3"].value == "示例" and excerpts == "\n".join(case.record.sources[0].excerpts)
    written = [figures[f"{column['原文写法*']}{r}"].value for r in range(3, figures.max_row + 1)
               if figures[f"A{r}"].value == "示例"]
    assert written == [f.display() for f in case.record.figures]
    assert [w for w in written if w not in excerpts] == []
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3, max_col=1):
            if row[0].value == "示例":
                row[0].value = 1
    (tmp_path / "p" / "cases").mkdir(parents=True)
    shutil.copy(REPO / "cases" / "_taxonomy.yaml", tmp_path / "p" / "cases")
    book = tmp_path / "示例.xlsx"
    wb.save(book)
    planned, problems = plan_import(tmp_path / "p", book)
    assert [str(p) for p in problems] == []
    assert [p.text for p in planned] == [dump_record(record_data(case, lib.taxonomy))]  # 编号 left blank: a new id


def test_values_from_records_never_become_formulas(project: Path, tmp_path: Path) -> None:
    lib = load_library(FIXTURE)
    case = lib.by_id["sichuan-miyi-1357"]
    payload = '=HYPERLINK("http://evil.example/","点此")'
    data = record_data(case, lib.taxonomy)
    data["model"] = payload
    from govcases.exchange.rows import record_rows
    from govcases.exchange.write import workbook_bytes

    book = tmp_path / "x.xlsx"
    book.write_bytes(workbook_bytes(lib.taxonomy, [record_rows(1, case.id, data)], None))
    cell = openpyxl.load_workbook(book)["案例"]["D3"]
    assert (cell.value, cell.data_type) == (payload, "s")  # a text cell: Excel shows it, never runs it
    planned, problems = plan_import(project, book)
    assert problems == [] and yaml.safe_load(planned[0].text)["model"] == payload


def test_make_id_from_place_and_model() -> None:
    lib = load_library(FIXTURE)
    data = {"place": {"province": "宁夏回族自治区", "county": "泾源县", "village": "新旗村"}, "model": "积分卡"}
    assert make_id(data, lib.taxonomy) == "ningxia-jingyuan-xinqi-jifenka"
    data = {"place": {"province": "浙江省", "city": "宁波市", "county": "宁海县"}, "practice_types": ["积分制"]}
    assert make_id(data, lib.taxonomy) == "zhejiang-ninghai-points"


# Bad input: each is a located Chinese message and nothing written.

def test_value_outside_the_drop_down_list(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["案例"].__setitem__("E3", "广西"))
    assert _messages(project, book) == [
        "报送表.xlsx 案例!E3: 第1个案例 省级：没有“广西”这个省份；是不是“广西壮族自治区”？"
        "可选：四川省、广西壮族自治区、贵州省"]


def test_required_cell_empty(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["案例"].__setitem__("C3", None))
    assert _messages(project, book) == [
        "报送表.xlsx 案例!C3: 第1个案例 标题：必填，但没有填；请填写这一格"]


def test_number_as_text_and_full_width_digits_are_read(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["案例"]["K3"] = "２０２２"
        wb["案例"]["K4"] = "2022"
    planned, problems = plan_import(project, _book(tmp_path, filled, edit))
    assert problems == []
    assert all("\nyear: 2022\n" in p.text for p in planned[:2])


def test_excel_date_where_a_year_belongs(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["案例"].__setitem__("K3", 44562))
    assert _messages(project, book) == [
        "报送表.xlsx 案例!K3: 第1个案例 年份：年份应写四位数字，如 2022；“44562”像是 Excel 的日期序号，"
        "请把单元格格式设为“常规”或“文本”后重填"]


def test_formula_cell(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["案例"].__setitem__("C3", "=B3&\"村\""))
    assert _messages(project, book) == [
        "报送表.xlsx 案例!C3: 这里是公式（=B3&\"村\"）：报送表只收数值和文字，请复制后用“选择性粘贴→数值”粘回"]


def test_merged_cells(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["做法"].merge_cells("D3:D4"))
    assert _messages(project, book) == ["报送表.xlsx 做法!D3:D4: 这是合并单元格：请取消合并，每一行分别填写完整"]


def test_renamed_and_extra_sheets_and_columns(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["来源"].title = "出处"
        wb["关键数据"]["C1"] = "写法"
    assert _messages(project, _book(tmp_path, filled, edit)) == [
        "报送表.xlsx: 缺少工作表“来源”：请使用本库的报送表（网站“报送”页下载），不要删除或改名工作表",
        "报送表.xlsx 出处!: 多出的工作表“出处”：报送表只读取 案例、分类、做法、命名程序、关键数据、来源 这几张表；"
        "请把内容移到对应的表中，再删除这张表",
    ]
    book = _book(tmp_path, filled, lambda wb: wb["关键数据"].__setitem__("C1", "写法"), "b.xlsx")
    assert _messages(project, book) == [
        "b.xlsx 关键数据!C1: 列名应为“原文写法”，现为“写法”：请不要修改、插入或删除列，"
        "可从网站“报送”页重新下载报送表，把内容复制过去"]


def test_case_already_in_the_library(project: Path, tmp_path: Path, filled: bytes) -> None:
    book = _book(tmp_path, filled)
    shutil.copy(FIXTURE / "cases" / "sichuan-miyi-1357.yaml", project / "cases")
    planned, problems = plan_import(project, book)
    assert [str(p) for p in problems] == [
        "报送表.xlsx 案例!B5: 库中已有编号为 sichuan-miyi-1357 的案例（cases/sichuan-miyi-1357.yaml）：如是对它的修改，"
        "请维护人员加 --update 重新导入；如是另一个案例，请在本格（“编号”列）另填一个编号，如 sichuan-miyi-1357-2"]
    planned, problems = plan_import(project, book, update=True)
    assert problems == [] and [p.replaces for p in planned] == [False, False, True]


def test_two_rows_with_the_same_place_and_model(project: Path, tmp_path: Path, filled: bytes) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["案例"]
        for col in ("B",):
            ws[f"{col}3"] = None
            ws[f"{col}4"] = None
        for c in range(3, ws.max_column + 1):
            if c != 1:
                ws.cell(row=4, column=c).value = ws.cell(row=3, column=c).value
    messages = _messages(project, _book(tmp_path, filled, edit))
    assert messages[0].startswith("报送表.xlsx 案例!A4: 第2个案例与第1个案例的地点和模式相同（编号都是 ")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("报送表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "这是旧版 Excel（.xls）文件，或设置了打开密码的文件，无法读取：如有密码请先取消密码，"
     "然后请在 Excel 或 WPS 中打开，选“另存为”→“Excel 工作簿（*.xlsx）”后重新提交"),
    ("报送表.csv", "案例序号,标题\n1,安家村\n".encode(),
     "这是 CSV 文本文件，不是报送表：请在 Excel 或 WPS 中打开，选“另存为”→“Excel 工作簿（*.xlsx）”后重新提交"
     "（请使用网站“报送”页下载的报送表填写）"),
    ("报送表.xlsx", b"", "文件是空的（0 字节）：请重新保存后再提交"),
])
def test_files_that_are_not_workbooks(project: Path, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    book = tmp_path / name
    book.write_bytes(content)
    assert _messages(project, book) == [f"{name}: {message}"]


def test_word_document_and_truncated_workbook(project: Path, tmp_path: Path, filled: bytes) -> None:
    doc = tmp_path / "案例.docx"
    with zipfile.ZipFile(doc, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert _messages(project, doc) == [
        "案例.docx: 这是 Word 文档（.docx），不是报送表：请把内容填到报送表（.xlsx）里再提交"]
    cut = tmp_path / "半截.xlsx"
    cut.write_bytes(filled[: len(filled) // 2])
    assert _messages(project, cut) == [
        "半截.xlsx: 文件不完整或已损坏（可能没有传完）："
        "请在 Excel 或 WPS 中打开，选“另存为”→“Excel 工作簿（*.xlsx）”后重新提交"]


def test_empty_workbook(project: Path, tmp_path: Path) -> None:
    book = tmp_path / "空表.xlsx"
    book.write_bytes(blank_workbook(load_library(FIXTURE)))
    assert _messages(project, book) == [
        "空表.xlsx 案例!A3: “案例”表里没有案例：请从第3行起每行填写一个案例（示例行不算）"]


def test_five_thousand_rows_with_progress(project: Path, tmp_path: Path) -> None:
    lib = load_library(FIXTURE)
    case = lib.by_id["sichuan-miyi-1357"]
    from govcases.exchange.rows import record_rows
    from govcases.exchange.write import workbook_bytes

    rows = []
    for i in range(1, 241):
        data = record_data(case, lib.taxonomy)
        data["title"] = f"{data['title']}（第{i}个）"
        rows.append(record_rows(i, f"case-{i}", data))
    assert sum(len(r) for c in rows for r in c.values()) >= 5000
    book = tmp_path / "大表.xlsx"
    book.write_bytes(workbook_bytes(lib.taxonomy, rows, None))
    read: list[tuple[int, int]] = []
    checked: list[tuple[int, int]] = []
    planned, problems = plan_import(project, book, progress=lambda d, t: read.append((d, t)),
                                    checking=lambda d, t: checked.append((d, t)))
    assert problems == [] and len(planned) == 240
    assert read[-1][0] == read[-1][1] and checked[-1] == (240, 240)


def test_cli_import_reports_and_writes_nothing(project: Path, tmp_path: Path, filled: bytes,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    book = _book(tmp_path, filled, lambda wb: wb["案例"].__setitem__("C3", None))
    assert main(["--root", str(project), "import", str(book)]) == 1
    out = capsys.readouterr().out
    assert out.endswith("没有写入任何记录。请按上面的提示改正报送表后重新导入。\n")
    assert _records(project) == []
    assert main(["--root", str(project), "import", "--dry-run", str(_book(tmp_path, filled, name="ok.xlsx"))]) == 0
    assert capsys.readouterr().out.endswith("试导入通过：3 个案例，没有错误（--dry-run，未写入任何文件）。\n")
    assert _records(project) == []


def test_export_reads_its_filters_as_the_search_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.jsonl"
    assert main(["--root", str(REPO), "export", "--format", "jsonl", "-o", str(out),
                 "--type", "积分超市", "--province", "四川"]) == 0  # a synonym and a short name
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    lib = load_library(REPO)
    assert ids == [c.id for c in lib.cases if "points" in c.record.practice_types
                   and c.record.place.province == "四川省"] != []
    capsys.readouterr()
    assert main(["--root", str(REPO), "export", "-o", str(tmp_path / "y.xlsx"), "--province", "广"]) == 2
    assert capsys.readouterr().err == "“广”可指不止一个省份；请改用其中之一：广东省、广西壮族自治区\n"
    assert not (tmp_path / "y.xlsx").exists()
