"""Template pages (模板下载) and their downloads: the .docx, and the .xlsx points ledger where there is one."""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from pathlib import Path

from govcases.cache import cached, digest
from govcases.pages.render import file_name, render
from govcases.records.library import Library
from govcases.records.model import Case
from govcases.records.templates import PracticeTemplate, blocks

_PACKAGE = Path(__file__).parent.parent


def template_cases(lib: Library, t: PracticeTemplate) -> list[Case]:
    """The cases a template draws on, in the order the record lists them (ids of invalid cases are skipped)."""
    return [lib.by_id[c] for c in t.record.cases if c in lib.by_id]


def templates_for_case(lib: Library, case_id: str) -> list[PracticeTemplate]:
    """Templates that cite the case `case_id`, for the 相关模板 list on its page."""
    return [t for t in lib.templates if case_id in t.record.cases]


def file_names(t: PracticeTemplate) -> dict[str, str]:
    """The Chinese names the template's downloads are saved under (the page title), by file extension."""
    names = {".docx": file_name(t.record.title, ".docx")}
    if t.record.ledger is not None:
        names[".xlsx"] = file_name(f"{t.record.title}积分台账", ".xlsx")
    return names


def _context(lib: Library, t: PracticeTemplate) -> dict[str, object]:
    rec = t.record
    return {
        "t": t,
        "rec": rec,
        "body": blocks(rec),
        "cases": template_cases(lib, t),
        "departures": [(lib.by_id.get(d.case), d) for d in rec.departures],
        "types": [term for term in (lib.taxonomy.type(x) for x in rec.practice_types) if term is not None],
        "ledger_rows": rec.ledger.rows() if rec.ledger else [],
        "names": file_names(t),
    }


def template_page(lib: Library, t: PracticeTemplate) -> str:
    """The page `templates/<id>.md`: purpose, checklist, full text, fill-in fields, cases, download buttons."""
    return render("template_page.md.j2", **_context(lib, t))


def template_outputs(lib: Library) -> tuple[dict[str, str], dict[str, bytes]]:
    """Pages and download files for every practice template: (pages by path, files by path)."""
    templates = sorted(lib.templates, key=lambda t: t.id)
    names = {t.id: file_names(t) for t in templates}
    pages = {"templates/index.md": render("templates_index.md.j2", templates=templates, names=names)}
    files: dict[str, bytes] = {}
    for t in templates:
        pages[f"templates/{t.id}.md"] = template_page(lib, t)
        titles = [c.record.title for c in template_cases(lib, t)]
        files[f"downloads/{t.id}.docx"] = _docx(t, titles)
        if t.record.ledger is not None:
            files[f"downloads/{t.id}-ledger.xlsx"] = _xlsx(t)
    return pages, files


# Office files take most of a template's build time and change only with the template record, the cited
# case titles, the code that writes them or its library: they are cached under a hash of exactly those.


@cache
def _code(*names: str) -> tuple[bytes, ...]:
    return tuple((_PACKAGE / name).read_bytes() for name in names)


def _docx(t: PracticeTemplate, titles: list[str]) -> bytes:
    key = digest([t.id, t.record.model_dump_json(), *titles, *_code("downloads/docx.py", "records/templates.py"),
                  version("python-docx")])

    def make() -> bytes:
        from govcases.downloads.docx import template_docx  # python-docx loads only when a document must be written

        return template_docx(t, titles)

    return cached("docx", key, make)


def _xlsx(t: PracticeTemplate) -> bytes:
    key = digest([t.id, t.record.model_dump_json(), *_code("downloads/xlsx.py", "records/templates.py"),
                  version("openpyxl")])

    def make() -> bytes:
        from govcases.downloads.xlsx import ledger_xlsx  # openpyxl loads only when a ledger must be written

        return ledger_xlsx(t)

    return cached("xlsx", key, make)
