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
from govcases.records.yamlsource import Loc, YamlDoc, load_yaml

M = TypeVar("M", bound=BaseModel)

display_path = shown_path  # a link is shown by its own name, not by what it points at


def describe(value: Any) -> str:
    """A short rendering of a bad value for `got …` in a message."""
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return f"'{short}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
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
    "int_type": "a whole number", "int_parsing": "a whole number", "float_type": "a number",
    "string_type": "text", "tuple_type": "a list", "list_type": "a list",
    "model_type": "a mapping of fields", "dict_type": "a mapping of fields", "bool_type": "true or false",
}


# Text that a person meant as a number in another notation (0o17, 0b101, 0x1F, 1_000): YAML reads it as text.
_NUMBERISH = re.compile(r"[-+]?(?:0[xob][0-9a-f_]+|[0-9][0-9_:]*(?:\.[0-9_]*)?)", re.IGNORECASE)


def _message(err: dict[str, Any], field: str, value: Any, model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "value_error":
        # The model's own checks already say what is wrong and how to fix it.
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        return "missing required field"
    if kind in ("int_type", "float_type", "int_parsing") and isinstance(value, str) and _NUMBERISH.fullmatch(value):
        return f"'{value}' 不是普通的十进制数字；请直接写十进制数字，不要用 0x、0o、0b 前缀、下划线或冒号"
    if kind in ("int_type", "float_type") and field.endswith(("value", "value_to")):
        return f"expected a number, got {describe(value)}"
    if kind in _EXPECT:
        return f"expected {_EXPECT[kind]}, got {describe(value)}"
    if kind == "too_short":
        return "expected at least one item, got none"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        if field.endswith("date"):
            return f"expected a date written YYYY-MM-DD (or YYYY-MM), got {describe(value)}"
        if field.endswith("url"):
            return f"expected an http:// or https:// address, got {describe(value)}"
        return f"expected {err['ctx'].get('pattern')}, got {describe(value)}"
    if kind == "literal_error":
        return f"expected one of {err['ctx']['expected']}, got {describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        sign = "≥" if kind == "greater_than_equal" else "≤"
        bound = err["ctx"].get("ge", err["ctx"].get("le"))
        return f"expected a number {sign} {bound}, got {describe(value)}"
    return f"{err['msg']}, got {describe(value)}"


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
            hint = f"; did you mean '{near[0]}'?" if near else ""
            line, col = doc.where(loc, key=True)
            out[(loc, "extra")] = Problem(doc.path, line, col, field, f"unknown field '{name}'{hint}")
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
        return None, [Problem(doc.path, line, col, "", f"expected a mapping of fields, got {describe(doc.data)}")]
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
            hint = f"; did you mean '{near[0].name}'?" if near else ""
            message = f"unknown {what} {describe(value)}{hint}; allowed: {allowed(terms)}"
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
            f"file name '{path.name}' is not a valid {kind} id: use lowercase ASCII letters, digits and hyphens "
            f"(e.g. {example})"))]
    if len(name) > MAX_ID:
        return [Problem(shown, 0, 0, "", f"文件名太长（{len(name)} 个字符，最多 {MAX_ID} 个）；请改用较短的 id")]
    message = reserved_id_message(name)
    return [Problem(shown, 0, 0, "", f"文件名 {message}")] if message else []


def check_vocabulary(doc: YamlDoc, taxonomy: Taxonomy) -> list[Problem]:
    """Problems with practice types, dimensions, level and province (checked on raw data, so always reported)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems = check_terms(doc, ("practice_types",), taxonomy.type, taxonomy.practice_types, "practice type")
    problems += check_terms(doc, ("dimensions",), taxonomy.dimension, taxonomy.dimensions, "dimension")
    level = data.get("level")
    if isinstance(level, str) and level.strip() not in taxonomy.levels:
        line, col = doc.where(("level",))
        message = f"unknown level {describe(level)}; allowed: {', '.join(taxonomy.levels)}"
        problems.append(Problem(doc.path, line, col, "level", message))
    place = data.get("place")
    province = place.get("province") if isinstance(place, dict) else None
    if isinstance(province, str) and province.strip() not in taxonomy.provinces:
        line, col = doc.where(("place", "province"))
        near = [p for p in taxonomy.provinces if p.startswith(province.strip()[:2])]
        hint = f"; did you mean '{near[0]}'?" if near else ""
        message = f"unknown province {describe(province)}{hint}; allowed: {', '.join(taxonomy.provinces)}"
        problems.append(Problem(doc.path, line, col, "place.province", message))
    return problems


def placeholder(text: str) -> str | None:
    """The first 【…】 in `text`, found in linear time (a regular expression retries from every 【)."""
    start = text.find("【")
    end = text.find("】", start) if start >= 0 else -1
    return text[start : end + 1] if end >= 0 else None


def check_placeholders(doc: YamlDoc, data: Any = None, loc: Loc = ()) -> list[Problem]:
    """Skeleton text such as 【案例标题】 left in a record (`govcases new` writes these to be replaced)."""
    data = doc.data if not loc else data
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in check_placeholders(doc, v, (*loc, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in check_placeholders(doc, v, (*loc, i))]
    if isinstance(data, str) and (found := placeholder(data)):
        line, col = doc.where(loc)
        return [Problem(doc.path, line, col, field_path(loc), f"placeholder {found} is not filled in")]
    return []


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
    record, shown, problems = load_record(path, CaseRecord, "case", "sichuan-luojiang-anjia-points.yaml",
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
            problems.append(Problem(case.path, 0, 0, "", f"duplicate case id '{case.id}' (also {seen[case.id]})"))
            continue
        seen[case.id] = case.path
        cases.append(case)
    return sorted(cases, key=lambda c: c.id), problems
