"""Run a file of search queries through `govcases search` and print best@3, MRR and the misses."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from govcases.cli import main as govcases_main
from govcases.records.library import Library, load_library
from govcases.records.model import Case

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT.parent / "shared" / "eval" / "dev-queries.yaml"
TOP = 3
DEPTH = 10  # ranks beyond this count as not found (reciprocal rank 0)

_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|街道|社区|省|市|州|盟|县|区|旗|镇|乡|村)")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Outcome:
    """One query's result: the rank of its best case (None = not in the top DEPTH) and what came first."""

    query: str
    best: str
    rank: int | None
    top: list[str]
    relevant_found: int
    relevant_total: int


class Resolver:
    """Finds the case a query file means by place and model, e.g. `米易县 “1357”` or `米易县草场镇`.

    The place (leading Chinese text) must be contained in the case's place, and the deepest unit named
    should be the case's own level; whatever follows (model, title words) picks among those cases.
    """

    def __init__(self, lib: Library) -> None:
        self.cases = lib.cases

    def __call__(self, name: str) -> str:
        place, rest = _split_name(name)
        units = _UNIT.findall(place) or ([place] if place else [])
        scored = []
        for case in self.cases:
            label = case.record.place.label()
            if not all(u in label for u in units):
                continue
            deepest = case.record.place.parts()[-1]
            exact = 1 if units and units[-1] == deepest else 0
            scored.append((_descriptor_score(rest, case), exact, case.id))
        if not scored:
            raise LookupError(f"no case matches {name!r}")
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
            raise LookupError(f"{name!r} is ambiguous: {scored[0][2]} / {scored[1][2]}")
        return scored[0][2]


def _split_name(name: str) -> tuple[str, str]:
    m = re.match(r"\s*([\u4e00-\u9fff]+)(.*)$", name)
    if m is None:
        return "", name
    place, rest = m.group(1), m.group(2)
    # `隆昌市石碾镇` is all place; `米易县 议事协商小平台` has a descriptor after the space
    units = "".join(_UNIT.findall(place))
    return units, place[len(units) :] + rest


def _descriptor_score(text: str, case: Case) -> float:
    r = case.record
    hay = "\n".join([r.title, r.model or "", *r.keywords, r.summary, *(s.title for s in r.sources)]).lower()
    chunks = [c for c in re.split(r"[\s“”\"()（）/、，,]+", text.lower()) if c]
    score = 0.0
    for chunk in chunks:
        grams = [chunk[i : i + 2] for i in range(len(chunk) - 1)] or [chunk]
        score += sum(g in hay for g in grams) / len(grams)
    return score


def run_query(root: Path, query: str, limit: int = DEPTH) -> list[dict[str, Any]]:
    """`govcases search QUERY --json` run in this process; the parsed hits."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = govcases_main(["--root", str(root), "search", query, "--json", "--limit", str(limit)])
    if code != 0:
        raise RuntimeError(f"govcases search {query!r} exited {code}")
    return list(json.loads(out.getvalue()))


def evaluate(root: Path, queries_file: Path) -> tuple[list[Outcome], list[float]]:
    """Every query's outcome and its in-process latency in seconds."""
    lib = load_library(root)
    resolve = Resolver(lib)
    entries = yaml.safe_load(queries_file.read_text(encoding="utf-8"))
    run_query(root, "积分")  # build or open the index once, outside the timings
    outcomes, times = [], []
    for entry in entries:
        best = resolve(entry["best"])
        relevant = {resolve(n) for n in entry.get("relevant", [])} | {best}
        t0 = time.perf_counter()
        hits = run_query(root, str(entry["q"]))
        times.append(time.perf_counter() - t0)
        ids = [h["id"] for h in hits]
        rank = ids.index(best) + 1 if best in ids else None
        outcomes.append(Outcome(str(entry["q"]), best, rank, ids[:TOP], len(relevant & set(ids)), len(relevant)))
    return outcomes, times


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def main(argv: list[str] | None = None) -> int:
    """Print the scores; exit 1 when some best case is not in the top 3."""
    parser = argparse.ArgumentParser(description="检索质量评测：best@3、MRR 和未命中的查询。")
    parser.add_argument("queries", nargs="?", type=Path, default=DEFAULT_QUERIES, help="查询文件（YAML）")
    parser.add_argument("--root", type=Path, default=ROOT, help="项目目录")
    args = parser.parse_args(argv)
    outcomes, times = evaluate(args.root, args.queries)
    n = len(outcomes)
    hits = sum(1 for o in outcomes if o.rank is not None and o.rank <= TOP)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / n
    found = sum(o.relevant_found for o in outcomes) / max(1, sum(o.relevant_total for o in outcomes))
    print(f"查询 {n} 个：best@{TOP} = {hits}/{n}，MRR = {mrr:.3f}，相关案例在前 {DEPTH} 中的比例 = {found:.0%}")
    print(f"单次检索耗时（进程内）：p50 {_pct(times, 0.5) * 1000:.1f} ms，p95 {_pct(times, 0.95) * 1000:.1f} ms")
    for o in outcomes:
        if o.rank is None or o.rank > TOP:
            where = f"第 {o.rank} 名" if o.rank else f"不在前 {DEPTH}"
            print(f"  未命中：{o.query} → 应为 {o.best}（{where}），前 {TOP}：{', '.join(o.top)}")
    return 0 if hits == n else 1


if __name__ == "__main__":
    sys.exit(main())
