"""Short labels of record values shared by the pages and the 汇编 data (notes of figures, grounds of classification)."""

from __future__ import annotations

from govcases.records.library import Library
from govcases.records.model import CaseRecord, Figure, date_label


def figure_note(figure: Figure, rec: CaseRecord) -> str:
    """The 说明 cell of a figure: its date, which source it comes from (when there are several), its note."""
    parts = []
    if figure.as_of:
        parts.append(f"时间：{date_label(figure.as_of)}")
    if figure.source and len(rec.sources) > 1:
        parts.append(f"出自来源{figure.source}")
    if figure.note:
        parts.append(figure.note)
    return "；".join(parts)


def evidence_rows(lib: Library, rec: CaseRecord) -> list[tuple[str, str]]:
    """(term name, why it applies) for every practice type, then every dimension; a shared name once."""
    terms = [lib.taxonomy.type_by_id(t) for t in rec.practice_types]
    terms += [lib.taxonomy.dimension_by_id(d) for d in rec.dimensions]
    rows: dict[str, str] = {}
    for term in terms:
        why = next((v for k, v in rec.evidence.items() if k in (term.id, term.name)), None)
        if why is not None:
            rows.setdefault(term.name, why)
    return list(rows.items())
