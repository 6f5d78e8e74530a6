"""Writes the sharded search index into a built site, reusing the analysis of pages that did not change."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from govcases.cache import Table, project_key
from govcases.search.analysis import Analyzer
from govcases.search.sharded import DIR, VERSION, Doc, build_index, material_stub


def case_words_table(root: Path, analyzer: Analyzer) -> Table:
    """The cases' own words (govcases.search.material.case_terms) kept between builds of the project at `root`."""
    return Table(f"case-words-{project_key(root)}", analyzer.key)


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
    index.write_bytes(material_stub(config, json.loads(files[f"{DIR}/docs.json"])["v"]))
