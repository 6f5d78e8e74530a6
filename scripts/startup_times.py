"""Wall and CPU time of `govcases search` as a whole process, for versions of the package side by side.

Usage: python scripts/startup_times.py --tree before=/path/a --tree after=/path/b --root /project [--root ...]
       [--runs 30] [--query 积分制]

Each --tree is a folder holding a `govcases` package, imported through PYTHONPATH, with a cache of its own
(warmed by one run first). Runs go round the trees and projects in turn, so a machine busy with other
work slows every version alike. Prints one JSON line per (tree, project): p50/p95 of wall and CPU ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_probe import percentile


def once(tree: Path, root: Path, query: str, cache: Path) -> tuple[float, float]:
    """One `python -m govcases.cli --root ROOT search QUERY`: (wall ms, CPU ms of that process). It runs in
    the cache's folder: `-m` puts the working directory first on the path, where a checkout would win."""
    env = {**os.environ, "PYTHONPATH": str(tree), "GOVCASES_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "govcases.cli", "--root", str(root), "search", query],
                            cwd=cache, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"govcases search failed with {tree} on {root}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tree", action="append", required=True, metavar="NAME=PATH")
    p.add_argument("--root", action="append", required=True, type=Path)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--query", default="积分制")
    args = p.parse_args(argv)
    trees = {name: Path(path) for name, _, path in (t.partition("=") for t in args.tree)}
    work = Path(tempfile.mkdtemp(prefix="startup-times-"))
    caches = {name: work / name for name in trees}
    for cache in caches.values():
        cache.mkdir()
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {(n, r): [] for n in trees for r in args.root}
    for i in range(args.runs + 1):  # the first round builds each cache and warms the OS file cache
        for (name, root), out in times.items():
            t = once(trees[name], root, args.query, caches[name])
            if i:
                out.append(t)
    for (name, root), out in times.items():
        walls, cpus = [w for w, _ in out], [c for _, c in out]
        print(json.dumps({"tree": name, "root": str(root), "runs": len(out),
                          "wall_p50": round(percentile(walls, 50)), "wall_p95": round(percentile(walls, 95)),
                          "cpu_p50": round(percentile(cpus, 50)), "cpu_p95": round(percentile(cpus, 95))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
