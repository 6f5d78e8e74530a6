"""The search box's share of the analysis (govcases.search.material): what it adds to Material's lunr index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS

from govcases.records.library import Library, load_library
from govcases.search.fields import LUNR_BOOSTS as FIELDS
from govcases.search.fields import own_words, place_names, suffixes
from govcases.search.material import MATERIAL_SEPARATOR, enrich, lone_separator, prefixes

ZW = "\u200b"


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


def test_prefixes_and_suffixes_make_every_part_of_a_word_a_word_start() -> None:
    assert prefixes(["村规民约", "积分", "a+b"]) == ["村规", "村规民"]
    assert suffixes(["村规民约"]) == ["规民约", "民约"]
    assert suffixes(["村规民约", "民约"]) == ["规民约", "民约"]


def terms(text: str, separator: str) -> list[str]:
    """The index terms Material's tokenizer makes of `text`: each run between HTML tags split at `separator`
    (its pattern reads the same in Python's re and in JavaScript)."""
    return [t for run in re.split(r"<[^>]*>", text) for t in re.split(separator, run) if t]


def test_a_chinese_character_alone_between_separators_is_no_term() -> None:
    separator = lone_separator()
    text = f"{ZW}面向县{ZW}、{ZW}乡{ZW}、{ZW}村干部{ZW}：按{ZW}实践{ZW}类型"
    assert "乡" in terms(text, MATERIAL_SEPARATOR)  # Material's own: 乡贤 would be searched as 乡*
    assert terms(text, separator) == ["面向县", "村干部", "：按", "实践", "类型"]
    assert terms(f"一{ZW}、{ZW}下载{ZW}报送表<b>说、商、办、评</b>", separator) == ["下载", "报送表"]
    # A character alone between tags stays a term, as a query of one character must still be searched.
    assert terms("<td>县</td>", separator) == ["县"] and terms("乡贤", separator) == ["乡贤"]
    assert lone_separator(separator) == separator


def test_own_words_weigh_the_main_type_and_hold_every_part(lib: Library) -> None:
    case = lib.by_id["sichuan-miyi-1357"]
    terms = own_words(lib.taxonomy, case.record)
    assert terms.count("村规民约") > terms.count("红黑榜") >= 1  # main type first and weighted
    assert {"民约", "理事会", "村民公约", "1357", "一张公约"} <= set(terms)
    assert "攀枝花" in place_names(case.record) and "米易" in place_names(case.record)
    model = own_words(lib.taxonomy, lib.by_id["sichuan-miyi-caochang-garbage"].record)
    assert "政府+群众+企业" in model and "群众" in model


def test_enrich_fills_case_pages_and_declares_fields(lib: Library) -> None:
    index = {
        "config": {"fields": {"title": {"boost": 1000}, "text": {"boost": 1}, "tags": {"boost": 1e6}}},
        "docs": [
            {"location": "cases/sichuan-xichang-three-paths/", "title": f"西昌市{ZW}：{ZW}红色{ZW}片长",
             "text": f"{ZW}凉山彝族自治州{ZW}的{ZW}做法", "tags": ["红白理事会/移风易俗"]},
            {"location": "cases/sichuan-xichang-three-paths/#_1", "title": "背景", "text": "正文"},
            {"location": "types/points.html", "title": "积分制", "text": f"{ZW}积分超市{ZW}"},
        ],
    }
    out = enrich(index, lib)
    assert out["config"]["separator"] == lone_separator()
    fields = out["config"]["fields"]
    assert fields["tags"] == {"boost": 1e6}  # the site's own choice is kept
    assert all(name in fields for name in FIELDS)
    case, section, other = out["docs"]
    assert "凉山" in case["place"] and "红白理事会" in case["keys"]
    assert "彝族自治州" in case["parts"] and "凉山彝" in case["cut"]
    assert "keys" not in section and "parts" not in section
    assert "keys" not in other and "超市" in other["parts"] and "积分超" in other["cut"]
    assert case["text"] == f"{ZW}凉山彝族自治州{ZW}的{ZW}做法"  # Material's text as it was


def test_the_offline_copy_keeps_material_index_with_the_fields(offline_site: Path) -> None:
    # The copy opened from disk cannot fetch index files, so it keeps Material's one-file index, enriched.
    index = json.loads((offline_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["tags"] == {"boost": FIELDS["tags"]}
    assert {"keys", "place", "parts", "cut"} <= set(index["config"]["fields"])
    first = next(d for d in index["docs"] if d["location"] == "cases/sichuan-miyi-1357.html")
    assert "村规民约" in first["keys"] and "米易" in first["place"]
    separator = index["config"]["separator"]
    singles = {(d["location"], f, t) for d in index["docs"] for f, v in d.items() if f not in ("location", "boost")
               for x in (v if isinstance(v, list) else [v]) for t in terms(x, separator)
               if re.fullmatch("[\u3400-\u4dbf\u4e00-\u9fff]", t)}
    assert singles == set()  # a two-character query starting with one would be cut to that character


def test_the_offline_index_holds_no_button_or_column_labels(offline_site: Path) -> None:
    index = json.loads((offline_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    region = [d["text"].replace("\u200b", "") for d in index["docs"]
              if d["location"].startswith("regions/sichuan/deyang/luojiang.html")]
    assert region[0] == "<p>上级：德阳市 · 全部地区</p>"
    assert region[1].startswith("安家村：")
    assert not [t for t in region if "导出 Word 汇编" in t or "命名模式" in t]
