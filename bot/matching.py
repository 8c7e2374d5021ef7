"""Find the entry a question is about: an index built once per knowledge base, ranked matches with a
calibrated 0–100 score, and the outcome the bot acts on (answer / suggest / don't know).

How a query is scored against an entry (all on :func:`bot.text.normalize`-d text):

* *units* (:mod:`bot.index`): CJK text has no spaces, so it is compared on characters and
  character pairs; other text on words plus character trigrams (trigrams forgive typos: "mukdem"
  still shares most of "mukden"). Each unit weighs its inverse document frequency over entries,
  so "沈阳" or "shenyang", present everywhere, says little, while "故宫" says a lot; hiragana,
  mostly Japanese grammar, weighs less than content characters.
* *coverage*: the share of the query's weight that the entry's phrasings and keywords explain.
  Words the knowledge base has never seen ("harbin", "stock") weigh the most, which is what pushes
  out-of-scope questions down.
* *closeness*: rapidfuzz similarity to the entry's best phrasing, on word sets (order and extra
  words forgiven; each CJK character counts as a word) and on characters (typos).
* *keywords*: a curated keyword found in the query adds a bonus.

Before that, a Latin word the base never uses is put right when one known word is a slip away
(:mod:`bot.spelling`: "febuary", "mansoin").

The bot answers directly only when the confidence model (:mod:`bot.confidence`) is sure enough
of the best entry — from its score, its lead, how much of the query it explains, how telling its
keyword is — the query says enough to tell entries apart ("when" alone does not), it names no
other city the best entry never mentions (``knowledge/_places.yaml``), and the best two entries
are not told apart by a phrasing's closeness alone; otherwise it suggests. A query naming
a concept of the lexicon (``knowledge/_lexicon.yaml``) is matched with the concept's terms added.

Phrasings of all languages are searched; the reply language is chosen elsewhere.
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from itertools import accumulate, chain, compress, islice

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from bot import ties
from bot.candidates import SELECTIVE, candidates_for, unit_weights
from bot.confidence import MODEL, NAMING, Evidence, Model
from bot.grammar import without_grammar, without_requests, written_chinese, written_chinese_all
from bot.index import QueryUnits, UnitIndex, UnitKind, split_and_tell_cjk, split_cjk
from bot.knowledge import Entry, KnowledgeBase, collector_paused
from bot.lexicon import Lexicon
from bot.spelling import Speller
from bot.terms import TermFinder, stands_alone
from bot.text import has_cjk, normal_forms, normalize
from bot.word_sets import WordTable

MAX_QUERY_CHARS = 500  # longer messages are cut: nobody asks an FAQ question in a page of text

# Below this best score the bot does not even suggest: it says it does not know.
SUGGEST_SCORE = 34.0
# A part of a long message stands for the whole only this far ahead of its runner-up.
CLEAR_LEAD = 4.0
# For a curated keyword found in the query, times its specificity and the entry's coverage of
# the query. Flat 8 points had answered 'any english speaking dentist?' with language-help; on the
# development questions and practical questions (benchmarks/eval/practical-dev.tsv) together,
# flat 8 gave 471 right and 60 wrong direct answers, flat 12 486 and 66, this 470 and 57.
KEYWORD_BONUS = 20.0
_LATIN = re.compile(r"[a-z]")  # normalized text is case-folded
_VERBATIM = 90  # fuzz.ratio of a query that is one of the phrasings, give or take a letter


class Outcome(Enum):
    """What the bot does with a question: answer it, suggest entries, or say it does not know."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    """One entry's score for a query."""

    id: str
    score: float
    question: str  # the phrasing of the entry closest to the query


@dataclass(frozen=True)
class MatchResult:
    """The ranked matches of a query and the outcome."""

    query: str
    outcome: Outcome
    matches: tuple[Match, ...]
    evidence: Evidence | None = None  # what the outcome was read from; None without matches

    @property
    def top_score(self) -> float:
        """The best match's score, 0 without matches."""
        return self.matches[0].score if self.matches else 0.0

    @property
    def answer_id(self) -> str | None:
        """The entry answered directly, if any."""
        return self.matches[0].id if self.outcome is Outcome.ANSWER else None


@dataclass(frozen=True)
class _IndexedEntry:
    id: str
    phrasings: tuple[str, ...]  # as written, for showing which one matched
    normalized: tuple[str, ...]  # the same, normalized, for fuzzy comparison
    split: tuple[str, ...]  # the same, CJK characters as words, for word-set comparison
    keywords: tuple[tuple[str, bool], ...]  # (normalized keyword, is CJK)
    answers: tuple[str, ...]  # as written, to see which places the entry talks about
    # The phrasings written with CJK, and the others: a query in one script is compared with
    # those only (an English query with a Chinese phrasing scores about 0 anyway), which halves
    # the fuzzy comparisons that are most of a query's time. Empty: compare with all.
    cjk: _Phrasings
    latin: _Phrasings

    def compared_with(self, query_cjk: bool, query_latin: bool) -> _Phrasings | None:
        """The phrasings a query in these scripts is compared with; None for all of them."""
        if query_cjk and query_latin:
            return None
        chosen = self.cjk if query_cjk else self.latin
        return chosen if chosen.at else None


_Scripts = tuple[bool, bool]  # a query holds CJK, Latin letters
_Shares = list[float] | None  # the best entries' coverage of the query as asked, if known


@dataclass(frozen=True)
class _Weighed:
    """A normalized query, its units, their weights and which of them the base holds: worked out
    once for the words as asked, which both rankings of a widened query judge by."""

    text: str
    units: QueryUnits
    weights: npt.NDArray[np.float64]
    present: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Ranking:
    """The entries ranked for one query, before an outcome is read from them: a widened query
    is ranked once and judged on the words as asked, then on what they meant."""

    wanted: _Weighed  # the query ranked for
    ranked: tuple[Match, ...]  # best first
    order: tuple[int, ...]  # their positions in the base, in the same order
    shares: Mapping[int, float]  # each candidate's coverage of ``wanted``
    vague: bool  # too little said, or grammar alone, to pick one entry


@dataclass(frozen=True)
class _Phrasings:
    """Some of an entry's phrasings: their positions among all, normalized and CJK-split."""

    at: tuple[int, ...]
    normalized: tuple[str, ...]
    split: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class BuiltIndex:
    """What a :class:`Matcher` works out of a knowledge base, apart from its lexicon and
    confidence model: built in seconds at 10,000 entries, kept between loads by bot.index_cache."""

    entries: tuple[_IndexedEntry, ...]
    units: UnitIndex
    # CJK queries' word-set closeness, from all phrasings' words numbered once: rapidfuzz's
    # took 53 % of a query's instructions (bot.word_sets).
    words: WordTable

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> BuiltIndex:
        """Index a knowledge base's entries."""
        entries = indexed_entries(knowledge.entries, knowledge.normal)
        # An entry holds the units of all its phrasings; runs never cross the joining spaces.
        units = UnitIndex.build([" ".join(e.normalized) for e in entries])
        words = WordTable.build([split for entry in entries for split in entry.split])
        return cls(entries, units, words)


IndexedEntries = tuple[_IndexedEntry, ...]  # what BuiltIndex holds of each entry (bot.index_pieces)


def indexed_entries(entries: Sequence[Entry], known: Mapping[str, str]) -> IndexedEntries:
    """Each entry's phrasings as the matcher compares them; ``known``: normal forms of phrasings,
    as loading made them (KnowledgeBase.normal)."""
    texts = [entry.phrasings for entry in entries]
    forms = known
    if not all(map(known.__contains__, chain.from_iterable(texts))):
        # A knowledge base made otherwise than by loading (tests, benchmarks).
        fresh = normal_forms(t for t in chain.from_iterable(texts) if t not in known)
        forms = {**known, **fresh} if known else fresh
    if len(forms) > sum(map(len, texts)):
        # A piece's entries (bot.index_pieces): rewrite theirs, not the base's 220,000 forms.
        forms = {text: forms[text] for text in chain.from_iterable(texts)}
    forms = _written(forms)
    read = []  # (entry, its phrasings → normalized, its keywords)
    for entry, group in zip(entries, texts, strict=True):
        keywords = tuple(
            (n, has_cjk(n))
            for n in dict.fromkeys(forms[k] for ks in entry.keywords.values() for k in ks)
            if len(n) > 1
        )
        read.append((entry, {text: n for text in group if (n := forms[text])}, keywords))
    every = [n for _, phrasings, _ in read for n in phrasings.values()]
    # All phrasings at once, not one by one: 0.3 s of CPU at 10,000 entries.
    split_every, scripts_every = split_and_tell_cjk(every)
    split, scripts = iter(split_every), iter(scripts_every)
    indexed = [
        _IndexedEntry(
            entry.id,
            tuple(phrasings),
            tuple(phrasings.values()),
            own_split,
            keywords,
            tuple(entry.answer.values()),
            *_by_script(
                tuple(phrasings.values()), own_split, list(islice(scripts, len(own_split)))
            ),
        )
        for (entry, phrasings, keywords), own_split in zip(
            read, (tuple(islice(split, len(p))) for _, p, _ in read), strict=True
        )
    ]
    return tuple(indexed)


class Matcher:
    """An immutable index of one knowledge base. Build it once; a reload builds a new one."""

    def __init__(self, built: BuiltIndex, lexicon: Lexicon, model: Model = MODEL) -> None:
        self._entries = entries = built.entries
        self._built = built
        self._model = model
        # What a query's weight and an entry's size are measured against, so that the model's
        # figures mean the same in a base of 40 entries as in one of 10,000.
        self._one_unit = math.log(1 + max(len(entries), 1))
        self._typical_size = statistics.median([len(e.normalized) for e in entries] or [1])
        self._index = built.units
        self._lexicon = lexicon
        self._entry_places: dict[int, frozenset[int]] = {}  # filled as questions need it
        self._keyword_specificity: dict[str, float] = {}  # likewise
        self._position = {entry.id: i for i, entry in enumerate(entries)}
        self._words = built.words
        self._first_rows = list(accumulate((len(e.split) for e in entries), initial=0))

    @classmethod
    def build(cls, knowledge: KnowledgeBase, model: Model = MODEL) -> Matcher:
        """Index a knowledge base; ``model`` says when the best entry is answered directly."""
        with collector_paused():
            return cls(BuiltIndex.of(knowledge), knowledge.lexicon, model)

    @property
    def built(self) -> BuiltIndex:
        """What was worked out of the knowledge base (bot.index_cache keeps it between loads)."""
        return self._built

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def model(self) -> Model:
        """What says when the best entry is answered directly."""
        return self._model

    def match(self, text: str, limit: int = 5) -> MatchResult:
        """Rank the entries for a question, best first, and decide the outcome."""
        spelled = self._speller.corrected(normalize(text[:MAX_QUERY_CHARS]))
        asked = self._weighed(written_chinese(without_requests(spelled)))
        plain = self._judged(text, asked, self._ranking(asked), limit)
        # A concept the query names brings its other terms ("specialties" meets "local food"),
        # but only where the words as asked found no answer: with them, "北陵公园好玩吗" went to
        # the itinerary instead of the park (development set: 5 answers lost, 2 gained).
        expanded = self._lexicon.expand(asked.text)
        if plain.outcome is Outcome.ANSWER or expanded == asked.text:
            return plain
        ranking = self._ranking(self._weighed(expanded))
        wider = self._judged(text, asked, ranking, limit)
        if wider.matches:
            # Judged on what was meant: the concept in the entry's own words (the same ranking).
            top = self._entries[self._position[wider.matches[0].id]]
            meant = self._lexicon.in_words_of(asked.text, _written_by(top))
            if meant != asked.text:
                wider = self._judged(text, self._weighed(meant), ranking, limit)
        better = wider.outcome is Outcome.ANSWER or wider.top_score > plain.top_score
        return wider if better else plain

    def _weighed(self, normalized: str) -> _Weighed:
        """A normalized query's units, their weights, and which of them the base holds."""
        units = self._index.query_units(normalized)
        if not len(units):
            return _Weighed(normalized, units, np.empty(0), np.empty(0, dtype=np.bool_))
        frequencies = self._index.frequencies(units.codes)
        weights = unit_weights(len(self._entries), frequencies, units.kinds)
        return _Weighed(normalized, units, weights, frequencies > 0)

    def _ranking(self, wanted: _Weighed) -> _Ranking | None:
        """The entries ranked for ``wanted``, best first; None when it has no units."""
        normalized, query = wanted.text, wanted.units
        weights, present = wanted.weights, wanted.present
        if not len(query):
            return None
        candidates = candidates_for(self._index, len(self._entries), query, weights, present)
        # Coverage: the share of the query's weight that each candidate's units explain.
        held = self._index.holds(query.codes[present], candidates)
        coverage = ((weights[present] @ held) / weights.sum()).tolist()
        # Without CJK in the query, a phrasing's CJK can only be extra words: the plain
        # phrasings score nearly the same and are much faster to compare.
        # For word-set closeness: CJK characters as words, or English without its grammar ("what
        # should I pack" is not "what should I eat").
        split = split_cjk([normalized])[0] if has_cjk(normalized) else None
        content = without_grammar(normalized)
        words = split if split is not None else (content or normalized)
        # Once per query, not for each candidate: 91,000 calls were 2 % of the time.
        scripts = (has_cjk(words), _LATIN.search(normalized) is not None)
        positions = candidates.tolist()
        near = _word_sets(self._words, self._first_rows, self._entries, positions, words, scripts)
        scored = sorted(
            (
                (self._score(self._entries[at], normalized, words, share, scripts, close), at)
                for at, share, close in zip(positions, coverage, near, strict=True)
            ),
            key=lambda item: item[0].score,
            reverse=True,
        )
        ranked = tuple(match for match, _ in scored)
        # A query carrying less information than one word found in a single entry ("when",
        # "Shenyang") fits many entries equally: offer them rather than pick one. So does a
        # question about another city ("Shanghai metro card") that the best entry never names.
        # Grammar alone ("what is it") says nothing, whatever one phrasing happens to share with
        # it, unless it is that phrasing ("what can you do?").
        grammar_only = bool((query.kinds == UnitKind.FUNCTION_WORD).all()) and not (
            ranked and fuzz.ratio(normalized, normalize(ranked[0].question)) >= _VERBATIM
        )
        vague = grammar_only or float(weights.sum()) < self._one_unit
        shares = dict(zip(positions, coverage, strict=True))
        return _Ranking(wanted, ranked, tuple(at for _, at in scored), shares, vague)

    def _judged(
        self, text: str, asked: _Weighed, ranking: _Ranking | None, limit: int
    ) -> MatchResult:
        """The outcome of a ranking, judged on the query as ``asked`` (before any expansion)."""
        if ranking is None:
            return MatchResult(text, Outcome.UNKNOWN, ())
        ranked, order = ranking.ranked, ranking.order
        elsewhere = bool(order) and self._names_other_place(asked.text, order[0])
        evidence = None
        if order:
            positions = list(order[:2])
            shares = None
            if ranking.wanted is asked:  # the ranking's own coverage is the one asked
                shares = [ranking.shares[position] for position in positions]
            evidence = self._evidence(ranked, asked, positions, shares)
        outcome = self._outcome(evidence, doubtful=ranking.vague or elsewhere)
        if outcome is Outcome.ANSWER and evidence:  # worked out only for an answer: 4 % of a query
            renamed = self._renamed(asked.text, ranking, evidence)
            said = (set(_hits(self._entries[at], asked.text)) for at in order[:2])  # if needed
            if renamed:  # "日本领事馆管哪几个省" is the US consulate's phrasing about Japan's
                ranked = (ranked[renamed], *ranked[:renamed], *ranked[renamed + 1 :])
            elif len(order) > 1 and ties.named_alike(evidence, *said):  # they only seem apart
                outcome = Outcome.SUGGEST
        return MatchResult(text, outcome, ranked[: max(limit, 0)], evidence)

    def _renamed(self, query: str, ranking: _Ranking, evidence: Evidence) -> int:
        """The rank of the next entry the query names in the best one's phrasing (bot.ties)."""
        if len(ranking.order) < 2 or evidence.specificity >= NAMING:
            return 0  # the query names the first: no other name stands in for it
        phrasing = normalize(ranking.ranked[0].question)
        own = [k for k in _hits(self._entries[ranking.order[0]], phrasing) if k not in query]
        named = set(self._named_positions(query))
        names = [
            _hits(self._entries[at], query) if at in named else [] for at in ranking.order[1:3]
        ]
        return ties.renamed_to(phrasing, query, own, names)

    def _outcome(self, evidence: Evidence | None, doubtful: bool) -> Outcome:
        if evidence is None or evidence.top < SUGGEST_SCORE:  # no evidence: nothing matched
            return Outcome.UNKNOWN
        if not doubtful and self._model.answers(evidence):
            return Outcome.ANSWER
        return Outcome.SUGGEST

    def _evidence(
        self, ranked: tuple[Match, ...], asked: _Weighed, positions: list[int], shares: _Shares
    ) -> Evidence:
        """The figures the confidence in the best entry is read from, on the query as asked (not
        on the lexicon's additions); ``positions``: the best two entries; ``shares``: their
        coverage of the query as asked, when the ranking worked it out."""
        weights, present = asked.weights, asked.present
        if shares is None:
            codes = asked.units.codes[present]
            held = self._index.holds(codes, np.array(positions, dtype=np.int64))
            shares = ((weights[present] @ held) / max(float(weights.sum()), 1e-9)).tolist()
        top = self._entries[positions[0]]
        specificity = max(map(self._specificity, _hits(top, asked.text)), default=0.0)
        breadth = math.log((1 + len(top.normalized)) / (1 + self._typical_size))
        scores = [match.score for match in ranked[:3]]
        weights, present = asked.weights, asked.present
        total, unseen = float(weights.sum()), float(weights[~present].sum())
        weight = (total, unseen, self._one_unit)
        return Evidence.of(scores, shares, weight, len(asked.text), specificity, breadth)

    def named_in(self, text: str) -> tuple[str, ...]:
        """The entries one of whose keywords ``text`` names ("冰雪节", "mukden palace"), if that
        keyword tells the entry apart (not "瀋陽", a keyword of the overview)."""
        return tuple(self._entries[p].id for p in self._named_positions(normalize(text)))

    def _named_positions(self, normalized: str) -> list[int]:
        found = self._keyword_finder.found_in(normalized)
        # A keyword two entries share ("皇陵", both Qing tombs) names both: the finder keeps one.
        said = {k for position in found for k in _hits(self._entries[position], normalized)}
        holders = sorted({p for k in said for p in self._keyword_holders.get(k, ())})
        return [
            position
            for position in holders
            if max(map(self._specificity, _hits(self._entries[position], normalized)), default=0)
            >= NAMING
        ]

    @cached_property
    def _speller(self) -> Speller:
        # Built on first use: 0.26 s of CPU at 10,000 entries that a reload need not wait for.
        return _speller_of(self._entries, self._lexicon)

    @cached_property
    def _keyword_finder(self) -> TermFinder:
        # Built on first use: only follow-ups need it, and a reload should not pay for it. Another
        # city's name ("大連" of trains-northeast) is found, then set aside by named_in: its
        # specificity is 0.
        return TermFinder([[k for k, _ in entry.keywords] for entry in self._entries])

    @cached_property
    def _keyword_holders(self) -> dict[str, tuple[int, ...]]:
        holders: dict[str, list[int]] = {}
        for position, entry in enumerate(self._entries):
            for keyword, _cjk in entry.keywords:
                holders.setdefault(keyword, []).append(position)
        return {keyword: tuple(positions) for keyword, positions in holders.items()}

    def elsewhere(self, text: str, entry_id: str) -> bool:
        """Does ``text`` name another city that the entry never mentions? (A sentence picked
        out of a long message is checked against the whole message.)"""
        position = self._position.get(entry_id)
        return position is not None and self._names_other_place(normalize(text), position)

    def names_other_place(self, text: str) -> bool:
        """Does ``text`` name a place that is not Shenyang?"""
        return bool(self._lexicon.place_finder.found_in(normalize(text)))

    def asks_about_other_place(self, text: str) -> bool:
        """Does ``text`` name a place that is not Shenyang, other than as the writer's origin?"""
        return bool(self._lexicon.place_finder.asked_about(normalize(text)))

    def _names_other_place(self, normalized: str, position: int) -> bool:
        """Does the query name another city that the entry at ``position`` never mentions, or
        only that city's namesake of the entry ("北京の故宮": the entry mentions Beijing)?"""
        finder, keywords = self._lexicon.place_finder, self._entries[position].keywords
        asked = finder.asked_about(normalized)
        other = bool(asked) and bool(asked - self._places_of(position))
        return bool(asked) and (other or finder.owns(normalized, (k for k, _ in keywords)))

    def _places_of(self, position: int) -> frozenset[int]:
        """The other places an entry talks about, read once per entry and kept: an answer is
        long, and reading it again for every question naming a city cost 0.5 ms."""
        known = self._entry_places.get(position)
        if known is None:
            entry = self._entries[position]
            text = " ".join((*entry.phrasings, *entry.answers))
            known = self._entry_places[position] = self._lexicon.place_finder.found_in(text)
        return known

    def _score(
        self,
        entry: _IndexedEntry,
        query: str,
        words: str,
        coverage: float,
        scripts: _Scripts,
        best_words: tuple[float, int] | None,
    ) -> Match:
        """``words``: the query for word-set closeness (CJK characters split apart, or English
        without its grammar); ``scripts``: whether it holds CJK, and Latin letters;
        ``best_words``: the word-set closeness and its phrasing, if worked out already."""
        if not entry.normalized:
            return Match(entry.id, 0.0, entry.id)
        # Closeness to the best phrasing: word-set similarity (order and extra words, or CJK
        # characters, forgiven) and plain edit similarity (typos).
        cjk, latin = scripts
        some = entry.compared_with(cjk, latin)
        normalized = entry.normalized if some is None else some.normalized
        if best_words is None:
            best_words = process.extractOne(words, normalized, scorer=fuzz.token_set_ratio)[1:]
        chars = process.extractOne(query, normalized, scorer=fuzz.ratio)
        closeness, fuzzy = best_words[0] / 100, chars[1] / 100
        chosen = best_words[1] if closeness >= fuzzy else chars[2]
        best = entry.phrasings[chosen if some is None else some.at[chosen]]
        hits = _hits(entry, query)
        score = 100 * (0.6 * coverage + 0.2 * closeness + 0.2 * fuzzy)
        if hits:
            # A keyword says which entry, not that the entry answers: it counts as far as the
            # entry explains the rest of the query ("english speaking" beside "dentist" is not
            # the language-help entry's question).
            score += KEYWORD_BONUS * max(map(self._specificity, hits)) * coverage
        return Match(entry.id, round(min(score, 100.0), 1), best)

    def _specificity(self, keyword: str) -> float:
        """How much a keyword tells its entry apart, 0–1: 1 for a name only its entry uses
        ("沈阳北站" once the station had its own entry), near 0 for one most entries use
        ("shenyang", a keyword of about-shenyang, gave that entry 8 points on every question
        naming the city), 0 for another city's name. Worked out on first use and kept."""
        known = self._keyword_specificity.get(keyword)
        if known is None and self._lexicon.place_finder.found_in(keyword):
            # Another city: the entry mentions it ("trains to Harbin"), it is not about it.
            known = self._keyword_specificity[keyword] = 0.0
        if known is None:
            units = self._index.query_units(keyword)
            selective = SELECTIVE[units.kinds]
            codes = units.codes[selective] if selective.any() else units.codes
            holding = self._index.entries_holding(codes)
            shared = functools.reduce(np.intersect1d, holding) if holding else np.empty(0)
            size = max(len(self._entries), 2)
            documents = max(len(shared), 1)
            known = math.log(size / documents) / math.log(size)
            self._keyword_specificity[keyword] = known
        return known


def _speller_of(entries: tuple[_IndexedEntry, ...], lexicon: Lexicon) -> Speller:
    """The speller of the entries' phrasings and keywords and the lexicon's terms."""
    written = (t for e in entries for t in (*e.normalized, *(k for k, _ in e.keywords)))
    return Speller.of(chain(written, lexicon.words))


def _written_by(entry: _IndexedEntry) -> str:
    """An entry's phrasings and keywords, normalized, in one text."""
    return " ".join((*entry.normalized, *(k for k, _ in entry.keywords)))


def _hits(entry: _IndexedEntry, query: str) -> list[str]:
    """The entry's keywords found in a normalized query."""
    return [
        keyword
        for keyword, cjk in entry.keywords
        if keyword in query and (cjk or stands_alone(keyword, query))
    ]


def _word_sets(
    table: WordTable,
    first_rows: list[int],
    entries: tuple[_IndexedEntry, ...],
    positions: list[int],
    words: str,
    scripts: _Scripts,
) -> list[tuple[float, int] | None]:
    """For a CJK query, each candidate's best word-set closeness (fuzz.token_set_ratio) with the
    phrasings it is compared with, and which; else None for each (rapidfuzz does it in _score)."""
    cjk, latin = scripts
    if not cjk:
        return [None] * len(positions)
    groups = []
    for position in positions:
        some = entries[position].compared_with(cjk, latin)
        at = range(len(entries[position].split)) if some is None else some.at
        groups.append([first_rows[position] + i for i in at])
    found = iter(table.best(words, [group for group in groups if group]))
    return [next(found) if group else None for group in groups]


def _written(forms: Mapping[str, str]) -> Mapping[str, str]:
    """Normal forms with colloquial Chinese in its written form, as queries are read ("啥" →
    "什么")."""
    values = list(forms.values())
    written = written_chinese_all(values)
    return forms if written is values else dict(zip(forms, written, strict=True))


def _by_script(
    normalized: tuple[str, ...], split: tuple[str, ...], cjk: list[bool]
) -> tuple[_Phrasings, _Phrasings]:
    """An entry's phrasings written with CJK (``cjk`` says which), and the others."""
    groups = []
    for wanted in (cjk, [not flag for flag in cjk]):
        at = tuple(compress(range(len(normalized)), wanted))
        groups.append(
            _Phrasings(at, tuple(compress(normalized, wanted)), tuple(compress(split, wanted)))
        )
    return groups[0], groups[1]
