"""The search worker's query, in Python: the same cut and scores as govcases-search.js, for tests and tuning."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from govcases.search.sharded import DIR, SCALE, shard_name

# Keep in step with theme/assets/javascripts/govcases-search.js (tests compare the two on the same site).
LONGEST = 8  # the longest term the cut tries
_SEPARATORS = re.compile(r"[\s\u3000、，,。．.；;：:！!？?（）()“”\"'‘’《》〈〉\[\]【】/|]+")
_RUNS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")

Read = Callable[[str], "bytes | None"]  # a file of the index by its path under the site, None if missing


@dataclass(frozen=True)
class Result:
    """One page found: its site path, title, score and which query terms it has."""

    url: str
    title: str
    score: float
    terms: dict[str, bool]


def normalize(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).lower()


def cut(query: str, has: Callable[[str], bool]) -> list[str]:
    """The query's terms: each piece between separators as a whole when the index has it (2+333, 村规民约),
    else its Chinese runs cut left to right into the longest terms the index has (with runs of characters it
    has none for kept as they are); letters and digits as is."""
    out: list[str] = []
    for piece in _SEPARATORS.split(normalize(query)):
        if not piece:
            continue
        if len(piece) > 1 and has(piece):
            out.append(piece)
            continue
        for run in _RUNS.findall(piece):
            if run.isascii():
                out.append(run)
                continue
            i, rest = 0, ""
            while i < len(run):
                for n in range(min(LONGEST, len(run) - i), 1, -1):
                    if has(run[i : i + n]):
                        rest = _keep(rest, out)
                        out.append(run[i : i + n])
                        i += n
                        break
                else:
                    rest += run[i]
                    i += 1
            _keep(rest, out)
    return list(dict.fromkeys(out))


def _keep(rest: str, out: list[str]) -> str:
    """Characters the index has no term for: two or more are kept as a term that matches nothing, so the
    search box shows them as missing (火星); a single one (的) is dropped."""
    if len(rest) > 1:
        out.append(rest)
    return ""


class Index:
    """The index files of a built site, read as the worker reads them: docs.json once, shards on demand."""

    def __init__(self, read: Read) -> None:
        self.read = read
        raw = read(f"{DIR}/docs.json")
        if raw is None:
            raise FileNotFoundError(f"{DIR}/docs.json")
        self.docs = json.loads(raw)
        self.heads = set(self.docs["heads"])
        self.shards: dict[str, dict[str, list[int]]] = {}

    def shard(self, first: str) -> dict[str, list[int]]:
        if first not in self.heads:
            return {}
        name = shard_name(first)
        if name not in self.shards:
            raw = self.read(f"{DIR}/t/{name}.json")
            self.shards[name] = json.loads(raw) if raw else {}
        return self.shards[name]

    def has(self, term: str) -> bool:
        return term in self.shard(term[0])

    def search(self, query: str, limit: int = 50) -> list[Result]:
        """Pages for `query`, best first: the scores of its terms added up, times the share of terms matched
        squared, so a page with every word beats one that repeats one word."""
        terms = cut(query, self.has)
        score: dict[int, float] = defaultdict(float)
        found: dict[int, set[str]] = defaultdict(set)
        for term in terms:
            flat = self.shard(term[0]).get(term, [])
            doc = 0
            for k in range(0, len(flat), 2):
                doc += flat[k]
                score[doc] += flat[k + 1] / SCALE
                found[doc].add(term)
        ranked = sorted(score, key=lambda d: (-score[d] * (len(found[d]) / len(terms)) ** 2, d))[:limit]
        return [Result(self.docs["urls"][d], self.docs["titles"][d],
                       round(score[d] * (len(found[d]) / len(terms)) ** 2, 4),
                       {t: t in found[d] for t in terms}) for d in ranked]
