"""Full-text search of the case records with whoosh (BM25F); the only module that imports whoosh."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index, scoring
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import And, DisjunctionMax, Or, Phrase, Query, Term

from .analysis import (
    ANALYSIS_VERSION,
    USERDICT,
    Synonyms,
    bigrams,
    cache_root,
    default_analyzer,
    normalize,
    short_place_names,
    synonym_groups,
    type_names,
)
from .related import record_body

if TYPE_CHECKING:
    from .library import Library

# Bump when the schema or what goes into a field changes: the cache key includes it.
INDEX_VERSION = "3"
CASES = "cases"  # the records' folder under the project root (as library.CASES_DIR; not imported, for start-up)

# Query-time weight of a match in each field: title, model, practice types and place outweigh body text.
WORD_FIELDS = {"title": 4.0, "model": 4.0, "primary": 3.0, "types": 1.5, "type_syn": 1.0, "keywords": 2.5,
               "place": 3.0, "body": 1.0}
BIGRAM_FIELDS = {"head_bi": 1.5, "body_bi": 0.6}
MODEL_EXACT = 6.0  # the query is a case's model name as written (2+333, 1357)
SYNONYM = 0.3  # the best-matching other word of the same practice type, relative to the word typed
KIN = 0.2  # the same for a word inside the words of one practice type (彩礼 in 高价彩礼)
SUBWORD = 0.3  # the best dictionary word inside a long query word (网格员 in 网格员补贴): a fallback
WHOLE_QUERY = 1.5  # a query of several words appears verbatim
COORD = 0.3  # share of its score a case keeps when it matches almost none of the query's words


class _Analysis(Tokenizer):
    """A whoosh tokenizer over govcases.analysis; positions are the analysis's own (sequential)."""

    def tokens(self, value: str, mode: str) -> list[Any]:
        raise NotImplementedError

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, False, removestops=removestops, mode=mode, **kwargs)
        for tok in self.tokens(value, mode):
            t.text, t.boost, t.stopped = tok.text, 1.0, False
            if positions:
                t.pos = start_pos + tok.pos
            yield t


class WordTokenizer(_Analysis):
    """jieba words; when indexing, also the dictionary words inside long words (at the same position)."""

    def tokens(self, value: str, mode: str) -> list[Any]:
        return default_analyzer().words(value, subwords=mode != "query")


class BigramTokenizer(_Analysis):
    """Character bigrams, so any substring is a phrase."""

    def tokens(self, value: str, mode: str) -> list[Any]:
        return bigrams(value)


def _schema() -> Schema:
    words, chars = WordTokenizer(), BigramTokenizer()
    text_fields = {name: TEXT(analyzer=words) for name in WORD_FIELDS}
    text_fields["title"] = TEXT(analyzer=words, stored=True)
    return Schema(
        id=ID(stored=True, unique=True),
        model_exact=KEYWORD(commas=True, lowercase=True),
        head_bi=TEXT(analyzer=chars),
        body_bi=TEXT(analyzer=chars),
        type_ids=KEYWORD(commas=True),
        province=ID,
        level=ID,
        place_label=STORED,
        summary=STORED,
        text=STORED,
        **text_fields,
    )


@dataclass(frozen=True)
class Hit:
    """One search result; `url` is site-relative (cases/<id>/)."""

    id: str
    title: str
    url: str
    score: float
    place: str
    snippet: str


class UnknownFilter(ValueError):
    """A --type/--province/--level value that the vocabulary does not have."""

    def __init__(self, what: str, value: str, choices: str) -> None:
        super().__init__(f"未知的{what}“{value}”。可选值：{choices}")
        self.what, self.value, self.choices = what, value, choices


# ---- the records as index documents ------------------------------------------------------------


def _doc(lib: Library, case: Any) -> dict[str, str]:
    r = case.record
    types = [lib.taxonomy.type_by_id(t) for t in r.practice_types]
    type_words = [" ".join(type_names(t.name)) for t in types]
    dimensions = [lib.taxonomy.dimension_by_id(d).name for d in r.dimensions]
    models = [m.strip() for m in (r.model or "").replace("；", "、").split("、") if m.strip()]
    body = record_body(r)
    return {
        "id": case.id,
        "title": r.title,
        "model": r.model or "",
        # a KEYWORD value is split at commas; spaces inside a model name are not separators
        "model_exact": ",".join(normalize(m).replace(" ", "") for m in [r.model or "", *models] if m),
        "primary": type_words[0],  # records list their main practice type first
        "types": "\n".join([*type_words, *dimensions]),
        "type_syn": "\n".join(" ".join(t.synonyms) for t in types),
        "keywords": "\n".join(r.keywords),
        "place": " ".join(n for part in r.place.parts() for n in short_place_names(part)),
        "body": body,
        "head_bi": "\n".join([r.title, r.model or "", *r.keywords, r.place.label()]),
        "body_bi": body,
        "type_ids": ",".join(r.practice_types),
        "province": r.place.province,
        "level": r.level,
        "place_label": r.place.label(),
        "summary": r.summary,
        "text": body,
    }


def _meta(lib: Library) -> dict[str, Any]:
    # What a query needs besides the index, so a search with a fresh index never validates the records.
    tax = lib.taxonomy
    return {
        "synonyms": synonym_groups(tax),
        "types": [[t.id, t.name] for t in tax.practice_types],
        "provinces": list(tax.provinces),
        "levels": list(tax.levels),
    }


# ---- the cached index --------------------------------------------------------------------------


def content_key(root: Path) -> str:
    """A hash of everything the index is built from: the record files, the taxonomy, the dictionary and
    the analysis and index versions. Reading bytes is much cheaper than validating the records."""
    h = hashlib.sha256(f"analysis {ANALYSIS_VERSION} index {INDEX_VERSION}\n".encode())
    h.update(USERDICT.read_bytes())
    for path in sorted((root / CASES).glob("*.y*ml")):
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


@dataclass
class _Index:
    key: str
    searcher: Any
    meta: dict[str, Any]


_open: dict[Path, _Index] = {}  # per project folder: the index of its records as last seen
_open_lock = threading.Lock()


def _index(root: Path, lib: Library | None) -> _Index:
    """The open index for `root`'s current records, built (and cached on disk) when they changed."""
    key = content_key(root)
    where = cache_root() / "index" / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    folder = where / key
    with _open_lock:
        current = _open.get(where)
        if current is None or current.key != key:
            try:
                if not (folder / "ready").is_file():
                    lib = lib or _load(root)
                    _build(folder, lib)
                ix, meta = index.open_dir(str(folder)), json.loads((folder / "meta.json").read_text("utf-8"))
            except OSError:  # no writable cache (read-only home, full disk): keep the index in memory
                lib = lib or _load(root)
                ix, meta = _fill(RamStorage().create_index(_schema()), lib), _meta(lib)
            if current is not None:  # `mkdocs serve` after an edit: let go of the old files
                current.searcher.close()
            _open[where] = _Index(key, ix.searcher(weighting=scoring.BM25F()), meta)
        return _open[where]


def _load(root: Path) -> Library:
    from .library import load_library  # pydantic models load only when the index must be (re)built

    return load_library(root)


def _fill(ix: Any, lib: Library) -> Any:
    with ix.writer() as w:
        for case in lib.cases:
            w.add_document(**_doc(lib, case))
    return ix


def _build(folder: Path, lib: Library) -> None:
    # Build next to the final place and rename: a reader never sees half an index, and two builders
    # racing just throw one copy away.
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder.parent))
    try:
        _fill(index.create_in(str(tmp), _schema()), lib)
        (tmp / "meta.json").write_text(json.dumps(_meta(lib), ensure_ascii=False), "utf-8")
        (tmp / "ready").write_text("ok\n")
        try:
            tmp.rename(folder)
        except OSError:
            if not (folder / "ready").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    default_analyzer().write_table()  # jieba is loaded now: later queries start without it
    for old in folder.parent.iterdir():  # indexes of earlier versions of the records
        if old != folder and not old.name.startswith(".build-"):
            shutil.rmtree(old, ignore_errors=True)


# ---- queries -----------------------------------------------------------------------------------


def _phrase(field: str, text: str, boost: float) -> Query | None:
    grams = [t.text for t in bigrams(text)]
    if not grams or (len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii()):
        return None  # one Chinese character: too common to mean anything as a substring
    return Term(field, grams[0], boost=boost) if len(grams) == 1 else Phrase(field, grams, boost=boost)


def _text_clause(text: str, *, substrings: bool = True) -> Query:
    """`text` as a word in every word field, and (optionally) as a substring in the bigram fields."""
    tokens = [t.text for t in default_analyzer().words(text, subwords=False)] or [normalize(text)]
    subs: list[Query] = [
        # a synonym may be several words (政务服务 is 政务 + 服务): they must stand together
        Term(field, tokens[0], boost=w) if len(tokens) == 1 else Phrase(field, tokens, boost=w)
        for field, w in WORD_FIELDS.items()
    ]
    for field, w in BIGRAM_FIELDS.items() if substrings else ():
        q = _phrase(field, text, w)
        if q is not None:
            subs.append(q)
    return Or(subs)


def _word_clause(word: str, synonyms: Synonyms) -> Query:
    """Everything that counts as a match for one query word: the word in each field and as a substring;
    at most the best of the other words of its practice type; at most the best dictionary word inside it."""
    parts: list[Query] = [_text_clause(word)]
    # DisjunctionMax: one matching synonym is evidence, ten must not outweigh the word typed
    others = [_text_clause(s, substrings=False) for s in synonyms.of(word)]
    if others:
        parts.append(DisjunctionMax(others, boost=SYNONYM))
    kin = [_text_clause(s, substrings=False) for s in synonyms.around(word)]
    if kin:
        parts.append(DisjunctionMax(kin, boost=KIN))
    inner = [_text_clause(s, substrings=False) for s in default_analyzer().subwords(word)]
    if inner:
        parts.append(DisjunctionMax(inner, boost=SUBWORD))
    return Or(parts)


def build_query(text: str, synonyms: Synonyms) -> tuple[Query, list[Query]] | None:
    """The whoosh query for what an official typed, and one clause per query word (for coordination);
    None when nothing in it can be searched."""
    words = default_analyzer().query_words(text)
    if not words:
        return None
    clauses = [_word_clause(w, synonyms) for w in words]
    extra: list[Query] = [Term("model_exact", normalize(text).replace(" ", ""), boost=MODEL_EXACT)]
    if len(words) > 1:
        extra += [q for f, w in BIGRAM_FIELDS.items() if (q := _phrase(f, text, w * WHOLE_QUERY)) is not None]
    return Or(clauses + extra), clauses


def _filters(meta: dict[str, Any], type: str | None, province: str | None, level: str | None) -> Query | None:
    terms: list[Query] = []
    if type:
        found = [tid for tid, name in meta["types"] if type in (tid, name, *type_names(name))]
        if not found:
            choices = ", ".join(f"{tid}（{name}）" for tid, name in meta["types"])
            raise UnknownFilter("实践类型", type, choices)
        terms.append(Term("type_ids", found[0]))
    if province:
        full = [p for p in meta["provinces"] if province in short_place_names(p) or p.startswith(province)]
        if not full:
            raise UnknownFilter("省份", province, "、".join(meta["provinces"]))
        terms.append(Term("province", full[0]))
    if level:
        if level not in meta["levels"]:
            raise UnknownFilter("层级", level, "、".join(meta["levels"]))
        terms.append(Term("level", level))
    return And(terms) if terms else None


def search(lib_or_root: Library | Path | str, query: str, *, type: str | None = None,
           province: str | None = None, level: str | None = None, limit: int = 10) -> list[Hit]:
    """The cases that best answer `query`, best first. Filters take ids or Chinese names; an unknown
    filter value raises UnknownFilter; a query with nothing searchable in it finds nothing."""
    if isinstance(lib_or_root, (str, os.PathLike)):
        root, lib = Path(lib_or_root), None
    else:
        root, lib = lib_or_root.root, lib_or_root
    ix = _index(root, lib)
    filt = _filters(ix.meta, type, province, level)
    synonyms = Synonyms(ix.meta["synonyms"])
    built = build_query(query, synonyms)
    if built is None:
        return []
    whole, clauses = built
    searcher = ix.searcher
    scores = {r.docnum: r.score for r in searcher.search(whole, limit=None, filter=filt)}
    if len(clauses) > 1:
        # Coordination: a case that answers every word of the query beats one that answers one word
        # many times (BM25 alone lets 补贴 in many paragraphs outrank 网格员 and 补贴 together).
        matched = dict.fromkeys(scores, 0)
        for clause in clauses:
            for docnum in searcher.docs_for_query(clause):
                if docnum in matched:
                    matched[docnum] += 1
        # and from three words on, a case must answer at least half of them: 火星殖民计划 should not
        # return every case that mentions 计划
        need = (len(clauses) + 1) // 2 if len(clauses) >= 3 else 1
        scores = {d: s * (COORD + (1 - COORD) * matched[d] / len(clauses))
                  for d, s in scores.items() if matched[d] >= need}
    marks = default_analyzer().query_words(query)
    marks += [s for w in marks for s in synonyms.of(w)]
    hits = []
    for docnum, score in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]:
        f = searcher.stored_fields(docnum)
        hits.append(Hit(f["id"], f["title"], f"cases/{f['id']}/", round(score, 4), f["place_label"],
                        snippet(f["summary"], f["text"], marks)))
    return hits


def snippet(summary: str, text: str, words: list[str], width: int = 60) -> str:
    """About `width` characters around the first query word in the summary, else in the body text."""
    for source in (summary, text):
        low = source.lower()
        found = [i for i in (low.find(normalize(w)) for w in words if w) if i >= 0]
        if found:
            start = max(0, min(found) - width // 3)
            piece = source[start : start + width].replace("\n", " ")
            return ("…" if start else "") + piece + ("…" if start + width < len(source) else "")
    return summary[:width] + ("…" if len(summary) > width else "")


def related(lib: Library, case_id: str, limit: int = 5) -> list[str]:
    """Ids of the cases most like `case_id` (see govcases.related, which scores them)."""
    from .related import related as related_ids

    return related_ids(lib, case_id, limit=limit)
