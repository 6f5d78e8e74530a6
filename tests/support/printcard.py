"""Where things fall on the printed case card: title icons over text, and what must share a page with what follows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("print_layout.js").read_text(encoding="utf-8")
A4_TEXT_WIDTH = 703  # CSS px: 210 mm less the 12 mm side margins of the card's @page rule


def icon_overlaps(page: Any) -> list[list[str]]:
    """[box class, text] of every text in a visible box that its title icon covers, laid out at the A4 text width."""
    page.set_viewport_size({"width": A4_TEXT_WIDTH, "height": 900})
    return page.evaluate(f"() => {SCRIPT}.iconOverlaps()")


def split_keeps(page: Any, tmp: Path) -> tuple[int, list[str]]:
    """(pages, things that end a page apart from what follows them: heading texts, 关键数据表头, 关键数据整表).

    Call with the page in print media, after printing what the reader gets: this prints again with markers that
    take no room (the caller compares the page counts), and leaves them in the page."""
    keeps = page.evaluate(f"() => {SCRIPT}.markKeeps()")
    f = tmp / "marked.pdf"
    f.write_bytes(page.pdf(format="A4", print_background=True))
    text = subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    on_page = {int(m): n for n, sheet in enumerate(sheets, 1) for m in re.findall(r"gcm(\d+)x", sheet)}
    assert set(on_page) == {m for _, a, b in keeps for m in (a, b)}, "markers lost in the PDF"
    return len(sheets), [what for what, end, start in keeps if on_page[end] != on_page[start]]
