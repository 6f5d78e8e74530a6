"""The region tree (province → city → county) built from case places, with stable ASCII page slugs
(govcases.records.places.slug)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govcases.records.model import Case
from govcases.records.places import slug

if TYPE_CHECKING:
    from govcases.records.library import Library

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
