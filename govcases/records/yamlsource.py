"""Read one YAML file safely into plain data plus the line/column of every value."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from govcases.records.errors import Problem, field_path, os_error, printable
from govcases.records.files import not_a_file

MAX_BYTES = 1_000_000  # a case record is a few KB; anything near 1 MB is a mistake or an attack
MAX_NODES = 20_000  # bounds alias expansion ("billion laughs") long before memory suffers

Loc = tuple[str | int, ...]

# Plain YAML values only: text, numbers, booleans, null and dates. Binary, sets and objects are refused.
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}

# Invisible characters that no record needs: C0 controls but tab and newline, DEL, C1 controls, line and
# paragraph separators, and the bidirectional overrides that make text display in another order than it reads.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A number as people write it. YAML 1.1 also reads 010 as 8, 0x1F as 31, 1:30 as 90 and 1_000 as 1000.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?")
MAX_NUMBER = 10**15  # larger than any count or amount in a record; far below where floats lose whole numbers
# Text that has the shape of a date must be a date that exists (quoting does not make 2022-02-30 real).
_DATE_SHAPE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass
class YamlDoc:
    """A parsed file: its data and where each value (and each mapping key) starts."""

    path: str
    data: Any
    problems: list[Problem] = field(default_factory=list)  # values that parse but no record may hold
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # ('figures', 2, 'value') -> (12, 5)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # same, for the key's own position

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Position of `loc`, or of its nearest ancestor that has one (a missing field points at its parent)."""
        table = self.key_marks if key else self.marks
        while loc:
            if loc in table:
                return table[loc]
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False, field: str | None = None) -> Problem:
        """A problem at `loc` (at its key with `key`), named by its field path unless `field` is given."""
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, field_path(loc) if field is None else field, message)


def strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text in `data` (mappings and lists walked in order) with where it stands under `loc`."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*loc, i))


class _Refused(Exception):
    def __init__(self, node: Node | None, message: str):
        self.node = node
        self.message = message


def _decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM, as Windows editors write it, is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, 1, "", (
            f"文件不是 UTF-8 编码{hint}，第 {line} 行有无法识别的字节 0x{raw[exc.start]:02x}；请另存为 UTF-8："
            "记事本选“另存为 → 编码：UTF-8”，WPS 选“另存为 → 纯文本 → 编码：UTF-8”"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


class _Builder(SafeConstructor):
    """Builds plain Python data from composed nodes, recording marks and refusing what is unsafe."""

    def __init__(self, doc: YamlDoc):
        super().__init__()
        self.doc = doc
        self.count = 0

    def _problem(self, node: Node, loc: Loc, message: str) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.doc.problems.append(Problem(self.doc.path, line, col, field_path(loc), message))

    def _check(self, node: ScalarNode, value: Any, loc: Loc) -> None:
        """Values PyYAML accepts but a record must not hold: control characters, NaN and infinity, huge
        numbers, numbers not written in plain decimal, and dates that do not exist."""
        raw = node.value
        if isinstance(value, str):
            if m := CONTROL.search(value):
                self._problem(node, loc, f"含有不可见的控制字符 {_named(m.group(0))}（多来自复制粘贴）；请删除它")
            elif shape := _DATE_SHAPE.fullmatch(value.strip()):
                year, month, day = (int(g) if g else 1 for g in shape.groups())
                try:
                    dt.date(year, month, day)
                except ValueError:
                    self._problem(node, loc, (f"日期 '{value.strip()}' 不存在；"
                                              "请写真实的日期 YYYY-MM-DD（只知年月时写 YYYY-MM）"))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                self._problem(node, loc, f"'{printable(raw)}' 不是一个数值（.nan/.inf）；请写来源中的数字")
            elif abs(value) >= MAX_NUMBER:
                shown = printable(raw[:20]) + ("…" if len(raw) > 20 else "")
                self._problem(node, loc, f"数字 {shown} 太大（最多 15 位）；请换用更大的单位，如 万元、亿元")
            elif not _DECIMAL.fullmatch(raw):
                self._problem(node, loc, (
                    f"'{printable(raw)}' 不是普通的十进制数字（YAML 会把它读成 {value}）；请直接写十进制数字，"
                    "不要用前导 0、0x、下划线或冒号；若本来是文字，请加上引号"))

    def build(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(node, (
                f"内容太多（超过 {MAX_NODES} 个值），多半是用了会层层展开的“&”“*”引用；"
                "请删掉“&”“*”，把内容直接写出来"))
        self.doc.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _Refused(node, _tag_message(node))
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(node, _tag_message(node))
        try:
            value = self.construct_object(node)
        except ConstructorError as exc:
            raise _Refused(node, _tag_message(node)) from exc
        except (ValueError, OverflowError) as exc:
            # Looks like a date to YAML but is not one (2022-13-40): say so where it stands.
            raise _Refused(node, (f"日期 '{node.value}' 不存在；请写真实的日期 YYYY-MM-DD（只知年月时写 YYYY-MM）；"
                                  "若本来是文字，请加上引号")) from exc
        self._check(node, value, loc)
        return value

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _Refused(node, _tag_message(node))
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, "不支持“<<”合并写法；请把各字段逐一写出来")
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise _Refused(key_node, "字段名必须是普通文字（如 title）；请去掉字段名里的括号、引用或“?”等记号")
            key = self.construct_object(key_node)
            key = key if isinstance(key, str) else str(key)
            if m := CONTROL.search(key):
                self._problem(key_node, loc, f"字段名含有不可见的控制字符 {_named(m.group(0))}；请删除它")
                key = printable(key)
            if key in out:
                first = self.doc.key_marks[(*loc, key)]
                raise _Refused(
                    key_node, (f"字段“{key}”写了两次（第一次在第 {first[0]} 行），后一个会覆盖前一个；"
                               "请合并成一个，删掉多余的")
                )
            self.doc.key_marks[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key))
        return out


def _tag_message(node: Node) -> str:
    """Why a value written with a `!` tag is refused."""
    tag = printable(node.tag.replace("tag:yaml.org,2002:", "!!"))  # as it was typed
    return (f"不支持“!”开头的类型标记 {tag}；请删掉它，只写普通文字、数字或日期"
            "（文字以“!”开头时请加引号）")


def _named(char: str) -> str:
    """A control character as it can be shown: \\x1b, \\u202e."""
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


def _compose(text: str) -> list[Node]:
    """Parse to nodes with libyaml (about 2.5x faster); on any error parse again in pure Python, whose
    messages and positions are the ones our users (and golden files) see."""
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except (yaml.YAMLError, RecursionError):
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDENT = "缩进不对，同一级的字段要左边对齐，下一级比上一级多缩进两个空格；请用空格调整这一行的缩进"
_QUOTE_IT = "请给整段文字加上引号，如 '{0}……'"


def _syntax_message(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, Any]:
    """Explain a PyYAML syntax error in plain Chinese, with the fix; returns (message, mark to point at)."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark or exc.context_mark, exc.context_mark
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "'\\t'" in problem:
        return "这一行用 Tab 键缩进了；请删掉 Tab，改用空格缩进（每级两个空格）", mark
    if "quoted scalar" in context and "end of stream" in problem and opened is not None:
        return "这里开始的引号到文件末尾都没有配对的后引号；请在文字末尾补上同样的引号，或删掉这个引号", opened
    for kind, (left, right) in {"flow sequence": ("[", "]"), "flow mapping": ("{", "}")}.items():
        if kind in context and opened is not None:
            return (f"这里开始的“{left}”没有配对的“{right}”；请在列表末尾补上“{right}”；"
                    f"若“{left}”是文字的一部分，请给整段文字加上引号"), opened
    if problem == "mapping values are not allowed here" and mark is not None:
        before = line[: mark.column].strip().removeprefix("- ").strip()
        if ":" in before or not _FIELD_NAME.fullmatch(before):
            return ("文字里有英文冒号“:”（后面跟着空格），会被当成新的字段；"
                    "请改用中文冒号“：”，或给整段文字加上引号"), mark
        return _INDENT, mark
    if problem == "could not find expected ':'" and opened is not None:
        return ("这一行既不是“字段: 值”，也不是以“- ”开头的列表项；列表项的“-”后要空一格，"
                "新字段写成“字段: 值”，上一行文字的续行要比字段名多缩进"), opened
    if "found '<scalar>'" in problem and mark is not None:
        return "引号后面还有文字；引号要把整段文字括起来：请把后引号移到文字末尾，或去掉引号", mark
    if "found ']'" in problem or "found '}'" in problem:
        bracket = "]" if "']'" in problem else "}"
        return f"多了一个“{bracket}”；请删掉它，若它是文字的一部分，请给整段文字加上引号", mark
    if "expected <block end>" in problem or "did not find expected" in problem:
        return _INDENT, mark
    if "unknown escape character" in problem:
        return "双引号里的反斜杠“\\”有特殊含义；请改用单引号括起这段文字，或写两个反斜杠“\\\\”", mark
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return f"值不能以“{char}”开头；" + _QUOTE_IT.format(char), mark
    for word, char in (("alias", "*"), ("anchor", "&"), ("tag", "!"), ("block scalar", "|")):
        if word in context or word in problem:
            return f"值不能以“{char}”开头（YAML 把它当作特殊记号）；" + _QUOTE_IT.format(char), opened or mark
    if "end of stream" in problem:
        return "文件在一段内容还没写完时就结束了；请检查最后几行的引号、括号和缩进", mark
    return f"写法有误，YAML 读不懂这一行；请检查冒号、引号、括号和缩进（解析器原文：{problem or context}）", mark


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """A syntax error at the place a person must fix (an unclosed quote points at where it opened, a line
    indented wrongly at its first character)."""
    lines = text.split("\n")
    message, mark = _syntax_message(exc, lines)
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if message == _INDENT and 0 < line <= len(lines):
        col = len(lines[line - 1]) - len(lines[line - 1].lstrip(" ")) + 1
    return Problem(shown, line, col, "", f"格式错误：{message}")


def read_bounded(path: Path, shown: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file of at most MAX_BYTES. The file is opened without waiting (a FIFO would
    block) and checked after opening; at most MAX_BYTES + 1 bytes are read, whatever the size claims
    (a link to /dev/zero reports size 0 and never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, Problem(shown, 0, 0, "", os_error(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(shown, 0, 0, "", not_a_file(info.st_mode))
        if info.st_size > MAX_BYTES:
            return None, Problem(shown, 0, 0, "", (
                f"文件太大（{info.st_size} 字节，最多 {MAX_BYTES} 字节）；"
                "一个案例只需几千字，请检查是否粘贴了整篇原文或图片"))
        chunks, size = [], 0
        while size <= MAX_BYTES and (chunk := os.read(fd, MAX_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, Problem(shown, 0, 0, "", os_error(exc))
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        return None, Problem(shown, 0, 0, "", (
            f"文件太大（超过 {MAX_BYTES} 字节）；一个案例只需几千字，请检查是否粘贴了整篇原文或图片"))
    return b"".join(chunks), None


def load_yaml(path: Path, display: str | None = None) -> tuple[YamlDoc | None, Problem | None]:
    """Parse `path`; return the document, or the first problem that makes the file unreadable."""
    shown = display or str(path)
    raw, problem = read_bounded(path, shown)
    if raw is None:
        return None, problem
    text, problem = _decode(raw, shown)
    if text is None:
        return None, problem
    doc = YamlDoc(shown, None)
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(shown, exc, text)
    except ReaderError as exc:  # a raw control character; PyYAML gives only its offset
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - before.rfind("\n")
        name = _named(chr(exc.character)) if isinstance(exc.character, int) else repr(exc.character)
        return None, Problem(shown, line, col, "", f"含有不可见的控制字符 {name}（多来自复制粘贴）；请删除它")
    except yaml.YAMLError as exc:
        return None, Problem(shown, 0, 0, "", (
            f"格式错误，YAML 读不懂这个文件；请检查冒号、引号、括号和缩进（解析器原文：{exc}）"))
    except RecursionError:
        # PyYAML parses nested collections recursively; thousands of levels exhaust the stack.
        return None, Problem(shown, 0, 0, "", "嵌套层数太多（一个案例只需几层缩进）；请检查缩进和“[”“{”是否成对")
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return None, Problem(shown, mark.line + 1, mark.column + 1, "", (
            "一个文件只能写一个案例，这里的“---”之后又开始了一个；请删掉“---”，另一个案例另存一个文件"))
    if not nodes:
        return None, Problem(shown, 1, 1, "", "文件是空的；请用 govcases new 生成骨架后填写，或删掉这个文件")
    try:
        doc.data = _Builder(doc).build(nodes[0], ())
    except _Refused as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, Problem(shown, line, col, "", exc.message)
    except RecursionError:
        return None, Problem(shown, 0, 0, "", "嵌套层数太多（一个案例只需几层缩进）；请检查缩进和“[”“{”是否成对")
    return doc, None
