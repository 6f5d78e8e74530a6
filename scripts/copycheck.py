"""Report, per field, the longest run of characters a record shares with a source text (copied sentences).

Usage: python scripts/copycheck.py RECORD.yaml SOURCE.txt [SOURCE.txt …] [--top 5]

Quoted terms (“三会五员”), titles (《…》) and list items (a、b、c) are left out: they may repeat the source.
The tests (tests/test_review_checks.py) fail a field whose run is longer than MAX_SHARED_RUN characters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from govcases.records.review import longest_run, own_words, prose_fields


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("record", type=Path)
    ap.add_argument("source", type=Path, nargs="+")
    ap.add_argument("--top", type=int, default=5, help="fields to show, longest run first (default 5)")
    args = ap.parse_args(argv)
    data = yaml.safe_load(args.record.read_text(encoding="utf-8-sig"))
    source = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in args.source)
    runs = sorted(((longest_run(own_words(text), source), field) for field, text in prose_fields(data)),
                  key=lambda r: -len(r[0]))
    longest = len(runs[0][0]) if runs else 0
    print(f"{args.record}: longest shared run {longest} chars")
    for run, field in runs[: args.top]:
        print(f"  {len(run):3d}  {field}: {run}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
