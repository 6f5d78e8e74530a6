"""The library (or a filtered part of it) as the submission workbook, or as JSON Lines for bulk loading elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterable

from govcases.exchange.canonical import record_data
from govcases.exchange.rows import Row, record_rows
from govcases.exchange.write import workbook_bytes
from govcases.records.library import Library
from govcases.records.model import Case

EXAMPLE_ID = "sichuan-luojiang-anjia-points"  # a real, complete case shown as the example rows of a blank workbook


def select(lib: Library, type_ids: Iterable[str] = (), provinces: Iterable[str] = ()) -> list[Case]:
    """The cases of any of `type_ids` in any of `provinces` (full names); no filter keeps every case. The
    command line reads what a user typed (四川, 积分) into these as the search does."""
    types, wanted = set(type_ids), set(provinces)
    return [c for c in lib.cases
            if (not types or types & set(c.record.practice_types))
            and (not wanted or c.record.place.province in wanted)]


def export_workbook(lib: Library, cases: list[Case]) -> bytes:
    """The cases as a filled workbook (案例序号 1…n, 编号 = id), so export → import gives the same records."""
    rows = [record_rows(i, c.id, record_data(c, lib.taxonomy)) for i, c in enumerate(cases, 1)]
    return workbook_bytes(lib.taxonomy, rows, None)


def blank_workbook(lib: Library) -> bytes:
    """The empty submission workbook, with one real case as example rows when the library has it."""
    example: dict[str, list[Row]] | None = None
    case = lib.by_id.get(EXAMPLE_ID) or (lib.cases[0] if lib.cases else None)
    if case is not None:
        example = record_rows("示例", "", record_data(case, lib.taxonomy))
    return workbook_bytes(lib.taxonomy, [], example)


def export_jsonl(lib: Library, cases: list[Case]) -> bytes:
    """One JSON object per line: the record with its id and vocabulary ids, ready for a bulk loader."""
    lines = []
    for c in cases:
        doc = {"id": c.id, **record_data(c, lib.taxonomy),
               "practice_type_ids": list(c.record.practice_types), "dimension_ids": list(c.record.dimensions)}
        lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=False))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
