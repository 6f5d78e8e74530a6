"""The published site/ is always a whole build: clashes stop the build early, builds take turns, kill -9 is safe."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from conftest import mkdocs_build

CASE = "sichuan-miyi-1357"


def files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def start_build(project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def retitle(project: Path, title: str) -> None:
    path = project / "cases" / f"{CASE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = title
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def version(site: Path) -> str:
    """The title the case page shows, after checking that the search index lists the same title."""
    page = (site / "cases" / CASE / "index.html").read_text(encoding="utf-8")
    shown = page.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0]
    index = json.loads((site / "search" / "gc" / "docs.json").read_text(encoding="utf-8"))
    indexed = index["titles"][index["urls"].index(f"cases/{CASE}/")]
    assert shown == indexed, (shown, indexed)
    return shown


def test_a_docs_file_on_a_generated_address_stops_the_build_before_site_is_touched(project: Path) -> None:
    assert mkdocs_build(project).returncode == 0
    before = files(project / "site")
    (project / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    (project / "docs" / "cases.md").write_text("# 案例\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/cases.md：与生成的页面 cases/index.md 占用同一个网址（cases/index.html），请删除或改名 docs/cases.md" \
        in result.stderr
    assert "docs/index.md：与生成的页面 index.md 占用同一个网址（index.html）" in result.stderr
    assert "docs/ 中有 2 个文件与生成的页面冲突，网站未改动" in result.stderr
    assert files(project / "site") == before


def test_a_second_build_stops_while_one_is_running(project: Path) -> None:
    first = start_build(project)
    try:
        deadline = time.monotonic() + 120
        lock = project / ".site.lock"
        while first.poll() is None and time.monotonic() < deadline:
            if lock.exists() and lock.read_text(encoding="utf-8") == str(first.pid):
                break
            time.sleep(0.02)
        second = mkdocs_build(project)
        assert second.returncode != 0
        assert f"另一个构建（进程 {first.pid}）正在生成 site/，请等它结束后再运行" in second.stderr
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert version(project / "site")
    assert not list(project.glob(".site.new-*"))


def test_kill_at_any_moment_leaves_the_previous_or_the_new_site(project: Path) -> None:
    complete = {}  # version -> the file list of its complete build (search shards depend on the text)
    for title in ("版本乙", "版本甲"):
        retitle(project, title)
        began = time.monotonic()
        assert mkdocs_build(project).returncode == 0
        duration = time.monotonic() - began
        complete[version(project / "site")] = files(project / "site")
    assert set(complete) == {"版本甲", "版本乙"}
    retitle(project, "版本乙")
    rng = random.Random(16)
    for _ in range(5):
        build = start_build(project)
        time.sleep(rng.uniform(0.2, duration * 1.2))
        os.kill(build.pid, signal.SIGKILL)
        build.communicate(timeout=60)
        site = project / "site"
        shown = version(site)  # the page and the search index agree
        assert files(site) == complete[shown]  # no page missing, none extra
    # The next build clears what the killed ones left and publishes the new version.
    assert mkdocs_build(project).returncode == 0
    assert version(project / "site") == "版本乙" and files(project / "site") == complete["版本乙"]
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock"] == []
