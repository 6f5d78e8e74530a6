"""Checks of a case record's content that its fields alone cannot express (schema v2): evidence for every type
and dimension, counted procedures listed whole, relative time anchored, figures traceable to their source."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from govcases.records.errors import Problem
from govcases.records.model import Figure
from govcases.records.numerals import named_count
from govcases.records.taxonomy import Taxonomy
from govcases.records.yamlsource import Loc, YamlDoc, strings

# Words whose year depends on when the text was written; a reader years later cannot tell which year they mean.
RELATIVE_TIME = re.compile(
    "截至目前|近年来|[近这](?:[一二两三四五六七八九十几数多]+|\\d{1,2})年|近年|(?:[一二两三四五六七八九十几数多]+|(?<!\\d)\\d{1,2})年来|"
    "去年|今年|前年|明年|当年|本年度?|上年度?|上一年|目前|至今|现已|当前|如今|现阶段|近期|日前|近日"
)
# Fields that are not prose about time: the place, the sources' own titles, dates and ids.
_SKIP_TOP = {"place", "sources", "as_of", "year", "level", "practice_types", "dimensions"}
EXCERPT_MAX = 200


def check_relative_time(doc: YamlDoc) -> list[Problem]:
    """Relative-time words in prose or figures when neither the record nor the figure says what date they mean."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if data.get("as_of"):
        return []
    problems = []
    for key, value in data.items():
        if key in _SKIP_TOP:
            continue
        for loc, text in strings(value, (key,)):
            if key == "figures" and len(loc) > 1 and _figure_dated(data, loc[1]):
                continue
            words = list(dict.fromkeys(m.group(0) for m in RELATIVE_TIME.finditer(text)))
            if words:
                shown = "”“".join(words)
                problems.append(doc.problem(loc, (
                    f"“{shown}”是相对时间，读者不知道指哪一年；请在记录开头写 as_of: 来源发布日期（如 2022-10），"
                    "或按来源日期改写成具体年份")))
    return problems


def _figure_dated(data: dict[str, Any], index: Any) -> bool:
    figures = data.get("figures")
    if not isinstance(figures, list) or not isinstance(index, int) or index >= len(figures):
        return False
    figure = figures[index]
    return isinstance(figure, dict) and bool(figure.get("as_of"))


def check_evidence(doc: YamlDoc, taxonomy: Taxonomy) -> list[Problem]:
    """One evidence entry for every practice type and dimension listed, and none for anything not listed."""
    data = doc.data if isinstance(doc.data, dict) else {}
    listed: dict[str, str] = {}  # term id → the name as written in the record
    for field, lookup in (("practice_types", taxonomy.type), ("dimensions", taxonomy.dimension)):
        values = data.get(field)
        for value in values if isinstance(values, list) else []:
            term = lookup(value.strip()) if isinstance(value, str) else None
            if term is not None:
                listed.setdefault(f"{field}:{term.id}", term.name)
    evidence = data.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        return []  # the model reports the wrong shape
    evidence = evidence or {}
    covered: set[str] = set()
    problems = []
    for key in evidence:
        name = str(key).strip()
        keys = {k for k, n in listed.items() if name in (n, k.split(":", 1)[1])}
        if not keys:
            problems.append(doc.problem(("evidence", key), (
                f"“{name}”不在本案例的 practice_types 或 dimensions 里；请删掉这一条，或把它加进类型或维度"), key=True))
        covered |= keys
    missing = list(dict.fromkeys(n for k, n in listed.items() if k not in covered))
    if missing:
        loc: Loc = ("evidence",) if "evidence" in data else ()
        problems.append(doc.problem(loc, (
            f"缺少这些实践类型或治理维度的分类依据：{'、'.join(missing)}；请在 evidence 下各写一条，"
            "说明哪一步做法或来源哪句话体现了它"), key=bool(loc), field="evidence"))
    return problems


def check_procedures(doc: YamlDoc) -> list[Problem]:
    """A counted name (六步议事, 五严禁) must list as many items as it counts, or say the source lists fewer."""
    data = doc.data if isinstance(doc.data, dict) else {}
    procedures = data.get("procedures")
    problems = []
    for i, proc in enumerate(procedures if isinstance(procedures, list) else []):
        if not isinstance(proc, dict) or not isinstance(proc.get("name"), str):
            continue
        steps = proc.get("steps")
        if not isinstance(steps, list):
            continue
        name, n = proc["name"].strip(), len(steps)
        lists = proc.get("source_lists")
        if isinstance(lists, int) and not isinstance(lists, bool):
            if lists != n:
                problems.append(doc.problem(("procedures", i, "source_lists"), (
                    f"source_lists 是 {lists}，但 steps 列了 {n} 项；来源列出几项就写几项，两者应相等")))
            continue
        count = named_count(name)
        if count is not None and count != n:
            problems.append(doc.problem(("procedures", i, "steps"), (
                f"名称“{name}”是 {count} 项，steps 只列了 {n} 项；请按来源顺序补全全部 {count} 项，"
                f"来源本身只列出 {n} 项时写 source_lists: {n}")))
    return problems


def _figures(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any], Figure]]:
    figures = data.get("figures")
    for i, raw in enumerate(figures if isinstance(figures, list) else []):
        try:
            yield i, raw, Figure.model_validate(raw)
        except ValidationError:
            continue  # the model reports it


def check_figure_sources(doc: YamlDoc) -> list[Problem]:
    """A figure's source number exists; a figure whose source keeps excerpts appears in one of them as written."""
    data = doc.data if isinstance(doc.data, dict) else {}
    sources = [s for s in data.get("sources") or [] if isinstance(s, dict)] if isinstance(
        data.get("sources"), list) else []
    problems = []
    for j, source in enumerate(sources):
        excerpts = source.get("excerpts")
        for k, text in enumerate(excerpts if isinstance(excerpts, list) else []):
            if isinstance(text, str) and len(figure_text(text)) > EXCERPT_MAX:
                problems.append(doc.problem(("sources", j, "excerpts", k), (
                    f"摘录有 {len(figure_text(text))} 字，超过 {EXCERPT_MAX} 字；只摘含数字的那一两句")))
    for i, raw, figure in _figures(data):
        if figure.source is not None and figure.source > len(sources):
            problems.append(doc.problem(("figures", i, "source"), (
                f"来源编号 {figure.source} 不存在：本案例只有 {len(sources)} 条来源（从 1 数起）")))
            continue
        chosen = [figure.source - 1] if figure.source else list(range(len(sources)))
        excerpts = [figure_text(t) for j in chosen for t in sources[j].get("excerpts") or [] if isinstance(t, str)]
        if not excerpts:
            continue
        shown = figure.display()
        field = "written" if "written" in raw else "value"
        found, whole = standing(figure_text(shown), excerpts)
        if not found:
            where = f"第 {figure.source} 条来源" if figure.source else "来源"
            problems.append(doc.problem(("figures", i, field), (
                f"“{shown}”在{where}的摘录（excerpts）里找不到；请照摘录原文填写 written，"
                "或把含这个数字的原文句子加进摘录")))
        elif whole and figure.value is not None and not figure.unit:
            problems.append(doc.problem(("figures", i, field), (
                f"摘录里“{shown}”后面紧跟着单位（{whole}）；请连同单位照原文写，如“{whole}”")))
    return problems


# What may follow a number as its unit in a source: scale (万), qualifier (余) and the unit itself;
# the units of more than one character are listed, any other unit is one character (户, 个, %).
_UNIT_AFTER = re.compile(
    r"[万亿千百十]*(?:余|多)?(?:人次|户次|平方米|立方米|平方公里|公里|千米|小时|公顷|[\u4e00-\u9fff%％‰℃])")


def standing(written: str, excerpts: list[str]) -> tuple[bool, str]:
    """Whether `written` stands in an excerpt as a whole number (320 is not in 1320户), and, when it stands there
    only with a unit right after it, the figure as the excerpt writes it (320户, 第2名); else an empty string."""
    found, whole = False, ""
    for text in excerpts:
        for m in re.finditer(re.escape(written), text):
            before, after = text[: m.start()], text[m.end():]
            if (written[0].isdigit() and re.search(r"[\d.]$", before)) or (
                    written[-1].isdigit() and re.match(r"\.?\d", after)):
                continue  # a part of a longer number
            unit = _UNIT_AFTER.match(after)
            if unit is None:
                return True, ""
            found = True
            whole = whole or ("第" if before.endswith("第") else "") + written + unit.group(0)
    return found, whole


def figure_text(text: str) -> str:
    """Text as a figure is looked for in it: full-width digits and letters folded (９５％ is 95%), spaces dropped
    (source texts copied from PDFs break numbers with them); dashes are kept, a source's 7-9人 is not 7—9人."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def case_checks(doc: YamlDoc, taxonomy: Taxonomy) -> list[Problem]:
    """Every schema-v2 content check of one case file."""
    return (check_evidence(doc, taxonomy) + check_procedures(doc) + check_relative_time(doc)
            + check_figure_sources(doc))
