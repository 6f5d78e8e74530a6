"""Read a filled submission workbook into rows per case, with a located Chinese problem for anything it cannot take."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govcases.exchange.cellformat import date_precision, shown
from govcases.exchange.layout import (
    CASES,
    DATE_FIELDS,
    EXAMPLE_MARK,
    INSTRUCTIONS,
    LISTS,
    NUMBER_FIELDS,
    SHEETS,
    Column,
    Sheet,
)
from govcases.exchange.rows import Row
from govcases.records.errors import Problem

MAX_BYTES = 50 * 1024 * 1024
_SAVE_AS = "请在 Excel 或 WPS 中打开，选“另存为”→“Excel 工作簿（*.xlsx）”后重新提交"
AS_TEXT = "请把单元格格式设为“文本”（右键→设置单元格格式→文本），再照来源原文重新输入"
_KIND = {dt.datetime: "日期", dt.date: "日期", dt.time: "时间"}


@dataclass
class Sheets:
    """What a workbook holds: rows of each sheet by 案例序号 (each with its row number), and the problems."""

    name: str
    rows: dict[str, dict[int, list[tuple[int, Row]]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Cells (关键数据!C6) whose text was read through a number format other than General, by that format:
    # Excel may have changed what was typed there (95.5% shows as 95.50%).
    formatted: dict[str, str] = field(default_factory=dict)

    def problem(self, where: str, message: str, field_name: str = "") -> None:
        """Record a problem at `where` (such as `关键数据!D7`)."""
        self.problems.append(Problem(f"{self.name} {where}" if where else self.name, 0, 0, field_name, message))


def read_workbook(path: Path, progress: Callable[[int, int], None] | None = None) -> Sheets:
    """The rows of every sheet of a submission workbook; problems instead of exceptions for any bad file."""
    out = Sheets(path.name)
    head = _head(path, out)
    if head is None:
        return out
    kind = _kind(path, head)
    if kind:
        out.problem("", kind)
        return out
    from openpyxl import load_workbook  # openpyxl loads only when a workbook is really read

    try:
        wb = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        out.problem("", f"文件不完整或已损坏，读不出表格内容（{type(exc).__name__}）：{_SAVE_AS}")
        return out
    names = [ws.title for ws in wb.worksheets]
    expected = [s.name for s in SHEETS]
    for name in expected:
        if name not in names:
            out.problem("", f"缺少工作表“{name}”：请使用本库的报送表（网站“报送”页下载），不要删除或改名工作表")
    for name in names:
        if name not in expected and name not in (INSTRUCTIONS, LISTS):
            out.problem(f"{name}!", f"多出的工作表“{name}”：报送表只读取 {'、'.join(expected)} 这几张表；"
                        "请把内容移到对应的表中，再删除这张表")
    if out.problems:
        return out
    total = sum(wb[s.name].max_row for s in SHEETS)
    done = 0
    for sheet in SHEETS:
        ws = wb[sheet.name]
        out.rows[sheet.name] = _sheet_rows(ws, sheet, out)
        done += ws.max_row
        if progress is not None:
            progress(done, total)
    if not out.problems and not out.rows[CASES.name]:
        out.problem(f"{CASES.name}!A3", "“案例”表里没有案例：请从第3行起每行填写一个案例（示例行不算）")
    return out


def _head(path: Path, out: Sheets) -> bytes | None:
    try:
        if not path.is_file():
            out.problem("", "找不到这个文件，或它不是普通文件：请检查文件名和位置")
            return None
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        out.problem("", f"无法读取文件（{exc.strerror or exc}）：请检查文件权限")
        return None
    if len(data) > MAX_BYTES:
        out.problem("", f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像是报送表：请检查是否选错了文件")
        return None
    if not data:
        out.problem("", "文件是空的（0 字节）：请重新保存后再提交")
        return None
    return data[:8]


def _kind(path: Path, head: bytes) -> str:
    """Why the file is not an .xlsx workbook, in words an official can act on; empty when it is one."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("这是旧版 Excel（.xls）文件，或设置了打开密码的文件，无法读取：如有密码请先取消密码，"
                f"然后{_SAVE_AS}")
    if not head.startswith(b"PK"):
        if path.suffix.lower() in (".csv", ".txt"):
            return f"这是 CSV 文本文件，不是报送表：{_SAVE_AS}（请使用网站“报送”页下载的报送表填写）"
        return f"这不是 Excel 工作簿（.xlsx）：{_SAVE_AS}"
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return f"文件不完整或已损坏（可能没有传完）：{_SAVE_AS}"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "这是 Word 文档（.docx），不是报送表：请把内容填到报送表（.xlsx）里再提交"
        return f"这不是 Excel 工作簿（.xlsx）：{_SAVE_AS}"
    return ""


def _sheet_rows(ws: Any, sheet: Sheet, out: Sheets) -> dict[int, list[tuple[int, Row]]]:
    for c, col in enumerate(sheet.columns, 1):
        got = _text(ws.cell(row=1, column=c).value).rstrip("*")
        if got != _text(col.header):
            where = f"{sheet.name}!{ws.cell(row=1, column=c).coordinate}"
            out.problem(where, f"列名应为“{col.header}”，现为“{got or '（空）'}”：请不要修改、插入或删除列，"
                        "可从网站“报送”页重新下载报送表，把内容复制过去")
    extra = [ws.cell(row=1, column=c).value for c in range(len(sheet.columns) + 1, ws.max_column + 1)]
    if any(v not in (None, "") for v in extra):
        where = f"{sheet.name}!{ws.cell(row=1, column=len(sheet.columns) + 1).coordinate}"
        out.problem(where, "表头右边多出了列：报送表不读取这些列，请把内容移到对应的列中，再删除多出的列")
    for merged in ws.merged_cells.ranges:
        if merged.max_row > 2:
            out.problem(f"{sheet.name}!{merged.coord}", "这是合并单元格：请取消合并，每一行分别填写完整")
    if out.problems:
        return {}
    rows: dict[int, list[tuple[int, Row]]] = defaultdict(list)
    for r in range(3, ws.max_row + 1):
        cells = [ws.cell(row=r, column=c) for c in range(1, len(sheet.columns) + 1)]
        if all(cell.value in (None, "") or (isinstance(cell.value, str) and not cell.value.strip()) for cell in cells):
            continue
        no = _text(cells[0].value)
        if no == EXAMPLE_MARK:
            continue
        row: Row = {}
        for cell, col in zip(cells, sheet.columns, strict=True):
            row[col.field] = _value(cell, sheet, col, out)
        number = _case_no(row.get("case"), f"{sheet.name}!{cells[0].coordinate}", out)
        if number is not None:
            rows[number].append((r, row))
    return rows


def _value(cell: Any, sheet: Sheet, col: Column, out: Sheets) -> Any:
    value = cell.value
    where = f"{sheet.name}!{cell.coordinate}"
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        out.problem(where, f"这里是公式（{str(value)[:40]}）：报送表只收数值和文字，请复制后用“选择性粘贴→数值”粘回")
        return None
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip() if _digits(value) else value.strip()
    if isinstance(value, bool) or value is None:
        return value
    if col.field in NUMBER_FIELDS or (col.field in DATE_FIELDS and isinstance(value, dt.date)):
        return _number(value, cell.number_format if col.field in DATE_FIELDS else "")
    # A text column holding a number or date: read as the official sees it (0.95 under 0% is 95%).
    text = shown(value, cell.number_format) if isinstance(value, (int, float, dt.date)) else None
    if text is None:
        kind = next((k for t, k in _KIND.items() if isinstance(value, t)), "数字")
        out.problem(where, f"此格被 Excel/WPS 当成了{kind}（格式“{cell.number_format}”），读不出它显示的写法："
                    f"{AS_TEXT}，如 95%、1.2万户、2022年10月")
        return None
    if str(cell.number_format).lower() not in ("general", "g/通用格式", "@"):
        out.formatted[where] = text
    return text


def _number(value: Any, fmt: str) -> Any:
    """A sequence number or year as a number; a date (2022-10 typed into a date field) as much as its format shows."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat()[: (4, 7, 10)[date_precision(fmt) - 1]] if fmt else day.isoformat()
    return value


def _digits(text: str) -> bool:
    # Full-width digits (２０２２) are what some input methods type; they are read as ordinary digits.
    folded = unicodedata.normalize("NFKC", text).strip()
    return bool(folded) and all(ch.isdigit() or ch in ".-" for ch in folded)


def _text(value: Any) -> str:
    return "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()


def _case_no(value: Any, where: str, out: Sheets) -> int | None:
    text = _text(value)
    if text.isdigit() and int(text) > 0:
        return int(text)
    if not text:
        out.problem(where, "“案例序号”没有填：请填写这一行属于哪个案例（与“案例”表的案例序号一致）")
    else:
        out.problem(where, f"“案例序号”应为 1、2、3 这样的正整数，现为“{text}”")
    return None
