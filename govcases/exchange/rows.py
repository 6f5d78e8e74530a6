"""A record's data laid out as workbook rows, and rows gathered back into a record: the two directions of one map."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govcases.exchange.layout import (
    CASES,
    CLASSES,
    FIGURES,
    KINDS,
    LIST_SEP,
    MEASURES,
    NO,
    NUMBER_FIELDS,
    PROCEDURES,
    SOURCES,
    YES,
    Sheet,
)

Row = dict[str, Any]  # field → value of one row
Where = tuple[str, int, str]  # sheet name, row number, field: where a value of a record came from


def _get(data: dict[str, Any], dotted: str) -> Any:
    cur: Any = data
    for part in dotted.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    return cur


def _cell(value: Any, lines: bool) -> Any:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) if lines else LIST_SEP.join(str(v) for v in value)
    if isinstance(value, bool):
        return YES if value else NO
    return value


def record_rows(no: int | str, rid: str, data: dict[str, Any]) -> dict[str, list[Row]]:
    """One record (in its file's form) as rows of every sheet; `no` is its 案例序号."""
    out: dict[str, list[Row]] = {s.name: [] for s in (CASES, CLASSES, MEASURES, PROCEDURES, FIGURES, SOURCES)}
    row: Row = {"case": no, "id": rid}
    for col in CASES.columns[2:]:
        row[col.field] = _cell(_get(data, col.field), col.lines)
    out[CASES.name].append(row)
    evidence = data.get("evidence") or {}
    for kind, key in zip(KINDS, ("practice_types", "dimensions"), strict=True):
        for name in data.get(key) or []:
            out[CLASSES.name].append({"case": no, "kind": kind, "name": name, "evidence": evidence.get(name)})
    for i, m in enumerate(data.get("measures") or [], 1):
        out[MEASURES.name].append({"case": no, "step": i, "heading": m.get("heading"),
                                   "responsible": m.get("responsible"), "actions": "\n".join(m.get("actions", []))})
    for p in data.get("procedures") or []:
        for i, step in enumerate(p.get("steps") or [], 1):
            first = i == 1
            out[PROCEDURES.name].append({"case": no, "name": p.get("name"), "item": i, "text": step.get("text"),
                                         "actor": step.get("actor"),
                                         "source_lists": p.get("source_lists") if first else None,
                                         "note": p.get("note") if first else None})
    for f in data.get("figures") or []:
        out[FIGURES.name].append({"case": no, **{c.field: _cell(f.get(c.field), c.lines) for c in FIGURES.columns[1:]}})
    for i, s in enumerate(data.get("sources") or [], 1):
        out[SOURCES.name].append({"case": no, "source": i,
                                  **{c.field: _cell(s.get(c.field), c.lines) for c in SOURCES.columns[2:]}})
    return out


def gather(no: int, rows: dict[str, list[tuple[int, Row]]]) -> tuple[dict[str, Any], dict[str, Where]]:
    """The record data of case `no` from its rows (each with its row number), and where each field came from."""
    where: dict[str, Where] = {}
    data: dict[str, Any] = {}
    (rownum, case), = rows[CASES.name]
    if case.get("id") not in (None, ""):
        data["id"] = str(case["id"]).strip()
    for col in CASES.columns[2:]:
        value = case.get(col.field)
        where[col.field] = (CASES.name, rownum, col.field)
        if value in (None, ""):
            continue
        value = _typed(col.field, value)
        if col.lines or col.field in ("keywords",):
            value = _split(value, col.lines)
        target = data
        parts = col.field.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    _classes(rows[CLASSES.name], data, where)
    _listed(MEASURES, rows[MEASURES.name], "step", data, where, "measures", _measure)
    _procedures(rows[PROCEDURES.name], data, where)
    for i, (rownum, f) in enumerate(rows[FIGURES.name]):
        data.setdefault("figures", []).append(
            {c.field: _typed(c.field, f[c.field]) for c in FIGURES.columns[1:] if f.get(c.field) not in (None, "")})
        _locate(where, f"figures[{i}]", FIGURES, rownum, f)
    _listed(SOURCES, rows[SOURCES.name], "source", data, where, "sources", _source)
    return data, where


def _split(value: Any, lines: bool) -> list[str]:
    text = str(value)
    parts = text.splitlines() if lines else text.replace("，", LIST_SEP).replace(",", LIST_SEP).split(LIST_SEP)
    return [p.strip() for p in parts if p.strip()]


def _typed(field: str, value: Any) -> Any:
    """Yes/no columns as booleans; a number typed into a text column (978 in 原文写法) as the text it shows."""
    if field in ("compare", "date_inferred"):
        return value == YES
    if field not in NUMBER_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else repr(value)
    return value


def _locate(where: dict[str, Where], prefix: str, sheet: Sheet, rownum: int, row: Row) -> None:
    where[prefix] = (sheet.name, rownum, sheet.columns[1].field)
    for col in sheet.columns[1:]:
        where[f"{prefix}.{col.field}"] = (sheet.name, rownum, col.field)


def _classes(rows: list[tuple[int, Row]], data: dict[str, Any], where: dict[str, Where]) -> None:
    evidence: dict[str, Any] = {}
    for rownum, row in rows:
        key = "practice_types" if row.get("kind") == KINDS[0] else "dimensions"
        items = data.setdefault(key, [])
        where[f"{key}[{len(items)}]"] = (CLASSES.name, rownum, "name")
        items.append(_typed("name", row.get("name")))
        name = row.get("name")
        text = row.get("evidence")
        # Evidence is keyed by name: 党建引领, both a type and a dimension, has one entry for both.
        if name and name not in evidence:
            where[f"evidence.{name}"] = (CLASSES.name, rownum, "evidence")
            if text not in (None, ""):
                evidence[name] = text
            else:  # “依据 missing” is said at the first empty 依据 cell
                where.setdefault("evidence", (CLASSES.name, rownum, "evidence"))
    if evidence:
        data["evidence"] = evidence


def _measure(row: Row) -> dict[str, Any]:
    out = {"heading": _typed("heading", row.get("heading")),
           "responsible": _typed("responsible", row.get("responsible")),
           "actions": _split(row.get("actions") or "", True)}
    return {k: v for k, v in out.items() if v not in (None, "")}


def _source(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in SOURCES.columns[2:]:
        value = row.get(col.field)
        if value in (None, ""):
            continue
        out[col.field] = _split(value, True) if col.lines else _typed(col.field, value)
    return out


def _listed(sheet: Sheet, rows: list[tuple[int, Row]], order: str, data: dict[str, Any],
            where: dict[str, Where], key: str, make: Any) -> None:
    ordered = sorted(rows, key=lambda r: (_order(r[1].get(order)), r[0]))
    for i, (rownum, row) in enumerate(ordered):
        data.setdefault(key, []).append(make(row))
        _locate(where, f"{key}[{i}]", sheet, rownum, row)


def _order(value: Any) -> float:
    return value if isinstance(value, (int, float)) else float("inf")


def _procedures(rows: list[tuple[int, Row]], data: dict[str, Any], where: dict[str, Where]) -> None:
    groups: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for rownum, row in rows:
        groups[str(row.get("name") or "")].append((rownum, row))
    for p, (name, items) in enumerate(groups.items()):
        items.sort(key=lambda r: (_order(r[1].get("item")), r[0]))
        proc: dict[str, Any] = {"name": _typed("name", name), "steps": []}
        where[f"procedures[{p}]"] = where[f"procedures[{p}].name"] = (PROCEDURES.name, items[0][0], "name")
        for s, (rownum, row) in enumerate(items):
            step = {k: _typed(k, row.get(k)) for k in ("text", "actor") if row.get(k) not in (None, "")}
            proc["steps"].append(step)
            where[f"procedures[{p}].steps[{s}]"] = (PROCEDURES.name, rownum, "text")
            where[f"procedures[{p}].steps[{s}].actor"] = (PROCEDURES.name, rownum, "actor")
            for key in ("source_lists", "note"):
                if row.get(key) not in (None, "") and key not in proc:
                    proc[key] = _typed(key, row.get(key))
                    where[f"procedures[{p}].{key}"] = (PROCEDURES.name, rownum, key)
        data.setdefault("procedures", []).append(proc)
