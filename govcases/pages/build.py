"""The generator core: a validated library in, site pages (path → Markdown) and files (path → bytes) out."""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from govcases.pages.labels import evidence_rows
from govcases.pages.policies import policy_pages
from govcases.pages.regions import Region, regions
from govcases.pages.render import render
from govcases.pages.stats import stats_page
from govcases.pages.study import compile_files, finder_script
from govcases.pages.submit import submit_outputs
from govcases.pages.templates import template_outputs, templates_for_case
from govcases.paths import CASES_JSON, SCHEMA_JSON
from govcases.records.library import Library
from govcases.records.model import Case, CaseRecord
from govcases.records.schema import case_schema_json
from govcases.search.fields import WEIGHTS, finder_fields
from govcases.search.related import related


@dataclass
class SiteOutput:
    """What a build adds to the hand-written docs: Markdown pages and binary/data files, by site path."""

    pages: dict[str, str] = field(default_factory=dict)  # 'cases/sichuan-miyi-1357.md' -> Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # 'data/cases.json' -> bytes
    # Markup the build draws itself (the 统计 page's SVG charts), put into pages after sanitizing: slot → HTML
    fragments: dict[str, str] = field(default_factory=dict)


DOWNLOADS = "downloads/"  # the templates' Word and Excel files and the blank submission workbook


def download_scripts(files: dict[str, bytes]) -> dict[str, bytes]:
    """For the copy opened from disk, each download as a script `<file>.js` that hands its bytes (base64) to
    govcases-download.js: browsers ignore download="名称.docx" on file:// links, so that script saves the file
    under its Chinese name itself (a page cannot fetch a file:// address, but it can load a script)."""
    out = {}
    for path, data in files.items():
        if path.startswith(DOWNLOADS):
            name, data64 = json.dumps(path.rsplit("/", 1)[-1]), base64.b64encode(data).decode()
            out[f"{path}.js"] = f'(window.gcFiles = window.gcFiles || {{}})[{name}] = "{data64}";\n'.encode()
    return out


def newest_first(cases: tuple[Case, ...] | list[Case]) -> list[Case]:
    """Cases ordered by their source date, newest first, then by id."""
    return sorted(cases, key=lambda c: (max(s.date for s in c.record.sources), c.id), reverse=True)


def related_cases(lib: Library, case: Case, limit: int = 5) -> list[Case]:
    """3–5 cases most like `case`: shared practice types and text similarity."""
    return [lib.by_id[i] for i in related(lib, case.id, limit=limit)]


def case_context(lib: Library, case: Case) -> dict[str, Any]:
    """Everything the case page template needs, with vocabulary ids resolved to terms."""
    rec: CaseRecord = case.record
    return {
        "case": case,
        "rec": rec,
        "types": [lib.taxonomy.type_by_id(t) for t in rec.practice_types],
        "dims": [lib.taxonomy.dimension_by_id(d) for d in rec.dimensions],
        "regions": _case_regions(lib, case),
        "templates": templates_for_case(lib, case.id),
        "related": related_cases(lib, case),
        "tags": tags_for(lib, rec),
        "evidence": evidence_rows(lib, rec),
    }


def tags_for(lib: Library, rec: CaseRecord) -> list[str]:
    """Material tags of a case: its practice types and dimensions by Chinese name, then keywords."""
    names = [lib.taxonomy.type_by_id(t).name for t in rec.practice_types]
    names += [lib.taxonomy.dimension_by_id(d).name for d in rec.dimensions]
    names += [k for k in rec.keywords if k not in names]
    return list(dict.fromkeys(names))


def _case_regions(lib: Library, case: Case) -> list[Region]:
    """The province/city/county regions this case belongs to, largest first."""
    out: list[Region] = []
    level = regions(lib)
    for name in case.record.place.parts()[:3]:
        match = next((r for r in level if r.name == name), None)
        if match is None:
            break
        out.append(match)
        level = list(match.children.values())
    return out


def case_pages(lib: Library) -> dict[str, str]:
    """One page per case at cases/<id>.md, plus the list of all cases."""
    pages = {f"cases/{c.id}.md": render("case.md.j2", **case_context(lib, c)) for c in lib.cases}
    pages["cases/index.md"] = render("cases_index.md.j2", lib=lib, cases=newest_first(lib.cases))
    return pages


def type_pages(lib: Library) -> dict[str, str]:
    """One page per practice type comparing its cases side by side, plus an overview."""
    pages = {}
    counts: Counter[str] = Counter(t for c in lib.cases for t in c.record.practice_types)
    for term in lib.taxonomy.practice_types:
        cases = [c for c in lib.cases if term.id in c.record.practice_types]
        # Cases whose primary type this is come first: they are the fullest examples of the practice.
        cases.sort(key=lambda c: (c.record.practice_types.index(term.id) != 0, c.id))
        pages[f"types/{term.id}.md"] = render("type.md.j2", lib=lib, term=term, cases=cases)
    pages["types/index.md"] = render("types_index.md.j2", lib=lib, counts=counts)
    return pages


def dimension_pages(lib: Library) -> dict[str, str]:
    """One page per governance dimension (党建引领、自治、法治、德治、智治), plus an overview."""
    pages = {}
    counts: Counter[str] = Counter(d for c in lib.cases for d in c.record.dimensions)
    for term in lib.taxonomy.dimensions:
        cases = [c for c in lib.cases if term.id in c.record.dimensions]
        pages[f"dimensions/{term.id}.md"] = render("dimension.md.j2", lib=lib, term=term, cases=cases)
    pages["dimensions/index.md"] = render("dimensions_index.md.j2", lib=lib, counts=counts)
    return pages


def region_pages(lib: Library) -> dict[str, str]:
    """One page per province, city and county that has cases, plus an overview."""
    provinces = regions(lib)
    pages = {"regions/index.md": render("regions_index.md.j2", lib=lib, provinces=provinces)}
    for province in provinces:
        for region in province.walk():
            pages[f"{region.path}.md"] = render("region.md.j2", lib=lib, region=region)
    return pages


def home_page(lib: Library) -> str:
    """The home page: what the base is, how much it holds, and ways in."""
    type_counts: Counter[str] = Counter(t for c in lib.cases for t in c.record.practice_types)
    dim_counts: Counter[str] = Counter(d for c in lib.cases for d in c.record.dimensions)
    return render("home.md.j2", lib=lib, type_counts=type_counts, dim_counts=dim_counts,
                  provinces=regions(lib), newest=newest_first(lib.cases)[:6])


def cases_json(lib: Library) -> bytes:
    """The open-data export `data/cases.json`: every record with its id and site URL, and the text of its
    search fields with their weights (govcases.search.fields), which the finder page matches."""
    rows = []
    for case in lib.cases:
        row = {"id": case.id, "url": f"cases/{case.id}/"}
        row.update(case.record.model_dump(mode="json", exclude_none=True))
        row["practice_type_names"] = [lib.taxonomy.type_by_id(t).name for t in case.record.practice_types]
        row["dimension_names"] = [lib.taxonomy.dimension_by_id(d).name for d in case.record.dimensions]
        row["search"] = finder_fields(lib.taxonomy, case.record)
        rows.append(row)
    weights = {name: w for name, w in WEIGHTS.items() if name != "body"} | {"summary": WEIGHTS["body"]}
    notes = {"analysis": "每个案例的 analysis 是编者分析（非原文内容）：本库编者的判断，不是来源的内容；"
                         "其余字段依据来源概括改写，数字照录原文"}
    data = {"notes": notes, "search_weights": weights, "cases": rows}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def build_site(lib: Library) -> SiteOutput:
    """Every generated page and file of the site, ready to hand to any static-site generator."""
    out = SiteOutput()
    out.pages["index.md"] = home_page(lib)
    out.pages.update(case_pages(lib))
    out.pages.update(type_pages(lib))
    out.pages.update(dimension_pages(lib))
    out.pages.update(region_pages(lib))
    out.pages.update(policy_pages(lib))
    out.pages["finder.md"] = render("finder.md.j2", lib=lib)
    out.pages["stats/index.md"], charts = stats_page(lib)
    out.fragments.update(charts)
    pages, files = template_outputs(lib)
    out.pages.update(pages)
    out.files.update(files)
    pages, files = submit_outputs(lib)
    out.pages.update(pages)
    out.files.update(files)
    out.files[CASES_JSON] = cases_json(lib)
    out.files["data/cases.js"] = finder_script(out.files[CASES_JSON])
    out.files.update(compile_files(lib))
    out.files[SCHEMA_JSON] = case_schema_json(lib.taxonomy)
    return out
