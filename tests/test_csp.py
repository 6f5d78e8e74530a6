"""Every page carries a script policy: the site's own scripts run, a script that slipped into a page does not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import needs_chromium
from localserve import serve

from govcases.pages.csp import inline_hashes, with_policy

RECORD = "window.__csp = []; document.addEventListener('securitypolicyviolation', " \
         "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
SLIPPED = '<img src=x onerror="alert(1)"><script>alert(2)</script><a id=js href="javascript:alert(3)">x</a>'


def test_policy_lists_the_inline_scripts_by_hash_before_any_script() -> None:
    page = ('<html><head><meta charset="utf-8"><script>var a=1</script><script src="x.js"></script>'
            '<script type="application/json">{"a":1}</script></head><body><script>var a=1</script></body></html>')
    out = with_policy(page)
    assert inline_hashes(page) == ["'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='"]
    assert out.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                          "content=\"script-src 'self' 'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='; "
                          "object-src 'none'; base-uri 'self'; form-action 'self'\"><script>")
    assert "file:" in with_policy(page, from_disk=True) and "unsafe" not in out


def test_every_built_page_has_a_policy_without_unsafe_inline(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        head = path.read_text(encoding="utf-8").split("</head>", 1)[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy is not None, path
        assert "'unsafe-inline'" not in policy.group(1) and "script-src 'self'" in policy.group(1), path
        assert head.index("Content-Security-Policy") < head.find("<script"), path


@needs_chromium
@pytest.mark.parametrize("site", ["served", "offline"])
def test_own_scripts_run_and_slipped_ones_do_not(site: str, request: pytest.FixtureRequest, chromium: Any,
                                                 tmp_path: Path) -> None:
    built: Path = request.getfixturevalue("built_site" if site == "served" else "offline_site")
    name = "cases/sichuan-miyi-1357/index.html" if site == "served" else "cases/sichuan-miyi-1357.html"
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    page_file = copy / name
    html = page_file.read_text(encoding="utf-8")
    page_file.write_text(html.replace("</h1>", "</h1>" + SLIPPED, 1), encoding="utf-8")  # what a bug could let in
    with serve(copy) as base:
        root = base if site == "served" else copy.as_uri() + "/"
        context = chromium.new_context()
        context.add_init_script(RECORD)
        dialogs: list[str] = []
        context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page = context.new_page()
        for path in ("index.html", "finder/index.html", name):
            if site == "offline" and path.startswith("finder/"):
                continue  # the finder needs a server
            page.goto(root + path, wait_until="load")
            page.wait_for_timeout(300)
            if path != name:
                assert page.evaluate("window.__csp") == [], path  # the site's own scripts all run
        # The theme's scripts ran on the altered page (the search box is set up) …
        assert page.locator("input.md-search__input").count() == 1
        assert page.evaluate("typeof __md_get") == "function"
        # … and the slipped ones did not.
        page.click("#js")
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__csp")
        context.close()
    assert dialogs == []
    assert any(v.startswith("script-src") for v in violations), violations
