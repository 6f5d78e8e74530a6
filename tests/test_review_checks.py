"""The mechanical review of every live record (issue 13): named counts and relative time (the validator's
rules), figures found in the source text, and no field sharing a long run of characters with the source.

The 22 seed cases are checked against their source texts in ../shared/seeds (set GOVCASES_SHARED to use
another folder); without it those checks are skipped, and fail under GOVCASES_NO_SKIP=1. A record whose
sources keep `excerpts` is checked against them wherever it runs."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from govcases.records.checks import check_procedures, check_relative_time, figure_text
from govcases.records.library import Library, load_library
from govcases.records.load import case_files
from govcases.records.model import Case
from govcases.records.review import (
    SourceText,
    figures_missing,
    longest_run,
    own_words,
    prose_fields,
    read_seeds,
    seed_passage,
)
from govcases.records.yamlsource import load_yaml

SHARED = Path(os.environ.get("GOVCASES_SHARED") or REPO.parent / "shared")
SEEDS = SHARED / "seeds"
# Longest run of characters (punctuation ignored) one field may share with its source outside quoted terms,
# titles and list items. Copied clauses run 20+ characters; the longest own-words overlap in the seed
# records (a place name with a programme's name) is 19.
MAX_SHARED_RUN = 20

CASE_FILES = case_files([REPO / "cases"])


@cache
def _lib() -> Library:
    return load_library(REPO)


@cache
def _seeds() -> dict[str, str]:
    return read_seeds(SEEDS) if SEEDS.is_dir() else {}


def _need_seeds() -> None:
    if SEEDS.is_dir():
        return
    reason = f"{SEEDS} is absent: the seed cases' source texts are not here to check against"
    if os.environ.get("GOVCASES_NO_SKIP") == "1":
        pytest.fail(reason + " (GOVCASES_NO_SKIP=1)")
    pytest.skip(reason)


def _case(path: Path) -> Case:
    return _lib().by_id[path.stem]


def source_texts(case: Case) -> list[list[SourceText]]:
    """For each source of the case: its excerpts and, for a seed case, its passage in ../shared/seeds."""
    rec = case.record
    titles = [s.title for c in _lib().cases for s in c.record.sources]
    out = []
    for i, source in enumerate(rec.sources, 1):
        texts = [SourceText(e, f"sources[{i - 1}].excerpts") for e in source.excerpts]
        if not source.excerpts:
            _need_seeds()
            passage = seed_passage(source, _seeds(), titles, rec.place.parts())
            texts += [passage] if passage else []
        out.append(texts)
    return out


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_named_counts_and_relative_time(path: Path) -> None:
    doc, problem = load_yaml(path, path.name)
    assert doc is not None, problem
    offenders = [str(p) for p in check_procedures(doc) + check_relative_time(doc)]
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_figures_are_in_the_source_text(path: Path) -> None:
    case = _case(path)
    texts = source_texts(case)
    if not any(texts):
        pytest.fail(f"{case.id}: 找不到来源原文，请在 sources[].excerpts 里摘录含数字的原文")
    offenders = []
    for i, figure in enumerate(case.record.figures):
        own = texts[figure.source - 1] if figure.source else [t for ts in texts for t in ts]
        if figures_missing(case.record.model_copy(update={"figures": (figure,)}), [t.text for t in own]):
            offenders.append(f"{case.id}: figures[{i}]：“{figure.display()}”在来源原文里找不到")
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_figures_show_as_the_source_writes_them(path: Path) -> None:
    # Stricter than the check above, which folds dashes and lets number + unit stand for the figure: the form
    # a reader sees (300—500户 built from value/value_to, 达632名 from a qualifier) must be the source's own.
    case = _case(path)
    texts = source_texts(case)
    offenders = []
    for i, figure in enumerate(case.record.figures):
        own = texts[figure.source - 1] if figure.source else [t for ts in texts for t in ts]
        shown = figure_text(figure.display())
        if not any(shown in figure_text(t.text) for t in own):
            offenders.append(f"{case.id}: figures[{i}]：页面显示为“{figure.display()}”，来源原文不是这样写的；"
                             "请在 written 里照原文写")
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_no_field_copies_a_run_of_the_source(path: Path) -> None:
    case = _case(path)
    source = "\n".join(t.text for ts in source_texts(case) for t in ts)
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    offenders = []
    for field, text in prose_fields(data):
        run = longest_run(own_words(text), source)
        if len(run) > MAX_SHARED_RUN:
            offenders.append(f"{case.id}: {field}：与来源连续相同 {len(run)} 字“{run}”，请用自己的话改写"
                             "（专名、标题请加引号）")
    assert offenders == [], "\n".join(offenders)


def test_the_checks_find_what_they_look_for() -> None:
    """Each check fails on a record that breaks it (so a passing run means something)."""
    source = "创新推行“1357”村级治理模式，全县共有村级议事协商平台73个，累计开展协商856次。"
    assert longest_run(own_words("全县共有村级议事协商平台73个，累计开展协商856次"), source) == \
        "全县共有村级议事协商平台73个累计开展协商856次"
    assert longest_run(own_words("米易县推行“1357”村级治理模式"), source) == "村级治理模式"
    assert len(longest_run(own_words("乡贤、能人、村级议事协商平台"), source)) == len("村级议事协商平台")
    rec = _lib().cases[0].record
    assert figures_missing(rec, [""]) == [(i, f.display()) for i, f in enumerate(rec.figures)]
