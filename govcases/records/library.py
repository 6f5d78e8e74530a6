"""Everything the site is built from, loaded and validated in one pass: taxonomy, cases, templates, policies."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from govcases.paths import CASES_DIR, POLICIES_DIR, TEMPLATES_DIR
from govcases.records.errors import Problem, ValidationFailed
from govcases.records.files import no_cases_problem, project_problem, record_files
from govcases.records.load import load_cases, load_taxonomy
from govcases.records.model import Case
from govcases.records.places import check_place_spellings
from govcases.records.policy import load_policies
from govcases.records.taxonomy import Taxonomy
from govcases.records.templates import load_templates

T = TypeVar("T")


@dataclass(frozen=True)
class Library:
    """The validated content of one project; every generator reads from this and nothing else."""

    root: Path
    taxonomy: Taxonomy
    cases: tuple[Case, ...]
    templates: tuple[Any, ...] = ()
    policies: tuple[Any, ...] = ()
    by_id: dict[str, Case] = field(default_factory=dict, compare=False, repr=False)
    # What later stages derive from the whole library once (the region tree, related cases), by the function
    # and arguments that made it: it lives and dies with this object, and the records know nothing of it.
    _derived: dict[tuple[Hashable, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({c.id: c for c in self.cases})

    def derived(self, make: Callable[..., T], *args: Hashable) -> T:
        """`make(self, *args)`, computed on the first call for this library and kept with it."""
        key = (make, *args)
        if key not in self._derived:
            self._derived[key] = make(self, *args)
        return self._derived[key]  # type: ignore[no-any-return]


def collect(
    root: Path, progress: Callable[[int, int], None] | None = None
) -> tuple[Library | None, list[Problem]]:
    """Load the whole project under `root`, returning every problem found in every file."""
    cases_dir = root / CASES_DIR
    if (missing := project_problem(root)) is not None:
        return None, [missing]
    taxonomy, problems = load_taxonomy(cases_dir)
    if taxonomy is None:
        return None, problems
    cases, found = load_cases([cases_dir], taxonomy, progress)
    problems += found + check_place_spellings(cases)
    files, _ = record_files(cases_dir)
    if not files and not found:
        problems.append(no_cases_problem(root))
    # Cross-references are checked against every case file, valid or not, so one bad case
    # does not also make each template that cites it look wrong.
    ids = {p.stem for p in files}
    templates, found = load_templates(root / TEMPLATES_DIR, ids)
    problems += found
    policies, found = load_policies(root / POLICIES_DIR, taxonomy)
    problems += found
    lib = Library(root, taxonomy, tuple(cases), tuple(templates), tuple(policies))
    return lib, problems


def load_library(root: Path, progress: Callable[[int, int], None] | None = None) -> Library:
    """The validated library, or ValidationFailed carrying every problem; `progress(done, total)` is
    called as the case records load."""
    lib, problems = collect(root, progress)
    if problems or lib is None:
        raise ValidationFailed(problems)
    return lib
