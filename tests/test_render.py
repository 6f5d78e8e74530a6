"""Pages generated from records, checked without building a site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES, REPO, assert_golden

from govcases.pages.build import build_site
from govcases.pages.render import file_name, md_text
from govcases.pages.sanitize import sanitize
from govcases.pages.typeset import join_lines
from govcases.records.library import load_library
from govcases.records.model import Figure, join_cjk_lines


@pytest.fixture(scope="module")
def output():  # type: ignore[no-untyped-def]
    return build_site(load_library(FIXTURES / "project"))


def test_every_case_has_a_page_and_the_indexes_exist(output) -> None:  # type: ignore[no-untyped-def]
    ids = sorted(p.stem for p in (FIXTURES / "project" / "cases").glob("[a-z]*.yaml"))
    assert [p for p in output.pages if p.startswith("cases/") and p != "cases/index.md"] == [
        f"cases/{i}.md" for i in ids
    ]
    for page in ("index.md", "types/points.md", "types/index.md", "dimensions/autonomy.md",
                 "regions/index.md", "regions/sichuan.md", "regions/sichuan/deyang/luojiang.md", "finder.md"):
        assert page in output.pages, page
    assert {"data/cases.json", "schema/case.schema.json"} <= set(output.files)


def test_case_page_golden(output) -> None:  # type: ignore[no-untyped-def]
    assert_golden("case_page_anjia.md", output.pages["cases/sichuan-luojiang-anjia-points.md"])


def test_type_page_compares_cases_side_by_side(output) -> None:  # type: ignore[no-untyped-def]
    page = output.pages["types/red-black-list.md"]
    assert "| 案例 | 地点 | 层级 | 命名模式 | 关键数据 |" in page
    assert "四川省德阳市罗江区金山镇安家村" in page and "四川省攀枝花市米易县" in page


def test_home_page_counts_and_entry_points(output) -> None:  # type: ignore[no-untyped-def]
    home = output.pages["index.md"]
    assert "**3** 个案例" in home
    # Each practice type with its count, the count a link to the finder filtered to that type.
    assert "- [积分制](types/points.md) [1 个案例](finder.md?type=points){ .gc-tile__n }" in home
    assert "[四川省](regions/sichuan.md)" in home


@pytest.mark.parametrize(
    ("kwargs", "shown"),
    [
        ({"value": 978, "unit": "户"}, "978户"),
        ({"value": 9850, "unit": "件", "qualifier": "余"}, "9850余件"),
        ({"value": 95, "unit": "%", "qualifier": "以上"}, "95%以上"),
        ({"value": 300, "value_to": 500, "unit": "户"}, "300—500户"),
        ({"value": 520, "unit": "万元/年", "qualifier": "约"}, "约520万元/年"),
        ({"value": 2.1, "unit": "万路"}, "2.1万路"),
        ({"value": 1, "unit": "万户", "qualifier": "余", "written": "1万余户"}, "1万余户"),
    ],
)
def test_figures_display_as_the_source_writes_them(kwargs: dict, shown: str) -> None:
    assert Figure(label="x", **kwargs).display() == shown


def test_written_must_state_the_same_number() -> None:
    with pytest.raises(ValueError, match="原文写法“3万余户”里没有数值 2，请核对 value 或 written"):
        Figure(label="x", value=2, unit="万户", written="3万余户")


def test_record_text_cannot_become_markup() -> None:
    assert md_text('<script>alert(1)</script> [x](javascript:alert(1)) a|b {: #x }') == (
        "&#60;script&#62;alert(1)&#60;/script&#62; &#91;x&#93;(javascript:alert(1)) a&#124;b &#123;: &#35;x &#125;"
    )
    assert md_text("!!! note") == "&#33;!! note" and md_text("1. 一") == "1&#46; 一" and md_text("0.4分") == "0.4分"


# Where templates put record text: a heading, a paragraph, a table cell, after a bold label, a list item,
# a link's text, raw HTML, and a line right after another line (definition lists, setext headings).
CONTEXTS = ["# {}", "{}", "| a |\n|---|\n| {} |", "**标签：**{}", "- {}", "[{}](x.md)", "<p>{}</p>", "x\n{}"]
SYNTAX = [" { tabindex=1 autofocus onfocus=alert(1) }", " {: .x onclick=alert(1) }", "*a*{ onclick=alert(1) }",
          "<https://a><svg onload=alert(1)>", '!!! note "t"', "???+ note", "--- ", "1. x", "- x", "+ x", ": x",
          "> x", "~~~", "=== x", "[x]: javascript:alert(1)", "&lt;b&gt;", "<b>", "`x`{ onclick=alert(1) }", "# x",
          "| a |", "\\{ x }", "[TOC]", "![i](x.png)"]


def test_record_text_stays_text_for_every_enabled_extension() -> None:
    config = yaml.safe_load(re.sub(r"!ENV \[.*?\]", "false", (REPO / "mkdocs.yml").read_text(encoding="utf-8")))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    expected = {"# {}": "h1", "{}": "p", "| a |\n|---|\n| {} |": "table", "**标签：**{}": "p", "- {}": "ul",
                "[{}](x.md)": "p", "<p>{}</p>": "p", "x\n{}": "p"}
    for context in CONTEXTS:
        for syntax in SYNTAX:
            for value in (syntax.strip(), "文本" + syntax):
                html = markdown.markdown(context.format(md_text(value)), extensions=extensions)
                tags = re.findall(r"<([a-z0-9]+)([^>]*)>", html)
                shape = {t for t, _ in tags} - {"thead", "tbody", "tr", "th", "td", "li", "strong", "a"}
                attrs = [a for _, a in tags if a and not re.fullmatch(r' (id="[^"]*"|href="x.md")', a)]
                assert shape == {expected[context]} and attrs == [], (context, value, html)


def test_html_in_a_record_reaches_the_page_as_text(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "project", tmp_path / "p")
    path = tmp_path / "p" / "cases" / "sichuan-miyi-1357.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] = "<img src=x onerror=alert(1)> " + data["summary"]
    data["title"] = '"><script>alert(1)</script>'
    data["measures"][0]["actions"][0] = "[点我](javascript:alert(1))"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    page = build_site(load_library(tmp_path / "p")).pages["cases/sichuan-miyi-1357.md"]
    assert "<img" not in page and "<script" not in page
    assert "- &#91;点我&#93;(javascript:alert(1))" in page  # escaped brackets: literal text, not a link
    assert "&#60;img src=x onerror=alert(1)&#62;" in page
    assert 'title: "＂＞＜script＞alert(1)＜/script＞"' in page


@pytest.mark.parametrize(("text", "joined"), [
    ("一个普通的 Excel 文件，\n用 Excel 填写", "一个普通的 Excel 文件，用 Excel 填写"),  # after a full-width mark
    ("实现线上管理。 2022年4月", "实现线上管理。2022年4月"),
    ("宜按本地条件选择； “5+N+10”编网", "宜按本地条件选择；“5+N+10”编网"),
    ("环境卫生、 婚丧嫁娶", "环境卫生、婚丧嫁娶"),  # between Chinese characters
    ("村民说 “好”", "村民说“好”"),
    ("用 Excel 或 WPS", "用 Excel 或 WPS"),  # a space beside a Latin word stays
    ("第 3 项", "第 3 项"),
])
def test_one_join_for_folded_chinese(text: str, joined: str) -> None:
    assert join_cjk_lines(text) == joined


def test_page_lines_join_where_the_source_broke_a_sentence() -> None:
    html = ("<p>点击任一数字或条形，\n即可在<a href=\"x\">案例检索</a>中查看。</p>\n<p>单元格、\n怎么改"
            "<strong>链接</strong>\n（原文）、\n<code>95%以上</code></p>\n<pre>中\n文</pre>"
            "<a class=\"md-button\">统计</a>\n<a class=\"md-button\">模板</a><p>A\nB 中 文</p>")
    assert join_lines(html) == (
        "<p>点击任一数字或条形，即可在<a href=\"x\">案例检索</a>中查看。</p>\n<p>单元格、怎么改"
        "<strong>链接</strong>（原文）、<code>95%以上</code></p>\n<pre>中\n文</pre>"
        "<a class=\"md-button\">统计</a>\n<a class=\"md-button\">模板</a><p>A\nB 中 文</p>")


@pytest.mark.parametrize(("title", "name"), [
    ("积分制管理细则（范本）", "积分制管理细则（范本）.docx"),
    ('“三会五员”设置方案 <村>: a/b\\c|d?e*f"g{h} . ', "“三会五员”设置方案 ＜村＞： a／b＼c｜d？e＊f＂g｛h｝.docx"),
    ("名称\t\n换行\x07", "名称 换行.docx"),
    ("[点我](javascript:alert(9)) *强调* _x_ `c` &#91; !",
     "［点我］（javascript：alert（9）） ＊强调＊ ＿x＿ ｀c｀ ＆＃91; ！.docx"),
])
def test_download_names_are_valid_windows_file_names(title: str, name: str) -> None:
    assert file_name(title, ".docx") == name


def test_the_sanitizer_keeps_a_download_name() -> None:
    link = '<a download="积分制管理细则（范本）.docx" href="../downloads/points-rules.docx"'
    assert sanitize(f'{link} onclick="x()">下载 Word</a>') == f"{link}>下载 Word</a>"
