"""Report the longest runs of characters a record shares with a source text (to catch copied sentences).

Usage: python scripts/copycheck.py RECORD.yaml SOURCE.txt [--min 15] [--top 5]

Named models, titles and fixed terms legitimately repeat the source; a shared run of 20+ Han
characters usually means a clause was copied and should be rewritten.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

PUNCT = re.compile(r"[\s，。、；：“”‘’（）《》！？,.;:()\"'\-—…·]+")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _norm(text: str) -> str:
    return PUNCT.sub("", text)


def longest_runs(record_text: str, source_text: str, minimum: int) -> list[str]:
    """Maximal substrings of record_text (punctuation ignored) of at least `minimum` chars found in source."""
    rec, src = _norm(record_text), _norm(source_text)
    grams = {src[i : i + minimum] for i in range(len(src) - minimum + 1)}
    runs: list[str] = []
    i = 0
    while i <= len(rec) - minimum:
        if rec[i : i + minimum] in grams:
            j = i + minimum
            while j < len(rec) and rec[i : j + 1] in src:
                j += 1
            runs.append(rec[i:j])
            i = j
        else:
            i += 1
    return sorted(set(runs), key=len, reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("record", type=Path)
    ap.add_argument("source", type=Path, nargs="+")
    ap.add_argument("--min", type=int, default=15, help="shortest run to report (characters, default 15)")
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args(argv)
    data = yaml.safe_load(args.record.read_text(encoding="utf-8-sig"))
    # Source titles are citations, not prose: leave them out of the comparison.
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in ("sources", "source")}
    text = "\n".join(_strings(data))
    source = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in args.source)
    runs = longest_runs(text, source, args.min)
    longest = len(runs[0]) if runs else 0
    print(f"{args.record}: longest shared run {longest} chars; {len(runs)} run(s) >= {args.min}")
    for r in runs[: args.top]:
        print(f"  {len(r):3d}  {r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
