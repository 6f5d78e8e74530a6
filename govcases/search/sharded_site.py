"""Writes the sharded search index into a built site, reusing the analysis of pages that did not change."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from govcases.cache import Table, atomic_write, project_key, source_of
from govcases.search import fields
from govcases.search.analysis import Analyzer, analysis_key, analyzer_for
from govcases.search.sharded import DIR, VERSION, Doc, build_index, material_stub, page_doc

if TYPE_CHECKING:
    from govcases.records.library import Library


class SiteIndex:
    """The sharded index of one build: each page as it is rendered, then every file written into the site."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.analyzer = analyzer_for(lib)
        self.docs: list[Doc] = []
        self.words = case_words_table(lib.root, self.analyzer)  # a case's own words, kept between builds

    def add_page(self, url: str, title: str, content_html: str, tags: Sequence[str] = ()) -> None:
        """Take in one rendered page."""
        self.docs.append(page_doc(self.lib, url, title, content_html, tags, self.words, self.analyzer))

    def write(self, site: Path) -> None:
        """Write search/gc/ into `site` and keep the analysis for the next build."""
        write_index(site, self.docs, self.lib.root, self.analyzer)
        self.words.save()


def case_words_table(root: Path, analyzer: Analyzer) -> Table:
    """The cases' own words (govcases.search.fields.own_words) kept between builds of the project at `root`."""
    return Table(f"case-words-{project_key(root)}", analysis_key(analyzer, "own words", *source_of(fields)))


def write_index(site: Path, docs: Sequence[Doc], root: Path, analyzer: Analyzer) -> None:
    """Write search/gc/ for `docs` into `site` and turn search_index.json into the worker's small stub."""
    cache = Table(f"page-words-{project_key(root)}", f"{VERSION} {analyzer.key}")
    files = build_index(docs, analyzer, cache=cache)
    cache.save()
    shutil.rmtree(site / DIR, ignore_errors=True)
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    index = site / "search" / "search_index.json"
    config = json.loads(index.read_text(encoding="utf-8")).get("config", {}) if index.is_file() else {}
    atomic_write(index, material_stub(config, json.loads(files[f"{DIR}/docs.json"])["v"]))
