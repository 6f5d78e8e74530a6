"""Practice templates: real records load, pages link to real cases, every .docx/.xlsx has the right structure."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import CORPUS
from docx.oxml.ns import qn

from govcases.pages.templates import template_outputs, templates_for_case
from govcases.records.library import Library, collect
from govcases.records.templates import FIELD_RE, PracticeTemplate, load_templates

ROOT = CORPUS  # the frozen records: code tests
REQUIRED = {"village-rules", "points-rules", "red-black-list", "wedding-funeral-council",
            "consultation-procedure", "grid-worker-duties"}

MINIMAL = """\
title: 测试模板
document_title: 【村名】测试办法
summary: 一句话介绍。
purpose: 用途说明。
when_to_use: [测试时]
checklist: [逐条核对]
sections:
  - heading: 总则
    articles:
      - 本办法适用于【村名】。
fields:
  - name: 村名
    explain: 村的名称。
cases:
  - sichuan-miyi-1357
  - {ref}
practice_types: [points]
"""


@pytest.fixture(scope="module")
def lib() -> Library:
    # Case files are being edited by others; templates must be clean, cases are whatever is valid now.
    found, problems = collect(ROOT)
    assert found is not None
    assert [str(p) for p in problems if p.path.startswith("templates/") or "/templates/" in p.path] == []
    return found


@pytest.fixture(scope="module")
def outputs(lib: Library) -> tuple[dict[str, str], dict[str, bytes]]:
    return template_outputs(lib)


def _templates(lib: Library) -> list[PracticeTemplate]:
    return list(lib.templates)


def test_real_templates_load(lib: Library) -> None:
    ids = {t.id for t in lib.templates}
    assert ids >= REQUIRED
    for t in lib.templates:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t.id)
        assert t.record.cases and t.record.checklist and t.record.fields
        assert all(c in lib.by_id for c in t.record.cases), t.id
        assert all(lib.taxonomy.type(x) is not None for x in t.record.practice_types)
    points = next(t for t in lib.templates if t.id == "points-rules")
    assert points.record.ledger is not None and points.record.ledger.deductions
    village = next(t for t in lib.templates if t.id == "village-rules")
    checklist = "".join(village.record.checklist)
    for must in ("征集", "审核", "村民会议", "备案", "公布", "罚款"):
        assert must in checklist


def test_pages_and_files_exist(lib: Library, outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    pages, files = outputs
    index = pages["templates/index.md"]
    for t in lib.templates:
        page = pages[f"templates/{t.id}.md"]
        assert f"]({t.id}.md)" in index
        word = f'(../downloads/{t.id}.docx){{ .md-button .md-button--primary download="{t.record.title}.docx" }}'
        assert f"[下载 Word]{word}" in page
        assert "Markdown" not in page and "Markdown" not in index
        assert ("-ledger.xlsx" in page) == (t.record.ledger is not None)
        assert "## 合法性与程序核对清单" in page and "## 填空项说明" in page and "## 参考案例" in page
        for case_id in t.record.cases:
            assert f"](../cases/{case_id}.md)" in page
        for f in t.record.fields:
            assert f"| 【{f.name}】 |" in page
        assert f"downloads/{t.id}.docx" in files and f"downloads/{t.id}.md" not in files
        assert (f"downloads/{t.id}-ledger.xlsx" in files) == (t.record.ledger is not None)
    points = pages["templates/points-rules.md"]
    ledger = '(../downloads/points-rules-ledger.xlsx){ download="积分制管理细则（范本）积分台账.xlsx" }'
    assert f"[下载积分台账 Excel]{ledger.replace('{ ', '{ .md-button ')}" in points
    word = '[Word](../downloads/points-rules.docx){ download="积分制管理细则（范本）.docx" }'
    assert f"{word} · [Excel 台账]{ledger}" in index


def test_templates_for_case(lib: Library) -> None:
    found = {t.id for t in templates_for_case(lib, "sichuan-miyi-1357")}
    assert {"village-rules", "wedding-funeral-council"} <= found
    assert templates_for_case(lib, "no-such-case") == []


def _font(element: object) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_docx_structure(lib: Library, outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    _, files = outputs
    for t in lib.templates:
        rec = t.record
        document = docx.Document(io.BytesIO(files[f"downloads/{t.id}.docx"]))
        paras = document.paragraphs
        assert paras[0].style.name == "Title" and paras[0].text == rec.document_title
        h1 = [p.text for p in paras if p.style.name == "Heading 1"]
        h2 = [p.text for p in paras if p.style.name == "Heading 2"]
        for section in rec.sections:
            assert any(text.endswith(section.heading) for text in h1), section.heading
            for sub in section.subsections:
                assert any(text.endswith(sub.heading) for text in h2), sub.heading
        text = "\n".join(p.text for p in paras) + "".join(c.text for tb in document.tables for c in tb._cells)
        for f in rec.fields:
            assert f"【{f.name}】" in text
        assert set(FIELD_RE.findall(text)) <= {f.name for f in rec.fields}
        highlighted = [r.text for p in paras for r in p.runs if r.font.highlight_color is not None]
        assert highlighted and all(FIELD_RE.fullmatch(h) for h in highlighted)
        # GB/T 9704 page and fonts
        sec = document.sections[0]
        sizes = (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
        assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]  # A4; GB/T 9704 margins
        styles = document.styles
        assert _font(styles["Normal"].element) == "仿宋_GB2312" and styles["Normal"].font.size.pt == 16
        assert _font(styles["Title"].element) == "方正小标宋简体" and styles["Title"].font.size.pt == 22
        assert _font(styles["Heading 1"].element) == "黑体"
        assert _font(styles["Heading 2"].element) == "楷体_GB2312"
        footer = sec.footer.paragraphs[0]._p.xml
        assert "PAGE" in footer and "—" in footer
        if rec.ledger is not None:
            codes = [row.cells[0].text for row in document.tables[0].rows[1:]]
            assert codes == [code for code, *_ in rec.ledger.rows()]


def test_docx_declares_fallback_fonts(outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(outputs[1]["downloads/village-rules.docx"])) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in table


def test_xlsx_structure(lib: Library, outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    t = next(t for t in lib.templates if t.id == "points-rules")
    ledger = t.record.ledger
    assert ledger is not None
    wb = openpyxl.load_workbook(io.BytesIO(outputs[1]["downloads/points-rules-ledger.xlsx"]))
    assert wb.sheetnames == ["说明", "农户名册", "积分项目", "积分记录", "年度汇总"]
    items = wb["积分项目"]
    rows = ledger.rows()
    assert [(items.cell(3 + i, 1).value, items.cell(3 + i, 4).value) for i in range(len(rows))] == [
        (code, pts) for code, _, _, pts, _ in rows
    ]
    log, tally = wb["积分记录"], wb["年度汇总"]
    assert str(log["H3"].value).startswith("=") and "VLOOKUP" in log["H3"].value
    first = [tally.cell(3, c).value for c in range(1, 19)]
    assert all(isinstance(v, str) and v.startswith("=") for v in first)
    assert "SUMIFS(" in first[3] and "SUM(D3:O3)" in first[15] and "RANK(" in first[16]
    assert first[17].count("IF(") == 3 and "CommendLabel" in first[17] and "WatchLabel" in first[17]
    total_row = 3 + ledger.households
    assert tally.cell(total_row, 1).value == "合计" and tally.cell(total_row, 4).value.startswith("=SUM(D3:D")
    assert wb["说明"]["B3"].value == ledger.base
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("A3", "D3"), ws.title
        # the narrow sheets print upright; the log and the twelve months of the tally need a landscape page
        wide = ws.title in ("积分记录", "年度汇总")
        assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"  # title and header rows repeat on every printed page
    checked = {str(dv.sqref) for ws in (log, items) for dv in ws.data_validations.dataValidation}
    assert f"G3:G{2 + ledger.log_rows}" in checked  # 次数
    assert any(s.startswith("D3:D") for s in checked)  # 分值
    kinds = {dv.type for dv in log.data_validations.dataValidation}
    assert {"list", "whole", "date"} <= kinds


def _write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_unknown_case_is_a_located_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, "x.yaml", MINIMAL.format(ref="nowhere-village"))
    templates, problems = load_templates(folder, {"sichuan-miyi-1357"})
    assert templates == []
    assert [str(p) for p in problems] == [
        "templates/x.yaml:16:5: cases[1]：没有“nowhere-village”这个案例（cases/nowhere-village.yaml 不存在）；"
        "请写 cases/ 下已有案例的文件名（不带 .yaml）"
    ]


def test_near_miss_case_gets_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, "x.yaml", MINIMAL.format(ref="sichuan-miyi-1375"))
    _, problems = load_templates(folder, {"sichuan-miyi-1357"})
    assert [p.message for p in problems] == [
        "没有“sichuan-miyi-1375”这个案例（cases/sichuan-miyi-1375.yaml 不存在）；是不是“sichuan-miyi-1357”？"
    ]


def test_fill_in_fields_must_be_listed_and_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = MINIMAL.format(ref="sichuan-miyi-1357").replace("本办法适用于【村名】。", "本办法自【日期】起施行。")
    folder = _write(tmp_path, "x.yaml", text)
    _, problems = load_templates(folder, {"sichuan-miyi-1357"})
    assert [str(p) for p in problems] == [
        "templates/x.yaml:10:9: sections[0].articles[0]：填空项【日期】没有在 fields 里说明；"
        "请在 fields 下加一项 name: 日期，写明填什么",
    ]
    text = text.replace("【村名】测试办法", "测试办法")
    _, problems = load_templates(_write(tmp_path, "x.yaml", text), {"sichuan-miyi-1357"})
    assert ("fields[0].name：fields 里的“村名”在正文中没有用到（应写作【村名】）；"
            "请在正文里用上它，或从 fields 删掉") in [
        f"{p.field}：{p.message}" for p in problems
    ]


def test_template_id_must_be_a_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, "Village_Rules.yaml", MINIMAL.format(ref="sichuan-miyi-1357"))
    _, problems = load_templates(folder, {"sichuan-miyi-1357"})
    assert [p.message for p in problems] == ["文件名“Village_Rules.yaml”不能作为模板 id（它也是网页地址）；"
                                             "请改名，只用小写英文字母、数字和连字符，如 village-rules.yaml"]


def test_ledger_thresholds_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = MINIMAL.format(ref="sichuan-miyi-1357") + (
        "ledger:\n  commend_at: 10\n  watch_below: 20\n"
        "  categories:\n    - name: 环境\n      items:\n        - {name: 清扫, points: '2分'}\n"
    )
    _, problems = load_templates(_write(tmp_path, "x.yaml", text), {"sichuan-miyi-1357"})
    assert [f"{p.field}：{p.message}" for p in problems] == [
        "ledger.categories[0].items[0].points：应为数字，现为“2分”；请只写阿拉伯数字，如 978 或 2.5"]
    _, problems = load_templates(_write(tmp_path, "x.yaml", text.replace("'2分'", "2")), {"sichuan-miyi-1357"})
    assert [f"{p.field}：{p.message}" for p in problems] == [
        "ledger：watch_below（20）应低于 commend_at（10）；请调低帮扶关注线或调高表彰线"]


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_every_file(tmp_path: Path, outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    names = []
    for path, data in outputs[1].items():
        if path.endswith((".docx", ".xlsx")):
            name = path.split("/")[-1]
            (tmp_path / name).write_bytes(data)
            names.append(name)
    profile = (tmp_path / "profile").as_uri()  # a private profile, so a running LibreOffice does not interfere
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(tmp_path / "pdf"), *names]
    result = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for name in names:
        pdf = tmp_path / "pdf" / (name.rsplit(".", 1)[0] + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, name
        assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "village-rules.pdf"), "-"],
                              capture_output=True, text=True, timeout=60).stdout
        assert "村规民约" in text and "第一章" in text and "【村名】" in text


DEPARTURE = """\
departures:
  - case: {ref}
    what: 案例把低分与补贴挂钩；本范本不挂钩。
    why: 村规民约不得侵犯村民的合法财产权利（《中华人民共和国村民委员会组织法》）。
"""


def test_departure_cases_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    known = {"sichuan-miyi-1357", "sichuan-luojiang-anjia-points"}
    base = MINIMAL.format(ref="sichuan-miyi-1357").replace("practice_types:", DEPARTURE + "practice_types:")
    _, problems = load_templates(_write(tmp_path, "x.yaml", base.format(ref="nowhere-village")), known)
    assert [str(p) for p in problems] == [
        "templates/x.yaml:18:11: departures[0].case：没有“nowhere-village”这个案例"
        "（cases/nowhere-village.yaml 不存在）；请写 cases/ 下已有案例的文件名（不带 .yaml）"
    ]
    _, problems = load_templates(_write(tmp_path, "x.yaml", base.format(ref="sichuan-luojiang-anjia-points")), known)
    assert [str(p) for p in problems] == [
        "templates/x.yaml:18:11: departures[0].case：案例“sichuan-luojiang-anjia-points”不在本模板的 cases 里；"
        "departures 只能写本模板引用的案例，请先把它加进 cases"
    ]
    templates, problems = load_templates(_write(tmp_path, "x.yaml", base.format(ref="sichuan-miyi-1357")), known)
    assert problems == []
    assert [(d.case, d.what) for d in templates[0].record.departures] == [
        ("sichuan-miyi-1357", "案例把低分与补贴挂钩；本范本不挂钩。")
    ]


def test_departures_block_on_the_template_page(lib: Library, outputs: tuple[dict[str, str], dict[str, bytes]]) -> None:
    t = next(t for t in lib.templates if t.id == "three-councils-five-members")
    d = t.record.departures[0]
    case = lib.by_id[d.case]
    page = outputs[0]["templates/three-councils-five-members.md"]
    block = (
        '!!! note "与所引案例的不同之处"\n\n'
        "    以下几处本范本有意没有照搬所引案例的做法，采用前请一并了解理由。\n\n"
        f"    - [{case.record.title}](../cases/{d.case}.md)：{d.what}**理由：**{d.why}\n"
    )
    assert block in page
    assert page.index("## 参考案例") < page.index(block)
    # A template without departures has no such block.
    plain = [t for t in lib.templates if not t.record.departures]
    for t in plain:
        assert "与所引案例的不同之处" not in outputs[0][f"templates/{t.id}.md"]
