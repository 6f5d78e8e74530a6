"""Problems found in input files, formatted the way editors and compilers print them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that would act on a terminal instead of showing: every control character (a record's
# "\x1b[2J" clears the screen), line breaks (a message must stay on its line) and bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe to print on one line of a terminal: control characters written as escapes (\\x1b, \\n)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in "\n\t\r":
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: `path:line:col: field：message` (a full-width colon after the field)."""

    path: str
    line: int = 0  # 1-based; 0 when the problem has no position (e.g. an unreadable file)
    col: int = 0
    field: str = ""  # dotted path such as `figures[2].value`; empty for whole-file problems
    message: str = ""

    def __str__(self) -> str:
        # Paths, field names and messages can all carry record text; none may act on the terminal.
        where = self.path if not self.line else f"{self.path}:{self.line}:{self.col}"
        text = f"{where}: {self.field}：{self.message}" if self.field else f"{where}: {self.message}"
        return printable(text)


class ValidationFailed(Exception):
    """Raised with every problem of a run when any input is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} 个错误")

    def report(self) -> str:
        """Every problem on its own line, then a count line."""
        files = len({p.path for p in self.problems})
        lines = [str(p) for p in self.problems]
        lines.append(f"校验失败：{len(self.problems)} 个错误，涉及 {files} 个文件")
        return "\n".join(lines)


def field_path(loc: tuple[str | int, ...]) -> str:
    """Turn a location tuple such as ('figures', 2, 'value') into `figures[2].value`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
