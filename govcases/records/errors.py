"""Problems found in input files, formatted the way editors and compilers print them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: `path:line:col: field: message`."""

    path: str
    line: int = 0  # 1-based; 0 when the problem has no position (e.g. an unreadable file)
    col: int = 0
    field: str = ""  # dotted path such as `figures[2].value`; empty for whole-file problems
    message: str = ""

    def __str__(self) -> str:
        where = self.path if not self.line else f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ValidationFailed(Exception):
    """Raised with every problem of a run when any input is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

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
