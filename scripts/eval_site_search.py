"""Type a file of search queries into the built site's search box in Chromium and print best@3 and MRR: the
served site over HTTP, or (--offline) the copy built with GOVCASES_OFFLINE=true opened from disk."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))  # the tests' helpers
from devqueries import DEFAULT_QUERIES, DEPTH, ROOT, TOP, Outcome, Resolver, scores
from localserve import CHROMIUM, CHROMIUM_ARGS, serve
from searchbox import open_search, search_box

from govcases.records.library import load_library


def site_page(path: str) -> str:
    """A result page as the served site names it: the offline copy's cases/<id>.html is cases/<id>/."""
    if path.endswith("index.html"):
        return path[: -len("index.html")]
    return path[: -len(".html")] + "/" if path.endswith(".html") else path


@contextmanager
def opened(site: Path, offline: bool) -> Iterator[tuple[str, str]]:
    """The base URL of `site` and its home page under it: served on 127.0.0.1, or straight from disk."""
    if offline:
        yield site.resolve().as_uri() + "/", "index.html"
    else:
        with serve(site) as base:
            yield base, ""


def evaluate(site: Path, queries_file: Path, root: Path = ROOT, offline: bool = False) -> list[Outcome]:
    """Every query of `queries_file` typed into the search box of the built `site` (`offline`: the copy
    built with GOVCASES_OFFLINE=true, opened from disk as a reader without a server does)."""
    from playwright.sync_api import sync_playwright

    lib = load_library(root)
    resolve, ids = Resolver(lib), set(lib.by_id)
    entries = yaml.safe_load(queries_file.read_text(encoding="utf-8"))

    def case_page(name: str) -> str:  # a case id is taken as is; other names give place and model
        return f"cases/{name if name in ids else resolve(name)}/"

    outcomes = []
    with opened(site, offline) as (base, home), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        open_search(page, base, home)
        for entry in entries:
            # `best` names one case (or lists several that are equally right)
            names = entry["best"] if isinstance(entry["best"], list) else [entry["best"]]
            bests = [case_page(n) for n in names]
            relevant = {case_page(n) for n in entry.get("relevant", [])} | set(bests)
            found = [site_page(f) for f in search_box(page, base, str(entry["q"]))][:DEPTH]
            rank = min((found.index(b) + 1 for b in bests if b in found), default=None)
            outcomes.append(Outcome(str(entry["q"]), " / ".join(bests), rank, found[:TOP],
                                    len(relevant & set(found)), len(relevant)))
        browser.close()
    return outcomes


def build(root: Path, site: Path, offline: bool = False) -> None:
    """`mkdocs build --strict` of the project into `site` (`offline`: the copy to open from disk)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GOVCASES_OFFLINE": "true" if offline else "false"}
    subprocess.run(cmd, cwd=root, check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    """Print the scores; exit 1 when some best case is not in the top 3 of the search box."""
    parser = argparse.ArgumentParser(description="站内搜索框评测：在 Chromium 中输入查询，统计 best@3 和 MRR。")
    parser.add_argument("queries", nargs="?", type=Path, default=DEFAULT_QUERIES, help="查询文件（YAML）")
    parser.add_argument("--root", type=Path, default=ROOT, help="项目目录")
    parser.add_argument("--site", type=Path, help="已构建的网站目录（默认先构建到临时目录）")
    parser.add_argument("--offline", action="store_true",
                        help="评测离线副本（GOVCASES_OFFLINE=true 构建，从磁盘以 file:// 打开）")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每个查询的前 3 个结果")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(args.root, site, args.offline)
        outcomes = evaluate(site, args.queries, args.root, args.offline)
    n, (hits, mrr) = len(outcomes), scores(outcomes)
    where = "离线副本的搜索框" if args.offline else "站内搜索框"
    print(f"查询 {n} 个（{where}）：best@{TOP} = {hits}/{n}，MRR = {mrr:.3f}")
    for o in outcomes:
        if args.verbose or o.rank is None or o.rank > TOP:
            where = f"第 {o.rank} 名" if o.rank else f"不在前 {DEPTH}"
            mark = "  " if o.rank is not None and o.rank <= TOP else "  未命中："
            print(f"{mark}{o.query} → {o.best}（{where}），前 {TOP}：{', '.join(o.top)}")
    return 0 if hits == n else 1


if __name__ == "__main__":
    sys.exit(main())
