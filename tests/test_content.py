"""The real case records: complete, unique and citing their sources."""

from __future__ import annotations

import pytest
from conftest import REPO

from govcases.records.library import load_library


@pytest.fixture(scope="module")
def lib():  # type: ignore[no-untyped-def]
    return load_library(REPO)


def test_all_seed_cases_are_in(lib) -> None:  # type: ignore[no-untyped-def]
    assert len(lib.cases) >= 22
    assert len({c.id for c in lib.cases}) == len(lib.cases)


def test_every_case_has_a_source_a_figure_and_a_practice_type(lib) -> None:  # type: ignore[no-untyped-def]
    for case in lib.cases:
        rec = case.record
        assert rec.sources and rec.figures and rec.practice_types, case.id
        for source in rec.sources:
            assert source.title and source.publisher and source.date, case.id


def test_sichuan_list_items_are_each_covered_once(lib) -> None:  # type: ignore[no-untyped-def]
    items = sorted(s.item for c in lib.cases for s in c.record.sources
                   if s.collection and "四川省乡村治理体系建设试点成果清单" in s.collection and s.item)
    assert items == list(range(1, 19))


def test_every_case_page_gets_three_to_five_related_cases(lib) -> None:  # type: ignore[no-untyped-def]
    from govcases.pages.build import related_cases

    for case in lib.cases:
        related = related_cases(lib, case)
        assert 3 <= len(related) <= 5, case.id
        assert case.id not in {c.id for c in related}
    anjia = [c.id for c in related_cases(lib, lib.by_id["sichuan-luojiang-anjia-points"])]
    # The other points systems are the first thing an official comparing 积分制 wants to see.
    points = [i for i in anjia if "points" in lib.by_id[i].record.practice_types]
    assert anjia[0] in points and len(points) >= 2, anjia


NEW_CASES = {  # cases added through the submission workbook, each found by its named practice
    "小微权力清单": "zhejiang-ninghai-xiaowei-quanli", "村民说事": "zhejiang-xiangshan-cunmin-shuoshi",
    "四议两公开": "henan-dengzhou-siyi-lianggongkai", "幸福村落": "hubei-zigui-xingfu-cunluo",
    "院落会议": "hunan-xinshao-yuanluo-huiyi", "颐养之家": "jiangxi-xinyu-yiyang-zhijia",
    "积分卡": "ningxia-jingyuan-xinqi-jifenka", "道德评议会": "shaanxi-hanbin-xianhe-daode-pingyi",
    "婚俗改革": "hebei-hejian-hunsu-gaige", "吃茶话事": "fujian-songxi-chicha-huashi",
}


@pytest.mark.parametrize(("query", "case_id"), NEW_CASES.items())
def test_new_cases_are_found_first_by_their_practice(query: str, case_id: str) -> None:
    from govcases.search.query import search

    assert [h.id for h in search(REPO, query)][:1] == [case_id]


def test_new_cases_come_from_provinces_not_covered_before(lib) -> None:  # type: ignore[no-untyped-def]
    provinces = {lib.by_id[i].record.place.province for i in NEW_CASES.values()}
    assert len(provinces) >= 5 and not provinces & {"四川省", "广西壮族自治区", "贵州省"}
