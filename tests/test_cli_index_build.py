"""The command line's index is built in two passes over the records and keeps each term's best postings as it
goes; what it stores equals the whole-corpus computation, and it reports its progress."""

from __future__ import annotations

import random
import sqlite3
from array import array
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import CORPUS

from govcases.records.library import Library, load_library
from govcases.search import cli_index
from govcases.search.cli_index import CliIndex, _terms
from govcases.search.fields import PAIR_WEIGHTS, WEIGHTS
from govcases.search.scoring import TopPostings, best_postings, idf, saturation


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


def test_top_postings_keeps_what_best_postings_keeps() -> None:
    rnd = random.Random(7)
    k = 3
    top = TopPostings(k)
    everything: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc in range(500):
        # few distinct scores, so ties are common: the earlier document must win them
        scores = {term: float(rnd.randint(1, 4)) for term in rnd.sample("abcdefgh", 4)}
        top.add(doc, scores)
        for term, score in scores.items():
            everything[term].append((doc, score))
        assert max(len(docs) for docs, _ in top.lists.values()) < 2 * k
    kept = {term: list(zip(docs, scores, strict=True)) for term, docs, scores in top.items()}
    assert kept == {term: best_postings(p, k) for term, p in everything.items()}


def _whole(lib: Library, k: int) -> dict[str, tuple[bytes, bytes]]:
    """The word and pair lists computed with every record's counts in memory at once (the plain reading of
    BM25F over the fields), to check the two-pass build against."""
    counts = [_terms(lib, case) for case in lib.cases]
    out: dict[str, tuple[bytes, bytes]] = {}
    for kind, weights, prefix in (("w", WEIGHTS, ""), ("p", PAIR_WEIGHTS, "pair:")):
        total: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for name, w in weights.items():
            docs = [c[prefix + name] for c in counts]
            lengths = [sum(d.values()) for d in docs]
            avg = sum(lengths) / len(docs)
            df: dict[str, int] = defaultdict(int)
            for d in docs:
                for term in d:
                    df[term] += 1
            for i, d in enumerate(docs):
                for term, tf in d.items():
                    total[term][i] += w * idf(len(docs), df[term]) * saturation(tf, lengths[i], avg)
        for term, scores in total.items():
            best = best_postings(sorted(scores.items()), k)
            out[kind + term] = (array("i", [i for i, _ in best]).tobytes(), array("f", [s for _, s in best]).tobytes())
    return out


def test_two_passes_store_what_the_whole_corpus_computation_gives(lib: Library, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    k = 5  # instead of CLI_PER_TERM, so that pruning happens on 22 records
    monkeypatch.setattr(cli_index, "CLI_PER_TERM", k)
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path / "cache"))
    db = sqlite3.connect(tmp_path / "index.sqlite")
    cli_index._fill(db, lib)
    stored = {term: (docs, scores) for term, docs, scores in db.execute("SELECT * FROM terms") if term[0] in "wp"}
    expected = _whole(lib, k)
    assert len(stored) == len(expected) > 10_000
    assert stored == expected
    assert sum(len(docs) == 4 * k for docs, _ in stored.values()) > 500  # many lists were cut to k


def test_first_build_reports_each_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[tuple[str, int, int]] = []
    CliIndex(CORPUS, progress=lambda what, done, total: seen.append((what, done, total))).refresh().close()
    phases = list(dict.fromkeys(what for what, _, _ in seen))
    assert phases == ["校验", "切分词语", "计算权重"]
    for phase in phases[1:]:
        assert [(d, t) for w, d, t in seen if w == phase] == [(d, 22) for d in range(1, 23)]
