"""The Markdown table and target check of scripts/bench.py, from its raw figures.

Usage: python scripts/bench_table.py RESULTS.json [MORE.json ...] (merges runs by N, later files win)
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

R = dict[str, Any]
MB = 1024 * 1024


def _ratio(res: R, kind: str, what: str) -> str:
    return f"{res[kind][what] / res['plain'][what]:.2f}×"


def _s(x: float) -> str:
    return f"{x:.1f} s" if x >= 10 else f"{x:.2f} s"


def _ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def _mb(x: float) -> str:
    return f"{x / MB:.1f} MB" if x >= MB else f"{x / 1024:.0f} KB"


def _build(kind: str) -> Callable[[R], str]:
    def cell(r: R) -> str:
        return f"{_s(r[kind]['s'])} ({_ratio(r, kind, 's')}), {r[kind]['rss_mb']:.0f} MB ({_ratio(r, kind, 'rss_mb')})"

    return cell


def _browser(f: Callable[[R], str]) -> Callable[[R], str]:
    return lambda r: f(r["browser"]) if "browser" in r else "–"


ROWS: list[tuple[str, Callable[[R], str]]] = [
    ("cases (22 real + N synthetic) / pages", lambda r: f"{r['stages']['cases']:,} / {r['plain_project']['pages']:,}"),
    ("builds per figure (median of)", lambda r: str(len(r["plain"]["all_s"]))),
    ("**plain Material build**: time, peak RSS", lambda r: f"{_s(r['plain']['s'])}, {r['plain']['rss_mb']:.0f} MB"),
    ("**govcases build, empty cache** (× plain)", _build("cold")),
    ("govcases rebuild, nothing changed (× plain)", _build("warm")),
    ("govcases rebuild after editing one record (× plain)", _build("edit")),
    ("CPU time: plain / empty cache / nothing changed / one record edited",
     lambda r: " / ".join([_s(r["plain"]["cpu_s"])] + [f"{_s(r[k]['cpu_s'])} ({_ratio(r, k, 'cpu_s')})"
                                                      if k in r else "–" for k in ("cold", "warm", "edit")])),
    ("stage: load + validate records", lambda r: _s(r["stages"]["load_library"])),
    ("stage: command-line search index (SQLite) from scratch (not part of a site build)",
     lambda r: _s(r["stages"]["index_build"])),
    ("stage: related cases, all (computed / cached)",
     lambda r: f"{_s(r['stages']['related_all_cold'])} / {_ms(r['stages']['related_all_warm'])}"),
    ("stage: template downloads (made / cached)",
     lambda r: f"{_s(r['stages']['template_outputs_cold'])} / {_ms(r['stages']['template_outputs_warm'])}"),
    ("stage: all generated pages, warm caches", lambda r: _s(r["stages"]["build_site_warm"])),
    ("search index: govcases (all files of search/) / plain search_index.json (govcases gzip)",
     lambda r: f"{_mb(r['sizes']['govcases_index'])} / {_mb(r['sizes']['plain_index'])}"
               + (f" ({_mb(r['browser']['index_gzip_bytes'])})" if "browser" in r else "")),
    ("site size govcases / plain", lambda r: f"{_mb(r['sizes']['govcases_site'])} / {_mb(r['sizes']['plain_site'])}"),
    ("**site search: bytes until first result** (gzip)", _browser(lambda b: _mb(b["bytes_to_first_result"]))),
    ("site search: first query right after load, typing → result",
     _browser(lambda b: f"{b['first_query']['typing_to_result_ms']:.0f} ms")),
    ("site search: page navigation → first result",
     _browser(lambda b: f"{b['first_query']['navigation_to_result_ms']:.0f} ms")),
    ("**site search: query on a loaded page, typing → result**",
     _browser(lambda b: f"{b['loaded_page_query']['typing_to_result_ms']:.0f} ms")),
    ("**CLI: first search, empty cache** (validate + build the index): time, CPU, peak RSS",
     lambda r: (f"{_s(r['cli_first']['s'])}, {_s(r['cli_first']['cpu_s'])}, {r['cli_first']['rss_mb']:.0f} MB"
                if "cli_first" in r else "–")),
    ("CLI in process: first query (opens index)", lambda r: _ms(r["stages"]["first_query"])),
    ("**CLI in process: p50 / p95**", lambda r: f"{_ms(r['stages']['query_p50'])} / {_ms(r['stages']['query_p95'])}"),
    ("CLI in process: of which the freshness check of the record files (p50)",
     lambda r: _ms(r["stages"]["freshness_p50"])),
    ("**CLI whole process `govcases search`: p50 / p95** (CPU p50 / p95)",
     lambda r: f"{_ms(r['cli']['p50'])} / {_ms(r['cli']['p95'])} ({_ms(r['cli']['cpu_p50'])} / "
               f"{_ms(r['cli']['cpu_p95'])})"),
]


def targets(results: list[R]) -> list[str]:
    """One line per target of issue #8 that these figures can decide: met, missed, or not measured."""
    by_n = {r["n"]: r for r in results}
    lines = []
    worst = max(results, key=lambda r: r["cold"]["s"] / r["plain"]["s"])
    ratio = worst["cold"]["s"] / worst["plain"]["s"]
    lines.append(f"- Build ≤ 1.3× plain at every N (empty cache): {'met' if ratio <= 1.3 else 'missed'} "
                 f"(worst {ratio:.2f}× at N={worst['n']:,})")
    rebuilt = [r for r in results if "warm" in r]
    if rebuilt:
        warm = max(rebuilt, key=lambda r: r["warm"]["s"] / r["plain"]["s"])
        ratio = warm["warm"]["s"] / warm["plain"]["s"]
        lines.append(f"- Same, rebuild with nothing changed: {'met' if ratio <= 1.3 else 'missed'} "
                     f"(worst {ratio:.2f}× at N={warm['n']:,}; timed up to N={max(r['n'] for r in rebuilt):,})")
    if 1000 in by_n and 10000 in by_n:
        f = by_n[10000]["cold"]["s"] / by_n[1000]["cold"]["s"]
        lines.append(f"- Near-linear (10,000 ≤ 11× 1,000): {'met' if f <= 11 else 'missed'} ({f:.1f}×)")
    else:
        ns = sorted(by_n)
        steps = ", ".join(f"{a:,}→{b:,}: {by_n[b]['cold']['s'] / by_n[a]['cold']['s']:.1f}× for {b / a:.0f}× the cases"
                          for a, b in itertools.pairwise(ns))
        lines.append(f"- Near-linear (10,000 ≤ 11× 1,000): not measured at 10,000; growth {steps or '–'}")
    if 5000 in by_n and "browser" in by_n[5000]:
        b = by_n[5000]["browser"]
        t, n = b["loaded_page_query"]["typing_to_result_ms"], b["bytes_to_first_result"]
        lines.append(f"- Site search at 5,000: ≤ 300 ms on a loaded page: {'met' if t <= 300 else 'missed'} "
                     f"({t:.0f} ms); ≤ 1 MB for the first query: {'met' if n <= MB else 'missed'} ({_mb(n)})")
    else:
        lines.append("- Site search at 5,000: not measured at 5,000")
    big = max(by_n)
    cli, p95 = by_n[big]["cli"]["p95"], by_n[big]["stages"]["query_p95"]
    at = "at 10,000" if big == 10000 else f"not measured at 10,000; at {big:,}"
    lines.append(f"- CLI whole process ≤ 1.0 s ({at}): {'met' if cli <= 1.0 else 'missed'} (p95 {_ms(cli)})")
    lines.append(f"- CLI in-process p95 ≤ 20 ms ({at}): {'met' if p95 <= 0.020 else 'missed'} ({_ms(p95)})")
    return lines


def markdown(results: list[R]) -> str:
    """The table (one column per N) and the target lines, as Markdown."""
    head = "| | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |"
    rule = "|---|" + "---|" * len(results)
    body = [f"| {label} | " + " | ".join(_cell(f, r) for r in results) + " |" for label, f in ROWS]
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    return "\n".join([
        f"# govcases benchmarks ({when}; {machine})", "",
        "Ratios in brackets are to the plain Material build of the same pages in the same run. "
        "Browser figures: Chromium, site served gzip-compressed on 127.0.0.1, fresh profile.", "",
        head, rule, *body, "", "## Targets (issue #8)", "", *targets(results), "",
    ])


def _cell(f: Callable[[R], str], r: R) -> str:
    try:
        return f(r)
    except (KeyError, ZeroDivisionError, TypeError):
        return "–"


if __name__ == "__main__":
    merged = {r["n"]: r for path in sys.argv[1:] for r in json.loads(Path(path).read_text(encoding="utf-8"))}
    print(markdown([merged[n] for n in sorted(merged)]))
