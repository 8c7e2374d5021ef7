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
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from operator import add
from types import MappingProxyType
from typing import NamedTuple

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
_COMMON_POSTINGS = 500


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
# A normalized text is runs of CJK characters and runs of other word characters.
_RUNS = re.compile(f"([{_CJK_CLASS}]+)|([^\\s{_CJK_CLASS}]+)")


def units(normalized: str) -> set[str]:
    """The comparison units of a normalized text: CJK characters and character pairs, Latin
    words ("w:palace") and their boundary-padded trigrams ("#pa", "pal", …, "ce#")."""
    found: set[str] = set()
    for cjk, other in _RUNS.findall(normalized):
        if cjk:
            found.update(cjk)
            found.update(map(add, cjk, cjk[1:]))
        else:
            word = _stem(other)
            found.add("w:" + word)
            if len(word) > 2:
                padded = f"#{word}#"
                found.update(map(add, map(add, padded, padded[1:]), padded[2:]))
    return found


def _stem(word: str) -> str:
    # Enough English stemming for FAQ questions: ticket/tickets, museum/museums.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class _Phrasing(NamedTuple):  # a NamedTuple: built 100,000s of times per index, so it must be cheap
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
        postings: dict[str, list[int]] = defaultdict(list)
        parsed = []
        for position, entry in enumerate(knowledge.entries):
            texts = [q for qs in entry.questions.values() for q in qs]
            texts += [k for ks in entry.keywords.values() for k in ks]
            phrasings = [
                (text, normalized, units(normalized))
                for text in dict.fromkeys(texts)
                if (normalized := normalize(text))
            ]
            covered = frozenset().union(*(found for _, _, found in phrasings))
            for unit in covered:
                postings[unit].append(position)
            keywords = tuple(
                (n, any(is_cjk(ch) for ch in n))
                for n in dict.fromkeys(normalize(k) for ks in entry.keywords.values() for k in ks)
                if len(n) > 1
            )
            parsed.append((entry.id, covered, phrasings, keywords))
        count = max(len(parsed), 1)
        idf = {u: math.log(1 + count / len(p)) for u, p in postings.items()}
        weights = {u: value * _type_weight(u) for u, value in idf.items()}
        weight_of = weights.__getitem__
        indexed = tuple(
            _IndexedEntry(
                entry_id,
                covered,
                tuple(
                    _Phrasing(text, normalized, frozenset(found), sum(map(weight_of, found)))
                    for text, normalized, found in phrasings
                ),
                keywords,
            )
            for entry_id, covered, phrasings, keywords in parsed
        )
        return cls(
            indexed,
            MappingProxyType({u: tuple(p) for u, p in postings.items()}),
            MappingProxyType(idf),
            math.log(1 + count / 0.5),
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
        # Units present in a large share of a big base say little and cost a long postings walk:
        # they still count in the final score, but only the rarer units pick the candidates.
        common = max(_COMMON_POSTINGS, len(self._entries) // 5)
        lists = sorted(
            ((self._postings.get(u, ()), w) for u, w in weights.items()),
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
