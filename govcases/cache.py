"""A content-addressed cache on disk for derived files (documents, related-case lists): same inputs, same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from govcases.paths import cache_root

# Bump to drop every cached entry at once (e.g. when what a key covers changes).
CACHE_VERSION = "2"
ENTRIES_PER_KIND = 256  # older ones go, so edits over months do not pile up files


def digest(parts: Iterable[str | bytes]) -> str:
    """A short hash of `parts`; each part is length-prefixed, so ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.sha256(f"govcases-cache {CACHE_VERSION}\n".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()[:24]


def project_key(root: Path) -> str:
    """A short name for the project folder at `root`, for caches kept per project."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]


def source_of(*modules: object) -> list[bytes]:
    """The source bytes of modules, for keys: a change to the code that makes a file makes a new key."""
    return [Path(str(getattr(m, "__file__", ""))).read_bytes() for m in modules]


def atomic_write(path: Path, data: bytes | Callable[[Path], None]) -> None:
    """Write `path` whole or not at all: `data` (or what `data(temporary path)` writes, e.g. an SQLite
    database) goes to a temporary file beside it, which is then renamed; no temporary file is left behind,
    even when writing fails. Readers never see half a file; of two writers racing, one copy wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
        if not isinstance(data, bytes):
            data(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def cached(kind: str, key: str, make: Callable[[], bytes], keep: int = ENTRIES_PER_KIND) -> bytes:
    """The bytes stored under `kind`/`key`, made by `make()` and stored when missing, keeping the `keep` most
    recently used entries of the kind (a cache that cannot be read or written only costs time). Each entry
    ends with the SHA-256 of its bytes; one that does not match (truncated, overwritten) is dropped and
    made again, so a damaged entry is never handed out."""
    folder = cache_root() / "files" / kind
    path = folder / key
    with suppress(OSError):
        stored = path.read_bytes()
        data, check = stored[:-_HASH], stored[-_HASH:]
        if len(stored) >= _HASH and hashlib.sha256(data).digest() == check:
            os.utime(path)  # recently used entries survive pruning
            return data
        path.unlink()
    data = make()
    with suppress(OSError):
        atomic_write(path, data + hashlib.sha256(data).digest())
        _prune(folder, keep)
    return data


_HASH = 32  # bytes of the SHA-256 that ends each cached file


def _prune(folder: Path, keep: int) -> None:
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in entries[:-keep]:
        old.unlink(missing_ok=True)


class Table:
    """Values derived from many small inputs (a page's words, a record's words), kept in one SQLite file per
    `name` by a hash of each input, so a rebuild derives only what changed. Entries unused by the last run
    are dropped when it saves; a table of another `version` is emptied. Values are JSON. Only the entries
    asked for are in memory (a dict of every page's words held 200 MB at 5,000 cases)."""

    def __init__(self, name: str, version: str) -> None:
        self.path = cache_root() / "tables" / f"{name}.sqlite"
        self.used: set[str] = set()
        self.made = 0
        self.db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = _open_table(self.path, version)
            except sqlite3.Error:  # damaged (truncated, overwritten): start this table afresh
                remove_sqlite(self.path)
                self.db = _open_table(self.path, version)
        except (OSError, sqlite3.Error):  # a cache that cannot be used only costs time
            self.db = None

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        """The value stored under `key`, made (and stored) when missing or unreadable."""
        self.used.add(key)
        if self.db is not None:
            with suppress(sqlite3.Error, ValueError):
                row = self.db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    return json.loads(row[0])
        value = make()
        self.made += 1
        if self.db is not None:
            with suppress(sqlite3.Error):
                text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (key, text))
        return value

    def save(self) -> None:
        """Keep only the entries this run used, and close the file."""
        if self.db is None:
            return
        with suppress(sqlite3.Error):
            self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self.used))
            self.db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)")
            self.db.commit()
        self.db.close()
        self.db = None


def _open_table(path: Path, version: str) -> sqlite3.Connection:
    """Open (or create) a table file, checked: a damaged file raises sqlite3.Error, so the caller can start over."""
    db = sqlite3.connect(path, timeout=30)
    try:
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError(f"{path} failed its integrity check")
        db.execute("CREATE TABLE IF NOT EXISTS meta (version TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        row = db.execute("SELECT version FROM meta").fetchone()
        if row is None or row[0] != version:
            db.execute("DELETE FROM entries")
            db.execute("DELETE FROM meta")
            db.execute("INSERT INTO meta VALUES (?)", (version,))
            db.commit()
    except sqlite3.Error:
        db.close()
        raise
    return db


def remove_sqlite(path: Path) -> None:
    """Delete an SQLite file with its journal, so a new file of that name does not inherit a stale one."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def check_sealed(path: Path) -> None:
    """Remove a file another program writes into our cache (jieba's marshal dump) unless it is the one
    we saw written: its hash is in `<name>.sha256` beside it."""
    seal_path = path.with_name(path.name + ".sha256")
    if path.exists():
        try:
            ok = seal_path.read_text("ascii").strip() == hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            ok = False
        if not ok:
            path.unlink(missing_ok=True)


def seal(path: Path) -> None:
    """Write the hash of `path` beside it, so check_sealed accepts it next time."""
    if path.is_file():
        path.with_name(path.name + ".sha256").write_text(hashlib.sha256(path.read_bytes()).hexdigest(), "ascii")
