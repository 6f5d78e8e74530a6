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
from govcases.search.material import enrich, glue, prefixes

ZW = "\u200b"
SEPARATOR = re.compile(r"[\s\u200b\u3000\-、。，．？！；]+")  # Material's for language zh


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


def test_prefixes_and_suffixes_make_every_part_of_a_word_a_word_start() -> None:
    assert prefixes(["村规民约", "积分", "a+b"]) == ["村规", "村规民"]
    assert suffixes(["村规民约"]) == ["规民约", "民约"]
    assert suffixes(["村规民约", "民约"]) == ["规民约", "民约"]


def test_glue_leaves_no_one_character_word_it_can_join_and_no_text_change() -> None:
    text = f"{ZW}米易县{ZW}：“1357”{ZW}模式{ZW}让{ZW}村民{ZW}管好{ZW}村里{ZW}事{ZW} {ZW}村{ZW}党支部{ZW}、{ZW}乡{ZW}、"
    glued = glue(text)
    assert glued.replace(ZW, "") == text.replace(ZW, "")
    words = [w for w in SEPARATOR.split(glued) if w]
    # 乡 between two separators has no neighbour to join (Material's tokenizer splits at 、 anyway)
    assert [w for w in words if len(w) == 1] == ["乡"]
    assert "模式让" in words and "村党支部" in words and "村里事" in words


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
    fields = out["config"]["fields"]
    assert fields["tags"] == {"boost": 1e6}  # the site's own choice is kept
    assert all(name in fields for name in FIELDS)
    case, section, other = out["docs"]
    assert "凉山" in case["place"] and "红白理事会" in case["keys"]
    assert "彝族自治州" in case["parts"] and "凉山彝" in case["cut"]
    assert "keys" not in section and "parts" not in section
    assert "keys" not in other and "超市" in other["parts"] and "积分超" in other["cut"]
    assert case["text"] == f"{ZW}凉山彝族自治州的{ZW}做法"  # 的 joined to the word before it


def test_the_offline_copy_keeps_material_index_with_the_fields(offline_site: Path) -> None:
    # The copy opened from disk cannot fetch index files, so it keeps Material's one-file index, enriched.
    index = json.loads((offline_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["tags"] == {"boost": FIELDS["tags"]}
    assert {"keys", "place", "parts", "cut"} <= set(index["config"]["fields"])
    first = next(d for d in index["docs"] if d["location"] == "cases/sichuan-miyi-1357.html")
    assert "村规民约" in first["keys"] and "米易" in first["place"]
    singles = {w for d in index["docs"] for w in SEPARATOR.split(re.sub("<[^>]+>", " ", d["text"]))
               if re.fullmatch("[\u4e00-\u9fff]", w)}
    assert len(singles) < 100, sorted(singles)  # 65 on 22 cases: those between two separators


def test_the_offline_index_holds_no_button_or_column_labels(offline_site: Path) -> None:
    index = json.loads((offline_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    region = [d["text"].replace("\u200b", "") for d in index["docs"]
              if d["location"].startswith("regions/sichuan/deyang/luojiang.html")]
    assert region[0] == "<p>上级：德阳市 · 全部地区</p>"
    assert region[1].startswith("安家村：")
    assert not [t for t in region if "导出 Word 汇编" in t or "命名模式" in t]
