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
* *closeness*: how much the query and the entry's best phrasing overlap both ways, and a rapidfuzz
  ratio against that phrasing.
* *keywords*: a curated keyword found in the query adds a bonus.

Phrasings of all languages are searched; the reply language is chosen elsewhere.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from rapidfuzz import fuzz, process

from bot.knowledge import KnowledgeBase
from bot.text import is_cjk, normalize

MAX_QUERY_CHARS = 500  # longer messages are cut: nobody asks an FAQ question in a page of text

ANSWER_SCORE = 50.0
SUGGEST_SCORE = 34.0
CLEAR_LEAD = 6.0  # an answer below SURE_SCORE needs this lead over the runner-up
SURE_SCORE = 70.0

_TRIGRAM_WEIGHT = 0.35
_UNIGRAM_WEIGHT = 0.6
_CANDIDATES = 12


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


def units(normalized: str) -> set[str]:
    """The comparison units of a normalized text: CJK uni/bigrams, Latin words and trigrams."""
    found: set[str] = set()
    for token in normalized.split():
        for run, cjk in _script_runs(token):
            if cjk:
                found.update(run)
                found.update(run[i : i + 2] for i in range(len(run) - 1))
            else:
                word = _stem(run)
                found.add("w:" + word)
                if len(word) > 2:
                    padded = f"#{word}#"
                    found.update("t:" + padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def _script_runs(token: str) -> Iterable[tuple[str, bool]]:
    start = 0
    for i in range(1, len(token) + 1):
        if i == len(token) or is_cjk(token[i]) != is_cjk(token[start]):
            yield token[start:i], is_cjk(token[start])
            start = i


def _stem(word: str) -> str:
    # Enough English stemming for FAQ questions: ticket/tickets, museum/museums.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Phrasing:
    text: str
    normalized: str
    units: frozenset[str]
    weight: float  # sum of its units' weights


@dataclass(frozen=True)
class _IndexedEntry:
    id: str
    units: frozenset[str]
    phrasings: tuple[_Phrasing, ...]
    keywords: tuple[tuple[str, bool], ...]  # (normalized keyword, is CJK)


class Matcher:
    """An immutable index of one knowledge base. Build it once; a reload builds a new one."""

    def __init__(
        self,
        entries: tuple[_IndexedEntry, ...],
        postings: Mapping[str, tuple[int, ...]],
        idf: Mapping[str, float],
        unseen_idf: float,
    ) -> None:
        self._entries = entries
        self._postings = postings
        self._idf = idf
        self._unseen_idf = unseen_idf

    @classmethod
    def build(cls, knowledge: KnowledgeBase) -> Matcher:
        raw: list[tuple[str, list[tuple[str, str, set[str]]], tuple[tuple[str, bool], ...]]] = []
        document_frequency: dict[str, int] = defaultdict(int)
        for entry in knowledge.entries:
            texts = [q for qs in entry.questions.values() for q in qs]
            texts += [k for ks in entry.keywords.values() for k in ks]
            phrasings = []
            entry_units: set[str] = set()
            for text in dict.fromkeys(texts):
                normalized = normalize(text)
                if normalized:
                    found = units(normalized)
                    phrasings.append((text, normalized, found))
                    entry_units.update(found)
            for unit in entry_units:
                document_frequency[unit] += 1
            keywords = tuple(
                (n, any(is_cjk(ch) for ch in n))
                for n in dict.fromkeys(normalize(k) for ks in entry.keywords.values() for k in ks)
                if len(n) > 1
            )
            raw.append((entry.id, phrasings, keywords))
        count = max(len(raw), 1)
        idf = {u: math.log(1 + count / df) for u, df in document_frequency.items()}
        unseen = math.log(1 + count / 0.5)
        weights = {u: idf[u] * _type_weight(u) for u in idf}
        indexed = []
        postings: dict[str, list[int]] = defaultdict(list)
        for position, (entry_id, phrasings, keywords) in enumerate(raw):
            built = tuple(
                _Phrasing(text, normalized, frozenset(found), sum(weights[u] for u in found))
                for text, normalized, found in phrasings
            )
            covered = frozenset(u for p in built for u in p.units)
            for unit in covered:
                postings[unit].append(position)
            indexed.append(_IndexedEntry(entry_id, covered, built, keywords))
        return cls(
            tuple(indexed),
            MappingProxyType({u: tuple(p) for u, p in postings.items()}),
            MappingProxyType(idf),
            unseen,
        )

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, text: str, limit: int = 5) -> MatchResult:
        normalized = normalize(text[:MAX_QUERY_CHARS])
        query_units = units(normalized)
        if not query_units:
            return MatchResult(text, Outcome.UNKNOWN, ())
        weights = {u: self._idf.get(u, self._unseen_idf) * _type_weight(u) for u in query_units}
        total = sum(weights.values())
        candidates = self._candidates(weights)
        scored = [self._score(self._entries[i], normalized, weights, total) for i in candidates]
        scored.sort(key=lambda m: m.score, reverse=True)
        matches = tuple(scored[: max(limit, 0)])
        return MatchResult(text, _outcome(scored), matches)

    def _candidates(self, weights: Mapping[str, float]) -> list[int]:
        accumulated: dict[int, float] = defaultdict(float)
        for unit, weight in weights.items():
            for position in self._postings.get(unit, ()):
                accumulated[position] += weight
        ranked = sorted(accumulated.items(), key=lambda item: item[1], reverse=True)
        return [position for position, _ in ranked[:_CANDIDATES]]

    def _score(
        self, entry: _IndexedEntry, query: str, weights: Mapping[str, float], total: float
    ) -> Match:
        query_keys = weights.keys()
        coverage = sum(weights[u] for u in entry.units & query_keys) / total
        best_overlap, best = 0.0, entry.phrasings[0]
        for phrasing in entry.phrasings:
            shared = sum(weights[u] for u in phrasing.units & query_keys)
            # Dice overlap: high only when the query and the phrasing explain each other.
            overlap = 2 * shared / (total + phrasing.weight) if shared else 0.0
            if overlap > best_overlap:
                best_overlap, best = overlap, phrasing
        choice = process.extractOne(
            query, [p.normalized for p in entry.phrasings], scorer=fuzz.ratio
        )
        fuzzy = choice[1] / 100 if choice else 0.0
        if choice and fuzzy > best_overlap:
            best = entry.phrasings[choice[2]]
        padded = f" {query} "
        keyword_hit = any(
            (keyword in query) if cjk else (f" {keyword} " in padded)
            for keyword, cjk in entry.keywords
        )
        score = 100 * (0.5 * coverage + 0.3 * min(best_overlap, 1.0) + 0.2 * fuzzy)
        if keyword_hit:
            score += 8
        return Match(entry.id, round(min(score, 100.0), 1), best.text)


def _type_weight(unit: str) -> float:
    if unit.startswith("t:"):
        return _TRIGRAM_WEIGHT
    if unit.startswith("w:") or len(unit) == 2:
        return 1.0
    return _UNIGRAM_WEIGHT


def _outcome(scored: list[Match]) -> Outcome:
    if not scored or scored[0].score < SUGGEST_SCORE:
        return Outcome.UNKNOWN
    top = scored[0].score
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    if top >= SURE_SCORE or (top >= ANSWER_SCORE and top - runner_up >= CLEAR_LEAD):
        return Outcome.ANSWER
    return Outcome.SUGGEST
