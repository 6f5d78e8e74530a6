"""jieba's word frequencies in an SQLite file for a fast start, checked once per version of the file."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from govcases.cache import atomic_write, digest


def import_jieba() -> Any:
    """The jieba module, imported without pkg_resources when nothing has imported that yet. jieba imports
    it only to open its own dict.txt and opens the file beside its module when it is missing; importing
    pkg_resources reads every installed distribution, several times what a query itself costs."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # so that `import pkg_resources` fails
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


class FreqTable:
    """jieba's word frequencies (with the domain dictionary added) in an SQLite file, for fast start.

    jieba only ever looks up substrings of the text it cuts, so a Tokenizer given just the entries for
    those substrings, and the same total, cuts that text exactly as the full dictionary would."""

    # A file changed this soon after its last change may keep the same modification time (the clock the
    # file system stamps with is coarse): it is checked again until it is older.
    SETTLED_S = 2.0

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            # The integrity check reads all 9 MB: it runs once for each version of the file, whose
            # identity is sealed in a marker beside it after a check found it whole.
            st = os.stat(path)
            seen = _identity(path, st)
            if _marker(path) != seen:
                if self.db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                    raise sqlite3.DatabaseError(f"{path} failed its integrity check")
                _remember(path, st, seen)
            meta = dict(self.db.execute("SELECT k, v FROM meta").fetchall())
            self.total, self.longest = int(meta["total"]), int(meta["longest"])
        except BaseException:
            self.db.close()
            raise

    @staticmethod
    def write(path: Path, tokenizer: Any) -> None:
        """Dump a loaded Tokenizer's dictionary to `path` (atomically: readers never see half a file)."""

        def fill(tmp: Path) -> None:
            db = sqlite3.connect(tmp)
            try:
                db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
                db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER)")
                db.executemany("INSERT INTO freq VALUES (?, ?)", tokenizer.FREQ.items())
                longest = max(map(len, tokenizer.FREQ))
                db.executemany("INSERT INTO meta VALUES (?, ?)", [("total", tokenizer.total), ("longest", longest)])
                db.commit()
            finally:
                db.close()

        atomic_write(path, fill)
        marker_path(path).unlink(missing_ok=True)

    def tokenizer_for(self, text: str) -> Any:
        """A jieba Tokenizer holding only the dictionary entries that occur inside `text`."""
        jieba = import_jieba()  # on first use, as in Analyzer.jieba: a process that never cuts text skips it
        subs = list({text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + self.longest) + 1)})
        freq: dict[str, int] = {}
        for k in range(0, len(subs), 500):  # SQLite limits the number of parameters per statement
            chunk = subs[k : k + 500]
            sql = f"SELECT w, n FROM freq WHERE w IN ({','.join('?' * len(chunk))})"
            freq.update(self.db.execute(sql, chunk).fetchall())
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.initialized = freq, self.total, True
        return tk


def marker_path(path: Path) -> Path:
    """Where the identity of `path` at its last good integrity check is kept."""
    return path.with_name(path.name + ".checked")


def _identity(path: Path, st: os.stat_result) -> str:
    """A hash of the file's place, size, times and inode: any write or replacement changes one of them."""
    return digest(["freq-table", str(path.resolve()), *map(str, (st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                                                   st.st_ino, st.st_dev))])


def _marker(path: Path) -> str | None:
    try:
        return marker_path(path).read_text("ascii")
    except (OSError, ValueError):
        return None


def _remember(path: Path, st: os.stat_result, identity: str) -> None:
    """Seal `identity` beside `path` unless the file changed too recently for its times to tell."""
    if time.time_ns() - st.st_mtime_ns < FreqTable.SETTLED_S * 1e9:
        return
    with suppress(OSError):  # a read-only cache: checked at every start
        atomic_write(marker_path(path), identity.encode("ascii"))
