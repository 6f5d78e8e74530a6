"""The `govcases workbook | import | export` commands: the Excel door for officials' submissions, both ways."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govcases.paths import find_root
from govcases.records.errors import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _root(args: argparse.Namespace) -> Path | None:
    """The project folder, or None after saying (once, alone) that there is none here."""
    from govcases.records.files import project_problem

    root = find_root(Path.cwd()) if args.root is None else Path(args.root)
    if (missing := project_problem(root)) is not None:
        print(missing, file=sys.stderr)
        return None
    return root


def _progress(what: str):
    def show(done: int, total: int) -> None:
        # Only on a terminal: logs and pipes get the summary line alone.
        if total >= 200 and sys.stderr.isatty():
            end = "\n" if done == total else ""
            print(f"\r{what} {done}/{total}", end=end, file=sys.stderr, flush=True)
    return show


def _write(path: str, data: bytes) -> int:
    target = Path(path)
    try:
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}。请检查目录是否存在、是否有写权限、磁盘是否已满。",
              file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _library(args: argparse.Namespace, doing: str):
    """The validated library, or None after printing why not; `doing` names what waits for it (导出)."""
    from govcases.records.errors import ValidationFailed
    from govcases.records.library import load_library

    root = _root(args)
    if root is None:
        return None
    try:
        return load_library(root, _progress("校验中"))
    except ValidationFailed as exc:
        print(exc.report(), file=sys.stderr)
        print(f"库中的记录有错误，请先改正（govcases validate）再{doing}。", file=sys.stderr)
        return None


def cmd_workbook(args: argparse.Namespace) -> int:
    """Write the blank submission workbook."""
    from govcases.exchange.export import blank_workbook

    lib = _library(args, "生成报送表")
    if lib is None:
        return EXIT_INVALID
    code = _write(args.output, blank_workbook(lib))
    if code == EXIT_OK:
        print(f"已写出报送表 {args.output}：请把它发给填报单位，填好后用 govcases import 导入。")
    return code


def cmd_export(args: argparse.Namespace) -> int:
    """Write the library, or a filtered part, as a workbook or JSON Lines."""
    from govcases.exchange.export import export_jsonl, export_workbook, select
    from govcases.search.filters import UnknownFilter, choose_province, choose_type, vocabulary

    lib = _library(args, "导出")
    if lib is None:
        return EXIT_INVALID
    vocab = vocabulary(lib.taxonomy)
    try:  # read as `govcases search` reads its filters: 四川, 积分超市, 调解 …
        types = [choose_type(vocab, t.strip())[0] for t in args.type or ()]
        provinces = [choose_province(vocab, p.strip()) for p in args.province or ()]
    except UnknownFilter as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    cases = select(lib, types, provinces)
    data = export_jsonl(lib, cases) if args.format == "jsonl" else export_workbook(lib, cases)
    output = args.output or ("cases.jsonl" if args.format == "jsonl" else "案例导出.xlsx")
    code = _write(output, data)
    if code == EXIT_OK:
        print(f"已导出 {len(cases)} 个案例到 {output}。")
    return code


def cmd_import(args: argparse.Namespace) -> int:
    """Check a filled workbook and write its cases as records, all or none."""
    from govcases.exchange.importer import plan_import, write_planned

    root = _root(args)
    if root is None:
        return EXIT_INVALID
    book = Path(args.file)
    planned, problems = plan_import(root, book, update=args.update, progress=_progress("读取中"),
                                    checking=_progress("校验中"))
    if problems:
        for problem in problems:  # in the order of the sheets and rows, as the official will fix them
            print(problem)
        print(f"校验失败：{len(problems)} 个错误")
        print("没有写入任何记录。请按上面的提示改正报送表后重新导入。")
        return EXIT_INVALID
    for item in planned:
        shown = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else item.path
        print(f"{'替换' if item.replaces else '新增'} {shown}" + (f"（{item.note}）" if item.note else ""))
    if args.dry_run:
        print(f"试导入通过：{len(planned)} 个案例，没有错误（--dry-run，未写入任何文件）。")
        return EXIT_OK
    write_planned(planned)
    print(f"导入完成：{len(planned)} 个案例。请运行 govcases validate 和 mkdocs build 查看，再提交到版本库。")
    return EXIT_OK


def add_exchange_commands(sub: argparse._SubParsersAction, epilog: str) -> None:  # type: ignore[type-arg]
    """Register workbook, import and export on the main parser."""
    p = sub.add_parser("workbook", help="生成空白的案例报送表（Excel）", epilog=epilog, description=(
        "生成案例报送表（.xlsx）：填写说明、案例/分类/做法/命名程序/关键数据/来源各表、下拉列表和一个示例案例。"))
    p.add_argument("-o", "--output", default="案例报送表.xlsx", help="写入的文件名（默认 案例报送表.xlsx）")
    p.set_defaults(func=cmd_workbook)

    p = sub.add_parser("import", help="把填好的报送表导入为案例记录", epilog=epilog, description=(
        "逐行校验报送表，全部无误才写入 cases/；任何一处有错都不写入，并指出是哪张表哪个单元格。"
        "已有的案例不会被覆盖，除非加 --update。"))
    p.add_argument("file", metavar="报送表", help="填好的 .xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入文件")
    p.add_argument("--update", action="store_true", help="允许用报送表的内容替换库中已有的同编号案例")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="把案例导出为报送表格式的 Excel 或 JSON Lines", epilog=epilog, description=(
        "导出全部案例或筛选出的案例，格式与报送表相同，可在 Excel 中统计、排序；导出后再导入，记录不变。"))
    p.add_argument("-o", "--output", help="写入的文件名（默认 案例导出.xlsx 或 cases.jsonl）")
    p.add_argument("--type", action="append", metavar="类型",
                   help="只导出这个实践类型的案例（名称、同义词均可，如 积分制、积分超市；可重复）")
    p.add_argument("--province", action="append", metavar="省份",
                   help="只导出这个省份的案例（全称或简称，如 四川省、四川；可重复）")
    p.add_argument("--format", choices=("xlsx", "jsonl"), default="xlsx", help="xlsx（默认）或 jsonl（每行一个案例）")
    p.set_defaults(func=cmd_export)
