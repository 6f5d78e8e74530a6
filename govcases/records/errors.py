"""Problems found in input files, formatted the way editors and compilers print them, and the words for a file
that cannot be read or written."""

from __future__ import annotations

import errno
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


# A record's name that is a folder; the same words whether the scan or the open finds it.
FOLDER = "是一个文件夹，不是记录文件；请改名（去掉 .yaml），或移出这个目录"

# Why a file could not be read (a record) or written (an output), with what to do, by the system's error
# number: (reading, writing); None where that error has no words of its own for that side.
_OS_REASONS: dict[int, tuple[str | None, str | None]] = {
    errno.ENOENT: ("文件不存在（若是链接，它指向的文件已不在）；请恢复它，或删除这个链接",
                   "所在的文件夹不存在；请先建立文件夹，或换一个路径"),
    errno.EACCES: ("没有读取权限；请检查文件权限（如 chmod a+r）", "没有写入权限；请换一个位置，或检查权限"),
    errno.EPERM: ("没有读取权限；请检查文件权限（如 chmod a+r）", "没有写入权限；请换一个位置，或检查权限"),
    errno.EISDIR: (FOLDER, "这是一个文件夹；请给出文件名，如 case.schema.json"),
    errno.ENAMETOOLONG: ("文件名太长；请改用较短的名字", "文件名太长；请改用较短的名字"),
    errno.ELOOP: ("是一个循环的链接（链接指向自己）；请删除它，或让它指向真实的文件", None),
    errno.ENOTDIR: (None, "路径中有一段不是文件夹；请换一个路径"),
    errno.ENOSPC: (None, "磁盘已满，无法写入；请腾出空间后重试"),
    errno.EDQUOT: (None, "磁盘配额已用完，无法写入；请腾出空间后重试"),
    errno.EROFS: (None, "文件系统是只读的；请换一个位置"),
}


def os_error(exc: OSError, *, writing: bool = False) -> str:
    """Why a file could not be read (or, `writing`, written), in Chinese, with what to do."""
    verb, hint = ("写入", "请检查路径、权限和磁盘空间") if writing else ("读取", "请检查这个文件能否用记事本打开")
    reason = _OS_REASONS.get(exc.errno or 0, (None, None))[int(writing)] or f"{exc.strerror or exc}（系统提示）；{hint}"
    return f"无法{verb}：{reason}"
