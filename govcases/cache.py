"""A content-addressed cache on disk for derived files (documents, related-case lists): same inputs, same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from .analysis import cache_root

# Bump to drop every cached entry at once (e.g. when what a key covers changes).
CACHE_VERSION = "1"
KEEP = 256  # entries per kind; older ones go, so edits over months do not pile up files


def digest(parts: Iterable[str | bytes]) -> str:
    """A short hash of `parts`; each part is length-prefixed, so ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.sha256(f"govcases-cache {CACHE_VERSION}\n".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()[:24]


def source_of(*modules: object) -> list[bytes]:
    """The source bytes of modules, for keys: a change to the code that makes a file makes a new key."""
    return [Path(str(getattr(m, "__file__", ""))).read_bytes() for m in modules]


def cached(kind: str, key: str, make: Callable[[], bytes], keep: int = KEEP) -> bytes:
    """The bytes stored under `kind`/`key`, made by `make()` and stored when missing, keeping the `keep` most
    recently used entries of the kind (a cache that cannot be read or written only costs time)."""
    folder = cache_root() / "files" / kind
    path = folder / key
    with suppress(OSError):
        data = path.read_bytes()
        os.utime(path)  # recently used entries survive pruning
        return data
    data = make()
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # atomically: a reader never sees half a file
        _prune(folder, keep)
    return data


def _prune(folder: Path, keep: int) -> None:
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in entries[:-keep]:
        old.unlink(missing_ok=True)


class Table:
    """Values derived from many small inputs (a page's words, a record's words), stored in one file per
    `name` by a hash of each input, so a rebuild derives only what changed. Entries unused by the last
    run are dropped when it saves; a table of another `version` is ignored."""

    def __init__(self, name: str, version: str) -> None:
        self.path = cache_root() / "tables" / f"{name}.json"
        self.version = version
        self.entries: dict[str, Any] = {}
        with suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            stored = json.loads(self.path.read_bytes())
            if stored["v"] == version:
                self.entries = dict(stored["entries"])
        self.used: set[str] = set()
        self.made = 0

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        """The value stored under `key`, made (and kept for `save`) when missing."""
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = make()
            self.made += 1
        return self.entries[key]

    def save(self) -> None:
        """Write the entries this run used (a cache that cannot be written only costs time)."""
        if not self.made and len(self.used) == len(self.entries):
            return
        data = {"v": self.version, "entries": {k: v for k, v in self.entries.items() if k in self.used}}
        with suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            os.replace(tmp, self.path)
