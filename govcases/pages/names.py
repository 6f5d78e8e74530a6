"""The fixed paths of the generated site, and the names record ids therefore cannot take."""

from __future__ import annotations

# Page paths every build has, so the nav in mkdocs.yml can always point at them.
INDEX_PAGES = ("index.md", "cases/index.md", "types/index.md", "regions/index.md", "dimensions/index.md",
               "policies/index.md", "templates/index.md", "finder.md")
CASES_JSON, SCHEMA_JSON = "data/cases.json", "schema/case.schema.json"
# Folders the site has besides the pages above: template downloads, the search index and the theme's files.
SITE_FOLDERS = ("downloads", "search", "assets")


def reserved_names() -> frozenset[str]:
    """Names no record id may take, because a page or folder the build makes already has it (a case
    called `index` would replace the list of cases, one called `search` would sit over the index)."""
    parts = {part.removesuffix(".md") for page in INDEX_PAGES for part in page.split("/")}
    parts |= {path.split("/")[0] for path in (CASES_JSON, SCHEMA_JSON)}
    return frozenset(parts | set(SITE_FOLDERS) | {"404", "sitemap"})
