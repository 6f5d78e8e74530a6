"""The mechanical part of a content review: figures found in the source text, and the longest run of
characters each field shares with it (copied sentences), so every record can be checked in the tests."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcases.records.errors import field_path
from govcases.records.model import CaseRecord, Figure, Source

PUNCT = re.compile(r"[\s，。、；：“”‘’（）《》！？,.;:()\"'\-—–…·]+")
# Quoted terms, titles and named lists may repeat the source word for word; they are left out of the run.
QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|‘[^’]*’")
_DASHES = re.compile(r"[—–\-－~～]+")
# Fields that are the source's own words by design: names, terms of art, figures as written, citations.
VERBATIM_FIELDS = ("model", "keywords", "recognition", "sources", "place", "evidence", "figures", "procedures")


def norm_figure_text(text: str) -> str:
    """Text as figures are compared: full-width folded, spaces dropped, every dash one hyphen."""
    text = unicodedata.normalize("NFKC", text)
    return _DASHES.sub("-", re.sub(r"\s+", "", text))


def _norm_run(text: str) -> str:
    # "|" (put in by own_words) never occurs in a source: a run cannot cross it.
    return PUNCT.sub("", unicodedata.normalize("NFKC", text))


def longest_runs(record_text: str, source_text: str, minimum: int) -> list[str]:
    """Maximal substrings of record_text (punctuation ignored) of at least `minimum` chars found in source."""
    rec, src = _norm_run(record_text), _norm_run(source_text)
    if minimum < 1 or len(rec) < minimum:
        return []
    grams = {src[i : i + minimum] for i in range(len(src) - minimum + 1)}
    runs: list[str] = []
    i = 0
    while i <= len(rec) - minimum:
        if rec[i : i + minimum] in grams:
            j = i + minimum
            while j < len(rec) and rec[i : j + 1] in src:
                j += 1
            runs.append(rec[i:j])
            i = j
        else:
            i += 1
    return sorted(set(runs), key=len, reverse=True)


def longest_run(record_text: str, source_text: str) -> str:
    """The longest run of characters (punctuation ignored) the text shares with the source; '' if none."""
    runs = longest_runs(record_text, source_text, 2)
    return runs[0] if runs else ""


def own_words(text: str) -> str:
    """A field's text without what may be verbatim: quoted terms and titles (“三会五员”, 《村规民约》) go, and
    the items of a list (乡贤、能人、两代表一委员) are compared one by one, not as one run."""
    return re.sub("[、/]", "|", QUOTED.sub("|", text))


def prose_fields(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    """(field path, text) of every prose field of a record as read from YAML, one entry per field."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not loc and key in VERBATIM_FIELDS:
                continue
            yield from prose_fields(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from prose_fields(value, (*loc, i))
    elif isinstance(data, str):
        yield field_path(loc), data


@dataclass(frozen=True)
class SourceText:
    """The text a record's source can be checked against, and where it came from."""

    text: str
    where: str


def read_seeds(folder: Path) -> dict[str, str]:
    """The seed source texts (../shared/seeds/*.txt) by file name."""
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))}


def _key(text: str) -> str:
    return _norm_run(text)


def seed_passage(source: Source, seeds: dict[str, str], other_titles: list[str],
                 place: tuple[str, ...] = ()) -> SourceText | None:
    """The passage of a seed file that `source` cites, found by its title; in a collection of items
    (one file, many cases) the passage runs from the title's last occurrence to the next item's title.
    A title we had to make up (“…（原文无标题）”) is found without its note and its leading place name."""
    title = _key(re.sub(r"（[^）]*）$", "", source.title.strip()))
    keys = [title] + [title[len(_key(p)):] for p in place if title.startswith(_key(p)) and len(title) > len(p) + 6]
    for key in keys:
        found = _find_passage(key, seeds, other_titles)
        if found is not None:
            return found
    return None


def _find_passage(title: str, seeds: dict[str, str], other_titles: list[str]) -> SourceText | None:
    if not title:
        return None
    for name, raw in seeds.items():
        full = unicodedata.normalize("NFKC", raw)
        kept = [i for i, ch in enumerate(full) if not PUNCT.fullmatch(ch)]
        text = "".join(full[i] for i in kept)
        start = text.rfind(title)
        if start < 0:
            continue
        ends = [i for t in other_titles if (k := _key(t)) and k != title and (i := text.find(k, start + 1)) > start]
        end = min(ends, default=len(text))
        return SourceText(full[kept[start] : kept[end - 1] + 1], f"seeds/{name}")
    return None


def figure_forms(figure: Figure) -> list[str]:
    """The ways a figure may stand in its source: as written (or displayed), and number+unit."""
    forms = [figure.display()]
    if figure.written is None and figure.value is not None and figure.value_to is None:
        number = str(int(figure.value)) if float(figure.value).is_integer() else repr(figure.value)
        forms.append(f"{number}{figure.unit or ''}")
    return [norm_figure_text(f) for f in forms]


def figures_missing(record: CaseRecord, texts: list[str]) -> list[tuple[int, str]]:
    """(index, display form) of each figure found in none of `texts`."""
    haystacks = [norm_figure_text(t) for t in texts]
    return [(i, f.display()) for i, f in enumerate(record.figures)
            if not any(form in h for form in figure_forms(f) for h in haystacks)]
