"""SQLite FTS5 with bm25() column weights against the command line's own index: dev-set quality and latency.

Usage: python scripts/fts5_probe.py ROOT [--queries FILE]

Both indexes hold the same fields (govcases.search.fields), cut the same way (the word and character-pair
counts the command line's index keeps per record). The FTS5 query is each query word as its words or its
character pairs, OR its practice-type synonyms, OR the dictionary words inside it; the words are OR-ed (the
`or` form) or, when that finds anything, AND-ed (`and` form); ranked by bm25() with the fields' weights.
Prints one JSON object: per form, best@3 and MRR on the dev queries (ROOT being the real project) and the
p50/p95 latency of scripts/bench_probe.QUERIES.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_probe import QUERIES, percentile
from devqueries import DEFAULT_QUERIES, DEPTH, TOP, Resolver

from govcases.cache import Table, project_key
from govcases.records.library import Library, load_library
from govcases.search import cli_index
from govcases.search.analysis import Synonyms, analysis_key, bigrams, default_analyzer, synonym_groups
from govcases.search.fields import PAIR_WEIGHTS, WEIGHTS, case_fields, pair_texts
from govcases.search.query import CliIndex, search

WORD_COLUMNS = [f"w_{name}" for name in WEIGHTS]  # ("primary" is an SQL keyword)
PAIR_COLUMNS = [f"pair_{name}" for name in PAIR_WEIGHTS]
COLUMNS = [*WORD_COLUMNS, *PAIR_COLUMNS]
BM25_WEIGHTS = [*WEIGHTS.values(), *PAIR_WEIGHTS.values()]


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def build(lib: Library, path: Path) -> sqlite3.Connection:
    """An FTS5 table of the records' tokens, one column per field (each token repeated as often as it occurs)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    # The tokens are cut already: unicode61 keeps a run of Chinese characters whole; + and . stay in words.
    db.execute(f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(COLUMNS)}, "
               "tokenize = \"unicode61 remove_diacritics 0 tokenchars '+.-'\")")
    table = Table(f"record-fields-{project_key(lib.root)}", analysis_key(cli_index.INDEX_VERSION))
    rows = []
    for case in lib.cases:
        r = case.record
        key = hashlib.sha256(json.dumps([case_fields(lib.taxonomy, r), pair_texts(r)], ensure_ascii=False).encode())
        fields = table.get(key.hexdigest()[:24], lambda case=case: cli_index._terms(lib, case))
        row = []
        for name in WEIGHTS:
            row.append(" ".join(t for t, n in fields[name].items() for _ in range(int(n))))
        for name in PAIR_WEIGHTS:
            row.append(" ".join(t for t, n in fields[f"pair:{name}"].items() for _ in range(int(n))))
        rows.append(row)
    table.save()
    db.executemany(f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' * len(COLUMNS))})",
                   [(n, *row) for n, row in enumerate(rows)])
    db.commit()
    return db


def word_group(word: str, synonyms: Synonyms) -> str:
    """The FTS5 expression of one query word: its words, or its pairs, or a synonym, or a word inside it."""
    a = default_analyzer()
    words_cols = "{" + " ".join(WORD_COLUMNS) + "}"
    pair_cols = "{" + " ".join(PAIR_COLUMNS) + "}"

    def text(t: str, pairs: bool) -> list[str]:
        out = []
        toks = [x.text for x in a.words(t, subwords=False)]
        if toks:
            out.append(f"{words_cols} : (" + " AND ".join(_quote(x) for x in toks) + ")")
        grams = [g.text for g in bigrams(t)]
        if pairs and grams and not (len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii()):
            out.append(f"{pair_cols} : (" + " AND ".join(_quote(g) for g in grams) + ")")
        return out

    parts = text(word, True)
    for other in [*synonyms.of(word), *synonyms.around(word), *a.subwords(word)]:
        parts += text(other, False)
    return "(" + " OR ".join(parts) + ")" if parts else ""


def fts_search(db: sqlite3.Connection, synonyms: Synonyms, query: str, form: str, limit: int = DEPTH) -> list[int]:
    """Record numbers for `query`, best first."""
    groups = [g for g in (word_group(w, synonyms) for w in default_analyzer().query_words(query)) if g]
    if not groups:
        return []
    sql = f"SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, {', '.join(map(str, BM25_WEIGHTS))}) LIMIT ?"
    if form == "and" and len(groups) > 1:
        found = [n for (n,) in db.execute(sql, (" AND ".join(groups), limit))]
        if found:
            return found
    return [n for (n,) in db.execute(sql, (" OR ".join(groups), limit))]


def quality(ranked: dict[str, list[str]], entries: list[dict[str, Any]], resolve: Resolver) -> dict[str, float]:
    """best@3 and MRR of rankings (case ids) for the dev queries."""
    hits, rr = 0, 0.0
    for e in entries:
        best = resolve(e["best"])
        ids = ranked[str(e["q"])]
        if best in ids[:TOP]:
            hits += 1
        if best in ids:
            rr += 1 / (ids.index(best) + 1)
    return {"best_at_3": hits, "queries": len(entries), "mrr": round(rr / len(entries), 3)}


def latency(fn: Any, repeats: int = 5) -> dict[str, float]:
    """p50/p95 in ms of `fn(q)` over QUERIES, wall-clock and CPU (the CPU time of this process, which other
    work on a busy machine does not inflate)."""
    wall, cpu = [], []
    for _ in range(repeats):
        for q in QUERIES:
            t0, c0 = time.perf_counter(), time.process_time()
            fn(q)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    ms = {f"{name}_{p}_ms": round(percentile(xs, p) * 1000, 2) for name, xs in (("wall", wall), ("cpu", cpu))
          for p in (50, 95)}
    return ms


def main(argv: list[str] | None = None) -> int:
    """Build both indexes for ROOT and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("root", type=Path)
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--work", type=Path, default=Path("/tmp/govcases-fts5-probe.sqlite"))
    args = p.parse_args(argv)
    lib = load_library(args.root)
    out: dict[str, Any] = {"cases": len(lib.cases)}
    ix = CliIndex(args.root, lib)
    t0 = time.perf_counter()
    ix.refresh()
    out["handwritten_open_or_build_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    db = build(lib, args.work)
    out["fts5_build_s"] = round(time.perf_counter() - t0, 2)
    out["fts5_size_mb"] = round(args.work.stat().st_size / 1e6, 1)
    synonyms = Synonyms(synonym_groups(lib.taxonomy))
    ids = [c.id for c in lib.cases]
    default_analyzer().jieba  # noqa: B018 - both sides cut queries with jieba loaded
    forms = {"handwritten": lambda q: [h.id for h in search(ix, q, limit=DEPTH)]}
    for form in ("or", "and"):
        forms[f"fts5_{form}"] = lambda q, form=form: [ids[n] for n in fts_search(db, synonyms, q, form)]
    entries = []
    if args.queries.is_file():
        import yaml

        entries = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    resolve = Resolver(lib)
    for name, fn in forms.items():
        fn(QUERIES[0])
        row: dict[str, Any] = latency(fn)
        # (a synthetic corpus: the dev queries name real cases that several synthetic ones resemble)
        with contextlib.suppress(LookupError):
            row |= quality({str(e["q"]): fn(str(e["q"])) for e in entries}, entries, resolve) if entries else {}
        out[name] = row
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
