"""Related cases: shared practice types plus text similarity, for one case or for every case of a build at once."""

from __future__ import annotations

import hashlib
import heapq
import json
import sys
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from govcases.cache import Table, cached, project_key, source_of
from govcases.search import scoring
from govcases.search.analysis import analysis_key, analyzer_for
from govcases.search.fields import record_body
from govcases.search.scoring import BodySimilarity

if TYPE_CHECKING:
    from govcases.records.library import Library
    from govcases.records.model import Case, CaseRecord

Signature = tuple[str, frozenset[str]]  # (main practice type, all practice types)


class Relations:
    """Scores `related` for many cases over one open index, comparing a case with groups of cases that share
    the same practice types rather than with each case."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.index = {c.id: i for i, c in enumerate(lib.cases)}
        self.similarity = BodySimilarity(body_words(lib))
        self.signature = {c.id: _signature(c) for c in lib.cases}
        groups: dict[Signature, list[str]] = defaultdict(list)
        for cid in sorted(self.signature):
            groups[self.signature[cid]].append(cid)
        self.groups = dict(groups)
        self.by_type: dict[str, list[Signature]] = defaultdict(list)
        for sig in self.groups:
            for t in sig[1]:
                self.by_type[t].append(sig)

    def of(self, case: Case, limit: int = 5) -> list[str]:
        """Ids of the `limit` cases most like `case`, best first (ties by id)."""
        cases = self.lib.cases
        similar = {cases[i].id: s for i, s in self.similarity.of(self.index[case.id]).items()}
        top = max(similar.values(), default=0.0) or 1.0
        mine = self.signature[case.id]
        # Only groups sharing a practice type with `case` score on types; every other case scores 0.
        types = {sig: _types_score(mine, sig) for t in mine[1] for sig in self.by_type[t]}
        signature = self.signature
        # (No bound on text similarity prunes this: with many cases of the same types, the best scores
        # differ by text alone, so every case with any text similarity is a candidate.)
        scored = [(-(types.get(signature[cid], 0.0) + 0.4 * s / top), cid) for cid, s in similar.items()]
        # Cases without any text similarity score on their types alone: in each group they tie, so only
        # the first `limit` of the group by id can make the list.
        for sig, score in types.items():
            taken = 0
            for cid in self.groups[sig]:
                if taken == limit:
                    break
                if cid != case.id and cid not in similar:
                    scored.append((-(score + 0.4 * 0.0 / top), cid))
                    taken += 1
        return [cid for neg, cid in heapq.nsmallest(limit, scored) if neg < 0 and cid != case.id]


def _signature(case: Case) -> Signature:
    types = case.record.practice_types
    return types[0], frozenset(types)


def _types_score(mine: Signature, theirs: Signature) -> float:
    # The main practice type (listed first) counts most; then the share of types in common.
    shared = len(mine[1] & theirs[1]) / len(mine[1] | theirs[1])
    same_main = 0.5 if theirs[0] == mine[0] else 0.0
    return 0.6 * (shared + same_main)


def related(lib: Library, case_id: str, limit: int = 5) -> list[str]:
    """Ids of the cases most like `case_id`: shared practice types (the main one counts most) and
    similar text (govcases.search.scoring on the body words)."""
    # The first call for a library scores every case: a site build asks for each case in turn.
    return related_all(lib, limit)[case_id]


def related_all(lib: Library, limit: int = 5) -> dict[str, list[str]]:
    """`related` for every case, by case id, computed once per library object and once per content of the
    records (cached on disk), so a rebuild with unchanged records does no similarity work."""
    return lib.derived(_related_table, limit)


def _related_table(lib: Library, limit: int) -> dict[str, list[str]]:
    here = sys.modules[__name__]
    records = [f"{c.id} {' '.join(c.record.practice_types)} {_text_key(c.record)}" for c in lib.cases]
    key = analysis_key(analyzer_for(lib), str(limit), *records, *source_of(here, scoring))

    def make() -> bytes:
        relations = Relations(lib)
        return json.dumps({c.id: relations.of(c, limit) for c in lib.cases}, ensure_ascii=False).encode("utf-8")

    # a table is about 100 bytes a case and every edit makes a new one: keep a few (e.g. to undo an edit)
    return dict(json.loads(cached("related", key, make, keep=4)))


def _text_key(r: CaseRecord) -> str:
    return hashlib.sha256(record_body(r).encode("utf-8")).hexdigest()[:24]


def body_words(lib: Library) -> list[dict[str, int]]:
    """Each case's body words (jieba, with the dictionary words inside long words) and their counts, in
    the order of lib.cases; kept by a hash of the text, so an edit re-reads only the record edited."""
    a = analyzer_for(lib)
    table = Table(f"record-words-{project_key(lib.root)}", analysis_key(a))

    def count(r: CaseRecord) -> dict[str, int]:
        return dict(Counter(t.text for t in a.words(record_body(r))))

    out = [table.get(_text_key(c.record), lambda r=c.record: count(r)) for c in lib.cases]
    table.save()
    return out
