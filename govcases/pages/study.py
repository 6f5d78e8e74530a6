"""Data files for the browser's Word compilations (案例汇编) and for the finder in the copy opened from disk."""

from __future__ import annotations

import json
import math
from typing import Any

from govcases.pages.labels import evidence_rows, figure_note
from govcases.records.library import Library
from govcases.records.model import Case, CaseRecord, Source, date_label

# Cases per compilation data file: a 汇编 of a few cases loads a few small files, never the whole library.
SHARD_SIZE = 50
COMPILE_DIR = "data/compile"


def shard_count(n_cases: int) -> int:
    """How many data files the compilation data of `n_cases` cases is cut into."""
    return max(1, math.ceil(n_cases / SHARD_SIZE))


def shard_of(case_id: str, shards: int) -> int:
    """The data file holding a case: FNV-1a of its (ASCII) id, as govcases-study.js computes it."""
    h = 0x811C9DC5
    for ch in case_id.encode("ascii"):
        h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def citation(s: Source) -> str:
    """A source as one line of plain text, the same parts the case page shows."""
    text = f"《{s.title}》。{s.publisher}，{s.date_label()}" + ("（推定）" if s.date_inferred else "")
    if s.doc_number:
        text += f"，{s.doc_number}"
    if s.collection:
        text += f"。收录于《{s.collection}》" + (f"第 {s.item} 项" if s.item else "")
    if s.author:
        text += f"。供稿：{s.author}"
    text += "。"
    if s.url:
        text += f"原文地址：{s.url}"
    if s.read_at:
        text += ("；" if s.url else "") + f"实际阅读的转载地址：{s.read_at}"
    return text


def _procedures(rec: CaseRecord) -> list[dict[str, Any]]:
    """Named, counted practices whole, each step with its actor when the source names one."""
    return [{
        "name": p.name,
        "steps": [[step.text, step.actor or ""] for step in p.steps],
        "partial": f"来源只列出{p.source_lists}项。" if p.source_lists else "",
        "note": p.note or "",
    } for p in rec.procedures]


def compile_view(lib: Library, case: Case) -> dict[str, Any]:
    """Everything a compilation shows of one case, already worded, so the browser only lays it out."""
    rec = case.record
    return {
        "id": case.id,
        "title": rec.title,
        "model": rec.model or "",
        "place": rec.place.label(),
        "level": f"{rec.level}级",
        "year": rec.year,
        "types": [lib.taxonomy.type_by_id(t).name for t in rec.practice_types],
        "dims": [lib.taxonomy.dimension_by_id(d).name for d in rec.dimensions],
        # why the case is filed under each type and dimension: the editors' judgement, as on the page
        "evidence": [list(pair) for pair in evidence_rows(lib, rec)],
        "as_of": f"文中“去年”“目前”等时间以{date_label(rec.as_of)}为准" if rec.as_of else "",
        "recognition": list(rec.recognition),
        "summary": rec.summary,
        "background": rec.background or "",
        "measures": [[m.heading, m.responsible or "", list(m.actions)] for m in rec.measures],
        "procedures": _procedures(rec),
        "results": list(rec.results),
        "figures": [[f.label, f.display(), figure_note(f, rec)] for f in rec.figures],
        "analysis": [list(pair) for pair in rec.analysis.parts()] if rec.analysis else [],
        "sources": [citation(s) for s in rec.sources],
        "url": f"cases/{case.id}/",
    }


def compile_files(lib: Library) -> dict[str, bytes]:
    """data/compile/<k>.js: each calls govcasesCompileData(k, {id: view}); a <script> loads from file:// too."""
    shards = shard_count(len(lib.cases))
    parts: list[dict[str, Any]] = [{} for _ in range(shards)]
    for case in lib.cases:
        parts[shard_of(case.id, shards)][case.id] = compile_view(lib, case)
    return {f"{COMPILE_DIR}/{k}.js": _script("govcasesCompileData", k, part) for k, part in enumerate(parts)}


def finder_script(cases_json: bytes) -> bytes:
    """data/cases.js: data/cases.json as a script, for the finder opened from disk (no fetch from file://)."""
    return b"govcasesFinderData(" + _js_safe(cases_json.decode("utf-8")).encode() + b");\n"


def _script(callback: str, key: int, data: dict[str, Any]) -> bytes:
    body = _js_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return f"{callback}({key},{body});\n".encode()


def _js_safe(json_text: str) -> str:
    # JSON allows these two line separators inside strings; scripts older than ES2019 do not.
    return json_text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
