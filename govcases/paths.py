"""The layout in one place: where records, templates, policies, the vocabulary and the caches live, and the
fixed paths of the generated site (so the names record ids cannot take)."""

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

# Page paths every build has, so the nav in mkdocs.yml can always point at them.
INDEX_PAGES = ("index.md", "cases/index.md", "types/index.md", "regions/index.md", "dimensions/index.md",
               "policies/index.md", "templates/index.md", "finder.md", "submit.md", "stats/index.md")
CASES_JSON, SCHEMA_JSON = "data/cases.json", "schema/case.schema.json"
# Folders the site has besides the pages above: template downloads, the search index and the theme's files.
SITE_FOLDERS = ("downloads", "search", "assets")


def reserved_names() -> frozenset[str]:
    """Names no record id may take, because a page or folder the build makes already has it (a case
    called `index` would replace the list of cases, one called `search` would sit over the index)."""
    parts = {part.removesuffix(".md") for page in INDEX_PAGES for part in page.split("/")}
    parts |= {path.split("/")[0] for path in (CASES_JSON, SCHEMA_JSON)}
    return frozenset(parts | set(SITE_FOLDERS) | {"404", "sitemap"})
