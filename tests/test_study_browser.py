"""Word compilations (案例汇编) downloaded in Chromium, served and from disk, and the printed case card.

Each 汇编 is opened with python-docx (exactly the selected cases, in the page's order, every part of a
case present) and converted by LibreOffice to PDF; the first pages go to test-artifacts/ as PNG to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import pytest
from conftest import CORPUS, Watch, missing, needs_chromium
from printcard import icon_overlaps, split_keeps

from govcases.pages.labels import evidence_rows
from govcases.pages.study import shard_count, shard_of
from govcases.records.library import load_library

pytestmark = [pytest.mark.browser, needs_chromium]
REPO = Path(__file__).resolve().parent.parent
DATE = re.compile(r"^20\d\d年\d{1,2}月\d{1,2}日$")
# the terms of 安家村 in page order; in the frozen corpus each one's ground is its first measure
ANJIA_TERMS = ("积分制", "红黑榜", "村规民约", "网格化管理", "自治", "德治", "法治", "党建引领")


@pytest.fixture
def page(chromium: Any, site_server: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.watch = Watch(context, site_server)
    yield page
    context.close()


def download(page: Any, button: Any, dest: Path) -> Path:
    """Click an “导出 Word 汇编” button and save the file it gives."""
    with page.expect_download() as info:
        button.click()
    info.value.save_as(dest)
    assert info.value.suggested_filename.endswith(".docx")
    return dest


def case_titles(path: Path) -> tuple[str, list[str], list[str]]:
    """(cover title, case titles in the body, table-of-contents entries) of a downloaded 汇编."""
    d = docx.Document(str(path))
    paras = d.paragraphs
    cover = next(p.text for p in paras if p.style.style_id == "Title")
    titles = [p.text for p in paras if p.style.style_id == "CaseTitle"]
    toc = [p.text for p in paras if p.style.style_id == "TOC1"]
    return cover, titles, toc


def check_docx(path: Path, expected_title: str, titles: list[str]) -> docx.document.Document:
    cover, found, toc = case_titles(path)
    assert cover == f"{expected_title}（{len(titles)}个）"
    assert found == titles
    assert [e.split("\t")[0] for e in toc] == [f"{i}. {t}" for i, t in enumerate(titles, 1)]
    assert all(re.fullmatch(r"\d+", e.split("\t")[1]) for e in toc)
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    assert any(DATE.match(t) for t in texts[:12]), texts[:12]
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.left_margin.mm)) == (37, 28)
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋_GB2312"
    heads = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    for part in ("基本情况", "案例摘要", "主要做法", "主要成效", "关键数据", "来源"):
        assert sum(h.endswith(part) for h in heads) == len(titles), part
    assert sum(h == "二、分类依据（编者判断，非原文内容）" for h in heads) == len(titles)  # right after 基本情况
    assert len(d.tables) == len(titles)  # the key figures of each case
    assert [c.text for c in d.tables[0].rows[0].cells] == ["指标", "数值", "说明"]
    assert "PAGE" in d.sections[0].footer.paragraphs[0]._p.xml
    return d


def grounds_of(d: docx.document.Document, title: str) -> list[Any]:
    """The paragraphs under the 分类依据 heading of the case titled `title`, up to the next heading."""
    paras = d.paragraphs
    start = next(i for i, p in enumerate(paras) if p.style.style_id == "CaseTitle" and p.text == title)
    head = next(i for i in range(start, len(paras)) if paras[i].text.endswith("、分类依据（编者判断，非原文内容）"))
    end = next(i for i in range(head + 1, len(paras)) if paras[i].style.style_id == "Heading2")
    return paras[head + 1:end]


def to_pdf(path: Path, artifacts: Path) -> str:
    """Convert with LibreOffice, render the first three pages to PNG in test-artifacts/; the PDF's text."""
    soffice = shutil.which("soffice")
    if soffice is None:
        missing("needs LibreOffice (soffice)")
    out = path.parent
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-l", "3", str(pdf), str(artifacts / path.stem)], check=True)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def finder_titles(page: Any) -> list[str]:
    return page.locator("#gc-results .gc-card__title").all_inner_texts()


def test_finder_compile_holds_the_selected_cases_in_order(page: Any, site_server: str, tmp_path: Path,
                                                        artifacts: Path) -> None:
    page.goto(site_server + "finder/?type=points&province=" + quote("四川省"))
    page.wait_for_selector("#gc-finder[data-state=ready]")
    titles = finder_titles(page)
    assert len(titles) >= 2
    path = download(page, page.locator("#gc-compile"), tmp_path / "finder-points.docx")
    d = check_docx(path, "四川省积分制典型案例汇编", titles)
    texts = [p.text for p in d.paragraphs]
    assert "编者分析（非原文内容）" in " ".join(texts)
    anjia = load_library(CORPUS).by_id["sichuan-luojiang-anjia-points"].record.title
    assert anjia in titles
    grounds = grounds_of(d, anjia)
    assert [(p.text, p.style.style_id) for p in grounds] == [
        ("以下是案例库编者对本案例归入上述实践类型和治理维度的说明，不是来源原文的内容。", "Note")] + [
        (f"{name}：做法“划定积分对象”", "Normal") for name in ANJIA_TERMS]
    label = grounds[1].runs[0]  # the term in 楷体, as the labels of the editors' analysis
    assert label.text == "积分制：" and label._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "楷体_GB2312"
    assert any(t.startswith("案例页面：" + site_server + "cases/") for t in texts)
    # notes are set flush left: justified, the line with a long URL spread “案 例 页 面 ：” across the page
    assert d.styles["Note"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert page.locator(".gc-compile__status").inner_text().startswith("已生成《四川省积分制典型案例汇编")
    pdf = to_pdf(path, artifacts)
    flat = re.sub(r"\s+", "", pdf)
    assert "四川省积分制典型案例汇编" in flat and "目录" in flat and "—2—" in flat
    assert "二、分类依据（编者判断，非原文内容）" in flat and "积分制：做法“划定积分对象”红黑榜：" in flat
    # LibreOffice lays out the PAGEREF fields of the contents itself: they name the page each case starts on,
    # and the page numbers the file holds for WPS (an estimate) are at most one page off.
    pages = [re.sub(r"\s+", "", p) for p in pdf.split("\f")]
    starts = [next(i for i, p in enumerate(pages, 1) if p.startswith(re.sub(r"\s+", "", t)[:10])) for t in titles]
    contents = re.findall(r"\.{3,}\s*(\d+)\s*$", pdf.split("\f")[1], re.M)
    assert [int(n) for n in contents] == starts
    held = [int(e.split("\t")[1]) for e in case_titles(path)[2]]
    assert all(abs(a - b) <= 1 for a, b in zip(held, starts, strict=True)), (held, starts)
    assert page.watch.foreign() == [] and page.watch.errors == []


def test_keyword_and_empty_selection(page: Any, site_server: str, tmp_path: Path) -> None:
    page.goto(site_server + "finder/?kw=" + quote("调解") + "&level=" + quote("县"))
    page.wait_for_selector("#gc-finder[data-state=ready]")
    titles = finder_titles(page)
    path = download(page, page.locator("#gc-compile"), tmp_path / "kw.docx")
    check_docx(path, "县级“调解”相关典型案例汇编", titles)
    page.goto(site_server + "finder/?kw=" + quote("没有这个词的案例"))
    page.wait_for_selector("#gc-finder[data-state=ready]")
    page.locator("#gc-compile").click()
    assert page.locator(".gc-compile__status").inner_text() == "没有可导出的案例。"


@pytest.mark.parametrize(("path", "title"), [
    ("types/points/", "积分制典型案例汇编"),
    ("regions/sichuan/panzhihua/miyi/", "四川省攀枝花市米易县典型案例汇编"),
    ("dimensions/rule-of-law/", "法治典型案例汇编"),
])
def test_page_compile_follows_the_page(page: Any, site_server: str, tmp_path: Path, artifacts: Path, path: str,
                                       title: str) -> None:
    page.goto(site_server + path)
    # The page's own comparison table lists the cases in the order the 汇编 must keep.
    table = page.locator("table").filter(has=page.locator("th", has_text="命名模式")).first
    titles = table.locator("tbody tr td:first-child").all_inner_texts()
    out = download(page, page.locator("button.gc-compile"), tmp_path / (path.strip("/").replace("/", "-") + ".docx"))
    check_docx(out, title, titles)
    if path.startswith("types"):
        to_pdf(out, artifacts)
    assert page.watch.foreign() == [] and page.watch.errors == []


def test_browser_shards_match_the_build(page: Any, site_server: str) -> None:
    lib = load_library(CORPUS)
    ids = [c.id for c in lib.cases] + ["a", "synth-00042", "zz-9"]
    page.goto(site_server + "types/points/")
    for shards in (1, 7, 100):
        got = page.evaluate("([ids, n]) => ids.map(i => govcasesStudy.shardOf(i, n))", [ids, shards])
        assert got == [shard_of(i, shards) for i in ids]
    assert page.locator("button.gc-compile").get_attribute("data-gc-shards") == str(shard_count(len(lib.cases)))


def test_offline_copy_finder_and_compile(chromium: Any, offline_site: Path, tmp_path: Path) -> None:
    context = chromium.new_context(accept_downloads=True)
    context.set_default_timeout(20_000)
    watch = Watch(context, offline_site.as_uri())
    page = context.new_page()
    page.goto((offline_site / "finder.html").as_uri() + "?type=points&province=" + quote("四川省"))
    page.wait_for_selector("#gc-finder[data-state=ready]")
    titles = finder_titles(page)
    assert titles and page.locator("#gc-results a").first.get_attribute("href").endswith(".html")
    path = download(page, page.locator("#gc-compile"), tmp_path / "offline.docx")
    d = check_docx(path, "四川省积分制典型案例汇编", titles)
    assert not any(p.text.startswith("案例页面：") for p in d.paragraphs)  # a file:// address helps nobody
    page.goto((offline_site / "types" / "points.html").as_uri())
    out = download(page, page.locator("button.gc-compile"), tmp_path / "offline-type.docx")
    assert case_titles(out)[0].startswith("积分制典型案例汇编")
    page.goto((offline_site / "stats" / "index.html").as_uri())
    page.locator(".gc-heat a").first.click()
    page.wait_for_selector("#gc-finder[data-state=ready]")
    assert page.url.split("?")[0].endswith("/finder.html")
    assert watch.foreign() == [] and watch.errors == []
    context.close()


def pdf_pages(pdf: bytes, tmp: Path) -> int:
    f = tmp / "card.pdf"
    f.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def case_grounds(lib: Any, case: Any) -> str:
    """The grounds of classification as the printed card runs them on."""
    return "；".join(f"{name}：{why}" for name, why in evidence_rows(lib, case.record))


def test_every_case_card_prints_on_at_most_two_pages(page: Any, site_server: str, tmp_path: Path,
                                                     artifacts: Path) -> None:
    lib = load_library(CORPUS)  # the cases of the site under test
    pages: dict[str, int] = {}
    covered: dict[str, list[list[str]]] = {}
    split: dict[str, list[str]] = {}
    for case in lib.cases:
        page.goto(site_server + f"cases/{case.id}/")
        page.emulate_media(media="print")
        assert page.locator(".md-header").is_hidden() and page.locator(".md-tags").is_hidden()
        assert page.locator(".gc-print").is_hidden() and page.locator(".gc-facts").is_visible()
        assert page.locator(".gc-page-url").inner_text() == site_server + f"cases/{case.id}/"
        # the grounds of classification close the facts box, on paper only
        basis = page.locator(".gc-basis")
        assert basis.inner_text() == "分类依据（编者判断）　" + case_grounds(lib, case)
        facts = page.locator(".gc-facts table").bounding_box()
        assert abs(basis.bounding_box()["y"] - (facts["y"] + facts["height"])) < 1
        pdf = page.pdf(format="A4", print_background=True)
        pages[case.id] = pdf_pages(pdf, tmp_path)
        # no box title's icon on text; no heading, 具名做法 lead-in or figures header row ending a page alone
        covered[case.id] = icon_overlaps(page)
        marked, split[case.id] = split_keeps(page, tmp_path)
        assert marked == pages[case.id]  # the markers moved nothing
        page.emulate_media(media="screen")
        assert basis.is_hidden()  # on screen the grounds are the folded box under the facts
    page.goto(site_server + "cases/sichuan-luojiang-anjia-points/")
    page.emulate_media(media="print")
    assert page.locator(".gc-basis").inner_text() == "分类依据（编者判断）　" + "；".join(
        f"{name}：做法“划定积分对象”" for name in ANJIA_TERMS)
    page.emulate_media(media="screen")
    page.goto(site_server + "cases/guizhou-longli-duowang/")  # 55 figures: the longest card
    (artifacts / "case-card.pdf").write_bytes(page.pdf(format="A4", print_background=True))
    assert max(pages.values()) <= 2, pages
    assert {c: v for c, v in covered.items() if v} == {}
    assert {c: v for c, v in split.items() if v} == {}


def test_case_page_title_first_on_a_phone(chromium: Any, site_server: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_server + "cases/sichuan-luojiang-anjia-points/")
    h1 = page.locator("article h1").bounding_box()
    assert h1["y"] + h1["height"] < 300  # the title is high on the first screen
    order = page.evaluate("""() => [...document.querySelectorAll('article h1, article .gc-facts, article .md-tags')]
        .map(e => e.tagName === 'H1' ? 'title' : e.classList.contains('md-tags') ? 'tags' : 'facts')""")
    assert order == ["title", "facts", "tags"]
    context.close()


def test_print_button_prints(page: Any, site_server: str) -> None:
    page.goto(site_server + "cases/sichuan-luojiang-anjia-points/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="打印本案例").click()
    assert page.evaluate("() => window.__printed") == 1


@pytest.mark.parametrize("deflate", [True, False])
def test_record_text_stays_text_in_the_word_file(page: Any, site_server: str, tmp_path: Path, deflate: bool) -> None:
    hostile = 'A</w:t></w:r><w:r><w:t>B & <x> "q" \x01\x0b\ud800 end'
    case = {"id": "x", "title": hostile, "model": hostile, "place": "某省", "level": "村级", "year": 2022,
            "types": ["积分制"], "dims": ["自治"], "evidence": [["积分制", hostile]], "recognition": [],
            "summary": hostile, "background": "",
            "measures": [[hostile, hostile, [hostile]]], "procedures": [], "results": [hostile],
            "figures": [[hostile, "1个", hostile]], "analysis": [["推广要点", hostile]], "sources": [hostile],
            "url": "cases/x/", "page": ""}
    page.goto(site_server + "types/points/")
    if not deflate:  # a browser without CompressionStream writes stored entries
        page.evaluate("() => { window.CompressionStream = undefined; }")
    data = page.evaluate("""async (c) => {
        const blob = await govcasesStudy.makeDocx(c.title, [c], new Date(2024, 0, 2));
        return Array.from(new Uint8Array(await blob.arrayBuffer()));
    }""", case)
    out = tmp_path / "hostile.docx"
    out.write_bytes(bytes(data))
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        methods = {i.filename: i.compress_type for i in z.infolist()}
    assert methods["word/document.xml"] == (zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
    cover, titles, _ = case_titles(out)
    clean = 'A</w:t></w:r><w:r><w:t>B & <x> "q"  end'  # XML-illegal characters dropped, the rest kept as text
    assert cover == clean and titles == [clean]
    d = docx.Document(str(out))
    assert d.tables[0].rows[1].cells[0].text == clean
    assert "积分制：" + clean in [p.text for p in d.paragraphs]
    assert "2024年1月2日" in [p.text for p in d.paragraphs]
