"""The development queries (what an official types, and the cases that answer it) and their evaluation."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from govcases.records.library import Library, load_library
from govcases.records.model import Case
from govcases.search.query import CliIndex, search

ROOT = Path(__file__).resolve().parent.parent.parent
# Kept beside the project (../shared/eval/), not in it; GOVCASES_DEV_QUERIES names another file.
DEFAULT_QUERIES = Path(os.environ.get("GOVCASES_DEV_QUERIES") or ROOT.parent / "shared" / "eval" / "dev-queries.yaml")
TOP = 3
DEPTH = 10  # ranks beyond this count as not found (reciprocal rank 0)

_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|街道|社区|省|市|州|盟|县|区|旗|镇|乡|村)")


@dataclass(frozen=True)
class Outcome:
    """One query's result (from `govcases search` or the site's search box): the rank of its best case
    (None = not in the top DEPTH), what came first, and how many of its relevant cases are in the top DEPTH."""

    query: str
    best: str
    rank: int | None
    top: list[str]
    relevant_found: int
    relevant_total: int


class Resolver:
    """Finds the case a query file means by place and model, e.g. `米易县 “1357”` or `米易县草场镇`.

    The place (leading Chinese text) must be contained in the case's place, and the deepest unit named
    should be the case's own level; whatever follows (model, title words) picks among those cases.
    """

    def __init__(self, lib: Library) -> None:
        self.cases = lib.cases

    def __call__(self, name: str) -> str:
        place, rest = _split_name(name)
        units = _UNIT.findall(place) or ([place] if place else [])
        scored = []
        for case in self.cases:
            label = case.record.place.label()
            if not all(u in label for u in units):
                continue
            deepest = case.record.place.parts()[-1]
            exact = 1 if units and units[-1] == deepest else 0
            scored.append((_descriptor_score(rest, case), exact, case.id))
        if not scored:
            raise LookupError(f"no case matches {name!r}")
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
            raise LookupError(f"{name!r} is ambiguous: {scored[0][2]} / {scored[1][2]}")
        return scored[0][2]


def _split_name(name: str) -> tuple[str, str]:
    m = re.match(r"\s*([\u4e00-\u9fff]+)(.*)$", name)
    if m is None:
        return "", name
    place, rest = m.group(1), m.group(2)
    # `隆昌市石碾镇` is all place; `米易县 议事协商小平台` has a descriptor after the space
    units = "".join(_UNIT.findall(place))
    return units, place[len(units) :] + rest


def _descriptor_score(text: str, case: Case) -> float:
    r = case.record
    hay = "\n".join([r.title, r.model or "", *r.keywords, r.summary, *(s.title for s in r.sources)]).lower()
    chunks = [c for c in re.split(r"[\s“”\"()（）/、，,]+", text.lower()) if c]
    score = 0.0
    for chunk in chunks:
        grams = [chunk[i : i + 2] for i in range(len(chunk) - 1)] or [chunk]
        score += sum(g in hay for g in grams) / len(grams)
    return score


def evaluate(root: Path, queries_file: Path) -> tuple[list[Outcome], list[float]]:
    """Every query's outcome and its in-process latency in seconds."""
    lib = load_library(root)
    resolve = Resolver(lib)
    entries = yaml.safe_load(queries_file.read_text(encoding="utf-8"))
    index = CliIndex(root, lib)
    search(index, "积分")  # build or open the index once, outside the timings
    outcomes, times = [], []
    for entry in entries:
        best = resolve(entry["best"])
        relevant = {resolve(n) for n in entry.get("relevant", [])} | {best}
        t0 = time.perf_counter()
        hits = search(index, str(entry["q"]), limit=DEPTH)
        times.append(time.perf_counter() - t0)
        ids = [h.id for h in hits]
        rank = ids.index(best) + 1 if best in ids else None
        outcomes.append(Outcome(str(entry["q"]), best, rank, ids[:TOP], len(relevant & set(ids)), len(relevant)))
    return outcomes, times


def scores(outcomes: list[Outcome]) -> tuple[int, float]:
    """How many queries have their best case in the top TOP, and the mean reciprocal rank of the best case."""
    hits = sum(1 for o in outcomes if o.rank is not None and o.rank <= TOP)
    return hits, sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
