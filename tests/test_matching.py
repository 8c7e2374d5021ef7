from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from bot.knowledge import Entry, KnowledgeBase, load_knowledge_or_raise
from bot.matching import Matcher, Outcome


@pytest.fixture(scope="module")
def matcher(shipped_kb: KnowledgeBase) -> Matcher:
    return Matcher.build(shipped_kb)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("瀋陽故宮の入場料は?", "mukden-palace"),
        ("沈阳故宫门票", "mukden-palace"),
        ("瀋陽故宮怎麼去", "mukden-palace"),
        ("mukdem palace opening hours", "mukden-palace"),  # typo
        ("渾南科技城とは", "hunnan-science-tech-city"),
        ("hello", "greeting"),
        ("ありがとう", "thanks"),
        ("你能做什么", "bot-capabilities"),
        ("police phone number in china", "emergency-numbers"),
    ],
)
def test_answers(matcher: Matcher, question: str, expected: str) -> None:
    result = matcher.match(question)
    assert result.outcome is Outcome.ANSWER, result
    assert result.answer_id == expected


def test_colloquial_chinese_finds_the_written_phrasing(matcher: Matcher) -> None:
    # "啥" once matched only "沈阳清真美食街有啥好吃的" and answered with the halal food street.
    assert matcher.match("沈阳有啥好吃的").answer_id == "local-food"


def test_chat_shorthand_finds_the_written_phrasing(matcher: Matcher) -> None:
    # "u" had matched the U.S. consulate's "us" and answered with it (71.0).
    assert matcher.match("what can u do?").answer_id == "bot-capabilities"


def test_traditional_japanese_and_simplified_match_the_same_phrasing(matcher: Matcher) -> None:
    ids = {matcher.match(q).matches[0].id for q in ("瀋陽故宮", "沈陽故宮", "沈阳故宫")}
    assert ids == {"mukden-palace"}
    scores = {matcher.match(q).matches[0].score for q in ("瀋陽故宮", "沈陽故宮", "沈阳故宫")}
    assert len(scores) == 1


@pytest.mark.parametrize(
    "question",
    [
        "What is the stock price of Toyota today?",
        "how do I reverse a linked list in python",
        "大阪城の営業時間は？",
        "北京有什么好酒店",
        "Harbin ice festival ticket prices",
    ],
)
def test_out_of_scope_is_never_a_confident_answer(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).answer_id is None


def test_three_outcomes(fixture_kb: KnowledgeBase) -> None:
    matcher = Matcher.build(fixture_kb)
    assert matcher.match("Where is the Mukden Palace?").outcome is Outcome.ANSWER
    assert matcher.match("xylophone quantum").outcome is Outcome.UNKNOWN
    vague = matcher.match("expo tokyo")  # half of one entry, half of another: not sure
    assert vague.outcome is Outcome.SUGGEST
    assert {m.id for m in vague.matches[:2]} == {"tokyo-event", "future-fair"}
    assert vague.answer_id is None


def test_the_top_score_is_the_best_matchs_or_zero(matcher: Matcher) -> None:
    found = matcher.match("Where is the Mukden Palace?")
    assert found.top_score == found.matches[0].score > 0
    assert matcher.match("").top_score == 0.0


def test_matches_are_ranked_and_bounded(matcher: Matcher) -> None:
    result = matcher.match("Shenyang museum", limit=3)
    assert len(result.matches) == 3
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert matcher.match("Shenyang museum", limit=0).matches == ()


@pytest.mark.parametrize(
    "text", ["", "   ", "?!?!", "🙂🙂🙂", "\x00\x07\x1b[31m", "瀋" * 10_000, "a " * 5_000]
)
def test_odd_input_never_raises(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.outcome in Outcome


def test_a_misspelt_word_still_finds_its_entry(matcher: Matcher) -> None:
    # "mukdem"/"palase" are in no phrasing: candidates come through the spelling index.
    assert matcher.match("mukdem palase").matches[0].id == "mukden-palace"


def test_index_build_is_repeatable(shipped_kb: KnowledgeBase) -> None:
    first, second = Matcher.build(shipped_kb), Matcher.build(shipped_kb)
    for question in ("瀋陽故宮", "visa", "地铁"):
        assert first.match(question) == second.match(question)


def test_the_normal_forms_loading_made_index_as_normalizing_afresh_does(
    shipped_kb: KnowledgeBase,
) -> None:
    assert shipped_kb.normal  # loading hands its normalized phrasings on to the matcher
    afresh = KnowledgeBase.of(shipped_kb.entries, shipped_kb.languages, shipped_kb.lexicon)
    assert not afresh.normal
    reused, normalized = Matcher.build(shipped_kb), Matcher.build(afresh)
    for question in ("瀋陽故宮", "visa", "地铁", "how do I get to the palace", "入場料は？"):
        assert reused.match(question) == normalized.match(question)


@pytest.mark.parametrize("question", ["when", "how", "where", "shenyang", "沈阳"])
def test_a_query_too_vague_to_tell_entries_apart_is_offered_not_answered(
    matcher: Matcher, question: str
) -> None:
    result = matcher.match(question)
    assert result.outcome is Outcome.SUGGEST, result
    assert len(result.matches) >= 2


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("hi", "greeting"),
        ("你好", "greeting"),
        ("business visa", "business-visa"),
        ("gugong", "mukden-palace"),  # the palace's Chinese name in pinyin, as visitors write it
        ("地铁", "getting-around"),
    ],
)
def test_a_short_query_that_names_one_entry_is_still_answered(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert matcher.match(question).answer_id == expected


def test_a_visa_question_of_another_nationality_is_not_the_japanese_citizens_page(
    matcher: Matcher,
) -> None:
    # "visa" alone had been a keyword of the business visa, written for Japanese citizens.
    for question in ("do indian citizens need visa for shenyang", "Russian citizens need visa?"):
        assert matcher.match(question).matches[0].id == "visa-free-entry"
    assert matcher.match("visa").answer_id is None  # whose visa: offered


def test_a_question_sharing_only_its_predicate_with_a_phrasing_is_not_answered(
    matcher: Matcher,
) -> None:
    # "冬でも大丈夫？" (after a sight: "OK in winter too?") had been the tap water's
    # "中国のホテルの水は飲んでも大丈夫？", on "でも大丈夫" alone.
    assert matcher.match("冬でも大丈夫？").answer_id is None
    assert matcher.match("水道水は大丈夫？").answer_id == "tap-water"


@pytest.mark.parametrize(
    ("question", "not_this"),
    [
        ("anything on in november", "investment-fdi-rewards"),  # its "november 2023" measures
        ("events in june", "hello-shenyang-tokyo-2023"),  # the Tokyo promotion of June 2023
    ],
)
def test_a_month_alone_does_not_answer_with_what_happened_in_it_once(
    matcher: Matcher, question: str, not_this: str
) -> None:
    assert matcher.match(question).answer_id != not_this


def test_two_entries_scoring_the_same_are_offered_not_answered() -> None:
    twins = [
        Entry(
            id=name,
            category="tourism",
            questions=MappingProxyType({"en": ("opening hours of the museum",)}),
            keywords=MappingProxyType({}),
            answer=MappingProxyType({"en": name}),
            source="test",
        )
        for name in ("first", "second")
    ]
    matcher = Matcher.build(KnowledgeBase.of(tuple(twins), ("en",)))
    result = matcher.match("opening hours of the museum")
    assert result.matches[0].score == result.matches[1].score == 100.0
    assert result.outcome is Outcome.SUGGEST


@pytest.mark.parametrize("question", ["any shopping street you'd recommend?", "shopping street"])
def test_a_keyword_two_entries_share_offers_both(matcher: Matcher, question: str) -> None:
    # Both streets hold "shopping street"; Taiyuan Street had led by 8–11 points and answered.
    result = matcher.match(question)
    assert {m.id for m in result.matches[:2]} == {"taiyuan-street", "zhongjie-street"}
    assert result.outcome is Outcome.SUGGEST


def test_two_entries_explaining_the_same_words_closely_are_offered(matcher: Matcher) -> None:
    # "the station of Shenyang": Shenyang Station and Shenyang North explain it alike, and one
    # phrasing's closeness had put the first ahead by under 5 points and answered it.
    result = matcher.match("瀋陽の駅はどこですか")
    assert result.outcome is Outcome.SUGGEST
    assert {"shenyang-station", "shenyang-north-station"} <= {m.id for m in result.matches[:3]}
    assert matcher.match("瀋陽駅ってどこにあるの？").answer_id == "shenyang-station"  # named


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("中街好逛吗", "zhongjie-street"),
        ("西塔晚上热闹吗", "xita-street"),
        ("日本领事馆管哪几个省", "japan-consulate"),
    ],
)
def test_a_phrasing_that_differs_by_the_name_alone_is_answered_with_the_name_asked(
    matcher: Matcher, question: str, entry_id: str
) -> None:
    # Taiyuan Street's "太原街好逛吗" / "太原街晚上热闹吗" had answered for Zhongjie and Xita, then
    # offered Taiyuan Street first; the US consulate's "美国领事馆管哪几个省" offered it first too.
    result = matcher.match(question)
    assert (result.outcome, result.answer_id) == (Outcome.ANSWER, entry_id)
    assert result.matches[1].score > result.matches[0].score  # the phrasing's own entry


def test_a_fluke_of_letters_on_too_little_said_is_not_answered(matcher: Matcher) -> None:
    # "what is there to do in shenyang" had scored 85 on "shenyang airport terminal" and answered
    # the airport; "what is there to do" is now a term of the sights concept.
    assert matcher.match("what is there to do in shenyang").answer_id == "itinerary"
    assert matcher.match("what is there in shenyang").answer_id != "taoxian-airport"


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("北京の故宮の予約方法を教えて", None),  # Beijing's palace, though ours mentions Beijing
        ("北京故宫门票多少钱", None),
        ("beijing's imperial palace tickets", None),
        ("沈阳故宫和北京故宫有什么区别", "mukden-palace"),  # ours is named too
        ("Mukden Palaceって北京の故宮とどう違うの？", "mukden-palace"),
        ("沈阳 札幌 姐妹城市", "sister-cities-japan"),  # side by side, not Sapporo's own
    ],
)
def test_another_citys_own_place_is_not_answered_as_ours(
    matcher: Matcher, question: str, answered: str | None
) -> None:
    assert matcher.match(question).answer_id == answered


def test_a_shared_keyword_beside_a_telling_one_still_answers(matcher: Matcher) -> None:
    assert matcher.match("zhongjie shopping street").answer_id == "zhongjie-street"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Long polite Japanese: the hiragana grammar must not outweigh the content words.
        ("瀋陽ではどんなスポーツが盛んですか", "sports"),
        ("瀋陽の姉妹都市について教えてください", "sister-cities-japan"),
        ("札幌と瀋陽の関係について知りたいです", "sister-cities-japan"),
    ],
)
def test_japanese_grammar_weighs_less_than_content(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert matcher.match(question).answer_id == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Chatty Chinese around a known phrasing: extra characters are forgiven like extra words.
        ("请介绍一下沈阳的历史和文化吧", "history-culture"),
        ("想问问沈阳有什么好吃的东西", "local-food"),
    ],
)
def test_extra_cjk_characters_are_forgiven_like_extra_words(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert matcher.match(question).answer_id == expected


@pytest.mark.parametrize(
    "question",
    [
        "Shanghai metro card",
        "上海の地下鉄の乗り方",
        "哈尔滨冰雪大世界门票",
        "Is there a metro in Dalian?",
        "Changbai mountain from Shenyang - worth it in winter?",  # Jilin's mountain
        "Summer Palace in Beijing - how long do you need there?",  # not the palace here
    ],
)
def test_a_question_about_another_city_is_not_answered_as_if_about_shenyang(
    matcher: Matcher, question: str
) -> None:
    result = matcher.match(question)
    assert result.answer_id is None
    assert result.matches  # the Shenyang entries that look alike are still offered


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("北京坐高铁到沈阳多久", "getting-there"),  # the entry names Beijing
        ("沈阳和札幌是友好城市吗", "sister-cities-japan"),  # … and this one Sapporo
        ("长白岛森林公园咋样", "city-walks"),  # Changbai Island is a park of ours, no mountain
    ],
)
def test_another_city_the_entry_talks_about_is_still_answered(
    matcher: Matcher, question: str, expected: str
) -> None:
    assert matcher.match(question).answer_id == expected


@pytest.mark.parametrize("question", ["is it?", "is it open?", "what is it"])
def test_a_query_of_grammar_alone_is_not_answered(matcher: Matcher, question: str) -> None:
    # "it", in one phrasing only ("hunnan technology city … what is it"), made "is it?" score 89
    # for that entry and be answered with it.
    assert matcher.match(question).answer_id != "hunnan-science-tech-city"


def test_keywords_name_their_entries(matcher: Matcher) -> None:
    assert matcher.named_in("那冰雪节什么时候") == ("shenyang-ice-snow-festival-2013",)
    assert "mukden-palace" in matcher.named_in("tickets for the mukden palace please")
    assert matcher.named_in("is it open on mondays") == ()
    # Not the city's name, a keyword of the overview; not another city's, one of trains.
    assert matcher.named_in("瀋陽で駐在員向けのサービスアパートの家賃相場") == ()
    assert matcher.named_in("大連のビーチ") == ()
    # A keyword two entries share names both.
    assert set(matcher.named_in("那皇陵呢")) == {"zhaoling-tomb", "fuling-tomb"}


_CITY_KEYWORD = """category: tourism
entries:
  - id: about
    questions: {zh: [沈阳概况], ja: [瀋陽について], en: [shenyang overview, about shenyang]}
    keywords: {en: [shenyang]}
    answer: {zh: 概况。, ja: 概要。, en: Overview.}
    source: test
    updated: 2026-11-01
  - id: palace
    questions: {zh: [故宫], ja: [故宮], en: [shenyang palace, palace tickets in shenyang]}
    keywords: {en: [mukden]}
    answer: {zh: 故宫。, ja: 故宮。, en: Palace.}
    source: test
    updated: 2026-11-01
  - id: tomb
    questions: {zh: [北陵], ja: [北陵], en: [shenyang tomb, beiling in shenyang]}
    answer: {zh: 北陵。, ja: 北陵。, en: Tomb.}
    source: test
    updated: 2026-11-01
"""


def test_a_keyword_most_entries_share_says_little(tmp_path: Path) -> None:
    # "shenyang" as a keyword of the overview gave it 8 points on every question naming the city.
    (tmp_path / "places.yaml").write_text(_CITY_KEYWORD, encoding="utf-8")
    matcher = Matcher.build(load_knowledge_or_raise(tmp_path))
    for question in ("shenyang palace opening", "tomb in shenyang", "shenyang tickets palace"):
        assert matcher.match(question).matches[0].id != "about", question
    # Questions nothing here answers are not answered with the overview for naming the city.
    for question in ("shenyang weather", "shenyang hotels"):
        assert matcher.match(question).outcome is not Outcome.ANSWER, question


def test_a_common_verb_seen_once_does_not_pick_the_entry(matcher: Matcher) -> None:
    # "take" appeared in one phrasing of money-exchange, which then answered this at 71.5.
    assert matcher.match("where can I take Chinese lessons in Shenyang?").answer_id != (
        "money-exchange"
    )


def test_a_latin_keyword_beside_japanese_counts(matcher: Matcher) -> None:
    # "vpn" is a keyword of vpn-internet; written "VPNは…" it had not counted, and the bot
    # offered three entries instead of answering.
    assert matcher.match("VPNは必要ですか").answer_id == "vpn-internet"


def test_chat_laughter_says_nothing_of_the_topic(matcher: Matcher) -> None:
    # "lol" is in one phrasing of the chicken rack, which answered "tell me a joke lol".
    assert matcher.match("tell me a joke lol").answer_id is None
    assert matcher.match("what's a chicken rack lol").answer_id == "chicken-rack"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("where to get a haircut from someone who speaks English", None),
        ("piano lessons for my 8yo in shenyang, english speaking teacher?", None),
        ("Are there English-speaking doctors in Shenyang?", "hospitals-foreign-language"),
        ("英語が話せる病院はありますか", "hospitals-foreign-language"),
    ],
)
def test_who_speaks_english_qualifies_what_is_asked(
    matcher: Matcher, question: str, expected: str | None
) -> None:
    # "english speaking" alone had answered the entry on getting by without Chinese.
    assert matcher.match(question).answer_id == expected


@pytest.mark.parametrize(
    "question",
    [
        "在沈阳打车怎么要发票啊？",
        "タクシーってメーター制ですか？経費精算用に領収書ってもらえる？",
        "do taxis use meters? can I get a receipt for my expenses?",
    ],
)
def test_taxi_receipts_and_meters_are_the_fares_entry(matcher: Matcher, question: str) -> None:
    # Only its answer speaks of them; getting around (metro, taxis, paying) had been first.
    assert matcher.match(question).matches[0].id == "metro-taxi-fares"


@pytest.mark.parametrize(
    "question",
    [
        "9月18日に瀋陽にいると街中でサイレンが鳴るって本当ですか？",
        "why do air-raid sirens sound in shenyang every september?",
    ],
)
def test_the_sirens_of_18_september_are_the_museums(matcher: Matcher, question: str) -> None:
    # Its answer tells of the ceremony and the city's air-raid sirens; no keyword had said so.
    assert matcher.match(question).answer_id == "september-18-museum"


def test_press_enquiries_are_the_press_office(matcher: Matcher) -> None:
    # "press enquiries" had offered the investment contact first.
    found = matcher.match("Who handles press enquiries for the city government?")
    assert found.answer_id == "press-office"


@pytest.mark.parametrize("question", ["are you a real person?", "你是真人吗"])
def test_asking_whether_the_bot_is_a_person_is_what_it_can_do(
    matcher: Matcher, question: str
) -> None:
    assert matcher.match(question).answer_id == "bot-capabilities"


@pytest.mark.parametrize("question", ["is the old palace worth it?", "manchu palace opening hours"])
def test_the_palace_by_its_everyday_english_names(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).answer_id == "mukden-palace"


def test_running_alone_does_not_name_the_marathon(matcher: Matcher) -> None:
    # "is the metro still running late at night?" had the marathon named outright.
    assert "shenyang-marathon-2019" not in matcher.named_in("is the metro still running late?")
    assert "shenyang-marathon-2019" in matcher.named_in("is there a running race in shenyang?")
