"""The site end to end in headless Chromium, as a county or township official would use it.

Home → a practice type → a case → its template → the Word file; a phone with the drawer and the search box;
the printed case page; and the offline copy opened from disk. Every test records every request of its
browser context and allows none to a host other than the local server. Screenshots and the print PDF go
to test-artifacts/ (git-ignored): look at them after a change to the theme, the CSS or the templates.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docx
import pytest
from conftest import Watch, missing, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top",
          ".md-search"]


def site_path(url: str, base: str) -> str:
    """The part of `url` after the site root: 'cases/<id>/', 'types/points/' …"""
    return urlsplit(url).path[len(urlsplit(base).path):]


def search(page: Any, query: str) -> list[str]:
    """Type `query` into Material's search box as a person does; the result links once the list settles."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=30)
    # Chinese arrives through an input method whose commit ends with a key release; Material reads the box
    # on keyup, which inserting text alone does not fire. Shift stands in for that key.
    box.press("Shift")
    last: list[str] | None = None
    stable = 0
    for _ in range(300):  # the worker answers each keystroke: wait until the count shows and the list holds
        hrefs = page.locator(".md-search-result__list a.md-search-result__link").evaluate_all(
            "as => as.map(a => a.href)")
        counted = re.search(r"\d", page.inner_text(".md-search-result__meta")) is not None
        stable = stable + 1 if counted and hrefs == last else 0
        if stable >= 8:
            return hrefs
        last = hrefs
        page.wait_for_timeout(50)
    raise AssertionError(f"the search box gave no settled results for {query!r}")


def result_pages(hrefs: list[str], base: str) -> list[str]:
    """Search results as the pages they point to, best first, without the ?h= highlight and #section."""
    return list(dict.fromkeys(site_path(h.split("?")[0].split("#")[0], base) for h in hrefs))


def test_home_to_type_to_case_to_template_download(chromium: Any, site_server: str, built_site: Path,
                                                   artifacts: Path, tmp_path: Path) -> None:
    context = chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    watch = Watch(context, site_server)
    page = context.new_page()
    page.goto(site_server)
    page.wait_for_load_state("networkidle")  # Material fades the tabs in
    page.screenshot(path=str(artifacts / "home-desktop.png"))

    # A practice type from the home page's "按实践类型" list.
    page.locator("article a[href$='types/points/']").first.click()
    page.wait_for_load_state()
    assert site_path(page.url, site_server) == "types/points/"
    assert page.locator("article h1").inner_text() == "积分制"
    page.screenshot(path=str(artifacts / "type-points.png"))

    # The first case of the comparison table that has a template to download.
    hrefs = page.locator("article table a[href*='cases/']").evaluate_all("as => as.map(a => a.href)")
    ids = [site_path(h, site_server).split("/")[1] for h in hrefs]
    with_template = [i for i in ids
                     if "相关模板" in (built_site / "cases" / i / "index.html").read_text(encoding="utf-8")]
    assert with_template, "some 积分制 case should name a template"
    case_id = with_template[0]
    page.locator(f"article table a[href$='cases/{case_id}/']").first.click()
    page.wait_for_load_state()
    assert site_path(page.url, site_server) == f"cases/{case_id}/"
    title = page.locator("article h1").inner_text()
    assert title and page.title().startswith(title)
    page.screenshot(path=str(artifacts / "case-desktop.png"), full_page=True)

    # 相关模板 → the template page → 下载 Word.
    page.locator("article h2:has-text('相关模板') + ul a").first.click()
    page.wait_for_load_state()
    template_id = site_path(page.url, site_server).split("/")[1]
    assert site_path(page.url, site_server) == f"templates/{template_id}/"
    assert page.locator(f"article a[href$='cases/{case_id}/']").count() >= 1, "the template cites the case"
    page.screenshot(path=str(artifacts / "template-desktop.png"))
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word").click()
    download = info.value
    assert download.failure() is None
    title = page.locator("article h1").inner_text()
    assert download.suggested_filename == f"{title}.docx"  # 积分制管理细则（范本）.docx, not points-rules.docx
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    paragraphs = [p.text for p in docx.Document(str(saved)).paragraphs if p.text.strip()]
    assert len(paragraphs) > 5
    assert paragraphs[0] in page.locator("article").inner_text(), "the Word file is the text shown on the page"

    assert watch.foreign() == [] and watch.errors == []
    context.close()


def test_main_pages_load_nothing_from_outside(chromium: Any, site_server: str, artifacts: Path) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    watch = Watch(context, site_server)
    page = context.new_page()
    for path in ("", "finder/", "cases/", "types/", "regions/", "dimensions/", "policies/", "templates/",
                 "tags/", "about/"):
        response = page.goto(site_server + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").count() == 1, path
        name = path.strip("/") or "home"
        if name in ("finder", "cases", "templates"):
            page.screenshot(path=str(artifacts / f"{name}-desktop.png"))
    assert len(watch.urls) > 10
    assert watch.foreign() == [] and watch.errors == []
    context.close()


def test_phone_drawer_and_search(chromium: Any, site_server: str, artifacts: Path) -> None:
    context = chromium.new_context(**PHONE)
    context.set_default_timeout(15_000)
    watch = Watch(context, site_server)
    page = context.new_page()
    page.goto(site_server)
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-tabs").is_hidden(), "tabs give way to the drawer on a phone"
    page.screenshot(path=str(artifacts / "phone-home.png"))

    # The drawer (☰) lists the sections; 模板下载 opens the templates.
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator(".md-sidebar--primary .md-nav--primary")
    drawer.get_by_role("link", name="模板下载").wait_for(state="visible")
    page.screenshot(path=str(artifacts / "phone-drawer.png"))
    drawer.get_by_role("link", name="模板下载").click()
    page.wait_for_load_state()
    assert site_path(page.url, site_server) == "templates/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The search box (🔍): a Chinese query reaches the right case.
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("input.md-search__input").wait_for(state="visible")
    pages = result_pages(search(page, "村务助理"), site_server)
    assert "cases/sichuan-longchang-shengdeng-assistant/" in pages[:3], pages[:5]
    page.screenshot(path=str(artifacts / "phone-search.png"))
    page.locator(".md-search-result__list a.md-search-result__link"
                 "[href*='cases/sichuan-longchang-shengdeng-assistant/']").first.click()
    page.wait_for_load_state()
    assert site_path(page.url, site_server) == "cases/sichuan-longchang-shengdeng-assistant/"
    assert "村务助理" in page.locator("article h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing sticks out sideways"
    page.screenshot(path=str(artifacts / "phone-case.png"), full_page=True)

    assert watch.foreign() == [] and watch.errors == []
    context.close()


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of `pdf` (poppler's pdftotext), whitespace removed."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [re.sub(r"\s+", "", p) for p in out.stdout.split("\f") if p.strip()]


def test_print_view_of_a_case_page(chromium: Any, site_server: str, artifacts: Path) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    watch = Watch(context, site_server)
    page = context.new_page()
    page.goto(site_server + "cases/sichuan-luojiang-anjia-points/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")

    # No navigation chrome: header, tabs, both sidebars, footer, back-to-top and search are not printed.
    shown = page.evaluate("sels => sels.filter(s => [...document.querySelectorAll(s)].some(e => "
                          "getComputedStyle(e).display !== 'none'))", CHROME)
    assert shown == []
    assert page.locator("article h1").is_visible()
    # Tables are asked not to break across pages, and nothing clips them (no scroll box on paper); the key
    # figures flow in columns and may break between rows (a case has up to 55), never inside one.
    tables = page.locator("article table")
    assert tables.count() >= 2
    styles = tables.evaluate_all("ts => ts.map(t => [t.closest('.gc-figures') ? getComputedStyle(t.rows[1])"
                                 ".breakInside : getComputedStyle(t).breakInside, "
                                 "getComputedStyle(t.closest('.md-typeset__scrollwrap') || t).overflowX])")
    assert all(b == "avoid" and o == "visible" for b, o in styles), styles
    # Per table: the heading just above it (if any), the first cell of its first and last non-empty row.
    ends = tables.evaluate_all("""ts => ts.filter(t => !t.closest('.gc-figures')).map(t => {
        const box = t.closest('.md-typeset__scrollwrap') || t, h = box.previousElementSibling;
        const text = e => e.innerText.replace(/\\s+/g, '');
        const cells = [...t.rows].map(r => text(r.cells[0])).filter(c => c);
        return [h && /^H[2-4]$/.test(h.tagName) ? text(h) : '', cells[0], cells[cells.length - 1]];
    })""")

    pdf = artifacts / "case-print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        missing("poppler-utils (pdftotext) is not installed; the PDF is in test-artifacts/")
    texts = _pdf_pages(pdf)
    assert texts and "善治案例库" not in texts[0][:40], "no site header at the top of the first page"
    # Each table's first and last row, and the heading above it, are printed on one page.
    for heading, first, last in ends:
        assert any(heading in t and first in t and last in t for t in texts), (heading, first, last)
    if shutil.which("pdftoppm"):
        for old in artifacts.glob("case-print-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(artifacts / "case-print")], check=True)

    assert watch.foreign() == [] and watch.errors == []
    context.close()


def test_printed_pages_have_no_buttons(chromium: Any, site_server: str) -> None:
    # 下载 Word, 导出 Word 汇编, 打印本案例: on paper there is nothing to press
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    shown = "bs => bs.filter(b => getComputedStyle(b).display !== 'none').map(b => b.textContent.trim())"
    for path, on_screen in (("templates/points-rules/", ["下载 Word", "下载积分台账 Excel"]),
                            ("types/points/", ["导出 Word 汇编"])):
        page.goto(site_server + path)
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="screen")
        assert page.locator("article .md-button").evaluate_all(shown) == on_screen, path
        page.emulate_media(media="print")
        assert page.locator("article .md-button").evaluate_all(shown) == [], path
    context.close()


def test_offline_copy_opened_from_disk(chromium: Any, offline_site: Path, artifacts: Path) -> None:
    root = offline_site.as_uri() + "/"
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    watch = Watch(context, root)
    page = context.new_page()

    # A case page straight from the file system, with its styles and links to .html pages.
    page.goto(root + "cases/sichuan-luojiang-anjia-points.html")
    page.wait_for_load_state("load")
    assert "小积分" in page.locator("article h1").inner_text()
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky", "styled"
    page.screenshot(path=str(artifacts / "offline-case.png"))
    page.locator("article a[href$='types/points.html']").first.click()
    page.wait_for_load_state("load")
    assert page.url == root + "types/points.html"

    # Search works without a server: the offline plugin inlines the index and the shim stands in for the
    # web worker.
    page.locator("input.md-search__input").click()
    pages = result_pages(search(page, "村务助理"), root)
    assert "cases/sichuan-longchang-shengdeng-assistant.html" in pages[:3], pages[:5]
    page.screenshot(path=str(artifacts / "offline-search.png"))

    # Template downloads work from disk too.
    page.goto(root + "templates/points-rules.html")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word").click()
    assert info.value.failure() is None and info.value.suggested_filename == "积分制管理细则（范本）.docx"

    # The finder works from disk: browsers do not let a file:// page read data/cases.json, so it loads the
    # same data as a script (data/cases.js); its cards link to the copy's cases/<id>.html.
    page.goto(root + "finder.html?type=points")
    page.wait_for_selector("#gc-finder[data-state=ready]", timeout=15_000)
    points = sum("points" in c["practice_types"]
                 for c in json.loads((offline_site / "data" / "cases.json").read_text(encoding="utf-8"))["cases"])
    assert page.inner_text("#gc-status").startswith(f"找到 {points} 个案例")
    assert page.locator("#gc-results a").first.get_attribute("href").startswith(root + "cases/")

    assert all(u.startswith(root) or u.startswith(("data:", "blob:", "about:")) for u in watch.urls), \
        watch.foreign()
    assert watch.errors == []
    context.close()


def test_downloads_keep_their_chinese_names_in_the_copy_on_disk(chromium: Any, offline_site: Path,
                                                                 tmp_path: Path) -> None:
    # A browser ignores download="…" on a file:// link; govcases-download.js saves the file under it instead.
    context = chromium.new_context(accept_downloads=True)
    context.set_default_timeout(15_000)
    watch = Watch(context, offline_site.as_uri())
    page = context.new_page()
    page.goto((offline_site / "templates" / "points-rules.html").as_uri())
    for link, name, file in [("下载 Word", "积分制管理细则（范本）.docx", "points-rules.docx"),
                             ("下载积分台账 Excel", "积分制管理细则（范本）积分台账.xlsx", "points-rules-ledger.xlsx")]:
        with page.expect_download() as info:
            page.get_by_role("link", name=link).click()
        assert info.value.suggested_filename == name
        info.value.save_as(tmp_path / name)
        assert (tmp_path / name).read_bytes() == (offline_site / "downloads" / file).read_bytes()
    page.goto((offline_site / "submit.html").as_uri())
    with page.expect_download() as info:
        page.get_by_role("link", name="下载案例报送表（Excel）").click()
    assert info.value.suggested_filename == "案例报送表.xlsx"
    assert watch.errors == [] and watch.foreign() == []
    context.close()
