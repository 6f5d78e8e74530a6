"""Policy records (e.g. the Guangxi 2021–2025 action plan): their format, loading and validation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from govcases.records.errors import Problem
from govcases.records.files import record_files
from govcases.records.load import check_terms, load_record
from govcases.records.model import PREFIX_QUALIFIERS, Figure, Text, Url, join_cjk_lines
from govcases.records.taxonomy import Taxonomy
from govcases.records.yamlsource import Loc, YamlDoc


def _join_lines(value: object) -> object:
    if isinstance(value, str):
        return join_cjk_lines(value)
    if isinstance(value, list):
        return [_join_lines(v) for v in value]
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Target(Figure):
    """A quantified target of a task: a figure as the source states it, with the verb before it (达到、达)."""

    lead: Literal["达到", "达"] | None = Field(None, description="数字前的动词，照来源：达到 / 达；没有不写")

    @model_validator(mode="after")
    def _one_prefix(self) -> Target:
        if self.lead and self.qualifier in PREFIX_QUALIFIERS:
            raise ValueError(f"lead “{self.lead}”和 qualifier “{self.qualifier}”只能写一个；请照来源保留其中一个")
        return self

    def display(self) -> str:
        """The target as the source writes it: 达到75%以上, 1个以上, 达到300个 (`written` wins when given)."""
        return self.written or f"{self.lead or ''}{super().display()}"


class PolicyTask(_Frozen):
    """One task (具体任务) of an action: its heading, a paraphrase, the practice types it calls for."""

    heading: Text = Field(description="任务标题，照原文，如 “深化村级议事协商制度”")
    description: Text = Field(description="任务内容，用自己的话概括，不照抄原文句子")
    practice_types: tuple[Text, ...] = Field(
        (), description="对应的实践类型（见 cases/_taxonomy.yaml，id 或中文名）；没有对应类型就留空"
    )
    targets: tuple[Target, ...] = Field((), description="量化目标，数字照原文")
    goals: tuple[Text, ...] = Field((), description="没有数字的目标（自己的话）")

    _join = field_validator("description", "goals", mode="before")(_join_lines)


class PolicyAction(_Frozen):
    """One action (行动) of a plan and its tasks."""

    name: Text = Field(description="行动名称，照原文，如 “基层党建强化行动”")
    tasks: tuple[PolicyTask, ...] = Field(min_length=1)


class PolicyRecord(_Frozen):
    """A policy document mapped to practice: one YAML file in `cases/_policies/`."""

    title: Text = Field(description="文件标题，照原文")
    short_title: Text | None = Field(None, description="简称，用于列表和导航")
    notice_title: Text | None = Field(None, description="印发通知的标题（如有），照原文")
    doc_number: Text | None = Field(None, description="文号，如 桂农厅发〔2022〕1号")
    issuers: tuple[Text, ...] = Field(min_length=1, description="发文单位全称，照原文落款")
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = Field(
        description="成文或印发日期 YYYY-MM-DD"
    )
    region: Text | None = Field(None, description="适用地区，如 广西壮族自治区")
    period: Text | None = Field(None, description="实施期，照原文，如 2021—2025年")
    target_year: StrictInt | None = Field(None, ge=1949, le=2100, description="量化目标的年份")
    summary: Text = Field(description="摘要：2–4 句，自己的话")
    goal: Text | None = Field(None, description="总体目标，自己的话")
    actions: tuple[PolicyAction, ...] = Field(min_length=1)
    url: Url | None = None

    _join = field_validator("summary", "goal", mode="before")(_join_lines)

    @field_validator("date", mode="before")
    @classmethod
    def _date_to_text(cls, value: object) -> object:
        return value.isoformat() if hasattr(value, "isoformat") else value

    def tasks(self) -> Iterator[tuple[int, PolicyAction, int, PolicyTask]]:
        """Every task with its action, numbered from 1 as in the source: (1, action, 2, task)."""
        for a, action in enumerate(self.actions, 1):
            for t, task in enumerate(action.tasks, 1):
                yield a, action, t, task


class Policy(BaseModel):
    """A validated policy record with its id (the file name) and the file it came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    record: PolicyRecord


def _type_problems(doc: YamlDoc, taxonomy: Taxonomy) -> list[Problem]:
    """Unknown practice types anywhere in the tasks (checked on raw data, so always reported)."""
    data: Any = doc.data if isinstance(doc.data, dict) else {}
    actions = data.get("actions")
    problems = []
    for a, action in enumerate(actions if isinstance(actions, list) else []):
        tasks = action.get("tasks") if isinstance(action, dict) else None
        for t in range(len(tasks) if isinstance(tasks, list) else 0):
            loc: Loc = ("actions", a, "tasks", t, "practice_types")
            problems += check_terms(doc, loc, taxonomy.type, taxonomy.practice_types, "实践类型")
    return problems


def _normalise(record: PolicyRecord, taxonomy: Taxonomy) -> PolicyRecord:
    """Practice types written as Chinese names become ids."""
    def ids(task: PolicyTask) -> tuple[str, ...]:
        return tuple(dict.fromkeys(taxonomy.type_by_id(t).id for t in task.practice_types))

    def tasks(action: PolicyAction) -> tuple[PolicyTask, ...]:
        return tuple(t.model_copy(update={"practice_types": ids(t)}) for t in action.tasks)

    actions = tuple(a.model_copy(update={"tasks": tasks(a)}) for a in record.actions)
    return record.model_copy(update={"actions": actions})


def load_policy(path: Path, taxonomy: Taxonomy) -> tuple[Policy | None, list[Problem]]:
    """Load, validate and normalise one policy file."""
    record, shown, problems = load_record(path, PolicyRecord, "政策文件", "guangxi-rural-governance-2021-2025.yaml",
                                          lambda doc: _type_problems(doc, taxonomy))
    if record is None:
        return None, problems
    return Policy(id=path.stem, path=shown, record=_normalise(record, taxonomy)), []


def load_policies(policies_dir: Path, taxonomy: Taxonomy) -> tuple[list[Policy], list[Problem]]:
    """Load every policy record in `policies_dir`; unknown practice types are problems."""
    if not policies_dir.is_dir():
        return [], []
    policies: list[Policy] = []
    seen: dict[str, str] = {}
    files, problems = record_files(policies_dir)
    for path in files:
        policy, found = load_policy(path, taxonomy)
        problems += found
        if policy is None:
            continue
        if policy.id in seen:
            message = f"政策文件 id “{policy.id}”重复（{seen[policy.id]} 也用了它）；请给其中一个文件改名"
            problems.append(Problem(policy.path, 0, 0, "", message))
            continue
        seen[policy.id] = policy.path
        policies.append(policy)
    return policies, problems
