"""Related cases computed for every case at once give what whoosh more_like gave one case at a time; caches."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from govcases.library import Library, load_library

pytestmark = pytest.mark.usefixtures("private_cache")  # never the user's cache


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(REPO)


def test_similarity_scores_are_whoosh_more_like(lib: Library) -> None:
    from govcases.search import Similarity, _body_texts, _index

    sim = Similarity(lib)
    searcher = _index(lib.root, lib).searcher
    for case in lib.cases:
        docnum = searcher.document_number(id=case.id)
        text = "\n".join(_body_texts(case.record))
        expected = {r["id"]: r.score for r in searcher.more_like(docnum, "body", text=text, top=None, numterms=20)}
        got = sim.of(case)
        assert got.keys() == expected.keys(), case.id
        assert all(got[k] == pytest.approx(v, rel=1e-12) for k, v in expected.items()), case.id


def _related_one_by_one(lib: Library, case_id: str, limit: int = 5) -> list[str]:
    """The scoring as first written: every other case, shared types and whoosh more_like."""
    from govcases.search import _body_texts, _index

    case = lib.by_id[case_id]
    searcher = _index(lib.root, lib).searcher
    docnum = searcher.document_number(id=case_id)
    text = "\n".join(_body_texts(case.record))
    similar = {r["id"]: r.score for r in searcher.more_like(docnum, "body", text=text, top=None, numterms=20)}
    top = max(similar.values(), default=0.0) or 1.0
    mine = case.record.practice_types
    scored = []
    for other in lib.cases:
        theirs = other.record.practice_types
        if other.id == case_id:
            continue
        shared = len(set(mine) & set(theirs)) / len(set(mine) | set(theirs))
        score = 0.6 * (shared + (0.5 if theirs[0] == mine[0] else 0.0)) + 0.4 * similar.get(other.id, 0.0) / top
        if score > 0:
            scored.append((-score, other.id))
    return [cid for _, cid in sorted(scored)[:limit]]


def test_related_all_matches_the_one_by_one_scoring(lib: Library) -> None:
    from govcases.related import related_all

    table = related_all(lib)
    assert table.keys() == lib.by_id.keys()
    for case in lib.cases:
        assert table[case.id] == _related_one_by_one(lib, case.id), case.id


def test_related_lists_are_cached_by_content(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from govcases import related as R

    first = R.related_all(lib)
    R._memo = None
    monkeypatch.setattr(R, "Relations", None)  # a cache miss would fail here
    assert R.related_all(load_library(REPO)) == first


def test_office_files_are_cached_by_content(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import govcases.office
    from govcases.templates_site import template_outputs

    _, made = template_outputs(lib)
    monkeypatch.setattr(govcases.office, "template_docx", None)  # a cache miss would fail here
    _, again = template_outputs(lib)
    assert again == made and any(path.endswith(".docx") for path in again)


def test_cache_survives_an_unwritable_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from govcases.cache import cached

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(blocker))
    assert cached("kind", "key", lambda: b"made") == b"made"
