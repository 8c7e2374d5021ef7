"""What is shown of an entry whose whole answer was just read (bot/rereads.py), through the
assistant on the shipped knowledge base."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.assistant import Assistant, User
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase
from bot.store import Store

from .support.fake_request import NOW


@pytest.fixture
def shipped(
    shipped_kb: KnowledgeBase, catalogs: Catalogs, store: Store, clock: list[datetime]
) -> Assistant:
    return Assistant(shipped_kb, catalogs, store, clock=lambda: clock[0])


def _labels(reply_buttons: tuple[tuple[object, ...], ...]) -> list[str]:
    return [getattr(button, "label", "") for row in reply_buttons for button in row]


def test_a_follow_up_after_the_whole_answer_gets_the_line_it_asks(shipped: Assistant) -> None:
    user = User(31, "zh", chat_id=31)
    whole = shipped.ask(user, "沈阳和日本哪些城市是友好城市")
    assert whole.entry_id == "sister-cities-japan" and "札幌" in whole.text
    kawasaki = shipped.ask(user, "那川崎呢")  # had been the whole answer again
    assert kawasaki.entry_id == "sister-cities-japan"
    assert "1981年8月18日" in kawasaki.text and "札幌" not in kawasaki.text
    assert "📖 查看完整介绍" in _labels(kawasaki.buttons)  # and the related entries still
    assert len(kawasaki.buttons) == len(whole.buttons) + 1


def test_the_line_is_given_in_english_too(shipped: Assistant) -> None:
    user = User(32, "en", chat_id=32)
    assert shipped.ask(user, "what is chicken rack lol").entry_id == "chicken-rack"
    spicy = shipped.ask(user, "is it spicy")
    assert "spicy-numbing" in spicy.text and "Cooked every way" not in spicy.text


def test_nothing_more_is_said_plainly_when_no_line_stands_out(shipped: Assistant) -> None:
    user = User(33, "en", chat_id=33)
    whole = shipped.ask(user, "what is chicken rack lol")
    more = shipped.ask(user, "where to get it")  # no line says "get": not the article again
    assert (more.outcome, more.entry_id) == ("answer", "chicken-rack")
    assert "I have nothing on that beyond the answer above." in more.text and len(more.text) < len(
        whole.text
    )
    assert "📖 Full answer" in _labels(more.buttons)
    # A gap the curators see: the question is logged as one the entry does not answer.
    assert more.lacking and not whole.lacking
    assert [q.outcome for q in shipped.store.questions()] == ["answer", "lacking"]


def test_the_whole_answer_when_named_and_nothing_once_long_ago(
    shipped: Assistant, clock: list[datetime]
) -> None:
    user = User(34, "en", chat_id=34)
    whole = shipped.ask(user, "what is chicken rack lol")
    # Named, it is asked whole, unless a line stands out; long after, "it" is nothing any more.
    assert shipped.ask(user, "tell me about the chicken rack").text == whole.text
    spicy = shipped.ask(user, "chicken rack, is it spicy")
    assert "spic" in spicy.text and len(spicy.text) < len(whole.text)
    clock[0] = NOW + timedelta(minutes=45)
    assert "spicy-numbing" not in shipped.ask(user, "is it spicy").text


def test_a_language_asked_after_a_line_shows_the_whole_answer_in_it(shipped: Assistant) -> None:
    user = User(35, "ja", chat_id=35)
    shipped.ask(user, "札幌市国際部の者です。瀋陽との姉妹都市交流について教えてください")
    assert "札幌" not in shipped.ask(user, "川崎は？").text  # Kawasaki's line
    english = shipped.ask(user, "英語で教えて")
    # Had been "I have nothing more on this…": "英語で教えて" asks no line of the answer.
    assert english.outcome == "switch" and "Sapporo" in english.text and "Kawasaki" in english.text


def test_a_message_naming_the_entry_gets_the_line_its_other_words_ask(shipped: Assistant) -> None:
    user = User(36, "ja", chat_id=36)
    whole = shipped.ask(user, "瀋陽の日本の姉妹都市はどこですか？")
    # "友好都市" names the entry: the whole list had come again, seven times for one tester.
    line = shipped.ask(user, "浜松市と瀋陽はいつから友好都市なんですか？")
    assert line.entry_id == "sister-cities-japan" and "浜松" in line.text
    assert "札幌" not in line.text and len(line.text) < len(whole.text)


def test_a_keyword_that_does_not_name_the_entry_still_picks_its_line(shipped: Assistant) -> None:
    user = User(39, "zh", chat_id=39)
    assert shipped.ask(user, "沈阳的历史").entry_id == "history-culture"
    reply = shipped.ask(user, "努尔哈赤什么时候迁都沈阳的")
    # 努尔哈赤 is a keyword of the history, not its name: without it, the line on 1644 (to
    # Beijing) had been the answer.
    assert "1625年" in reply.text and "1644年" not in reply.text
