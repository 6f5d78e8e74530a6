"""The command line's search index: each term's BM25F weight in each record, computed once and kept in SQLite."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govcases.cache import Table, project_key
from govcases.paths import CASES_DIR, cache_root
from govcases.records.files import record_files
from govcases.search.analysis import (
    ANALYSIS_VERSION,
    USERDICT,
    analyzer_for,
    bigrams,
    normalize,
    project_vocabulary,
    short_place_names,
    synonym_groups,
    type_names,
)
from govcases.search.related import record_body
from govcases.search.scoring import saturation

if TYPE_CHECKING:
    from govcases.records.library import Library

# whoosh, which the command line used until issue #8, scored every matching record in Python at query
# time: 393 ms a query (p50) at 5,000 cases, and growing with N. Here each term's BM25 weight in each
# record is computed once, when the index is built; a query (govcases.search.query) reads the lists of its terms
# (at most KEEP records each, the best for that term) and adds them up.

# The cache key includes this module's own source, so a change to what goes into the index (or how) makes
# a new index; the version marks the format's history.
INDEX_VERSION = "4-" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]

# Weight of a word by the field it stands in: title, model, practice types and place outweigh body text.
WORD_FIELDS = {"title": 4.0, "model": 4.0, "primary": 3.0, "types": 1.5, "type_syn": 1.0, "keywords": 2.5,
               "place": 3.0, "body": 1.0}
HEAD_PAIRS, BODY_PAIRS = 1.5, 0.6  # character pairs of the title, model, keywords and place; of the body
KEEP = 400  # records kept per term, the best for it: enough for any first page of results
WORD, PAIR, MODEL = "w", "p", "m"  # term kinds: a word, a pair of characters, a whole model name


# ---- the records as index documents ------------------------------------------------------------


def _fields(lib: Library, case: Any) -> dict[str, str]:
    r = case.record
    types = [lib.taxonomy.type_by_id(t) for t in r.practice_types]
    type_words = [" ".join(type_names(t.name)) for t in types]
    dimensions = [lib.taxonomy.dimension_by_id(d).name for d in r.dimensions]
    return {
        "title": r.title,
        "model": r.model or "",
        "primary": type_words[0],  # records list their main practice type first
        "types": "\n".join([*type_words, *dimensions]),
        "type_syn": "\n".join(" ".join(t.synonyms) for t in types),
        "keywords": "\n".join(r.keywords),
        "place": " ".join(n for part in r.place.parts() for n in short_place_names(part)),
        "body": record_body(r),
    }


def _models(r: Any) -> list[str]:
    models = [m.strip() for m in (r.model or "").replace("；", "、").split("、") if m.strip()]
    return list(dict.fromkeys(normalize(m).replace(" ", "") for m in [r.model or "", *models] if m))


def _terms(lib: Library, case: Any) -> dict[str, dict[str, float]]:
    """A record's word counts by field, and its character-pair counts (fields "head_bi" and "body_bi")."""
    a = analyzer_for(lib)
    out: dict[str, dict[str, float]] = {}
    for name, text in _fields(lib, case).items():
        counts: dict[str, float] = defaultdict(float)
        for tok in a.words(text):
            counts[tok.text] += 1
        out[name] = counts
    r = case.record
    head = "\n".join([r.title, r.model or "", *r.keywords, r.place.label()])
    for name, text in (("head_bi", head), ("body_bi", record_body(r))):
        counts = defaultdict(float)
        for tok in bigrams(text):
            counts[tok.text] += 1
        out[name] = counts
    return out


def _meta(lib: Library) -> dict[str, Any]:
    # What a query needs besides the index, so a search with a fresh index never validates the records.
    tax = lib.taxonomy
    return {
        "synonyms": synonym_groups(tax),
        "types": [[t.id, t.name] for t in tax.practice_types],
        "provinces": list(tax.provinces),
        "levels": list(tax.levels),
        "vocabulary": list(project_vocabulary(lib)),
    }


def _impacts(fields: dict[str, list[dict[str, float]]], weights: dict[str, float], kind: str,
             ) -> Iterable[tuple[str, bytes, bytes]]:
    """(kind + term, record numbers, weights) for every term of the given fields: each field's BM25 weight
    times the field's weight, summed over the fields (as whoosh's BM25F scored an OR over fields); the
    best KEEP records per term."""
    total: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for name, docs in fields.items():
        n = len(docs) or 1
        lengths = [sum(d.values()) for d in docs]
        avg = (sum(lengths) / n) or 1.0
        df: dict[str, int] = defaultdict(int)
        for d in docs:
            for term in d:
                df[term] += 1
        w = weights[name]
        for i, d in enumerate(docs):
            for term, tf in d.items():
                idf = log(n / (df[term] + 1)) + 1.0
                total[term][i] += w * idf * saturation(tf, lengths[i], avg)
    for term, scores in total.items():
        scored = sorted(scores.items(), key=lambda p: -p[1])[:KEEP]
        yield kind + term, array("i", [i for i, _ in scored]).tobytes(), array("f", [s for _, s in scored]).tobytes()


# ---- the cached index --------------------------------------------------------------------------


def content_key(root: Path) -> str:
    """A hash of everything the index is built from: the record files, the taxonomy, the dictionary and
    the analysis and index versions. Reading bytes is much cheaper than validating the records."""
    h = hashlib.sha256(f"analysis {ANALYSIS_VERSION} index {INDEX_VERSION}\n".encode())
    h.update(USERDICT.read_bytes())
    for path in record_files(root / CASES_DIR)[0]:  # regular files only: a FIFO would never end
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def _stat_key(root: Path) -> str:
    """Names, sizes and modification times of the record files and the dictionary: when these are as at
    the last check, the contents are too (reading 10,000 files for each query would cost more than it)."""
    with os.scandir(root / CASES_DIR) as entries:
        seen = sorted(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}" for e in entries
                      if e.name.endswith((".yaml", ".yml")) and (st := _stat(e)))
    text = "\n".join([INDEX_VERSION, str(USERDICT.stat().st_mtime_ns), *seen])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _stat(entry: os.DirEntry[str]) -> os.stat_result:
    """What a link points at, or the link itself when it points nowhere (an editor's lock file)."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


@dataclass
class _Index:
    key: str
    db: sqlite3.Connection
    meta: dict[str, Any]
    stat: str = ""
    checked: float = 0.0  # time.monotonic() of the last freshness check


# Within one process, an index checked for freshness less than this many seconds ago is used as it is:
# the check looks at every record file (16 ms at 5,000 records), more than a query itself takes. A
# command-line search is a new process and always checks.
FRESH_FOR = 1.0


_open: dict[Path, _Index] = {}  # per project folder: the index of its records as last seen
_open_lock = threading.Lock()


Progress = Callable[[str, int, int], None]  # (what, done, total), while an index is built


def open_index(root: Path, lib: Library | None, progress: Progress | None = None) -> _Index:
    """The open index for `root`'s current records, built (and cached on disk) when they changed."""
    where = cache_root() / "index" / project_key(root)
    current = _open.get(where)
    if current is not None and time.monotonic() - current.checked < FRESH_FOR:
        return current
    stat = _stat_key(root)
    with _open_lock:
        current = _open.get(where)
        if current is not None and current.stat == stat:
            current.checked = time.monotonic()
            return current
        key = _known_key(where, stat) or content_key(root)
        if current is not None and current.key == key:
            current.stat, current.checked = stat, time.monotonic()
            return current
        path = where / f"{key}.sqlite"
        try:
            if not path.is_file():
                _build(path, lib or _load(root, progress), progress)
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            _remember_key(where, stat, key)
        except (OSError, sqlite3.Error):  # no writable cache (read-only home, full disk): keep it in memory
            db = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(db, lib or _load(root, progress), progress)
        if current is not None:  # `mkdocs serve` after an edit: let go of the old file
            current.db.close()
        meta = json.loads(db.execute("SELECT value FROM meta WHERE name = 'meta'").fetchone()[0])
        _open[where] = _Index(key, db, meta, stat, time.monotonic())
        return _open[where]


def _known_key(where: Path, stat: str) -> str | None:
    try:
        seen = json.loads((where / "stat.json").read_text("utf-8"))
        return seen["key"] if seen["stat"] == stat and (where / f"{seen['key']}.sqlite").is_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_key(where: Path, stat: str, key: str) -> None:
    with suppress(OSError):
        (where / "stat.json").write_text(json.dumps({"stat": stat, "key": key}), "utf-8")


def _load(root: Path, progress: Progress | None) -> Library:
    from govcases.records.library import load_library  # pydantic models load only when the index must be (re)built

    return load_library(root, None if progress is None else lambda done, total: progress("校验", done, total))


def _fill(db: sqlite3.Connection, lib: Library, progress: Progress | None = None) -> None:
    db.executescript("""
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE docs (n INTEGER PRIMARY KEY, id TEXT, title TEXT, place TEXT, summary TEXT, text TEXT,
                           types TEXT, province TEXT, level TEXT);
        CREATE TABLE terms (term TEXT PRIMARY KEY, docs BLOB, scores BLOB) WITHOUT ROWID;
    """)
    # Each record's counts are kept by a hash of its fields, so after an edit only that record is cut again.
    table = Table(f"record-fields-{project_key(lib.root)}",
                  f"{INDEX_VERSION} {analyzer_for(lib).key}")
    fields: dict[str, list[dict[str, float]]] = defaultdict(list)
    models = []
    for n, case in enumerate(lib.cases):
        r = case.record
        key = hashlib.sha256(json.dumps([_fields(lib, case), r.place.label()], ensure_ascii=False).encode())
        for name, counts in table.get(key.hexdigest()[:24], lambda case=case: _terms(lib, case)).items():
            fields[name].append(counts)
        models.append({m: 1.0 for m in _models(r)})
        db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (n, case.id, r.title, r.place.label(), r.summary, record_body(r), ",".join(r.practice_types),
                    r.place.province, r.level))
        if progress is not None:
            progress("建立检索索引", n + 1, len(lib.cases))
    pair_fields = {"head_bi": fields.pop("head_bi"), "body_bi": fields.pop("body_bi")}
    db.executemany("INSERT INTO terms VALUES (?, ?, ?)", _impacts(fields, WORD_FIELDS, WORD))
    db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                   _impacts(pair_fields, {"head_bi": HEAD_PAIRS, "body_bi": BODY_PAIRS}, PAIR))
    model_lists: dict[str, list[int]] = defaultdict(list)
    for n, ms in enumerate(models):
        for m in ms:
            model_lists[m].append(n)
    db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                   ((MODEL + m, array("i", ns).tobytes(), array("f", [1.0] * len(ns)).tobytes())
                    for m, ns in model_lists.items()))
    db.execute("INSERT INTO meta VALUES ('meta', ?)", (json.dumps(_meta(lib), ensure_ascii=False),))
    db.commit()
    table.save()


def _build(path: Path, lib: Library, progress: Progress | None = None) -> None:
    # Build next to the final place and rename: a reader never sees half an index, and two builders
    # racing just throw one copy away.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".build-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            _fill(db, lib, progress)
        finally:
            db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    analyzer_for(lib).write_table()  # jieba is loaded now: later queries start without it
    for old in path.parent.iterdir():  # indexes of earlier versions of the records
        if old != path and old.suffix == ".sqlite" and not old.name.startswith(".build-"):
            old.unlink(missing_ok=True)
        elif old.is_dir():  # whoosh indexes of earlier versions of govcases
            shutil.rmtree(old, ignore_errors=True)
