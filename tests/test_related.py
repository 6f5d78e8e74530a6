"""Related cases computed for every case at once give what more-like-this gives one case at a time; caches."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import CORPUS

from govcases.records.library import Library, load_library

pytestmark = pytest.mark.usefixtures("private_cache")  # never the user's cache


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(CORPUS)


def _more_like(words: list[dict[str, int]], doc: int) -> dict[int, float]:
    """More-like-this for one document, written out plainly: its 20 best words by Bo1, then BM25."""
    n = len(words)
    length = [sum(c.values()) for c in words]
    avg = sum(length) / n
    total: dict[str, int] = {}
    df: dict[str, int] = {}
    for counts in words:
        for w, tf in counts.items():
            total[w] = total.get(w, 0) + tf
            df[w] = df.get(w, 0) + 1

    def bo1(w: str, tf: int) -> float:
        f = total[w] / n
        return tf * math.log((1 + f) / f, 2) + math.log(1 + f, 2)

    keys = sorted(words[doc].items(), key=lambda kv: (-bo1(*kv), kv[0]))[:20]
    top = bo1(*keys[0])
    scores: dict[int, float] = {}
    for w, tf in keys:
        idf = math.log(n / (df[w] + 1)) + 1
        for other, counts in enumerate(words):
            if other != doc and w in counts:
                t = counts[w]
                s = idf * t * 2.2 / (t + 1.2 * (0.25 + 0.75 * length[other] / avg))
                scores[other] = scores.get(other, 0.0) + s * bo1(w, tf) / top
    return scores


def test_similarity_for_all_cases_at_once_is_more_like_one_by_one(lib: Library) -> None:
    from govcases.search.related import body_words
    from govcases.search.scoring import BodySimilarity

    words = body_words(lib)
    sim = BodySimilarity(words)
    for i, case in enumerate(lib.cases):
        expected = _more_like(words, i)
        got = sim.of(i)
        assert got.keys() == expected.keys(), case.id
        assert all(got[k] == pytest.approx(v, rel=1e-9) for k, v in expected.items()), case.id


def _related_one_by_one(lib: Library, case_id: str, limit: int = 5) -> list[str]:
    """The scoring as first written: every other case, shared types and text similarity."""
    from govcases.search.related import body_words

    ids = [c.id for c in lib.cases]
    similar = {ids[i]: s for i, s in _more_like(body_words(lib), ids.index(case_id)).items()}
    top = max(similar.values(), default=0.0) or 1.0
    mine = lib.by_id[case_id].record.practice_types
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
    from govcases.search.related import related_all

    table = related_all(lib)
    assert table.keys() == lib.by_id.keys()
    for case in lib.cases:
        assert table[case.id] == _related_one_by_one(lib, case.id), case.id


def test_related_lists_are_cached_by_content(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from govcases.search import related as R

    first = R.related_all(lib)
    R._memo = None
    monkeypatch.setattr(R, "Relations", None)  # a cache miss would fail here
    assert R.related_all(load_library(CORPUS)) == first


def test_office_files_are_cached_by_content(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import govcases.downloads.docx
    from govcases.pages.templates import template_outputs

    _, made = template_outputs(lib)
    monkeypatch.setattr(govcases.downloads.docx, "template_docx", None)  # a cache miss would fail here
    _, again = template_outputs(lib)
    assert again == made and any(path.endswith(".docx") for path in again)


def test_cache_survives_an_unwritable_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from govcases.cache import cached

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GOVCASES_CACHE_DIR", str(blocker))
    assert cached("kind", "key", lambda: b"made") == b"made"


def test_a_word_counts_only_for_the_records_it_weighs_most_in() -> None:
    from govcases.search.scoring import BodySimilarity

    # 调解 is in every record; twice in record 1 and three times in record 2, once elsewhere.
    words = [{"调解": 1, "甲": 5}, {"调解": 2, "乙": 1}, {"调解": 3, "丙": 1}, {"调解": 1, "丁": 9}]
    assert BodySimilarity(words).of(0).keys() == {1, 2, 3}
    assert BodySimilarity(words, top=2).of(0).keys() == {1, 2}
