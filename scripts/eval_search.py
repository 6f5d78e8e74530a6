"""Run a file of search queries through the command line's search and print best@3, MRR and the misses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))  # the dev-query helpers
from devqueries import DEFAULT_QUERIES, DEPTH, ROOT, TOP, evaluate, scores


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
    n, (hits, mrr) = len(outcomes), scores(outcomes)
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
