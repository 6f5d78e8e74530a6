"""Schema v2 rules, each with its exact Chinese message: evidence, counted procedures, relative time, figures
parsed from their written form, figure sources and excerpts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES

from govcases.records.load import load_case, load_taxonomy
from govcases.records.model import Figure, Source, date_label
from govcases.records.numerals import named_count
from govcases.records.taxonomy import Taxonomy

CASES = FIXTURES / "project" / "cases"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    tax, problems = load_taxonomy(CASES)
    assert tax is not None and not problems
    return tax


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    return yaml.safe_load((CASES / "sichuan-luojiang-anjia-points.yaml").read_text(encoding="utf-8"))


def problems(tmp_path: Path, taxonomy: Taxonomy, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) of every problem of `data` written as a case file."""
    path = tmp_path / "test-case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    case, found = load_case(path, taxonomy)
    assert (case is None) == bool(found)
    return [(p.field, p.message) for p in found]


def test_the_fixture_record_is_valid(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    assert problems(tmp_path, taxonomy, base) == []


# --- evidence -----------------------------------------------------------------------------------------------

def test_every_type_and_dimension_needs_evidence(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    del data["evidence"]["红黑榜"], data["evidence"]["德治"]
    assert problems(tmp_path, taxonomy, data) == [("evidence", (
        "缺少这些实践类型或治理维度的分类依据：红黑榜、德治；请在 evidence 下各写一条，"
        "说明哪一步做法或来源哪句话体现了它"))]
    del data["evidence"]
    [(field, message)] = problems(tmp_path, taxonomy, data)
    assert field == "evidence"
    assert message.startswith("缺少这些实践类型或治理维度的分类依据：积分制、红黑榜、村规民约、")


def test_evidence_for_an_unlisted_term_is_refused(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["evidence"]["智治"] = "来源：建立微信群"
    assert problems(tmp_path, taxonomy, data) == [("evidence.智治", (
        "“智治”不在本案例的 practice_types 或 dimensions 里；请删掉这一条，或把它加进类型或维度"))]


def test_evidence_may_name_a_term_by_id_and_a_shared_name_once(tmp_path: Path, taxonomy: Taxonomy,
                                                                base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["evidence"]["points"] = data["evidence"].pop("积分制")
    data["practice_types"].append("党建引领")  # both a type and a dimension: one entry covers both
    assert problems(tmp_path, taxonomy, data) == []


# --- procedures ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "count"), [
    ("六步议事", 6), ("八步工作法", 8), ("五严禁", 5), ("七有", 7), ("三优先", 3), ("七个好", 7),
    ("联动服务“八步工作法”", 8), ("“1+19”", None), ("1+6+N 协商主体", None), ("四议两公开", None),
    ("三会五员", None), ("四议四听", None), ("十年车马灯", None), ("邻里互助会救助", None), ("一约", None),
])
def test_named_count(name: str, count: int | None) -> None:
    assert named_count(name) == count


def _procedure(name: str, n: int, **extra: Any) -> dict[str, Any]:
    return {"name": name, "steps": [{"text": f"第{i}步", "actor": "村民"} for i in range(1, n + 1)], **extra}


def test_a_counted_name_must_list_every_item(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["procedures"] = [_procedure("六步议事", 2), _procedure("五严禁", 5), _procedure("四议两公开", 6)]
    assert problems(tmp_path, taxonomy, data) == [("procedures[0].steps", (
        "名称“六步议事”是 6 项，steps 只列了 2 项；请按来源顺序补全全部 6 项，"
        "来源本身只列出 2 项时写 source_lists: 2"))]


def test_source_lists_says_the_source_lists_fewer(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["procedures"] = [_procedure("六步议事", 2, source_lists=2)]
    assert problems(tmp_path, taxonomy, data) == []
    data["procedures"] = [_procedure("六步议事", 2, source_lists=3)]
    assert problems(tmp_path, taxonomy, data) == [("procedures[0].source_lists", (
        "source_lists 是 3，但 steps 列了 2 项；来源列出几项就写几项，两者应相等"))]


# --- relative time ------------------------------------------------------------------------------------------

def test_relative_time_needs_an_anchor(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["results"][0] = "去年以来，目前全村" + data["results"][0]
    data["figures"][1]["label"] = "近三年纳入积分管理的工业企业"
    data["figures"][2]["label"] = "5年来纳入积分管理的家庭农场（2021年来）"  # 2021年来 is a date, not relative
    hint = ("是相对时间，读者不知道指哪一年；请在记录开头写 as_of: 来源发布日期（如 2022-10），"
            "或按来源日期改写成具体年份")
    assert problems(tmp_path, taxonomy, data) == [
        ("results[0]", "“去年”“目前”" + hint), ("figures[1].label", "“近三年”" + hint),
        ("figures[2].label", "“5年来”" + hint)]
    data["figures"][1]["as_of"] = "2022-10"  # the figure's own date anchors the figure only
    data["figures"][2]["as_of"] = 2022
    assert problems(tmp_path, taxonomy, data) == [("results[0]", "“去年”“目前”" + hint)]
    data["as_of"] = "2022-10"
    assert problems(tmp_path, taxonomy, data) == []


def test_dates_keep_their_precision() -> None:
    assert [date_label(d) for d in ("2022", "2022-10", "2022-10-08")] == ["2022年", "2022年10月", "2022年10月8日"]
    source = Source.model_validate({"title": "t", "publisher": "p", "date": 2022})
    assert source.date == "2022" and source.date_label() == "2022年"


# --- figures ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "value", "value_to", "unit", "qualifier", "amount"), [
    ("千余名", 1000, None, "名", "余", 1000),
    ("近百名", 100, None, "名", "近", 100),
    ("2万余人次", 2, None, "万人次", "余", 20000),  # the value stays in the unit the source writes
    ("半年", 0.5, None, "年", None, 0.5),
    ("95%以上", 95, None, "%", "以上", 95),
    ("300—500户", 300, 500, "户", None, 300),
    ("约520万元/年", 520, None, "万元/年", "约", 5_200_000),
    ("两千多户", 2000, None, "户", "多", 2000),
    ("3.2亿元", 3.2, None, "亿元", None, 320_000_000),
    ("数十个", None, None, None, None, None),  # no number to sort by; still shown as written
    ("三分之一", None, None, None, None, None),
])
def test_figures_are_parsed_from_what_the_source_writes(written: str, value: float | None, value_to: float | None,
                                                        unit: str | None, qualifier: str | None,
                                                        amount: float | None) -> None:
    figure = Figure(label="x", written=written)
    assert (figure.value, figure.value_to, figure.unit, figure.qualifier) == (value, value_to, unit, qualifier)
    assert figure.display() == written
    assert figure.amount() == amount


def test_a_figure_needs_written_or_value(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["figures"][0] = {"label": "常住户"}
    assert problems(tmp_path, taxonomy, data) == [
        ("figures[0]", "请填写 written（照原文写数字，如 1万余户）或 value（数值）")]


def test_compared_figures_are_explicit(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    path = tmp_path / "test-case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    case, _ = load_case(path, taxonomy)
    assert case is not None and case.record.compared_figures() == case.record.figures[:3]
    data["figures"][5]["compare"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    case, _ = load_case(path, taxonomy)
    assert case is not None and case.record.compared_figures() == (case.record.figures[5],)


def test_a_figure_names_an_existing_source(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["figures"][0]["source"] = 2
    assert problems(tmp_path, taxonomy, data) == [
        ("figures[0].source", "来源编号 2 不存在：本案例只有 1 条来源（从 1 数起）")]


def test_figures_must_appear_in_their_source_excerpts(tmp_path: Path, taxonomy: Taxonomy,
                                                      base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["figures"] = [{"label": "常住户", "written": "978户"}, {"label": "工业企业", "value": 16, "unit": "家"}]
    data["sources"][0]["excerpts"] = ["将全村978户常住户、16家工业企业以及6个家庭农场明确为积分制管理对象"]
    assert problems(tmp_path, taxonomy, data) == []
    data["figures"][1]["value"] = 18
    assert problems(tmp_path, taxonomy, data) == [("figures[1].value", (
        "“18家”在来源的摘录（excerpts）里找不到；请照摘录原文填写 written，或把含这个数字的原文句子加进摘录"))]
    data["sources"].append({**data["sources"][0], "excerpts": ["16家工业企业和18家企业"]})
    data["figures"][1]["source"] = 1
    assert problems(tmp_path, taxonomy, data)[0][1].startswith("“18家”在第 1 条来源的摘录（excerpts）里找不到；")
    data["figures"][1] = {"label": "工业企业", "written": "１６家"}  # full-width as typed in Word: the same figure
    assert problems(tmp_path, taxonomy, data) == []
    data["figures"][1] = {"label": "家庭农场", "written": "6-8个"}  # a dash the source does not have is not folded
    assert problems(tmp_path, taxonomy, data)[0][1].startswith("“6-8个”在来源的摘录（excerpts）里找不到；")
    data["figures"][1] = {"label": "工业企业", "value": 16, "unit": "家", "source": 1}
    data["sources"][0]["excerpts"].append("摘" * 201)
    assert ("sources[0].excerpts[1]", "摘录有 201 字，超过 200 字；只摘含数字的那一两句") in problems(
        tmp_path, taxonomy, data)


def test_a_figure_written_without_the_unit_its_excerpt_has(tmp_path: Path, taxonomy: Taxonomy,
                                                            base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["figures"] = [{"label": "参与积分的户数", "written": "320"}, {"label": "排名", "written": "2"},
                       {"label": "户数", "written": "1320"}, {"label": "比例", "written": "1:3"}]
    data["sources"][0]["excerpts"] = ["全村320户参与积分，综合排名全县第2名", "户数达1320，干群比1:3人"]
    assert problems(tmp_path, taxonomy, data) == [
        ("figures[0].written", "摘录里“320”后面紧跟着单位（320户）；请连同单位照原文写，如“320户”"),
        ("figures[1].written", "摘录里“2”后面紧跟着单位（第2名）；请连同单位照原文写，如“第2名”")]
    data["sources"][0]["excerpts"] = ["共1320户参与积分"]  # 320 is only a part of 1320 there
    data["figures"][1:] = []
    assert problems(tmp_path, taxonomy, data) == [("figures[0].written", (
        "“320”在来源的摘录（excerpts）里找不到；请照摘录原文填写 written，或把含这个数字的原文句子加进摘录"))]
    data["sources"][0]["excerpts"] = ["参与积分的有 320 户中的 320，另有320户"]  # standing alone once is enough
    assert problems(tmp_path, taxonomy, data) == []


def test_old_top_level_analysis_fields_are_gone(tmp_path: Path, taxonomy: Taxonomy, base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["conditions"] = data["analysis"].pop("conditions")
    assert [f for f, _ in problems(tmp_path, taxonomy, data)] == ["conditions"]
