"""Clustering questions by need across languages and wordings."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.report_clusters import (
    DEFAULT_LEXICON,
    ConceptFinder,
    Lexicon,
    cluster_questions,
    near_duplicates,
    word_features,
)
from bot.store import Candidate, QuestionRecord
from bot.text import normalize

AT = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


def records(*texts: str, offered: tuple[Candidate, ...] = ()) -> list[QuestionRecord]:
    return [
        QuestionRecord(i, AT, "en", text, "unknown", None, offered, None, f"user{i}")
        for i, text in enumerate(texts, 1)
    ]


def groups(questions: list[QuestionRecord], lexicon: Lexicon = DEFAULT_LEXICON) -> list[list[str]]:
    return [[q.text for q in g] for g in cluster_questions(questions, lexicon)]


def test_the_same_need_in_three_languages_is_one_cluster() -> None:
    # the example: two Japanese wordings, one English, one Chinese, nothing offered
    texts = (
        "優遇策は？税金とか",
        "外資向けの優遇政策ありますか",
        "tax incentives for foreign investors?",
        "外资优惠政策",
    )
    assert groups(records(*texts)) == [list(texts)]


def test_a_place_asked_about_in_three_scripts() -> None:
    texts = ("Where is the Mukden Palace?", "瀋陽故宮はどこ", "沈阳故宫在哪里")
    assert groups(records(*texts)) == [list(texts)]


def test_different_needs_stay_apart() -> None:
    texts = (
        "where is the toilet",  # question words alone join nothing
        "where can I buy a SIM card",
        "tax refund for tourists",
        "tax incentives for foreign investors",
        "沈阳故宫在哪里",
        "沈阳故宫门票多少钱",  # same place, another need
    )
    assert groups(records(*texts)) == [[t] for t in texts]


def test_shared_offers_add_to_a_partial_overlap() -> None:
    texts = ("沈阳故宫在哪里", "沈阳故宫门票多少钱")
    offered = (Candidate("mukden-palace", 70.0),)
    assert groups(records(*texts, offered=offered)) == [list(texts)]
    # offers below the suggestion floor do not count
    weak = (Candidate("mukden-palace", 20.0),)
    assert groups(records(*texts, offered=weak)) == [[t] for t in texts]


def test_a_curator_lexicon_can_be_passed_in() -> None:
    texts = ("沈阳冬天冷吗", "how cold are the winters")
    assert groups(records(*texts)) == [[t] for t in texts]
    climate = {"climate": {"zh": ["冷", "气候"], "ja": ["寒い", "気候"], "en": ["cold", "climate"]}}
    assert groups(records(*texts), lexicon=climate) == [list(texts)]


def test_concepts_are_found_in_any_form() -> None:
    finder = ConceptFinder.of(DEFAULT_LEXICON)
    assert finder.concepts(normalize("瀋陽故宮の入場料は？")) == {"mukden-palace", "price"}
    assert finder.concepts(normalize("Foreign INVESTORS' incentives")) == {
        "investment",
        "incentive",
    }
    assert finder.concepts(normalize("taxi to the station")) == {"taxi"}
    assert finder.concepts(normalize("taxes")) == frozenset()  # "tax" is no concept here


def test_word_features() -> None:
    assert word_features(normalize("Where are the Subways?")) == {"subway"}
    assert word_features(normalize("地铁几点")) == {"地铁", "铁几", "几点"}
    assert word_features(normalize("中")) == {"中"}


def test_near_duplicate_rules() -> None:
    def same(a: str, b: str) -> bool:
        return near_duplicates(normalize(a), normalize(b))

    assert same("Where is the Mukden Palace?", "Where's the Mukden palace??")
    assert same("瀋陽故宮はどこ", "瀋陽故宮はどこですか")  # CJK: plain ratio 82
    assert not same("Where is the Mukden Palace?", "Where is the Zhongshan Square?")
    assert not same("hotel", "hotel near the north station")  # token subset, too short
