"""Material's search box on the built site, typed into in headless Chromium the way an official would.

For every query of the dev set (../shared/eval/dev-queries.yaml) the best case must be among the first
three result pages; words the issue names (a part of a word, a synonym, a short place name, a model
name written with +) must find a case that has them; a result opens the case page; and nothing is
requested from any host but the local server. The copy opened from disk (Material's own index) puts the
case a two-character word names first, as the served site does, and shows no zero-width spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import devqueries
import pytest
import sitequery
import yaml
from conftest import CORPUS, Watch, needs_chromium
from searchbox import open_search, search_box

from govcases.records.library import Library, load_library
from govcases.search.analysis import short_place_names

pytestmark = [pytest.mark.browser, needs_chromium]

TOP = devqueries.TOP


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


@pytest.fixture(scope="module")
def box(chromium: Any, site_server: str) -> Iterator[SimpleNamespace]:
    """A page with the search box open (`page`), and every request of its browser context (`watch`)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, site_server)
    page = context.new_page()
    open_search(page, site_server)
    yield SimpleNamespace(page=page, watch=watch, base=site_server)
    context.close()


def test_dev_queries_put_the_best_case_in_the_top_3(box: SimpleNamespace, lib: Library) -> None:
    if not devqueries.DEFAULT_QUERIES.is_file():
        pytest.skip(f"{devqueries.DEFAULT_QUERIES} is not here")
    resolve = devqueries.Resolver(lib)
    entries = yaml.safe_load(devqueries.DEFAULT_QUERIES.read_text(encoding="utf-8"))
    assert entries
    misses = []
    for entry in entries:
        best = f"cases/{resolve(entry['best'])}/"
        found = search_box(box.page, box.base, str(entry["q"]))
        if best not in found[:TOP]:
            misses.append(f"{entry['q']} → {best} not in the top {TOP}: {found[:5]}")
    assert not misses, "\n".join(misses)
    assert box.watch.foreign() == [], "requests to other hosts"
    assert box.watch.errors == []


def _own_words(lib: Library, case_id: str) -> str:
    """Everything a case is named by: types and their synonyms, model, keywords, place with short forms."""
    r = lib.by_id[case_id].record
    types = [lib.taxonomy.type_by_id(t) for t in r.practice_types]
    places = [n for p in r.place.parts() for n in short_place_names(p)]
    return " ".join([*(t.name for t in types), *(s for t in types for s in t.synonyms), r.model or "",
                     *r.keywords, *places])


@pytest.mark.parametrize("query", [
    "民约",  # the end of 村规民约: Material alone matches word starts only
    "爱心超市",  # a synonym of 积分制 and one case's own word
    "凉山",  # 凉山彝族自治州 as people say it
    "彝族",  # inside 凉山彝族自治州
    "2+333",  # a model name with +, which lunr reads as an operator at the start of a word
    "理事会",  # inside 红白理事会
])
def test_parts_synonyms_and_short_names_find_a_case_named_by_them(box: SimpleNamespace, lib: Library,
                                                                  query: str) -> None:
    found = search_box(box.page, box.base, query)
    cases = [p.split("/")[1] for p in found[:TOP] if p.startswith("cases/") and p.count("/") == 2]
    assert cases, f"{query}: no case page in the top {TOP}: {found[:5]}"
    assert query in _own_words(lib, cases[0]), f"{query}: the first case {cases[0]} is not named by it"


def test_a_result_opens_its_case_page_and_nothing_leaves_the_machine(chromium: Any, site_server: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(context, site_server)
    page = context.new_page()
    open_search(page, site_server)
    found = search_box(page, site_server, "多网合一")
    assert found and found[0].startswith("cases/")
    page.locator(".md-search-result__list a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].split("#")[0] == site_server + found[0]
    assert "多网合一" in page.locator("h1").inner_text()
    assert any(u.endswith("/search/search_index.json") for u in watch.urls)
    assert watch.foreign() == [], watch.foreign()
    assert watch.errors == []
    context.close()


@pytest.mark.parametrize("query", ["积分制", "网格员补贴", "民约", "2+333", "凉山 彩礼", "综合行政执法", "彩礼火星"])
def test_the_worker_ranks_as_the_query_under_node(box: SimpleNamespace, built_site: Path, query: str) -> None:
    # The worker in the browser and govcases-query.js under node (the fast tests' view): same pages, same order.
    if sitequery.NODE is None:
        pytest.skip("needs node")
    expected = [r.url for r in sitequery.rank(built_site, [query])[query]]
    assert search_box(box.page, box.base, query)[:10] == expected[:10]


def test_a_query_word_no_page_has_is_shown_struck_out(box: SimpleNamespace) -> None:
    found = search_box(box.page, box.base, "彩礼火星")
    assert found  # pages with 彩礼 are still found …
    missing = box.page.locator(".md-search-result__terms del").first.inner_text()
    assert missing == "火星"  # … and 火星 is shown as the word they lack


@pytest.mark.parametrize("how", ["fill", "composition"])
def test_text_put_in_without_a_key_starts_a_search(box: SimpleNamespace, how: str) -> None:
    # Pasting with the mouse (fill: an input event, no key) or an input method's commit (compositionend).
    page = box.page
    field = page.locator("input.md-search__input")
    field.fill("")
    field.press("Shift")
    page.wait_for_function("() => !document.querySelector('.md-search-result__list a')")
    if how == "fill":
        field.fill("多网合一")
    else:
        field.evaluate("(el) => { el.value = '多网合一'; el.dispatchEvent(new CompositionEvent('compositionend',"
                       " {bubbles: true, data: '多网合一'})) }")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')]"
        ".some(a => a.href.includes('/cases/guizhou-longli-duowang/'))", timeout=10_000)


@pytest.fixture(scope="module")
def offline_box(chromium: Any, offline_site: Path) -> Iterator[SimpleNamespace]:
    """The offline copy's home page opened from disk (file://) with the search box open."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    base = offline_site.as_uri() + "/"
    watch = Watch(context, base)
    page = context.new_page()
    open_search(page, base, "index.html")
    yield SimpleNamespace(page=page, watch=watch, base=base)
    context.close()


@pytest.mark.parametrize(("query", "first"), [
    # Each query's first character stands alone in some text (县、乡、村; 三、; 村、): were it an index term,
    # Material would search 乡贤 as 乡*, every word with 乡, and drop 贤.
    ("乡贤", "sichuan-chongzhou-quanxing-yiling-sidong"),  # 乡贤促进会
    ("三会", "sichuan-miyi-yuwanggong-sanhui"),  # 三会五员
    ("村账", "sichuan-lizhou-sanmin-sangong"),  # 村账乡管
])
def test_the_offline_copy_puts_the_case_a_two_character_word_names_first(offline_box: SimpleNamespace,
                                                                        query: str, first: str) -> None:
    found = search_box(offline_box.page, offline_box.base, query)
    assert found[:1] == [f"cases/{first}.html"], found[:5]
    titles = offline_box.page.locator(".md-search-result__list h1").all_inner_texts()
    assert titles and not [t for t in titles if "\u200b" in t], "zero-width spaces shown in the results"
    assert offline_box.watch.errors == []
