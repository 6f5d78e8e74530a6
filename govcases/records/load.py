"""The one loader and validator: YAML files in, immutable records or located problems out."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from govcases.paths import TAXONOMY_FILE, reserved_names
from govcases.records.checks import case_checks
from govcases.records.errors import Problem, field_path
from govcases.records.files import record_files, shown_path
from govcases.records.model import ID_RE, Case, CaseRecord
from govcases.records.taxonomy import Taxonomy, allowed
from govcases.records.yamlsource import Loc, YamlDoc, load_yaml, strings

M = TypeVar("M", bound=BaseModel)

display_path = shown_path  # a link is shown by its own name, not by what it points at


def describe(value: Any) -> str:
    """A short rendering of a bad value for `现为……` in a message."""
    if value is None:
        return "空值（冒号后什么也没写）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return f"“{short}”"
    if isinstance(value, dict):
        return "“字段: 值”形式的一组字段"
    if isinstance(value, list):
        return "列表（以“- ”开头的几行）"
    return str(value)


def _value_at(data: Any, loc: Loc) -> tuple[Loc, Any, bool]:
    """Follow `loc` into data; stop at a scalar (the rest are pydantic's union tags). -> (loc, value, found)."""
    cur, kept = data, []
    for part in loc:
        if isinstance(cur, dict) and isinstance(part, str):
            if part not in cur:
                return (*kept, part), None, False
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
        else:
            break
        kept.append(part)
    return tuple(kept), cur, True


_EXPECT = {
    "int_type": "整数", "int_parsing": "整数", "int_from_float": "整数", "float_type": "数字",
    "float_parsing": "数字", "string_type": "文字", "tuple_type": "列表", "list_type": "列表",
    "model_type": "一组字段", "model_attributes_type": "一组字段", "dict_type": "一组字段",
    "bool_type": "true 或 false", "bool_parsing": "true 或 false",
}
_NUMBER_TAGS = {"int", "float", "constrained-int", "constrained-float"}  # pydantic's names for union members
# How to write each kind of value, said after what was found.
_HOW = {
    "文字": "",
    "列表": "；请每项写一行，以“- ”开头",
    "一组字段": "；请在下一行缩进两个空格，每行写一个“字段: 值”",
    "true 或 false": "；请写 true（是）或 false（否），不加引号",
    "整数": "；请只写阿拉伯数字，如 2022",
    "数字": "；请只写阿拉伯数字，如 978 或 2.5",
}
# A colon inside text makes YAML read `村民说: 很好` as a field; this says so in plain words.
COLON_HINT = "文字里的英文冒号“:”后跟空格会被当成“字段: 值”；请改用中文冒号“：”，或给整段文字加上引号"

# Text that a person meant as a number in another notation (0o17, 0b101, 0x1F, 1_000): YAML reads it as text.
_NUMBERISH = re.compile(r"[-+]?(?:0[xob][0-9a-f_]+|[0-9][0-9_:]*(?:\.[0-9_]*)?)", re.IGNORECASE)


def _message(err: dict[str, Any], field: str, value: Any, model: type[BaseModel]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "value_error":
        # The model's own checks already say what is wrong and how to fix it.
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return "必填字段，但没有写；请补上这一项（可参照 govcases new 生成的骨架）"
    if kind in ("int_type", "float_type", "int_parsing") and isinstance(value, str) and _NUMBERISH.fullmatch(value):
        return f"“{value}”不是普通的十进制数字；请直接写十进制数字，不要用 0x、0o、0b 前缀、下划线或冒号"
    if kind in ("int_type", "float_type") and field.endswith(("value", "value_to")):
        hint = f"“约”“余”等字写在 qualifier，或只写 written: {value}" if isinstance(value, str) else (
            "请只写阿拉伯数字，或只写 written（照原文，如 1万余户）")
        return f"应为数字，现为{describe(value)}；{hint}"
    if kind == "string_type" and isinstance(value, dict):
        return f"应为文字，现为{describe(value)}；{COLON_HINT}"
    if kind in ("string_pattern_mismatch", "string_type"):
        if field.endswith(("date", "as_of")):
            return (f"应为日期，现为{describe(value)}；请写成 YYYY-MM-DD，如 2022-10-08"
                    "（只知年月写 2022-10，只知年份写 2022）")
        if field.endswith(("url", "read_at")):
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                return (f"网址{describe(value)}里有空格、引号、尖括号等网址里不能有的字符；"
                        "请从浏览器地址栏重新复制完整网址")
            return f"应为以 http:// 或 https:// 开头的网址，现为{describe(value)}；请从浏览器地址栏复制完整网址"
        if kind == "string_pattern_mismatch":
            return f"格式不对，现为{describe(value)}；应符合 {ctx.get('pattern')}"
    if kind in _EXPECT:
        # A union of whole and decimal numbers reports `int_type` first; either kind of number will do.
        expect = "数字" if kind == "int_type" and str(err["loc"][-1]) in _NUMBER_TAGS else _EXPECT[kind]
        if kind == "int_from_float":
            return f"应为整数，现为 {value}；请去掉小数部分"
        expect = f" {expect}" if expect[0].isascii() else expect
        if value is None:
            return f"冒号后什么也没写，应为{expect}；请填写（不用的可选字段整行删掉）"
        return f"应为{expect}，现为{describe(value)}{_HOW[expect.strip()]}"
    if kind == "too_short":
        return "至少要写一项，现在一项也没有；请补写，每项一行，以“- ”开头"
    if kind == "string_too_short":
        return "不能为空；请填写内容，或删掉这一行"
    if kind == "literal_error":
        return f"现为{describe(value)}，不是可选的值；可选：{_choices(ctx.get('expected', ''))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        sign = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
        bound = next(ctx[k] for k in ("ge", "le", "gt", "lt") if k in ctx)
        return f"应为 {sign} {bound} 的数字，现为{describe(value)}；请核对来源"
    if kind in ("string_too_long", "too_long"):
        unit = "个字" if kind == "string_too_long" else "项"
        return f"太长，最多 {ctx.get('max_length')} {unit}；请删减"
    return (f"值不符合要求，现为{describe(value)}；请对照 docs/contributing.md 或 govcases schema 修改"
            f"（错误类型：{err['type']}）")


def _choices(expected: str) -> str:
    """pydantic's `'约', '近' or '余'` as a Chinese list: 约、近、余."""
    return "、".join(re.findall(r"'([^']*)'", expected)) or expected


def _known_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at the mapping `loc` (nested models are followed through their annotations)."""
    cur: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(cur, "model_fields", {}).get(part)
        if field is None:
            return []
        ann = field.annotation
        for arg in (*getattr(ann, "__args__", ()), ann):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                cur = arg
                break
    return list(getattr(cur, "model_fields", {}))


def problems_from_pydantic(doc: YamlDoc, exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into located, human-readable problems (one per field)."""
    out: dict[tuple[Loc, str], Problem] = {}
    errors = exc.errors(include_url=False)
    # pydantic also calls a tuple "too short" when one of its items failed; the item's error is the real one.
    inner = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"]))}
    for err in errors:
        if err["type"] == "too_short" and tuple(err["loc"]) in inner:
            continue
        loc, value, found = _value_at(doc.data, tuple(err["loc"]))
        field = field_path(loc)
        if err["type"] == "extra_forbidden":
            name = str(loc[-1])
            near = difflib.get_close_matches(name, _known_fields(model, loc[:-1]), n=1, cutoff=0.6)
            known = "、".join(_known_fields(model, loc[:-1]))
            hint = f"是不是“{near[0]}”？" if near else f"这里可写的字段：{known}；请改正拼写或删掉这一行"
            line, col = doc.where(loc, key=True)
            out[(loc, "extra")] = Problem(doc.path, line, col, field, f"未知字段“{name}”；{hint}")
            continue
        message = _message(err, field, value if found else None, model)
        line, col = doc.where(loc) if found else doc.where(loc[:-1])
        # Unions report once per member ('int', 'float'); one message per field is enough.
        out.setdefault((loc, "value"), Problem(doc.path, line, col, field, message))
    return list(out.values())


def parse_model(doc: YamlDoc, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate a parsed document against `model`; a non-mapping top level is one clear problem."""
    if not isinstance(doc.data, dict):
        line, col = doc.where(())
        return None, [Problem(doc.path, line, col, "", (
            f"整个文件应为一组“字段: 值”，现为{describe(doc.data)}；请参照 govcases new 生成的骨架，每行一个字段"))]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, problems_from_pydantic(doc, exc, model)


def load_taxonomy(cases_dir: Path) -> tuple[Taxonomy | None, list[Problem]]:
    """Read the vocabulary that every record is checked against."""
    path = cases_dir / TAXONOMY_FILE
    doc, problem = load_yaml(path, display_path(path))
    if doc is None:
        return None, [problem] if problem else []
    taxonomy, problems = parse_model(doc, Taxonomy)
    problems = doc.problems + problems
    if taxonomy is not None:
        for group in ("practice_types", "dimensions"):
            for i, term in enumerate(getattr(taxonomy, group)):
                if message := reserved_id_message(term.id):
                    line, col = doc.where((group, i, "id"))
                    problems.append(Problem(doc.path, line, col, f"{group}[{i}].id", message))
    return (None if problems else taxonomy), problems


def check_terms(doc: YamlDoc, loc: Loc, lookup: Callable[[str], Any], terms: Any, what: str) -> list[Problem]:
    """Unknown vocabulary values in the list at `loc` (e.g. ('practice_types',)), each with the allowed ones."""
    found, values = True, doc.data
    for part in loc:
        found = (isinstance(values, dict) and part in values) or (isinstance(values, list) and isinstance(part, int))
        values = values[part] if found else None
    if not isinstance(values, list):
        return []
    problems = []
    for i, value in enumerate(values):
        if isinstance(value, str) and lookup(value.strip()) is None:
            line, col = doc.where((*loc, i))
            near = [t for t in terms if value.strip() in t.synonyms or value.strip() in t.name]
            hint = f"是不是“{near[0].name}”？" if near else f"请改用词表里的{what}（写中文名或 id）；"
            message = f"没有“{value.strip()}”这个{what}；{hint}可选：{allowed(terms)}"
            problems.append(Problem(doc.path, line, col, field_path((*loc, i)), message))
    return problems


MAX_ID = 80  # a page URL and a file name on every system; longer names fail to save on some


def reserved_id_message(name: str) -> str | None:
    """Why `name` cannot be an id although it is a valid slug: a page the site generates has that name
    (a case called `index` would replace the list of cases), or Windows cannot have such a file."""
    if name in reserved_names():
        return f"'{name}' 是网站自动生成的页面所用的名字，不能作为 id；请换一个名字（如加上地名）"
    if name in _WINDOWS_DEVICES:
        return f"'{name}' 是 Windows 的设备名，这样的文件在 Windows 上无法打开；请换一个名字"
    return None


_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin", "conout", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))])


def check_file_id(path: Path, shown: str, kind: str, example: str) -> list[Problem]:
    """A file whose name is not a valid id (lowercase ASCII slug) cannot become a page URL."""
    name = path.stem
    if not ID_RE.fullmatch(name):  # `match` with `$` would also accept a name ending in a newline
        return [Problem(shown, 0, 0, "", (
            f"文件名“{path.name}”不能作为{kind} id（它也是网页地址）；请改名，只用小写英文字母、数字和连字符，"
            f"如 {example}"))]
    if len(name) > MAX_ID:
        return [Problem(shown, 0, 0, "", f"文件名太长（{len(name)} 个字符，最多 {MAX_ID} 个）；请改用较短的 id")]
    message = reserved_id_message(name)
    return [Problem(shown, 0, 0, "", f"文件名 {message}")] if message else []


def check_vocabulary(doc: YamlDoc, taxonomy: Taxonomy) -> list[Problem]:
    """Problems with practice types, dimensions, level and province (checked on raw data, so always reported)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems = check_terms(doc, ("practice_types",), taxonomy.type, taxonomy.practice_types, "实践类型")
    problems += check_terms(doc, ("dimensions",), taxonomy.dimension, taxonomy.dimensions, "治理维度")
    level = data.get("level")
    if isinstance(level, str) and level.strip() not in taxonomy.levels:
        line, col = doc.where(("level",))
        message = f"没有“{level.strip()}”这个层级；请改用其中之一：{'、'.join(taxonomy.levels)}"
        problems.append(Problem(doc.path, line, col, "level", message))
    place = data.get("place")
    province = place.get("province") if isinstance(place, dict) else None
    if isinstance(province, str) and province.strip() not in taxonomy.provinces:
        line, col = doc.where(("place", "province"))
        near = [p for p in taxonomy.provinces if p.startswith(province.strip()[:2])]
        choices = "、".join(taxonomy.provinces)
        hint = f"是不是“{near[0]}”？可选：{choices}" if near else (
            f"请写省级行政区全称，可选：{choices}；新的省份请先加进 cases/_taxonomy.yaml 的 provinces")
        message = f"没有“{province.strip()}”这个省份；{hint}"
        problems.append(Problem(doc.path, line, col, "place.province", message))
    return problems


def placeholder(text: str) -> str | None:
    """The first 【…】 in `text`, found in linear time (a regular expression retries from every 【)."""
    start = text.find("【")
    end = text.find("】", start) if start >= 0 else -1
    return text[start : end + 1] if end >= 0 else None


def check_placeholders(doc: YamlDoc) -> list[Problem]:
    """Skeleton text such as 【案例标题】 left in a record (`govcases new` writes these to be replaced)."""
    return [doc.problem(loc, f"{found} 还没有填写；请换成来源里的真实内容，不适用的可选字段整行删掉")
            for loc, text in strings(doc.data) if (found := placeholder(text))]


def load_record(path: Path, model: type[M], kind: str, example: str,
                checks: Callable[[Any], list[Problem]]) -> tuple[M | None, str, list[Problem]]:
    """The first steps of every loader (cases, templates, policies): the file name as id, safe YAML, the
    model, then `checks(doc)`. Returns the record (None on any problem), the path as shown, the problems."""
    shown = display_path(path)
    problems = check_file_id(path, shown, kind, example)
    doc, problem = load_yaml(path, shown)
    if doc is None:
        return None, shown, [*problems, problem] if problem else problems
    record, found = parse_model(doc, model)
    problems += doc.problems + found + checks(doc)
    if record is None or problems:
        return None, shown, problems
    return record, shown, []


def load_case(path: Path, taxonomy: Taxonomy) -> tuple[Case | None, list[Problem]]:
    """Load, validate and normalise one case file (vocabulary names become ids)."""
    record, shown, problems = load_record(path, CaseRecord, "案例", "sichuan-luojiang-anjia-points.yaml",
                                          lambda doc: check_vocabulary(doc, taxonomy) + check_placeholders(doc)
                                          + case_checks(doc, taxonomy))
    if record is None:
        return None, problems
    record = record.model_copy(update={
        "practice_types": tuple(taxonomy.type(t).id for t in record.practice_types),  # type: ignore[union-attr]
        "dimensions": tuple(taxonomy.dimension(d).id for d in record.dimensions),  # type: ignore[union-attr]
    })
    return Case(id=path.stem, path=shown, record=record), []


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their case files; a named file is taken as it is."""
    return find_case_files(paths)[0]


def find_case_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to their case files, with a problem for each entry that cannot be one (see
    files.record_files); a named file is taken as it is."""
    out: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files, found = record_files(path)
            out += files
            problems += found
        else:
            out.append(path)
    return out, problems


def load_cases(
    paths: Iterable[Path], taxonomy: Taxonomy, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Case], list[Problem]]:
    """Load every file, collecting every problem; ids must be unique. `progress(done, total)` is optional."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    files, problems = find_case_files(paths)
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done, len(files))
        case, found = load_case(path, taxonomy)
        problems += found
        if case is None:
            continue
        if case.id in seen:
            problems.append(Problem(case.path, 0, 0, "", (
                f"案例 id “{case.id}”重复（{seen[case.id]} 也用了它）；请给其中一个文件改名")))
            continue
        seen[case.id] = case.path
        cases.append(case)
    return sorted(cases, key=lambda c: c.id), problems
