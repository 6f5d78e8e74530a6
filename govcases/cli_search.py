"""The `govcases search` command: ranked case search from the command line, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

DESCRIPTION = (
    "按检索词查找案例，最相关的排在最前。检索词可以是实践类型（积分制、村规民约）、做法或术语"
    "（红白理事会、网格员补贴）、模式名（三会五员、1357）或地名（米易县、西昌）；"
    "实践类型的同义词会一并检索（爱心超市 ≈ 积分超市 ≈ 积分制），词的一部分也能找到（民约 → 村规民约）。"
    "索引在第一次检索和案例记录改动后自动重建，存放在 ~/.cache/govcases/（或 $XDG_CACHE_HOME、$GOVCASES_CACHE_DIR）。"
)
EPILOG = (
    "退出码：0 检索完成（包括没有找到结果）；1 案例记录有错误，无法建立索引；"
    "2 用法错误（检索词为空，或 --type/--province/--level 的值不在词表中）。"
    "例：govcases search 积分制 --province 四川 --limit 5；govcases search 调解 --json"
)


def add_search_command(sub: Any) -> None:
    """Register `govcases search` on the sub-command parser."""
    p = sub.add_parser("search", help="检索案例（支持实践类型、同义词、地名和 JSON 输出）",
                       description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("query", nargs="*", metavar="检索词", help="要找的内容；多个词用空格分开，按相关度综合排序")
    p.add_argument("--type", metavar="类型", help="只看某一实践类型，写 id 或中文名，如 points 或 积分制")
    p.add_argument("--province", metavar="省份", help="只看某一省份，如 四川省 或 四川")
    p.add_argument("--level", metavar="层级", help="只看某一实施层级：省、市、县、乡镇、村")
    p.add_argument("--limit", type=_positive, default=10, metavar="N", help="最多列出 N 个结果（默认 10）")
    p.add_argument("--json", action="store_true",
                   help="输出 JSON 数组，最相关的在前；每项含 id、title、url（站内相对地址 cases/<id>/）、"
                        "score、place、snippet")
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”")
    return n


def run(args: argparse.Namespace) -> int:
    """Search and print; see EPILOG for the exit codes."""
    query = " ".join(args.query).strip()
    if not query:
        print("请给出检索词，例如：govcases search 积分制（govcases search --help 查看用法）", file=sys.stderr)
        return EXIT_USAGE

    from govcases.paths import find_root
    from govcases.records.errors import ValidationFailed
    from govcases.search.query import UnknownFilter, search  # jieba and SQLite load only when a search really runs

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    from govcases.records.files import file_problems

    if problems := file_problems(root):  # the index reads every file before it validates them
        print(ValidationFailed(problems).report(), file=sys.stderr)
        return EXIT_INVALID
    try:
        hits = search(root, query, type=args.type, province=args.province, level=args.level, limit=args.limit,
                      progress=_progress)
    except UnknownFilter as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except ValidationFailed as exc:
        print(exc.report(), file=sys.stderr)
        print("案例记录有错误，无法建立检索索引；请先修正（govcases validate）。", file=sys.stderr)
        return EXIT_INVALID

    if _progress.shown:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        filters = "、".join(f"{k}={v}" for k, v in (("类型", args.type), ("省份", args.province),
                                                    ("层级", args.level)) if v)
        where = f"（筛选条件：{filters}）" if filters else ""
        print(f"没有找到与“{_line(query)}”相关的案例{_line(where)}。可以换个说法，或用更短的词（如“积分”“调解”）。")
        return EXIT_OK
    print(f"“{_line(query)}”的检索结果（{len(hits)} 个，按相关度排序）：\n")
    for i, h in enumerate(hits, 1):  # record text never acts on the terminal
        print(f"{i:>2}. {_line(h.title)}")
        print(f"    {_line(h.place)} · 得分 {h.score:.2f} · {h.url}")
        print(f"    {_line(h.snippet)}\n")
    return EXIT_OK


def _line(text: str) -> str:
    from govcases.records.errors import printable

    return printable(" ".join(text.split("\n")))


class _Progress:
    """The index build as it goes, on one line of a terminal (logs and pipes get nothing)."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if total >= 200 and sys.stderr.isatty() and (done % 50 == 0 or done == total):
            print(f"\r{what} {done}/{total}\033[K", end="", file=sys.stderr, flush=True)
            self.shown = True


_progress = _Progress()
