"""What users asked, grouped into needs across languages and wordings, for the curator's report.

``tax incentives for foreign investors?``, ``外资优惠政策`` and ``外資向けの優遇政策ありますか`` are one
need: a curator writes one entry for them. Two questions are linked when any of these agree:

* their comparison forms (:func:`bot.text.normalize`: one Han form, no punctuation) are near
  duplicates;
* the concepts of a lexicon (concept -> terms per language) found in them overlap, with at least
  one topic in common (question words such as "where" separate needs but never join two alone);
* their words overlap (word stems for spaced text, character pairs for CJK);

and the entries the matcher offered for both add to that overlap. Linked questions form one
cluster (single linkage, so a Japanese and a Chinese wording meet through an English one).

The lexicon is a parameter: :data:`DEFAULT_LEXICON` is a small built-in table; a curator-editable
lexicon in ``knowledge/`` (concepts with terms per language) can be passed in its place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz import fuzz

from bot.store import QuestionRecord
from bot.text import CJK_RANGES, char_class, has_cjk, normalize

# Near duplicates, as the matcher's forms see them (the figures of the old report's grouping).
SPACED_THRESHOLD = 85.0
CJK_THRESHOLD = 80.0
# token_set_ratio scores 100 whenever one token set contains the other ("hotel" vs "hotel near
# the station"); a low token_sort_ratio floor keeps such short fragments out of longer groups.
SPACED_FLOOR = 60.0

# Two questions are one need at an overlap of one half: {incentive} and {investment, incentive}
# link, {mukden-palace, where} and {mukden-palace, price} do not on their concepts alone.
LINK = 0.5
# Sharing the offered entries counts, but less: on the matcher's seeded evaluation the first
# offer of an unanswered question was wrong about half the time.
CANDIDATE_WEIGHT = 0.25
# An entry counts as offered from the matcher's suggestion floor (bot.matching.SUGGEST_SCORE).
OFFER_SCORE = 34.0

Lexicon = Mapping[str, Mapping[str, Sequence[str]]]  # concept -> language -> terms


def _lexicon(table: dict[str, dict[str, tuple[str, ...]]]) -> Lexicon:
    return MappingProxyType({k: MappingProxyType(v) for k, v in table.items()})


# Kept small on purpose: the needs this bot's users ask about most. Question words ("where",
# "how much", "what time") are GENERIC_CONCEPTS.
DEFAULT_LEXICON: Lexicon = _lexicon(
    {
        "incentive": {
            "en": ("incentive", "subsidy", "subsidies", "preferential", "tax break"),
            "zh": ("优惠", "补贴", "扶持", "奖励"),
            "ja": ("優遇", "補助", "助成", "奨励"),
        },
        "investment": {
            "en": ("invest", "investment", "investor", "investing", "fdi", "foreign company"),
            "zh": ("投资", "外资", "外商", "外企"),
            "ja": ("投資", "外資", "外国企業"),
        },
        "population": {
            "en": ("population", "inhabitants", "how many people"),
            "zh": ("人口",),
            "ja": ("人口",),
        },
        "gdp": {
            "en": ("gdp", "gross domestic product", "economic output"),
            "zh": ("gdp", "生产总值", "经济总量"),
            "ja": ("gdp", "総生産", "経済規模"),
        },
        "metro": {
            "en": ("metro", "subway", "underground", "last train", "first train"),
            "zh": ("地铁", "末班车", "首班车"),
            "ja": ("地下鉄", "終電", "始発", "メトロ"),
        },
        "food": {
            "en": ("hotpot", "hot pot", "restaurant", "food", "eat", "dish"),
            "zh": ("火锅", "餐厅", "美食", "好吃", "小吃", "菜"),
            "ja": ("火鍋", "レストラン", "グルメ", "料理", "食べ"),
        },
        "visa": {"en": ("visa",), "zh": ("签证",), "ja": ("ビザ", "査証")},
        "airport": {"en": ("airport",), "zh": ("机场",), "ja": ("空港",)},
        "taxi": {
            "en": ("taxi", "cab", "didi"),
            "zh": ("出租车", "打车", "滴滴"),
            "ja": ("タクシー",),
        },
        "payment": {
            "en": ("pay", "payment", "credit card", "alipay", "wechat pay", "cash"),
            "zh": ("支付", "付款", "信用卡", "支付宝", "现金"),
            "ja": ("支払", "決済", "クレジットカード", "現金"),
        },
        "mukden-palace": {
            "en": ("mukden palace", "imperial palace"),
            "zh": ("沈阳故宫", "故宫"),
            "ja": ("瀋陽故宮", "故宮"),
        },
        "where": {
            "en": ("where", "location", "address", "how to get", "get to"),
            "zh": ("在哪", "哪里", "地址", "怎么去", "怎么走"),
            "ja": ("どこ", "場所", "住所", "行き方"),
        },
        "price": {
            "en": ("ticket", "price", "cost", "fee", "how much", "admission"),
            "zh": ("门票", "价格", "多少钱", "费用"),
            "ja": ("入場料", "チケット", "料金", "いくら", "値段"),
        },
        "hours": {
            "en": ("hours", "what time", "opening", "closing", "last train"),
            "zh": ("几点", "营业时间", "开放时间", "停运"),
            "ja": ("何時", "営業時間", "開館", "閉館", "終電"),
        },
    }
)
GENERIC_CONCEPTS = frozenset({"where", "price", "hours"})

# Words that say nothing about the need (English only: CJK is compared by character pairs).
_STOPWORD_TEXT = (
    "a an the is are was be do does did i you we it there this that of in on at to for from "
    "and or with by about can could would should will what which who how when where any some "
    "me my your our please need want tell know get"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_CJK_RUN = re.compile(f"[{char_class(CJK_RANGES)}]+")


def _stem(word: str) -> str:
    # investors -> investor, incentives -> incentive; "gdp", "bus", "class" stay.
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _latin_stems(form: str) -> list[str]:
    return [_stem(w) for w in _CJK_RUN.sub(" ", form).split()]


@dataclass(frozen=True)
class ConceptFinder:
    """A lexicon in comparison form: finds which concepts a text mentions."""

    cjk_terms: tuple[tuple[str, str], ...]  # (concept, term), matched as substrings
    spaced_terms: tuple[tuple[str, str], ...]  # (concept, " stem stem "), matched as words
    generic: frozenset[str]

    @classmethod
    def of(cls, lexicon: Lexicon, generic: frozenset[str] = GENERIC_CONCEPTS) -> ConceptFinder:
        """Normalize every term once (so 瀋陽故宮 and 沈阳故宫 are one term)."""
        cjk: list[tuple[str, str]] = []
        spaced: list[tuple[str, str]] = []
        for concept, by_language in lexicon.items():
            for terms in by_language.values():
                for term in terms:
                    form = normalize(term)
                    if not form:
                        continue
                    if has_cjk(form):
                        cjk.append((concept, form.replace(" ", "")))
                    else:
                        spaced.append((concept, f" {' '.join(_latin_stems(form))} "))
        return cls(tuple(cjk), tuple(spaced), generic)

    def concepts(self, form: str) -> frozenset[str]:
        """The concepts a text in comparison form mentions."""
        packed = form.replace(" ", "")
        words = f" {' '.join(_latin_stems(form))} "
        found = {c for c, term in self.cjk_terms if term in packed}
        found.update(c for c, term in self.spaced_terms if term in words)
        return frozenset(found)

    def topics(self, concepts: frozenset[str]) -> frozenset[str]:
        """The concepts that name a subject, not a kind of question."""
        return concepts - self.generic


@dataclass(frozen=True)
class Features:
    """What one distinct question form is compared by."""

    form: str
    words: frozenset[str]
    concepts: frozenset[str]
    topics: frozenset[str]
    offered: frozenset[str]


def word_features(form: str) -> frozenset[str]:
    """Word stems of spaced text (stopwords left out) and character pairs of CJK runs."""
    words = {w for w in _latin_stems(form) if w not in _STOPWORDS}
    for run in _CJK_RUN.findall(form):
        words.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return frozenset(words)


def features(form: str, records: Sequence[QuestionRecord], finder: ConceptFinder) -> Features:
    """The features of a form, with the entries offered to any question written that way."""
    concepts = finder.concepts(form)
    offered = frozenset(c.id for q in records for c in q.candidates if c.score >= OFFER_SCORE)
    return Features(form, word_features(form), concepts, finder.topics(concepts), offered)


def _unspaced_cjk(form: str) -> bool:
    return " " not in form and has_cjk(form)


def near_duplicates(a: str, b: str) -> bool:
    """Whether two texts in comparison form ask the same thing in nearly the same words."""
    if a == b:
        return True
    if not a or not b:
        return False
    if _unspaced_cjk(a) or _unspaced_cjk(b):
        return bool(fuzz.ratio(a, b, score_cutoff=CJK_THRESHOLD))
    return bool(
        fuzz.token_set_ratio(a, b, score_cutoff=SPACED_THRESHOLD)
        and fuzz.token_sort_ratio(a, b, score_cutoff=SPACED_FLOOR)
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared over all; 0 when both are empty."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def closeness(a: Features, b: Features) -> float:
    """How likely two question forms are one need; :data:`LINK` and above links them."""
    concepts = jaccard(a.concepts, b.concepts) if a.topics & b.topics else 0.0
    score = max(concepts, jaccard(a.words, b.words))
    if a.offered and b.offered:
        score += CANDIDATE_WEIGHT * jaccard(a.offered, b.offered)
    if score < LINK and near_duplicates(a.form, b.form):
        return 1.0
    return score


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _pairs(forms: Sequence[Features]) -> list[tuple[int, int]]:
    """The pairs of forms that share a word or a topic: only those can link (shared offers add
    at most CANDIDATE_WEIGHT, short of LINK, and near duplicates share words). Comparing every
    pair took 17 s for 1,500 forms; most pairs share nothing."""
    postings: dict[str, list[int]] = {}
    for i, f in enumerate(forms):
        for key in {f"w:{w}" for w in f.words} | {f"c:{c}" for c in f.topics}:
            postings.setdefault(key, []).append(i)
    pairs = {(a, b) for ids in postings.values() for n, a in enumerate(ids) for b in ids[n + 1 :]}
    return sorted(pairs)


def cluster_questions(
    records: Sequence[QuestionRecord], lexicon: Lexicon = DEFAULT_LEXICON
) -> tuple[tuple[QuestionRecord, ...], ...]:
    """Questions grouped by need; each group in order of asking, groups by their first question."""
    finder = ConceptFinder.of(lexicon)
    by_form: dict[str, list[QuestionRecord]] = {}
    for q in sorted(records, key=lambda r: r.id):
        by_form.setdefault(normalize(q.text), []).append(q)
    forms = [features(form, group, finder) for form, group in by_form.items()]
    parent = list(range(len(forms)))
    for i, j in _pairs(forms):
        if _root(parent, i) != _root(parent, j) and closeness(forms[i], forms[j]) >= LINK:
            parent[_root(parent, j)] = _root(parent, i)
    groups: dict[int, list[QuestionRecord]] = {}
    for i, f in enumerate(forms):
        groups.setdefault(_root(parent, i), []).extend(by_form[f.form])
    return tuple(
        tuple(sorted(g, key=lambda r: r.id))
        for g in sorted(groups.values(), key=lambda g: min(r.id for r in g))
    )
