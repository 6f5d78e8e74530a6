"""The package's stages depend one way: records ← search, exchange ← pages ← plugin/cli; downloads read records only.

`govcases.printing` (page setup of .xlsx files) is a leaf that exchange and downloads both use."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "govcases"

# What each stage may import from the package (besides itself); a prefix stands for its modules.
ALLOWED = {
    "govcases.paths": set(),
    "govcases.cache": {"govcases.paths"},
    "govcases.printing": set(),
    "govcases.records": {"govcases.paths"},
    "govcases.downloads": {"govcases.records", "govcases.printing"},
    "govcases.search": {"govcases.paths", "govcases.cache", "govcases.records"},
    "govcases.exchange": {"govcases.paths", "govcases.cache", "govcases.records", "govcases.printing"},
    "govcases.pages": {"govcases.paths", "govcases.cache", "govcases.records", "govcases.downloads",
                       "govcases.search", "govcases.exchange"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _imports() -> dict[str, set[str]]:
    """Every package module's imports of package modules, at any depth (in functions, under TYPE_CHECKING)."""
    out: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("govcases"):
                found |= {f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module
                          for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("govcases")}
        out[_module(path)] = found
    return out


def _is_module(name: str) -> bool:
    base = REPO / Path(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _stage(module: str) -> str:
    return next((s for s in ALLOWED if module == s or module.startswith(s + ".")), module)


def test_each_stage_imports_only_the_stages_before_it() -> None:
    wrong = []
    for module, imported in _imports().items():
        stage = _stage(module)
        if stage not in ALLOWED:
            continue  # plugin, cli and the package itself sit on top
        for target in imported:
            if _stage(target) != stage and _stage(target) not in ALLOWED[stage]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_only_the_plugin_imports_mkdocs() -> None:
    users = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
                users.append(_module(path))
    assert sorted(set(users)) == ["govcases.plugin"]


def test_no_import_cycle() -> None:
    imports = _imports()
    graph = {m: {t for t in ts if t in imports} for m, ts in imports.items()}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt in path:
                cycles.append(" → ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert cycles == []
