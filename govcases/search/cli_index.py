"""The command line's search index: each term's BM25F weight in each record, computed once and kept in SQLite."""

from __future__ import annotations

import hashlib
import json
import marshal
import math
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govcases.cache import Table, atomic_write, project_key, source_of
from govcases.paths import CASES_DIR, cache_root
from govcases.records.files import record_files
from govcases.search import fields, scoring
from govcases.search.analysis import (
    analysis_key,
    analyzer_for,
    bigrams,
    default_analyzer,
    normalize,
    project_vocabulary,
)
from govcases.search.fields import PAIR_WEIGHTS, WEIGHTS, case_fields, pair_texts, record_body
from govcases.search.filters import vocabulary
from govcases.search.scoring import CLI_PER_TERM, TopPostings, idf, saturation

if TYPE_CHECKING:
    from govcases.records.library import Library

# A query (govcases.search.query) reads the lists of its terms (at most CLI_PER_TERM records each, the best
# for that term) and adds them up; scoring every matching record at query time instead grows with the
# number of records and misses the 20 ms a query may take at 10,000 records.

# The cache key includes the source of this module and of the fields and scoring it reads, so a change to
# what goes into the index (or how) makes a new index; the number marks the format's history.
INDEX_VERSION = "5-" + hashlib.sha256(b"".join(source_of(sys.modules[__name__], fields, scoring))).hexdigest()[:8]

WORD, PAIR, MODEL = "w", "p", "m"  # term kinds: a word, a pair of characters, a whole model name


def _models(r: Any) -> list[str]:
    models = [m.strip() for m in (r.model or "").replace("；", "、").split("、") if m.strip()]
    return list(dict.fromkeys(normalize(m).replace(" ", "") for m in [r.model or "", *models] if m))


def _terms(lib: Library, case: Any) -> dict[str, dict[str, float]]:
    """A record's word counts by field, and its character-pair counts (fields "pair:head", "pair:body")."""
    a = analyzer_for(lib)
    out: dict[str, dict[str, float]] = {}
    for name, text in case_fields(lib.taxonomy, case.record).items():
        counts: dict[str, float] = defaultdict(float)
        for tok in a.words(text):
            counts[tok.text] += 1
        out[name] = counts
    for name, text in pair_texts(case.record).items():
        counts = defaultdict(float)
        for tok in bigrams(text):
            counts[tok.text] += 1
        out[f"pair:{name}"] = counts
    return out


def _meta(lib: Library) -> dict[str, Any]:
    # What a query needs besides the index, so a search with a fresh index never validates the records.
    return {**vocabulary(lib.taxonomy), "vocabulary": list(project_vocabulary(lib))}


class _Field:
    """What BM25 needs of one field over all records, gathered in a first pass: each term's document
    frequency, and each record's length (its number of words)."""

    def __init__(self, weight: float) -> None:
        self.weight = weight
        self.df: dict[str, int] = defaultdict(int)
        self.lengths = array("d")
        self.avg = 1.0
        self.idf: dict[str, float] = {}

    def add(self, counts: dict[str, float]) -> None:
        self.lengths.append(sum(counts.values()))
        for term in counts:
            self.df[term] += 1

    def close(self) -> None:
        """Turn the document frequencies into idf, once every record has been added."""
        n = len(self.lengths) or 1
        self.avg = (sum(self.lengths) / n) or 1.0
        self.idf = {term: idf(n, df) for term, df in self.df.items()}
        self.df.clear()

    def impact(self, doc: int, counts: dict[str, float], into: dict[str, float]) -> None:
        """Add the field's BM25 weight of each term of `doc`, times the field's weight, to `into`."""
        length, w = self.lengths[doc], self.weight
        for term, tf in counts.items():
            into[term] += w * self.idf[term] * saturation(tf, length, self.avg)


class _Spool:
    """Each record's counts, in record order, in a temporary file: the second pass reads them back instead
    of keeping every record's counts in memory."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), after the second pass)
        self.count = 0

    def add(self, counts: dict[str, dict[str, float]]) -> None:
        marshal.dump({name: dict(c) for name, c in counts.items()}, self.file)
        self.count += 1

    def __iter__(self) -> Iterator[dict[str, dict[str, float]]]:
        self.file.seek(0)
        for _ in range(self.count):
            yield marshal.load(self.file)

    def close(self) -> None:
        self.file.close()


# ---- the cached index --------------------------------------------------------------------------


def content_key(root: Path) -> str:
    """A hash of everything the index is built from: the record files, the analysis (jieba, the dictionary)
    and the index version. Reading bytes is much cheaper than validating the records."""
    # (the project's vocabulary comes from the records and the taxonomy, which are hashed here)
    h = hashlib.sha256(f"{analysis_key(default_analyzer(), INDEX_VERSION)}\n".encode())
    for path in record_files(root / CASES_DIR)[0]:  # regular files only: a FIFO would never end
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def stat_key(root: Path) -> str:
    """Names, sizes and modification times of the record files, and the analysis: when these are as at
    the last check, the contents are too (reading 10,000 files for each query would cost more than it)."""
    with os.scandir(root / CASES_DIR) as entries:
        seen = sorted(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}" for e in entries
                      if e.name.endswith((".yaml", ".yml")) and (st := _stat(e)))
    text = "\n".join([analysis_key(default_analyzer(), INDEX_VERSION), *seen])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _stat(entry: os.DirEntry[str]) -> os.stat_result:
    """What a link points at, or the link itself when it points nowhere (an editor's lock file)."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


Progress = Callable[[str, int, int], None]  # (what, done, total), while an index is built


class CliIndex:
    """The command line's index of one project folder: the SQLite file in the cache built from its records
    as they are, opened on first use and checked for freshness before each use (`refresh`)."""

    # An index checked less than this many seconds ago is used as it is: the check looks at every record
    # file, more than a query itself takes at thousands of records. A command-line search is a new
    # process and always checks.
    fresh_for = 1.0

    def __init__(self, root: Path | str, lib: Library | None = None, progress: Progress | None = None) -> None:
        self.root = Path(root)
        self.lib = lib
        self.progress = progress
        self.where = cache_root() / "index" / project_key(self.root)
        self.key = ""
        self.stat = ""
        self.checked = -math.inf  # time.monotonic() of the last freshness check
        self.db: sqlite3.Connection | None = None
        self.meta: dict[str, Any] = {}
        self._lock = threading.Lock()

    def refresh(self) -> CliIndex:
        """Make sure the open index is that of the current records (building it when they changed)."""
        if self.db is not None and time.monotonic() - self.checked < self.fresh_for:
            return self
        stat = stat_key(self.root)
        with self._lock:
            if self.db is not None and self.stat == stat:
                self.checked = time.monotonic()
                return self
            known = self._known_key(stat)
            key = known or content_key(self.root)
            if self.db is None or self.key != key:
                db, meta = self._open(self.where / f"{key}.sqlite")
                if self.db is not None:  # `mkdocs serve` after an edit: let go of the old file
                    self.db.close()
                self.db, self.meta, self.key = db, meta, key
            self.stat, self.checked = stat, time.monotonic()
            if known is None:
                self._remember_key(stat, key)
            return self

    def close(self) -> None:
        """Let go of the open file."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def _open(self, path: Path) -> tuple[sqlite3.Connection, dict[str, Any]]:
        # A file that is not a whole index (cut short by a full disk, overwritten) is dropped and rebuilt.
        for attempt in (1, 2):
            try:
                if path.is_file() and not _whole_sqlite(path):
                    path.unlink()
                if not path.is_file():
                    self._build(path)
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                try:
                    return db, _read_meta(db)
                except sqlite3.DatabaseError:
                    db.close()
                    if attempt == 2:
                        raise
                    path.unlink(missing_ok=True)
            except (OSError, sqlite3.Error):  # no writable cache (read-only home, full disk): keep it in memory
                break
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db, self._library(), self.progress)
        return db, _read_meta(db)

    def _build(self, path: Path) -> None:
        # Built beside the final place and renamed: a reader never sees half an index.
        lib = self._library()
        atomic_write(path, lambda tmp: _write(tmp, lib, self.progress))
        analyzer_for(lib).write_table()  # jieba is loaded now: later queries start without it
        for old in path.parent.iterdir():  # indexes of earlier versions of the records
            if old != path and old.suffix == ".sqlite" and not old.name.startswith("."):
                old.unlink(missing_ok=True)
            elif old.is_dir():  # whoosh indexes of earlier versions of govcases
                shutil.rmtree(old, ignore_errors=True)

    def _library(self) -> Library:
        # The library given is that of the records when it was given: it serves the first build only.
        lib, self.lib = self.lib, None
        if lib is None:
            # pydantic models load only when the index must be (re)built: a search of a fresh index
            # starts without them
            from govcases.records.library import load_library

            progress = self.progress
            lib = load_library(self.root, None if progress is None else lambda d, t: progress("校验", d, t))
        return lib

    def _known_key(self, stat: str) -> str | None:
        try:
            seen = json.loads((self.where / "stat.json").read_text("utf-8"))
            ok = seen["stat"] == stat and (self.where / f"{seen['key']}.sqlite").is_file()
            return seen["key"] if ok else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remember_key(self, stat: str, key: str) -> None:
        with suppress(OSError):
            atomic_write(self.where / "stat.json", json.dumps({"stat": stat, "key": key}).encode())


def _whole_sqlite(path: Path) -> bool:
    """Whether `path` starts as an SQLite file does and is as long as its header says (cheap: 100 bytes)."""
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return False
    page_size = struct.unpack(">H", header[16:18])[0]
    pages = struct.unpack(">I", header[28:32])[0]
    return (65536 if page_size == 1 else page_size) * pages == path.stat().st_size


def _read_meta(db: sqlite3.Connection) -> dict[str, Any]:
    row = db.execute("SELECT value FROM meta WHERE name = 'meta'").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("index without meta")
    return dict(json.loads(row[0]))


def _write(path: Path, lib: Library, progress: Progress | None) -> None:
    db = sqlite3.connect(path)
    try:
        _fill(db, lib, progress)
    finally:
        db.close()


def _fill(db: sqlite3.Connection, lib: Library, progress: Progress | None = None) -> None:
    db.executescript("""
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE docs (n INTEGER PRIMARY KEY, id TEXT, title TEXT, place TEXT, summary TEXT, text TEXT,
                           types TEXT, province TEXT, level TEXT);
        CREATE TABLE terms (term TEXT PRIMARY KEY, docs BLOB, scores BLOB) WITHOUT ROWID;
    """)
    # Each record's counts are kept by a hash of its fields, so after an edit only that record is cut again.
    table = Table(f"record-fields-{project_key(lib.root)}", analysis_key(analyzer_for(lib), INDEX_VERSION))
    words = {name: _Field(w) for name, w in WEIGHTS.items()}  # BM25F as an OR over fields: weights add up
    pairs = {name: _Field(w) for name, w in PAIR_WEIGHTS.items()}
    models: dict[str, list[int]] = defaultdict(list)
    spool, total = _Spool(), len(lib.cases)
    try:
        for n, case in enumerate(lib.cases):
            r = case.record
            key = hashlib.sha256(json.dumps([case_fields(lib.taxonomy, r), pair_texts(r)],
                                            ensure_ascii=False).encode()).hexdigest()[:24]
            counts = table.get(key, lambda case=case: _terms(lib, case))
            spool.add(counts)
            for name, field in words.items():
                field.add(counts[name])
            for name, field in pairs.items():
                field.add(counts[f"pair:{name}"])
            for m in _models(r):
                models[m].append(n)
            db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (n, case.id, r.title, r.place.label(), r.summary, record_body(r), ",".join(r.practice_types),
                        r.place.province, r.level))
            if progress is not None:
                progress("切分词语", n + 1, total)
        table.save()
        for field in (*words.values(), *pairs.values()):
            field.close()
        word_lists, pair_lists = TopPostings(CLI_PER_TERM), TopPostings(CLI_PER_TERM)
        for n, counts in enumerate(spool):
            scores: dict[str, float] = defaultdict(float)
            for name, field in words.items():
                field.impact(n, counts[name], scores)
            word_lists.add(n, scores)
            scores = defaultdict(float)
            for name, field in pairs.items():
                field.impact(n, counts[f"pair:{name}"], scores)
            pair_lists.add(n, scores)
            if progress is not None:
                progress("计算权重", n + 1, total)
    finally:
        spool.close()
    for kind, lists in ((WORD, word_lists), (PAIR, pair_lists)):
        db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                       ((kind + term, docs.tobytes(), array("f", scores).tobytes())
                        for term, docs, scores in lists.items()))
    db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                   ((MODEL + m, array("i", ns).tobytes(), array("f", [1.0] * len(ns)).tobytes())
                    for m, ns in models.items()))
    db.execute("INSERT INTO meta VALUES ('meta', ?)", (json.dumps(_meta(lib), ensure_ascii=False),))
    db.commit()
