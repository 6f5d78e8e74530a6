"""Full-text search of the case records for the command line: a query's terms looked up in the index
(govcases.search.cli_index) and their weights added up, with synonyms, parts of words and coordination."""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govcases.search.analysis import (
    USERDICT,
    Analyzer,
    Synonyms,
    bigrams,
    default_analyzer,
    normalize,
)
from govcases.search.cli_index import MODEL, PAIR, WORD, CliIndex, Progress
from govcases.search.fields import PAIR_WEIGHTS
from govcases.search.filters import Filter, UnknownFilter, level_name, read_filters

if TYPE_CHECKING:
    import sqlite3

    from govcases.records.library import Library

__all__ = ["CliIndex", "Filter", "Hit", "Results", "UnknownFilter", "find", "level_name", "search", "snippet"]

# Query-time weights, relative to a word typed (whose weight is its BM25F weight in the index).
MODEL_EXACT = 6.0  # the query is a case's model name as written (2+333, 1357)
SYNONYM = 0.3  # the best-matching other word of the same practice type, relative to the word typed
KIN = 0.2  # the same for a word inside the words of one practice type (彩礼 in 高价彩礼)
SUBWORD = 0.3  # the best dictionary word inside a long query word (网格员 in 网格员补贴): a fallback
WHOLE_QUERY = 1.5  # a query of several words appears verbatim
COORD = 0.3  # share of its score a case keeps when it matches almost none of the query's words


@dataclass(frozen=True)
class Hit:
    """One search result; `url` is site-relative (cases/<id>/)."""

    id: str
    title: str
    url: str
    score: float
    place: str
    level: str
    types: tuple[str, ...]
    snippet: str


@dataclass(frozen=True)
class Results:
    """A query's best hits under its filters, and every record the query matched before they were applied."""

    hits: list[Hit]
    matched: frozenset[int]
    filters: tuple[Filter, ...]

    def count(self, *, dropping: Filter | None = None) -> int:
        """How many records match under the filters (all of them but `dropping`)."""
        kept = [f.docs for f in self.filters if f is not dropping]
        return sum(1 for d in self.matched if all(d in docs for docs in kept))


# ---- queries -----------------------------------------------------------------------------------

Scores = dict[int, float]


class _Query:
    """One query's term lists, each read once from the index."""

    def __init__(self, db: sqlite3.Connection, analyzer: Analyzer) -> None:
        self.db = db
        self.analyzer = analyzer
        self.lists: dict[str, Scores] = {}

    def term(self, key: str) -> Scores:
        if key not in self.lists:
            row = self.db.execute("SELECT docs, scores FROM terms WHERE term = ?", (key,)).fetchone()
            if row is None:
                self.lists[key] = {}
            else:
                docs, scores = array("i"), array("f")
                docs.frombytes(row[0])
                scores.frombytes(row[1])
                self.lists[key] = dict(zip(docs, scores, strict=True))
        return self.lists[key]

    def all_of(self, keys: list[str]) -> Scores:
        """The records having every one of `keys`, each with the sum of their weights (a phrase, roughly:
        all its words or pairs in the record, without checking that they stand together)."""
        lists = [self.term(k) for k in keys]
        if not lists or any(not s for s in lists):
            return {}
        if len(lists) == 1:
            return dict(lists[0])
        common = set(min(lists, key=len)).intersection(*lists)
        return {d: sum(s[d] for s in lists) for d in common}

    def text(self, text: str, *, pairs: bool = True) -> Scores:
        """`text` as a word (or run of words) and, optionally, as a run of character pairs."""
        tokens = [t.text for t in self.analyzer.words(text, subwords=False)] or [normalize(text)]
        out = dict(self.all_of([WORD + t for t in tokens]))
        grams = [t.text for t in bigrams(text)]
        if pairs and grams and not (len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii()):
            _add(out, self.all_of([PAIR + g for g in grams]), 1.0)
        return out

    def best_of(self, texts: list[str]) -> Scores:
        """For each record, the best score of any of `texts` (one synonym is evidence; ten are not more)."""
        out: Scores = {}
        for t in texts:
            for d, s in self.text(t, pairs=False).items():
                if s > out.get(d, 0.0):
                    out[d] = s
        return out

    def word(self, word: str, synonyms: Synonyms) -> Scores:
        """Everything that counts as a match for one query word (as the whoosh query had it)."""
        out = self.text(word)
        _add(out, self.best_of(synonyms.of(word)), SYNONYM)
        _add(out, self.best_of(synonyms.around(word)), KIN)
        _add(out, self.best_of(self.analyzer.subwords(word)), SUBWORD)
        return out


def _add(into: Scores, scores: Scores, weight: float) -> None:
    for d, s in scores.items():
        into[d] = into.get(d, 0.0) + weight * s


def search(where: CliIndex | Library | Path | str, query: str, *, type: str | None = None,
           province: str | None = None, level: str | None = None, limit: int = 10,
           progress: Progress | None = None) -> list[Hit]:
    """The cases that best answer `query`, best first (see find)."""
    return find(where, query, type=type, province=province, level=level, limit=limit, progress=progress).hits


def find(where: CliIndex | Library | Path | str, query: str, *, type: str | None = None,
         province: str | None = None, level: str | None = None, limit: int = 10,
         progress: Progress | None = None) -> Results:
    """The cases that best answer `query`, best first, from an open index (or a new one for a library or
    project folder), and how many matched with and without the filters. Filters take ids, names and
    their usual short forms (govcases.search.filters); an unknown filter value raises UnknownFilter; a
    query with nothing searchable in it finds nothing. `progress` hears of the work when the index must be
    built first."""
    if isinstance(where, CliIndex):
        ix = where
    elif isinstance(where, (str, os.PathLike)):
        ix = CliIndex(Path(where), progress=progress)
    else:
        ix = CliIndex(where.root, where, progress)
    ix.refresh()
    assert ix.db is not None
    filters = read_filters(ix.db, ix.meta, type, province, level)
    synonyms = Synonyms(ix.meta["synonyms"])
    # The query is cut as the records were: the dictionary plus the project's vocabulary kept in the index.
    analyzer = default_analyzer(USERDICT, tuple(ix.meta.get("vocabulary", ())))
    words = analyzer.query_words(query)
    if not words:
        return Results([], frozenset(), filters)
    q = _Query(ix.db, analyzer)
    clauses = [q.word(w, synonyms) for w in words]
    scores: Scores = {}
    for clause in clauses:
        _add(scores, clause, 1.0)
    _add(scores, q.term(MODEL + normalize(query).replace(" ", "")), MODEL_EXACT)
    if len(words) > 1:
        grams = [t.text for t in bigrams(query)]
        pair = sum(PAIR_WEIGHTS.values()) / len(PAIR_WEIGHTS)
        _add(scores, q.all_of([PAIR + g for g in grams]), pair * WHOLE_QUERY)
    if len(clauses) > 1:
        # Coordination: a case that answers every word of the query beats one that answers one word
        # many times (BM25 alone lets 补贴 in many paragraphs outrank 网格员 and 补贴 together).
        matched = {d: sum(1 for c in clauses if d in c) for d in scores}
        # and from three words on, a case must answer at least half of them: 火星殖民计划 should not
        # return every case that mentions 计划
        need = (len(clauses) + 1) // 2 if len(clauses) >= 3 else 1
        scores = {d: s * (COORD + (1 - COORD) * matched[d] / len(clauses))
                  for d, s in scores.items() if matched[d] >= need}
    found = frozenset(scores)
    scores = {d: s for d, s in scores.items() if all(d in f.docs for f in filters)}
    top = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]
    if not top:
        return Results([], found, filters)
    marks = [*words, *(s for w in words for s in synonyms.of(w))]
    names = dict(ix.meta["types"])
    rows = {n: row for n, *row in ix.db.execute(
        f"SELECT n, id, title, place, summary, text, level, types FROM docs WHERE n IN ({','.join('?' * len(top))})",
        [d for d, _ in top])}
    hits = []
    for d, score in top:
        cid, title, place, summary, text, lv, types = rows[d]
        hits.append(Hit(cid, title, f"cases/{cid}/", round(score, 4), place, lv,
                        tuple(names.get(t, t) for t in types.split(",") if t), snippet(summary, text, marks)))
    return Results(hits, found, filters)


def snippet(summary: str, text: str, words: list[str], width: int = 60) -> str:
    """About `width` characters around the first query word in the summary, else in the body text."""
    for source in (summary, text):
        low = source.lower()
        found = [i for i in (low.find(normalize(w)) for w in words if w) if i >= 0]
        if found:
            start = max(0, min(found) - width // 3)
            piece = source[start : start + width].replace("\n", " ")
            return ("…" if start else "") + piece + ("…" if start + width < len(source) else "")
    return summary[:width] + ("…" if len(summary) > width else "")

