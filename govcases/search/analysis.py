"""The one Chinese text analysis every search path uses: jieba words, character bigrams, domain dictionary, synonyms."""

from __future__ import annotations

import logging
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from govcases.cache import atomic_write, check_sealed, digest, remove_sqlite, seal
from govcases.paths import cache_root
from govcases.search.freqtable import FreqTable, import_jieba, marker_path

if TYPE_CHECKING:
    from govcases.records.library import Library
    from govcases.records.taxonomy import Taxonomy

# Bump when tokens change for the same text, so every cached index is rebuilt.
ANALYSIS_VERSION = "1"

USERDICT = Path(__file__).parent.parent / "data" / "userdict.txt"

# Function words: they match every record and only add noise to scores.
STOPWORDS = frozenset((
    "的", "了", "着", "过", "和", "与", "及", "或", "等", "在", "是", "把", "被", "对", "为", "以", "让",
    "将", "从", "向", "也", "都", "就", "而", "并", "之", "其", "这", "那", "该", "此", "个", "各", "每",
    "有", "于", "给", "我", "你", "他", "她", "它", "们", "吗", "呢", "啊", "吧", "嘛", "又", "还", "很",
    "最", "更", "已", "已经", "一个", "一些", "通过", "进行",
))
# Words an official adds to a query that say nothing about which case is wanted (积分制案例, 怎么调解纠纷).
QUERY_FILLERS = frozenset((
    "案例", "典型", "做法", "经验", "办法", "介绍", "例子", "怎么", "怎么样", "怎么办", "怎样", "如何",
    "什么", "哪些", "哪个", "哪里", "有没有", "是否", "关于", "有关", "相关",
))

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_CJK}]+|[a-z0-9]+")  # also what makes a token a word: one of these characters
_USERDICT_LINE = re.compile(r"^(\S+)(?:\s+(\d+))?(?:\s+([a-z]+))?$")


class Tok(NamedTuple):
    """One token: its text and its position (sequential, so phrase queries work)."""

    text: str
    pos: int


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case: ＡＢ１ and ab1 are the same token."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class Entry:
    """One line of the user dictionary."""

    word: str
    freq: int | None
    tag: str | None


def read_userdict(path: Path = USERDICT) -> list[Entry]:
    """The domain dictionary's entries; `#` lines are comments (jieba itself does not allow them)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _USERDICT_LINE.match(line)
        if m is None:
            raise ValueError(f"{path}: bad dictionary line {line!r} (want: 词 频次 词性)")
        word, freq, tag = m.groups()
        entries.append(Entry(word, int(freq) if freq else None, tag))
    return entries


def write_material_userdict(path: Path | str, source: Path = USERDICT, vocabulary: Iterable[str] = ()) -> Path:
    """Write the domain dictionary and the project's vocabulary as a plain jieba user dict for Material's
    `search.jieba_dict_user`."""
    entries = read_userdict(source)
    listed = {e.word for e in entries}
    lines = [" ".join(str(x) for x in (e.word, e.freq, e.tag) if x is not None) for e in entries]
    lines += [f"{w} 1000 nz" for w in vocabulary if w not in listed]
    out = Path(path)
    atomic_write(out, ("\n".join(lines) + "\n").encode("utf-8"))
    return out



@contextmanager
def _quiet_jieba() -> Iterator[None]:
    # jieba logs "Building prefix dict ..." at DEBUG to stderr; silence it without changing it for others.
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Analyzer:
    """jieba in precise mode with the domain dictionary, on a private Tokenizer (the global one is untouched)."""

    # Texts up to this length are cut with the lookup table when the full dictionary is not loaded.
    SHORT = 400

    def __init__(self, userdict: Path = USERDICT, hmm: bool = False, vocabulary: tuple[str, ...] = ()) -> None:
        self.userdict = userdict
        # The project's own words (practice types and synonyms, named models, keywords): kept whole too.
        self.vocabulary = vocabulary
        # Without HMM a word is cut the same way in a query and in a record; unknown names fall
        # apart into characters, which the bigram field still matches.
        self.hmm = hmm
        self._jieba: Any = None
        self._table: FreqTable | None = None
        self._lock = threading.Lock()

    @property
    def jieba(self) -> Any:
        """The private jieba Tokenizer, loaded on first use from jieba's own dictionary cache."""
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tk = import_jieba().Tokenizer()
                    # jieba keeps its dictionary as a marshal file in the shared temporary folder, where
                    # anyone could replace it; ours lives in the user's cache and is loaded only when its
                    # hash is the one written beside it.
                    folder = cache_root() / "jieba"
                    try:
                        folder.mkdir(parents=True, exist_ok=True)
                        check_sealed(folder / "jieba.cache")
                        tk.tmp_dir = str(folder)
                    except OSError:
                        tk.tmp_dir = tempfile.mkdtemp(prefix="govcases-jieba-")  # private, used once
                    with _quiet_jieba():
                        tk.initialize()
                    with suppress(OSError):
                        seal(Path(tk.tmp_dir) / "jieba.cache")
                    entries = read_userdict(self.userdict)
                    for e in entries:
                        tk.add_word(e.word, e.freq, e.tag)
                    listed = {e.word for e in entries}
                    for word in self.vocabulary:
                        if word not in listed:
                            # As for the dictionary file: enough to stay whole, not so much as to eat neighbours.
                            tk.add_word(word, max(tk.suggest_freq(word, tune=False), 1000), "nz")
                    self._jieba = tk
        return self._jieba

    @property
    def loaded(self) -> bool:
        """Whether jieba's full dictionary is in memory (then writing the lookup table costs little)."""
        return self._jieba is not None

    def _tokenizer(self, text: str) -> Any:
        """A jieba Tokenizer that cuts `text` exactly as the full dictionary does. Loading the full
        dictionary takes about a second; a query needs only the entries for its own substrings, which
        the lookup table (built once, in the cache) returns in a millisecond."""
        if self._jieba is not None or len(text) > self.SHORT or self.hmm:
            return self.jieba
        if self._table is None:
            path = self.table_path()
            if not path.is_file():
                self.write_table()
                return self.jieba
            try:
                self._table = FreqTable(path)
            except (sqlite3.Error, KeyError, ValueError, TypeError):  # damaged: made again from jieba
                remove_sqlite(path)
                self.write_table()
                return self.jieba
        return self._table.tokenizer_for(text)

    def table_path(self) -> Path:
        """The lookup table for this dictionary and jieba version, in the cache."""
        return cache_root() / "jieba" / f"{self._table_key()}.sqlite"

    def write_table(self) -> None:
        """Write the lookup table unless it exists; a cache that cannot be written only costs speed."""
        path = self.table_path()
        if not path.is_file():
            with suppress(OSError, sqlite3.Error):
                FreqTable.write(path, self.jieba)
                for old in path.parent.glob("*.sqlite"):  # tables of earlier dictionaries, 9 MB each
                    if old != path:
                        old.unlink(missing_ok=True)
                        marker_path(old).unlink(missing_ok=True)

    def _table_key(self) -> str:
        return self.key[:16]

    @property
    def key(self) -> str:
        """A hash of everything that decides how text is cut: the analysis version, jieba's version, the
        dictionary and the project's vocabulary; every cache of words, terms or scores is kept under it."""
        return digest(["analysis", ANALYSIS_VERSION, jieba_version(), self.userdict.read_bytes(), *self.vocabulary])

    def segment(self, text: str) -> list[str]:
        """Precise-mode words of `text`, normalized; punctuation and spaces dropped, stopwords kept."""
        text = normalize(text)
        return [w for w in self._tokenizer(text).cut(text, HMM=self.hmm) if _RUN.search(w)]

    def words(self, text: str, *, subwords: bool = True) -> list[Tok]:
        """Index tokens: words at sequential positions, plus the dictionary words inside each long word at
        the same position, so 理事会 finds 红白理事会 without splitting the query into pieces."""
        out: list[Tok] = []
        pos = 0
        for w in self.segment(text):
            if w in STOPWORDS:
                continue
            out.append(Tok(w, pos))
            if subwords:
                out.extend(Tok(s, pos) for s in self.subwords(w))
            pos += 1
        return out

    def subwords(self, word: str) -> list[str]:
        """Dictionary words of two or more characters strictly inside `word` (红白理事会 → 红白, 理事会, 理事)."""
        n = len(word)
        if n < 3 or not re.fullmatch(f"[{_CJK}]+", word):
            return []
        freq = self._tokenizer(word).FREQ
        return [word[i:j] for i in range(n) for j in range(i + 2, n + 1) if (i, j) != (0, n) and freq.get(word[i:j])]

    def query_words(self, text: str) -> list[str]:
        """The words of a query, in order, without stopwords and filler words, each once."""
        seen: dict[str, None] = {}
        for w in _join_single_chars(self.segment(text)):
            if w not in STOPWORDS and w not in QUERY_FILLERS:
                seen.setdefault(w, None)
        return list(seen)


def _join_single_chars(words: list[str]) -> list[str]:
    """Join runs of single Chinese characters back together: a query 民约 is cut 民 / 约 because jieba
    does not know it, but the official means the string (found as a substring by the bigram field)."""
    out: list[str] = []
    run = ""
    for w in [*words, ""]:
        if len(w) == 1 and re.fullmatch(f"[{_CJK}]", w) and w not in STOPWORDS:
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        if w:
            out.append(w)
    return out


def bigrams(text: str) -> list[Tok]:
    """Overlapping character pairs of each Chinese run and whole ASCII words: 村规民约 → 村规 规民 民约,
    so any substring of two or more characters is a phrase of this field."""
    out: list[Tok] = []
    pos = 0
    for run in _RUN.findall(normalize(text)):
        if run[0].isascii() or len(run) == 1:
            out.append(Tok(run, pos))
            pos += 1
            continue
        for i in range(len(run) - 1):
            out.append(Tok(run[i : i + 2], pos))
            pos += 1
    return out


def short_place_names(part: str) -> list[str]:
    """A place name and its short form people type: 凉山彝族自治州 → 凉山, 罗江区 → 罗江, 安家村 → 安家."""
    m = re.fullmatch(
        f"([{_CJK}]{{2,}}?)((?:[{_CJK}]{{1,3}}族)*)(特别行政区|自治区|自治州|自治县|地区|街道|社区|省|市|县|区|镇|乡|村)",
        part,
    )
    return [part, m.group(1)] if m else [part]


class Synonyms:
    """Groups of words that mean the same practice, from the practice-type vocabulary (name + synonyms)."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self.groups = [list(dict.fromkeys(normalize(w) for w in group)) for group in groups]
        self._of: dict[str, dict[str, None]] = {}
        for words in self.groups:
            for w in words:
                self._of.setdefault(w, {}).update(dict.fromkeys(x for x in words if x != w))

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> Synonyms:
        """The synonym groups of a vocabulary (see synonym_groups)."""
        return cls(synonym_groups(taxonomy))

    def of(self, word: str) -> list[str]:
        """The other words of every group `word` belongs to (empty when it is in none)."""
        return list(self._of.get(normalize(word), {}))

    def around(self, word: str) -> list[str]:
        """The words of the one group whose words contain `word` (彩礼 is in 高价彩礼, so 移风易俗 …);
        empty when `word` is itself a group word, or is part of words of several groups (管理, 服务)."""
        w = normalize(word)
        if len(w) < 2 or w in self._of:
            return []
        hits = [g for g in self.groups if any(w in x for x in g)]
        return [x for x in hits[0] if x != w] if len(hits) == 1 else []


def synonym_groups(taxonomy: Taxonomy) -> list[list[str]]:
    """One group per practice type: its name parts (红白理事会/移风易俗 is two words) and its synonyms."""
    return [[*type_names(t.name), *t.synonyms] for t in taxonomy.practice_types]


def type_names(name: str) -> list[str]:
    """The words of a practice-type name: 红白理事会/移风易俗 → 红白理事会, 移风易俗."""
    return [p.strip() for p in name.split("/") if p.strip()]


def analysis_key(analyzer: Analyzer, *parts: str | bytes) -> str:
    """The key of anything derived with `analyzer`: its key (see Analyzer.key) and `parts`."""
    return digest([analyzer.key, *parts])


@lru_cache(maxsize=1)
def jieba_version() -> str:
    """The installed jieba's version (every process that needs it cuts text with jieba anyway)."""
    return str(import_jieba().__version__)


@lru_cache(maxsize=4)
def default_analyzer(userdict: Path = USERDICT, vocabulary: tuple[str, ...] = ()) -> Analyzer:
    """The shared analyzer for a dictionary file and vocabulary; jieba is loaded only when first needed."""
    return Analyzer(userdict, vocabulary=vocabulary)


def project_vocabulary(lib: Library) -> tuple[str, ...]:
    """The project's words that must stay whole, from the one place each is written: practice-type names
    and synonyms and dimension names in cases/_taxonomy.yaml, named models and keywords in the records."""
    return lib.derived(_vocabulary)


def _vocabulary(lib: Library) -> tuple[str, ...]:
    tax = lib.taxonomy
    words = [w for t in tax.practice_types for w in (*type_names(t.name), *t.synonyms)]
    words += [d.name for d in tax.dimensions]
    for case in lib.cases:
        words += model_names(case.record.model or "")
        words += case.record.keywords
    return vocabulary_words(words)


def model_names(model: str) -> list[str]:
    """The names in a model field: “1+6+N 协商主体、六步议事” → 1+6+N 协商主体, 六步议事."""
    return [m.strip() for m in re.split("[、；;，,]", model) if m.strip()]


def vocabulary_words(words: Iterable[str]) -> tuple[str, ...]:
    """Chinese words to keep whole (normalised, 2–20 characters, no spaces), sorted, each once."""
    out = {normalize(w).strip() for w in words}
    return tuple(sorted(w for w in out if 2 <= len(w) <= 20 and re.search(f"[{_CJK}]", w) and " " not in w))


def analyzer_for(lib: Library) -> Analyzer:
    """The analyzer that cuts this project's text: the domain dictionary plus the project's vocabulary."""
    return default_analyzer(USERDICT, project_vocabulary(lib))
