"""The `govcases search` command. (placeholder until the search work lands)"""

from __future__ import annotations

import argparse
from typing import Any


def add_search_command(sub: Any) -> None:
    """Register `govcases search` on the sub-command parser."""
    p = sub.add_parser("search", help="检索案例（开发中）", description="检索案例。")
    p.add_argument("query", nargs="*")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    print("检索功能尚未完成。")
    return 2
