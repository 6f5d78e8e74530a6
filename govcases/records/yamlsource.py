"""Read one YAML file safely into plain data plus the line/column of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govcases.records.errors import Problem

MAX_BYTES = 1_000_000  # a case record is a few KB; anything near 1 MB is a mistake or an attack
MAX_NODES = 20_000  # bounds alias expansion ("billion laughs") long before memory suffers

Loc = tuple[str | int, ...]

# Plain YAML values only: text, numbers, booleans, null and dates. Binary, sets and objects are refused.
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class YamlDoc:
    """A parsed file: its data and where each value (and each mapping key) starts."""

    path: str
    data: Any
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
            hint = "; it looks like GBK/GB18030: re-save it as UTF-8 (e.g. in Notepad: Save As → Encoding: UTF-8)"
        except UnicodeDecodeError:
            pass
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, 1, "", f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}){hint}")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


class _Builder(SafeConstructor):
    """Builds plain Python data from composed nodes, recording marks and refusing what is unsafe."""

    def __init__(self, doc: YamlDoc):
        super().__init__()
        self.doc = doc
        self.count = 0

    def build(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Refused(node, f"too many values (more than {MAX_NODES}); aliases that expand are refused")
        self.doc.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _Refused(node, f"YAML tag {node.tag!r} is not allowed")
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            raise _Refused(node, f"YAML tag {node.tag!r} is not allowed")
        try:
            return self.construct_object(node)
        except ConstructorError as exc:
            raise _Refused(node, f"YAML tag {node.tag!r} is not allowed") from exc
        except (ValueError, OverflowError) as exc:
            # Looks like a date to YAML but is not one (2022-13-40): say so where it stands.
            raise _Refused(node, f"'{node.value}' is not a valid date ({exc}); quote it if it is text") from exc

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _Refused(node, f"YAML tag {node.tag!r} is not allowed")
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, "merge keys ('<<') are not allowed; write the fields out")
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise _Refused(key_node, "a mapping key must be plain text")
            key = self.construct_object(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in out:
                first = self.doc.key_marks[(*loc, key)]
                raise _Refused(
                    key_node, f"duplicate key '{key}' (first at line {first[0]}); the later value would be lost"
                )
            self.doc.key_marks[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key))
        return out


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


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A syntax error at the place a person must fix: an unclosed quote points at where it opened."""
    problem, context = exc.problem or "invalid YAML", exc.context
    mark = exc.problem_mark or exc.context_mark
    if "'\\t'" in problem:
        problem = "a tab character; indent with spaces"
    elif "end of stream" in problem and exc.context_mark is not None and context:
        mark = exc.context_mark
        problem = f"{context.removeprefix('while scanning ').removeprefix('while parsing ')} is never closed"
    elif problem == "mapping values are not allowed here":
        problem += " (check this line's indentation, or quote text that contains ': ')"
    elif context and exc.context_mark is not None:
        where = exc.context_mark
        problem = f"{problem} ({context} at line {where.line + 1}, column {where.column + 1})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(shown, line, col, "", f"YAML syntax error: {problem}")


def load_yaml(path: Path, display: str | None = None) -> tuple[YamlDoc | None, Problem | None]:
    """Parse `path`; return the document, or the first problem that makes the file unreadable."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Problem(shown, 0, 0, "", f"file is too large ({size} bytes; at most {MAX_BYTES})")
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, 0, 0, "", f"cannot read file: {exc.strerror or exc}")
    text, problem = _decode(raw, shown)
    if text is None:
        return None, problem
    doc = YamlDoc(shown, None)
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(shown, exc)
    except yaml.YAMLError as exc:
        return None, Problem(shown, 0, 0, "", f"YAML syntax error: {exc}")
    except RecursionError:
        # PyYAML parses nested collections recursively; thousands of levels exhaust the stack.
        return None, Problem(shown, 0, 0, "", "nesting is too deep (a record needs only a few levels)")
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return None, Problem(shown, mark.line + 1, mark.column + 1, "", "more than one YAML document ('---')")
    if not nodes:
        return None, Problem(shown, 1, 1, "", "file is empty; expected a mapping of fields")
    try:
        doc.data = _Builder(doc).build(nodes[0], ())
    except _Refused as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return None, Problem(shown, line, col, "", exc.message)
    except RecursionError:
        return None, Problem(shown, 0, 0, "", "nesting is too deep (a record needs only a few levels)")
    return doc, None
