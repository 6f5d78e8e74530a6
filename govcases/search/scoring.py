"""BM25 in one place: the weight of a term in a text, its idf, the best postings of a term, and text similarity."""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from math import log

NUMTERMS = 20  # key words per case in text similarity
B, K1 = 0.75, 1.2  # BM25's usual constants

# How many postings each index keeps per term, those the term weighs most in. A term on more records says
# little about any one of them (its idf is low); dropping the rest bounds the work and the bytes.
SIMILAR_PER_WORD = 100  # text similarity: without a cap the work grows with the square of the cases
CLI_PER_TERM = 400  # the command line's index: enough for any first page of results, after filters
SITE_PER_TERM = 200  # the site's sharded index: every posting is bytes a browser downloads

Counts = dict[str, int]  # a document's words and how often each occurs


def saturation(tf: float, length: float, avg: float) -> float:
    """BM25's weight of a term occurring `tf` times in a text of `length` (mean `avg`), before idf."""
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))


def idf(n_docs: int, df: int) -> float:
    """The inverse document frequency of a term in `df` of `n_docs` texts (whoosh's BM25F form, which the
    related cases and the command line were tuned with)."""
    return log(n_docs / (df + 1)) + 1.0


def best_postings(postings: Sequence[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """The `k` postings (doc, score) with the highest scores, in doc order; ties keep the earlier doc."""
    if len(postings) <= k:
        return list(postings)
    return sorted(sorted(postings, key=lambda p: -p[1])[:k])


class TopPostings:
    """best_postings for every term of an index, fed one document at a time in document order, so that an
    index of any size is built without holding all its postings: a term keeps at most twice `k` between
    prunings to the best `k` (a posting pruned away has `k` better ones, which stay)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.lists: dict[str, tuple[array, array]] = {}

    def add(self, doc: int, scores: Mapping[str, float]) -> None:
        """The scores of the terms of `doc`, which comes after every document added before."""
        for term, score in scores.items():
            kept = self.lists.get(term)
            if kept is None:
                kept = self.lists[term] = (array("i"), array("d"))
            kept[0].append(doc)
            kept[1].append(score)
            if len(kept[0]) >= 2 * self.k:
                self.lists[term] = self._best(*kept)

    def items(self) -> Iterator[tuple[str, array, array]]:
        """Each term (in the order first seen) with its best `k` documents, in document order, and scores."""
        for term, (docs, scores) in self.lists.items():
            yield (term, *self._best(docs, scores)) if len(docs) > self.k else (term, docs, scores)

    def _best(self, docs: array, scores: array) -> tuple[array, array]:
        # as best_postings: highest score first, ties to the earlier document (a stable sort of doc order)
        keep = sorted(sorted(range(len(docs)), key=lambda j: -scores[j])[: self.k])
        return array("i", [docs[j] for j in keep]), array("d", [scores[j] for j in keep])


class BodySimilarity:
    """More-like-this over word counts, for every document at once.

    A document's key words are its `numterms` best by the Bo1 model (a word that occurs often here and
    seldom elsewhere); another document scores the BM25 weight it has for each of those words, times the
    word's Bo1 score relative to the best, counting for each word only the `top` records it weighs most in.
    (These are the scores whoosh's more_like gave, which the site used before; computing them from counts
    keeps a whole search index out of the build.)"""

    def __init__(self, docs: Sequence[Counts], numterms: int = NUMTERMS, top: int = SIMILAR_PER_WORD) -> None:
        n_docs = len(docs) or 1
        length = [sum(c.values()) for c in docs]
        avgfl = (sum(length) / n_docs) or 1.0
        total: dict[str, int] = defaultdict(int)  # occurrences in all documents
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc, counts in enumerate(docs):
            for word, tf in counts.items():
                total[word] += tf
                postings[word].append((doc, tf))
        self.impacts: dict[str, tuple[array, array]] = {}
        best: dict[int, list[tuple[float, _Rev]]] = defaultdict(list)  # per doc: heap of key words
        for word in sorted(postings):
            plist = postings[word]
            f = total[word] / n_docs  # Bo1: the word's mean count per document
            bo1_a, bo1_b = log((1.0 + f) / f, 2), log(1.0 + f, 2)
            weight = idf(n_docs, len(plist))
            scored = []
            for doc, tf in plist:
                scored.append((doc, weight * saturation(tf, length[doc], avgfl)))
                entry = (tf * bo1_a + bo1_b, _Rev(word))  # ties: the alphabetically first word wins
                heap = best[doc]
                if len(heap) < numterms:
                    heapq.heappush(heap, entry)
                elif entry > heap[0]:
                    heapq.heapreplace(heap, entry)
            kept = best_postings(scored, top)
            self.impacts[word] = (array("i", [d for d, _ in kept]), array("d", [s for _, s in kept]))
        self.key_terms: dict[int, list[tuple[str, float]]] = {}
        for doc, heap in best.items():
            ranked = sorted(heap, reverse=True)
            first = ranked[0][0]
            self.key_terms[doc] = [(str(word), score / first) for score, word in ranked]

    def of(self, doc: int) -> dict[int, float]:
        """Every other document sharing a key word with `doc`, with its score."""
        scores: dict[int, float] = defaultdict(float)
        for word, boost in self.key_terms.get(doc, ()):
            ids, impact = self.impacts[word]
            for other, s in zip(ids, impact, strict=True):
                scores[other] += s * boost
        scores.pop(doc, None)
        return scores


class _Rev(str):
    """A word that sorts backwards, so a heap of (score, word) keeps the alphabetically first on ties."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__lt__(self, other)
