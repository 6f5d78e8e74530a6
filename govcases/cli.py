"""The `govcases` command line: validate records, start new ones, print the schema, search."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from govcases.paths import find_root
from govcases.records.errors import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

DESCRIPTION = "善治案例库（govcases）：校验案例记录、新建记录、导出数据格式、检索案例。"
EPILOG = "退出码：0 成功；1 记录有错误或操作被拒绝；2 用法错误。各命令的帮助：govcases 命令 --help"



def _progress(done: int, total: int) -> None:
    # Only on a terminal: logs and pipes get the summary line alone.
    if total >= 200 and sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r校验中 {done}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the whole project, or only the given files/folders of case records."""
    from govcases.records.files import project_problem
    from govcases.records.library import collect
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
    taxonomy, problems = load_taxonomy(root / "cases")
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
    from govcases.records.errors import ValidationFailed

    print(ValidationFailed(problems).report())
    return EXIT_INVALID


def cmd_new(args: argparse.Namespace) -> int:
    """Write a commented skeleton record for a new case; never overwrite, and leave nothing on failure."""
    from govcases.pages.render import render
    from govcases.records.errors import printable
    from govcases.records.files import project_problem, shown_path
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
    path = root / "cases" / f"{args.id}.yaml"
    shown = shown_path(path)
    text = render("new_case.yaml.j2", id=args.id, year=dt.date.today().year)
    try:
        f = open(path, "x", encoding="utf-8")  # noqa: SIM115  # "x": never overwrite, even a file written a moment ago
    except FileExistsError:
        print(f"{shown} 已存在，未做任何改动（不会覆盖已有记录）。", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"{shown}: {_os_error(exc)}", file=sys.stderr)
        return EXIT_INVALID
    try:
        with f:
            f.write(text)
    except BaseException as exc:  # a full disk (or Ctrl-C) must not leave half a skeleton behind
        path.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        print(f"{shown}: {_os_error(exc)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"已新建 {shown}：按注释填写后运行 govcases validate {shown}")
    return EXIT_OK


def _os_error(exc: OSError) -> str:
    """A failed write in Chinese, with what to do."""
    import errno

    reasons = {
        errno.ENOSPC: "磁盘已满，无法写入；请腾出空间后重试",
        errno.EDQUOT: "磁盘配额已用完，无法写入；请腾出空间后重试",
        errno.ENOENT: "所在的文件夹不存在；请先建立文件夹，或换一个路径",
        errno.ENOTDIR: "路径中有一段不是文件夹；请换一个路径",
        errno.EISDIR: "这是一个文件夹；请给出文件名，如 case.schema.json",
        errno.EACCES: "没有写入权限；请换一个位置，或检查权限",
        errno.EPERM: "没有写入权限；请换一个位置，或检查权限",
        errno.EROFS: "文件系统是只读的；请换一个位置",
        errno.ENAMETOOLONG: "文件名太长；请改用较短的名字",
    }
    reason = reasons.get(exc.errno or 0) or f"{exc.strerror or exc}（系统提示）；请检查路径、权限和磁盘空间"
    return f"无法写入：{reason}"


def cmd_schema(args: argparse.Namespace) -> int:
    """Print (or write) the JSON Schema of case records."""
    from govcases.records.errors import printable
    from govcases.records.files import project_problem
    from govcases.records.load import load_taxonomy
    from govcases.records.schema import case_schema_json

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if (missing := project_problem(root)) is not None:
        return _fail([missing])
    taxonomy, problems = load_taxonomy(root / "cases")
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
            print(f"{printable(args.output)}: {_os_error(exc)}", file=sys.stderr)
            return EXIT_INVALID
        print(f"已写出 {printable(args.output)}")
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with Chinese help and usage errors for every command."""
    from govcases.cli_parser import ChineseParser

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

    from govcases.cli_exchange import add_exchange_commands
    from govcases.cli_search import add_search_command  # the search command lives with the search code

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
