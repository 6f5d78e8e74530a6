"""The sharded search index of the served site (govcases.search.sharded) and its query (govcases-query.js, run
under node)."""

from __future__ import annotations

import json
from pathlib import Path

import devqueries
import pytest
import sitequery
import yaml
from conftest import CORPUS, missing

from govcases.cache import Table
from govcases.search.sharded import DIR, VERSION, Doc, build_index, exclude_table_heads, page_text

VOCAB = {"村规民约", "民约", "网格员", "补贴", "2+333", "积分制", "管理", "积分"}


@pytest.mark.parametrize(("query", "terms"), [
    ("村规民约", ["村规民约"]),  # the whole piece when the index has it
    ("网格员补贴", ["网格员", "补贴"]),  # else the longest terms from the left
    ("积分制管理", ["积分制", "管理"]),
    ("2+333", ["2+333"]),  # a model name with + stays whole
    ("ＡＢ 2+333 民约", ["ab", "2+333", "民约"]),  # full width to ASCII, lower case; separators split
    ("补贴，补贴", ["补贴"]),  # each term once
    ("的", []),  # one character the index has no term for is dropped …
    ("火星补贴", ["火星", "补贴"]),  # … two or more are kept, to be shown as missing
    ("补贴的火星", ["补贴", "的火星"]),
])
def test_cut_takes_the_longest_terms_the_index_has(query: str, terms: list[str]) -> None:
    assert sitequery.cut(query, VOCAB) == terms


def test_page_text_drops_markup_scripts_and_entities() -> None:
    html = "<h1>标题</h1><script>var x = 1</script><p>村规&amp;民约\\n  <b>做法</b></p>"
    assert page_text(html) == "标题 村规&民约\\n 做法"


def test_page_text_leaves_out_what_search_excludes() -> None:
    html = exclude_table_heads(
        '<h1>罗江区</h1><div class="gc-compile-bar" data-search-exclude=""><button>导出 Word 汇编</button></div>'
        "<table><thead><tr><th>案例</th><th>地点</th></tr></thead><tbody><tr><td>安家村</td><td>罗江区</td></tr>"
        "</tbody></table><p>完</p>")
    assert "<thead data-search-exclude>" in html
    assert page_text(html) == "罗江区 安家村 罗江区 完"


def snippet(site: Path, url: str) -> str:
    """The text the served site's search shows under the page at `url`."""
    meta = json.loads((site / DIR / "docs.json").read_text(encoding="utf-8"))
    i = meta["urls"].index(url)
    return json.loads((site / DIR / "x" / f"{i // meta['chunk']}.json").read_text(encoding="utf-8"))[i % meta["chunk"]]


def test_search_snippets_hold_no_button_or_column_labels(built_site: Path) -> None:
    text = snippet(built_site, "regions/sichuan/deyang/luojiang/")
    assert text.startswith("上级：德阳市 · 全部地区 案例（4 个） 安家村：")
    for label in ("导出 Word 汇编", "命名模式", "关键数据"):
        assert label not in text


@pytest.fixture(autouse=True)
def _needs_node() -> None:
    if sitequery.NODE is None:
        missing("needs node (the site's query runs in it)")


def _files(docs: list[Doc]) -> dict[str, bytes]:
    return build_index(docs)


class _Index:
    """Index files written to a folder, queried under node."""

    def __init__(self, files: dict[str, bytes], where: Path) -> None:
        self.site = sitequery.write_files(files, where)

    def search(self, query: str) -> list[sitequery.Result]:
        return sitequery.rank(self.site, [query])[query]


def test_the_index_is_cut_by_first_character_and_finds_a_part_of_a_word(tmp_path: Path) -> None:
    docs = [Doc("cases/a/", "村规民约修订", "全村讨论村规民约。"), Doc("cases/b/", "积分超市", "积分兑换。"),
            Doc("about/", "关于", "本站说明。")]
    files = _files(docs)
    meta = json.loads(files[f"{DIR}/docs.json"])
    assert meta["urls"] == ["cases/a/", "cases/b/", "about/"] and meta["titles"][1] == "积分超市"
    assert f"{DIR}/t/{ord('村'):x}.json" in files and "村" in meta["heads"]
    assert json.loads(files[f"{DIR}/x/0.json"])[0] == "全村讨论村规民约。"
    ix = _Index(files, tmp_path)
    assert [r.url for r in ix.search("村规民约")] == ["cases/a/"]
    assert [r.url for r in ix.search("民约")] == ["cases/a/"]  # a character pair inside a word
    assert [r.url for r in ix.search("兑换积分")] == ["cases/b/"]
    assert ix.search("火星") == []


def test_a_page_with_every_query_word_beats_one_that_repeats_one(tmp_path: Path) -> None:
    docs = [Doc("x/", "补贴", "补贴 补贴 补贴 补贴 补贴。"), Doc("y/", "网格员补贴", "网格员的补贴。")]
    ranked = _Index(_files(docs), tmp_path).search("网格员 补贴")
    assert [r.url for r in ranked] == ["y/", "x/"]
    assert ranked[1].terms == {"网格员": False, "补贴": True}  # Material shows the missing word struck out


def test_a_rebuild_analyses_only_pages_that_changed(private_cache: None) -> None:
    docs = [Doc("a/", "村规民约", "全文。"), Doc("b/", "积分制", "全文。")]
    first_run = Table("test-pages", VERSION)
    first = build_index(docs, cache=first_run)
    first_run.save()
    assert first_run.made == 2
    second_run = Table("test-pages", VERSION)
    build_index([docs[0], Doc("b/", "积分制", "改过的全文。")], cache=second_run)
    assert second_run.made == 1  # only b/ was analysed again
    second_run.save()
    third_run = Table("test-pages", VERSION)
    assert build_index(docs, cache=third_run) == first  # the same pages give the same bytes
    assert third_run.made == 1  # the first b/ was dropped: a table keeps what its last run used


def test_a_cache_of_another_version_or_unreadable_is_ignored(private_cache: None) -> None:
    t = Table("test-versions", "1")
    t.get("k", lambda: {"村规民约": 1.5})
    t.save()
    again = Table("test-versions", "1")
    assert again.get("k", lambda: None) == {"村规民约": 1.5} and again.made == 0
    again.save()
    other = Table("test-versions", "2")  # another version: emptied
    assert other.get("k", lambda: "made") == "made" and other.made == 1
    other.save()
    t.path.write_bytes(b"not a database")
    broken = Table("test-versions", "1")  # unreadable: every value is made, nothing fails
    assert broken.get("k", lambda: "made") == "made"
    broken.save()


# ---- the built site ----------------------------------------------------------------------------


def test_the_served_site_has_the_index_and_a_small_search_index_json(built_site: Path) -> None:
    stub = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and stub["config"]["govcases_version"]
    meta = json.loads((built_site / DIR / "docs.json").read_text(encoding="utf-8"))
    assert stub["config"]["govcases_version"] == meta["v"]
    assert "cases/sichuan-miyi-1357/" in meta["urls"]
    assert (built_site / "assets" / "javascripts" / "govcases-search.js").is_file()
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'c.search="assets/javascripts/govcases-search.js"' in page  # the page talks to our worker
    assert max(p.stat().st_size for p in (built_site / DIR / "t").iterdir()) < 200_000


def test_dev_queries_put_the_best_case_in_the_top_3(built_site: Path) -> None:
    from govcases.records.library import load_library

    if not devqueries.DEFAULT_QUERIES.is_file():
        pytest.skip(f"{devqueries.DEFAULT_QUERIES} is not here")
    resolve = devqueries.Resolver(load_library(CORPUS))
    entries = yaml.safe_load(devqueries.DEFAULT_QUERIES.read_text(encoding="utf-8"))
    ranked = sitequery.rank(built_site, [str(e["q"]) for e in entries])
    misses = []
    for entry in entries:
        best = f"cases/{resolve(entry['best'])}/"
        found = [r.url for r in ranked[str(entry["q"])]]
        if best not in found[:3]:
            misses.append(f"{entry['q']} → {best}: {found[:5]}")
    assert not misses, "\n".join(misses)


def test_a_site_with_its_own_main_html_keeps_material_index(project: Path) -> None:
    from conftest import mkdocs_build

    # The site's own main.html would hide ours, which points the search box at the govcases worker.
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"].startswith("cases/") for d in index["docs"])  # Material's full index
    assert not (project / "site" / DIR).exists()
    assert "govcases-search.js" not in (project / "site" / "index.html").read_text(encoding="utf-8")
