"""Import a submission workbook: every row checked by the project's own validator, then all records written or none."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import yaml
from openpyxl.utils import get_column_letter

from govcases.exchange.canonical import dump_record, record_data
from govcases.exchange.layout import CASES, SHEETS
from govcases.exchange.read import AS_TEXT, Sheets, read_workbook
from govcases.exchange.rows import Where, gather
from govcases.exchange.words import in_workbook_terms
from govcases.paths import CASES_DIR
from govcases.records.errors import Problem
from govcases.records.load import load_case, load_taxonomy
from govcases.records.model import ID_RE
from govcases.records.taxonomy import Taxonomy

# 陕西 and 山西 share a pinyin spelling; the national romanisation keeps them apart.
_PROVINCE_SLUGS = {"陕西": "shaanxi", "山西": "shanxi", "内蒙古": "neimenggu"}
_SHEET = {s.name: s for s in SHEETS}


@dataclass(frozen=True)
class Planned:
    """One record the import would write: its id, target file, canonical YAML and whether it replaces a file."""

    id: str
    path: Path
    text: str
    replaces: bool
    note: str = ""  # why the id is not the one the place and model give (that one belongs to another place)


def plan_import(root: Path, book: Path, *, update: bool = False, progress: Callable[[int, int], None] | None = None,
                checking: Callable[[int, int], None] | None = None) -> tuple[list[Planned], list[Problem]]:
    """The records a workbook would add (or, with `update`, replace), or every problem found; nothing is written.
    `progress(done, total)` follows the reading of the sheets, `checking(done, total)` the checking of the cases."""
    taxonomy, problems = load_taxonomy(root / CASES_DIR)
    if taxonomy is None:
        return [], problems
    sheets = read_workbook(book, progress)
    if sheets.problems:
        return [], sheets.problems
    cases = sheets.rows[CASES.name]
    _orphans(sheets, set(cases))
    planned: list[Planned] = []
    ids: dict[str, tuple[int, tuple[str, ...]]] = {}  # id → the workbook's case number and place
    with tempfile.TemporaryDirectory(prefix="govcases-import-") as tmp:
        for done, no in enumerate(sorted(cases), 1):
            if checking is not None:
                checking(done, len(cases))
            if len(cases[no]) > 1:
                rows = "、".join(str(r) for r, _ in cases[no])
                sheets.problem(f"{CASES.name}!A{cases[no][1][0]}",
                               f"案例序号 {no} 出现了多次（第{rows}行）：每个案例只占一行")
                continue
            data, where = gather(no, {s.name: sheets.rows[s.name].get(no, []) for s in SHEETS})
            flagged = _types(data, where, no, sheets)
            given = str(data.pop("id", "") or "")
            place = _place(data)
            base = given or make_id(data, taxonomy)
            rid = base if given else _choose_id(base, place, root, ids)
            row = cases[no][0][0]
            if rid in ids:
                sheets.problem(f"{CASES.name}!A{row}",
                               f"第{no}个案例与第{ids[rid][0]}个案例的地点和模式相同（编号都是 {rid}）："
                               "同一个做法请只填一行；确是两个案例时请在“编号”列分别填写不同的编号")
                continue
            ids[rid] = (no, place)
            if not ID_RE.fullmatch(rid):
                sheets.problem(f"{CASES.name}!B{row}",
                               f"编号“{rid}”不合格式：只能用小写字母、数字和连字符，如 ningxia-jinfeng-points")
                continue
            target = root / CASES_DIR / f"{rid}.yaml"
            if target.exists() and not update:
                free = _choose_id(rid, (), root, ids, free_only=True)
                sheets.problem(f"{CASES.name}!B{row}",
                               f"库中已有编号为 {rid} 的案例（{CASES_DIR}/{rid}.yaml）：如是对它的修改，"
                               "请维护人员加 --update 重新导入；如是另一个案例，请在本格（“编号”列）另填一个编号，"
                               f"如 {free}")
                continue
            note = ""
            if rid != base:
                other = _existing_place(target.with_name(f"{base}.yaml")) or ids[base][1]
                note = f"编号 {base} 已是{_where(other)}的案例，这个案例编为 {rid}"
            text = dump_record(data)
            scratch = Path(tmp) / f"{rid}.yaml"
            scratch.write_text(text, encoding="utf-8")
            case, found = load_case(scratch, taxonomy)
            for p in found:
                if p.field not in flagged:  # already explained in the workbook's own terms
                    _relocate(p, no, where, sheets)
            if case is not None:
                # Written from the validated record, so the file is in canonical form (folded lines joined).
                text = dump_record(record_data(case, taxonomy))
            planned.append(Planned(rid, target, text, target.exists(), note))
    return ([], sorted(sheets.problems, key=_natural)) if sheets.problems else (planned, [])


def _natural(problem: Problem) -> tuple[int, int, int, str]:
    """Problems in the order of the sheets, then row by row and column by column (C4 before C10)."""
    m = re.search(r" ([^ !]+)!([A-Z]*)(\d*)", problem.path)
    if m is None:
        return (-1, 0, 0, problem.message)
    order = [s.name for s in SHEETS]
    sheet = order.index(m.group(1)) if m.group(1) in order else len(order)
    column = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(m.group(2))))
    return (sheet, int(m.group(3) or 0), column, problem.message)


def write_planned(planned: list[Planned]) -> None:
    """Write every planned record; each file appears whole (written beside it, then renamed)."""
    for item in planned:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = item.path.with_name(f".{item.path.name}.tmp")
        tmp.write_text(item.text, encoding="utf-8")
        tmp.replace(item.path)


def make_id(data: dict[str, Any], taxonomy: Taxonomy) -> str:
    """A stable id from the place and the named model (宁夏 泾源县 新旗村 积分卡 → ningxia-jingyuan-xinqi-jifenka)."""
    from pypinyin import lazy_pinyin  # pypinyin loads only when an id must be made

    place = data.get("place") or {}
    parts = [_short(place.get("province"), r"(壮族|回族|维吾尔)?自治区$|特别行政区$|省$|市$"),
             _short(place.get("county") or place.get("city"), r"(自治县|自治旗|县|区|市|旗)$"),
             _short(place.get("village") or place.get("town"), r"(村|社区|镇|乡|街道)$")]
    model = str(data.get("model") or "")[:4]
    if not model:
        first = (data.get("practice_types") or [""])[0]
        term = taxonomy.type(str(first)) if first else None
        model = term.id if term else ""
    parts.append(model)
    words = [_PROVINCE_SLUGS.get(p) or "".join(lazy_pinyin(p)) for p in parts if p]
    slug = "-".join(re.sub(r"[^a-z0-9]+", "", w.lower()) for w in words)
    return re.sub(r"-+", "-", slug).strip("-") or "case"


_PLACE_KEYS = ("province", "city", "county", "town", "village")


def _place(data: Any) -> tuple[str, ...]:
    place = data.get("place") if isinstance(data, dict) else None
    return tuple(str(place.get(k) or "").strip() if isinstance(place, dict) else "" for k in _PLACE_KEYS)


def _where(place: tuple[str, ...]) -> str:
    return "".join(place[1:]) or place[0]


def _existing_place(path: Path) -> tuple[str, ...] | None:
    """The place of the record at `path`; None when there is no such file, () when it cannot be read."""
    if not path.exists():
        return None
    try:
        return _place(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()


def _choose_id(base: str, place: tuple[str, ...], root: Path, taken: dict[str, tuple[int, tuple[str, ...]]],
               *, free_only: bool = False) -> str:
    """The first of base, base-2, base-3 … that is free, or that already belongs to this place (the same case
    again, which the caller reports); another place's record never blocks a new case (桃园村 and 桃源村 are
    both taoyuan). The same library and workbook always give the same ids."""
    for n in count(1):
        rid = base if n == 1 else f"{base}-{n}"
        other = taken[rid][1] if rid in taken else _existing_place(root / CASES_DIR / f"{rid}.yaml")
        if other is None or (not free_only and other in (place, ())):
            return rid
    raise AssertionError("unreachable")


def _short(name: Any, suffix: str) -> str:
    text = str(name or "").strip()
    short = re.sub(suffix, "", text)
    return short if len(short) >= 2 else text


def _orphans(sheets: Sheets, known: set[int]) -> None:
    for sheet in SHEETS[1:]:
        for no, rows in sheets.rows[sheet.name].items():
            if no not in known:
                sheets.problem(f"{sheet.name}!A{rows[0][0]}",
                               f"案例序号 {no} 在“案例”表中没有：请先在“案例”表填写这个案例，或改正这里的案例序号")


def _types(data: dict[str, Any], where: dict[str, Where], no: int, sheets: Sheets) -> set[str]:
    """Whole numbers typed as text become numbers; an Excel date where a year belongs is a clear problem.
    Returns the fields it reported, so the validator's view of the same cell is not printed twice."""
    flagged: set[str] = set()

    def fix(holder: dict[str, Any], key: str, path: str) -> None:
        value = holder.get(key)
        if isinstance(value, str) and value.isdigit():
            holder[key] = int(value)
        elif key == "year" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            flagged.add(path)
            _at(sheets, where.get(path), no, f"年份应写四位数字，如 {value[:4]}；这里是日期“{value}”，"
                "请把单元格格式设为“文本”后重填")
        elif key == "year" and isinstance(value, int) and value > 2100:
            flagged.add(path)
            _at(sheets, where.get(path), no, f"年份应写四位数字，如 2022；“{value}”像是 Excel 的日期序号，"
                "请把单元格格式设为“常规”或“文本”后重填")

    fix(data, "year", "year")
    for i, f in enumerate(data.get("figures") or []):
        fix(f, "source", f"figures[{i}].source")
    for i, s in enumerate(data.get("sources") or []):
        fix(s, "item", f"sources[{i}].item")
    for i, p in enumerate(data.get("procedures") or []):
        fix(p, "source_lists", f"procedures[{i}].source_lists")
    return flagged


def _at(sheets: Sheets, where: Where | None, no: int, message: str, field: str = "") -> None:
    if where is None:
        sheets.problem("", message, f"第{no}个案例")
        return
    sheet_name, row, key = where
    sheet = _SHEET[sheet_name]
    index = next(i for i, c in enumerate(sheet.columns) if c.field == key)
    header = sheet.columns[index].header
    cell = f"{sheet_name}!{get_column_letter(index + 1)}{row}"
    if cell in sheets.formatted:
        shown = sheets.formatted[cell]
        message += f"（此格是 Excel/WPS 的数字格式，显示为“{shown}”，可能不是原来输入的写法：{AS_TEXT}）"
    sheets.problem(cell, message, f"第{no}个案例 {header}")


def _relocate(problem: Problem, no: int, where: dict[str, Where], sheets: Sheets) -> None:
    """A validator problem about a field (figures[2].written) reported at the cell the field came from."""
    path = problem.field
    while path and path not in where:
        shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
        path = shorter if shorter != path else ""
    spot = where.get(path) if path else None
    if spot is None:
        spot = (CASES.name, sheets.rows[CASES.name][no][0][0], "case")
    _at(sheets, spot, no, in_workbook_terms(problem.message, spot[0], spot[2]))
