"""In-process parts of scripts/bench.py, each run in a fresh interpreter; prints one JSON object.

Usage:
  python scripts/bench_probe.py stages ROOT   build stages and query latency (set GOVCASES_CACHE_DIR to an
                                              empty folder to time the search index from scratch)
  python scripts/bench_probe.py plain ROOT OUT  write OUT: the same site as plain Markdown pages for Material
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Queries of the kinds officials type: practice types, synonyms, terms, model names, places, two words.
QUERIES = ("积分制", "爱心超市", "红白理事会", "网格员补贴", "矛盾纠纷调解", "三会五员", "1357", "米易县",
           "村规民约 四川", "人居环境整治", "法律明白人", "议事协商 院坝会", "高价彩礼", "智慧治理 平台")


THEME_ASSETS = Path(__file__).resolve().parent.parent / "govcases" / "theme" / "assets"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds `fn` took, and what it returned."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def percentile(xs: list[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation."""
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def stages(root: Path, repeats: int = 3) -> dict[str, Any]:
    """Seconds per build stage (cold cache, then warm) and per query, for the project at `root`."""
    from govcases.pages.build import build_site
    from govcases.pages.templates import template_outputs
    from govcases.records.library import load_library
    from govcases.search import cli_index as I
    from govcases.search import query as S
    from govcases.search import related as R

    out: dict[str, Any] = {}
    out["load_library"], lib = timed(lambda: load_library(root))
    out["content_key"], _ = timed(lambda: I.content_key(root))
    out["index_build"], _ = timed(lambda: I.CliIndex(root, lib).refresh().close())
    out["related_all_cold"], _ = timed(lambda: R.related_all(lib))
    fresh = load_library(root)  # a new library object: the table comes from the disk cache
    out["related_all_warm"], _ = timed(lambda: R.related_all(fresh))
    out["template_outputs_cold"], _ = timed(lambda: template_outputs(lib))
    out["template_outputs_warm"], _ = timed(lambda: template_outputs(lib))
    out["build_site_warm"], _ = timed(lambda: build_site(lib))

    index = I.CliIndex(root)  # as a new process would: open the cached index on the first query
    out["first_query"], _ = timed(lambda: S.search(index, QUERIES[0]))
    lat = [timed(lambda q=q: S.search(index, q))[0] for _ in range(repeats) for q in QUERIES]
    out["query_p50"], out["query_p95"] = percentile(lat, 50), percentile(lat, 95)
    # the freshness check each query makes (names, sizes and times of the record files)
    checks = [timed(lambda: I.stat_key(root))[0] for _ in range(repeats * 5)]
    out["freshness_p50"] = percentile(checks, 50)
    out["cases"] = len(lib.cases)
    return out


_PLUGIN_LINE = re.compile(r"^  - govcases\s*$", re.M)
_SEARCH_LINE = re.compile(r"^  - search\s*$", re.M)


def plain(root: Path, out: Path) -> dict[str, Any]:
    """Write `out`: the project's hand-written docs plus every generated page and file written into docs/,
    and mkdocs.yml without the govcases plugin (Material's search gets the same jieba dictionary)."""
    from govcases.pages.build import build_site
    from govcases.paths import cache_root
    from govcases.records.library import load_library
    from govcases.search.analysis import write_material_userdict

    site = build_site(load_library(root))
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(root / "docs", out / "docs")
    for path, text in site.pages.items():
        dest = out / "docs" / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    for path, data in site.files.items():
        if path.endswith(".md"):
            continue  # a Markdown download in docs/ would become a page; govcases copies it as a file
        dest = out / "docs" / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    userdict = write_material_userdict(cache_root() / "material-userdict.txt")
    config, n_plugin = _PLUGIN_LINE.subn("", config)
    config, n_search = _SEARCH_LINE.subn(f"  - search:\n      jieba_dict_user: {json.dumps(str(userdict))}", config)
    if (n_plugin, n_search) != (1, 1):
        raise SystemExit("mkdocs.yml: expected one '  - govcases' and one '  - search' line under plugins")
    # MkDocs leaves out docs/templates/ (its theme-override folder) unless told; govcases adds those pages
    config += "\nexclude_docs: |\n  !/templates/\n"
    # the finder page's script and style, which the plugin adds from its theme folder
    for name in ("finder.js", "finder.css", "javascripts/govcases-site.js"):
        (out / "docs" / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(THEME_ASSETS / name, out / "docs" / "assets" / name)
    config += "\nextra_javascript:\n  - assets/javascripts/govcases-site.js\n  - assets/finder.js\n"
    config = config.replace("extra_css:\n", "extra_css:\n  - assets/finder.css\n", 1)
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return {"pages": len(site.pages), "files": len(site.files)}


if __name__ == "__main__":
    if sys.argv[1:2] == ["stages"]:
        print(json.dumps(stages(Path(sys.argv[2]))))
    elif sys.argv[1:2] == ["plain"]:
        print(json.dumps(plain(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        raise SystemExit(__doc__)
