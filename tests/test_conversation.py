"""A typed message read in its conversation: memory of the topic (set, used, expired, replaced,
per user in groups), aspects, live data, language requests, replies to "Did you mean…", topic
switches, long messages and odd input."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.harness import observe
from bot.assistant import Assistant, User
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.replies import Reply
from bot.store import Store

from .support.fake_request import NOW

EN = User(1, "en", chat_id=1)
ZH = User(2, "zh", chat_id=2)
GROUP = -100500
ALICE_IN_GROUP = User(11, "en", chat_id=GROUP)
BOB_IN_GROUP = User(12, "en", chat_id=GROUP)


@pytest.fixture
def talk(
    fixture_kb: KnowledgeBase, catalogs: Catalogs, store: Store, clock: list[datetime]
) -> Assistant:
    return Assistant(fixture_kb, catalogs, store, clock=lambda: clock[0])


@pytest.fixture
def shipped(shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store) -> Assistant:
    return Assistant(shipped_kb, catalogs, store)


def test_a_follow_up_is_about_the_topic_of_the_conversation(talk: Assistant) -> None:
    assert talk.ask(EN, "Where is the Mukden Palace?").entry_id == "palace"
    access = talk.ask(EN, "how do I get there?")
    assert (access.entry_id, access.aspect, access.outcome) == ("palace", "access", "answer")
    price = talk.ask(EN, "how much?")
    assert (price.entry_id, price.aspect) == ("palace", "price")


@pytest.mark.parametrize(
    ("first", "follow_up", "language"),
    [
        ("沈阳故宫在哪里", "怎么去", "zh"),
        ("瀋陽故宮はどこですか", "行き方は？", "ja"),
        ("Where is the Mukden Palace?", "how to get there", "en"),
    ],
)
def test_follow_ups_in_each_language(
    talk: Assistant, first: str, follow_up: str, language: str
) -> None:
    talk.ask(EN, first)
    reply = talk.ask(EN, follow_up)
    assert (reply.entry_id, reply.aspect, reply.language) == ("palace", "access", language)


def test_a_missing_aspect_is_said_plainly_with_the_official_link(talk: Assistant) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    reply = talk.ask(EN, "tickets?")
    assert "Mukden: I have nothing yet on ticket prices." in reply.text
    assert ("🔗 Official site", "https://example.org/palace") in [
        (b.label, b.url) for row in reply.buttons for b in row
    ]
    assert any(b.label == "📖 Full answer" for row in reply.buttons for b in row)


def test_the_topic_expires(talk: Assistant, clock: list[datetime]) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    clock[0] = NOW + timedelta(minutes=31)
    reply = talk.ask(EN, "how do I get there?")
    assert (reply.outcome, reply.entry_id) == ("unknown", None)  # never another entry
    assert "Which place or event do you mean?" in reply.text


def test_a_new_topic_replaces_the_old_one(talk: Assistant) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    talk.ask(EN, "How do I get to Beiling Park?")
    assert talk.ask(EN, "how much?").entry_id == "tomb"


def test_a_tapped_entry_becomes_the_topic(talk: Assistant) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    talk.press(EN, "e:tomb:en")
    assert talk.ask(EN, "how do I get there").entry_id == "tomb"


def test_each_user_in_a_group_has_a_conversation_of_their_own(talk: Assistant) -> None:
    talk.ask(ALICE_IN_GROUP, "Where is the Mukden Palace?")
    talk.ask(BOB_IN_GROUP, "How do I get to Beiling Park?")
    assert talk.ask(ALICE_IN_GROUP, "how do I get there").entry_id == "palace"
    assert talk.ask(BOB_IN_GROUP, "how do I get there").entry_id == "tomb"


def test_what_about_x_switches_the_topic_and_keeps_the_aspect(talk: Assistant) -> None:
    talk.ask(EN, "palace tickets")
    reply = talk.ask(EN, "What about Beiling Park?")
    assert (reply.entry_id, reply.aspect) == ("tomb", "price")
    zh = talk.ask(EN, "那故宫呢")
    assert zh.entry_id == "palace" and zh.language == "zh"


def test_live_data_is_said_plainly_with_the_stable_entry(talk: Assistant, store: Store) -> None:
    reply = talk.ask(EN, "what's the weather tomorrow?")
    assert reply.text.startswith("<i>I have no live data")
    assert reply.entry_id == "tomb"  # the fixture's stand-in for a forecast entry
    assert store.questions()[-1].text == "what's the weather tomorrow?"


@pytest.mark.parametrize(
    ("asked", "lang", "said"),
    [
        ("can you book tickets for us?", "en", "I cannot book"),
        ("帮我订个明晚的酒店", "zh", "没法替您预订"),
        ("チケットを取ってもらえますか", "ja", "代行はできません"),
    ],
)
def test_a_request_to_book_is_told_plainly_and_keeps_the_topic(
    talk: Assistant, store: Store, asked: str, lang: str, said: str
) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    reply = talk.ask(EN, asked)
    assert (reply.outcome, reply.language, reply.entry_id) == ("unknown", lang, None)
    assert said in reply.text
    assert store.questions()[-1].outcome == "unknown"  # curators see what users wanted done
    assert talk.ask(EN, "how do I get there?").entry_id == "palace"


def test_a_language_request_in_words_switches_and_confirms(talk: Assistant, store: Store) -> None:
    reply = talk.ask(EN, "日本語でお願いします")
    assert (reply.outcome, reply.language) == ("switch", "ja")
    assert "日本語でお答えします" in reply.text
    assert store.language(EN.id) == "ja"
    assert talk.ask(EN, "Mukden palace").language == "ja"  # a name: the saved choice
    assert talk.ask(EN, "reply in English please").language == "en"
    assert store.language(EN.id) == "en"


def test_a_typed_number_picks_a_suggestion(talk: Assistant, store: Store) -> None:
    offered = talk.ask(EN, "expo tokyo")
    assert offered.outcome == "suggest"
    first = next(b for row in offered.buttons for b in row if b.action and b.action[:2] == "s:")
    picked = talk.ask(EN, "1")
    assert picked.outcome == "answer" and first.action and picked.entry_id in first.action
    assert store.questions()[-1].followed_id == picked.entry_id  # the pick, logged on "expo tokyo"


def test_a_number_with_nothing_on_offer_is_not_matched_as_a_question(
    shipped: Assistant,
) -> None:
    assert shipped.ask(EN, "How do I get to the Mukden Palace?").outcome == "answer"
    reply = shipped.ask(EN, "1")  # the itinerary's phrasings say "1 day"; it is not the question
    assert reply.outcome == "unknown" and reply.entry_id is None
    assert shipped.ask(EN, "is it open on mondays?").entry_id == "mukden-palace"  # topic kept


def test_a_typed_no_gets_an_apology_the_menu_and_a_log_entry(talk: Assistant, store: Store) -> None:
    talk.ask(EN, "expo tokyo")
    reply = talk.ask(EN, "no")
    assert reply.outcome == "unknown" and "Sorry, I did not find it." in reply.text
    logged = store.questions()[-1]
    assert logged.text == "no" and {c.id for c in logged.candidates} >= {"tokyo-event"}
    assert talk.ask(EN, "no").outcome != "answer"  # the offer was used up


def test_the_question_in_a_long_chatty_message_is_found(talk: Assistant) -> None:
    text = (
        "Hello there! My name is Tom and I will travel to Shenyang with my wife next month. "
        "We love old buildings. Where is the Mukden Palace?"
    )
    assert talk.ask(EN, text).entry_id == "palace"


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀😀", "x" * 10_000, "故宫" * 5_000, "\x00\x01", "?" * 300]
)
def test_odd_input_never_raises(talk: Assistant, text: str) -> None:
    reply = talk.ask(EN, text)
    assert reply.text
    again = talk.ask(EN, text)  # the same again
    assert again.text


def test_the_question_in_one_clause_of_a_long_sentence_is_found(talk: Assistant) -> None:
    reply = talk.ask(EN, "不好意思打扰一下，我们一家下周去沈阳玩，故宫门票多少钱")
    assert (reply.entry_id, reply.aspect) == ("palace", "price")


def test_a_clause_does_not_hide_another_city_named_in_the_message(talk: Assistant) -> None:
    reply = talk.ask(EN, "我下个月去上海玩，故宫门票多少钱")
    assert reply.outcome != "answer"


def test_a_typed_no_after_an_answer_is_not_a_question(talk: Assistant, store: Store) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    reply = talk.ask(EN, "no")
    assert reply.outcome == "unknown" and "Sorry, I did not find it." in reply.text
    assert [c.id for c in store.questions()[-1].candidates] == ["palace"]  # for the report


def test_an_aspect_beside_a_short_name_is_a_question_not_a_follow_up(talk: Assistant) -> None:
    reply = talk.ask(EN, "北陵 怎么去")  # no topic yet: the name is the topic
    assert reply.entry_id == "tomb" and reply.outcome == "answer"


def test_a_follow_up_after_did_you_mean_offers_the_same_entries_again(talk: Assistant) -> None:
    offered = talk.ask(EN, "expo tokyo")
    assert offered.outcome == "suggest"
    reply = talk.ask(EN, "how do I get there?")
    assert reply.outcome == "unknown" and "Which place or event do you mean?" in reply.text
    assert [b.action for row in reply.buttons for b in row if b.action and "s:" in b.action] == [
        b.action for row in offered.buttons for b in row if b.action and "s:" in b.action
    ]
    assert talk.ask(EN, "1").outcome == "answer"  # the offer still stands


def test_japanese_particles_around_an_aspect_name_no_topic(talk: Assistant) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    reply = talk.ask(EN, "入場料はどのくらいかかりますか")
    assert (reply.entry_id, reply.aspect, reply.language) == ("palace", "price", "ja")


def test_an_aspect_of_another_named_entry_is_a_new_question(talk: Assistant) -> None:
    talk.ask(EN, "Where is the Mukden Palace?")
    assert talk.ask(EN, "tickets for the zhaoling tomb").entry_id == "tomb"
    talk.ask(EN, "Where is the Mukden Palace?")
    assert talk.ask(EN, "北陵公园怎么去").entry_id == "tomb"


def test_a_sentence_naming_an_aspect_without_a_figure_does_not_answer_it(talk: Assistant) -> None:
    talk.ask(EN, "How do I get to Beiling Park?")
    reply = talk.ask(EN, "tickets?")
    assert (reply.entry_id, reply.aspect) == ("tomb", "price")
    assert "Check tickets" not in reply.text and "I have nothing yet on ticket prices" in reply.text


_TWO_FUN_PLACES = """category: tourism
entries:
  - id: tiexi
    questions: {zh: [铁西有啥好玩的, 铁西工业博物馆], ja: [鉄西], en: [tiexi]}
    answer: {zh: 铁西。, ja: 鉄西。, en: Tiexi.}
    source: test
    updated: 2026-11-01
  - id: weekend
    questions: {zh: [这周末沈阳有啥好玩的, 周末活动], ja: [週末], en: [weekend]}
    answer: {zh: 周末。, ja: 週末。, en: Weekend.}
    source: test
    updated: 2026-11-01
"""


def test_a_part_of_a_message_that_fits_two_entries_does_not_stand_for_it(
    tmp_path: Path, catalogs: Catalogs, store: Store
) -> None:
    # "有啥好玩的" alone is a piece of both phrasings, within a few points of each other: the
    # message asks something neither entry answers for sure.
    (tmp_path / "places.yaml").write_text(_TWO_FUN_PLACES, encoding="utf-8")
    assistant = Assistant(load_knowledge_or_raise(tmp_path), catalogs, store)
    reply = assistant.ask(EN, "你好，我下周去出差，想顺便逛逛，有啥好玩的？")
    assert reply.outcome != "answer"


_CLINIC = """category: living
entries:
  - id: clinic
    questions: {zh: [外语门诊], ja: [外国語の病院], en: [english speaking hospital]}
    answer: {zh: 门诊。, ja: 病院。, en: A clinic.}
    facts:
      hours: {zh: 8点到17点, ja: 8時〜17時, en: "8:00-17:00 on weekdays"}
    source: test
    updated: 2026-11-01
"""

_HOURS = """aspects:
  - id: hours
    label: {zh: 开放时间, ja: 開館時間, en: opening hours}
    terms: {zh: [几点开门], ja: [何時から], en: [opening hours]}
"""


def test_an_aspect_of_a_service_with_that_fact_is_answered(
    tmp_path: Path, catalogs: Catalogs, store: Store
) -> None:
    (tmp_path / "living.yaml").write_text(_CLINIC, encoding="utf-8")
    (tmp_path / "_lexicon.yaml").write_text(_HOURS, encoding="utf-8")
    assistant = Assistant(load_knowledge_or_raise(tmp_path), catalogs, store)
    assistant.ask(EN, "is there an english speaking hospital")
    reply = assistant.ask(EN, "opening hours?")
    assert (reply.entry_id, reply.aspect) == ("clinic", "hours")
    assert "8:00-17:00 on weekdays" in reply.text


def test_two_characters_beside_an_aspect_are_not_a_question_of_their_own(
    shipped: Assistant,
) -> None:
    shipped.ask(EN, "铁西的中国工业博物馆要门票吗")
    reply = shipped.ask(EN, "周一开吗")  # "开吗" alone is answered with the provincial museum
    assert (reply.entry_id, reply.aspect) == ("industrial-heritage", "hours")


def test_what_about_a_name_only_one_entry_holds_switches_to_it(
    shipped: Assistant,
) -> None:
    shipped.ask(EN, "北陵公園はどこですか")
    # The dumplings' entry and local food (which mentions them) score alike on the name alone.
    reply = shipped.ask(EN, "老辺餃子は？")
    assert (reply.outcome, reply.entry_id) == ("answer", "laobian-dumplings")


def test_context_before_a_question_is_not_the_question(
    shipped: Assistant,
) -> None:
    reply = shipped.ask(
        EN,
        "Hi! Coming to Shenyang in January for a trade fair. What is the weather like in January?",
    )
    assert reply.entry_id != "equipment-manufacturing-expo-2024"  # the trade fair was context
    assert reply.entry_id == "best-season"


def test_a_follow_up_after_did_you_mean_asks_which_not_about_the_older_topic(
    talk: Assistant,
) -> None:
    talk.ask(EN, "How do I get to Beiling Park?")
    assert talk.ask(EN, "expo tokyo").outcome == "suggest"
    reply = talk.ask(EN, "how do I get there?")
    assert reply.outcome == "unknown" and "Which place or event do you mean?" in reply.text


@pytest.mark.parametrize(
    ("first", "follow_up", "entry", "aspect"),
    [
        # English grammar beside an aspect names no topic of its own.
        ("Where is the Mukden Palace?", "is it open on mondays?", "palace", "hours"),
        ("Where is the Mukden Palace?", "how do I get there from downtown", "palace", "access"),
        # Pointing back ("there") keeps the topic, whatever else the message names.
        (
            "How do I get to Beiling Park?",
            "how do I get there from the mukden palace?",
            "tomb",
            "access",
        ),
        # The place a trip starts from is not the topic (故宫 is a keyword of the palace).
        ("How do I get to Beiling Park?", "故宫からどうやって行けますか", "tomb", "access"),
        # A short message of a name and an aspect asks that aspect of the named entry.
        ("How do I get to Beiling Park?", "故宫周一开门吗", "palace", "hours"),
        # "what about X" in a clause turns the aspect to X.
        (
            "Where is the Mukden Palace?",
            "ok and what about Beiling Park, how do I get there?",
            "tomb",
            "access",
        ),
    ],
    ids=["grammar", "from-downtown", "pointing", "origin", "name-and-aspect", "what-about-clause"],
)
def test_follow_ups_in_their_conversation(
    talk: Assistant, first: str, follow_up: str, entry: str, aspect: str
) -> None:
    talk.ask(EN, first)
    reply = talk.ask(EN, follow_up)
    assert (reply.entry_id, reply.aspect, reply.outcome) == (entry, aspect, "answer")


def test_an_aspect_is_asked_of_the_place_the_message_names(shipped: Assistant) -> None:
    # The museum's phrasing "is the liaoning provincial museum open on monday" fitted the whole
    # message better, but "the palace" alone is the palace: its hours, not the museum's.
    reply = shipped.ask(EN, "is the palace open on mondays")
    assert (reply.entry_id, reply.aspect, reply.outcome) == ("mukden-palace", "hours", "answer")
    # A sentence beside the aspect is the question as a whole ("how much" of a taxi ride).
    ride = shipped.ask(User(2, "en", chat_id=2), "how much is a taxi ride in Shenyang?")
    assert ride.entry_id != "getting-around"
    # "is a taxi" alone is getting around, but that is no place with prices: the fares it is.
    taxi = shipped.ask(User(4, "en", chat_id=4), "how much is a taxi?")
    assert taxi.entry_id == "metro-taxi-fares"


@pytest.mark.parametrize("text", ["is there uber?", "有网约车吗"])
def test_ride_hailing_is_a_taxi_app(shipped: Assistant, text: str) -> None:
    # The lexicon's taxi concept: "uber" had offered the 9.18 museum, the bonded zone and
    # Japanese firms; getting around says which app works (DiDi).
    reply = shipped.ask(User(9, None, chat_id=9), text)
    assert (reply.entry_id, reply.outcome) == ("getting-around", "answer")


@pytest.mark.parametrize(
    ("first", "follow_up", "aspect"),
    [
        ("老边饺子在哪", "营业到几点", "hours"),  # had been "I don't know"
        ("桃仙机场到市区怎么走", "有地铁吗", "access"),  # had offered getting around
        ("那棋盘山呢", "从市里咋过去", "access"),  # "咋过去" is 怎么过去 spoken
        ("Where is Taoxian airport?", "is there a metro?", "access"),
        ("九・一八歴史博物館について教えて", "何時に閉まりますか", "hours"),
        # Open in winter: had repeated the palace's whole answer, or offered three entries.
        # ("冬でも行けますか" is not asked of the hours: Qipanshan in winter is its snow park.)
        ("瀋陽故宮への行き方を教えてください", "冬でも開いていますか", "hours"),
        # Discounts ask the price: "老人有优惠吗" had offered the investment incentives.
        ("故宫要提前预约吗", "老人有优惠吗", "price"),
        ("瀋陽故宮の入場料は", "学割はありますか", "price"),
        ("mukden palace tickets", "is there a student discount?", "price"),
        ("沈阳故宫在哪", "冬天开放吗", "hours"),
    ],
)
def test_spoken_follow_ups_ask_their_aspect(
    shipped: Assistant, first: str, follow_up: str, aspect: str
) -> None:
    user = User(5, None, chat_id=5)
    topic = shipped.ask(user, first).entry_id
    assert topic is not None
    reply = shipped.ask(user, follow_up)
    assert (reply.entry_id, reply.aspect) == (topic, aspect)


def test_a_price_said_missing_is_still_asked_of_the_next_place(shipped: Assistant) -> None:
    user = User(16, None, chat_id=16)
    assert shipped.ask(user, "二人转在哪看").entry_id == "errenzhuan"
    missing = shipped.ask(user, "门票多少钱")  # the theatres quote no price: said first
    assert (missing.entry_id, missing.aspect) == ("errenzhuan", "price")
    reply = shipped.ask(user, "那故宫呢")
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "price")


def test_what_about_x_asking_an_aspect_of_x_answers_that_aspect(shipped: Assistant) -> None:
    user = User(17, None, chat_id=17)
    assert shipped.ask(user, "瀋陽の日本総領事館について教えて").entry_id == "japan-consulate"
    reply = shipped.ask(user, "総領事館の住所は？")
    assert (reply.entry_id, reply.aspect) == ("japan-consulate", "location")
    assert "十四緯路" in reply.text


def test_a_way_asked_from_a_place_with_no_topic_is_that_place_s_way(shipped: Assistant) -> None:
    user = User(18, None, chat_id=18)
    reply = shipped.ask(user, "桃仙空港から市内まで地下鉄で行けますか？何号線？")
    assert (reply.entry_id, reply.outcome) == ("taoxian-airport", "answer")
    bare = shipped.ask(User(19, None, chat_id=19), "opening hours?")  # no place named, no topic
    assert (bare.entry_id, bare.outcome) == (None, "unknown")


def test_a_way_from_a_named_place_after_a_topic_without_one_is_a_new_question(
    shipped: Assistant,
) -> None:
    user = User(35, None, chat_id=35)
    first = "はじめまして。来月出張で瀋陽に行きます。日本人はビザなしで入国できますか"
    assert shipped.ask(user, first).entry_id == "business-visa"
    reply = shipped.ask(user, "空港から市内まではどうやって行けばいいですか")
    assert (reply.entry_id, reply.aspect) == ("taoxian-airport", "access")  # not the visa again


def test_a_way_asked_from_an_offered_place_is_not_asked_of_it(shipped: Assistant) -> None:
    user = User(20, None, chat_id=20)
    offer = shipped.ask(user, "太原街って昔は日本人街だったって本当？")
    assert (
        offer.outcome == "suggest"
        and "shenyang-station" in observe(offer, switched=False).suggestions
    )
    reply = shipped.ask(user, "瀋陽駅から歩いて行ける？")  # from the station: not its way
    assert reply.entry_id != "shenyang-station"


def test_how_long_to_spend_there_is_asked_of_the_topic(shipped: Assistant) -> None:
    user = User(21, None, chat_id=21)
    assert shipped.ask(
        user, "thinking about qipanshan on saturday, is it good for hiking?"
    ).entry_id == ("qipanshan")
    reply = shipped.ask(user, "how long should i spend there")
    assert reply.entry_id == "qipanshan"  # not getting to Shenyang ("how long is the train…")


@pytest.mark.parametrize(
    ("text", "place", "said"),
    [
        ("周末开车带娃去沈阳故宫，附近哪有停车场？", "mukden-palace", "关于停车，我这里没有资料"),
        (
            "遼寧省博物館にコインロッカーありますか？スーツケースを預けてから見学したいんですが",
            "liaoning-provincial-museum",
            "荷物の預け入れについての情報は持っていません",
        ),
        ("how much is the tuition fee for foreigners", None, "no information on tuition fees"),
        ("any pure veg restaurant in shenyang you can suggest?", None, "vegetarian restaurants"),
        ("我们住北陵公园附近，想每天早上牵狗进公园溜达。北陵让带狗进不？", "zhaoling-tomb", "宠物"),
        ("华晨宝马铁西工厂能参观吗？咋预约", "bmw-brilliance", "关于参观工厂，我这里没有资料"),
        # and the areas handy to stay in, which the need points to
        (
            "can u recommend a specific hotel near the mukden palace",
            ("mukden-palace", "hotels-registration"),
            "hotel",
        ),
        (
            "what do industrial land prices look like in hunnan?",
            "hunnan-science-tech-city",
            "no information on land prices",
        ),
    ],
)
def test_a_need_no_entry_answers_is_said_and_the_place_offered(
    shipped: Assistant, text: str, place: str | tuple[str, ...] | None, said: str
) -> None:
    reply = shipped.ask(User(22, None, chat_id=22), text)
    assert reply.outcome == "unknown" and reply.entry_id is None and said in reply.text
    offered = observe(reply, switched=False).suggestions
    assert offered == (place if isinstance(place, tuple) else (place,) if place else ())


def test_a_request_after_an_offer_is_no_pick(shipped: Assistant) -> None:
    user = User(24, None, chat_id=24)
    assert shipped.ask(user, "大連行きの高鉄って瀋陽北駅から出てる？").outcome == "suggest"
    reply = shipped.ask(user, "明日の朝の切符、取っといてくれる？")  # had answered the trains
    assert (reply.entry_id, reply.outcome) == (None, "unknown")


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("沈阳东陵怎么样", "打车过去多少钱"),
        ("Tell me about Taoxian airport", "how much is a taxi to downtown"),
    ],
)
def test_a_taxi_fare_asked_after_a_place_is_the_fares_not_its_ticket(
    shipped: Assistant, first: str, then: str
) -> None:
    user = User(25, None, chat_id=25)
    assert shipped.ask(user, first).outcome == "answer"
    reply = shipped.ask(user, then)  # had been the tomb's ticket price, the airport's entry
    assert (reply.entry_id, reply.aspect) == ("metro-taxi-fares", "price")


def test_a_hotel_bathroom_tap_is_tap_water_not_toilets(shipped: Assistant) -> None:
    text = "沈阳的自来水能直接喝吗 酒店卫生间那个水龙头的水 还是得烧开了喝"
    reply = shipped.ask(User(26, None, chat_id=26), text)
    assert "tap-water" in (reply.entry_id, *observe(reply, switched=False).suggestions)


def test_a_time_difference_in_chat_words_is_the_time_zone(shipped: Assistant) -> None:
    reply = shipped.ask(
        User(27, None, chat_id=27), "跟东京客户约了视频会 他说下午两点 那咱这边是几点"
    )
    assert (reply.entry_id, reply.outcome) == ("time-zone", "answer")


def test_the_date_said_as_a_date_reaches_the_museum_named_after_it(shipped: Assistant) -> None:
    text = "每年九月十八号沈阳是不是全城拉警报？在博物馆那边还有撞钟仪式？"
    reply = shipped.ask(User(29, None, chat_id=29), text)  # had found nothing
    assert (reply.entry_id, reply.outcome) == ("september-18-museum", "answer")


@pytest.mark.parametrize(
    ("follow_up", "aspect", "said"),
    [
        ("where does it start", "location", "Hunnan Middle Road"),
        ("what month usually?", "dates", "September"),
    ],
)
def test_an_event_s_venue_and_dates_are_answered_as_asked(
    shipped: Assistant, follow_up: str, aspect: str, said: str
) -> None:
    user = User(30, None, chat_id=30)
    assert shipped.ask(user, "tell me about the shenyang marathon").entry_id == (
        "shenyang-marathon-2019"
    )
    reply = shipped.ask(user, follow_up)  # had been the whole entry again
    assert (reply.entry_id, reply.aspect) == ("shenyang-marathon-2019", aspect)
    assert said in reply.text


def test_a_flight_from_another_city_has_no_live_data_either(shipped: Assistant) -> None:
    reply = shipped.ask(User(34, None, chat_id=34), "今天东京飞沈阳那班延误了吗")
    assert (reply.entry_id, reply.outcome) == (None, "unknown")  # had been getting to Shenyang
    assert "实时信息" in reply.text


def test_a_forecast_asked_for_a_camping_trip_is_the_forecast(shipped: Assistant) -> None:
    reply = shipped.ask(User(33, None, chat_id=33), "后天去棋盘山露营 那边下不下雨啊")
    assert (reply.entry_id, reply.outcome) == ("weather-forecast", "answer")  # live, not camping


@pytest.mark.parametrize("text", ["brilliant, cheers", "perfect, ta"])
def test_thanks_in_british_words(shipped: Assistant, text: str) -> None:
    reply = shipped.ask(User(31, None, chat_id=31), text)  # had been BMW Brilliance
    assert reply.entry_id == "thanks"


def test_clocks_changed_in_summer_asks_the_time_zone(shipped: Assistant) -> None:
    reply = shipped.ask(User(32, None, chat_id=32), "does shenyang change the clocks in summer?")
    assert "time-zone" in (reply.entry_id, *observe(reply, switched=False).suggestions)


def test_an_invitation_letter_is_no_job(shipped: Assistant) -> None:
    reply = shipped.ask(User(23, None, chat_id=23), "商用ビザの申請に招聘状いりますか？")
    assert "business-visa" in (reply.entry_id, *observe(reply, switched=False).suggestions)


def test_what_about_x_naming_nothing_asks_x_of_the_topic(shipped: Assistant) -> None:
    user = User(6, None, chat_id=6)
    assert shipped.ask(user, "沈阳冬天多冷").entry_id == "best-season"
    reply = shipped.ask(user, "那夏天呢")  # summer of the seasons, not summer events
    assert (reply.entry_id, reply.outcome) == ("best-season", "answer")


@pytest.mark.parametrize(
    ("first", "then", "again"),
    [
        ("棋盘山怎么样", "冬天能去吗", "从市区咋过去"),
        ("棋盤山はどんなところですか", "冬でも行けますか", "市内からの行き方は？"),
    ],
)
def test_a_short_question_naming_no_place_is_asked_of_the_topic(
    shipped: Assistant, first: str, then: str, again: str
) -> None:
    user = User(7, None, chat_id=7)
    assert shipped.ask(user, first).entry_id == "qipanshan"
    # Offered the best season and the morning market before, and the way there was then lost.
    assert (shipped.ask(user, then).entry_id, shipped.ask(user, again).aspect) == (
        "qipanshan",
        "access",
    )


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("張氏帥府に行きたいです", "近くで何か食べられますか"),  # somewhere near it
        ("棋盘山怎么样", "北陵冬天开吗"),  # a place of its own
        ("is qipanshan nice", "any vegetarian restaurants?"),  # words the base never saw
    ],
)
def test_a_short_question_about_something_else_is_not_put_to_the_topic(
    shipped: Assistant, first: str, then: str
) -> None:
    user = User(8, None, chat_id=8)
    topic = shipped.ask(user, first).entry_id
    assert topic is not None
    assert shipped.ask(user, then).entry_id != topic


def test_the_other_question_of_a_message_is_offered_as_a_button(shipped: Assistant) -> None:
    reply = shipped.ask(User(3, "zh", chat_id=3), "故宫门票多少钱？还有北陵怎么去？")
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "price")
    assert "您还问到" in reply.text
    assert reply.buttons[0][0].label == "➡ 清昭陵（北陵）"
    single = shipped.ask(User(4, "zh", chat_id=4), "故宫门票多少钱？")
    assert "您还问到" not in single.text


def test_a_greeting_is_no_topic_to_follow_up(shipped: Assistant) -> None:
    user = User(5, "ja", chat_id=5)
    assert shipped.ask(
        user, "はじめまして。名古屋の部品メーカーで海外事業を担当しています。"
    ).entry_id == ("greeting")
    reply = shipped.ask(user, "瀋陽に進出する場合、市の支援窓口はどこになりますか？")
    assert reply.entry_id != "greeting"
    # A thank-you keeps the topic before it.
    shipped.ask(user, "瀋陽故宮はどこですか")
    shipped.ask(user, "ありがとう")
    assert shipped.ask(user, "行き方は？").entry_id == "mukden-palace"


def test_a_question_ending_in_wa_is_not_what_about_x(shipped: Assistant) -> None:
    # "瀋陽で有名な食べ物は？" is a question of its own: read as "what about X?" it had kept the
    # aspect asked before and answered with the food's address.
    user = User(6, "ja", chat_id=6)
    assert shipped.ask(user, "在瀋陽日本国総領事館はどこですか").aspect == "location"
    food = shipped.ask(user, "瀋陽で有名な食べ物は？")
    assert (food.entry_id, food.aspect) == ("local-food", None)


def test_a_day_named_as_context_is_no_question_about_hours(shipped: Assistant) -> None:
    user = User(7, "en", chat_id=7)
    reply = shipped.ask(
        user, "hi! we land at taoxian on friday night, how do we get into the city?"
    )
    assert reply.aspect != "hours"
    assert "opening hours" not in reply.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "how do I get from shenyang north station to the palace?"),
        # The other way round: whole, getting to Shenyang led and nothing was answered.
        ("en", "how do I get to the palace from the north station?"),
        ("zh", "从沈阳北站到故宫怎么走"),
        ("ja", "瀋陽北駅から故宮まではどう行けばいいですか"),
    ],
)
def test_a_way_from_one_place_to_another_is_the_way_to_the_second(
    shipped: Assistant, lang: str, text: str
) -> None:
    reply = shipped.ask(User(8, lang, chat_id=8), text)
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "access")


@pytest.mark.parametrize(
    ("text", "entry_id", "aspect"),
    [
        ("沈阳故宮周一开门不？别白跑一趟😂", "mukden-palace", "hours"),
        (
            "First time in Shenyang! Is the Mukden Palace open on Mondays? Thanks!",
            "mukden-palace",
            "hours",
        ),
    ],
)
def test_a_name_and_an_aspect_in_the_one_asking_sentence_are_answered(
    shipped: Assistant, text: str, entry_id: str, aspect: str
) -> None:
    # Whole, the message is too long to be "a name beside an aspect"; its question is one.
    reply = shipped.ask(User(9, None, chat_id=9), text)
    assert (reply.entry_id, reply.aspect) == (entry_id, aspect)


def test_they_point_back_at_a_place_like_it(shipped: Assistant) -> None:
    user = User(10, "en", chat_id=10)
    shipped.ask(user, "where is the us consulate in shenyang")
    reply = shipped.ask(user, "are they open on mondays")
    assert (reply.entry_id, reply.aspect) == ("us-consulate", "hours")


def test_a_place_named_before_the_word_pointing_back_is_what_it_points_at(
    shipped: Assistant,
) -> None:
    user = User(9, "en", chat_id=9)
    assert shipped.ask(user, "tell me about the 9.18 museum").entry_id == "september-18-museum"
    reply = shipped.ask(user, "the tomb of nurhaci, where is it")
    assert (reply.entry_id, reply.aspect) == ("fuling-tomb", "location")
    assert "Wolong" not in reply.text  # "where is it" alone is no other question
    # A word before it that is not surely another entry keeps the topic.
    shipped.ask(user, "tell me about the liaoning provincial museum")
    assert shipped.ask(user, "how long should I plan for it").entry_id == (
        "liaoning-provincial-museum"
    )


def test_a_question_pointing_back_without_an_aspect_is_about_the_topic(
    shipped: Assistant,
) -> None:
    user = User(10, "zh", chat_id=10)
    assert shipped.ask(user, "西塔在哪").entry_id == "xita-street"
    # Taiyuan Street's phrasing "太原街晚上热闹吗" differs from this by the name alone.
    assert shipped.ask(user, "那里晚上热闹吗").entry_id == "xita-street"


def test_it_that_points_at_nothing_is_no_follow_up(shipped: Assistant) -> None:
    user = User(13, "en", chat_id=13)
    assert shipped.ask(user, "mukden palace").entry_id == "mukden-palace"
    # "it" is the weather: answered on its own, the question is the climate's.
    assert shipped.ask(user, "how cold is it in december").entry_id == "best-season"
    shipped.ask(user, "tell me about the morning market")
    # "there" points at the market, whatever the message alone would be answered with.
    assert shipped.ask(user, "what should i eat there").entry_id == "xiaoheyan-morning-market"


@pytest.mark.parametrize(
    ("lang", "first", "then"),
    [
        ("en", "tell me about mukden palace", "what about the tombs?"),
        ("zh", "故宫在哪", "那皇陵呢"),
    ],
)
def test_switching_to_a_name_two_entries_share_offers_both(
    shipped: Assistant, lang: str, first: str, then: str
) -> None:
    user = User(11, lang, chat_id=11)
    shipped.ask(user, first)
    reply = shipped.ask(user, then)
    assert reply.outcome == "suggest"
    assert {"zhaoling-tomb", "fuling-tomb"} <= set(observe(reply, switched=False).suggestions)


def test_show_in_chinese_after_a_place_is_its_taxi_card_not_a_new_language(
    shipped: Assistant,
) -> None:
    user = User(12, "ja", chat_id=12)
    assert shipped.ask(user, "老辺餃子はどこにありますか").entry_id == "laobian-dumplings"
    card = shipped.ask(user, "中国語で表示して")
    assert "沈阳市沈河区中街26号" in card.text and card.language == "ja"
    assert shipped.ask(user, "電話番号は？").language == "ja"
    # Asked without a place to show, or asked to answer in Chinese, it is a language request.
    assert shipped.ask(user, "中国語で答えてもらえますか").outcome == "switch"
    assert shipped.ask(User(13, "ja", chat_id=13), "中国語で表示して").outcome == "switch"


@pytest.mark.parametrize(
    "text", ["沈阳有中超球队吗 想去现场看球", "Is there a Chinese Super League team in Shenyang?"]
)
def test_the_city_s_super_league_club_is_in_the_sports_entry(shipped: Assistant, text: str) -> None:
    # Liaoning Tieren, promoted for 2026: "中超" had no entry to name and was only offered.
    reply = shipped.ask(User(10, None, chat_id=10), text)
    assert (reply.entry_id, reply.outcome) == ("sports", "answer")
    assert "Tieren" in reply.text or "铁人" in reply.text


@pytest.mark.parametrize(
    ("text", "entry", "aspect"),
    [
        ("北灵公园门票多少", "zhaoling-tomb", "price"),  # 北陵 typed as it sounds
        ("沈阳古宫几点开门啊 门票多少 明天一早就想去", "mukden-palace", None),
    ],
)
def test_a_name_typed_with_other_characters_of_its_sound_is_understood(
    shipped: Assistant, text: str, entry: str, aspect: str | None
) -> None:
    reply = shipped.ask(User(11, "zh", chat_id=11), text)
    assert (reply.entry_id, reply.outcome) == (entry, "answer")
    assert aspect is None or reply.aspect == aspect


def test_a_homophone_typo_is_offered_as_its_name_where_it_is_not_answered(
    shipped: Assistant,
) -> None:
    # "冬陵" (东陵) and "旗盘山" (棋盘山): the itinerary, the palace and the best season had been
    # offered; now the East Tomb first.
    reply = shipped.ask(
        User(12, "zh", chat_id=12), "沈阳冬陵好玩不？听说跟旗盘山挺近的，想一天都逛了"
    )
    assert reply.outcome == "suggest"
    assert "福陵" in reply.buttons[0][0].label


@pytest.mark.parametrize(
    ("text", "entry"), [("东陵离市区远吗", "fuling-tomb"), ("北陵远不远", "zhaoling-tomb")]
)
def test_how_far_a_place_is_asks_where_it_is(shipped: Assistant, text: str, entry: str) -> None:
    # "离市区远吗" fitted the airport's phrasing as well as the tomb (48.8 against 47.5).
    reply = shipped.ask(User(13, "zh", chat_id=13), text)
    assert (reply.entry_id, reply.aspect) == (entry, "location")


def test_the_first_spaced_part_of_a_question_may_name_the_place_and_its_aspect(
    shipped: Assistant,
) -> None:
    # Whole, "东陵离市区远吗 打车过去大概多少钱" offered getting around, the fares and language
    # help; its first part asks where the tomb is.
    reply = shipped.ask(User(14, "zh", chat_id=14), "东陵离市区远吗 打车过去大概多少钱")
    assert (reply.entry_id, reply.aspect) == ("fuling-tomb", "location")


def test_what_there_is_to_see_offers_the_itinerary_first(shipped: Assistant) -> None:
    # "what is there to see" had offered the 9.18 museum, the provincial museum and the FTZ.
    reply = shipped.ask(EN, "what is there to see if I have one free afternoon?")
    first = reply.entry_id or reply.buttons[0][0].label
    assert first in ("itinerary", "Suggested itinerary")


def test_a_month_named_meets_the_entries_month(shipped: Assistant) -> None:
    # "january" was a word the base never saw: the best season was only offered.
    user = User(15, "en", chat_id=15)
    assert shipped.ask(user, "how cold is it in january?").entry_id == "best-season"
    # A place asked of, surely the palace though no keyword names it, is not the topic's.
    reply = shipped.ask(user, "is the palace open in winter?")
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "hours")


def test_an_aspect_asked_after_did_you_mean_is_the_one_offered_entry_that_says_it(
    shipped: Assistant,
) -> None:
    offered = shipped.ask(
        EN, "Hey, I'm staying near Zhongjie. Is the old imperial palace within walking distance?"
    )
    assert offered.outcome == "suggest"  # the palace, Zhongjie and hotel registration
    reply = shipped.ask(EN, "what time does it close?")
    assert (reply.entry_id, reply.aspect, reply.outcome) == ("mukden-palace", "hours", "answer")
    assert shipped.ask(EN, "how much is it?").entry_id == "mukden-palace"  # now the topic


def test_a_question_of_its_own_after_did_you_mean_is_not_taken_for_a_follow_up(
    shipped: Assistant,
) -> None:
    assert (
        shipped.ask(
            EN,
            "Hey, I'm staying near Zhongjie. Is the old imperial palace within walking distance?",
        ).outcome
        == "suggest"
    )
    reply = shipped.ask(EN, "how much is a metro ticket in shenyang?")
    assert reply.entry_id != "mukden-palace"


@pytest.mark.parametrize(
    ("first", "follow_up", "entry_id", "aspect"),
    [
        # "入館料は？" had been read as "what about 入館料?" and answered another museum.
        ("九・一八歴史博物館の場所を教えてください", "入館料は？", "september-18-museum", "price"),
        ("北陵公園に行きたいです", "地下鉄で行けますか？", "zhaoling-tomb", "access"),
        ("辽宁省博物馆在哪", "要钱不", "liaoning-provincial-museum", "price"),
        ("Tell me about Qipanshan", "entry fee?", "qipanshan", "price"),
    ],
)
def test_everyday_aspect_words_follow_the_topic(
    shipped: Assistant, first: str, follow_up: str, entry_id: str, aspect: str
) -> None:
    assert shipped.ask(EN, first).entry_id == entry_id
    reply = shipped.ask(EN, follow_up)
    assert (reply.entry_id, reply.aspect) == (entry_id, aspect)


def test_a_british_visitor_is_not_answered_with_the_japanese_business_visa(
    shipped: Assistant,
) -> None:
    # The UK joined the 30-day visa waiver on 17 February 2026 (the entry on visa-free entry);
    # "Brits" was a word the base never saw, and the Japanese business visa had been answered.
    reply = shipped.ask(EN, "Do Brits need a visa for China now? planning 2 weeks in Shenyang")
    assert reply.entry_id == "visa-free-entry"


@pytest.mark.parametrize(
    ("question", "reply_text", "lang"),
    [
        ("qing emperor tombs shenyang", "the north one, Beiling", "en"),
        ("清朝的皇陵", "北陵那个", "zh"),
    ],
)
def test_a_short_reply_naming_an_offered_entry_picks_it(
    shipped: Assistant, question: str, reply_text: str, lang: str
) -> None:
    offered = shipped.ask(EN, question)
    assert offered.outcome == "suggest"  # both Qing tombs
    reply = shipped.ask(EN, reply_text)
    assert (reply.entry_id, reply.outcome, reply.language) == ("zhaoling-tomb", "answer", lang)
    price = shipped.ask(EN, "门票多钱" if lang == "zh" else "how much is it?")
    assert (price.entry_id, price.aspect) == ("zhaoling-tomb", "price")


def test_a_long_question_after_did_you_mean_is_not_taken_for_a_pick(shipped: Assistant) -> None:
    assert shipped.ask(EN, "清朝的皇陵").outcome == "suggest"
    reply = shipped.ask(EN, "我们住在北陵公园附近好几天了，附近晚上有什么好吃的夜市吗？推荐一下")
    assert reply.entry_id != "zhaoling-tomb"


@pytest.mark.parametrize(
    ("first", "follow_up", "entry_id", "aspect"),
    [
        # The season beside an aspect is no topic of its own (it had found the best season).
        ("辽宁省博物馆在哪", "冬天几点停止入馆", "liaoning-provincial-museum", "hours"),
        (
            "辽宁省博物馆在哪",
            "when's last entry this time of year",
            "liaoning-provincial-museum",
            "hours",
        ),
        # "离X近不": X is where the distance is measured from (it had offered the airport).
        ("浑南科技城在哪", "离机场近不", "hunnan-science-tech-city", "location"),  # its district
        # Everyday words for an aspect (each had been answered with the whole entry).
        ("is beiling park worth a visit", "is it far from downtown?", "zhaoling-tomb", "location"),
        ("xita street korean food", "is it open late?", "xita-street", "hours"),
        (
            "東陵（福陵）について教えて",
            "市内からどれくらい離れていますか？",
            "fuling-tomb",
            "location",
        ),
        (
            "張氏帥府について教えて",
            "見学にはどれくらい時間がかかりますか？",
            "zhang-mansion",
            "duration",
        ),
        ("小河沿早市について", "何時ごろ行けばいいですか？", "xiaoheyan-morning-market", "hours"),
        ("沈阳马拉松", "how do i register", "shenyang-marathon-2019", "booking"),
        ("棋盘山好玩吗", "没车 有公交能到不", "qipanshan", "access"),
        ("沈阳美领馆具体地址在哪", "几点上班", "us-consulate", "hours"),  # had been Japan's
        ("瀋陽南駅について教えて", "何分くらいかかりますか", "shenyang-south-station", "duration"),
        (
            "辽宁省博物馆介绍一下",
            "how I can go there from Zhongjie?",
            "liaoning-provincial-museum",
            "access",
        ),
        ("辽宁省博物馆介绍一下", "冬天几点就不让进了", "liaoning-provincial-museum", "hours"),
    ],
)
def test_a_season_a_reference_point_or_everyday_words_beside_an_aspect_keep_the_topic(
    shipped: Assistant, first: str, follow_up: str, entry_id: str, aspect: str | None
) -> None:
    assert shipped.ask(EN, first).entry_id == entry_id
    reply = shipped.ask(EN, follow_up)
    assert (reply.entry_id, reply.aspect) == (entry_id, aspect)


@pytest.mark.parametrize(
    ("text", "entry_id"), [("yo", "greeting"), ("cool, cheers mate", "thanks")]
)
def test_chat_greetings_and_thanks(shipped: Assistant, text: str, entry_id: str) -> None:
    assert shipped.ask(EN, text).entry_id == entry_id


def test_where_one_lives_is_not_the_place_asked_about(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "老师让我们假期去九一八纪念馆参观写观后感，我家住铁西，坐地铁咋过去啊")
    assert (reply.entry_id, reply.aspect) == ("september-18-museum", "access")  # was Tiexi's zone


def test_the_topic_first_among_the_suggestions_is_answered(shipped: Assistant) -> None:
    assert shipped.ask(EN, "公司要用VPN 在沈阳合法吗").entry_id == "vpn-internet"
    assert shipped.ask(EN, "那国际专线找谁办").entry_id == "vpn-internet"  # had offered three
    shipped.ask(EN, "沈阳经济技术开发区介绍一下")
    switched = shipped.ask(EN, "沈北那边呢 听说在搞食品医药")  # names another zone: no topic
    assert switched.entry_id != "zone-shenyang-etdz"


def test_inside_points_back_at_the_topic(shipped: Assistant) -> None:
    assert shipped.ask(EN, "盛京大剧院介绍一下").entry_id == "shengjing-grand-theatre"
    assert shipped.ask(EN, "里面有几个厅").entry_id == "shengjing-grand-theatre"


@pytest.mark.parametrize(
    ("first", "text", "place"),
    [
        (None, "is Mukden Palace crowded right now? thinking of heading over", "mukden-palace"),
        (None, "刘老根大舞台今晚几点开演，还有票没", "errenzhuan"),
        ("小河沿早市几点开始", "今朝の朝市、いま混んでます？", "xiaoheyan-morning-market"),
        (None, "今天人多不多", None),
        # Had been the whole of getting there (console testers, third round)
        ("taoxian airport", "is my flight from singapore delayed", "taoxian-airport"),
        (None, "明天的航班准点吗", "getting-there"),
    ],
)
def test_a_live_question_no_entry_answers_offers_the_place_honestly(
    shipped: Assistant, first: str | None, text: str, place: str | None
) -> None:
    if first is not None:
        shipped.ask(EN, first)
    reply = shipped.ask(EN, text)
    assert (reply.outcome, reply.entry_id) == ("unknown", None)  # had answered the place
    assert any(said in reply.text for said in ("live data", "实时信息", "リアルタイム"))
    offered = observe(reply, switched=False).suggestions
    assert offered == ((place,) if place else ())


def test_a_pointing_word_in_a_clause_that_only_tells_keeps_no_topic(shipped: Assistant) -> None:
    assert shipped.ask(EN, "tell me about the industrial museum in tiexi").entry_id == (
        "industrial-heritage"
    )
    reply = shipped.ask(
        EN, "any tips for getting by without chinese? my fixer is only there 2 days"
    )
    assert reply.entry_id != "industrial-heritage"  # "there" tells, the first clause asks


def test_a_bare_aspect_with_no_topic_asks_which_place(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "what time does it close")
    assert (reply.outcome, reply.entry_id) == ("unknown", None)  # had offered the best season


def test_a_lost_passport_is_not_a_question_about_the_street_it_was_lost_in(
    shipped: Assistant,
) -> None:
    reply = shipped.ask(EN, "妈呀 我日本朋友在中街逛街把护照整丢了 咋整啊 急死了")
    assert reply.entry_id != "zhongjie-street"
    offered = observe(reply, switched=False).suggestions
    assert reply.entry_id in ("emergency-numbers", "japan-consulate") or offered[0] == (
        "emergency-numbers"
    )


def test_play_gets_an_honest_no_and_small_talk_is_not_asked_of_an_offer(
    shipped: Assistant,
) -> None:
    joke = shipped.ask(EN, "tell me a joke")
    assert (joke.outcome, joke.entry_id) == ("unknown", None)  # had offered three entries
    assert "guide to Shenyang" in joke.text
    assert shipped.ask(EN, "how to get to shenyang").outcome == "suggest"
    how = shipped.ask(EN, "how are you today?")  # had been asked of an offered entry, answered
    assert how.outcome != "answer"


def test_a_place_and_an_aspect_in_the_last_spaced_part_after_context(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "你好 下周带爸妈去沈阳玩三天 故宫离中街近不近")
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "location")  # had offered three


def test_a_place_named_only_in_a_sentence_before_the_question(shipped: Assistant) -> None:
    reply = shipped.ask(
        EN,
        "hi! landing at taoxian friday night with my wife, first time in china. "
        "whats the easiest way into the city?",
    )
    assert (reply.entry_id, reply.aspect) == ("taoxian-airport", "access")  # "friday": no hours


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("ok thx. is the old palace far from zhongjie?", "mukden-palace"),  # had been Zhongjie
        ("東陵って市内から遠い？", "fuling-tomb"),  # the city is where it is measured from
    ],
)
def test_how_far_from_a_place_is_asked_of_the_other(
    shipped: Assistant, text: str, entry_id: str
) -> None:
    reply = shipped.ask(EN, text)
    assert (reply.entry_id, reply.aspect) == (entry_id, "location")


def test_the_address_asked_in_chinese_is_the_taxi_card(shipped: Assistant) -> None:
    assert shipped.ask(EN, "盛京病院の外国人外来について教えてください").entry_id == (
        "hospitals-foreign-language"
    )
    card = shipped.ask(EN, "住所を中国語で教えてください。タクシーで行きます")
    assert card.entry_id == "hospitals-foreign-language"  # had answered language help
    assert "三好街36号" in card.text and card.language == "ja"  # no switch of language


@pytest.mark.parametrize("text", ["想顺着河边走走 哪段好走", "any nice walks by the river?"])
def test_the_riverside_is_the_hun_river(shipped: Assistant, text: str) -> None:
    assert shipped.ask(EN, text).entry_id == "hunhe-river-parks"  # "河边" had found nothing


def test_highlights_are_not_an_address(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "瀋陽故宮の見どころを教えてください")
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", None)  # had been its address


def test_where_a_walk_starts_is_not_what_is_asked_of(shipped: Assistant) -> None:
    reply = shipped.ask(
        EN, "張作霖・張学良の屋敷（大帥府）を見学したいです。故宮から歩いて行ける距離ですか？"
    )
    assert (reply.entry_id, reply.aspect) == ("zhang-mansion", "access")  # was the palace's


def test_an_aspect_alone_at_the_end_asks_of_the_one_place_the_message_names(
    shipped: Assistant,
) -> None:
    reply = shipped.ask(EN, "你好 我下周带爸妈去沈阳玩 想去北陵公园转转 地铁能到不")
    assert (reply.entry_id, reply.aspect) == ("zhaoling-tomb", "access")
    price = shipped.ask(EN, "门票多钱")  # 多钱: how people in the Northeast say 多少钱
    assert (price.entry_id, price.aspect) == ("zhaoling-tomb", "price")


def test_a_season_with_no_topic_asks_which_place_not_the_best_season(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "冬天几点关门")
    assert reply.entry_id != "best-season" and reply.outcome == "unknown"


def test_where_one_stays_is_no_topic_of_the_question(shipped: Assistant) -> None:
    reply = shipped.ask(
        EN, "空き時間に故宮を見学したいのですが、中街のホテルから歩いて行けますか？"
    )
    assert reply.entry_id == "mukden-palace"  # had offered Zhongjie and hotel registration


@pytest.mark.parametrize(
    ("text", "entry_id", "aspect"),
    [
        # The clause that asks is the aspect alone; the place is named in the clause before it,
        # here typed with other characters of its sound (古宫 for 故宫).
        (
            "我们一家周一上午的高铁到沈阳，下午想直接去沈阳古宫，周一开门不？",
            "mukden-palace",
            "hours",
        ),
        ("晚上想去中街溜达溜达，坐地铁咋走？", "zhongjie-street", "access"),
    ],
)
def test_an_aspect_asked_after_the_clause_that_names_the_place(
    shipped: Assistant, text: str, entry_id: str, aspect: str
) -> None:
    reply = shipped.ask(EN, text)
    assert (reply.entry_id, reply.aspect) == (entry_id, aspect)


def test_colloquial_far_and_how_long_follow_the_place(shipped: Assistant) -> None:
    assert shipped.ask(EN, "沈阳故宫在哪").entry_id == "mukden-palace"
    far = shipped.ask(EN, "大帅付离那远不")  # 大帅府 typed as it sounds; 远不 = 远不远
    assert (far.entry_id, far.aspect) == ("zhang-mansion", "location")
    took = shipped.ask(EN, "逛下来得多久")
    assert took.entry_id == "zhang-mansion"


def test_a_short_question_after_did_you_mean_is_asked_of_the_entries_offered(
    shipped: Assistant,
) -> None:
    user = User(21, "ja", chat_id=21)
    offered = shipped.ask(user, "瀋陽に進出する場合、市の支援窓口はどこになりますか？")
    assert offered.outcome == "suggest"  # support, the investment contact, the climate
    reply = shipped.ask(user, "日本語対応はありますか")
    assert reply.entry_id == "investment-contact"  # had answered the foreign medical centre


def test_thanks_after_one_suggestion_is_thanks_not_a_pick(shipped: Assistant) -> None:
    offered = shipped.ask(ZH, "在这边出了事故也是找他们吧")
    assert offered.outcome == "suggest"
    thanks = shipped.ask(ZH, "谢啦🙏")  # had been answered with the entry offered
    assert thanks.entry_id == "thanks"


@pytest.mark.parametrize("text", ["arigato", "xie xie", "merci!", "ありがと！", "ありがと〜🙏"])
def test_thanks_in_borrowed_or_casual_words_is_thanks(shipped: Assistant, text: str) -> None:
    assert shipped.ask(EN, text).entry_id == "thanks"  # "arigato" had offered a trade zone


def test_is_it_expensive_asks_the_topics_price_and_without_one_is_not_answered(
    shipped: Assistant,
) -> None:
    alone = shipped.ask(EN, "is it expensive")  # had been answered with the taxi fares
    assert alone.outcome != "answer"
    shipped.ask(ZH, "沈阳故宫值得去吗")
    price = shipped.ask(ZH, "贵不贵")
    assert (price.entry_id, price.aspect) == ("mukden-palace", "price")


def test_an_aspect_asked_right_after_the_whole_answer_is_not_the_whole_answer_again(
    shipped: Assistant,
) -> None:
    ja = User(3, "ja", chat_id=3)
    whole = shipped.ask(ja, "瀋陽に日本人学校はありますか？子どもが二人います")
    assert whole.entry_id == "japanese-school"
    where = shipped.ask(ja, "どこにありますか")  # had repeated the whole answer
    assert (where.entry_id, where.aspect) == ("japanese-school", "location")
    assert len(where.text) < len(whole.text) / 2
    hospital = shipped.ask(ja, "病院で日本語が通じるところは？")
    hours = shipped.ask(ja, "何時まで？")  # "no hours" and then the whole answer again
    assert (hours.entry_id, hours.aspect) == (hospital.entry_id, "hours")
    assert len(hours.text) < len(hospital.text) / 2
    assert shipped.ask(EN, "where can i eat local food").entry_id == "local-food"
    again = shipped.ask(EN, "where can i eat it")  # no address to deny: the answer again
    assert again.entry_id == "local-food" and "I don't have" not in again.text


def test_there_after_a_topic_that_is_no_place_is_the_city(shipped: Assistant) -> None:
    assert shipped.ask(EN, "is it safe to drink tap water").entry_id == "tap-water"
    food = shipped.ask(EN, "ok and what should I eat while I'm there?")  # had been tap water again
    assert food.entry_id == "local-food"


def test_a_language_it_does_not_speak_is_told_which_it_speaks(shipped: Assistant) -> None:
    shipped.ask(EN, "how much is the sim card")
    reply = shipped.ask(EN, "can you speak korean?")  # had been the SIM cards again
    assert reply.entry_id is None and "Japanese (日本語)" in reply.text


def test_a_missing_need_with_no_place_offers_the_topics(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "is vegetarian food easy to find?")
    assert reply.outcome == "unknown" and "These are the topics I know" in reply.text
    parking = shipped.ask(EN, "thx. is there parking at the mukden palace?")
    assert "Thanks" not in str(parking.buttons)  # had offered the entry on thanks


def test_a_number_with_no_such_option_says_so(shipped: Assistant) -> None:
    reply = shipped.ask(ZH, "99")  # had been "noted for the team" as a question
    assert reply.outcome == "unknown" and "没有这个编号的选项" in reply.text


@pytest.mark.parametrize("when", ["明天呢", "周一呢"])
def test_another_day_asked_after_the_hours_is_the_same_hours(shipped: Assistant, when: str) -> None:
    assert shipped.ask(ZH, "今天故宫开门不").aspect == "hours"
    again = shipped.ask(ZH, when)  # "明天呢" had been told there is no live weather
    assert (again.entry_id, again.aspect) == ("mukden-palace", "hours")


def test_a_short_follow_up_one_of_its_sentences_answers_is_not_put_to_the_topic(
    shipped: Assistant,
) -> None:
    ja = User(4, "ja", chat_id=4)
    assert shipped.ask(ja, "瀋陽の氷雪祭りはいつですか").aspect == "dates"
    cold = shipped.ask(ja, "寒さはどれくらい？マイナス何度？")  # had been the festival again
    assert cold.entry_id == "best-season"


def test_a_phone_number_asked_right_after_an_entry_without_one_is_denied_in_a_line(
    shipped: Assistant,
) -> None:
    card = shipped.ask(ZH, "投资的话找谁对接")
    assert card.entry_id == "investment-contact"
    phone = shipped.ask(ZH, "电话多少")  # had been the whole card again
    assert (phone.entry_id, phone.aspect) == ("investment-contact", "phone")
    assert len(phone.text) < len(card.text) / 2


def test_a_language_asked_for_after_an_answer_shows_it_again_in_that_language(
    shipped: Assistant,
) -> None:
    assert shipped.ask(ZH, "沈阳故宫怎么去").aspect == "access"
    again = shipped.ask(ZH, "用日语回一遍吧")  # had only confirmed the switch
    assert (again.outcome, again.language, again.entry_id) == ("switch", "ja", "mukden-palace")
    assert "日本語でお答えします" in again.text and "中街" in again.text


def test_the_way_to_shenyang_itself_is_getting_there(shipped: Assistant) -> None:
    reply = shipped.ask(EN, "how do i get to shenyang from beijing")
    assert reply.entry_id == "getting-there"  # had been "no directions for About Shenyang"


def test_a_question_asked_to_be_answered_in_japanese_is(shipped: Assistant) -> None:
    reply = shipped.ask(ZH, "请用日语告诉我沈阳故宫怎么去")  # had been answered in Chinese
    assert (reply.entry_id, reply.language) == ("mukden-palace", "ja")


def test_another_entrys_phrasing_without_its_name_is_asked_of_the_topic(
    shipped: Assistant,
) -> None:
    assert shipped.ask(ZH, "中街咋去").entry_id == "zhongjie-street"
    lively = shipped.ask(ZH, "晚上热闹不")  # Taiyuan Street's "太原街晚上热闹吗" had answered
    assert lively.entry_id == "zhongjie-street"


def test_a_live_question_after_an_offer_is_no_pick(shipped: Assistant) -> None:
    assert shipped.ask(ZH, "故宫咋整票啊").outcome == "suggest"
    crowds = shipped.ask(ZH, "今天人多不")  # had answered the mansion offered second
    assert crowds.outcome == "unknown" and crowds.entry_id is None


def test_two_aspects_asked_at_once_are_both_said(shipped: Assistant) -> None:
    ja = User(5, "ja", chat_id=5)
    reply = shipped.ask(ja, "故宮の開館時間と行き方を教えて")  # had been given the hours alone
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "hours")
    assert "開館・営業時間" in reply.text and "中街" in reply.text


def test_a_follow_up_after_a_greeting_or_thanks_is_still_a_follow_up(shipped: Assistant) -> None:
    assert shipped.ask(EN, "where is the mukden palace").entry_id == "mukden-palace"
    price = shipped.ask(EN, "Hello, how much is the ticket?")  # had been the taxi fares
    assert (price.entry_id, price.aspect) == ("mukden-palace", "price")
    assert shipped.ask(EN, "tell me about beiling park").entry_id == "zhaoling-tomb"
    way = shipped.ask(EN, "thanks! and how do i get there")  # had been thanks, "no directions"
    assert (way.entry_id, way.aspect) == ("zhaoling-tomb", "access")


def test_tell_me_in_a_language_shows_the_last_answer_in_it(shipped: Assistant) -> None:
    user = User(22, "ja", chat_id=22)
    assert shipped.ask(user, "瀋陽故宮はどこ？").entry_id == "mukden-palace"
    reply = shipped.ask(user, "英語で教えて")  # had been the entry on language help
    assert (reply.outcome, reply.entry_id, reply.language) == ("switch", "mukden-palace", "en")


def test_what_about_a_country_after_the_sister_cities_stays_on_them(shipped: Assistant) -> None:
    user = User(23, "en", chat_id=23)
    assert shipped.ask(user, "Tell me about Shenyang's sister cities").entry_id == (
        "sister-cities-japan"
    )
    # "germany" is a keyword of the visa rules, whose whole answer it had been.
    assert shipped.ask(user, "what about Germany").entry_id == "sister-cities-japan"


def test_an_aspect_is_carried_to_a_sight_or_to_what_says_it(shipped: Assistant) -> None:
    user = User(24, "ja", chat_id=24)
    shipped.ask(user, "冬に家族で行くなら氷雪祭ってやってますか？")
    assert shipped.ask(user, "入場料は？").aspect == "price"
    resorts = shipped.ask(user, "スキー場は？")  # had been "no prices for Sports"
    assert (resorts.entry_id, resorts.aspect) == ("sports", None)
    shipped.ask(user, "瀋陽故宮の入場料は？")
    tomb = shipped.ask(user, "東陵は？")
    assert (tomb.entry_id, tomb.aspect) == ("fuling-tomb", "price")


def test_the_way_from_one_place_to_another_is_the_way_to_the_second(shipped: Assistant) -> None:
    reply = shipped.ask(User(25, "zh", chat_id=25), "沈阳北站咋去机场")
    # Had been the way to the north station.
    assert (reply.entry_id, reply.aspect) == ("taoxian-airport", "access")


@pytest.mark.parametrize(
    ("first", "topic", "text"),
    [
        # "who built" alone was sure of the aircraft maker's "…fighter jets are built…"
        ("where is mukden palace", "mukden-palace", "who built it?"),
        # the cathedral's "小南天主教堂能参观吗" without its name
        ("沈飞是干啥的", "shenyang-aircraft", "能参观吗"),
    ],
)
def test_a_follow_up_with_words_another_entry_uses_stays_on_the_topic(
    shipped: Assistant, first: str, topic: str, text: str
) -> None:
    user = User(26, "en", chat_id=26)
    assert shipped.ask(user, first).entry_id == topic
    assert shipped.ask(user, text).entry_id == topic


def test_what_about_x_in_a_sentence_of_its_own_switches_before_the_aspect(
    shipped: Assistant,
) -> None:
    user = User(27, "en", chat_id=27)
    assert shipped.ask(user, "who is contact person in commerce bureau?").entry_id == (
        "investment-contact"
    )
    reply = shipped.ask(user, "what about exhibition for equipment? when next time")
    # Had been the contacts' whole answer again.
    assert (reply.entry_id, reply.aspect) == ("equipment-manufacturing-expo-2024", "dates")


def test_where_to_stay_after_a_place_is_the_hotels_entry(shipped: Assistant) -> None:
    user = User(28, "ja", chat_id=28)
    assert shipped.ask(user, "遼寧省博物館はどこ？").entry_id == "liaoning-provincial-museum"
    # Had been the museum's address again: "どこ" read as asked of it.
    assert shipped.ask(user, "宿泊はどこがいい？").entry_id == "hotels-registration"


def test_the_way_there_from_a_place_is_still_the_way_to_the_topic(shipped: Assistant) -> None:
    user = User(29, "en", chat_id=29)
    assert shipped.ask(user, "where is siasun located").entry_id == "siasun-robotics"
    reply = shipped.ask(user, "how do i get there from airport")
    # Had been the way to the airport ("Metro Line 2, Taoxian Airport station").
    assert (reply.entry_id, reply.aspect) == ("siasun-robotics", "access")


def test_an_unknown_question_ends_what_was_offered(shipped: Assistant, store: Store) -> None:
    assert shipped.ask(ZH, "沈阳和东京时差多少").outcome == "suggest"
    assert store.memory(ZH.id, ZH.chat_id).offered  # the time zone among them
    assert shipped.ask(ZH, "我爸妈在沈阳哪能换日元啊").outcome == "unknown"
    assert store.memory(ZH.id, ZH.chat_id).offered == ()
    assert shipped.ask(ZH, "银行要带啥").entry_id != "time-zone"


@pytest.mark.parametrize("then", ["冬もやってる？", "月曜もやってますか"])
def test_is_it_on_asked_in_japanese_is_the_topics_hours(shipped: Assistant, then: str) -> None:
    ja = User(14, "ja", chat_id=14)
    assert shipped.ask(ja, "瀋陽故宮はどこ？").entry_id == "mukden-palace"
    # "やってる" (is it on): had been the night markets, whose phrasing "…冬もやってる？" it is.
    reply = shipped.ask(ja, then)
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "hours")


def test_a_need_no_entry_answers_offers_the_entry_its_curators_point_to(
    shipped: Assistant,
) -> None:
    reply = shipped.ask(EN, "which hotel do you recommend near tiexi")
    # Had been the hotel registration rules as the answer; no hotel is named, the areas are offered.
    assert (reply.outcome, reply.entry_id) == ("unknown", None)
    offered = observe(reply, switched=False).suggestions
    assert offered == ("zone-shenyang-etdz", "hotels-registration")


def test_which_place_puts_the_topic_first_and_only_places_the_aspect_fits(
    shipped: Assistant,
) -> None:
    ja = User(15, "ja", chat_id=15)
    assert shipped.ask(ja, "遼寧省博物館ってどう？").entry_id == "liaoning-provincial-museum"
    assert shipped.ask(ja, "混んでる？").outcome == "suggest"  # Qipanshan, industries, tap water
    reply = shipped.ask(ja, "予約いる？")
    offered = observe(reply, switched=False).suggestions
    # Had been the three offered, the museum talked about not among them.
    assert offered[0] == "liaoning-provincial-museum" and "tap-water" not in offered


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("whats todays gbp to cny rate", "en"),
        ("1万円で何元くらいになりますか", "ja"),  # had been "I don't know" with no way on
        ("一万日元能换多少人民币", "zh"),
    ],
)
def test_a_rate_of_the_day_is_live_data_with_the_money_entry(
    shipped: Assistant, text: str, lang: str
) -> None:
    reply = shipped.ask(User(16, lang, chat_id=16), text)
    assert reply.entry_id == "money-exchange" and reply.text.startswith("<i>")
    assert any(said in reply.text for said in ("live data", "实时信息", "リアルタイム"))


@pytest.mark.parametrize("first", [None, "errenzhuan"])
def test_an_address_in_chinese_with_no_place_asks_which_place(
    shipped: Assistant, first: str | None
) -> None:
    user = User(17, "en", chat_id=17)
    if first:
        shipped.ask(user, first)  # a show with no address on file
    reply = shipped.ask(user, "whats the address in chinese")
    # Had been the Japanese consulate's address, with a taxi button.
    assert (reply.outcome, reply.entry_id) == ("unknown", None)
    named = shipped.ask(user, "what is the japanese consulate address in chinese")
    assert named.entry_id == "japan-consulate"


def test_a_season_after_the_hours_asks_the_hours_then(shipped: Assistant) -> None:
    user = User(18, "zh", chat_id=18)
    assert shipped.ask(user, "张氏帅府几点开门").aspect == "hours"
    reply = shipped.ask(user, "冬天呢")  # had become the best season
    assert (reply.entry_id, reply.aspect) == ("zhang-mansion", "hours")


@pytest.mark.parametrize(
    "text", ["沈阳大学在哪", "Is Liaoning University good for Chinese courses?"]
)
def test_another_university_is_not_taken_for_northeastern_university(
    shipped: Assistant, text: str
) -> None:
    reply = shipped.ask(User(16, None, chat_id=16), text)
    # "沈阳大学在哪" had been Northeastern University's answer: another university altogether.
    assert (reply.outcome, reply.entry_id) == ("unknown", None)
    offered = observe(reply, switched=False).suggestions
    assert "cost-talent" in offered and "northeastern-university" not in offered


def test_a_need_only_told_beside_the_question_does_not_answer_it(shipped: Assistant) -> None:
    text = (
        "Hi, I'm Japanese student at Liaoning University. "
        "The Summer of Hunhe festival, what kind of events are there?"
    )
    reply = shipped.ask(User(17, None, chat_id=17), text)
    assert reply.entry_id == "hunhe-summer-art-season-2025"


def test_a_question_wholly_of_another_entry_is_not_put_to_what_was_offered(
    shipped: Assistant,
) -> None:
    user = User(18, "en", chat_id=18)
    offered = shipped.ask(user, "hi! can you switch to Chinese pleeease")  # a typo: no request
    assert "money-exchange" in observe(offered, switched=False).suggestions
    # Had been the money entry, offered above, for a question every word of which is food's.
    assert shipped.ask(user, "沈阳有什么好吃的？").entry_id == "local-food"


@pytest.mark.parametrize(
    ("before", "text"),
    [
        (None, "沈阳的电价多少"),  # had been the talent entry's line
        ("瀋陽の水道水って飲めますか", "コンビニはある？ローソンとか"),  # had been tap water
        (None, "Tell me about the Mukden POW camp"),  # had been the city overview
        (None, "sup, any good clubs or bars in shenyang? 🍻"),
    ],
)
def test_needs_no_entry_answers_are_said_plainly(
    shipped: Assistant, before: str | None, text: str
) -> None:
    user = User(19, None, chat_id=19)
    if before is not None:
        assert shipped.ask(user, before).outcome == "answer"
    reply = shipped.ask(user, text)
    assert (reply.outcome, reply.entry_id) == ("unknown", None)


def test_what_about_a_thing_of_the_topic_does_not_carry_the_aspect_asked_before(
    shipped: Assistant,
) -> None:
    ja = User(20, "ja", chat_id=20)
    shipped.ask(ja, "製博会の日程は決まっていますか")
    assert shipped.ask(ja, "会場はどこですか").aspect == "location"
    reply = shipped.ask(ja, "去年の来場者数は？")
    # Had been the venue again: the aspect asked before, carried to a question of its own.
    assert (reply.entry_id, reply.aspect) == ("equipment-manufacturing-expo-2024", None)


@pytest.mark.parametrize(
    ("lang", "talk", "expected"),
    [
        # "entry" had been visa-free entry, then the palace's winter hours the business visa's
        ("en", ["Mukden Palace opening hours", "how much is entry"], ("mukden-palace", "price")),
        # the SIM cards' answer says to bring a passport; the museum's, to show one to get in
        (
            "en",
            ["what is the 9.18 museum", "do I need my passport to get in"],
            ("september-18-museum", None),
        ),
        # "it" is the mansion named before it, not the museum talked about
        (
            "en",
            ["what is the 9.18 museum", "ok thx. and what about Zhang's mansion, is it close?"],
            ("zhang-mansion", "location"),
        ),
        # going back: had been the ice festival's address, and the palace again
        (
            "en",
            [
                "Tell me about the Shenyang Marathon",
                "ok what about the Ice & Snow festival",
                "back to the marathon - where does it start?",
            ],
            ("shenyang-marathon-2019", "location"),
        ),
        (
            "zh",
            ["沈阳故宫怎么样", "再说回帅府，里面有啥看的", "几点关门"],
            ("zhang-mansion", "hours"),
        ),
        # 帅府 is how people say the mansion: had been the palace's hours
        ("zh", ["沈阳故宫怎么样", "帅府几点关门"], ("zhang-mansion", "hours")),
    ],
)
def test_follow_ups_the_sixth_testers_met(
    shipped: Assistant, lang: str, talk: list[str], expected: tuple[str, str | None]
) -> None:
    reply = _after_answers(shipped, User(21, lang, chat_id=21), talk)
    assert (reply.entry_id, reply.aspect) == expected


@pytest.mark.parametrize(
    ("lang", "talk", "expected"),
    [
        # "南关教堂能进去参观吗" is the cathedral's phrasing: without its name, it is the topic's
        ("zh", ["工人村是什么", "能进去参观吗"], "industrial-heritage"),
        # the last metro is a need no entry answers: had been the airport's opening hours
        ("ja", ["桃仙空港から市内まで一番安い行き方は？", "地下鉄は何時まで？"], None),
    ],
)
def test_more_follow_ups_the_sixth_testers_met(
    shipped: Assistant, lang: str, talk: list[str], expected: str | None
) -> None:
    assert _after_answers(shipped, User(22, lang, chat_id=22), talk).entry_id == expected


def _after_answers(shipped: Assistant, user: User, talk: list[str]) -> Reply:
    """The reply to the last message of ``talk``, each message before it answered."""
    for text in talk[:-1]:
        assert shipped.ask(user, text).outcome == "answer"
    return shipped.ask(user, talk[-1])


def test_a_few_words_asked_after_a_place_stay_with_it(shipped: Assistant) -> None:
    user = User(23, "en", chat_id=23)
    assert shipped.ask(user, "what's the deal with Xita").entry_id == "xita-street"
    # Had been the morning market's answer ("xiaoheyan market what time should i go").
    assert shipped.ask(user, "best time to go?").entry_id == "xita-street"


def test_what_about_x_with_a_question_of_its_own_does_not_carry_the_aspect(
    shipped: Assistant,
) -> None:
    user = User(24, "en", chat_id=24)
    shipped.ask(user, "Where's the Liaoning Provincial Museum?")
    assert shipped.ask(user, "open Mondays?").aspect == "hours"
    reply = shipped.ask(user, "what about the Shenyang Financial Museum - what's there?")
    # Had been "Shenyang Financial Museum: I have nothing yet on opening hours."
    assert (reply.entry_id, reply.aspect) == ("shenyang-financial-museum", None)


def test_where_to_buy_train_tickets_is_the_booking_fact(shipped: Assistant) -> None:
    user = User(25, "zh", chat_id=25)
    assert shipped.ask(user, "沈阳到大连高铁几个小时").entry_id == "trains-northeast"
    reply = shipped.ask(user, "在哪买票")
    assert (reply.entry_id, reply.aspect) == ("trains-northeast", "booking")
    assert "12306" in reply.text and "护照" in reply.text
    english = shipped.ask(User(26, "en", chat_id=26), "where can I buy a train ticket")
    # Had been "Getting to Shenyang: I have nothing yet on prices."
    assert english.aspect == "booking" and "12306" in english.text


def test_going_back_moves_the_topic_even_when_the_question_is_not_answered(
    shipped: Assistant,
) -> None:
    ja = User(27, "ja", chat_id=27)
    shipped.ask(ja, "瀋陽故宮について教えて")
    assert shipped.ask(ja, "福陵は？").entry_id == "fuling-tomb"
    assert shipped.ask(ja, "故宮に戻るけど、日本語の音声ガイドある？").outcome == "unknown"
    reply = shipped.ask(ja, "何時から")  # had been the Fuling tomb's hours
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "hours")


def test_going_back_to_a_place_said_without_its_keyword(shipped: Assistant) -> None:
    user = User(28, "en", chat_id=28)
    shipped.ask(user, "Mukden Palace opening hours")
    assert shipped.ask(user, "what about the 9.18 museum").entry_id == "september-18-museum"
    reply = shipped.ask(user, "back to the palace - how much is a ticket for seniors?")
    # Had been "9.18 Historical Museum · prices: Free": read as the palace's.
    assert (reply.entry_id, reply.aspect) == ("mukden-palace", "price")


@pytest.mark.parametrize(
    "text",
    [
        "Is there an international school in Shenyang, like a British or American one?",
        "My late father served in the Pacific. I read American POWs were held in Mukden. "
        "Is there a museum about them?",
    ],
)
def test_needs_the_seventh_testers_met(shipped: Assistant, text: str) -> None:
    # Had been the visa-free entry rules, and the 9.18 museum as if it were the POW camp's.
    reply = shipped.ask(User(29, "en", chat_id=29), text)
    assert (reply.outcome, reply.entry_id) == ("unknown", None)


def test_a_short_remark_in_the_topics_words_stays_with_it(shipped: Assistant) -> None:
    ja = User(30, "ja", chat_id=30)
    visa = shipped.ask(ja, "こんにちは。来月出張で瀋陽に行きます。ビザは必要ですか？")
    assert visa.entry_id == "business-visa"
    # Had been the rules for other nationalities (their answer says 10日間 of the transit).
    assert shipped.ask(ja, "滞在は10日です").entry_id == "business-visa"
    # A question of its own is not a remark: it gets its own entry.
    assert shipped.ask(ja, "主要な産業は何ですか").entry_id == "key-industries"


def test_what_about_x_is_it_close_asks_where_x_is(shipped: Assistant) -> None:
    user = User(31, "en", chat_id=31)
    assert shipped.ask(user, "Mukden Palace opening hours").aspect == "hours"
    reply = shipped.ask(user, "what about Zhang's mansion, is it close?")
    # Had been "Marshal Zhang's Mansion: I have nothing yet on opening hours."
    assert (reply.entry_id, reply.aspect) == ("zhang-mansion", "location")
