"""`mkdocs build --strict` on the fixture project: pages at their URLs, nothing external, failures lose nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import mkdocs_build

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_build_makes_every_page_and_loads_nothing_external(project: Path) -> None:
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for case in (project / "cases").glob("[a-z]*.yaml"):
        assert (site / "cases" / case.stem / "index.html").is_file()
    assert (site / "types" / "points" / "index.html").is_file()
    assert (site / "data" / "cases.json").is_file()
    offenders = [
        f"{p.relative_to(site)}: {m.group(0)}"
        for p in site.rglob("*") if p.suffix in (".html", ".css", ".js")
        for m in EXTERNAL.finditer(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []
    page = (site / "cases" / "sichuan-luojiang-anjia-points" / "index.html").read_text(encoding="utf-8")
    assert "“小积分”" in page and "978户" in page and "<table>" in page


def test_failed_build_leaves_the_previous_site_untouched(project: Path) -> None:
    assert mkdocs_build(project).returncode == 0
    site = project / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    bad = project / "cases" / "sichuan-miyi-1357.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("level: 县", "level: 县级"), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    message = "cases/sichuan-miyi-1357.yaml:7:8: level：没有“县级”这个层级；请改用其中之一：省、市、县、乡镇、村"
    assert message in result.stderr
    assert "校验失败：1 个错误，涉及 1 个文件；请按上面各行的说明修改后重新构建（site/ 未做任何改动）" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_root_is_read_relative_to_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    # The site's configuration in a folder of its own, the records one level up, built from elsewhere.
    config = project / "site-config"
    config.mkdir()
    (project / "docs").rename(config / "docs")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (config / "mkdocs.yml").write_text(text.replace("  - govcases\n", "  - govcases:\n      root: ..\n"),
                                       encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config / "mkdocs.yml")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(cmd, cwd=elsewhere, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (config / "site" / "cases" / "sichuan-miyi-1357" / "index.html").is_file()


def test_the_search_option_overrides_the_default(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("  - govcases\n", "  - govcases:\n      search: material\n"),
                                        encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    first = next(d for d in index["docs"] if d["location"] == "cases/sichuan-miyi-1357/")
    assert "村规民约" in first["keys"]  # Material's own index, with the project's words
    assert not (project / "site" / "search" / "gc").exists()
    assert "govcases-search.js" not in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_a_docs_page_that_clashes_with_a_generated_one_is_named(tmp_path: Path) -> None:
    import pytest
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    from govcases.plugin import _add

    files = Files([File("cases/index.md", str(tmp_path), str(tmp_path / "site"), False)])
    with pytest.raises(PluginError) as exc:
        _add(files, File("cases/index.md", str(tmp_path), str(tmp_path / "site"), False))
    assert str(exc.value) == "docs/cases/index.md 与网站自动生成的页面同名；请把它从 docs/ 删除或改名"
