"""The wheel holds every file of the package, and a site built from a plain (not editable) install searches."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sitequery
from conftest import REPO, make_project, missing

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                                reason="needs the git checkout (the wheel is compared with git ls-files)")


def _tracked(prefix: str = "") -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", *([prefix] if prefix else [])], cwd=REPO, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return sorted(p for p in out.split("\0") if p and (REPO / p).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the tracked files (outside the tree, so no build/ or egg-info lands in it)."""
    src = tmp_path_factory.mktemp("src")
    for rel in _tracked():
        dest = src / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("govcases-*.whl")
    return built


def test_the_wheel_holds_exactly_the_package_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        shipped = sorted(n for n in z.namelist() if n.startswith("govcases/") and not n.endswith("/"))
    assert shipped == _tracked("govcases/")


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A venv seeing this machine's packages (MkDocs, Material, jieba …) with the wheel installed plainly."""
    where = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(where)], check=True, timeout=300)
    python = where / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    yield python


def _env() -> dict[str, str]:
    # Nothing points back at the working tree: no PYTHONPATH, and a cache of its own.
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"NO_MKDOCS_2_WARNING": "1"}


def test_a_site_built_from_a_plain_install_searches(venv: Path, tmp_path: Path) -> None:
    if sitequery.NODE is None:
        missing("needs node (the site's query runs in it)")
    where = subprocess.run([str(venv), "-c", "import govcases; print(govcases.__file__)"], capture_output=True,
                           text=True, cwd=tmp_path, env=_env(), check=True).stdout.strip()
    assert str(REPO) not in where and "site-packages" in where  # the installed copy, not the working tree
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    done = subprocess.run([str(venv), "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                          text=True, env=_env() | {"GOVCASES_CACHE_DIR": str(tmp_path / "cache")}, timeout=600)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    for asset in ("javascripts/govcases-search.js", "javascripts/govcases-query.js", "javascripts/govcases-input.js",
                  "javascripts/govcases-site.js", "finder.js", "finder.css"):
        assert (site / "assets" / asset).is_file(), asset
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/finder.js" in page and "assets/javascripts/govcases-input.js" in page
    assert [r.url for r in sitequery.rank(site, ["村规民约"])["村规民约"]][:1] == ["cases/sichuan-miyi-1357/"]
