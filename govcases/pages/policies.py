"""Policy pages: each plan's actions, tasks and targets, with the cases that practise each task."""

from __future__ import annotations

from dataclasses import dataclass

from govcases.pages.render import render
from govcases.records.library import Library
from govcases.records.model import Case
from govcases.records.policy import Policy, PolicyAction, PolicyTask, Target
from govcases.records.taxonomy import Term

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TaskView:
    """A task as its page shows it: number, practice types resolved to terms, and its matching cases."""

    number: int
    task: PolicyTask
    types: list[Term]
    cases: list[tuple[Case, list[Term]]]  # each case with the practice types it shares with the task


@dataclass(frozen=True)
class ActionView:
    """An action with its tasks and every case that practises any of them."""

    number: int
    action: PolicyAction
    tasks: list[TaskView]
    cases: list[Case]

    @property
    def numeral(self) -> str:
        """The action's number as the source writes it (一、二 …)."""
        return NUMERALS[self.number - 1] if self.number <= len(NUMERALS) else str(self.number)


@dataclass(frozen=True)
class TargetRow:
    """One line of the targets table: the target and where it sits in the plan."""

    target: Target
    action_number: int
    action: PolicyAction
    task_number: int
    task: PolicyTask


def cases_for_types(lib: Library, type_ids: tuple[str, ...]) -> list[tuple[Case, list[Term]]]:
    """Cases sharing at least one of `type_ids`, most shared types first, then by id."""
    out = []
    for case in lib.cases:
        shared = [t for t in type_ids if t in case.record.practice_types]
        if shared:
            out.append((case, [lib.taxonomy.type_by_id(t) for t in shared]))
    return sorted(out, key=lambda pair: (-len(pair[1]), pair[0].id))


def action_views(lib: Library, policy: Policy) -> list[ActionView]:
    """The plan's actions and tasks, numbered as in the source, each with the cases that practise it."""
    views = []
    for a, action in enumerate(policy.record.actions, 1):
        tasks = [
            TaskView(t, task, [lib.taxonomy.type_by_id(x) for x in task.practice_types],
                     cases_for_types(lib, task.practice_types))
            for t, task in enumerate(action.tasks, 1)
        ]
        seen = {case.id: case for view in tasks for case, _ in view.cases}
        views.append(ActionView(a, action, tasks, sorted(seen.values(), key=lambda c: c.id)))
    return views


def target_rows(policy: Policy) -> list[TargetRow]:
    """Every quantified target of the plan, in document order."""
    return [
        TargetRow(target, a, action, t, task)
        for a, action, t, task in policy.record.tasks()
        for target in task.targets
    ]


def policy_pages(lib: Library) -> dict[str, str]:
    """`policies/index.md` (政策对照) and one page per policy at `policies/<id>.md`."""
    policies: list[Policy] = list(lib.policies)
    pages = {}
    linked: dict[str, int] = {}
    for policy in policies:
        actions = action_views(lib, policy)
        linked[policy.id] = len({c.id for view in actions for c in view.cases})
        pages[f"policies/{policy.id}.md"] = render(
            "policy_page.md.j2", lib=lib, policy=policy, rec=policy.record,
            actions=actions, targets=target_rows(policy), linked=linked[policy.id],
            task_count=sum(len(view.tasks) for view in actions),
        )
    targets = {p.id: len(target_rows(p)) for p in policies}
    pages["policies/index.md"] = render(
        "policies_index.md.j2", lib=lib, policies=policies, linked=linked, targets=targets
    )
    return pages
