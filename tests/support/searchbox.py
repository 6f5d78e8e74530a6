"""Material's search box driven in Chromium as a person uses it: open it, type a query, read the ranking."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

_RESULT_LINKS = ".md-search-result__list a.md-search-result__link"
_META = ".md-search-result__meta"


def open_search(page: Any, base: str, home: str = "") -> None:
    """Open the home page (`home` under `base`: index.html for a copy opened from disk) and the search box,
    and wait until Material's search worker has the index."""
    page.goto(base + home)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "s => { const m = document.querySelector(s); return m && m.textContent.trim() === '键入以开始搜索' }",
        arg=_META, timeout=30_000)


def search_box(page: Any, base: str, query: str, timeout: float = 10.0) -> list[str]:
    """Type `query` into the open search box as a person does; the result pages, best first, as site
    paths (`cases/<id>/`). Material shows one entry per page with the matching sections of that page
    nested under it: the page URLs in order, de-duplicated, are the ranking."""
    box = page.locator("input.md-search__input")
    # Chinese is typed through an input method, whose commit ends with a key release; Material reads the
    # box on keyup, which inserting Chinese text alone does not fire. Shift stands in for that key.
    box.fill("")
    box.press("Shift")
    page.wait_for_function(
        "([m, l]) => document.querySelector(m).textContent.trim() === '键入以开始搜索'"
        " && !document.querySelector(l)", arg=[_META, _RESULT_LINKS])
    box.press_sequentially(query, delay=20)
    box.press("Shift")
    # The worker answers each keystroke; wait until the count shows and the list has held for a moment.
    last: list[str] | None = None
    held = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answered = page.inner_text(_META).strip() not in ("正在初始化搜索引擎", "键入以开始搜索")
        hrefs = page.locator(_RESULT_LINKS).evaluate_all("as => as.map(a => a.href)")
        held = held + 1 if answered and hrefs == last else 0
        if held >= 6:
            break
        last = hrefs
        page.wait_for_timeout(50)
    root = urlsplit(base).path
    pages: dict[str, None] = {}
    for href in last or []:
        path = urlsplit(href).path
        pages.setdefault(path[len(root):] if path.startswith(root) else path, None)
    return list(pages)
