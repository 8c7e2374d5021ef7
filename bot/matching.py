"""Find the entry a question is about: an index built once per knowledge base, ranked matches with a
calibrated 0–100 score, and the outcome the bot acts on (answer / suggest / don't know).

How a query is scored against an entry (all on :func:`bot.text.normalize`-d text):

* *units*: CJK text has no spaces, so it is compared on character unigrams and bigrams; Latin text on
  words plus character trigrams (trigrams forgive typos: "mukdem" still shares most of "mukden").
  Each unit weighs its inverse document frequency over entries, so "沈阳" or "shenyang", present
  everywhere, says little, while "故宫" says a lot.
* *coverage*: the share of the query's weight that the entry's phrasings and keywords explain.
  Words the knowledge base has never seen ("harbin", "stock") weigh the most, which is what pushes
  out-of-scope questions down.
* *closeness*: rapidfuzz similarity to the entry's best phrasing, on word sets (order and extra
  words forgiven) and on characters (typos, CJK without spaces).
* *keywords*: a curated keyword found in the query adds a bonus.

Phrasings of all languages are searched; the reply language is chosen elsewhere.
"""

from __future__ import annotations

import gc
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from itertools import repeat
from operator import add
from types import MappingProxyType
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.knowledge import Entry, KnowledgeBase
from bot.text import normalize, normalize_many

MAX_QUERY_CHARS = 500  # longer messages are cut: nobody asks an FAQ question in a page of text

ANSWER_SCORE = 52.0
SUGGEST_SCORE = 34.0
CLEAR_LEAD = 4.0  # an answer below SURE_SCORE needs this lead over the runner-up
SURE_SCORE = 70.0

_TRIGRAM_WEIGHT = 0.35
_UNIGRAM_WEIGHT = 0.6
_CANDIDATES = 12
_COMMON_POSTINGS = 500
_SPELLING_CANDIDATES = 3
_SPELLING_SIMILARITY = 0.5


class Outcome(Enum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    question: str  # the phrasing of the entry closest to the query


@dataclass(frozen=True)
class MatchResult:
    query: str
    outcome: Outcome
    matches: tuple[Match, ...]

    @property
    def answer_id(self) -> str | None:
        return self.matches[0].id if self.outcome is Outcome.ANSWER else None


_CJK_CLASS = (
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\U00020000-\U0002fa1f"
)
# A normalized text is runs of CJK characters and words of other scripts, between spaces.
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
_CJK_PAIRS = re.compile(f"(?=([{_CJK_CLASS}]{{2}}))")  # every overlapping pair, in one pass
_OTHER_WORDS = re.compile(f"[^\\s{_CJK_CLASS}]+")


class Vocabulary(NamedTuple):
    """The Latin words seen while one index is built: each word's units, and its own unit."""

    units: dict[str, frozenset[str]]
    key: dict[str, str]


def units(normalized: str) -> set[str]:
    """The comparison units of a normalized text: CJK characters and character pairs, Latin
    words ("w:palace") and their boundary-padded trigrams ("#pa", "pal", …, "ce#")."""
    return _analyse(normalized, Vocabulary({}, {}))[0]


def _analyse(normalized: str, vocabulary: Vocabulary) -> tuple[set[str], set[str]]:
    """(all units, the selective ones that pick candidates: words and CJK pairs).

    The vocabulary memoizes the units of words: they repeat across thousands of phrasings.
    CJK pairs and characters come from regexes (one C pass each) because a large index calls
    this for every entry."""
    keys = set(_CJK_PAIRS.findall(normalized))
    found = set(_CJK_CHAR.findall(normalized))
    found |= keys
    for word in set(_OTHER_WORDS.findall(normalized)):
        word_units = vocabulary.units.get(word)
        if word_units is None:
            stem = _stem(word)
            vocabulary.key[word] = "w:" + stem
            word_units = vocabulary.units[word] = _word_units(stem)
        found |= word_units
        keys.add(vocabulary.key[word])
    return found, keys


def _word_units(word: str) -> frozenset[str]:
    if len(word) <= 2:
        return frozenset(("w:" + word,))
    padded = f"#{word}#"
    return frozenset(("w:" + word, *map(add, map(add, padded, padded[1:]), padded[2:])))


def _stem(word: str) -> str:
    # Enough English stemming for FAQ questions: ticket/tickets, museum/museums.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _IndexedEntry:
    id: str
    units: AbstractSet[str]  # the units of all its phrasings (never changed after the build)
    phrasings: tuple[str, ...]  # as written, for showing which one matched
    normalized: tuple[str, ...]  # the same, normalized, for fuzzy comparison
    keywords: tuple[tuple[str, bool], ...]  # (normalized keyword, is CJK)


class Matcher:
    """An immutable index of one knowledge base. Build it once; a reload builds a new one."""

    def __init__(
        self,
        entries: tuple[_IndexedEntry, ...],
        postings: Mapping[str, list[int]],
        counted: Mapping[str, int],
        spelling: Mapping[str, tuple[str, ...]],
    ) -> None:
        self._entries = entries
        self._postings = postings  # selective unit → entry positions (lists never changed)
        self._counted = counted  # other unit → how many entries have it
        self._spelling = spelling  # trigram → known words containing it

    @classmethod
    def build(cls, knowledge: KnowledgeBase) -> Matcher:
        with _collector_paused():
            return cls._build(knowledge)

    @classmethod
    def _build(cls, knowledge: KnowledgeBase) -> Matcher:
        # Only the selective units (words, CJK pairs) get postings; the document frequencies of
        # the others (trigrams, single CJK characters) are counted. Postings for those would
        # triple the index; typos find their candidates through the vocabulary instead.
        counted: Counter[str] = Counter()
        postings: dict[str, list[int]] = defaultdict(list)
        vocabulary = Vocabulary({}, {})
        texts = [_entry_texts(entry) for entry in knowledge.entries]
        normalized_texts = iter(normalize_many([t for group in texts for t in group]))
        indexed = []
        for position, (entry, group) in enumerate(zip(knowledge.entries, texts, strict=True)):
            normal = dict(zip(group, normalized_texts, strict=False))
            phrasings = {text: n for text, n in normal.items() if n}
            # One analysis of all phrasings together: runs never cross the joining spaces.
            found, keys = _analyse(" ".join(phrasings.values()), vocabulary)
            counted.update(found - keys)
            # postings[unit].append(position) for every key, looped in C: this is the hottest
            # line of a large build.
            deque(map(list.append, map(postings.__getitem__, keys), repeat(position)), maxlen=0)
            keywords = tuple(
                (n, bool(_CJK_CHAR.search(n)))
                for n in dict.fromkeys(normal[k] for ks in entry.keywords.values() for k in ks)
                if len(n) > 1
            )
            indexed.append(
                _IndexedEntry(
                    entry.id, found, tuple(phrasings), tuple(phrasings.values()), keywords
                )
            )
        return cls(
            tuple(indexed),
            MappingProxyType(postings),
            MappingProxyType(counted),
            _spelling_index(vocabulary),
        )

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, text: str, limit: int = 5) -> MatchResult:
        normalized = normalize(text[:MAX_QUERY_CHARS])
        query_units = units(normalized)
        if not query_units:
            return MatchResult(text, Outcome.UNKNOWN, ())
        weights = {u: self._weight(u) for u in query_units}
        total = sum(weights.values())
        candidates = self._candidates(weights)
        scored = [
            self._score(self._entries[i], normalized, query_units, weights, total)
            for i in candidates
        ]
        scored.sort(key=lambda m: m.score, reverse=True)
        matches = tuple(scored[: max(limit, 0)])
        return MatchResult(text, _outcome(scored), matches)

    def _weight(self, unit: str) -> float:
        """Inverse document frequency × how telling this kind of unit is; unseen units (0.5
        documents) weigh the most, which is what sinks out-of-scope questions."""
        postings = self._postings.get(unit)
        frequency = len(postings) if postings else self._counted.get(unit, 0.5)
        return math.log(1 + max(len(self._entries), 1) / frequency) * _type_weight(unit)

    def _candidates(self, weights: Mapping[str, float]) -> list[int]:
        # Units present in a large share of a big base say little and cost a long postings walk:
        # they still count in the final score, but only the rarer units pick the candidates.
        common = max(_COMMON_POSTINGS, len(self._entries) // 5)
        lists = sorted(
            (
                (positions, weight)
                for unit, weight in weights.items()
                for positions in self._postings_or_spellings(unit)
            ),
            key=lambda item: len(item[0]),
        )
        accumulated: dict[int, float] = defaultdict(float)
        for rank, (positions, weight) in enumerate(lists):
            if rank and len(positions) > common:
                break
            for position in positions:
                accumulated[position] += weight
        ranked = sorted(accumulated.items(), key=lambda item: item[1], reverse=True)
        return [position for position, _ in ranked[:_CANDIDATES]]

    def _postings_or_spellings(self, unit: str) -> list[list[int]]:
        """The postings of a unit; for an unknown word, those of the known words it resembles
        (a typo: "mukdem" → "mukden")."""
        positions = self._postings.get(unit)
        if positions is not None:
            return [positions]
        if not unit.startswith("w:") or len(unit) < 6:
            return []
        return [self._postings[w] for w in _similar_words(unit[2:], self._spelling)]

    def _score(
        self,
        entry: _IndexedEntry,
        query: str,
        query_units: AbstractSet[str],
        weights: Mapping[str, float],
        total: float,
    ) -> Match:
        coverage = sum(map(weights.__getitem__, entry.units & query_units)) / total
        if not entry.normalized:
            return Match(entry.id, 0.0, entry.id)
        # Closeness to the best phrasing: word-set similarity (order and extra words forgiven)
        # and plain edit similarity (typos, CJK without spaces).
        words = process.extractOne(query, entry.normalized, scorer=fuzz.token_set_ratio)
        chars = process.extractOne(query, entry.normalized, scorer=fuzz.ratio)
        closeness, fuzzy = words[1] / 100, chars[1] / 100
        best = entry.phrasings[words[2] if closeness >= fuzzy else chars[2]]
        padded = f" {query} "
        keyword_hit = any(
            (keyword in query) if cjk else (f" {keyword} " in padded)
            for keyword, cjk in entry.keywords
        )
        score = 100 * (0.6 * coverage + 0.2 * closeness + 0.2 * fuzzy)
        if keyword_hit:
            score += 8
        return Match(entry.id, round(min(score, 100.0), 1), best)


def _entry_texts(entry: Entry) -> list[str]:
    """An entry's distinct phrasings: its questions, then its keywords, in every language."""
    texts = [q for qs in entry.questions.values() for q in qs]
    texts += [k for ks in entry.keywords.values() for k in ks]
    return list(dict.fromkeys(texts))


def _spelling_index(vocabulary: Vocabulary) -> Mapping[str, tuple[str, ...]]:
    """Trigram → the known words ("w:…") that contain it, to find the word a typo meant."""
    index: dict[str, list[str]] = defaultdict(list)
    for word, key in set(vocabulary.key.items()):
        for unit in vocabulary.units[word] - {key}:
            index[unit].append(key)
    return MappingProxyType({t: tuple(dict.fromkeys(words)) for t, words in index.items()})


def _similar_words(word: str, spelling: Mapping[str, tuple[str, ...]]) -> list[str]:
    trigrams = _word_units(word) - {"w:" + word}
    shared: Counter[str] = Counter()
    for trigram in trigrams:
        shared.update(spelling.get(trigram, ()))
    # Dice on trigrams: a known word of similar length sharing most of them.
    return [
        known
        for known, count in shared.most_common(_SPELLING_CANDIDATES)
        if 2 * count / (len(trigrams) + len(known) - len("w:")) >= _SPELLING_SIMILARITY
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an index is built.

    A build allocates millions of small containers, none of them cyclic; the collector would
    rescan them over and over (at 10,000 entries it more than doubled the build time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The new index lives as long as the knowledge base: keep the collector from scanning
        # it again and again (it holds no cycles; reference counting frees it after a reload).
        gc.freeze()
        if was_enabled:
            gc.enable()


def _type_weight(unit: str) -> float:
    if unit.startswith("w:") or len(unit) == 2:  # a word, or a CJK character pair
        return 1.0
    if len(unit) == 3:  # a Latin trigram
        return _TRIGRAM_WEIGHT
    return _UNIGRAM_WEIGHT


def _outcome(scored: list[Match]) -> Outcome:
    if not scored or scored[0].score < SUGGEST_SCORE:
        return Outcome.UNKNOWN
    top = scored[0].score
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    if top >= SURE_SCORE or (top >= ANSWER_SCORE and top - runner_up >= CLEAR_LEAD):
        return Outcome.ANSWER
    return Outcome.SUGGEST
