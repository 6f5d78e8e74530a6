"""A4 print setup for the .xlsx files the project writes: page, repeated titles, print area and row heights."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

# A column-width unit is the width of one digit of the default 11-point font: about 7 pixels, 5.25 points.
UNIT_PT = 5.25
# Printable widths of an A4 page at 100 % with the margins below, in column-width units.
MARGIN_SIDE, MARGIN_TOP = 0.6, 0.75  # inches; the header and footer sit in the top and bottom margins
PAGE_WIDTH = {False: (595 - 2 * 72 * MARGIN_SIDE) / UNIT_PT, True: (842 - 2 * 72 * MARGIN_SIDE) / UNIT_PT}
MAX_ROW_PT = 409  # the tallest row Excel allows
FOOTER = "第&P页/共&N页"
HEADER_FONT = "宋体,Regular"


def setup(ws: Worksheet, title: str, *, landscape: bool, title_rows: int = 0, title_cols: str = "",
          area: str = "", pages_wide: int = 1) -> None:
    """A4 in the given orientation, `pages_wide` pages across, title rows/columns repeated on every page,
    the sheet's title in the header and 第n页/共m页 in the footer; `area` limits what prints."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = pages_wide, 0  # 0: as many pages down as needed
    if pages_wide > 1:
        ws.page_setup.pageOrder = "overThenDown"  # the pages of one block of rows come one after another
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    if title_cols:
        ws.print_title_cols = title_cols
    if area:
        ws.print_area = area
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = 0.3
    # "&" starts a header code: a title from a record prints as written.
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddHeader.center.font, ws.oddHeader.center.size = HEADER_FONT, 10
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font, ws.oddFooter.center.size = HEADER_FONT, 9


def text_width(text: str, size: float) -> float:
    """The width of one line of `text` in `size`-point type, in column-width units (CJK characters are one em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62 for ch in text)
    return ems * size / UNIT_PT


def lines(text: str, width: float, size: float) -> int:
    """How many lines `text` takes when wrapped in a column `width` units wide (each paragraph starts a line)."""
    room = max(width - 1.0, 1.0)  # the cell's inner padding
    # Latin words move whole to the next line, so a wrapped line holds a little less than its full width.
    return sum(max(1, math.ceil(text_width(part, size) * 1.06 / room)) for part in str(text).split("\n"))


def height(texts: Iterable[tuple[str, float, float]], *, least: float = 0) -> float:
    """A row height in points that shows every (text, column width, font size) of the row in full."""
    # 1.4 em a line fits both Windows fonts (宋体 ~1.15 em) and the CJK fallbacks of LibreOffice (~1.45 em).
    need = max((lines(t, w, s) * s * 1.4 + 3 for t, w, s in texts if t), default=0)
    return min(max(need, least), MAX_ROW_PT)
