"""English function words, words that point back at the topic, and polite request words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.grammar import (
    ENGLISH_FUNCTION_WORDS,
    pointing_at,
    points_as_subject,
    spelled_out,
    without_connector,
    without_landmarks,
    without_origin,
    without_requests,
    without_season,
    without_speakers,
    written_chinese,
    written_chinese_all,
)
from bot.text import normalize


def test_function_words_are_grammar_not_topics() -> None:
    assert {"is", "it", "the", "on", "do"} <= ENGLISH_FUNCTION_WORDS
    assert not {"palace", "metro", "open", "ticket", "get", "see", "go"} & ENGLISH_FUNCTION_WORDS
    assert "take" in ENGLISH_FUNCTION_WORDS  # once in one phrasing: it said money-exchange


@pytest.mark.parametrize(
    ("text", "pointing"),
    [
        ("how do I get there by metro?", True),
        ("is it open on Mondays", True),
        ("那里怎么走", True),
        ("そこへの行き方は？", True),
        ("where can I change money", False),
        ("北陵公园怎么去", False),
        ("bitter melon", False),  # "it" only as a whole word
        ("where exactly is that street", True),  # a kind of place after "that"
        ("how do I get to this museum?", True),
        ("那条街在哪", True),
        ("その博物館は何時まで？", True),
        ("that is all, thanks", False),  # "that" alone is no place
        ("where exactly is that street with halal food", False),  # says which street itself
        ("is there a street food market", False),
    ],
)
def test_words_that_point_back(text: str, pointing: bool) -> None:
    assert (pointing_at(normalize(text)) is not None) is pointing


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("西塔への行き方を教えてください", "西塔への行き方を"),
        ("请问沈阳故宫在哪里", "沈阳故宫在哪里"),
        ("Can you tell me where the palace is", "where the palace is"),
        (
            "瀋陽の工業団地についてご教示いただけますと幸いです",
            "瀋陽の工業団地について",
        ),  # business Japanese
        ("ホテルの選び方を教えていただけると助かります", "ホテルの選び方を"),
        ("教えてください", "教えてください"),  # nothing else: kept as it is
        ("tell me a joke", "tell me a joke"),
    ],
)
def test_polite_request_words_are_taken_out(text: str, left: str) -> None:
    assert without_requests(normalize(text)) == normalize(left)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("how do i get there from the palace", "how do i get there"),
        ("from downtown to the tomb", "to the tomb"),
        ("从故宫 怎么走", "怎么走"),
        ("从沈阳北站到故宫怎么走", "到故宫怎么走"),  # where it goes stays
        ("故宫からどうやって行けますか", "どうやって行けますか"),
        ("東陵って市内から遠い？", "東陵って 遠い"),  # the word before から, not the run
        ("中街近くのホテルから歩いて行けますか", "歩いて行けますか"),
        ("where is the palace", "where is the palace"),
        ("沈阳北站咋去机场", "咋去机场"),  # before "how to go" with a place after it
        ("故宫怎么去", "故宫怎么去"),  # nothing after it: the place is where it goes
    ],
)
def test_the_place_a_trip_starts_from_is_taken_out(text: str, left: str) -> None:
    assert without_origin(normalize(text)) == normalize(left)


@pytest.mark.parametrize(
    ("colloquial", "written"),
    [
        ("沈阳有啥好吃的", "沈阳有什么好吃的"),
        ("故宫咋去", "故宫怎么去"),
        ("中街在哪儿", "中街在哪里"),
        # The keyword 沈阳火车站 is found again: it had answered Shenyang North (85.6) instead.
        ("瀋陽的火車站在哪", "沈阳火车站在哪"),
    ],
)
def test_colloquial_chinese_is_read_in_its_written_form(colloquial: str, written: str) -> None:
    assert written_chinese(normalize(colloquial)) == normalize(written)
    assert written_chinese("what is it") == "what is it"


def test_many_texts_without_colloquial_words_are_returned_as_they_are() -> None:
    texts = ["沈阳有什么好吃的", "how much is a ticket"]
    assert written_chinese_all(texts) is texts
    assert written_chinese_all([*texts, "故宫咋去"]) == [*texts, "故宫怎么去"]


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("还有北陵怎么去", "北陵怎么去"),
        ("あと中街への行き方", "中街への行き方"),
        ("and do i need a vpn", "do i need a vpn"),
        ("also", "also"),  # nothing but the connector: kept
        ("还有票", "还有票"),  # too little left: "还有票" asks whether tickets are left
        ("andong", "andong"),  # a Latin connector is a whole word
    ],
)
def test_a_connector_at_the_start_is_dropped(text: str, left: str) -> None:
    assert without_connector(text) == left


@given(st.lists(st.text(alphabet="啥咋哪儿什么 a\n", max_size=8), max_size=6))
def test_many_texts_read_as_each_one_alone(texts: list[str]) -> None:
    assert written_chinese_all(texts) == [written_chinese(text) for text in texts]


def test_a_japanese_question_ending_on_its_topic_loses_the_topic_marker() -> None:
    assert without_requests(normalize("瀋陽でおすすめの観光コースは？")) == normalize(
        "瀋陽でおすすめの観光コース"
    )
    assert without_requests(normalize("これは")) == normalize("これは")  # too short: kept


def test_where_a_text_points_back() -> None:
    assert pointing_at("the tomb of nurhaci where is it") == len("the tomb of nurhaci where is ")
    assert pointing_at("how do i get there") == len("how do i get ")
    assert pointing_at("那里怎么走") == 0
    assert pointing_at("iterate the list") is None  # "it" is a word, not a part of one
    assert pointing_at("where is this place") == len("where is ")
    assert pointing_at("is there a cafe") is None  # "there is", "is there": no place
    assert pointing_at("what is there to eat there") == len("what is there to eat ")


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("staying near Zhongjie. Is the palace far?", "staying the palace far"),  # 2 words
        ("故宫附近有什么好吃的", "有什么好吃的"),
        ("staying right by Zhongjie. can I walk", "staying i walk"),  # 2 words
        ("a hotel right on Zhongjie - can I walk", "a hotel i walk"),
        ("中街のホテルから歩いて行けますか", "のホテルから歩いて行けますか"),  # where one stays
        ("瀋陽のホテルはどこがいい", "のホテルはどこがいい"),  # the hotel stays: it is asked
        ("中街近くのホテル", "のホテル"),
        ("浑河边上有啥公园", "浑河边上有啥公园"),  # along the river: the river is the place
        ("附近有啥好吃的", "附近有啥好吃的"),  # near what was talked about: nothing named
        ("我家住铁西，坐地铁咋过去", "我家住 坐地铁咋过去"),  # where one lives
        ("我们住在中街 想去北陵", "我们住 想去北陵"),
    ],
)
def test_a_place_named_as_a_landmark_is_taken_out(text: str, left: str) -> None:
    assert without_landmarks(normalize(text)) == normalize(left)


def test_chat_shorthand_is_written_out() -> None:
    assert spelled_out("r u open on mondays") == "are you open on mondays"
    assert spelled_out("what can u do") == "what can you do"
    assert spelled_out("us consulate") == "us consulate"  # the word, not shorthand
    assert spelled_out("故宫") == "故宫"


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("piano lessons, english speaking teacher?", "piano lessons, teacher?"),
        ("a dentist who speaks english", "a dentist"),
        ("有会说英语的医生吗", "有 医生吗"),
        ("英語が話せる病院はありますか", "病院はありますか"),
        ("english speaking?", "english speaking?"),  # nothing else asked: kept
        ("do you speak english", "do you speak english"),  # not who speaks it
        ("沈阳说英语的人多吗", "沈阳说英语的人多吗"),  # the speakers are what is asked
        ("is there anyone who speaks english", "is there anyone who speaks english"),
    ],
)
def test_who_speaks_english_is_taken_out_where_other_words_are_left(text: str, left: str) -> None:
    assert without_speakers(normalize(text)) == normalize(left)


def test_the_season_and_the_reference_point_of_a_follow_up_are_taken_out() -> None:
    assert without_season(normalize("冬天几点停止入馆")) == normalize("几点停止入馆")
    assert without_season(normalize("last entry this time of year")) == "last entry"
    assert without_origin(normalize("离机场近不")) == normalize("近不")
    assert without_origin(normalize("离市区远吗")) == normalize("远吗")  # the aspect stays


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("how cold is it in december", True),
        ("what time was it built", True),  # the caller asks the matcher what it is alone
        ("who built it", False),
        ("where to get it", False),
        ("how big is its garden", False),  # "its" is no "it"
    ],
)
def test_an_it_after_is_may_point_at_nothing(text: str, subject: bool) -> None:
    at = pointing_at(text)
    assert at is not None and points_as_subject(text, at) is subject


def test_getting_in_points_at_the_place_but_getting_in_touch_does_not() -> None:
    assert pointing_at(normalize("do i need my passport to get in")) is not None
    assert pointing_at(normalize("how do i get in touch with the investment office")) is None
