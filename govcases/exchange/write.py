"""The submission workbook as an .xlsx: instructions, one sheet per part of a case, drop-down lists, locked headers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from govcases import printing
from govcases.exchange.layout import (
    EXAMPLE_MARK,
    INSTRUCTIONS,
    KINDS,
    LISTS,
    NO,
    SHEETS,
    WORKBOOK_NAME,
    YES,
    Sheet,
)
from govcases.exchange.rows import Row
from govcases.records.taxonomy import Taxonomy

HEADER_ROWS = 2  # the column names, then a line of hints; data start on row 3
OPEN_ROWS = 1000  # rows below the data left unlocked and with drop-downs, for new cases
_HEAD = Font(name="黑体", bold=True, size=11)
_HINT = Font(name="宋体", italic=True, size=9, color="555555")
_BODY = Font(name="宋体", size=11)
_FILL_HEAD = PatternFill("solid", fgColor="DDE6F0")
_FILL_HINT = PatternFill("solid", fgColor="F2F2F2")
_FILL_EXAMPLE = PatternFill("solid", fgColor="FFF6D5")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TEXT_FIELDS = {"year", "as_of", "date"}  # typed as text so Excel/WPS never turn 2022-10 into a date
_INFO_WIDTH = 92  # the 填写说明 column: the width of an upright A4 page
BOOK = "乡村治理典型案例报送表"


def instructions(rows_note: str) -> list[str]:
    """The lines of the 填写说明 sheet."""
    return [
        f"{BOOK} 填写说明",
        "",
        "1. 一个案例占“案例”表的一行，“案例序号”从 1 开始编号；其他各表的每一行用“案例序号”说明属于哪个案例。",
        "2. 各表第1行是列名，第2行是填写提示，都不能修改；从第3行起填写。带 * 的列必须填写。",
        f"3. 黄色的行是示例（案例序号为“{EXAMPLE_MARK}”），取自库中的真实案例，导入时会跳过，可以保留也可以删除。",
        "4. “分类”表：每个实践类型、每个治理维度各占一行，并写明依据（哪一步做法或来源哪句话说明了这一点）。",
        "5. “关键数据”表：“原文写法”照来源原样填写，连同单位和“约”“余”“以上”等字，"
        "如 978户、1万余人次、千余名；"
        "不要换算、不要四舍五入、不要把几个数加起来。",
        "6. “命名程序”表：来源中有名称、有数目的程序（如 六步议事、五严禁），每一项占一行，按来源顺序全部列出。",
        "7. 用自己的话写摘要、做法和成效；地名、模式名、文件名称和文号、数字照原文。"
        "编者自己的判断只写在“编者分析”各列。",
        "8. 单元格内要写多条时（如成效、具体做法、原文摘录），每条一行：在 Excel/WPS 中按 Alt+Enter 换行。",
        "9. 省级、实施层级、类别、名称等列请从下拉列表中选择；不要合并单元格，不要填公式。",
        f"10. 填好后保存为 .xlsx（不要设置密码），文件名可用“县名+{WORKBOOK_NAME}”，按本地报送渠道交给案例库维护人员。",
        rows_note,
    ]


def workbook_bytes(taxonomy: Taxonomy, cases: list[dict[str, list[Row]]],
                   example: dict[str, list[Row]] | None) -> bytes:
    """The workbook with the example rows first (if any), then the given cases' rows."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = INSTRUCTIONS
    note = f"本表含 {len(cases)} 个案例。" if cases else "本表为空白报送表。"
    for i, line in enumerate(instructions(note), 1):
        cell = info.cell(row=i, column=1, value=line)
        cell.font, cell.alignment = (_HEAD if i == 1 else _BODY), _WRAP
        info.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        info.row_dimensions[i].height = printing.height([(line, _INFO_WIDTH, 11)], least=15)
    # Two columns under each line: a program that cannot shrink one column wider than the page would cut the
    # lines, and LibreOffice without the Calibri metrics draws a column about a third wider than Excel does.
    info.column_dimensions["A"].width = info.column_dimensions["B"].width = _INFO_WIDTH / 2
    printing.setup(info, f"{BOOK}·{INSTRUCTIONS}", landscape=False, area=f"A1:B{info.max_row}")
    lists = _lists(wb, taxonomy)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        rows = [*(example or {}).get(sheet.name, []), *(r for c in cases for r in c.get(sheet.name, []))]
        _fill(ws, sheet, rows, len((example or {}).get(sheet.name, [])), lists)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _lists(wb: Workbook, taxonomy: Taxonomy) -> dict[str, str]:
    """The hidden sheet of drop-down values; returns list name → range formula."""
    ws = wb.create_sheet(LISTS)
    columns = {
        "provinces": list(taxonomy.provinces),
        "levels": list(taxonomy.levels),
        "kinds": list(KINDS),
        "terms": list(dict.fromkeys([t.name for t in taxonomy.practice_types] + [d.name for d in taxonomy.dimensions])),
        "yesno": [YES, NO],
    }
    out = {}
    for c, (name, values) in enumerate(columns.items(), 1):
        letter = get_column_letter(c)
        ws.cell(row=1, column=c, value=name)
        for r, value in enumerate(values, 2):
            ws.cell(row=r, column=c, value=value)
        out[name] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return out


def _fill(ws: Worksheet, sheet: Sheet, rows: list[Row], examples: int, lists: dict[str, str]) -> None:
    for c, col in enumerate(sheet.columns, 1):
        head = ws.cell(row=1, column=c, value=f"{col.header}*" if col.required else col.header)
        head.font, head.fill, head.alignment = _HEAD, _FILL_HEAD, _WRAP
        head.comment = Comment(col.hint, "善治案例库")
        hint = ws.cell(row=2, column=c, value=col.hint)
        hint.font, hint.fill, hint.alignment = _HINT, _FILL_HINT, _WRAP
        ws.column_dimensions[get_column_letter(c)].width = col.width
    last = HEADER_ROWS + len(rows) + OPEN_ROWS
    for r, row in enumerate(rows, HEADER_ROWS + 1):
        for c, col in enumerate(sheet.columns, 1):
            _put(ws, r, c, row.get(col.field), example=r - HEADER_ROWS <= examples)
    for r in range(HEADER_ROWS + 1, last + 1):
        for c, col in enumerate(sheet.columns, 1):
            cell = ws.cell(row=r, column=c)
            cell.protection = Protection(locked=False)
            if col.field in _TEXT_FIELDS:
                cell.number_format = "@"
    for c, col in enumerate(sheet.columns, 1):
        if col.choices:
            letter = get_column_letter(c)
            dv = DataValidation(type="list", formula1=f"={lists[col.choices]}", allow_blank=True,
                                showErrorMessage=True, errorTitle="请从下拉列表选择",
                                error=f"“{col.header}”请从下拉列表中选择。")
            dv.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=2)
    _print(ws, sheet, HEADER_ROWS + len(rows))
    # Headers are locked so the importer can rely on them; the rest stays open to edit, sort and filter.
    ws.protection.sheet = True
    for flag in ("formatCells", "formatColumns", "formatRows", "sort", "autoFilter", "insertRows", "deleteRows"):
        setattr(ws.protection, flag, False)


def _print(ws: Worksheet, sheet: Sheet, last: int) -> None:
    """Landscape A4, as few pages across as keep the type readable, headers and 案例序号 on every page."""
    widths = [col.width for col in sheet.columns]
    for r, size in ((1, 11), (2, 9)):
        ws.row_dimensions[r].height = printing.height(
            ((ws.cell(row=r, column=c).value, w, size) for c, w in enumerate(widths, 1)), least=15)
    for r in range(HEADER_ROWS + 1, last + 1):
        ws.row_dimensions[r].height = printing.height(
            (v, w, 11) for c, w in enumerate(widths, 1) if isinstance(v := ws.cell(row=r, column=c).value, str))
    # A scale below about 80 % makes the 11-point type hard to read; wider sheets go onto more pages across.
    room = printing.PAGE_WIDTH[True] * 0.8 - widths[0]
    wide = max(1, -(-(sum(widths) - widths[0]) // room))
    # No print area: what a contributor adds below the last row prints too (the open rows hold no text).
    printing.setup(ws, f"{BOOK}·{sheet.name}", landscape=True, title_rows=HEADER_ROWS,
                   title_cols="A:A" if wide > 1 else "", pages_wide=int(wide))


def _put(ws: Worksheet, r: int, c: int, value: Any, *, example: bool) -> None:
    cell = ws.cell(row=r, column=c)
    if value is None or value == "":
        return
    cell.value = value
    if isinstance(value, str):
        # Record text is data: a value starting with = + - @ stays text and never becomes a formula.
        cell.data_type = "s"
    cell.font, cell.alignment = _BODY, _WRAP
    if example:
        cell.fill = _FILL_EXAMPLE
