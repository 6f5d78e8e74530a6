"""Issue #8 benchmarks: govcases build time and memory against plain Material, site search, CLI search.

Usage: python scripts/bench.py [--sizes 100,1000,5000] [--repeats R] [--no-browser] [--out bench-results/latest.md]

For each N: a corpus of N synthetic records (scripts/make_corpus.py) and the same site as plain Markdown
pages (scripts/bench_probe.py plain) are built with `mkdocs build --strict`, alternately, R times; the table
gives medians. Peak memory is the mkdocs process's maximum RSS (wait4). Then, once per N: build stages and
in-process query latency (bench_probe.py stages), `govcases search` as a whole process, and Material's
search box in Chromium (bench_browser.py). Everything is written under --work, nothing into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bench_probe import QUERIES, percentile  # noqa: E402
from make_corpus import SEED, make_corpus  # noqa: E402

EDITED = "cases/synth-00001.yaml"  # the record an editor changes between two builds


def run(cmd: list[str], env: dict[str, str], stderr: Any = subprocess.DEVNULL) -> tuple[float, float, float, int]:
    """Run `cmd`: (wall seconds, CPU seconds, peak RSS in MB, exit code) of that process alone. The CPU time
    is kept because the wall time grows with whatever else the machine runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    # wait4 gives this child's own resource use (RUSAGE_CHILDREN would mix in every earlier child)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def build(project: Path, cache: Path | None, log: Path) -> tuple[float, float, float]:
    """`mkdocs build --strict` of `project` into its site/: (seconds, peak RSS in MB, CPU seconds)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache is not None:
        env["GOVCASES_CACHE_DIR"] = str(cache)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "mkdocs.yml"),
           "-d", str(project / "site")]
    with log.open("ab") as err:
        wall, cpu, rss, code = run(cmd, env, err)
    if code:
        raise SystemExit(f"build of {project} failed ({code}); see {log}")
    return wall, rss, cpu


def probe(*args: str, cache: Path, timeout: float = 3600) -> dict[str, Any]:
    """Run scripts/bench_probe.py or bench_browser.py in a fresh interpreter; its JSON output."""
    env = {**os.environ, "GOVCASES_CACHE_DIR": str(cache), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    out = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def edit_record(project: Path, n: int) -> bytes:
    """Change one record's summary as an editor would; returns the original bytes to put back."""
    path = project / EDITED
    original = path.read_bytes()
    data = yaml.safe_load(original)
    data["summary"] = f"（第 {n} 次修改）{data['summary']}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return original


def cli_latency(project: Path, cache: Path) -> dict[str, float]:
    """Wall time of `govcases search` as a whole process (warm cache), p50/p95 over the query set."""
    script = Path(sys.executable).with_name("govcases")
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "govcases.cli"]
    env = {**os.environ, "GOVCASES_CACHE_DIR": str(cache)}
    times, cpus = [], []
    for q in (QUERIES[0], *QUERIES):  # the first run only warms the OS file cache
        wall, cpu, _, code = run([*base, "--root", str(project), "search", q], env)
        if code:
            raise SystemExit(f"govcases search {q} failed ({code})")
        times.append(wall)
        cpus.append(cpu)
    return {"p50": percentile(times[1:], 50), "p95": percentile(times[1:], 95),
            "cpu_p50": percentile(cpus[1:], 50), "cpu_p95": percentile(cpus[1:], 95)}


def cli_first_search(project: Path, cache: Path) -> dict[str, float]:
    """`govcases search` with an empty cache, as the first search after installing: it validates every
    record and builds the command-line index. Wall and CPU seconds, and the process's peak RSS."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "GOVCASES_CACHE_DIR": str(cache)}
    wall, cpu, rss, code = run([sys.executable, "-m", "govcases.cli", "--root", str(project), "search", QUERIES[0]],
                               env)
    if code:
        raise SystemExit(f"first govcases search failed ({code})")
    return {"s": wall, "cpu_s": cpu, "rss_mb": rss}


def bench_size(n: int, repeats: int, work: Path, browser: bool, rebuilds: bool) -> dict[str, Any]:
    """Every figure for a corpus of `n` synthetic records."""
    folder = work / f"n{n}"
    folder.mkdir(parents=True, exist_ok=True)
    project, plain, log = folder / "project", folder / "plain", folder / "build.log"
    log.write_bytes(b"")
    t0 = time.perf_counter()
    make_corpus(n, project, SEED, force=True)
    res: dict[str, Any] = {"n": n, "corpus_s": time.perf_counter() - t0}
    res["plain_project"] = probe(str(HERE / "bench_probe.py"), "plain", str(project), str(plain),
                                 cache=folder / "plain-cache")
    kinds = ("plain", "cold", "warm", "edit") if rebuilds else ("plain", "cold")
    runs: dict[str, list[tuple[float, float, float]]] = {kind: [] for kind in kinds}
    for r in range(repeats):
        print(f"  N={n}: builds, repeat {r + 1}/{repeats}", file=sys.stderr, flush=True)
        runs["plain"].append(build(plain, None, log))
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=folder))
        runs["cold"].append(build(project, cache, log))  # nothing cached: index, related cases, documents
        if rebuilds:
            runs["warm"].append(build(project, cache, log))  # the same records again
            original = edit_record(project, r + 1)
            try:
                runs["edit"].append(build(project, cache, log))  # one record changed
            finally:
                (project / EDITED).write_bytes(original)
        shutil.rmtree(cache)
    for kind, xs in runs.items():
        res[kind] = {"s": statistics.median(x[0] for x in xs), "rss_mb": statistics.median(x[1] for x in xs),
                     "cpu_s": statistics.median(x[2] for x in xs), "all_s": [round(x[0], 2) for x in xs]}
    res["sizes"] = {
        "govcases_index": _du(project / "site/search"),  # search_index.json (a stub) and search/gc/
        "plain_index": (plain / "site/search/search_index.json").stat().st_size,
        "govcases_site": _du(project / "site"),
        "plain_site": _du(plain / "site"),
    }
    print(f"  N={n}: stages and queries", file=sys.stderr, flush=True)
    cache = folder / "probe-cache"
    shutil.rmtree(cache, ignore_errors=True)
    res["stages"] = probe(str(HERE / "bench_probe.py"), "stages", str(project), cache=cache)
    res["cli"] = cli_latency(project, cache)
    res["cli_first"] = cli_first_search(project, folder / "first-search-cache")
    if browser:
        print(f"  N={n}: site search in Chromium", file=sys.stderr, flush=True)
        res["browser"] = probe(str(HERE / "bench_browser.py"), str(project / "site"), cache=cache, timeout=900)
    return res


def first_search_only(sizes: list[int], work: Path, out: Path) -> int:
    """The first `govcases search` of a corpus of each size, as a Markdown table written to `out`."""
    rows = []
    for n in sizes:
        folder = work / f"n{n}"
        print(f"N={n}: corpus and first search", file=sys.stderr, flush=True)
        make_corpus(n, folder / "project", SEED, force=True)
        r = cli_first_search(folder / "project", folder / "first-search-cache")
        rows.append(f"| {n:,} | {r['s']:.0f} s | {r['cpu_s']:.0f} s | {r['rss_mb']:.0f} MB |")
    text = "\n".join([f"# First `govcases search`, empty cache ({time.strftime('%Y-%m-%d %H:%M')}; "
                      f"CPython {sys.version.split()[0]}, {os.cpu_count()} cores)", "",
                      "| synthetic records | wall | CPU | peak RSS |", "|---|---|---|---|", *rows, ""])
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return 0


def _du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Command line; prints the table and writes it (Markdown) and the raw figures (JSON)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (default 100,1000)")
    p.add_argument("--repeats", type=int, help="builds per size; default 3 up to 100 cases, else 1")
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "govcases-bench",
                   help="folder for corpora, sites and caches (default: $TMPDIR/govcases-bench)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results" / "latest.md",
                   help="Markdown table to write; the raw figures go next to it as .json")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium site-search measurement")
    p.add_argument("--rebuilds-up-to", type=int, default=1000, metavar="N",
                   help="time rebuilds (nothing changed; one record edited) only up to N cases (default 1000)")
    p.add_argument("--first-search-only", action="store_true",
                   help="only the first `govcases search` (empty cache) per size: the figures for large N, where "
                        "the site builds would take hours")
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.first_search_only:
        return first_search_only(sizes, args.work, args.out)
    results = []
    for n in sizes:
        repeats = args.repeats or (3 if n <= 100 else 1)
        print(f"N={n} ({repeats} repeat{'s' if repeats > 1 else ''})", file=sys.stderr, flush=True)
        results.append(bench_size(n, repeats, args.work, not args.no_browser, n <= args.rebuilds_up_to))
    from bench_table import markdown

    text = markdown(results)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written: {args.out} and {args.out.with_suffix('.json')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
