"""What a case is searched by: its fields, their text and their weights, the one definition every matcher reads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from govcases.search.analysis import Analyzer, default_analyzer, normalize, short_place_names, type_names

if TYPE_CHECKING:
    from govcases.records.model import CaseRecord
    from govcases.records.taxonomy import Taxonomy

# A case's searchable fields and the weight of a word standing in each (BM25F): the title, the named model,
# the main practice type and the place say what the case is about; the body text merely mentions.
# The command-line index, related cases (the body), the site index (own words and place) and the finder
# (data/cases.json carries these weights) all read this table.
WEIGHTS: dict[str, float] = {
    "title": 4.0,
    "model": 4.0,
    "primary": 3.0,  # the main practice type's names (records list it first)
    "types": 1.5,  # every practice type's names and the dimensions
    "type_syn": 1.0,  # the practice types' synonyms
    "keywords": 2.5,
    "place": 3.0,  # every level of the place, each with its short form (凉山彝族自治州 → 凉山)
    "body": 1.0,  # summary, background, measures, procedures, results, figures, recognition
}
# Character pairs let any part of a word be found (民约 in 村规民约) without outweighing the word: those of
# the title, model, keywords and place ("head"), and those of the body.
PAIR_WEIGHTS: dict[str, float] = {"head": 1.5, "body": 0.6}

# The site's sharded index scores pages, not records: a case page's title and text as Material renders them,
# plus the case's own words (types, synonyms, model, keywords: `own_words`) and its place names. Its
# weights are per occurrence over a whole page, so they are larger than the record fields' above.
PAGE_WEIGHTS: dict[str, float] = {"title": 6.0, "own": 3.0, "place": 6.0, "tags": 3.0, "body": 1.0, "pair": 0.3}
CASE_PAGE = 1.25  # a case page's scores, against index and list pages that merely name it (凉山 → the 西昌 case)

# Material's lunr index (the offline copy) multiplies a field's score by its boost and matches words as
# prefixes; its own boosts are title 1000, text 1, tags 1,000,000. Tags come down to the title's (at a million
# a tag that merely starts with a query word, 调解员专家库 for 调解, outweighs everything); a place named in a
# query outweighs a topic word, which matches more words by prefix (积分 → 积分制, 积分超市 …).
LUNR_BOOSTS: dict[str, float] = {"tags": 1000.0, "keys": 1000.0, "place": 10000.0, "parts": 1.0, "cut": 0.001}

PRIMARY_NAMES = 3  # in a case's own words, its main practice type's name counts like a word said three times …
PRIMARY_SYNONYMS = 2  # … and its synonyms twice (other types: once)

_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
_SPLIT = re.compile(r"[\s\u200b、，,；;：:。/（）()“”\"'《》]+")  # not +: 政府+群众+企业 is one model name


def case_fields(taxonomy: Taxonomy, r: CaseRecord) -> dict[str, str]:
    """A record's text by field (the keys of WEIGHTS)."""
    types = [taxonomy.type_by_id(t) for t in r.practice_types]
    type_words = [" ".join(type_names(t.name)) for t in types]
    dimensions = [taxonomy.dimension_by_id(d).name for d in r.dimensions]
    return {
        "title": r.title,
        "model": r.model or "",
        "primary": type_words[0],
        "types": "\n".join([*type_words, *dimensions]),
        "type_syn": "\n".join(" ".join(t.synonyms) for t in types),
        "keywords": "\n".join(r.keywords),
        "place": " ".join(place_names(r)),
        "body": record_body(r),
    }


def pair_texts(r: CaseRecord) -> dict[str, str]:
    """The texts whose character pairs are indexed, by key of PAIR_WEIGHTS."""
    return {"head": "\n".join([r.title, r.model or "", *r.keywords, r.place.label()]), "body": record_body(r)}


def record_body(r: CaseRecord) -> str:
    """A record's own text, its sections in order: the body field, and what text similarity reads."""
    return "\n".join(_body_texts(r))


def _body_texts(r: CaseRecord) -> Iterator[str]:
    # Only what the source says: the editorial analysis (r.analysis) is ours and must not be found or quoted
    # as if the source had said it.
    yield r.summary
    if r.background:
        yield r.background
    for m in r.measures:
        yield m.heading
        yield from m.actions
    for p in r.procedures:
        yield p.name
        yield from (s.text for s in p.steps)
    yield from r.results
    yield from (f.label for f in r.figures)
    yield from r.recognition


def place_names(r: CaseRecord) -> list[str]:
    """The record's place names, largest first, each followed by its short form (罗江区 → 罗江)."""
    return [n for part in r.place.parts() for n in short_place_names(part)]


def own_words(taxonomy: Taxonomy, r: CaseRecord, analyzer: Analyzer | None = None) -> list[str]:
    """A case's own words with repeats as weights: practice types (the main one first and weighted), their
    synonyms, dimensions, model and keywords, each with its jieba words, the dictionary words inside those
    (红白理事会 → 理事会) and its endings (村规民约 → 民约), so a query of any part of them finds the case."""
    a = analyzer or default_analyzer()
    terms: list[str] = []
    for i, type_id in enumerate(r.practice_types):
        t = taxonomy.type_by_id(type_id)
        terms += type_names(t.name) * (PRIMARY_NAMES if i == 0 else 1)
        terms += list(t.synonyms) * (PRIMARY_SYNONYMS if i == 0 else 1)
    terms += [taxonomy.dimension_by_id(d).name for d in r.dimensions]
    terms += [r.model or "", *r.keywords]
    words = with_subwords(terms, a)
    return words + suffixes(words, unique=False)


def with_subwords(terms: Iterable[str], analyzer: Analyzer) -> list[str]:
    """`terms` normalized, each followed by its jieba words and the dictionary words inside those; a name
    joined with + (政府+群众+企业, 2+333) is kept as written and also taken apart."""
    out: list[str] = []
    for term in terms:
        for chunk in _SPLIT.split(normalize(term)):
            parts = [p for p in chunk.split("+") if p]
            if len(parts) > 1:
                out.append(chunk)
            for part in parts:
                out.append(part)
                for w in analyzer.segment(part):
                    if w != part and len(w) > 1:
                        out.append(w)
                    out += analyzer.subwords(w)
    return out


def suffixes(words: Iterable[str], unique: bool = True) -> list[str]:
    """The endings of two or more characters of each Chinese word (村规民约 → 规民约, 民约): Material matches
    query words as word prefixes, so with these any part of a word is found (民约 in 村规民约)."""
    out = [run[k:] for w in words for run in _HAN_RUN.findall(w) for k in range(1, len(run) - 1)]
    return list(dict.fromkeys(out)) if unique else out


def finder_fields(taxonomy: Taxonomy, r: CaseRecord) -> dict[str, str]:
    """The fields the finder page matches (data/cases.json): every field but the body, which the finder reads
    as the record's summary already in the file (the whole text twice would double the file)."""
    fields = case_fields(taxonomy, r)
    del fields["body"]
    fields["place"] = f"{r.place.label()} {fields['place']}"
    return fields
