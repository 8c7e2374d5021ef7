"""Finding listed terms in text: whole Latin words, longest CJK names first, all Han forms."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.terms import TermFinder
from bot.text import normalize


def named(kb: KnowledgeBase, text: str) -> set[str]:
    places = kb.lexicon.places
    return {places[number][0] for number in kb.lexicon.place_finder.found_in(text)}


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Shanghai metro card", {"Shanghai"}),
        ("ＨＡＲＢＩＮ ice festival", {"Harbin"}),  # full-width and upper case
        ("ハルビン氷祭り", {"Harbin"}),
        ("大連と長春", {"Dalian", "Changchun"}),
        ("Beijing–Shenyang high-speed railway", {"Beijing"}),
        ("東京都の人口", {"Tokyo"}),  # not Kyoto, though 京都 is inside 東京都
        ("京都の紅葉", {"Kyoto"}),
        ("抚顺有什么好玩的", {"Fushun"}),  # Liaoning's neighbours are in the curators' list
        ("丹東への行き方", {"Dandong"}),
        ("omnibusan", set()),  # Latin names are whole words
        ("沈阳故宫门票", set()),
        ("", set()),
    ],
)
def test_the_shipped_places_are_found(
    shipped_kb: KnowledgeBase, text: str, places: set[str]
) -> None:
    assert named(shipped_kb, text) == places


def test_traditional_forms_are_found_after_normalization(shipped_kb: KnowledgeBase) -> None:
    assert named(shipped_kb, normalize("哈爾濱冰雪節")) == {"Harbin"}


def test_spans_give_the_order_found_and_the_text_without_them() -> None:
    finder = TermFinder([["how do i get there", "get there"], ["门票", "多少钱"]])
    assert finder.spans("ok how do i get there") == ([0], "ok")
    assert finder.spans("故宫门票多少钱") == ([1], "故宫")
    assert not TermFinder([])


def test_names_in_gives_the_names_as_found_in_order() -> None:
    finder = TermFinder([["打车", "taxi"], ["多少钱", "how much"]])
    assert finder.names_in("打车过去多少钱") == ["打车", "多少钱"]
    assert finder.names_in("how much is a taxi") == ["how much", "taxi"]
    assert finder.names_in("故宫在哪") == []


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # Where the writer comes from says who asks, not what about.
        ("We're flying in from Singapore next week. Is the palace open?", set()),
        ("I live in Tokyo; what should I see in Shenyang?", set()),
        ("はじめまして。福岡在住です。瀋陽へはどう行けますか", set()),
        ("大阪から瀋陽への行き方", set()),
        ("我們是從台北過去的自由行", set()),
        ("我廣州的，十二月去要穿多厚", set()),
        ("北京到沈阳高铁多久", set()),
        ("is there an ice festival like the Harbin one?", set()),  # compared with, not asked
        ("有没有像哈尔滨那样的冰雪节", set()),
        ("札幌みたいな雪まつりはありますか", set()),
        # Nor is the other end of a time difference.
        ("What's the time difference between Shenyang and London?", set()),
        ("time difference between London and Shenyang", set()),
        ("東京との時差は？", set()),
        ("东京和沈阳的时差是多少", set()),
        # A place asked about still counts, origin or not elsewhere in the text.
        ("Shanghai metro card", {"Shanghai"}),
        ("我下个月去哈尔滨，门票在哪里买", {"Harbin"}),
        ("沈阳到大连的高铁", {"Dalian"}),
        ("瀋陽から大連へのアクセス", {"Dalian"}),
        ("from Beijing to Harbin by train", {"Harbin"}),
    ],
)
def test_an_origin_is_not_a_place_asked_about(
    shipped_kb: KnowledgeBase, text: str, asked: set[str]
) -> None:
    places = shipped_kb.lexicon.places
    finder = shipped_kb.lexicon.place_finder
    assert {places[n][0] for n in finder.asked_about(normalize(text))} == asked


def test_replaced_puts_each_name_found_in_other_words() -> None:
    finder = TermFinder([["specialties", "local food"], ["冷"]])
    assert finder.replaced("Any SPECIALTIES? so 冷", lambda group, name: f"<{group}:{name}>") == (
        "any <0:specialties>? so <1:冷>"
    )
    assert finder.replaced("nothing here", lambda group, name: "x") == "nothing here"


def test_a_latin_name_beside_japanese_is_a_word_of_its_own() -> None:
    finder = TermFinder([["vpn"], ["sim card", "sim"]])
    assert finder.found_in("vpnは必要ですか") == {0}
    assert finder.found_in("空港でsimカードを買える") == {1}
    assert finder.found_in("vpns and simple things") == set()  # still whole words
