"""Command output that never crashes: characters a terminal cannot show are replaced, a closed pipe is quiet."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class SafeStream:
    """A text stream in front of stdout or stderr. Characters its encoding lacks (an ASCII or GBK console)
    become '?'; once the reader has gone (`govcases validate | head -1`) the rest is dropped, so the
    command still finishes and returns its own exit code."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if self.closed_pipe:
            return len(text)
        try:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self.stream, "encoding", None) or "ascii"
                self.stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
        except BrokenPipeError:
            self._drop()
        return len(text)

    def flush(self) -> None:
        if self.closed_pipe:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self) -> None:
        # Point the descriptor at /dev/null, so Python's own flush at exit does not fail again.
        self.closed_pipe = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr are SafeStreams."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        for safe in (sys.stdout, sys.stderr):
            if isinstance(safe, SafeStream):
                safe.flush()
        sys.stdout, sys.stderr = saved
