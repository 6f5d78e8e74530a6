"""Script payloads in every text field of every record kind never run in the built site (Chromium).

The fields come from the pydantic models (tests/support/hostile.py); each payload reaches every field of one
case, one template, one policy and one practice type and dimension, before and after the field's text.
Every built page is opened in Chromium: no dialog may open, and the DOM may hold no event-handler
attribute, no javascript: URL and no script that record text put there.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, make_project, mkdocs_build, needs_chromium
from hostile import KEEP, HostileProject, string_paths
from localserve import serve

from govcases.records.model import CaseRecord
from govcases.records.policy import PolicyRecord
from govcases.records.templates import TemplateRecord

# Runs in the page: every attribute that would run script, wherever record text could have put it.
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}=${a.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name) &&
          /^(javascript|vbscript|data:text\\/html)/.test(value)) bad.push(`${el.tagName} ${name}=${a.value}`);
    }
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !/json/.test(el.type) && /alert/.test(el.textContent))
      bad.push('script ' + el.textContent);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HostileProject, dict[str, list[str]]]:
    root = make_project(tmp_path_factory.mktemp("hostile"))
    project = HostileProject(root, REPO / "cases" / "_taxonomy.yaml",
                             FIXTURES / "project" / "cases" / "sichuan-miyi-1357.yaml",
                             REPO / "templates" / "points-rules.yaml",
                             REPO / "cases" / "_policies" / "guangxi-rural-governance-2021-2025.yaml")
    cwd = Path.cwd()
    os.chdir(root)  # problems are reported relative to the working directory
    try:
        rejected = project.write()
    finally:
        os.chdir(cwd)
    os.environ.setdefault("GOVCASES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site", project, rejected


def test_every_string_field_of_every_kind_is_attacked(hostile_site: tuple[Path, HostileProject, Any]) -> None:
    _, project, rejected = hostile_site
    for kind, model in (("case", CaseRecord), ("template", TemplateRecord), ("policy", PolicyRecord)):
        fields = set(string_paths(model)) - KEEP
        carried = project.carried(kind)
        # A field either carried a payload into the build or the validator refused every form of it.
        refused = {f for f in fields - carried if any(r.split(":")[0].split("[")[0].split(".")[0] == f[0]
                                                       for r in rejected.get(kind, []))}
        assert fields - carried - refused == set(), (kind, sorted(fields - carried - refused))
        assert len(carried) >= len(fields) * 0.7, (kind, sorted(fields - carried))


@needs_chromium
def test_no_payload_runs_in_any_built_page(hostile_site: tuple[Path, HostileProject, Any], chromium: Any) -> None:
    site, _, _ = hostile_site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 200, len(pages)
    dialogs: list[str] = []
    found: dict[str, list[str]] = {}
    with serve(site) as base:
        context = chromium.new_context()
        context.set_default_timeout(10_000)
        # Styles, images and the search index cannot run record text; leaving them out halves the time.
        context.route(re.compile(r".*(\.css|\.png|\.svg|\.woff2?|/search/.*|/workers/.*|govcases-search\.js)$"),
                      lambda route: route.abort())
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for path in pages:
            page.goto(base + path, wait_until="load")
            bad = page.evaluate(DOM_CHECK)
            if bad:
                found[path] = bad[:3]
        page.wait_for_timeout(200)
        context.close()
    assert dialogs == [], dialogs[:10]
    assert found == {}, dict(list(found.items())[:10])


def test_hostile_text_is_shown_as_text(hostile_site: tuple[Path, HostileProject, Any]) -> None:
    site, _, _ = hostile_site
    html = (site / "cases" / "inj-case-0-after" / "index.html").read_text(encoding="utf-8")
    assert "{ tabindex=1 autofocus onfocus=alert(1) }" in html.replace("&#123;", "{").replace("&#125;", "}")
    assert "autofocus" not in html.split('<article', 1)[1].split('>', 1)[0]
    shutil.rmtree(site / "search", ignore_errors=True)  # the site is not used further
