"""Writes the sharded search index into a built site, reusing the analysis of pages that did not change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from .analysis import cache_root
from .static_search import DIR, Doc, TermCache, build_index, material_stub


def write_index(site: Path, docs: Sequence[Doc], root: Path) -> None:
    """Write search/gc/ for `docs` into `site` and turn search_index.json into the worker's small stub."""
    store = cache_root() / "static-search" / f"{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]}.json"
    stored = None
    with suppress(OSError):
        stored = store.read_bytes()
    cache = TermCache(stored)
    files = build_index(docs, cache=cache)
    target = site / DIR
    shutil.rmtree(target, ignore_errors=True)
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    index = site / "search" / "search_index.json"
    config = json.loads(index.read_text(encoding="utf-8")).get("config", {}) if index.is_file() else {}
    ver = json.loads(files[f"{DIR}/docs.json"])["v"]
    index.write_bytes(material_stub(config, ver))
    with suppress(OSError):  # a cache that cannot be written only costs time on the next build
        store.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=store.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(cache.dump())
        os.replace(tmp, store)
