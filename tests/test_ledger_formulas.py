"""Record text in the Excel ledger is data: never a formula, never part of one, also after recalculation."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO

from govcases.downloads.xlsx import ledger_xlsx
from govcases.records.library import load_library
from govcases.records.templates import PracticeTemplate

HOSTILE = ['=HYPERLINK("http://evil.example/","点此查看")', "+SUM(1,2)", "-2+3", "@NOW()", "\t=1+1", "=1+1"]
LABEL = '评为"文明户"'
WATCH = '")&HYPERLINK("http://evil.example/","x")&("'


def crafted() -> PracticeTemplate:
    """The points template with hostile item names, notes, category names and flag labels."""
    lib = load_library(REPO)
    t = next(t for t in lib.templates if t.id == "points-rules")
    ledger = t.record.ledger
    assert ledger is not None
    cat = ledger.categories[0]
    items = tuple(item.model_copy(update={"name": name, "note": name})
                  for item, name in zip(cat.items, HOSTILE, strict=False))
    cats = (cat.model_copy(update={"name": "=2*3", "items": items}), *ledger.categories[1:])
    ledger = ledger.model_copy(update={"categories": cats, "commend_label": LABEL, "watch_label": WATCH,
                                       "households": 5, "log_rows": 20})
    return t.model_copy(update={"record": t.record.model_copy(update={"ledger": ledger})})


def test_record_text_is_never_a_formula() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(crafted())))
    items = wb["积分项目"]
    for row in range(3, 3 + len(HOSTILE)):
        for col in (2, 3, 5):  # 类别, 项目, 计分说明
            cell = items.cell(row, col)
            assert cell.data_type == "s" and not str(cell.value).startswith("="), (cell.coordinate, cell.value)
    assert items["C3"].value == "'" + HOSTILE[0]  # shown with the quote OWASP asks for, as text
    formulas = [c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas, "the ledger still computes"
    for text in ("HYPERLINK", "文明户", "NOW(", "evil"):
        assert not any(text in f for f in formulas), text
    notes = wb["说明"]
    assert (notes["B6"].value, notes["B7"].value) == (LABEL, WATCH)  # the flags are parameter cells
    assert "CommendLabel" in wb["年度汇总"]["R3"].value


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_without_errors_or_live_functions(tmp_path: Path) -> None:
    t = crafted()
    wb = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(t)))
    # Fill the roster and the log, so every formula has something to compute (a household above the
    # commend line and one below the watch line).
    roster, log = wb["农户名册"], wb["积分记录"]
    for r, (code, name) in enumerate([("H1", "张三"), ("H2", "李四")], 3):
        roster.cell(r, 1, code)
        roster.cell(r, 2, name)
    import datetime

    log.cell(3, 1, datetime.date(2025, 3, 18))
    log.cell(3, 3, "H1")
    log.cell(3, 5, "J01")
    log.cell(3, 7, 31)
    for col, value in ((1, datetime.date(2025, 4, 1)), (3, "H2"), (5, "F01"), (7, 31)):
        log.cell(4, col, value)
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    profile = (tmp_path / "profile").as_uri()
    texts = []
    for sheet in (3, 4, 5):  # 积分项目, 积分记录, 年度汇总 (1-based: 说明, 农户名册, …)
        out = tmp_path / f"s{sheet}"
        cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
               f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}",
               "--outdir", str(out), str(path)]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        texts.append(next(out.glob("*.csv")).read_text(encoding="utf-8"))
    whole = "\n".join(texts)
    assert "Err:" not in whole and "#NAME?" not in whole and "#VALUE!" not in whole, whole[:2000]
    items = list(csv.reader(io.StringIO(texts[0])))
    assert items[2][2] == "'" + HOSTILE[0]  # the text itself, not a link and not its result
    assert items[4][2] == "'-2+3" and items[2][1] == "'=2*3"
    assert "evil" not in texts[1].replace("'=HYPERLINK(\"\"http://evil.example/", "")
    tally = list(csv.reader(io.StringIO(texts[2])))
    h1 = next(row for row in tally if row and row[0] == "H1")
    h2 = next(row for row in tally if row and row[0] == "H2")
    assert h1[17] == LABEL and h2[17] == WATCH  # the flag texts, exactly, from their parameter cells
