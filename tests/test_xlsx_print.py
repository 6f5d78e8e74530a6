"""Every sheet of every .xlsx the project writes prints on A4: page setup, whole lines, and a known page count."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, REPO

from govcases import printing
from govcases.downloads.xlsx import ledger_xlsx
from govcases.exchange.export import blank_workbook
from govcases.exchange.write import instructions
from govcases.records.library import load_library

FOOTER = "第&P页/共&N页"


def _books() -> dict[str, bytes]:
    lib = load_library(FIXTURES / "project")
    points = next(t for t in load_library(REPO).templates if t.id == "points-rules")
    return {"workbook": blank_workbook(lib), "ledger": ledger_xlsx(points)}


def test_every_printed_sheet_is_set_up_for_a4() -> None:
    for name, data in _books().items():
        wb = openpyxl.load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            if ws.sheet_state == "hidden":
                continue
            where = f"{name}:{ws.title}"
            assert ws.page_setup.paperSize == 9, where  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, where
            assert ws.oddFooter.center.text == FOOTER, where
            assert ws.oddHeader.center.text.endswith(f"·{ws.title}"), where
            # No column is wider than the page: one that is cannot be shrunk to fit and its text is cut.
            landscape = ws.page_setup.orientation == "landscape"
            widths = [d.width for d in ws.column_dimensions.values() if d.width]
            assert max(widths) * 4 / 3 < printing.PAGE_WIDTH[landscape], where


def test_ledger_prints_its_prepared_rows_with_headers_on_every_page() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_books()["ledger"]))
    setup = {ws.title: (ws.page_setup.orientation, ws.print_area, ws.print_title_rows) for ws in wb.worksheets}
    assert setup == {
        "说明": ("portrait", "'说明'!$A$1:$C$14", "$1:$2"),
        "农户名册": ("portrait", "'农户名册'!$A$1:$F$62", "$1:$2"),
        "积分项目": ("portrait", "'积分项目'!$A$1:$E$50", "$1:$2"),
        "积分记录": ("landscape", "'积分记录'!$A$1:$K$602", "$1:$2"),
        "年度汇总": ("landscape", "'年度汇总'!$A$1:$R$63", "$1:$2"),
    }
    assert wb["年度汇总"].print_title_cols == "$A:$C"
    assert wb["农户名册"].row_dimensions[3].height == 20  # room to write by hand
    items = wb["积分项目"]
    for r in range(3, 31):  # every item's text shows in full (28 items)
        texts = [(str(items.cell(r, c).value), items.column_dimensions[items.cell(r, c).column_letter].width, 11)
                 for c in (2, 3, 5) if items.cell(r, c).value]
        assert items.row_dimensions[r].height >= printing.height(texts), r


def test_workbook_instructions_and_wide_sheets() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_books()["workbook"]))
    info = wb["填写说明"]
    assert info.page_setup.orientation == "portrait" and info.page_setup.fitToWidth == 1
    assert info.merged_cells.ranges and info.column_dimensions["A"].width == 46
    assert info.row_dimensions[7].height >= 2 * 11 * 1.4  # item 5, the longest line, takes two lines
    cases = wb["案例"]
    assert (cases.page_setup.orientation, cases.page_setup.fitToWidth, cases.print_title_cols,
            cases.print_title_rows) == ("landscape", 4, "$A:$A", "$1:$2")
    assert wb["分类"].page_setup.fitToWidth == 1 and wb["分类"].print_title_cols is None
    assert cases.row_dimensions[2].height >= printing.height([(cases["L2"].value, 11, 9)])


def test_lines_and_heights() -> None:
    assert printing.lines("一二三四五", 13, 11) == 1
    assert printing.lines("一二三四五六", 13, 11) == 2
    assert printing.lines("甲\n乙", 40, 11) == 2
    assert printing.height([("甲\n乙", 40, 11)]) == pytest.approx(2 * 11 * 1.4 + 3)
    assert printing.height([("甲" * 10000, 10, 11)]) == printing.MAX_ROW_PT


def _pdf_pages(tmp_path: Path, name: str, data: bytes) -> list[str]:
    """The text of each page of the .xlsx printed to PDF by LibreOffice."""
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(tmp_path), str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")


@needs_office
def test_instructions_print_every_line_whole(tmp_path: Path) -> None:
    pages = _pdf_pages(tmp_path, "workbook", _books()["workbook"])
    first = re.sub(r"\s", "", pages[0])
    assert pages[0].split()[0] == "乡村治理典型案例报送表·填写说明"
    for line in instructions("本表为空白报送表。"):
        assert re.sub(r"\s", "", line) in first, line
    assert all(f"/共{len(pages)}页" in page for page in pages)
    # Each sheet prints once, with its own name in the header; the 1000 open rows print nothing.
    heads = [page.split()[0].split("·")[1] for page in pages]
    assert list(dict.fromkeys(heads)) == ["填写说明", "案例", "分类", "做法", "命名程序", "关键数据", "来源"]


@needs_office
def test_blank_ledger_page_count(tmp_path: Path) -> None:
    pages = _pdf_pages(tmp_path, "ledger", _books()["ledger"])
    heads = [page.split()[0].rsplit("·", 1)[1] for page in pages]
    counts = {sheet: heads.count(sheet) for sheet in dict.fromkeys(heads)}
    # 60 households on two upright pages, 600 log rows on landscape pages, one page for each of the rest.
    assert counts == {"说明": 1, "农户名册": 2, "积分项目": 1, "积分记录": 14, "年度汇总": 2}
    assert pages[-1].split()[-1] == f"第{len(pages)}页/共{len(pages)}页"
