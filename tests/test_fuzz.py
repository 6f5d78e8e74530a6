"""Property test: whatever bytes a record file holds, the loader returns a record or our own problems."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govcases.pages.build import build_site
from govcases.records.errors import Problem
from govcases.records.library import collect
from govcases.records.load import load_case, load_taxonomy
from govcases.records.model import Case

TAXONOMY, _ = load_taxonomy(FIXTURES / "project" / "cases")
VALID = (FIXTURES / "project" / "cases" / "sichuan-miyi-1357.yaml").read_text(encoding="utf-8")
YAMLISH = [*(":-[]{}&*!|>'\"\t\n #%@`,?<=~"), "!!python/object:os.system", "&a ", "*a", "<<: ", "---", "\r\n"]


def check(data: bytes) -> None:
    assert TAXONOMY is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz-case.yaml"
        path.write_bytes(data)
        case, problems = load_case(path, TAXONOMY)
    assert (case is None) == bool(problems)
    assert case is None or isinstance(case, Case)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    for p in problems:
        str(p)  # every problem formats


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The valid record with a few edits of the kinds editors make: cut, inserted syntax, moved lines."""
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "swap", "duplicate", "retype"]))
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(YAMLISH)) + text[at:]
        elif kind == "delete":
            at = draw(st.integers(0, max(0, len(text) - 1)))
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == "duplicate":
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        else:  # a value of another type where a field expects something else
            key, sep, _ = lines[i].partition(":")
            if sep:
                value = draw(st.sampled_from(["[]", "{}", "~", "123", "true", "2022-13-40", "- x", "'约978'"]))
                lines[i] = f"{key}: {value}"
                text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(mutated())
def test_mutated_records_give_records_or_problems(data: bytes) -> None:
    check(data)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_give_problems(data: bytes) -> None:
    check(data)


@SETTINGS
@given(st.lists(st.sampled_from(YAMLISH + list("abc积分制12 ")), max_size=120))
def test_random_yamlish_text_gives_problems(pieces: list[str]) -> None:
    check("".join(pieces).encode("utf-8"))


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    check(("a: " + "[" * 5000 + "]" * 5000 + "\n").encode())
    check(("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 600))).encode())


# ---------- through the build: a record the loader accepts becomes pages, and its text stays text ----------

BUILD_SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKDOWN = ["tables", "admonition", "attr_list", "md_in_html", "def_list", "toc", "pymdownx.details",
            "pymdownx.superfences"]  # mkdocs.yml's markdown_extensions
# A handler attribute, a javascript: link or image, or an element that runs or embeds something.
MARKUP = re.compile(r"""<[a-z][^>]*\s(?:on[a-z]+\s*=|(?:href|src)\s*=\s*["']?\s*javascript:)"""
                    r"|<(?:script|iframe|svg|img|object|embed)\b", re.I)
HOSTILE_TEXT = st.lists(st.sampled_from([*YAMLISH, "{", "}", " { onclick=alert(1) }", "<svg onload=alert(1)>",
                                         "[x](javascript:alert(1))", "!!! note ", "<", ">", "&", "`", "*", "_",
                                         "|", "#", "1. ", "积分", " "]), min_size=1, max_size=12).map("".join)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the fixture project for the module (its search tables are computed once)."""
    root = tmp_path_factory.mktemp("fuzz") / "p"
    shutil.copytree(FIXTURES / "project", root)
    return root


def build_with(root: Path, case_text: str) -> tuple[dict[str, str], str] | None:
    """The project with its 1357 case replaced: (pages, the case page as HTML), or None when the loader
    refuses the record."""
    (root / "cases" / "sichuan-miyi-1357.yaml").write_text(case_text, encoding="utf-8")
    lib, problems = collect(root)
    if problems or lib is None:
        return None
    pages = build_site(lib).pages
    page = pages["cases/sichuan-miyi-1357.md"].split("---\n", 2)[2]
    return pages, markdown.markdown(page, extensions=MARKDOWN)


@BUILD_SETTINGS
@given(mutated())
def test_mutated_records_that_load_also_build(private_cache: None, fuzz_root: Path, data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    built = build_with(fuzz_root, text)
    if built is not None:
        pages, html = built
        assert "index.md" in pages and "cases/index.md" in pages
        assert MARKUP.search(html) is None


@BUILD_SETTINGS
@given(HOSTILE_TEXT, HOSTILE_TEXT)
@example(title="米易县 { tabindex=1 autofocus onfocus=alert(1) }", action="*做法*{ onclick=alert(1) }")
def test_any_text_in_any_field_builds_as_text(private_cache: None, fuzz_root: Path, title: str, action: str
                                              ) -> None:
    data = yaml.safe_load(VALID)
    data["title"] = title
    data["measures"][0]["heading"] = action
    data["measures"][0]["actions"][0] = action
    data["figures"][0]["label"] = title
    data["place"]["county"] = title
    built = build_with(fuzz_root, yaml.safe_dump(data, allow_unicode=True))
    if built is not None:
        _, html = built
        assert MARKUP.search(html) is None, (title, action, html[:500])
