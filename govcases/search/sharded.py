"""The site's search index as many small files (one per first character of a term), so a query fetches kilobytes."""

from __future__ import annotations

import hashlib
import html
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govcases.search.analysis import Analyzer, analyzer_for, bigrams, default_analyzer, normalize
from govcases.search.fields import CASE_PAGE, PAGE_WEIGHTS, own_words, place_names
from govcases.search.scoring import SITE_PER_TERM, best_postings, idf, saturation

if TYPE_CHECKING:
    from govcases.cache import Table
    from govcases.records.library import Library

# Material's own index is one file holding every page (115 MB, 7.2 MB gzip at 5,000 pages, issue #8): a
# browser must fetch and index all of it before the first result. Here the index is cut by the first
# character of each term; the search worker (theme/assets/javascripts/govcases-search.js) fetches only the
# files of the characters typed, cuts the query into the longest terms those files hold and adds up the
# precomputed scores. Layout under search/gc/ (all JSON):
#   docs.json       {"v": version, "chunk": 64, "urls": [...], "titles": [...], "heads": "村规民…"}
#   t/<hex>.json    {"村规民约": [doc, score, +doc, score, …], …}  doc ids as gaps, scores 1..999
#   x/<k>.json      ["snippet of doc k*64", …]  the text shown under a result, fetched for the top results
FORMAT = "1"
DIR = "search/gc"
CHUNK = 64  # snippets per file
SNIPPET = 120  # characters of page text shown under a result
SCALE = 20.0  # a score of 1.0 is stored as 20; stored scores are 1..999 (three digits)
TOP = 999

_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
# Tags inside a sentence (links, emphasis) stand between words of it: dropped without a space (上级：德阳市).
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|em|i|mark|small|strong|sub|sup|u)\b[^>]*>", re.I)
# What Material's search leaves out, and so does this index: an element marked data-search-exclude (the
# 汇编 buttons, table heads; such an element holds no element of its own name), its content with it.
EXCLUDE = "data-search-exclude"
_EXCLUDED = re.compile(rf"<(\w+)\b[^>]*\b{EXCLUDE}\b[^>]*>.*?</\1\s*>", re.S | re.I)
_THEAD = re.compile(r"<thead(?=[\s>])", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Doc:
    """One page as the index sees it: its site path, title, plain text and weighted words of its own."""

    url: str
    title: str
    text: str
    own: tuple[tuple[str, float], ...] = field(default=())  # (term, weight of one occurrence), repeats add up
    teaser: str = ""  # shown under the result; default: the start of `text`


def page_text(content_html: str) -> str:
    """The visible text of a page's rendered content, one space between words, less what is excluded."""
    text = _INLINE_TAG.sub("", _EXCLUDED.sub(" ", content_html))
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def exclude_table_heads(content_html: str) -> str:
    """The page with each table's head row kept out of both search indexes: column labels are not content."""
    return _THEAD.sub(f"<thead {EXCLUDE}", content_html)


def page_doc(lib: Library | None, url: str, title: str, content_html: str, tags: Sequence[str] = (),
             cache: Table | None = None, analyzer: Analyzer | None = None) -> Doc:
    """A page as an index document; a case page also gets its own words and place names (`cache` keeps
    the case's words, so that a rebuild need not cut them again)."""
    own = [(normalize(t), PAGE_WEIGHTS["tags"]) for t in tags]
    cid = url[len("cases/"):].rstrip("/") if url.startswith("cases/") else ""
    case = lib.by_id.get(cid) if lib is not None else None
    if lib is not None and case is not None:
        r = case.record
        types = [lib.taxonomy.type_by_id(t) for t in r.practice_types]
        dims = [lib.taxonomy.dimension_by_id(d).name for d in r.dimensions]
        what = [[t.name, *t.synonyms] for t in types] + [dims, [r.model or "", *r.keywords]]
        key = hashlib.sha256(json.dumps(what, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]
        a = analyzer or analyzer_for(lib)

        def make() -> list[str]:
            return own_words(lib.taxonomy, r, a)

        words = make() if cache is None else cache.get(key, make)
        own += [(t, PAGE_WEIGHTS["own"]) for t in words]
        own += [(t, PAGE_WEIGHTS["place"]) for t in place_names(r)]
    teaser = case.record.summary if case is not None else ""
    return Doc(url, title, page_text(content_html), tuple(own), teaser)


def doc_terms(doc: Doc, analyzer: Analyzer, pieces: dict[str, Terms] | None = None) -> dict[str, float]:
    """Weighted counts of a document's terms: jieba words (with the words inside them) and character pairs;
    `pieces` keeps the terms of each piece of text across the documents of one build."""
    counts: dict[str, float] = defaultdict(float)
    memo: dict[str, Terms] = {} if pieces is None else pieces
    for text, weight in ((doc.title, PAGE_WEIGHTS["title"]), (doc.text, PAGE_WEIGHTS["body"])):
        for chunk in _CHUNK.findall(text):
            terms = memo.get(chunk)
            if terms is None:
                terms = memo[chunk] = _chunk_terms(chunk, analyzer)
            for term, w in terms:
                counts[term] += w * weight
    for term, weight in doc.own:
        counts[normalize(term)] += weight
    return {t: round(w, 2) for t, w in counts.items()}


# Pages repeat much of their text (a case's title and summary stand on its page and on every list of its
# type, region and dimension), so the terms of each piece between spaces and punctuation are kept: at 1,000
# cases this halves the analysis. Cutting piece by piece gives jieba's words for the whole text, since jieba
# itself cuts at these characters.
_CHUNK = re.compile(r"[^\s。，、；：！？“”‘’（）《》〈〉【】…—]+")


Terms = tuple[tuple[str, float], ...]


def _chunk_terms(chunk: str, analyzer: Analyzer) -> Terms:
    terms = [(tok.text, 1.0) for tok in analyzer.words(chunk)]
    pair = PAGE_WEIGHTS["pair"]
    terms += [(tok.text, pair) for tok in bigrams(chunk) if len(tok.text) == 2 and not tok.text.isascii()]
    return tuple(terms)


# What doc_terms makes its counts with, besides the analyzer (govcases.search.analysis.analysis_key adds
# it): a change to any of it drops the kept counts of every page.
VERSION = f"page terms {FORMAT}.3 {json.dumps(PAGE_WEIGHTS, sort_keys=True)}"


def doc_key(doc: Doc) -> str:
    """A hash of what `doc_terms` reads from `doc`."""
    h = hashlib.sha256(json.dumps([doc.title, doc.text, doc.own], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:24]


def shard_name(term: str) -> str:
    """The file holding `term`: its first character's code point in hex."""
    return f"{ord(term[0]):x}"


def build_index(docs: Sequence[Doc], analyzer: Analyzer | None = None,
                cache: Table | None = None) -> dict[str, bytes]:
    """Every file of the index, by path under the site folder; `cache` keeps each page's analysis."""
    a = analyzer or default_analyzer()
    n = len(docs)
    # Postings as two flat arrays per term (page numbers, weighted counts): at thousands of pages, lists
    # of tuples or the pages' own dicts would hold several hundred MB.
    postings: dict[str, tuple[array[int], array[float]]] = {}
    lengths = array("d")
    pieces: dict[str, Terms] = {}
    for i, d in enumerate(docs):
        terms = doc_terms(d, a, pieces) if cache is None else cache.get(doc_key(d), lambda d=d: doc_terms(d, a, pieces))
        lengths.append(sum(terms.values()))
        for term, tf in terms.items():
            p = postings.get(term)
            if p is None:
                p = postings[term] = (array("i"), array("d"))
            p[0].append(i)
            p[1].append(tf)
    pieces.clear()  # their terms are in `postings` now
    avg = (sum(lengths) / n) if n else 1.0
    prior = [CASE_PAGE if d.url.startswith("cases/") and d.url != "cases/" else 1.0 for d in docs]
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term in list(postings):
        ids, tfs = postings.pop(term)
        weight = idf(n, len(ids))
        scored = [(i, prior[i] * weight * saturation(tf, lengths[i], avg)) for i, tf in zip(ids, tfs, strict=True)]
        scored = best_postings(scored, SITE_PER_TERM)
        flat: list[int] = []
        last = 0
        for i, s in scored:
            flat += [i - last, max(1, min(TOP, round(s * SCALE)))]
            last = i
        shards[shard_name(term)][term] = flat
    out = {f"{DIR}/t/{name}.json": _json(terms) for name, terms in shards.items()}
    for k in range(0, n, CHUNK):
        out[f"{DIR}/x/{k // CHUNK}.json"] = _json([_snippet(d) for d in docs[k : k + CHUNK]])
    heads = "".join(sorted(chr(int(name, 16)) for name in shards))
    out[f"{DIR}/docs.json"] = _json({"v": version(out), "chunk": CHUNK, "urls": [d.url for d in docs],
                                     "titles": [d.title for d in docs], "heads": heads})
    return out


def version(files: dict[str, bytes]) -> str:
    """A hash of the index files: the worker adds it to every address, so a browser never mixes builds."""
    h = hashlib.sha256(FORMAT.encode())
    for path in sorted(files):
        h.update(path.encode())
        h.update(files[path])
    return h.hexdigest()[:12]


def material_stub(config: dict[str, object], ver: str) -> bytes:
    """What search_index.json holds with this index: Material's config, no documents, and our version (the
    page hands search_index.json to the worker, which then fetches only what a query needs)."""
    return _json({"config": {**config, "govcases_version": ver}, "docs": []})


def _snippet(doc: Doc) -> str:
    text = doc.teaser or (doc.text[len(doc.title):].lstrip() if doc.text.startswith(doc.title) else doc.text)
    return text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
