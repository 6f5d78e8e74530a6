"""The 统计 page, the home page's first screen and the data files behind the Word compilations."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES

from govcases.pages.build import build_site
from govcases.pages.stats import FINDER
from govcases.pages.study import SHARD_SIZE, citation, compile_view, shard_count, shard_of
from govcases.records.library import load_library


@pytest.fixture(scope="module")
def lib():  # type: ignore[no-untyped-def]
    return load_library(FIXTURES / "project")


@pytest.fixture(scope="module")
def output(lib):  # type: ignore[no-untyped-def]
    return build_site(lib)


def test_heat_table_counts_each_type_in_each_province(output) -> None:  # type: ignore[no-untyped-def]
    page = output.pages["stats/index.md"]
    heat = page[page.index('<table class="gc-heat">'):page.index('</table>')]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', heat)
    assert [name for name, _ in rows] == ["四川省", "广西壮族自治区"]  # most cases first
    sichuan = dict(re.findall(r'aria-label="四川省([^：]+)：(\d+)个案例"', rows[0][1]))
    assert sichuan["积分制"] == "1" and sichuan["村规民约"] == "2"
    assert f'href="{FINDER}?type=points&amp;province=%E5%9B%9B%E5%B7%9D%E7%9C%81"' in rows[0][1]
    # the province total links to the finder too, and a zero is written, not left blank
    assert re.search(rf'<td class="gc-heat__total"><a href="{FINDER}\?province=[^"]+">2</a></td>', rows[0][1])
    assert '<td class="gc-heat--0">0</td>' in rows[1][1]


def test_each_chart_has_the_same_numbers_as_its_table(output) -> None:  # type: ignore[no-untyped-def]
    page = output.pages["stats/index.md"]
    slots = re.findall(r'<div class="gc-chart-slot" data-gc-chart="([a-z0-9-]+)"></div>\s*(<table .*?</table>)',
                       page, re.S)
    assert "<svg" not in page and len(slots) == 3 == len(output.fragments)
    for key, table in slots:
        svg = output.fragments[key]
        assert svg.startswith("<svg ") and "<script" not in svg
        bars = re.findall(r'<a href="([^"]+)" aria-label="([^：]+)：(\d+)个案例">', svg)
        cells = re.findall(r'<th scope="row">([^<]+)</th><td><a href="([^"]+)">(\d+)</a>', table)
        assert bars and [(h, label, n) for label, h, n in cells] == bars
    years = re.findall(r'aria-label="(\d{4})年：(\d+)个案例"', "".join(output.fragments.values()))
    assert years == [("2022", "3")]


def test_stats_page_is_in_the_navigation_and_links_resolve(built_site) -> None:  # type: ignore[no-untyped-def]
    html = (built_site / "stats" / "index.html").read_text(encoding="utf-8")
    assert FINDER not in html and "gc-chart-slot" not in html
    assert html.count('<svg class="gc-chart"') == 3 and '<a href="../finder/?year=2022" aria-label="2022年：' in html
    assert 'href="../finder/?type=points&amp;province=%E5%9B%9B%E5%B7%9D%E7%9C%81"' in html
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a[^>]*href="stats/"[^>]*>\s*统计', home)  # a tab of its own
    assert 'class="gc-tile__n" href="finder/?type=points"' in home


def test_home_page_lists_the_newest_cases_near_the_top(output) -> None:  # type: ignore[no-untyped-def]
    home = output.pages["index.md"]
    assert home.index("## 实践类型") < home.index("## 最新案例") < home.index("## 按地区")
    newest = re.findall(r"^- \[[^\]]+\]\(cases/([a-z0-9-]+)\.md\)", home, re.M)
    assert len(newest) == 3


def test_case_page_puts_tags_after_the_key_facts(output) -> None:  # type: ignore[no-untyped-def]
    page = output.pages["cases/sichuan-miyi-1357.md"]
    body = page.split("---\n", 2)[2]
    slot = body.index('<div class="gc-tags-slot"></div>')
    assert body.index("# ") < body.index("| 地点 |") < slot < body.index("!!! abstract")


def test_compile_data_holds_every_case_once(lib, output) -> None:  # type: ignore[no-untyped-def]
    shards = shard_count(len(lib.cases))
    files = {k: v for k, v in output.files.items() if k.startswith("data/compile/")}
    assert sorted(files) == [f"data/compile/{k}.js" for k in range(shards)]
    seen = {}
    for data in files.values():
        k, body = re.fullmatch(r"govcasesCompileData\((\d+),(.*)\);\n", data.decode(), re.S).groups()
        for case_id, view in json.loads(body).items():
            assert shard_of(case_id, shards) == int(k) and case_id not in seen
            seen[case_id] = view
    assert sorted(seen) == sorted(c.id for c in lib.cases)
    assert shard_count(0) == 1 and shard_count(SHARD_SIZE) == 1 and shard_count(SHARD_SIZE + 1) == 2
    script = output.files["data/cases.js"].decode()
    assert script == "govcasesFinderData(" + output.files["data/cases.json"].decode() + ");\n"


def test_compile_view_marks_the_editors_analysis_and_cites_sources_whole(lib) -> None:  # type: ignore[no-untyped-def]
    case = lib.by_id["sichuan-luojiang-anjia-points"]
    view = compile_view(lib, case)
    assert view["title"] == case.record.title and view["level"] == "村级"
    assert [label for label, _ in view["analysis"]] == [label for label, _ in case.record.analysis.parts()]
    assert view["analysis"][-1][0] == "借鉴要点"
    assert view["figures"][0] == ["纳入积分管理的常住户", "978户", ""]
    assert view["sources"] == [citation(s) for s in case.record.sources]
    assert view["sources"][0].startswith(
        "《“小积分”凝聚乡村治理“大合力”》。四川省农业农村厅 四川省乡村振兴局，2022年10月8日。收录于")


def test_compile_view_gives_the_grounds_of_classification_in_page_order(lib) -> None:  # type: ignore[no-untyped-def]
    view = compile_view(lib, lib.by_id["sichuan-luojiang-anjia-points"])
    assert [name for name, _ in view["evidence"]] == [
        "积分制", "红黑榜", "村规民约", "网格化管理", "自治", "德治", "法治", "党建引领"]
    assert view["evidence"][0] == ["积分制", "做法“划定积分对象”：全村常住户、企业和家庭农场纳入积分管理"]
    assert view["evidence"][-1] == ["党建引领", "来源：由村党总支部牵头成立社会治理服务协会"]


def test_compile_view_lists_procedures_whole_with_their_actors(lib) -> None:  # type: ignore[no-untyped-def]
    view = compile_view(lib, lib.by_id["sichuan-miyi-1357"])
    four = next(p for p in view["procedures"] if p["name"] == "四议")
    assert four["steps"][:3] == [["提议", "村党支部"], ["商议", "村“两委”会"], ["审议", "党员大会"]]
    assert len(four["steps"]) == 4 and four["partial"] == ""


def test_scripts_survive_line_separators(tmp_path, lib) -> None:  # type: ignore[no-untyped-def]
    from govcases.pages.study import _script

    text = _script("f", 0, {"a": "x\u2028y"}).decode()
    assert "\u2028" not in text and "\\u2028" in text


def test_finder_script_only_in_the_copy_opened_from_disk(built_site, offline_site) -> None:  # type: ignore[no-untyped-def]
    assert not (built_site / "data" / "cases.js").exists()
    script = (offline_site / "data" / "cases.js").read_text(encoding="utf-8")
    assert script.startswith("govcasesFinderData({") and (offline_site / "data" / "compile" / "0.js").is_file()
