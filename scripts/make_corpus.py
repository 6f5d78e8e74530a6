"""Write a copy of the project with N synthetic case records recombined from the real ones, for benchmarks.

Usage: python scripts/make_corpus.py N OUT [--seed S] [--force]

Every synthetic record is built from its own random stream (seed, index), so synth-00042 is the same
record in a corpus of 100 and in one of 10,000, and anyone re-running the script gets the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240608
MARKER = ".govcases-corpus"  # written into OUT, so --force only ever deletes a folder this script made
COPIED = ("mkdocs.yml", "docs", "templates", "cases/_taxonomy.yaml", "cases/_policies")

# Municipalities have districts directly under them; the special regions and Taiwan get no synthetic cases.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
SKIPPED = ("台湾省", "香港特别行政区", "澳门特别行政区")
FIRST = "安宁平永长新兴清东西南北青龙金石白云丰华泰和阳康乐广德武文福嘉建通秀桂宝鹤凤临"
SECOND = "山阳江河川平宁安城源丰水林溪州昌泉德口陵岭台原化远湖峰坪川桥沟"
LEVELS = (("县", 0.36), ("乡镇", 0.3), ("村", 0.3), ("市", 0.04))
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")


@dataclass(frozen=True)
class Place:
    """A synthetic place: each level's full name and the short form used in titles and text."""

    province: str
    city: str | None
    county: str
    town: str
    village: str


class Pools:
    """Everything the real records say, split into parts that can be recombined into new records."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.title_tails = [r["title"].split("：", 1)[-1] for r in records]
        self.summary = [s for r in records for s in _sentences(r["summary"])]
        self.background = [s for r in records for s in _sentences(r.get("background") or "")]
        self.measures = [m for r in records for m in r["measures"]]
        self.results = [x for r in records for x in r["results"]]
        self.figures = [f for r in records for f in r["figures"]]
        self.keywords = sorted({k for r in records for k in r.get("keywords", [])})
        self.recognition = sorted({x for r in records for x in r.get("recognition", [])})
        analyses = [r.get("analysis") or {} for r in records]
        self.conditions = [a["conditions"] for a in analyses if a.get("conditions")]
        self.transfer = [a["transferability"] for a in analyses if a.get("transferability")]
        self.procedures = [p for r in records for p in r.get("procedures") or []]
        self.models = [r["model"] for r in records if r.get("model")]
        self.sources = [s for r in records for s in r["sources"]]
        self.type_sets = [r["practice_types"] for r in records]
        self.dimension_sets = [r["dimensions"] for r in records]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(" ".join(text.split())) if s.strip()]


def join_cjk_lines(text: str) -> str:
    """Text with the spaces YAML folding left between Chinese characters removed, as the loader does."""
    from govcases.records.model import join_cjk_lines as join

    return join(text)


def _short(name: str) -> str:
    from govcases.search.analysis import short_place_names

    return short_place_names(name)[-1]


def place_names(records: list[dict[str, Any]]) -> Callable[[str, Place], str]:
    """A function that rewrites every real place name in a text to the synthetic place's name at that level,
    so a recombined sentence talks about the new place (米易县 → 安江县, 米易 → 安江)."""
    names: dict[str, str] = {}
    for r in records:
        for level, name in r["place"].items():
            if name:
                names.setdefault(name, level)
                names.setdefault(_short(name), level + "_short")
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 2))

    def rewrite(text: str, place: Place) -> str:
        def one(m: re.Match[str]) -> str:
            level = names[m.group(0)]
            full = getattr(place, level.removesuffix("_short")) or place.county
            return _short(full) if level.endswith("_short") else full

        return pattern.sub(one, text)

    return rewrite


def geography(taxonomy: dict[str, Any], seed: int) -> dict[str, dict[str | None, list[str]]]:
    """For each province, a few invented cities and counties (province → city → counties); names are unique
    within their parent, also by pinyin slug, so no two region pages share a path."""
    from govcases.records.places import slug

    rng = random.Random(f"{seed}-geography")
    out: dict[str, dict[str | None, list[str]]] = {}
    for province in taxonomy["provinces"]:
        if province in SKIPPED:
            continue
        if province in MUNICIPALITIES:
            out[province] = {None: _names(rng, rng.randint(6, 12), ("区", "区", "县"), set())}
            continue
        cities = _names(rng, rng.randint(3, 8), ("市",), set())
        out[province] = {c: _names(rng, rng.randint(3, 7), ("县", "县", "区", "市"), {slug(c)}) for c in cities}
    return out


def _names(rng: random.Random, n: int, suffixes: tuple[str, ...], taken: set[str]) -> list[str]:
    from govcases.records.places import slug

    out: list[str] = []
    while len(out) < n:
        name = rng.choice(FIRST) + rng.choice(SECOND) + rng.choice(suffixes)
        if name[0] != name[1] and slug(name) not in taken:
            taken.add(slug(name))
            out.append(name)
    return out


def make_place(rng: random.Random, geo: dict[str, dict[str | None, list[str]]]) -> Place:
    """A random province, city and county from the invented geography, with a town and a village."""
    province = rng.choice(sorted(geo))
    city = rng.choice(sorted(geo[province], key=lambda c: c or ""))
    county = rng.choice(geo[province][city])
    town = rng.choice(FIRST) + rng.choice(SECOND) + rng.choice("镇镇乡")
    village = rng.choice(FIRST) + rng.choice(SECOND) + "村"
    return Place(province, city, county, town, village)


def make_record(i: int, pools: Pools, geo: dict[str, dict[str | None, list[str]]],
                rewrite: Callable[[str, Place], str], seed: int) -> dict[str, Any]:
    """Synthetic record number `i` (1-based), drawn from its own random stream."""
    rng = random.Random(f"{seed}-{i}")
    place = make_place(rng, geo)
    level = rng.choices([lv for lv, _ in LEVELS], weights=[w for _, w in LEVELS])[0]
    if level == "市" and place.city is None:
        level = "县"
    keep = {"市": 2, "县": 3, "乡镇": 4, "村": 5}[level]
    parts = {"province": place.province, "city": place.city, "county": place.county, "town": place.town,
             "village": place.village}
    place_out = {k: v for k, v in list(parts.items())[:keep] if v}
    own = list(place_out.values())[-1]

    def text(s: str) -> str:
        return join_cjk_lines(rewrite(s, place))

    year = rng.randint(2016, 2024)

    types = list(rng.choice(pools.type_sets))
    rng.shuffle(types)
    types = types[: rng.randint(1, min(4, len(types)))]
    dimensions = list(rng.choice(pools.dimension_sets))
    record: dict[str, Any] = {
        "title": f"{_short(own) if level != '村' else own}：{text(rng.choice(pools.title_tails))}",
        "model": rng.choice(pools.models) if rng.random() < 0.6 else None,
        "place": place_out,
        "level": level,
        "year": year,
        # Real sentences recombined may say 去年 or 目前: the synthetic source's year anchors them.
        "as_of": str(year),
        "practice_types": types,
        "dimensions": dimensions,
        "evidence": {name: "合成记录：见主要做法" for name in dict.fromkeys([*types, *dimensions])},
        "keywords": rng.sample(pools.keywords, rng.randint(2, 7)),
        "summary": "".join(text(s) for s in rng.sample(pools.summary, rng.randint(2, 3))),
        "background": ("".join(text(s) for s in rng.sample(pools.background, rng.randint(1, 3)))
                       if pools.background and rng.random() < 0.6 else None),
        "measures": [_measure(rng, pools, text) for _ in range(rng.randint(2, 5))],
        "procedures": [rng.choice(pools.procedures)] if pools.procedures and rng.random() < 0.4 else None,
        "results": [text(r) for r in rng.sample(pools.results, rng.randint(2, 5))],
        "figures": [_figure(rng, f) for f in rng.sample(pools.figures, rng.randint(2, 6))],
        "recognition": rng.sample(pools.recognition, rng.randint(0, 2)),
        "analysis": {k: v for k, v in (
            ("conditions", text(rng.choice(pools.conditions)) if pools.conditions and rng.random() < 0.7 else None),
            ("transferability", text(rng.choice(pools.transfer)) if pools.transfer and rng.random() < 0.7 else None),
        ) if v} or None,
        "sources": [_source(rng, pools, year, place)],
    }
    return {k: v for k, v in record.items() if v not in (None, [])}


def _measure(rng: random.Random, pools: Pools, text: Callable[[str], str]) -> dict[str, Any]:
    # A heading from one real measure, actions from one or two: steps recombine but stay on one topic.
    first = rng.choice(pools.measures)
    actions = list(first["actions"])
    if rng.random() < 0.4:
        actions += rng.choice(pools.measures)["actions"]
    out: dict[str, Any] = {"heading": text(first["heading"])}
    if first.get("responsible"):
        out["responsible"] = text(first["responsible"])
    out["actions"] = [text(a) for a in rng.sample(actions, min(len(actions), rng.randint(1, 4)))]
    return out


def _figure(rng: random.Random, fig: dict[str, Any]) -> dict[str, Any]:
    """A real figure with its number scaled, except where the source's wording (`written`) fixes it."""
    # One synthetic source without excerpts: a real figure's source number and date do not apply.
    out = {k: v for k, v in fig.items() if k not in ("source", "as_of", "compare")}
    if fig.get("written") or fig.get("value") is None:
        return out
    factor = rng.uniform(0.5, 2.0)
    cap = 100 if fig.get("unit") == "%" else None

    def scale(x: float) -> float | int:
        y: float | int = max(1, round(x * factor)) if isinstance(x, int) else round(x * factor, 1) or 0.1
        return min(y, cap) if cap is not None else y

    value = scale(fig["value"])
    if fig.get("value_to") is not None:
        value_to = scale(fig["value_to"])
        if not value_to > value:
            return out  # scaling squeezed the range shut (e.g. 95—100%): keep the source's figure
        out["value_to"] = value_to
    out["value"] = value
    return out


def _source(rng: random.Random, pools: Pools, year: int, place: Place) -> dict[str, Any]:
    real = rng.choice(pools.sources)
    out: dict[str, Any] = {
        "title": real["title"],
        "publisher": real["publisher"],
        "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    if real.get("collection"):
        out["collection"] = real["collection"]
        out["item"] = rng.randint(1, 60)
    out["author"] = place.county
    return out


def copy_project(out: Path) -> None:
    """The project files a build needs, and the real records (templates and policies cite them)."""
    out.mkdir(parents=True, exist_ok=True)
    for rel in COPIED:
        src, dst = ROOT / rel, out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        elif src.is_file():
            shutil.copy2(src, dst)
    for path in sorted((ROOT / "cases").glob("[!_]*.yaml")):
        shutil.copy2(path, out / "cases" / path.name)


def make_corpus(n: int, out: Path, seed: int = SEED, force: bool = False) -> Path:
    """Write the project copy with `n` synthetic records into `out`; returns `out`."""
    if out.exists() and any(out.iterdir()):
        if not (force and (out / MARKER).is_file()):
            raise SystemExit(f"{out} is not empty (use --force to replace a corpus this script wrote)")
        shutil.rmtree(out)
    copy_project(out)
    (out / MARKER).write_text(f"n={n} seed={seed}\n", encoding="utf-8")
    real = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "cases").glob("[!_]*.yaml"))]
    taxonomy = yaml.safe_load((ROOT / "cases" / "_taxonomy.yaml").read_text(encoding="utf-8"))
    pools, geo, rewrite = Pools(real), geography(taxonomy, seed), place_names(real)
    header = f"# Synthetic record for benchmarks (scripts/make_corpus.py, seed {seed}): not a real case.\n"
    for i in range(1, n + 1):
        record = make_record(i, pools, geo, rewrite, seed)
        body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000)
        (out / "cases" / f"synth-{i:05d}.yaml").write_text(header + body, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: N OUT [--seed S] [--force]."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of synthetic records")
    p.add_argument("out", type=Path, help="folder to write the project copy into")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    p.add_argument("--force", action="store_true", help="replace OUT if an earlier run of this script wrote it")
    args = p.parse_args(argv)
    make_corpus(args.n, args.out, args.seed, args.force)
    print(f"wrote {args.n} synthetic records (+ the real ones) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
