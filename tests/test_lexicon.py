"""The lexicon: aspects, live topics and concepts found in questions; the matcher using it."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.matching import Matcher, Outcome
from bot.text import normalize


@pytest.mark.parametrize(
    ("text", "aspect", "rest"),
    [
        ("how do I get there?", "access", ""),
        ("怎么去", "access", ""),
        ("そこへの行き方は？", "access", "そこへの は"),
        ("門票多少錢", "price", ""),
        ("入場料は？", "price", "は"),
        ("opening hours?", "hours", ""),
        ("要预约吗", "booking", ""),
        ("沈阳故宫门票多少钱", "price", "沈阳故宫"),
        ("is it open on mondays?", "hours", "is it"),
        ("小河沿早市早上几点开", "hours", "小河沿早市早上"),
        ("马拉松一般几月份跑", "dates", "马拉松一般 跑"),
        ("is the museum free to get in?", "price", "is the museum"),
        ("dates?", "dates", ""),
        ("tell me about the palace", None, "tell me about the palace"),
        # "見どころ" (highlights) holds "どこ" (where) and asks no address.
        ("瀋陽故宮の見どころを教えてください", None, "沈阳故宫の を教えてください"),
        ("瀋陽故宮はどこですか", "location", "沈阳故宫は ですか"),
        # Where to buy a ticket books it; the ticket alone asks its price.
        ("大帅府门票在哪买", "booking", "大帅府"),
        ("去爬山要提前约不", "booking", "去爬山要 不"),
        ("要花钱不", "price", "不"),
    ],
)
def test_aspects_are_found_with_what_is_left(
    shipped_kb: KnowledgeBase, text: str, aspect: str | None, rest: str
) -> None:
    found, left = shipped_kb.lexicon.aspect_in(normalize(text))
    assert (found.id if found else None) == aspect
    assert left == rest


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("weather in shenyang next week", "weather-soon"),
        ("明日の瀋陽の天気は？", "weather-soon"),
        ("沈阳明天天气怎么样", "weather-soon"),
        ("shenyang weather forecast", "forecast"),
        ("今日の為替レートは", "exchange-rate"),
        ("沈阳到大连的高铁时刻表", "timetable"),
        ("what is the weather like in shenyang in winter", None),  # the climate, not a forecast
        ("沈阳冬天冷吗", None),
        ("后天沈阳下不下雪啊，航班会不会延误", "weather-soon"),
        ("明天沈阳冷不冷", "weather-soon"),
        ("is it cold in shenyang right now?", "weather-soon"),
        ("how cold is shenyang in january", None),  # the climate
        ("what will the weather be like on saturday, this saturday I mean", "weather-soon"),
        ("这周六沈阳下雨吗", "weather-soon"),
        ("is the palace open on saturday", None),  # a day, no weather
        ("明早沈阳北到大连的高铁还有票没", "timetable"),  # train tickets before tickets
        ("刘老根今晚还有票没", "tickets-left"),
        ("故宫现在人多不多", "crowds-now"),
        ("今夜の公演のチケットはまだありますか", "tickets-left"),
        ("故宫人多不多", None),  # not now: how busy it usually is
        ("is the palace crowded right now?", "crowds-now"),
        ("whats their share price today", "share-price"),
        ("新松股价多少", "share-price"),
        ("西塔那家金达莱今晚还有位没", "tickets-left"),
        ("今日のフライト遅れてる？", "flight-status"),
        # "いま" was a "when" word and is in every "…ています": a snow festival was a forecast.
        ("年末年始に瀋陽へ行きます。冬のイベントや雪まつりみたいなものはやっていますか", None),
    ],
)
def test_live_topics(shipped_kb: KnowledgeBase, text: str, topic: str | None) -> None:
    found = shipped_kb.lexicon.live_topic(normalize(text))
    assert (found.id if found else None) == topic


def test_every_live_topic_offers_a_stable_entry_or_none(shipped_kb: KnowledgeBase) -> None:
    for topic in shipped_kb.lexicon.live:
        assert topic.entry is None or shipped_kb.get(topic.entry) is not None
    without = {t.id for t in shipped_kb.lexicon.live if t.entry is None}
    # the place asked about is offered
    assert without == {"tickets-left", "crowds-now", "share-price", "flight-status"}


def test_a_concept_brings_its_terms_only_where_the_words_as_asked_find_nothing(
    shipped_kb: KnowledgeBase,
) -> None:
    matcher = Matcher.build(shipped_kb)
    specialties = matcher.match("What are the specialties in Shenyang?")
    assert specialties.matches[0].id == "local-food"
    park = matcher.match("北陵公园好玩吗")  # 好玩 is a concept, but the park is named
    assert park.outcome is Outcome.ANSWER and park.answer_id == "zhaoling-tomb"


def test_a_widened_match_is_judged_on_the_concept_in_the_entrys_words(
    shipped_kb: KnowledgeBase,
) -> None:
    # "specialties" is the "local food" the entry speaks of: answered, not "Did you mean…".
    matcher = Matcher.build(shipped_kb)
    assert matcher.match("What are the specialties in Shenyang?").answer_id == "local-food"
    lexicon = shipped_kb.lexicon
    asked = normalize("what are the specialties in shenyang")
    assert lexicon.in_words_of(asked, "where to eat local food") == (
        "what are the local food in shenyang"
    )
    # A term the entry itself holds is kept; without any term of the concept, nothing changes.
    assert lexicon.in_words_of(asked, "local food specialties") == asked
    assert lexicon.in_words_of(asked, "opening hours") == asked


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("我怕冷，想问问沈阳几月份去比较合适？", "best-season"),  # 怕冷, 几月份去: the lexicon's
        ("寒いのが苦手です。瀋陽は何月ごろが過ごしやすいですか", "best-season"),
        ("is shenyang twinned with any city in japan", "sister-cities-japan"),
    ],
)
def test_paraphrases_in_words_no_entry_uses(
    shipped_kb: KnowledgeBase, text: str, entry: str
) -> None:
    assert Matcher.build(shipped_kb).match(text).answer_id == entry


def test_local_food_in_words_no_entry_uses(shipped_kb: KnowledgeBase) -> None:
    found = Matcher.build(shipped_kb).match("安くて美味しいローカルフードある？")
    assert found.matches[0].id == "local-food"


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("明天", True),
        ("tomorrow", True),
        ("周末开门", True),
        ("明天的天气", False),
        ("北陵", False),
    ],
)
def test_a_time_alone_is_told_from_a_new_subject(
    shipped_kb: KnowledgeBase, text: str, only: bool
) -> None:
    assert shipped_kb.lexicon.only_time(normalize(text)) is only


def test_every_aspect_a_text_asks_is_found_in_order(shipped_kb: KnowledgeBase) -> None:
    found = shipped_kb.lexicon.aspects_in(normalize("故宮の開館時間と行き方、あと料金"))
    assert [a.id for a in found] == ["hours", "access", "price"]


def test_closing_time_in_cantonese_asks_the_hours(shipped_kb: KnowledgeBase) -> None:
    # A Hong Kong student's "幾點閂門" (when does it close), in traditional characters.
    found = shipped_kb.lexicon.aspects_in(normalize("幾點閂門"))
    assert [a.id for a in found] == ["hours"]


@pytest.mark.parametrize(
    ("text", "aspect"),
    [("free entrance?", "price"), ("where exactly", "location"), ("where are they", "location")],
)
def test_short_english_follow_ups_ask_their_aspect(
    shipped_kb: KnowledgeBase, text: str, aspect: str
) -> None:
    # "free entrance?" after Korea Week had offered the visa-free entry rules.
    found = shipped_kb.lexicon.aspects_in(normalize(text))
    assert [a.id for a in found] == [aspect]


def test_an_aspect_asked_alone_only_as_the_whole_message(shipped_kb: KnowledgeBase) -> None:
    lexicon = shipped_kb.lexicon
    assert [a.id for a in lexicon.aspects_in(normalize("where?"))] == ["location"]
    assert [a.id for a in lexicon.aspects_in(normalize("哪儿？"))] == ["location"]
    # Inside a sentence "where" asks nothing of the topic: "where do they actually go" (trams).
    assert lexicon.aspects_in(normalize("where do they actually go")) == []
