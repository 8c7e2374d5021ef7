"""Which entry a message names beside the aspect it asks."""

from __future__ import annotations

import pytest

from bot.brain import Brain
from bot.knowledge import KnowledgeBase
from bot.lexicon import Concept
from bot.naming import (
    asked_of_topic,
    content_of,
    named_entry,
    named_in_question,
    names_service,
    said_in_topic,
    still_on_topic,
    subject_left_out,
    sure_other,
    topic_says,
)
from bot.text import normalize


@pytest.fixture(scope="module")
def brain(shipped_kb: KnowledgeBase) -> Brain:
    return Brain.of(shipped_kb)


def _aspect(brain: Brain, aspect_id: str) -> Concept:
    return next(a for a in brain.knowledge.lexicon.aspects if a.id == aspect_id)


def test_what_is_left_beside_an_aspect_without_grammar_and_particles() -> None:
    assert content_of("そこへの は") == ""
    assert content_of(normalize("棋盘山 ")) == "棋盘山"
    assert content_of("is it on mondays") == "mondays"


def test_the_one_keyword_beside_an_aspect_names_the_entry(brain: Brain) -> None:
    hours = _aspect(brain, "hours")
    found = named_entry(brain, normalize("故宫 吗"), hours, None)
    assert found is not None and found.id == "mukden-palace"
    # The topic itself is not "another" entry named.
    assert named_entry(brain, normalize("故宫 吗"), hours, found) is None


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("我们一家周一上午的高铁到沈阳，下午想直接去沈阳古宫，周一开门不？", "mukden-palace"),
        ("你好 我下周带爸妈去沈阳玩 想去北陵公园转转 周一开门不", "zhaoling-tomb"),
    ],
)
def test_the_place_named_before_the_part_that_asks(brain: Brain, text: str, entry_id: str) -> None:
    found = named_in_question(brain, text, _aspect(brain, "hours"), None)
    assert found is not None and (found[0].id, found[1].id) == (entry_id, "hours")


def test_a_word_of_the_topics_own_questions_names_no_other_entry(brain: Brain) -> None:
    # "stay" is a keyword of the hotels, and a word of the visa rules' questions too.
    visa = brain.knowledge.get("visa-free-entry")
    duration = _aspect(brain, "duration")
    assert topic_says(brain, visa, "can i stay")
    assert named_entry(brain, "can i stay", duration, visa) is None
    assert named_entry(brain, "can i stay", duration, None) is not None
    # Another form of a word the topic's questions use ("steps to register a foreign company").
    support = brain.knowledge.get("investment-support")
    assert topic_says(brain, support, "does registration take")
    assert not topic_says(brain, support, "does the hotel take")


def test_a_place_named_is_asked_of_though_the_topics_questions_name_it(brain: Brain) -> None:
    eastern_tomb = brain.knowledge.get("fuling-tomb")
    assert not topic_says(brain, eastern_tomb, normalize("棋盤山も"))
    assert not topic_says(brain, None, "can i stay")


def test_a_landmark_before_the_part_that_asks_names_nothing(brain: Brain) -> None:
    text = "我们住在中街附近，周一开门不？"
    assert named_in_question(brain, text, _aspect(brain, "hours"), None) is None


def test_a_name_typed_with_other_characters_of_its_sound_beside_an_aspect(brain: Brain) -> None:
    # 大帅付 for 大帅府 (Zhang's Mansion), asked after the palace.
    palace = brain.knowledge.get("mukden-palace")
    found = named_entry(brain, normalize("大帅付"), _aspect(brain, "location"), palace)
    assert found is not None and found.id == "zhang-mansion"


def test_another_entrys_phrasing_without_its_name_is_the_topics(brain: Brain) -> None:
    zhongjie, taiyuan = brain.knowledge.get("zhongjie-street"), "taiyuan-street"
    found = brain.matcher.match("晚上热闹不", limit=3)
    assert found.answer_id == taiyuan  # "太原街晚上热闹吗" without its name
    assert subject_left_out(brain, zhongjie, "晚上热闹不", found) == "zhongjie-street"
    named = brain.matcher.match("太原街晚上热闹吗", limit=3)
    assert subject_left_out(brain, zhongjie, "太原街晚上热闹吗", named) is None
    assert subject_left_out(brain, None, "晚上热闹不", found) is None


def test_a_service_the_topic_never_mentions_is_named_by_its_keyword(brain: Brain) -> None:
    season = brain.knowledge.get("best-season")
    assert names_service(brain, normalize("在那邊可以用LINE跟Google嗎"), season)
    # A place named is no service; a word the topic's answers use is the topic's own.
    palace = brain.knowledge.get("mukden-palace")
    assert not names_service(brain, normalize("那里离张氏帅府远吗"), palace)
    street = brain.knowledge.get("taiyuan-street")
    assert not names_service(brain, normalize("whats the history of the street"), street)


def test_the_part_before_the_question_is_sure_of_an_entry_more_than_its_keyword(
    brain: Brain,
) -> None:
    text = "I'm writing about the Hello Shenyang event in Tokyo. When was it and who attended?"
    found = named_in_question(brain, text, _aspect(brain, "dates"), None)
    # "hello shenyang" is the series' keyword; the sentence is the Tokyo stop's.
    assert found is not None and found[0].id == "hello-shenyang-tokyo-2023"


def test_the_topic_a_close_second_wins_where_the_message_names_nothing(brain: Brain) -> None:
    city = brain.knowledge.get("about-shenyang")
    found = brain.matcher.match("人口多少", limit=3)
    # Shenbei's "沈北新区人口多少" leads the city's "沈阳有多少人口" by a few points.
    assert [m.id for m in found.matches[:2]] == ["zone-shenbei", "about-shenyang"]
    assert still_on_topic(brain, city, "人口多少", found) == "about-shenyang"
    assert still_on_topic(brain, None, "人口多少", found) is None
    palace = brain.knowledge.get("mukden-palace")
    assert still_on_topic(brain, palace, "人口多少", found) is None  # the topic not among them


def test_words_naming_an_entry_are_its_though_another_phrasing_scores_higher(
    brain: Brain,
) -> None:
    zhongjie = brain.knowledge.get("zhongjie-street")
    airport = brain.knowledge.get("taoxian-airport")
    assert sure_other(brain, "中街晚上", zhongjie) is None  # not Taiyuan's "太原街晚上热闹吗"
    bonded = sure_other(brain, "the taoxian park", airport)  # its phrasing says "taoxian" too
    assert bonded is not None and bonded.id == "zone-comprehensive-bonded"
    hours = _aspect(brain, "hours")
    assert named_entry(brain, normalize("中街晚上"), hours, zhongjie) is None  # asked of the topic


def test_what_about_x_is_asked_of_the_topic_only_if_its_answer_holds_x(brain: Brain) -> None:
    season = brain.knowledge.get("best-season")
    forecast = brain.knowledge.get("weather-forecast")
    assert season is not None and forecast is not None
    assert asked_of_topic(brain, season, "夏天", "zh") == season  # "那夏天呢"
    # The forecast says nothing of skiing: no "nothing on that" about the forecast.
    assert asked_of_topic(brain, forecast, "skiing for kids, where can we go", "en") is None


def test_a_line_of_the_topic_answers_what_nothing_else_does(brain: Brain) -> None:
    food = brain.knowledge.get("local-food")
    assert food is not None
    # "宝发园有啥招牌菜" after local food had been "I don't know": its answer names Baofayuan.
    found = brain.matcher.match("宝发园有啥招牌菜", limit=3)
    assert found.answer_id is None and said_in_topic(food, "宝发园有啥招牌菜", found) == food.id
    # Where the matcher offers entries of its own, it stays "Did you mean…".
    offered = brain.matcher.match("沈阳和东京时差多少", limit=3)
    assert said_in_topic(food, "沈阳和东京时差多少", offered) is None
