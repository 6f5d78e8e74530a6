"""Shared fixtures: the canonical fixture project, golden-file comparison and a built copy of the real site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once per test session; returns the site directory."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr
    return site
