"""Text similarity of every case to every other (whoosh more_like's scores), from the body postings read once."""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from math import log
from typing import Any

NUMTERMS = 20  # key terms per case, as related() always asked more_like for
B, K1 = 0.75, 1.2  # whoosh BM25F's defaults, which the search index uses


class BodySimilarity:
    """The scores of `searcher.more_like(docnum, field, text=<the field's text>, numterms=20)`, for every
    document of an index, equal to whoosh's up to float rounding."""

    # more_like analyses the text again (jieba) and runs a whoosh query per document: 40-80 ms a case at
    # 1,000 cases, and growing with N. Here each posting of the field is read once, keeping each document's
    # key terms (whoosh's Bo1 model) and each term's BM25F impact on each document; a document's similar
    # ones are then summed from the impacts of its key terms.

    def __init__(self, searcher: Any, field: str = "body", numterms: int = NUMTERMS) -> None:
        n_docs = searcher.doc_count_all()
        avgfl = searcher.avg_field_length(field) or 1
        length = [searcher.doc_field_length(d, field, 1) for d in range(n_docs)]  # as whoosh stores it
        self.impacts: dict[bytes, tuple[array, array]] = {}
        best: dict[int, list[tuple[float, str, bytes]]] = defaultdict(list)  # per doc: heap of key terms
        from_bytes = searcher.schema[field].from_bytes
        for term in searcher.lexicon(field):
            f = searcher.frequency(field, term) / n_docs  # Bo1: the term's mean weight per document
            bo1_a, bo1_b = log((1.0 + f) / f, 2), log(1.0 + f, 2)
            idf = searcher.idf(field, term)
            docs, impact = array("i"), array("d")
            for doc, tf in searcher.postings(field, term).items_as("weight"):
                docs.append(doc)
                impact.append(idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length[doc] / avgfl))))
                # whoosh ranks key terms by (-score, word); the heap keeps the best `numterms`
                entry = (tf * bo1_a + bo1_b, _Rev(from_bytes(term)), term)
                heap = best[doc]
                if len(heap) < numterms:
                    heapq.heappush(heap, entry)
                elif entry > heap[0]:
                    heapq.heapreplace(heap, entry)
            self.impacts[term] = (docs, impact)
        self.key_terms: dict[int, list[tuple[bytes, float]]] = {}
        for doc, heap in best.items():
            ranked = sorted(heap, reverse=True)
            top = ranked[0][0]
            self.key_terms[doc] = [(term, score / top) for score, _, term in ranked]

    def of(self, docnum: int) -> dict[int, float]:
        """Every other document sharing a key term with `docnum`, with its more_like score."""
        scores: dict[int, float] = defaultdict(float)
        for term, boost in self.key_terms.get(docnum, ()):
            docs, impact = self.impacts[term]
            for doc, s in zip(docs, impact, strict=True):
                scores[doc] += s * boost
        scores.pop(docnum, None)
        return scores


class _Rev(str):
    """A word that sorts backwards, so a heap of (score, word) keeps the alphabetically first on ties."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__lt__(self, other)
