"""Policy records: the real plan loads, bad practice types are located, pages link only to real cases."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from govcases.pages.policies import action_views, policy_pages
from govcases.records.library import Library, collect
from govcases.records.load import load_taxonomy
from govcases.records.policy import Policy, load_policies
from govcases.records.taxonomy import Taxonomy, allowed

ROOT = Path(__file__).resolve().parents[1]
POLICY_ID = "guangxi-rural-governance-2021-2025"
SOURCE = ROOT.parent / "shared" / "seeds" / "001_342f6d4d0c3b2644.txt"  # read-only, never committed
ACTIONS = ("基层党建强化行动", "村民自治完善行动", "乡村法治提升行动", "乡村德治普及行动", "多方协同推进行动")
TARGETS = {
    "自治区级民主法治示范村": "达到300个",
    "市级民主法治示范村": "达到1000个以上",
    "至少有1个法治文化宣传阵地的村所占比例": "80%",
    "每个村的法律明白人": "1个以上",
    "无案村和降发案村比例": "达80%以上",
    "县级以上文明村镇": "达到75%以上",
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    tax, problems = load_taxonomy(ROOT / "cases")
    assert tax is not None, problems
    return tax


@pytest.fixture(scope="module")
def lib() -> Library:
    # Case files are edited by others while this runs; policies must be clean, cases are whatever is valid.
    found, problems = collect(ROOT)
    assert found is not None
    assert not [p for p in problems if "_policies" in p.path], problems
    return found


@pytest.fixture(scope="module")
def policy(taxonomy: Taxonomy) -> Policy:
    policies, problems = load_policies(ROOT / "cases" / "_policies", taxonomy)
    assert problems == []
    assert [p.id for p in policies] == [POLICY_ID]
    return policies[0]


def test_real_policy_record_loads(policy: Policy, taxonomy: Taxonomy) -> None:
    rec = policy.record
    assert rec.title == "广西加强和改进乡村治理五年(2021—2025年)行动计划"
    assert rec.doc_number == "桂农厅发〔2022〕1号"
    assert rec.date == "2022-01-10"
    assert len(rec.issuers) == 8
    assert tuple(a.name for a in rec.actions) == ACTIONS
    assert [len(a.tasks) for a in rec.actions] == [4, 4, 6, 4, 5]
    targets = {t.label: t.display() for *_, task in rec.tasks() for t in task.targets}
    assert targets == TARGETS
    ids = {t.id for t in taxonomy.practice_types}
    for *_, task in rec.tasks():
        assert set(task.practice_types) <= ids  # Chinese names were normalised to ids
    # Folded YAML lines leave no stray spaces between Chinese characters.
    assert not re.search(r"[^\x00-\x7f] [^\x00-\x7f]", rec.summary)


@pytest.mark.skipif(not SOURCE.exists(), reason="source document not available")
def test_names_and_figures_match_the_source(policy: Policy) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    rec = policy.record
    for fact in (rec.title, rec.doc_number, rec.notice_title, *rec.issuers):
        assert fact and fact in text, fact
    assert "2022年1月10日" in text
    for _, action, _, task in rec.tasks():
        assert f"实施{action.name}" in text
        assert f"{task.heading}。" in text, task.heading
    compact = text.replace(" ", "")
    for figure in ("达到300个和1000个以上", "80%村至少有1个法治文化宣传阵地", "每个村有1个以上法律明白人",
                   "比例达80%以上", "文明村镇达到75%以上"):
        assert figure in compact, figure


def _write(tmp_path: Path, name: str, types: str) -> Path:
    folder = tmp_path / "pol"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(
        "title: 测试计划\n"
        "issuers: [某部门]\n"
        "date: 2022-01-10\n"
        "summary: 测试。\n"
        "actions:\n"
        "  - name: 测试行动\n"
        "    tasks:\n"
        "      - heading: 测试任务\n"
        "        description: 测试。\n"
        f"        practice_types: {types}\n",
        encoding="utf-8",
    )
    return folder


def test_unknown_practice_type_is_a_located_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy: Taxonomy
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, "demo-plan.yaml", "[积分制, 小积分, 无此类型]")
    policies, problems = load_policies(folder, taxonomy)
    assert policies == []
    every = allowed(taxonomy.practice_types)
    assert [str(p) for p in problems] == [
        "pol/demo-plan.yaml:10:31: actions[0].tasks[0].practice_types[1]："
        f"没有“小积分”这个实践类型；是不是“积分制”？可选：{every}",
        "pol/demo-plan.yaml:10:36: actions[0].tasks[0].practice_types[2]："
        f"没有“无此类型”这个实践类型；请改用词表里的实践类型（写中文名或 id）；可选：{every}",
    ]


def test_names_become_ids_and_file_names_must_be_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy: Taxonomy
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _write(tmp_path, "demo-plan.yaml", "[积分制, grid, 积分制]")
    policies, problems = load_policies(folder, taxonomy)
    assert problems == []
    assert policies[0].record.actions[0].tasks[0].practice_types == ("points", "grid")
    _write(tmp_path, "Bad Name.yaml", "[积分制]")
    _, problems = load_policies(folder, taxonomy)
    assert [p.path for p in problems] == ["pol/Bad Name.yaml"]
    assert problems[0].message == ("文件名“Bad Name.yaml”不能作为政策文件 id（它也是网页地址）；"
                                   "请改名，只用小写英文字母、数字和连字符，如 guangxi-rural-governance-2021-2025.yaml")


def test_pages_show_every_action_and_target(lib: Library) -> None:
    pages = policy_pages(lib)
    page = pages[f"policies/{POLICY_ID}.md"]
    for name in ACTIONS:
        assert name in page
        assert name in pages["policies/index.md"]
    for label, shown in TARGETS.items():
        assert f"| {label} | {shown} |" in page
    for *_, task in next(p for p in lib.policies if p.id == POLICY_ID).record.tasks():
        assert f". {task.heading}\n" in page
    assert f"]({POLICY_ID}.md)" in pages["policies/index.md"]


def _case_links(page: str) -> set[str]:
    return set(re.findall(r"\]\(\.\./cases/([^)]+)\.md\)", page))


def test_pages_link_only_to_existing_cases(lib: Library) -> None:
    page = policy_pages(lib)[f"policies/{POLICY_ID}.md"]
    assert _case_links(page) <= set(lib.by_id)
    assert all((ROOT / "cases" / f"{case_id}.yaml").exists() for case_id in _case_links(page))
    type_ids = {t.id for t in lib.taxonomy.practice_types}
    assert set(re.findall(r"\]\(\.\./types/([^)]+)\.md\)", page)) <= type_ids
    # With fewer cases in the base, the page links to exactly those that share a type with some task.
    kept = tuple(c for c in lib.cases if "mediation" in c.record.practice_types)[:2]
    small = dataclasses.replace(lib, cases=kept, by_id={})
    assert _case_links(policy_pages(small)[f"policies/{POLICY_ID}.md"]) == {c.id for c in kept}


def test_each_task_lists_the_cases_sharing_its_types(lib: Library) -> None:
    policy = next(p for p in lib.policies if p.id == POLICY_ID)
    for action in action_views(lib, policy):
        for view in action.tasks:
            wanted = set(view.task.practice_types)
            expected = {c.id for c in lib.cases if wanted & set(c.record.practice_types)}
            assert {c.id for c, _ in view.cases} == expected
            for case, shared in view.cases:
                assert shared and {t.id for t in shared} <= set(case.record.practice_types)
