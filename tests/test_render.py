"""Rendering in one language: sources on demand, the taxi card, aspect answers."""

from __future__ import annotations

from dataclasses import replace

from bot.assistant import Assistant, User
from bot.brain import Brain
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase
from bot.render_details import taxi_card

from .support.buttons import bare

EN = User(1, "en", chat_id=1)
JA = User(2, "ja", chat_id=2)
ZH = User(3, "zh", chat_id=3)


def labels(reply: object) -> list[str]:
    return [b.label for row in reply.buttons for b in row]  # type: ignore[attr-defined]


def data(reply: object) -> list[str]:
    return [bare(b.action) for row in reply.buttons for b in row if b.action]  # type: ignore[attr-defined]


def test_answers_carry_no_bibliography_but_a_sources_button(assistant: Assistant) -> None:
    reply = assistant.ask(EN, "Where is the Mukden Palace?")
    assert "Source" not in reply.text and "Test fixture" not in reply.text
    assert "src:palace" in data(reply) and "ℹ️ Sources" in labels(reply)
    sources = assistant.press(EN, "src:palace:en")
    assert "Test fixture" in sources.text and "checked Nov 1, 2026" in sources.text


def test_the_taxi_card_is_for_readers_who_do_not_read_chinese(assistant: Assistant) -> None:
    assert "taxi:palace" in data(assistant.ask(JA, "瀋陽故宮はどこですか"))
    assert "taxi:palace" in data(assistant.ask(EN, "Where is the Mukden Palace?"))
    assert "taxi:palace" not in data(assistant.ask(ZH, "沈阳故宫在哪里"))
    card = assistant.press(JA, "taxi:palace:ja")
    assert "運転手さんにこの画面を見せてください" in card.text
    assert "<b>沈阳市沈河区沈阳路171号</b>" in card.text and "请送我到这个地址" in card.text
    assert "map:palace" in data(card)


def test_an_entry_without_an_address_has_no_taxi_card(assistant: Assistant) -> None:
    reply = assistant.ask(EN, "When was the Tokyo promotion event?")
    assert not [d for d in data(reply) if d.startswith("taxi:")]


def test_facts_answer_an_aspect_in_a_line_in_the_readers_language(assistant: Assistant) -> None:
    assistant.ask(EN, "Where is the Mukden Palace?")
    hours = assistant.ask(EN, "opening hours?")
    assert hours.aspect == "hours" and "Test hours: opens at 9." in hours.text
    assert ("🔗 Official website", "https://example.org/museum") in [
        (b.label, b.url) for row in hours.buttons for b in row
    ]
    zh = assistant.ask(ZH, "沈阳故宫几点开门")
    assert zh.aspect == "hours" and "测试用开放时间" in zh.text


def test_a_missing_fact_is_said_plainly_with_the_official_site_and_phone(
    assistant: Assistant,
) -> None:
    assistant.ask(JA, "瀋陽故宮はどこですか")
    reply = assistant.ask(JA, "入場料は？")
    assert reply.aspect == "price" and "まだ確かな情報がありません" in reply.text
    assert "公式サイトでご確認ください" in reply.text and "☎ +86 24 0000 0000" in reply.text


def test_a_missing_fact_without_an_official_site_points_to_the_source_not_an_official_site(
    assistant: Assistant, fixture_kb: KnowledgeBase
) -> None:
    palace = fixture_kb.get("palace")
    assert palace is not None and palace.facts is not None and palace.links
    sourced = replace(palace, facts=replace(palace.facts, website=None))
    entries = tuple(sourced if e.id == "palace" else e for e in fixture_kb.entries)
    lexicon = fixture_kb.lexicon
    assistant.brain = Brain.of(KnowledgeBase.of(entries, fixture_kb.languages, lexicon))
    assistant.ask(EN, "Where is the Mukden Palace?")
    reply = assistant.ask(EN, "how much is a ticket?")
    assert reply.aspect == "price" and "The source below may say more." in reply.text
    assert "official site" not in reply.text


def test_the_taxi_card_shows_the_full_chinese_address_from_the_facts(assistant: Assistant) -> None:
    card = assistant.press(EN, "taxi:palace:en")
    assert "<b>沈阳市沈河区沈阳路171号</b>" in card.text


def test_a_time_sensitive_answer_says_when_it_was_checked(
    assistant: Assistant, fixture_kb: KnowledgeBase
) -> None:
    assert "Checked" not in assistant.ask(EN, "Where is the Mukden Palace?").text
    palace = fixture_kb.get("palace")
    assert palace is not None
    stale = replace(fixture_kb, entries=(replace(palace, time_sensitive=True),))
    assistant.brain = Brain.of(KnowledgeBase.of(stale.entries, stale.languages))
    assert "<i>Checked Nov 2026</i>" in assistant.ask(EN, "Where is the Mukden Palace?").text
    assert "信息核实于2026年11月" in assistant.ask(ZH, "沈阳故宫在哪里").text


def test_the_taxi_card_names_the_place_not_the_entry(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    # A driver had been shown "如何到达沈阳" (the entry's title) above the airport's address, and
    # "外语就医" above the hospital's, whose address names the hospital.
    chinese = catalogs.voice("zh")
    airport = shipped_kb.get("getting-there")
    hospital = shipped_kb.get("hospitals-foreign-language")
    assert airport is not None and hospital is not None
    card = taxi_card(catalogs.voice("ja"), airport, chinese)
    assert "<b>沈阳桃仙国际机场</b>" in card.text and "如何到达沈阳" not in card.text
    card = taxi_card(catalogs.voice("en"), hospital, chinese)
    assert "外语就医" not in card.text and "盛京医院" in card.text
