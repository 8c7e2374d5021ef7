"""Which reading of a message the core acts on: the whole, or the sentence that asks."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.matching import Matcher, Outcome
from bot.reading import also_asked, best_reading, without_pleasantries


@pytest.fixture(scope="module")
def matcher(shipped_kb: KnowledgeBase) -> Matcher:
    return Matcher.build(shipped_kb)


def answered_apart(matcher: Matcher, knowledge: KnowledgeBase, text: str) -> str | None:
    """The entry the reading of ``text`` answers with, where the matcher alone does not answer."""
    assert matcher.match(text, limit=5).outcome is not Outcome.ANSWER
    return best_reading(matcher, knowledge, text, limit=5).answer_id


def test_a_plain_question_is_read_whole(matcher: Matcher, shipped_kb: KnowledgeBase) -> None:
    text = "How do I get to the Mukden Palace?"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found == matcher.match(text, limit=5)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # Whole, the trade fair drowns the question; so does the business trip, and the thanks
        # stand apart too.
        (
            "Hi! Coming to Shenyang in January for a trade fair. What is the weather like in "
            "January?",
            "best-season",
        ),
        ("你好！我是从日本来的，下个月要去沈阳出差。沈阳地铁有几条线 谢谢🙏", "getting-around"),
    ],
)
def test_the_sentence_that_asks_stands_for_a_chatty_message(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, asked: str
) -> None:
    assert matcher.match(text).answer_id != asked
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, asked)
    assert found.query == text  # still logged as what the user wrote


def test_the_one_question_outweighs_what_the_message_only_tells(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "弊社は自動車部品メーカーです。瀋陽で現地法人を作る際の手続きを教えてください。"
    assert matcher.match(text).answer_id == "zone-finder"  # from "自動車部品", which only tells
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, "investment-support")
    assert found.query == text


def test_a_short_question_leans_on_the_sentence_before_it(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "After Shenyang I want to go on to Harbin by high-speed train. How long is the ride?"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.answer_id == matcher.match(text).answer_id == "trains-northeast"


def test_news_that_names_a_place_is_about_that_place(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # Answered as a greeting before (news only), so "门票多少钱" next had no topic.
    text = "你好，我下周第一次去沈阳出差，想顺便看看故宫"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, "mukden-palace")


def test_a_greeting_never_stands_for_the_message(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    found = best_reading(matcher, shipped_kb, "Hello! Hello! xylophone quantum flux?", limit=5)
    assert found.outcome is not Outcome.ANSWER


def test_a_part_naming_another_city_is_not_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "我下个月去哈尔滨。故宫门票在哪里买？"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.outcome is not Outcome.ANSWER


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("is there a jetro office in shenyang? boss in osaka is asking", "jetro-shenyang"),
        (
            "Harbin looks way too crowded for us. is there an ice and snow festival in shenyang "
            "too? when does it usually open",
            "shenyang-ice-snow-festival-2013",
        ),
    ],
)
def test_a_part_naming_shenyang_asks_about_it_whatever_city_the_rest_names(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, entry_id: str
) -> None:
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, entry_id)


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        (
            "在沈阳的日本企业多吗？都有哪些",
            "chicken-rack",
        ),  # "都有哪些" fits a chicken-rack phrasing
        ("沈阳韩国周一般几月份办？在哪个展馆", "equipment-manufacturing-expo-2024"),
        (
            "My grandfather used to tell me stories about the Young Marshal. Is his family home "
            "in Shenyang open to visitors? What is there to see?",
            "mukden-palace",
        ),
        ("北陵里面葬的是哪个黄帝啊？带娃去公园遛弯顺便看看，有没有啥讲究", "laobian-dumplings"),
        # The whole message ties three entries: its first is no topic for "any suggestions".
        (
            "Hi, our university wants to partner with a university in Shenyang, any "
            "suggestions which ones?",
            "itinerary",
        ),
    ],
)
def test_a_fragment_about_something_else_never_answers_for_the_message(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, not_this: str
) -> None:
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.answer_id != not_this
    whole = matcher.match(text, limit=5)
    assert found.matches[0].id != not_this or found.matches == whole.matches  # only as ranked


def test_a_part_naming_its_entry_may_stand_for_the_message(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # The whole message's best entry is Zhongjie; the question names local food outright.
    text = (
        "hello :) first time in china, staying near zhongjie for 3 nights. "
        "what dishes should we try while we are there?"
    )
    assert matcher.match(text).matches[0].id != "local-food"
    assert best_reading(matcher, shipped_kb, text, limit=5).answer_id == "local-food"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("こんにちは。来月出張で瀋陽に行きます。", "greeting"),
        ("Hi there. I'm coming to Shenyang next week for business.", "greeting"),
        ("谢谢你！很有帮助。下次再来问。", "thanks"),
        ("你好，我们一家三口下个月去沈阳玩", "greeting"),  # not the "你好，沈阳" promotion
        ("Hi, I'm coming to Shenyang next week for business.", "greeting"),
    ],
)
def test_a_greeting_followed_by_news_is_answered_as_a_greeting(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, entry: str
) -> None:
    assert best_reading(matcher, shipped_kb, text, limit=5).answer_id == entry


def test_a_greeting_before_a_question_leaves_the_question(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    found = best_reading(matcher, shipped_kb, "你好。请问沈阳故宫门票在哪里买？", limit=5)
    assert found.matches[0].id == "mukden-palace"
    unmarked = best_reading(matcher, shipped_kb, "Hi, where is the palace", limit=5)
    assert unmarked.matches[0].id == "mukden-palace"


def test_a_one_word_part_never_answers_for_the_message(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # "cars?" alone fitted the emergency numbers' entry (traffic accidents) at 72.6.
    text = "what does shenyang actually make? cars? planes?"
    assert best_reading(matcher, shipped_kb, text, limit=5).answer_id != "emergency-numbers"


def test_the_other_questions_of_a_message_are_found(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "Where can I exchange money, and do I need a VPN?"
    others = also_asked(matcher, shipped_kb, text, "money-exchange")
    assert [e.id for e in others] == ["vpn-internet"]
    two = also_asked(matcher, shipped_kb, "故宫门票多少钱？还有北陵怎么去？", "mukden-palace")
    assert [e.id for e in two] == ["zhaoling-tomb"]
    assert also_asked(matcher, shipped_kb, "Where can I exchange money?", "money-exchange") == []
    # A clause that only tells (where the writer stays) is no question of its own.
    chatty = "第一次去沈阳出差，住在太原街附近，晚上想吃点当地特色，有啥推荐的不？"
    assert "taiyuan-street" not in [e.id for e in also_asked(matcher, shipped_kb, chatty, "")]
    # A clause that points back asks about what was answered, not about another entry.
    palace = "I also want to see the old palace, is it open on mondays?"
    assert also_asked(matcher, shipped_kb, palace, "mukden-palace") == []


@pytest.mark.parametrize(
    "text",
    [
        "すみません、瀋陽でおいしい餃子のお店を教えてください！",  # a request asks
        "你好，推荐一下沈阳好吃的饺子",
        "Hi! tell me about good dumplings in Shenyang.",
    ],
)
def test_a_request_after_a_greeting_is_no_news(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str
) -> None:
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.matches[0].id != "greeting"


def test_keywords_after_a_greeting_are_a_question(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # No "?" and no question word, but the words alone are answered: not news after a greeting.
    found = best_reading(matcher, shipped_kb, "hey, quick question - shenyang metro lines", 5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, "getting-around")
    found = best_reading(matcher, shipped_kb, "你好，我们一家三口下个月去沈阳玩", 5)
    assert found.answer_id == "greeting"  # news only: the greeting invites the question


def test_a_question_of_its_own_breaks_a_tie_with_the_context(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = (
        "My wife and I are planning our first trip to China. how strong is the robot industry "
        "in shenyang really? heard it's one of China's hubs"
    )
    whole = matcher.match(text, limit=5)
    assert whole.evidence is not None and matcher.model.open_question(whole.evidence)
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, "robotics-industry")


def test_a_clause_of_the_question_is_no_question_of_its_own(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # "打车大概多久" alone is a question on taxis; here it is asked about the tomb.
    text = "东陵离市里远不远，打车大概多久？想去看看那个一百多级的台阶"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.outcome is not Outcome.ANSWER


def test_a_part_set_apart_by_a_space_answers_when_it_names_the_topic(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "张氏帅府要门票吗 学生有半价没"  # whole, the second part dilutes the first
    assert answered_apart(matcher, shipped_kb, text) == "zhang-mansion"


@pytest.mark.parametrize(
    "text",
    [
        "沈阳宜家在哪 坐地铁能到不",  # the part that asks names nothing: IKEA is not in the base
        "在沈阳只有一天半 想把经典的都逛了 怎么安排最划算 故宫 北陵 大帅府 顺序咋排",  # a list
    ],
)
def test_a_part_set_apart_by_a_space_is_no_fragment_answer(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str
) -> None:
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.answer_id not in ("getting-around", "zhang-mansion")


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("你好！我是从大阪来的，下个月要去沈阳出差，顺便想看看故宫 😊", "mukden-palace"),
        ("我说的是北陵，皇太极那个", "zhaoling-tomb"),
    ],
)
def test_the_one_place_a_message_that_asks_nothing_names_is_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, entry_id: str
) -> None:
    assert answered_apart(matcher, shipped_kb, text) == entry_id


def test_another_citys_place_told_of_is_not_answered_with_ours(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "下个月去北京出差，顺便想看看故宫 😊"  # Beijing's palace: our answer mentions Beijing
    assert best_reading(matcher, shipped_kb, text, limit=5).outcome is not Outcome.ANSWER


def test_a_place_named_as_a_landmark_is_not_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = (
        "Hey, I'm staying near Zhongjie for a few days. Is the old imperial palace within "
        "walking distance of there?"
    )
    assert matcher.match(text).answer_id == "zhongjie-street"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert found.answer_id is None and "mukden-palace" in [m.id for m in found.matches[:3]]
    found = best_reading(matcher, shipped_kb, "how do I get to Zhongjie from the palace?", 5)
    assert found.answer_id == "zhongjie-street"


def test_a_forum_sign_off_is_set_apart_like_thanks(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "沈阳地铁有几条线 在线等，谢谢大家了"
    assert answered_apart(matcher, shipped_kb, text) == "getting-around"


def test_the_one_place_named_beside_landmarks_is_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "空き時間に故宮を見学したいのですが、中街近くのホテルから歩いて行けますか？"
    found = best_reading(matcher, shipped_kb, text, limit=5)
    assert (found.outcome, found.answer_id) == (Outcome.ANSWER, "mukden-palace")
    # Only a landmark, no place of its own: not answered with the landmark.
    found = best_reading(matcher, shipped_kb, "故宫附近有什么好吃的", limit=5)
    assert found.answer_id != "mukden-palace"


def test_a_question_led_by_the_name_of_one_place_is_answered_with_it(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = "中街ってどんな所ですか？夜でも安全？"  # whole: "safe at night" is not in the answer
    assert answered_apart(matcher, shipped_kb, text) == "zhongjie-street"


@pytest.mark.parametrize(
    "text",
    [
        # Topics, not names of places: "German" of the Sino-German park, "飞机" of getting there.
        "Our German company needs to pay a supplier in Shenyang - how long do SWIFT transfers "
        "take and what documents will the Chinese bank want?",
        "第一次一个人出远门 充电宝能带上飞机吗 多少毫安以内可以",
    ],
)
def test_a_topic_keyword_is_no_place_to_answer_with(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str
) -> None:
    assert best_reading(matcher, shipped_kb, text, limit=5).outcome is not Outcome.ANSWER


def test_a_question_after_thanks_is_read_without_them(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    # "thx" tied the whole with the thank-you entry (53.7 against 51.8): offered, not answered.
    found = best_reading(matcher, shipped_kb, "ok thx. also are there trams in shenyang?", 5)
    assert found.answer_id == "modern-tram"


def test_the_question_between_greetings_and_thanks(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    assert without_pleasantries(matcher, shipped_kb, "thanks! and how do i get there") == (
        "and how do i get there"
    )
    assert without_pleasantries(matcher, shipped_kb, "谢谢！") == "谢谢！"  # nothing else asked


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("thanks! what should we eat in shenyang", "local-food"),  # had offered thanks first
        ("thanks a lot, very useful", "thanks"),  # the rest is no question of its own
    ],
)
def test_a_question_beside_thanks_is_the_question(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str, answer: str
) -> None:
    assert best_reading(matcher, shipped_kb, text, limit=5).answer_id == answer


@pytest.mark.parametrize("text", ["where can I try it", "where can I try it?"])
def test_a_short_message_pointing_at_nothing_named_is_not_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase, text: str
) -> None:
    # Had been the ice fishing season, whose phrasing "where can I try ice fishing" it shares.
    found = best_reading(matcher, shipped_kb, text, 5)
    assert found.outcome is Outcome.SUGGEST and found.answer_id is None


def test_a_long_message_pointing_back_at_what_it_said_is_still_answered(
    matcher: Matcher, shipped_kb: KnowledgeBase
) -> None:
    text = (
        "Polish passport, 3 weeks in shenyang for tourism – visa free? and until when is it valid"
    )
    assert best_reading(matcher, shipped_kb, text, 5).answer_id == "visa-free-entry"
