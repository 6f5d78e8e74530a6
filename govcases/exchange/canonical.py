"""The canonical YAML form of a case record: the schema's field order, one style, the same bytes for the same record."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from govcases.records.model import Case, CaseRecord, join_cjk_lines
from govcases.records.taxonomy import Taxonomy

WIDTH = 60  # prose longer than this is folded over several lines, as records are written by hand
FLOW_ITEM = 16  # lists of names no longer than this are written on one line; sentences one per line
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#&*!|>'\"%@`]")
# A folded line may break only between two Chinese characters: the loader joins exactly those breaks again.
_BREAK_AFTER = "。；，、：！？）"


def record_data(case: Case, taxonomy: Taxonomy) -> dict[str, Any]:
    """The record as plain data in its file's form: vocabulary by Chinese name, no empty or default fields."""
    data = case.record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["practice_types"] = [taxonomy.type_by_id(t).name for t in case.record.practice_types]
    data["dimensions"] = [taxonomy.dimension_by_id(d).name for d in case.record.dimensions]
    # Evidence follows the order of the types and dimensions it supports.
    evidence = data.get("evidence") or {}
    order = [*data["practice_types"], *data["dimensions"]]
    rank = {name: i for i, name in reversed(list(enumerate(order)))}
    data["evidence"] = {k: evidence[k] for k in sorted(evidence, key=lambda k: rank.get(k, len(order)))}
    # A figure is kept as the source writes it; its number, unit and qualifier are read back from that text.
    for figure, out in zip(case.record.figures, data.get("figures", []), strict=True):
        for key in ("value", "value_to", "unit", "qualifier"):
            out.pop(key, None)
        out["written"] = figure.display()
    return data


def dump_record(data: dict[str, Any]) -> str:
    """Canonical YAML for one case record; prose is folded only where loading gives back the same text."""
    ordered = _ordered(data, CaseRecord)
    text = "".join(_block(ordered, 0, fold=True))
    if _loads_same(text, ordered):
        return text
    return "".join(_block(ordered, 0, fold=False))


def _loads_same(text: str, data: dict[str, Any]) -> bool:
    try:
        return CaseRecord.model_validate(yaml.safe_load(text)) == CaseRecord.model_validate(data)
    except (ValidationError, yaml.YAMLError):
        return False


class _Prose(str):
    """Text of a prose field, which the loader joins across folded lines (names and titles are not joined)."""


def _ordered(value: Any, model: Any, prose: bool = False) -> Any:
    """Mappings in the order the model declares its fields (unknown keys last, as given); prose marked."""
    if isinstance(value, dict) and isinstance(model, type) and issubclass(model, BaseModel):
        fields = model.model_fields
        keys = [k for k in fields if k in value] + [k for k in value if k not in fields]
        return {k: _ordered(value[k], _inner(fields[k].annotation), _is_prose(fields[k])) if k in fields
                else value[k] for k in keys}
    if isinstance(value, list):
        return [_ordered(v, model, prose) for v in value]
    return _Prose(value) if prose and isinstance(value, str) else value


def _is_prose(field: Any) -> bool:
    """Whether a field holds prose: its type (or its items' type) joins folded Chinese lines."""
    found = [*field.metadata]
    stack = [field.annotation]
    while stack:
        ann = stack.pop()
        found += getattr(ann, "__metadata__", ())
        stack += getattr(ann, "__args__", ())
    return any(getattr(m, "func", None) is join_cjk_lines for m in found)


def _inner(annotation: Any) -> Any:
    """The model class inside an annotation such as tuple[Measure, ...] or Analysis | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner(arg)
        if found is not None:
            return found
    return None


def _block(value: dict[str, Any], indent: int, *, fold: bool) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict):
            out.append(f"{pad}{key}:\n")
            out += _block(item, indent + 2, fold=fold)
        elif isinstance(item, list):
            flow = _flow(item)
            if flow is not None:
                out.append(f"{pad}{key}: {flow}\n")
                continue
            out.append(f"{pad}{key}:\n")
            for element in item:
                if isinstance(element, dict):
                    lines = _block(element, indent + 4, fold=fold)
                    out.append(f"{pad}  - {lines[0].lstrip()}")
                    out += lines[1:]
                else:
                    out.append(f"{pad}  - {_scalar(element, indent + 4, fold=fold)}\n")
        else:
            out.append(f"{pad}{key}: {_scalar(item, indent + 2, fold=fold)}\n")
    return out


def _flow(items: list[Any]) -> str | None:
    """Short lists of short names stay on one line: practice_types: [积分制, 村规民约]."""
    if not all(isinstance(i, str) and len(i) <= FLOW_ITEM and _plain(i) and not _FLOW_UNSAFE.search(i) for i in items):
        return None
    text = "[" + ", ".join(items) + "]"
    return text if len(text) <= 80 else None


def _plain(text: str) -> bool:
    """Whether YAML reads the text back unchanged when it is written without quotes."""
    if not text or "\n" in text or text != text.strip() or ": " in text or " #" in text:
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def _scalar(value: Any, indent: int, *, fold: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if fold and isinstance(value, _Prose) and len(text) > WIDTH and "\n" not in text:
        lines = _fold(text)
        if len(lines) > 1:
            pad = " " * indent
            return ">-\n" + "".join(f"{pad}{line}\n" for line in lines).rstrip("\n")
    return text if _plain(text) else json.dumps(text, ensure_ascii=False)


def _fold(text: str) -> list[str]:
    """Break after Chinese punctuation once a line is WIDTH characters long, where the loader joins the break."""
    lines, start = [], 0
    for i, ch in enumerate(text[:-1]):
        nxt = text[i + 1]
        if (ch in _BREAK_AFTER and nxt not in _BREAK_AFTER and i + 1 - start >= WIDTH
                and join_cjk_lines(f"{ch} {nxt}") == ch + nxt):
            lines.append(text[start:i + 1])
            start = i + 1
    lines.append(text[start:])
    return lines
