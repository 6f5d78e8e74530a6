"""One place, one spelling: region names that would share a region page under the same parent are an error."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pypinyin import lazy_pinyin

from govcases.records.errors import Problem
from govcases.records.model import Case
from govcases.records.yamlsource import load_yaml

# Administrative suffixes dropped from slugs so 四川省 → sichuan, 德阳市 → deyang, 米易县 → miyi.
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
             "省", "市", "县", "区", "州", "盟", "旗")


def slug(name: str) -> str:
    """ASCII slug of a Chinese place name: 四川省 → sichuan, 黔南布依族苗族自治州 → qiannanbuyizumiaozu."""
    base = name
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix) + 1:
            base = base[: -len(suffix)]
            break
    text = "".join(lazy_pinyin(base))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "region"

# The place levels that get region pages (pages.regions.region_tree), with the field each is written in.
_LEVELS = ("province", "city", "county")


def check_place_spellings(cases: Iterable[Case]) -> list[Problem]:
    """A problem for every case whose city or county is spelled differently from another case's under the
    same parent while both map to one region page (罗江 and 罗江区 under 四川省德阳市 are both
    regions/sichuan/deyang/luojiang): the page of one would replace the other's and its cases vanish."""
    groups: dict[tuple[str, ...], dict[str, list[Case]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        place = case.record.place
        names = [getattr(place, level) for level in _LEVELS]
        for depth in range(1, len(_LEVELS)):
            if not names[depth] or not all(names[:depth]):
                break
            parent = tuple(names[:depth])
            groups[(*parent, slug(names[depth]))][names[depth]].append(case)
    problems = []
    for key, spellings in groups.items():
        if len(spellings) < 2:
            continue
        # The spelling most cases use is kept; on a tie the longer (full) name, such as 罗江区 over 罗江.
        kept = max(spellings, key=lambda name: (len(spellings[name]), len(name), name))
        address = "regions/" + "/".join(slug(n) for n in key[:-1]) + f"/{key[-1]}/"
        field = f"place.{_LEVELS[len(key) - 1]}"
        for name, found in spellings.items():
            if name == kept:
                continue
            other = spellings[kept][0].path
            for case in found:
                message = (f"'{name}' 与 {other} 中的 '{kept}' 同在 {''.join(key[:-1])} 下，"
                           f"会共用地区页 {address}，其中一处的案例会从该页消失；"
                           f"若是同一个地方，请统一写作 '{kept}'；若是两个地方，请写全称以示区别")
                line, col = _where(case.path, field)
                problems.append(Problem(case.path, line, col, field, message))
    return problems


def _where(path: str, field: str) -> tuple[int, int]:
    """Line and column of `field` in the file (read again: only files with a problem are)."""
    doc, _ = load_yaml(Path(path), path)
    return doc.where(tuple(field.split("."))) if doc is not None else (0, 0)
