"""The project layout in one place: where records, templates, policies, the vocabulary and the caches live."""

from __future__ import annotations

import os
from pathlib import Path

CASES_DIR = "cases"
TEMPLATES_DIR = "templates"
POLICIES_DIR = "cases/_policies"
TAXONOMY_FILE = "_taxonomy.yaml"


def find_root(start: Path) -> Path:
    """The project folder: the nearest folder at or above `start` that has cases/_taxonomy.yaml."""
    for folder in (start, *start.parents):
        if (folder / CASES_DIR / TAXONOMY_FILE).is_file():
            return folder
    return start


def cache_root() -> Path:
    """Where derived data is cached: $GOVCASES_CACHE_DIR, else $XDG_CACHE_HOME/govcases, else ~/.cache/govcases."""
    if os.environ.get("GOVCASES_CACHE_DIR"):
        return Path(os.environ["GOVCASES_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govcases"
