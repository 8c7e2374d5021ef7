"""What a message typed after "Did you mean…" asks of the entries offered (bot/offers.py)."""

from __future__ import annotations

import pytest

from bot.brain import Brain
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase
from bot.offers import asked_of_offer

from .support.fake_request import NOW

TOMBS = ("zhaoling-tomb", "fuling-tomb")


@pytest.fixture(scope="module")
def brain(shipped_kb: KnowledgeBase) -> Brain:
    return Brain.of(shipped_kb)


def test_a_short_reply_naming_one_offered_entry_picks_it(brain: Brain, catalogs: Catalogs) -> None:
    asked = asked_of_offer(brain, "北陵那个", catalogs.voice("zh"), NOW, TOMBS)
    assert asked is not None and [e.id for e in asked[1]] == ["zhaoling-tomb"]


def test_an_aspect_of_it_is_asked_of_the_offered_entries_that_say_it(
    brain: Brain, catalogs: Catalogs
) -> None:
    offered = ("mukden-palace", "zhongjie-street", "hotels-registration")
    asked = asked_of_offer(brain, "what time does it close?", catalogs.voice("en"), NOW, offered)
    assert asked is not None and asked[0] is not None and asked[0].id == "hours"
    assert [e.id for e in asked[1]] == ["mukden-palace"]  # the one of them that says


@pytest.mark.parametrize("text", ["谢啦🙏", "how are you today?"])
def test_thanks_and_small_talk_are_not_put_to_the_offer(
    brain: Brain, catalogs: Catalogs, text: str
) -> None:
    offered = ("emergency-numbers",)
    assert asked_of_offer(brain, text, catalogs.voice("zh"), NOW, offered) is None


def test_nothing_on_offer_asks_nothing_of_it(brain: Brain, catalogs: Catalogs) -> None:
    assert asked_of_offer(brain, "几点关门", catalogs.voice("zh"), NOW, ()) is None


def test_a_question_another_entry_answers_on_its_own_is_not_put_to_the_offer(
    brain: Brain, catalogs: Catalogs
) -> None:
    offered = ("shenyang-station", "about-shenyang", "history-culture")
    assert asked_of_offer(brain, "太原街は？", catalogs.voice("ja"), NOW, offered) is None


def test_an_offered_entry_whose_answer_holds_no_word_of_the_question_is_not_it(
    brain: Brain, catalogs: Catalogs
) -> None:
    # "银行要带啥" (what to bring to the bank) had been given the time zone, offered before.
    offered = ("time-zone", "about-shenyang", "getting-there")
    asked = asked_of_offer(brain, "银行要带啥", catalogs.voice("zh"), NOW, offered)
    assert asked is None or asked[1] == []
