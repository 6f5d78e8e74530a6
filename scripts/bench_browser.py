"""Site-search figures for scripts/bench.py: bytes and time to the first result in Material's search box (Chromium).

Usage: python scripts/bench_browser.py SITE_DIR [QUERY ...] (prints one JSON object)
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))  # the tests' local server
from localserve import CHROMIUM, CHROMIUM_ARGS, serve

COMPRESSIBLE = {".html", ".json", ".js", ".css", ".svg", ".txt", ".xml", ".md"}
QUERIES = ("积分制", "红白理事会")

# Timestamps in the page: t0 when the text of the search box changes (typing, pasting or an input method's
# commit all start a search), t1 when a result shows.
_PROBE_JS = """
window.__gc = {t0: null, t1: null, armed: false};
window.__gcArm = () => { Object.assign(window.__gc, {t0: null, t1: null, armed: true}); };
for (const kind of ['input', 'keydown']) document.addEventListener(kind, () => {
  const g = window.__gc; if (g.armed && g.t0 === null) g.t0 = performance.now();
}, true);
new MutationObserver(() => {
  const g = window.__gc;
  if (g.armed && g.t0 !== null && document.querySelector('.md-search-result__item')) {
    g.t1 = performance.now(); g.armed = false;
  }
}).observe(document, {childList: true, subtree: true});
"""


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, as any web server in front of a site does."""

    cache: ClassVar[dict[str, bytes]] = {}
    # (path, body bytes) of every response: counted here, since the page's own view of the network (CDP)
    # misses what its search worker fetches
    served: ClassVar[list[tuple[str, int]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not wants_gzip or path.suffix not in COMPRESSIBLE:
            self.served.append((self.path, path.stat().st_size if path.is_file() else 0))
            return super().send_head()
        body = compressed(path, self.cache)
        self.served.append((self.path, len(body)))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def compressed(path: Path, cache: dict[str, bytes]) -> bytes:
    """`path` gzip-compressed (level 6, as nginx's gzip_comp_level is often set), computed once."""
    key = str(path)
    if key not in cache:
        cache[key] = gzip.compress(path.read_bytes(), compresslevel=6)
    return cache[key]


def _query(page: Any, text: str, timeout_ms: int) -> dict[str, float]:
    """Type `text` into the search box; ms from the key press to the first result, and since navigation."""
    box = page.locator("input.md-search__input")
    page.evaluate("window.__gcArm()")
    box.fill(text)  # the input event starts the search (govcases-input.js forwards it to Material)
    page.wait_for_function("window.__gc.t1 !== null", timeout=timeout_ms)
    t = page.evaluate("({t0: window.__gc.t0, t1: window.__gc.t1})")
    return {"typing_to_result_ms": t["t1"] - t["t0"], "navigation_to_result_ms": t["t1"]}


def _clear(page: Any) -> None:
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("Shift")
    page.wait_for_function("!document.querySelector('.md-search-result__item')", timeout=30_000)


def measure(site: Path, queries: tuple[str, ...] = QUERIES, timeout_s: float = 300) -> dict[str, Any]:
    """Load the home page in a fresh browser, type a query at once (the index may still be loading), then
    a second query on the loaded page; bytes the server sent until the first result, by file."""
    from playwright.sync_api import sync_playwright

    # the whole search index: Material's search_index.json, and govcases' index files when the site has them
    index = sorted(p for p in (site / "search").rglob("*") if p.is_file())
    out: dict[str, Any] = {"index_bytes": sum(p.stat().st_size for p in index), "index_files": len(index)}
    with serve(site, _Handler) as base, sync_playwright() as p:
        out["index_gzip_bytes"] = sum(len(compressed(p, _Handler.cache)) for p in index)  # before the clock
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(bypass_csp=True)  # the probe measures with injected timing code
            page = context.new_page()
            page.add_init_script(_PROBE_JS)
            _Handler.served.clear()
            page.goto(base, wait_until="load")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            first = _query(page, queries[0], int(timeout_s * 1000))
            out["first_query"] = first
            # response bodies the server sent, the page's and its search worker's, gzip-compressed
            out["bytes_to_first_result"] = sum(n for _, n in _Handler.served)
            out["requests_to_first_result"] = len(_Handler.served)
            out["largest_files"] = [[n, u] for u, n in sorted(_Handler.served, key=lambda x: -x[1])[:5]]
            _clear(page)
            out["loaded_page_query"] = _query(page, queries[1 % len(queries)], int(timeout_s * 1000))
            out["bytes_total"] = sum(n for _, n in _Handler.served)
            context.close()
        finally:
            browser.close()
    return out


if __name__ == "__main__":
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    site_dir = Path(sys.argv[1])
    print(json.dumps(measure(site_dir, tuple(sys.argv[2:]) or QUERIES), ensure_ascii=False))
