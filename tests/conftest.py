"""Shared fixtures: the fixture project, golden files, a built copy of the real site and its browser harness."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from localserve import CHROMIUM, CHROMIUM_ARGS, serve

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
# A frozen copy of the records (cases/, templates/) for code tests: what they assert does not move when the
# live records are edited. Content tests (test_content, the dev-query quality tests) read the live cases/.
CORPUS = FIXTURES / "corpus"
GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("GOVCASES_UPDATE_GOLDEN") == "1"  # regenerate goldens: GOVCASES_UPDATE_GOLDEN=1 pytest


def assert_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>; with GOVCASES_UPDATE_GOLDEN=1, rewrite the file instead."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with GOVCASES_UPDATE_GOLDEN=1 once"
    assert actual == path.read_text(encoding="utf-8")


def make_project(dest: Path, cases_from: Path = FIXTURES / "project" / "cases") -> Path:
    """A buildable project in `dest`: the repo's mkdocs.yml, docs/ and templates/ with the given cases."""
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copytree(cases_from, dest / "cases")
    (dest / "templates").mkdir(exist_ok=True)
    return dest


def mkdocs_build(project: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in `project` as a user would."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    if site is not None:
        cmd += ["-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the fixture project (3 cases) that a test may change."""
    return make_project(tmp_path)


def corpus_project(dest: Path) -> Path:
    """The frozen corpus (cases and templates) as a buildable project with the repo's mkdocs.yml and docs/."""
    make_project(dest, CORPUS / "cases")
    shutil.rmtree(dest / "templates")
    shutil.copytree(CORPUS / "templates", dest / "templates")
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen corpus built once per test session; returns the site directory."""
    project = corpus_project(tmp_path_factory.mktemp("corpus-project"))
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


# ---------- the browser suite: one local server and one Chromium per session ----------

ARTIFACTS = REPO / "test-artifacts"  # screenshots and PDFs to look at (git-ignored)
NO_SKIP = os.environ.get("GOVCASES_NO_SKIP") == "1"  # CI: a missing browser or axe-core fails instead of skipping
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and not NO_SKIP,
                                    reason="needs Debian's Chromium at /usr/bin/chromium")


def missing(reason: str) -> NoReturn:
    """Skip the test for a missing tool, or fail it when GOVCASES_NO_SKIP=1 (so CI cannot pass by skipping)."""
    if NO_SKIP:
        pytest.fail(f"{reason} (GOVCASES_NO_SKIP=1)")
    pytest.skip(reason)


class Watch:
    """Every request and every script error of a browser context."""

    def __init__(self, context: Any, base: str) -> None:
        self.base = base
        self.urls: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda r: self.urls.append(r.url))
        context.on("weberror", lambda e: self.errors.append(str(e.error)))

    def foreign(self) -> list[str]:
        """Requests that did not go to `base` (data: and blob: URLs are not requests to a host)."""
        return [u for u in self.urls if not u.startswith(self.base) and not u.startswith(("data:", "blob:"))]


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """The session's built site over HTTP on 127.0.0.1; the base URL ends in '/'."""
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium (Playwright) for the session; without either, see `missing`."""
    if not CHROMIUM.exists():
        missing("needs Debian's Chromium at /usr/bin/chromium")
    try:
        from playwright import sync_api
    except ImportError:
        missing("needs the playwright Python package (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (git-ignored), created on first use."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen corpus built once with GOVCASES_OFFLINE=true (Material's offline plugin), to open from disk."""
    project = corpus_project(tmp_path_factory.mktemp("corpus-offline-project"))
    site = tmp_path_factory.mktemp("offline-site")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GOVCASES_OFFLINE": "true"}
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Indexes and lookup tables of the using module go to a fresh cache, never the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("GOVCASES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project's cases (no site files) as the working directory, with a private cache."""
    shutil.copytree(FIXTURES / "project" / "cases", tmp_path / "cases")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path / ".cache"))
    return tmp_path
