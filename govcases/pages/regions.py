"""The region tree (province → city → county) built from case places, with stable ASCII page slugs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin

from govcases.records.model import Case

if TYPE_CHECKING:
    from govcases.records.library import Library

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


@dataclass
class Region:
    """A province, city or county with the cases located in it (at any depth below)."""

    name: str
    level: str  # 省 / 市 / 县
    path: str  # page path without extension, e.g. regions/sichuan/deyang/luojiang
    parent: Region | None = None
    children: dict[str, Region] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        """Name with its ancestors: 四川省德阳市罗江区."""
        return (self.parent.full_name if self.parent else "") + self.name

    def walk(self) -> list[Region]:
        """This region and every region below it, depth first."""
        out = [self]
        for child in self.children.values():
            out.extend(child.walk())
        return out


def region_tree(cases: tuple[Case, ...]) -> list[Region]:
    """Provinces (sorted by case count, then name), each holding its cities and counties."""
    provinces: dict[str, Region] = {}
    for case in cases:
        place = case.record.place
        chain = [(place.province, "省"), (place.city, "市"), (place.county, "县")]
        parent: Region | None = None
        siblings = provinces
        for name, level in chain:
            if not name:
                continue
            if name not in siblings:
                base = parent.path if parent else "regions"
                siblings[name] = Region(name, level, f"{base}/{slug(name)}", parent)
            region = siblings[name]
            region.cases.append(case)
            parent, siblings = region, region.children
    return sorted(provinces.values(), key=lambda r: (-len(r.cases), r.name))


def regions(lib: Library) -> list[Region]:
    """The library's region tree, built once per library object (many pages of one build read it)."""
    return lib.derived(_tree)


def _tree(lib: Library) -> list[Region]:
    return region_tree(lib.cases)
