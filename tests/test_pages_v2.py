"""What schema v2 shows a reader: the editorial analysis apart from the source, complete procedures, the anchor
date; and a `govcases new` skeleton that cannot pass validation until every required field is really filled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from govcases.cli import main
from govcases.pages.build import case_context, cases_json, type_pages
from govcases.pages.render import render
from govcases.records.library import Library, load_library
from govcases.search.related import record_body


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(FIXTURES / "project")


def page(lib: Library, case_id: str) -> str:
    return render("case.md.j2", **case_context(lib, lib.by_id[case_id]))


def test_analysis_is_a_labelled_block_and_background_only_when_the_source_gives_one(lib: Library) -> None:
    text = page(lib, "sichuan-miyi-1357")
    assert "## 背景与问题" not in text  # this record has no source background, only our reading of it
    block = text.split('!!! editorial "编者分析（非原文内容）"', 1)[1].split("\n## ", 1)[0]
    assert "以下是本库编者的判断，不是来源原文的内容" in block
    assert "    **背景判断：**村级治理存在短板" in block
    assert "    **需要的条件：**" in block and "    **借鉴要点：**" in block
    assert "## 背景与问题" in page(lib, "sichuan-luojiang-anjia-points")


def test_procedures_are_numbered_with_their_actors(lib: Library) -> None:
    text = page(lib, "sichuan-miyi-1357")
    assert ("### 四议\n\n*按来源顺序列出全部条目，破折号后是来源写明的实施主体：*\n\n"
            "1. 提议 —— 村党支部\n2. 商议 —— 村“两委”会\n3. 审议 —— 党员大会\n"
            "4. 决议 —— 村民（村民代表）大会\n") in text


def test_a_shorter_source_list_is_said(lib: Library) -> None:
    case = lib.by_id["sichuan-miyi-1357"]
    proc = case.record.procedures[0].model_copy(update={"name": "六步议事", "source_lists": 4})
    rec = case.record.model_copy(update={"procedures": (proc,), "as_of": "2022-10"})
    context = {**case_context(lib, case), "rec": rec}
    text = render("case.md.j2", **context)
    assert "### 六步议事\n\n*来源只列出4项：*\n\n1. 提议" in text
    assert "| 时间基准 | 文中“去年”“目前”等时间以2022年10月为准 |" in text


def test_footer_says_what_is_source_and_what_is_ours(lib: Library) -> None:
    footer = page(lib, "sichuan-miyi-1357").rsplit("<small>", 1)[1]
    assert footer.startswith("本页的摘要、主要做法、具名做法的条目、成效、关键数据、获得认定"
                             "依据上述来源概括改写，数字照录原文；"
                             "“分类依据”和“编者分析”是本库编者的判断，不是来源的内容。")


def test_evidence_is_shown_compactly(lib: Library) -> None:
    text = page(lib, "sichuan-luojiang-anjia-points")
    assert '??? info "分类依据"\n\n    - **积分制**：做法“划定积分对象”' in text
    # on paper: one run-on paragraph under the facts, marked as the editors' judgement, outside the search index
    assert ('| 年份 | 2022 |\n\n<p class="gc-basis gc-print-only" data-search-exclude>'
            '<strong>分类依据</strong><small>（编者判断）</small>　<b>积分制</b>：做法“划定积分对象”：全村常住户、'
            '企业和家庭农场纳入积分管理；<b>红黑榜</b>：来源：评议积分低于7分的列入“黑名单”并黑榜公示；') in text


def test_type_pages_keep_the_analysis_apart(lib: Library) -> None:
    text = type_pages(lib)["types/points.md"]
    table, rest = text.split('??? editorial "编者分析（非原文内容）：各案例的条件与借鉴要点"', 1)
    assert "村党组织要有较强的动员" not in table and "村党组织要有较强的动员" in rest


def test_open_data_keeps_the_analysis_in_its_own_object(lib: Library) -> None:
    data = json.loads(cases_json(lib))
    assert "编者分析（非原文内容）" in data["notes"]["analysis"]
    row = next(r for r in data["cases"] if r["id"] == "sichuan-miyi-1357")
    assert set(row["analysis"]) == {"background", "conditions", "transferability"}
    assert "conditions" not in row and "background" not in row


def test_search_text_holds_only_what_the_source_says(lib: Library) -> None:
    rec = lib.by_id["sichuan-miyi-1357"].record
    body = record_body(rec)
    assert rec.analysis is not None and rec.analysis.conditions is not None
    assert rec.analysis.conditions not in body and "村级治理存在短板" not in body
    assert "决议" in body  # procedure steps are the source's and are found


# --- `govcases new` -----------------------------------------------------------------------------------------

# A real filling of every blank of the skeleton; the test fails when the skeleton gains a blank not listed here.
FILL = {
    "【案例标题，自己的话】": "安家村：积分管理",
    "【命名的模式或口号】": "小积分",
    "【省级全称】": "四川省",
    "【市（州）】": "德阳市",
    "【县（市、区）】": "罗江区",
    "【乡镇】": "金山镇",
    "【村】": "安家村",
    "【层级】": "村",
    "【年份】": "2022",
    "[【实践类型】]": "[积分制]",
    "[【治理维度】]": "[自治]",
    "【类型或维度名称】: 【依据，如 做法“建立积分台账”：按户记分】": "积分制: 做法“记分”\n  自治: 做法“表决”",
    "【2–4 句摘要：谁、做了什么、效果如何，20 秒读完。只写来源讲到的事实。】": "安家村把常住户纳入积分管理。",
    "【小标题】": "划定对象",
    "【具体做法一】": "常住户纳入积分管理。",
    "【成效一】": "村民参与增多。",
    "【这个数字说明什么】": "纳入积分管理的常住户",
    "【照原文写数字和单位，如 1万余户、千余名、95%以上】": "978户",
    "【原文标题】": "“小积分”凝聚乡村治理“大合力”",
    "【发布单位】": "四川省农业农村厅",
    "【发布日期】": "2022-10-08",
    "【原文摘录】": "将全村978户常住户明确为积分制管理对象",
}


def _blanks(skeleton: str) -> list[str]:
    """The blanks outside comments, each as the key of FILL that covers it."""
    found = []
    for line in skeleton.splitlines():
        code = line.split(" #", 1)[0]
        if line.lstrip().startswith("#") or "【" not in code:
            continue
        key = next((k for k in FILL if k in code), code.strip())
        found.append(key)
    return found


def test_skeleton_fails_until_every_blank_is_really_filled(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert main(["new", "sichuan-test-case"]) == 0
    path = project / "cases" / "sichuan-test-case.yaml"
    skeleton = path.read_text(encoding="utf-8")
    # No plausible default a reader could leave in place: no province, year, date or figure.
    data = yaml.safe_load(skeleton)
    assert data["place"]["province"].startswith("【") and str(data["year"]).startswith("【")
    assert data["sources"][0]["date"].startswith("【") and data["figures"][0]["written"].startswith("【")
    assert not re.search(r"\b(19|20)\d\d\b", "\n".join(line.split("#")[0] for line in skeleton.splitlines()))
    blanks = _blanks(skeleton)
    assert sorted(set(blanks)) == sorted(FILL), "a new blank in the skeleton needs a filling in FILL"

    def validate(text: str) -> tuple[int, str]:
        path.write_text(text, encoding="utf-8")
        capsys.readouterr()
        code = main(["validate", "cases/sichuan-test-case.yaml"])
        return code, capsys.readouterr().out

    filled = skeleton
    for blank, value in FILL.items():
        filled = filled.replace(blank, value)
    assert validate(filled) == (0, "校验通过：1 个案例，没有错误。\n")
    for blank in FILL:  # leave any one blank and validation fails
        partly = skeleton
        for other, value in FILL.items():
            if other != blank:
                partly = partly.replace(other, value)
        code, out = validate(partly)
        assert code == 1 and "Traceback" not in out, blank
