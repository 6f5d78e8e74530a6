"""The 报送 page and its download: the blank submission workbook, cached by what it is made from."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from govcases.cache import cached, digest
from govcases.pages.render import render
from govcases.records.library import Library

WORKBOOK_PATH = "downloads/case-submission.xlsx"
_EXCHANGE = Path(__file__).resolve().parent.parent / "exchange"


def submit_outputs(lib: Library) -> tuple[dict[str, str], dict[str, bytes]]:
    """The page submit.md and the workbook it offers for download."""
    from govcases.exchange.export import EXAMPLE_ID  # the example case is part of the workbook's key

    example = lib.by_id.get(EXAMPLE_ID)
    code = [p.read_bytes() for p in sorted(_EXCHANGE.glob("*.py"))]
    key = digest([lib.taxonomy.model_dump_json(), example.record.model_dump_json() if example else "",
                  *code, version("openpyxl")])

    def make() -> bytes:
        from govcases.exchange.export import blank_workbook  # openpyxl loads only when the workbook must be made

        return blank_workbook(lib)

    page = render("submit.md.j2", lib=lib, workbook=WORKBOOK_PATH)
    return {"submit.md": page}, {WORKBOOK_PATH: cached("workbook", key, make)}
