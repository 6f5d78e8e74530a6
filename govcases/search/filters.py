"""The --type/--province/--level filters of the command-line search, read in the forms officials write them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govcases.search.analysis import normalize, short_place_names, synonym_groups

if TYPE_CHECKING:
    import sqlite3

    from govcases.records.taxonomy import Taxonomy

__all__ = ["Filter", "UnknownFilter", "choose_level", "choose_province", "choose_type", "level_name", "read_filters",
           "vocabulary"]

# Other ways of writing the vocabulary's levels (省, 市, 县, 乡镇, 村), once 层面/一级/级 is taken off the end:
# the site writes 县级, 乡镇级, 村级, and a district (区) or town (镇) is named for its level.
LEVEL_WORDS = {
    "乡": "乡镇", "镇": "乡镇", "街道": "乡镇",
    "地市": "市", "地": "市", "地级市": "市", "市州": "市", "州": "市",
    "区": "县", "区县": "县", "县区": "县", "县市区": "县", "县级市": "县",
    "社区": "村", "行政村": "村",
}
LEVEL_ENDINGS = ("层面", "一级", "级")


class UnknownFilter(ValueError):
    """A --type/--province/--level value that the vocabulary does not have (or has more than one of)."""

    def __init__(self, what: str, value: str, choices: str, *, several: bool = False) -> None:
        head = f"“{value}”可指不止一个{what}" if several else f"没有“{value}”这个{what}"
        super().__init__(f"{head}；请改用其中之一：{choices}")
        self.what, self.value, self.choices = what, value, choices


@dataclass(frozen=True)
class Filter:
    """One filter as given (`option`, `value`), the vocabulary entry it stands for (`shown`), and its records."""

    option: str
    value: str
    shown: str
    docs: frozenset[int]


def level_name(name: str) -> str:
    """A level as the site writes it: 县 → 县级."""
    return f"{name}级"


def vocabulary(taxonomy: Taxonomy) -> dict[str, Any]:
    """What the filters are read against (plain data, so the index keeps it and a query needs no records)."""
    return {
        "synonyms": synonym_groups(taxonomy),
        "types": [[t.id, t.name] for t in taxonomy.practice_types],
        "provinces": list(taxonomy.provinces),
        "levels": list(taxonomy.levels),
    }


def read_filters(db: sqlite3.Connection, meta: dict[str, Any], type: str | None, province: str | None,
                 level: str | None) -> tuple[Filter, ...]:
    """The filters given, each resolved against the vocabulary kept in the index; UnknownFilter when not."""
    out = []
    if type is not None:
        tid, name = choose_type(meta, type.strip())
        out.append(_filter(db, "--type", type, name, "(',' || types || ',') LIKE ?", f"%,{tid},%"))
    if province is not None:
        full = choose_province(meta, province.strip())
        out.append(_filter(db, "--province", province, full, "province = ?", full))
    if level is not None:
        found = choose_level(meta, level.strip())
        out.append(_filter(db, "--level", level, level_name(found), "level = ?", found))
    return tuple(out)


def _filter(db: sqlite3.Connection, option: str, value: str, shown: str, where: str, arg: str) -> Filter:
    docs = frozenset(n for (n,) in db.execute(f"SELECT n FROM docs WHERE {where}", (arg,)))
    return Filter(option, value, shown, docs)


def _one(what: str, value: str, found: list[str], every: list[str], label: Callable[[str], str] = str) -> str:
    """The one entry `value` stands for; UnknownFilter listing `found` when several, `every` when none."""
    if len(found) == 1:
        return found[0]
    raise UnknownFilter(what, value, "、".join(map(label, found or every)), several=bool(found))


def choose_type(meta: dict[str, Any], value: str) -> tuple[str, str]:
    """The practice type (id, name) that `value` names: its id, name, a synonym, or part of one type's words."""
    # meta["synonyms"] has one group per practice type, in the order of meta["types"]: the name's words and
    # the synonyms. A value that is none of them may still be part of the words of one type only (调解, 网格).
    names = {tid: name for tid, name in meta["types"]}
    key = normalize(value)
    words = {tid: [normalize(tid), normalize(name), *(normalize(w) for w in group)]
             for (tid, name), group in zip(meta["types"], meta["synonyms"], strict=True)}
    found = [t for t, ws in words.items() if key in ws] or [t for t, ws in words.items()
                                                             if key and any(key in w for w in ws)]
    tid = _one("实践类型", value, found, list(names), lambda t: f"{names[t]}（{t}）")
    return tid, names[tid]


def choose_province(meta: dict[str, Any], value: str) -> str:
    """The province's full name that `value` names (四川 → 四川省)."""
    provinces = list(meta["provinces"])
    found = [p for p in provinces if value in short_place_names(p)] or [
        p for p in provinces if value and p.startswith(value)]
    return _one("省份", value, found, provinces)


def choose_level(meta: dict[str, Any], value: str) -> str:
    """The vocabulary's level that `value` names (县级 → 县)."""
    levels = list(meta["levels"])
    word = value
    for ending in LEVEL_ENDINGS:  # 县级层面 → 县级 → 县
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)]
    word = word if word in levels else LEVEL_WORDS.get(word, word)
    return _one("层级", value, [word] if word in levels else [], levels)
