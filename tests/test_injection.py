"""A record carrying script payloads in every text field builds a page with no live script or handler."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import mkdocs_build

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[点我](javascript:alert(3))",
    '"><svg onload=alert(4)>',
    "<a href='javascript:alert(5)'>x</a>",
    "<iframe src=//evil.example></iframe>",
    "{{ config }} {% raw %}",
]


class _Scan(HTMLParser):
    """Collects script tags, event-handler attributes and script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.frames: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "inline")
        if tag in ("iframe", "object", "embed"):
            self.frames += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith("javascript:"):
                self.urls.append(value)


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_payloads_in_every_field_stay_text(project: Path) -> None:
    assert mkdocs_build(project).returncode == 0
    page = project / "site" / "cases" / "sichuan-miyi-1357" / "index.html"
    clean = scan(page)

    path = project / "cases" / "sichuan-miyi-1357.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    blob = " ".join(PAYLOADS)
    data["title"] = blob
    data["model"] = blob
    data["summary"] = blob
    data["background"] = blob
    data["keywords"] = PAYLOADS
    data["measures"][0]["heading"] = blob
    data["measures"][0]["responsible"] = blob
    data["measures"][0]["actions"] = PAYLOADS
    data["results"] = PAYLOADS
    data["figures"][0]["label"] = blob
    data["figures"][0]["unit"] = "<b onmouseover=alert(6)>户"
    data["figures"][0]["note"] = blob
    data["recognition"] = PAYLOADS
    data["analysis"] = {"background": blob, "conditions": blob, "transferability": blob}
    data["evidence"] = {k: blob for k in data["evidence"]}
    data["procedures"] = [{"name": blob, "steps": [{"text": p, "actor": blob} for p in PAYLOADS], "note": blob}]
    data["sources"][0]["read_at"] = "https://example.org/r?<script>alert(8)</script>"
    data["sources"][0]["title"] = blob
    data["sources"][0]["publisher"] = blob
    data["sources"][0]["author"] = blob
    data["sources"][0]["url"] = "https://example.org/a?b=<script>alert(7)</script>"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    dirty = scan(page)
    assert dirty.scripts == clean.scripts  # only the theme's own scripts
    assert dirty.handlers == [] and dirty.urls == [] and dirty.frames == 0
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown to the reader as text
    for other in (project / "site").rglob("*.html"):  # lists, indexes and type pages too
        found = scan(other)
        assert found.handlers == [] and found.urls == [] and found.frames == 0, other
