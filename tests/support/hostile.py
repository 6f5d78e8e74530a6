"""A project whose every string field of every record kind carries a script payload, generated from the models.

The string fields are found by walking the pydantic models, so a field added to the schema is attacked
without editing this file. Each payload goes into one record of each kind in two forms: before the field's
own text (block syntax such as `!!! note` or `1.` works at the start of a line) and after it (an attribute
list `{ … }` works at the end of a heading, a table cell or a list item; a URL must still start with
https://). Whatever the validator rejects is put back to the original value, so the build sees every
hostile value the validator lets through.
"""

from __future__ import annotations

import copy
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from govcases.records.library import collect
from govcases.records.model import CaseRecord
from govcases.records.policy import PolicyRecord
from govcases.records.taxonomy import Term
from govcases.records.templates import TemplateRecord

PAYLOADS = [  # a leading space where the syntax needs one after the field's own text
    " { tabindex=1 autofocus onfocus=alert(1) }",
    " {: .x onclick=alert(2) }",
    "<https://a.example><svg onload=alert(3)>",
    "><svg/onload=alert(4)>",
    "<img src=x onerror=alert(5)>",
    "<script>alert(6)</script>",
    '!!! note "<img src=x onerror=alert(7)>"',
    '???+ note "t" { onclick=alert(8) }',
    "[点我](javascript:alert(9))",
    "![图](javascript:alert(10)) { onerror=alert(10) }",
    "&lt;img src=x onerror=alert(11)&gt;",
    "&#60;svg onload=alert(12)&#62;",
    '<a href="javascript:alert(13)">x</a>',
    '"><svg onload=alert(14)>',
    " *强调*{ onmouseover=alert(15) }",
    "<details open ontoggle=alert(16)>",
    "1. x { autofocus tabindex=1 onfocus=alert(17) }",
    '<div markdown="1" onclick="alert(18)">x</div>',
]

# Vocabulary fields: a record may only use values the taxonomy lists, so the hostile value is added there.
VOCABULARY = {"practice_types": "practice_types", "dimensions": "dimensions", "level": "levels",
              "province": "provinces"}

# A fill-in field's name must match a 【…】 in the template's text; a hostile name only makes every text that
# uses it wrong, and putting those back would hide them from the test.
KEEP = {("fields", "*", "name")}

MISSING = object()
Path_ = tuple[str, ...]  # field names and "*" for every item of a list


def string_paths(model: type[BaseModel], prefix: Path_ = ()) -> Iterator[Path_]:
    """Every field of `model` (and of the models inside it) that holds text, as a path of names."""
    for name, info in model.model_fields.items():
        yield from _paths(info.annotation, (*prefix, name), set())


def _paths(ann: Any, loc: Path_, seen: set[Any]) -> Iterator[Path_]:
    origin, args = get_origin(ann), get_args(ann)
    if ann is str:
        yield loc
    elif origin is Annotated:
        yield from _paths(args[0], loc, seen)
    elif origin in (Union, types.UnionType):
        found: list[Path_] = []
        for arg in args:
            found += [p for p in _paths(arg, loc, seen) if p not in found]
        yield from found
    elif origin in (tuple, list):
        yield from _paths(args[0], (*loc, "*"), seen)
    elif origin is dict:  # the values; keys are names from elsewhere (evidence: practice type → text)
        yield from _paths(args[1], (*loc, "*"), seen)
    elif origin is Literal:
        return  # a fixed choice is not free text
    elif isinstance(ann, type) and issubclass(ann, BaseModel) and ann not in seen:
        for name, info in ann.model_fields.items():
            yield from _paths(info.annotation, (*loc, name), seen | {ann})


def _hostile(payload: str, original: Any, where: str) -> str:
    # Alone, the payload meets block syntax (`!!! note "…"` must end its line); after the field's own text it
    # meets what works at the end of a line, and fields that must start a certain way (https://…).
    # A template's fill-in fields (【村名】) must stay in its text, so there the payload goes before them.
    base = original if isinstance(original, str) and original else "文本"
    if where == "alone":
        return f"{payload.strip()} {base}" if "【" in base else payload.strip()
    return base + payload


class Hostile:
    """One record of one kind with `payload` written into every text field; remembers what it changed."""

    def __init__(self, data: dict[str, Any], model: type[BaseModel], payload: str, where: str) -> None:
        self.data = copy.deepcopy(data)
        self.original = data
        self.changed: dict[tuple[Any, ...], Any] = {}  # concrete location -> original value (or MISSING)
        self.keyed: set[tuple[Any, ...]] = set()  # locations that are entries of a mapping
        self.paths = list(string_paths(model))
        for path in self.paths:
            if path in KEEP:
                continue
            self._set(self.data, path, (), payload, where)

    def _set(self, node: Any, path: Path_, loc: tuple[Any, ...], payload: str, where: str) -> None:
        head, rest = path[0], path[1:]
        if head == "*" and isinstance(node, dict):
            for key, item in node.items():
                self.keyed.add((*loc, key))
                self.changed.setdefault((*loc, key), item)
                node[key] = _hostile(payload, item, where)
            return
        if head == "*":
            if not isinstance(node, list):
                return
            if not node and not rest:
                node.append(_hostile(payload, None, where))
                self.changed[loc] = []
                return
            vocabulary = _key(loc) in VOCABULARY
            for i, item in enumerate(node):
                if rest:
                    self._set(item, rest, (*loc, i), payload, where)
                elif not vocabulary or i == 0:  # one hostile term per record is enough
                    self.changed.setdefault((*loc, i), item)
                    node[i] = _hostile(payload, "词表" if vocabulary else item, where)
            return
        if isinstance(node, str) and len(path) == 1:  # the short form of a model: a plain string is its text
            node = {head: node}
            _put(self.data, loc, node)
            self.changed.setdefault(loc, node[head])
        if not isinstance(node, dict):
            return
        if rest:
            if head in node:
                self._set(node[head], rest, (*loc, head), payload, where)
            elif rest == ("*",):
                node[head] = [_hostile(payload, None, where)]
                self.changed[(*loc, head)] = MISSING
            return
        self.changed.setdefault((*loc, head), node.get(head, MISSING))
        node[head] = _hostile(payload, "词表" if head in VOCABULARY else node.get(head), where)

    def vocabulary(self) -> Iterator[tuple[str, str]]:
        """(taxonomy list, value) for every hostile value written into a vocabulary field."""
        for loc in self.changed:
            key = _key(loc)
            if key in VOCABULARY:
                value = _get(self.data, loc)
                for v in value if isinstance(value, list) else [value]:
                    yield VOCABULARY[key], v

    def restore(self, field: str) -> bool:
        """Put back the original value at the problem's field (`figures[2].note`) and below; False if none."""
        done = False
        found = [loc for loc in self.changed if _dotted(loc).startswith(field) or field.startswith(_dotted(loc))]
        created = [loc for loc in found if self.changed[loc] is MISSING]
        if len(found) > 1 and created:  # a check of the whole record: first take out only what was added
            found = created
        for loc in sorted(found, key=len, reverse=True):  # a field before the record that holds it
            original = self.changed.pop(loc)
            parent = _get(self.data, loc[:-1])
            if original is MISSING:
                parent.pop(loc[-1], None)
            elif isinstance(original, list) and original == [] and isinstance(parent, list):
                parent.clear()
            else:
                parent[loc[-1]] = original
            done = True
        return done

    def drop_created(self) -> list[str]:
        """Take out the lists the base record did not have (or, when there are none, every field it did not
        have); their dotted names."""
        created = [loc for loc, original in self.changed.items() if original is MISSING]
        lists = [loc for loc in created if isinstance(_get(self.data, loc), list)]
        created = [_dotted(loc) for loc in lists or created]
        for field in created:
            self.restore(field)
        return created

    def carried(self) -> set[Path_]:
        """The model paths whose hostile value is still in the record."""
        out = set()
        for loc in self.changed:
            path = tuple("*" if isinstance(p, int) else p for p in loc)
            if loc in self.keyed:
                path = (*path[:-1], "*")
            value = _get(self.data, loc)
            out.add((*path, "*") if isinstance(value, list) else path)
        return out


def _rekey_evidence(hostile: Hostile) -> None:
    """A case's `evidence` is keyed by its practice types and dimensions: the keys follow their hostile names."""
    evidence = hostile.data.get("evidence")
    if not isinstance(evidence, dict):
        return
    names = [*hostile.data.get("practice_types", []), *hostile.data.get("dimensions", [])]
    originals = [*hostile.original.get("practice_types", []), *hostile.original.get("dimensions", [])]
    renamed = {}
    for old, new in zip(originals, names, strict=False):
        if old in evidence:
            renamed[new] = evidence[old]
            if old != new:
                hostile.changed[("evidence", new)] = hostile.changed.pop(("evidence", old), evidence[old])
                hostile.keyed.add(("evidence", new))
    hostile.data["evidence"] = renamed


def _key(loc: tuple[Any, ...]) -> str:
    """The field name of a location: `practice_types` for ('practice_types', 0)."""
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "")


def _get(node: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        node = node[part]
    return node


def _put(node: Any, loc: tuple[Any, ...], value: Any) -> None:
    _get(node, loc[:-1])[loc[-1]] = value


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shapes(node: Any) -> set[str]:
    """The key paths inside `node` (`measures.*.responsible` …), to tell which list items add a field."""
    if isinstance(node, dict):
        return {f"{k}.{s}" for k, v in node.items() for s in _shapes(v) | {""}}
    if isinstance(node, list):
        return {f"*.{s}" for item in node for s in _shapes(item) | {""}}
    return set()


def trimmed(node: Any) -> Any:
    """`node` with each list of records cut to its first item plus the items that hold a field the kept ones
    lack: every field stays, the pages stay small."""
    if isinstance(node, dict):
        return {k: trimmed(v) for k, v in node.items()}
    if not isinstance(node, list) or not all(isinstance(item, dict) for item in node):
        return node  # lists of text stay whole: other fields are checked against them (figures in excerpts)
    kept: list[Any] = []
    seen: set[str] = set()
    for item in node:
        shapes = _shapes(item)
        if not kept or not shapes <= seen:
            kept.append(trimmed(item))
            seen |= shapes
    return kept


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class HostileProject:
    """Writes the hostile records into a project made by conftest.make_project and keeps what validates."""

    def __init__(self, root: Path, taxonomy: Path, case: Path, template: Path, policy: Path) -> None:
        self.root = root
        self.taxonomy_path = root / "cases" / "_taxonomy.yaml"
        self.taxonomy = _load(taxonomy)
        case_ids = sorted(p.stem for p in (root / "cases").glob("*.yaml") if not p.name.startswith("_"))
        base_template = trimmed(_load(template))
        text = yaml.safe_dump({k: v for k, v in base_template.items() if k != "fields"}, allow_unicode=True)
        base_template["fields"] = [f for f in _load(template)["fields"] if f"【{f['name']}】" in text]
        # Cited cases must exist here (and a departure's case must be cited): keep those the project has.
        base_template["cases"] = [c for c in base_template["cases"] if c in case_ids] or case_ids[:2]
        if isinstance(base_template.get("ledger"), dict):  # the smallest workbook: 36 of them are made
            base_template["ledger"].update(households=5, log_rows=20)
        kinds = [("cases", "inj-case", trimmed(_load(case)), CaseRecord),
                 ("templates", "inj-template", base_template, TemplateRecord),
                 ("cases/_policies", "inj-policy", trimmed(_load(policy)), PolicyRecord)]
        self.records: dict[Path, Hostile] = {}
        for n, payload in enumerate(PAYLOADS):
            for where in ("alone", "after"):
                for folder, stem, data, model in kinds:
                    path = root / folder / f"{stem}-{n}-{where}.yaml"
                    self.records[path] = hostile = Hostile(data, model, payload, where)
                    _rekey_evidence(hostile)
                    for key, value in self.records[path].vocabulary():
                        self._add_vocabulary(key, value, payload, where)

    def _add_vocabulary(self, key: str, value: str, payload: str, where: str) -> None:
        """Add a record's hostile vocabulary value to the taxonomy; a new term is hostile in every field."""
        listed = self.taxonomy[key]
        if value in (t["name"] if isinstance(t, dict) else t for t in listed):
            return
        if key in ("practice_types", "dimensions"):
            term = Hostile(listed[0], Term, payload, where).data
            term.update(id=f"inj-{key[:3]}-{len(listed)}", name=value)
            listed.append(term)
        else:
            listed.append(value)

    def write(self) -> dict[str, list[str]]:
        """Write every record, dropping rejected hostile values until the project validates; returns the
        rejected fields by kind (the validator's share of the defence)."""
        rejected: dict[str, list[str]] = {}
        _dump(self.taxonomy_path, self.taxonomy)
        for _ in range(10):
            for path, hostile in self.records.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                _dump(path, hostile.data)
            _, problems = collect(self.root)
            if not problems:
                return rejected
            by_path = {p.resolve(): h for p, h in self.records.items()}
            progress = False
            dropped: set[int] = set()
            for problem in problems:
                hostile = by_path.get(Path(problem.path).resolve())
                if hostile is None or not problem.field:
                    raise AssertionError(f"cannot put a hostile project together: {problem}")
                kind = next(k for k in ("case", "template", "policy") if f"inj-{k}" in problem.path)
                if hostile.restore(problem.field):  # one change can cause several problems
                    progress = True
                    rejected.setdefault(kind, []).append(f"{problem.field}: {problem.message}")
                elif id(hostile) in dropped:
                    continue  # wait for the next round to see whether the last drop was enough
                elif created := hostile.drop_created():
                    dropped.add(id(hostile))
                    # A field the base record lacked, now checked against (figures against excerpts).
                    progress = True
                    rejected.setdefault(kind, []).extend(f"{c}: dropped for {problem.field}" for c in created)
            if not progress:
                raise AssertionError(f"cannot put a hostile project together: {problems[0]}")
        raise AssertionError("hostile project still invalid after 10 rounds")

    def carried(self, kind: str) -> set[Path_]:
        """The model paths of `kind` that carried a hostile value into at least one built record."""
        out: set[Path_] = set()
        for path, hostile in self.records.items():
            if f"inj-{kind}-" in path.name:
                out |= hostile.carried()
        return out
