"""Property test: whatever bytes a record file holds, the loader returns a record or our own problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcases.records.errors import Problem
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
