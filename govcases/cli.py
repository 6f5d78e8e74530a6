"""The `govcases` command line: validate records, start new ones, print the schema, search."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path
from typing import Any

from govcases.cli_exchange import add_exchange_commands
from govcases.cli_parser import ChineseParser
from govcases.paths import CASES_DIR, find_root
from govcases.records.errors import Problem, ValidationFailed, os_error, printable
from govcases.records.files import file_problems, project_problem, shown_path
from govcases.search.query import Filter, Results, UnknownFilter, find, level_name

# The validating commands import the record models (pydantic) inside their functions: a search of a fresh
# index never needs them, and importing them would add a tenth of a second to every `govcases search`.

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

DESCRIPTION = "善治案例库（govcases）：校验案例记录、新建记录、导出数据格式、检索案例，生成、导入和导出 Excel 报送表。"
EPILOG = "退出码：0 成功；1 记录有错误或操作被拒绝；2 用法错误。各命令的帮助：govcases 命令 --help"


def _progress(done: int, total: int) -> None:
    # Only on a terminal: logs and pipes get the summary line alone.
    if total >= 200 and sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r校验中 {done}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the whole project, or only the given files/folders of case records."""
    from govcases.records.library import collect  # the record models: see the note at the top
    from govcases.records.load import find_case_files, load_case, load_taxonomy
    from govcases.records.places import check_place_spellings

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if not args.paths:
        lib, problems = collect(root, _progress)
        if lib is not None and not problems:
            counts = f"{len(lib.cases)} 个案例、{len(lib.templates)} 个模板、{len(lib.policies)} 个政策文件"
            print(f"校验通过：{counts}，没有错误。")
            return EXIT_OK
        return _fail(problems)
    if (missing_project := project_problem(root)) is not None:
        return _fail([missing_project])
    taxonomy, problems = load_taxonomy(root / CASES_DIR)
    if taxonomy is None:
        return _fail(problems)
    missing = [p for p in args.paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        return _fail([Problem(p, 0, 0, "", "没有这个文件或文件夹；请检查路径和文件名（可用 Tab 键补全）")
                      for p in missing])
    files, problems = find_case_files(Path(p) for p in args.paths)
    seen: dict[str, str] = {}
    cases = []
    for i, path in enumerate(files, 1):
        case, found = load_case(path, taxonomy)
        problems += found
        if case is not None and case.id in seen:
            problems.append(Problem(case.path, 0, 0, "", (
                f"案例 id “{case.id}”重复（{seen[case.id]} 也用了它）；请给其中一个文件改名")))
        elif case is not None:
            seen[case.id] = case.path
            cases.append(case)
        _progress(i, len(files))
    problems += check_place_spellings(cases)
    if problems:
        return _fail(problems)
    print(f"校验通过：{len(files)} 个案例，没有错误。")
    return EXIT_OK


def _fail(problems: list[Problem]) -> int:
    print(ValidationFailed(problems).report())
    return EXIT_INVALID


def cmd_new(args: argparse.Namespace) -> int:
    """Write a commented skeleton record for a new case; never overwrite, and leave nothing on failure."""
    from govcases.pages.render import render  # the record models and Jinja: see the note at the top
    from govcases.records.load import MAX_ID, reserved_id_message
    from govcases.records.model import ID_RE

    if not ID_RE.fullmatch(args.id) or len(args.id) > MAX_ID:
        hint = f"只能用小写英文字母、数字和连字符，最多 {MAX_ID} 个字符，如 sichuan-luojiang-anjia-points"
        print(f"无效的案例 id '{printable(args.id[:100])}'：{hint}", file=sys.stderr)
        return EXIT_USAGE
    if message := reserved_id_message(args.id):
        print(f"无效的案例 id {message}", file=sys.stderr)
        return EXIT_USAGE
    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if (missing := project_problem(root)) is not None:
        print(missing, file=sys.stderr)
        return EXIT_INVALID
    path = root / CASES_DIR / f"{args.id}.yaml"
    shown = shown_path(path)
    text = render("new_case.yaml.j2", id=args.id, year=dt.date.today().year)
    try:
        f = open(path, "x", encoding="utf-8")  # noqa: SIM115  # "x": never overwrite, even a file written a moment ago
    except FileExistsError:
        print(f"{shown} 已存在，未做任何改动（不会覆盖已有记录）。", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"{shown}: {os_error(exc, writing=True)}", file=sys.stderr)
        return EXIT_INVALID
    try:
        with f:
            f.write(text)
    except BaseException as exc:  # a full disk (or Ctrl-C) must not leave half a skeleton behind
        path.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        print(f"{shown}: {os_error(exc, writing=True)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"已新建 {shown}：按注释填写后运行 govcases validate {shown}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print (or write) the JSON Schema of case records."""
    from govcases.records.load import load_taxonomy  # the record models: see the note at the top
    from govcases.records.schema import case_schema_json

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if (missing := project_problem(root)) is not None:
        return _fail([missing])
    taxonomy, problems = load_taxonomy(root / CASES_DIR)
    if taxonomy is None:
        return _fail(problems)
    data = case_schema_json(taxonomy)
    if args.output:
        target = Path(args.output)
        try:
            with open(target, "wb") as f:
                f.write(data)
        except OSError as exc:
            with suppress(OSError):  # never leave half a schema behind
                if target.is_file():
                    target.unlink()
            print(f"{printable(args.output)}: {os_error(exc, writing=True)}", file=sys.stderr)
            return EXIT_INVALID
        print(f"已写出 {printable(args.output)}")
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return EXIT_OK


SEARCH_DESCRIPTION = (
    "按检索词查找案例，最相关的排在最前。检索词可以是实践类型（积分制、村规民约）、做法或术语"
    "（红白理事会、网格员补贴）、模式名（三会五员、1357）或地名（米易县、西昌）；"
    "实践类型的同义词会一并检索（爱心超市 ≈ 积分超市 ≈ 积分制），词的一部分也能找到（民约 → 村规民约）。"
    "索引在第一次检索和案例记录改动后自动重建，存放在 ~/.cache/govcases/（或 $XDG_CACHE_HOME、$GOVCASES_CACHE_DIR）。"
)
SEARCH_EPILOG = (
    "退出码：0 检索完成（包括没有找到结果）；1 案例记录有错误，无法建立索引；"
    "2 用法错误（检索词为空，或 --type/--province/--level 的值不在词表中、可指不止一项）。"
    "例：govcases search 积分制 --province 四川 --level 村级 --limit 5；govcases search 调解 --json"
)


def add_search_command(sub: Any) -> None:
    """Register `govcases search` on the sub-command parser."""
    p = sub.add_parser("search", help="检索案例（支持实践类型、同义词、地名和 JSON 输出）",
                       description=SEARCH_DESCRIPTION, epilog=SEARCH_EPILOG)
    p.add_argument("query", nargs="*", metavar="检索词", help="要找的内容；多个词用空格分开，按相关度综合排序")
    p.add_argument("--type", metavar="类型",
                   help="只看某一实践类型，写 id、中文名或同义词，如 points、积分制、爱心超市")
    p.add_argument("--province", metavar="省份", help="只看某一省份，如 四川省 或 四川、广西")
    p.add_argument("--level", metavar="层级",
                   help="只看某一实施层级：省、市、县、乡镇、村（也可写 县级、乡镇级、村级 等）")
    p.add_argument("--limit", type=_positive, default=10, metavar="N", help="最多列出 N 个结果（默认 10）")
    p.add_argument("--json", action="store_true",
                   help="输出 JSON 数组，最相关的在前；每项含 id、title、url（站内相对地址 cases/<id>/）、"
                        "score（相关度，只用于排序）、place、level、types（实践类型）、snippet")
    p.set_defaults(func=cmd_search)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{text}”")
    return n


def cmd_search(args: argparse.Namespace) -> int:
    """Search and print; see SEARCH_EPILOG for the exit codes."""
    query = " ".join(args.query).strip()
    if not query:
        print("请给出检索词，例如：govcases search 积分制（govcases search --help 查看用法）", file=sys.stderr)
        return EXIT_USAGE

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if problems := file_problems(root):  # the index reads every file before it validates them
        print(ValidationFailed(problems).report(), file=sys.stderr)
        return EXIT_INVALID
    progress = _Progress()
    try:
        results = find(root, query, type=args.type, province=args.province, level=args.level, limit=args.limit,
                       progress=progress)
    except UnknownFilter as exc:
        print(_line(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except ValidationFailed as exc:
        print(exc.report(), file=sys.stderr)
        print("案例记录有错误，无法建立检索索引；请先修正（govcases validate）。", file=sys.stderr)
        return EXIT_INVALID

    if progress.shown:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(h) for h in results.hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(_heading(query, results, args.limit))
    for i, h in enumerate(results.hits, 1):  # record text never acts on the terminal
        print(f"{i:>2}. {_line(h.title)}")
        print(f"    {_line(h.place)} · {level_name(h.level)} · {_types(h.types)} · {h.url}")
        print(f"    {_line(h.snippet)}\n")
    return EXIT_OK


def _heading(query: str, results: Results, limit: int) -> str:
    """The line above the results (how many, under which filters), or what to try when there are none."""
    shown = f"（只看{'、'.join(f.shown for f in results.filters)}）" if results.filters else ""
    total = results.count()
    if total:
        which = f"列出前 {limit} 个（加 --limit {total} 可全部列出）" if total > limit else "排列如下"
        return f"共 {total} 个案例与“{_line(query)}”相关{_line(shown)}，按相关度{which}：\n"
    none = f"没有找到与“{_line(query)}”相关的案例{_line(shown)}。"
    everywhere = len(results.matched)
    if not everywhere:
        also = "不加筛选也没有。" if results.filters else ""
        tip = "或用更短的词（如“积分”“调解”）" if len(query) > 2 else "或写实践类型（如“积分制”“村规民约”）"
        return f"{none}{also}可以换个说法，{tip}。"
    drop = [(f, n) for f in results.filters if (n := results.count(dropping=f))]
    if len(results.filters) == 1:
        advice = f"去掉 {_option(results.filters[0])} 再试"
    elif drop:
        advice = "；".join(f"去掉 {_option(f)} 有 {n} 个结果" for f, n in drop)
    else:
        advice = "去掉全部筛选条件再试"
    return f"{none}不加筛选有 {everywhere} 个结果；{advice}。"


def _types(types: tuple[str, ...], most: int = 3) -> str:
    # the record's first practice types are its main ones; a full list would wrap the line
    return _line("、".join(types[:most]) + ("等" if len(types) > most else ""))


def _option(f: Filter) -> str:
    return f"{f.option} {_line(f.value.strip())}"


def _line(text: str) -> str:
    return printable(" ".join(text.split("\n")))


class _Progress:
    """The index build as it goes, on one line of a terminal (logs and pipes get nothing)."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if total >= 200 and sys.stderr.isatty() and (done % 50 == 0 or done == total):
            print(f"\r{what} {done}/{total}\033[K", end="", file=sys.stderr, flush=True)
            self.shown = True



def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with Chinese help and usage errors for every command."""
    parser = ChineseParser(prog="govcases", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--root", metavar="目录", help="项目目录（含 cases/ 的目录）；默认从当前目录向上查找")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser("validate", help="校验案例记录", description=(
        "校验案例记录。不带参数时校验整个项目（案例、模板、政策文件及其相互引用）；"
        "给出文件或目录时只校验这些案例文件。每个问题一行：路径:行:列: 字段：说明。"), epilog=EPILOG)
    p.add_argument("paths", nargs="*", metavar="路径", help="案例文件或目录")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", help="新建一个带注释的案例记录骨架", description=(
        "在 cases/ 下新建 <id>.yaml，内含每个字段的说明；文件已存在时拒绝覆盖（退出码 1）。"), epilog=EPILOG)
    p.add_argument("id", help="案例 id = 文件名，小写英文、数字和连字符，如 sichuan-luojiang-anjia-points")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="输出案例记录的 JSON Schema（供编辑器补全和检查）",
                       description="输出由数据模型和分类词表生成的 JSON Schema。", epilog=EPILOG)
    p.add_argument("-o", "--output", metavar="文件", help="写入文件而不是打印")
    p.set_defaults(func=cmd_schema)

    add_search_command(sub)
    add_exchange_commands(sub, EPILOG)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `govcases` console script."""
    from govcases.output import safe_output

    with safe_output():
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        try:
            return int(args.func(args))
        except KeyboardInterrupt:
            print("已中断。", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
