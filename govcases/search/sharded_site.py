"""Writes the sharded search index into a built site, reusing the analysis of pages that did not change."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from govcases.cache import Table, project_key
from govcases.search.sharded import DIR, VERSION, Doc, build_index, material_stub


def case_words_table(root: Path) -> Table:
    """The cases' own words (govcases.search.material.case_terms) kept between builds of the project at `root`."""
    from govcases.search.analysis import ANALYSIS_VERSION, USERDICT

    digest = hashlib.sha256(USERDICT.read_bytes()).hexdigest()[:12]
    return Table(f"case-words-{project_key(root)}", f"{ANALYSIS_VERSION} {digest}")


def write_index(site: Path, docs: Sequence[Doc], root: Path) -> None:
    """Write search/gc/ for `docs` into `site` and turn search_index.json into the worker's small stub."""
    cache = Table(f"page-words-{project_key(root)}", VERSION)
    files = build_index(docs, cache=cache)
    cache.save()
    shutil.rmtree(site / DIR, ignore_errors=True)
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    index = site / "search" / "search_index.json"
    config = json.loads(index.read_text(encoding="utf-8")).get("config", {}) if index.is_file() else {}
    index.write_bytes(material_stub(config, json.loads(files[f"{DIR}/docs.json"])["v"]))
