"""The site root the theme's scripts load the site's files from (govcases-site.js, run under node), and that every
page loads it before the scripts that call it (the finder and the study tools)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import sitequery
from conftest import missing

SITE_JS = Path(__file__).resolve().parents[1] / "govcases" / "theme" / "assets" / "javascripts" / "govcases-site.js"
SCRIPT = "file:///copy/assets/javascripts/govcases-site.js"


def site_root(config: str, script: str, page: str) -> str:
    """govcases-site.js's siteRoot for a page's #__config text, the script's own address and the page's."""
    if sitequery.NODE is None:
        missing("needs node (the theme's script runs in it)")
    code = ("const s = require(process.argv[1]);"
            "process.stdout.write(s.siteRoot(process.argv[2], process.argv[3], process.argv[4]).href)")
    done = subprocess.run([sitequery.NODE, "-e", code, str(SITE_JS), config, script, page],
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@pytest.mark.parametrize(("base", "page", "root"), [
    ("..", "http://127.0.0.1:8000/cases/a/", "http://127.0.0.1:8000/cases/"),  # Material's base, without "/"
    ("../../", "http://127.0.0.1:8000/cases/a/", "http://127.0.0.1:8000/"),
    (".", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("..", "file:///copy/cases/a.html", "file:///copy/"),  # the offline copy: one file a page
])
def test_the_root_is_the_pages_base(base: str, page: str, root: str) -> None:
    assert site_root(json.dumps({"base": base, "search": "x"}), SCRIPT, page) == root


@pytest.mark.parametrize("config", ["", "{not json", '{"search": "x"}', '{"base": 1}'])
def test_without_a_base_the_root_is_two_folders_above_the_script(config: str) -> None:
    assert site_root(config, SCRIPT, "file:///copy/cases/a.html") == "file:///copy/"


def test_without_a_script_address_the_root_is_two_folders_above_the_page() -> None:
    assert site_root("", "", "http://127.0.0.1:8000/cases/a/b/") == "http://127.0.0.1:8000/cases/"


def test_pages_load_the_site_root_before_its_callers(built_site: Path) -> None:
    for page in ("index.html", "finder/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        scripts = [s for s in re.findall(r'<script src="([^"]+)"', html) if "assets/" in s and "bundle" not in s]
        names = [s.rsplit("/", 1)[-1].split("?")[0] for s in scripts]
        assert names.index("govcases-site.js") < names.index("finder.js") < names.index("govcases-study.js"), names
