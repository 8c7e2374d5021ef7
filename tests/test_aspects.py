"""What an entry says about one aspect: a sentence counts only with the figure the aspect asks
for, and a price asked of an entry that quotes none is said first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.aspects import applies, aspect_text, is_place
from bot.assistant import Assistant, User
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.store import Store

from .support.fake_request import NOW

EN = User(5, "en", chat_id=5)
ZH = User(6, "zh", chat_id=6)

_KB = """category: living
entries:
  - id: trains
    questions: {zh: [火车票], ja: [切符], en: [train tickets, taxi from the airport]}
    answer:
      zh: 火车票请在12306购买。出租车到处都有。
      ja: 切符は12306で。
      en: Book train tickets on 12306. Taxis are everywhere. The museum ticket costs 30 yuan.
    source: test
    updated: 2026-11-01
"""
_LEXICON = """aspects:
  - id: access
    label: {zh: 交通方式, ja: 行き方, en: directions}
    terms: {zh: [怎么去], ja: [行き方], en: [get there]}
  - id: price
    label: {zh: 价格, ja: 料金, en: prices}
    terms: {zh: [多少钱], ja: [料金], en: [how much, ticket, tickets]}
  - id: hours
    label: {zh: 开放时间, ja: 営業時間, en: opening hours}
    terms: {zh: [几点], ja: [何時], en: [opening hours, taxis]}
"""


@pytest.fixture
def knowledge(tmp_path: Path) -> KnowledgeBase:
    (tmp_path / "living.yaml").write_text(_KB, encoding="utf-8")
    (tmp_path / "_lexicon.yaml").write_text(_LEXICON, encoding="utf-8")
    return load_knowledge_or_raise(tmp_path)


def test_a_sentence_counts_only_with_the_figure_its_aspect_asks_for(
    knowledge: KnowledgeBase, catalogs: Catalogs
) -> None:
    entry, (_access, price, hours) = knowledge.entries[0], knowledge.lexicon.aspects
    said = aspect_text(entry, price, catalogs.voice("en"), NOW)
    assert said == "The museum ticket costs 30 yuan."  # not "Book train tickets on 12306."
    assert aspect_text(entry, price, catalogs.voice("zh"), NOW) is None  # 12306 is no price
    assert aspect_text(entry, hours, catalogs.voice("en"), datetime(2026, 12, 1)) is None


def test_a_price_asked_of_an_entry_that_quotes_none_is_said_first(
    knowledge: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(knowledge, catalogs, store)
    assert assistant.ask(ZH, "火车票").entry_id == "trains"
    # Right after the whole entry, the missing directions are said in a line, not the entry again
    line = assistant.ask(ZH, "怎么去")
    assert (line.entry_id, line.aspect) == ("trains", "access")
    assert line.text.startswith("关于") and "12306" not in line.text
    reply = assistant.ask(ZH, "多少钱")  # after a line, the entry follows the note
    assert reply.entry_id == "trains" and reply.text.startswith("<i>这方面我没有具体价格")
    assert "12306" in reply.text  # the whole entry follows
    assert reply.aspect == "price"  # the price was answered: by saying there is none
    plain = assistant.ask(EN, "train tickets")
    assert "I don't have prices" not in plain.text and plain.aspect is None


def test_directions_asked_of_an_entry_without_them_are_said_first(
    knowledge: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(knowledge, catalogs, store)
    assistant.ask(EN, "train tickets")
    line = assistant.ask(EN, "opening hours?")  # just read whole: said in a line
    assert line.aspect == "hours" and "I have nothing yet on opening hours." in line.text
    reply = assistant.ask(EN, "how do I get there?")
    assert reply.entry_id == "trains"
    assert reply.text.startswith("<i>I don't have directions for this; here is what I know.</i>")
    # Both are gaps the curators' report lists against the entry, not answers.
    assert line.lacking and reply.lacking
    outcomes = [(q.outcome, q.answer_id) for q in store.questions()]
    assert outcomes == [("answer", "trains"), ("lacking", "trains"), ("lacking", "trains")]


def test_a_phone_number_asked_after_a_place_is_its_number_or_said_missing(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "老边饺子在哪").entry_id == "laobian-dumplings"
    reply = assistant.ask(ZH, "电话呢")
    assert reply.entry_id == "laobian-dumplings" and "☎ 024-24843956" in reply.text
    # The consulate's answer sends people to its website for numbers: said, not another entry.
    assert assistant.ask(EN, "where is the japanese consulate").entry_id == "japan-consulate"
    reply = assistant.ask(EN, "what is the phone number?")
    assert reply.entry_id == "japan-consulate"
    assert "I have nothing yet on a phone number." in reply.text
    # A service with facts but no number (the hospital) says so too, not its whole text again.
    assert assistant.ask(EN, "hospital with english speaking doctors").entry_id == (
        "hospitals-foreign-language"
    )
    reply = assistant.ask(EN, "phone number?")
    assert reply.entry_id == "hospitals-foreign-language" and reply.aspect == "phone"


def test_a_phone_card_or_the_emergency_numbers_are_no_phone_number_question(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "沈阳报警电话是多少").entry_id == "emergency-numbers"
    assert assistant.ask(ZH, "沈阳怎么买电话卡").entry_id == "sim-mobile-internet"
    assert assistant.ask(EN, "Can I use my phone in China?").entry_id == "sim-mobile-internet"


def test_a_number_to_dial_is_the_figure_of_a_phone_sentence(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    phone = next(a for a in shipped_kb.lexicon.aspects if a.id == "phone")
    sim = shipped_kb.get("sim-mobile-internet")
    assert sim is not None
    said = aspect_text(sim, phone, catalogs.voice("zh"), NOW)
    assert said is not None and "10086" in said
    food = shipped_kb.get("laobian-dumplings")
    assert food is not None
    assert aspect_text(food, phone, catalogs.voice("en"), NOW) == "☎ 024-24843956"


def test_where_to_eat_is_the_address_of_a_place_and_the_whole_answer_of_a_dish(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    reply = assistant.ask(EN, "Where can I eat Laobian dumplings?")
    assert (reply.entry_id, reply.aspect) == ("laobian-dumplings", "location")
    food = assistant.ask(User(7, "en", chat_id=7), "where can I eat local food in shenyang?")
    assert food.entry_id == "local-food" and food.aspect is None
    assert "I don't have the address" not in food.text


@pytest.mark.parametrize(
    "question",
    ["when's the best time to visit Shenyang? I really hate the cold", "沈阳什么时候去最好"],
)
def test_when_asked_of_what_is_no_event_is_its_whole_answer(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store, question: str
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    reply = assistant.ask(User(1, "en"), question)
    assert (reply.entry_id, reply.aspect) == ("best-season", None)
    assert "I don't have dates" not in reply.text and "没有" not in reply.text.split("\n")[0]
    season = shipped_kb.get("best-season")
    dates = next(a for a in shipped_kb.lexicon.aspects if a.id == "dates")
    assert season is not None and not applies(season, dates)


def test_where_a_company_or_zone_is_comes_from_its_answer(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    location = next(a for a in shipped_kb.lexicon.aspects if a.id == "location")
    siasun = shipped_kb.get("siasun-robotics")
    assert siasun is not None and applies(siasun, location)
    said = aspect_text(siasun, location, catalogs.voice("en"), NOW)
    assert said is not None and "headquartered in Hunnan District" in said
    city = shipped_kb.get("hunnan-science-tech-city")
    assert city is not None
    japanese = aspect_text(city, location, catalogs.voice("ja"), NOW)
    assert japanese is not None and japanese.startswith("瀋陽渾南科技城")  # a whole sentence
    food = shipped_kb.get("local-food")  # no seat: where to eat is its whole answer
    assert food is not None and not applies(food, location)


def test_the_headquarters_asked_after_a_company_is_its_district(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "新松是做什么的").entry_id == "siasun-robotics"
    reply = assistant.ask(ZH, "总部在哪个区")  # had been the whole answer again
    assert (reply.entry_id, reply.aspect) == ("siasun-robotics", "location")
    assert "浑南区" in reply.text


def test_a_trip_s_length_is_read_from_its_answer_but_not_a_visa_s(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "沈阳去大连坐高铁").entry_id == "trains-northeast"
    reply = assistant.ask(ZH, "得多长时间")  # had been the whole entry again
    assert (reply.entry_id, reply.aspect) == ("trains-northeast", "duration")
    assert "3个半小时" in reply.text  # Dalian's line too, not only Beijing's
    visa = assistant.ask(User(5, "en", chat_id=5), "how long can germans stay without visa")
    assert visa.entry_id == "visa-free-entry" and visa.aspect is None  # 30 days, not "240 hours"


def test_a_follow_up_in_the_topic_s_own_words_stays_on_the_topic(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    user = User(6, "en", chat_id=6)
    assert assistant.ask(user, "do germans need a visa for shenyang?").entry_id == "visa-free-entry"
    stay = assistant.ask(user, "how long can i stay")  # had been the hotels' 24-hour registration
    assert (stay.entry_id, stay.outcome) == ("visa-free-entry", "answer")
    assert "30 days" in stay.text


@pytest.mark.parametrize(
    ("entry_id", "place"),
    [("mukden-palace", True), ("shenyang-marathon-2019", True), ("tap-water", False)],
)
def test_there_points_at_places_sights_and_events_only(
    shipped_kb: KnowledgeBase, entry_id: str, place: bool
) -> None:
    entry = shipped_kb.get(entry_id)
    assert entry is not None and is_place(entry) is place


def test_a_service_asked_there_is_no_question_of_the_topic(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "瀋陽冬天會很冷嗎").entry_id == "best-season"
    reply = assistant.ask(ZH, "在那邊可以用LINE跟Google嗎")  # had been the climate's answer again
    assert (reply.outcome, reply.entry_id) == ("suggest", None)
    assert "VPN" in reply.buttons[0][0].label


def test_a_question_the_topic_answers_nearly_as_well_stays_on_it(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store
) -> None:
    assistant = Assistant(shipped_kb, catalogs, store)
    assert assistant.ask(ZH, "沈阳概况介绍一下").entry_id == "about-shenyang"
    reply = assistant.ask(ZH, "人口多少")  # had been Shenbei's 619,375 people
    assert reply.entry_id == "about-shenyang" and "9,070,093" in reply.text.replace("，", ",")
