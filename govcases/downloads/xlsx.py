"""The Excel points ledger of a points template: roster, items, daily log and a yearly tally with live formulas."""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from govcases import printing
from govcases.records.templates import Ledger, PracticeTemplate

FONT = "宋体"
HEADER_ROW = 2  # row 1 is the sheet title, row 2 the column headers; data starts at row 3
FIRST = HEADER_ROW + 1
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
CALC_FILL = PatternFill("solid", fgColor="F2F2F2")  # cells the workbook computes: do not type here
FIXED_TIME = datetime(2024, 1, 1)
HAND_ROW = 20  # points: room to write by hand in a printed blank row
SPARE_ITEMS = 20  # blank rows below the items for those the village adds

ROSTER, ITEMS, LOG, TALLY, NOTES = "农户名册", "积分项目", "积分记录", "年度汇总", "说明"
# Rows of the parameter cells on the 说明 sheet; the flag texts are parameters too, so that formulas refer to
# them instead of carrying record text.
PARAM_ROWS = {"base": 3, "commend": 4, "watch": 5, "commend_label": 6, "watch_label": 7}
# Names of the parameter cells (workbook-defined names): conditional formats may not refer to another sheet
# directly, and a name reads better in a formula than '说明'!$B$6.
NAMES = {"base": "BaseScore", "commend": "CommendAt", "watch": "WatchBelow", "commend_label": "CommendLabel",
         "watch_label": "WatchLabel"}


class Formula(str):
    """A formula this module wrote; every other string is data and is stored as text."""


# OWASP's rule for spreadsheet cells: text starting like a formula is prefixed with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write `value` to a cell: a Formula as a formula, any other text as a text cell that never calculates."""
    cell = ws.cell(row, col)
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        cell.value = "'" + value if value.startswith(_FORMULA_START) else value
        cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
        cell.quotePrefix = True  # and Excel/LibreOffice keep it text when someone edits the cell
    else:
        cell.value = value
    return cell


def _ref(sheet: str, cell: str) -> str:
    return f"'{sheet}'!{cell}"


def _sheet(wb: Workbook, title: str, heading: str, headers: list[tuple[str, float]], *, first: bool = False
           ) -> Worksheet:
    """A sheet with its heading in row 1 and the column headers in row 2, frozen below them."""
    ws = wb.active if first else wb.create_sheet()
    assert ws is not None
    ws.title = title
    _put(ws, 1, 1, heading).font = Font(name=FONT, size=14, bold=True)
    ws.row_dimensions[1].height = 24
    for col, (name, width) in enumerate(headers, 1):
        cell = ws.cell(HEADER_ROW, col, name)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = printing.height(
        (name, width, 11) for name, width in headers)
    ws.freeze_panes = ws.cell(FIRST, 1).coordinate
    return ws


def _print(ws: Worksheet, book: str, last_row: int, *, landscape: bool, title_cols: str = "") -> None:
    """A4, one page wide, the heading and column headers on every page; only the prepared rows print."""
    last_col = get_column_letter(ws.max_column)
    printing.setup(ws, f"{book}·{ws.title}", landscape=landscape, title_rows=HEADER_ROW, title_cols=title_cols,
                   area=f"A1:{last_col}{last_row}")


def _fit(ws: Worksheet, first: int, last: int, *, least: float = 0) -> None:
    """Row heights that show the wrapped text of rows first..last in full."""
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    for r in range(first, last + 1):
        texts = [(str(ws.cell(r, c).value), w, 11) for c, w in enumerate(widths, 1)
                 if isinstance(ws.cell(r, c).value, str) and ws.cell(r, c).data_type == "s"]
        ws.row_dimensions[r].height = printing.height(texts, least=least)


def _cells(ws: Worksheet, row: int, values: list[object], *, calc: Collection[int] = ()) -> None:
    # One style object of each kind for every cell: openpyxl looks each assigned style up in the workbook's
    # table, and a new object per cell made that most of the time of a ledger of thousands of cells.
    for col, value in enumerate(values, 1):
        cell = _put(ws, row, col, value)
        cell.font = _PLAIN
        cell.border = BORDER
        cell.alignment = _WRAP if isinstance(value, str) and not isinstance(value, Formula) else _NO_WRAP
        if col in calc:
            cell.fill = CALC_FILL


_PLAIN = Font(name=FONT)
_WRAP = Alignment(vertical="center", wrap_text=True)
_NO_WRAP = Alignment(vertical="center", wrap_text=False)


def _validate(ws: Worksheet, rule: DataValidation, cells: str) -> None:
    rule.showErrorMessage = True
    rule.errorTitle = "输入有误"
    ws.add_data_validation(rule)
    rule.add(cells)


def _notes(wb: Workbook, t: PracticeTemplate, ledger: Ledger) -> int:
    ws = _sheet(wb, NOTES, f"{t.record.document_title}·积分台账",
                [("参数（可修改）", 22), ("数值", 12), ("说明", 62)], first=True)
    steps = [
        f"1. 在“{ROSTER}”表登记户号和户主（户号不能重复）；名册是内部台账，不对外公开。",
        f"2. 在“{ITEMS}”表核对项目和分值（扣分项写负数），与经表决通过的细则保持一致。",
        f"3. 网格员在“{LOG}”表逐条录入：日期、户号、项目编号、次数；户主、项目名称和得分自动带出。",
        f"4. “{TALLY}”表按月自动汇总各户积分，计算全年积分、排名，并按下方分数线标记。",
        "5. 灰色单元格是公式，请勿手工改写；季度公示时只公示户号（或户主）、积分和排名。",
    ]
    start = PARAM_ROWS["watch_label"] + 2
    ws.cell(start, 1, "使用步骤").font = Font(name=FONT, bold=True)
    for i, text in enumerate(steps, 1):
        cell = _put(ws, start + i, 1, text)
        cell.font, cell.alignment = Font(name=FONT), _WRAP
        ws.merge_cells(start_row=start + i, start_column=1, end_row=start + i, end_column=3)
        ws.row_dimensions[start + i].height = printing.height([(text, 22 + 12 + 62, 11)])
    params = [
        ("base", "年度基础分", ledger.base, "每户（单位）每年的起始分。"),
        ("commend", f"{ledger.commend_label}线", ledger.commend_at,
         f"全年积分达到此分数，标记为“{ledger.commend_label}”。"),
        ("watch", f"{ledger.watch_label}线", ledger.watch_below,
         f"全年积分低于此分数，标记为“{ledger.watch_label}”。"),
        ("commend_label", "表彰标记文字", ledger.commend_label, f"“{TALLY}”表“标记”列对达到表彰线的户显示的文字。"),
        ("watch_label", "帮扶标记文字", ledger.watch_label, f"“{TALLY}”表“标记”列对低于帮扶线的户显示的文字。"),
    ]
    for key, label, value, note in params:
        _cells(ws, PARAM_ROWS[key], [label, value, note])
        wb.defined_names[NAMES[key]] = DefinedName(NAMES[key], attr_text=_ref(NOTES, f"$B${PARAM_ROWS[key]}"))
    rule = DataValidation(type="decimal", operator="between", formula1="-1000", formula2="1000",
                          error="请输入 -1000 到 1000 之间的数字。")
    _validate(ws, rule, f"B{PARAM_ROWS['base']}:B{PARAM_ROWS['watch']}")
    _fit(ws, PARAM_ROWS["base"], PARAM_ROWS["watch_label"])
    return start + len(steps)


def _roster(wb: Workbook, ledger: Ledger) -> int:
    ws = _sheet(wb, ROSTER, "农户（单位）名册（内部台账，不公开）",
                [("户号", 10), ("户主（单位名称）", 18), ("网格（村民小组）", 16), ("家庭人口", 10), ("类型", 14),
                 ("备注", 28)])
    last = FIRST + ledger.households - 1
    for row in range(FIRST, last + 1):
        _cells(ws, row, [None] * 6)
        ws.row_dimensions[row].height = HAND_ROW
    unique = DataValidation(type="custom", formula1=f"COUNTIF($A${FIRST}:$A${last},A{FIRST})=1",
                            error="户号重复，请检查。")
    _validate(ws, unique, f"A{FIRST}:A{last}")
    people = DataValidation(type="whole", operator="between", formula1="1", formula2="30", error="请输入 1—30 的整数。")
    _validate(ws, people, f"D{FIRST}:D{last}")
    kinds = DataValidation(type="list", formula1='"农户,企业,家庭农场,合作社,个体工商户"', error="请从下拉列表选择。")
    _validate(ws, kinds, f"E{FIRST}:E{last}")
    return last


def _items(wb: Workbook, ledger: Ledger) -> int:
    ws = _sheet(wb, ITEMS, "积分项目及分值（扣分项为负数）",
                [("编号", 8), ("类别", 18), ("项目", 40), ("分值", 8), ("计分说明", 22)])
    rows = ledger.rows()
    for i, (code, category, name, points, note) in enumerate(rows):
        _cells(ws, FIRST + i, [code, category, name, points, note])
        ws.cell(FIRST + i, 4).number_format = "+0.0#;-0.0#;0"
    last = FIRST + len(rows) - 1
    _fit(ws, FIRST, last)
    for row in range(last + 1, last + SPARE_ITEMS + 1):  # ruled rows for items the village adds
        _cells(ws, row, [None] * 5)
        ws.row_dimensions[row].height = HAND_ROW
    points = DataValidation(type="decimal", operator="between", formula1="-100", formula2="100",
                            error="分值须为 -100 到 100 之间的数字；扣分项写负数。")
    _validate(ws, points, f"D{FIRST}:D{last + SPARE_ITEMS}")
    return last + SPARE_ITEMS


def _log(wb: Workbook, ledger: Ledger, roster_last: int, items_last: int) -> int:
    ws = _sheet(wb, LOG, "积分记录（日录入、月审核）",
                [("日期", 12), ("月份", 6), ("户号", 10), ("户主", 14), ("项目编号", 10), ("项目", 36), ("次数", 6),
                 ("得分", 8), ("事由", 28), ("记录人", 10), ("审核人", 10)])
    people = f"{_ref(ROSTER, f'$A${FIRST}:$B${roster_last}')}"
    items = f"{_ref(ITEMS, f'$A${FIRST}:$D${items_last}')}"
    last = FIRST + ledger.log_rows - 1
    for r in range(FIRST, last + 1):
        _cells(ws, r, [
            None,
            Formula(f'=IF(A{r}="","",MONTH(A{r}))'),
            None,
            Formula(f'=IF(C{r}="","",IFERROR(VLOOKUP(C{r},{people},2,FALSE),"未登记"))'),
            None,
            Formula(f'=IF(E{r}="","",IFERROR(VLOOKUP(E{r},{items},3,FALSE),"无此编号"))'),
            None,
            Formula(f'=IF(OR(E{r}="",G{r}=""),"",IFERROR(VLOOKUP(E{r},{items},4,FALSE)*G{r},0))'),
            None, None, None,
        ], calc={2, 4, 6, 8})
        ws.cell(r, 1).number_format = "yyyy-mm-dd"
    date = DataValidation(type="date", operator="between", formula1="36526", formula2="73051",
                          error="请输入日期，如 2025-03-18。")
    _validate(ws, date, f"A{FIRST}:A{last}")
    household = DataValidation(type="list", formula1=_ref(ROSTER, f"$A${FIRST}:$A${roster_last}"),
                               error=f"户号须先在“{ROSTER}”表登记。")
    _validate(ws, household, f"C{FIRST}:C{last}")
    item = DataValidation(type="list", formula1=_ref(ITEMS, f"$A${FIRST}:$A${items_last}"),
                          error=f"项目编号须在“{ITEMS}”表中。")
    _validate(ws, item, f"E{FIRST}:E{last}")
    times = DataValidation(type="whole", operator="between", formula1="1", formula2="31",
                           error="次数须为 1—31 的整数。")
    _validate(ws, times, f"G{FIRST}:G{last}")
    return last


def _tally(wb: Workbook, ledger: Ledger, roster_last: int, log_last: int) -> None:
    months = [(f"{m}月", 7) for m in range(1, 13)]
    ws = _sheet(wb, TALLY, "积分年度汇总（按月自动统计）",
                [("户号", 10), ("户主", 14), ("网格", 12), *months, ("全年积分", 10), ("排名", 7), ("标记", 12)])
    for m in range(1, 13):
        ws.cell(HEADER_ROW, 3 + m, m).number_format = '0"月"'  # a number, so the SUMIFS can match the month
    log = {col: _ref(LOG, f"${col}${FIRST}:${col}${log_last}") for col in "BCH"}
    base, commend, watch = (NAMES[k] for k in ("base", "commend", "watch"))
    count = roster_last - FIRST + 1
    last = FIRST + count - 1
    total_col, flag_col = get_column_letter(16), get_column_letter(18)
    for i in range(count):
        r = FIRST + i
        values: list[object] = [
            Formula(f'=IF({_ref(ROSTER, f"A{r}")}="","",{_ref(ROSTER, f"A{r}")})'),
            Formula(f'=IF($A{r}="","",{_ref(ROSTER, f"B{r}")}&"")'),
            Formula(f'=IF($A{r}="","",{_ref(ROSTER, f"C{r}")}&"")'),
        ]
        for m in range(1, 13):
            col = get_column_letter(3 + m)
            values.append(Formula(
                f'=IF($A{r}="","",SUMIFS({log["H"]},{log["C"]},$A{r},{log["B"]},{col}${HEADER_ROW}))'))
        values += [
            Formula(f'=IF($A{r}="","",{base}+SUM(D{r}:O{r}))'),
            Formula(f'=IF($A{r}="","",RANK({total_col}{r},${total_col}${FIRST}:${total_col}${last}))'),
            # The flag texts are cells on the 说明 sheet: record text never becomes part of a formula.
            Formula(f'=IF($A{r}="","",IF({total_col}{r}>={commend},{NAMES["commend_label"]},'
                    f'IF({total_col}{r}<{watch},{NAMES["watch_label"]},"")))'),
        ]
        _cells(ws, r, values, calc=set(range(1, 19)))
    total_row = last + 1
    _cells(ws, total_row, ["合计", None, None, *[
        Formula(f"=SUM({get_column_letter(c)}{FIRST}:{get_column_letter(c)}{last})") for c in range(4, 17)
    ], None, None], calc=set(range(1, 19)))
    for c in range(1, 19):
        ws.cell(total_row, c).font = Font(name=FONT, bold=True)
    flags = f"{flag_col}{FIRST}:{flag_col}{last}"
    green, amber = PatternFill("solid", bgColor="C6EFCE"), PatternFill("solid", bgColor="FFEB9C")
    for name, fill in (("commend_label", green), ("watch_label", amber)):
        rule = f'AND({flag_col}{FIRST}<>"",{flag_col}{FIRST}={NAMES[name]})'
        ws.conditional_formatting.add(flags, FormulaRule(formula=[rule], fill=fill))
    ws.freeze_panes = f"D{FIRST}"  # household columns stay visible while scrolling through the months
    ws.print_title_cols = "A:C"  # the household on every page, should the months ever spill onto a second one


def ledger_xlsx(t: PracticeTemplate) -> bytes:
    """The points ledger workbook for a template with a `ledger:` section."""
    ledger = t.record.ledger
    if ledger is None:
        raise ValueError(f"template '{t.id}' has no ledger")
    wb = Workbook()
    notes_last = _notes(wb, t, ledger)
    roster_last = _roster(wb, ledger)
    items_last = _items(wb, ledger)
    log_last = _log(wb, ledger, roster_last, items_last)
    _tally(wb, ledger, roster_last, log_last)
    book = f"{t.record.document_title}·积分台账"
    # The narrow sheets print upright; the log and the twelve months of the tally need the width of a landscape page.
    for sheet, last, landscape in ((NOTES, notes_last, False), (ROSTER, roster_last, False),
                                   (ITEMS, items_last, False), (LOG, log_last, True), (TALLY, roster_last + 1, True)):
        _print(wb[sheet], book, last, landscape=landscape)
    wb.properties.creator = "govcases"
    wb.properties.title = f"{t.record.title}·积分台账"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.calculation.fullCalcOnLoad = True  # no cached values are stored; make Excel/WPS compute on open
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
