"""Short labels of record values shared by the pages and the 汇编 data (dates, sources, notes of figures)."""

from __future__ import annotations

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
