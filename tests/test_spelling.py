"""Mistyped Latin words put right before matching, and only those."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.matching import Matcher, Outcome
from bot.spelling import Speller

WORDS = ["where is the mukden palace", "weather in february", "marshal zhang mansion", "test"]


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.of(WORDS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("wher is the mukdn palace", "wher is the mukden palace"),  # "wher": four letters, kept
        ("the wether in febuary", "the weather in february"),  # one and two edits (8 letters)
        ("marshal zhang mansoin", "marshal zhang mansion"),  # two letters swapped: one edit
        ("mukden palce", "mukden palace"),
    ],
)
def test_a_word_one_slip_from_a_known_one_is_put_right(
    speller: Speller, typed: str, meant: str
) -> None:
    assert speller.corrected(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "tesla stock",  # "tesla" is two edits from "test", too many for five letters
        "nukden palace",  # the first letter is never the typo
        "marshal zhang mansions tests",  # another form of a word is no typo
        "沈阳故宫 门票",  # CJK is left to the matcher's own closeness
    ],
)
def test_other_words_are_left_as_typed(speller: Speller, text: str) -> None:
    assert speller.corrected(text) == text


def test_a_word_two_known_words_are_equally_near_is_left_alone() -> None:
    speller = Speller.of(["parks", "parts"])
    assert speller.corrected("parys") == "parys"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("whats the wether like in shenyang in febuary", "best-season"),
        ("marshal zhangs mansoin opening hours", "zhang-mansion"),
        ("how to get from taoxian airprot to downtown", "taoxian-airport"),
    ],
)
def test_a_typo_no_longer_costs_the_answer(
    shipped_kb: KnowledgeBase, question: str, expected: str
) -> None:
    found = Matcher.build(shipped_kb).match(question)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, expected)


def test_the_lexicons_words_are_known(shipped_kb: KnowledgeBase) -> None:
    # "specialties" is a lexicon term (local food), no entry's word: it must not be "put right".
    assert "specialties" in shipped_kb.lexicon.words


def test_another_form_of_a_known_word_is_no_typo() -> None:
    # "trams" is one edit from "teams" but is the plural of "tram": "are there trams in
    # shenyang" had become "teams" and been answered with sports.
    speller = Speller.of(["modern tram", "sports teams"])
    assert speller.corrected("are there trams") == "are there trams"
    assert speller.corrected("are there tems") == "are there tems"  # too short to correct
    assert speller.corrected("sport teams trams") == "sport teams trams"


def test_trams_are_the_tram(shipped_kb: KnowledgeBase) -> None:
    found = Matcher.build(shipped_kb).match("are there trams in shenyang")
    assert found.answer_id == "modern-tram"
