"""Events through the conversation core (bot/event_desk.py, bot/event_text.py, the dates aspect
in bot/aspects.py): "when" answers with the next announced edition or the usual pattern, a past
edition never gets a calendar file or a reminder, /events with its sections and filters, and
following: one notice per follower and edition, also after a restart and another reload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from bot.assistant import Assistant, User, load_brain
from bot.i18n import Catalogs
from bot.replies import Reply
from bot.store import Store

from .support.buttons import bare
from .support.fake_request import NOW
from .support.series_kb import write_series_kb

EN = User(1, "en", chat_id=1)
JA = User(2, "ja", chat_id=2)
ZH = User(3, "zh-hans", chat_id=3)
ADMIN = User(9, "en", chat_id=9)

Open = Callable[..., Assistant]


def actions(reply: Reply) -> list[str]:
    return [bare(b.action) for row in reply.buttons for b in row if b.action]


@pytest.fixture
def open_assistant(tmp_path: Path, catalogs: Catalogs) -> Open:
    """An assistant on the series knowledge base; opened again on the same data = a restart."""
    knowledge = write_series_kb(tmp_path / "kb")
    opened: list[Store] = []

    def start(clock: datetime = NOW) -> Assistant:
        store = Store.in_directory(tmp_path / "data")
        opened.append(store)
        loaded = load_brain(knowledge)
        assert loaded.result.knowledge is not None, loaded.result.problems
        return Assistant(
            loaded.result.knowledge,
            catalogs,
            store,
            clock=lambda: clock,
            admin_ids=frozenset({ADMIN.id}),
            knowledge_dir=knowledge,
        )

    return start


def test_when_is_a_series_with_no_announced_edition(open_assistant: Open) -> None:
    assistant = open_assistant()
    en = assistant.ask(EN, "When is the ice festival?")
    assert en.entry_id == "ice-festival" and en.aspect == "dates"
    assert "Usually opens in December; the 2026 dates have not been announced yet." in en.text
    assert "Latest edition on record: Sun, December 28, 2025 · Daomeng Town" in en.text
    assert "https://example.org/ice" in [b.url for row in en.buttons for b in row]
    assert not {"ics:ice-festival", "rm:ice-festival"} & set(actions(en))
    zh = assistant.ask(ZH, "冰雪节什么时候开始")
    assert "通常在12月启动；2026年的日期尚未公布。" in zh.text
    assert "已核实的最近一届：2025年12月28日 星期日 · 稻梦小镇" in zh.text
    ja = assistant.ask(JA, "氷雪祭はいつ")
    assert "例年12月に開幕。2026年の日程はまだ発表されていません。" in ja.text
    assert "確認済みの直近の回：2025年12月28日（日） · 稲夢小鎮" in ja.text


def test_when_is_a_series_with_an_announced_edition(open_assistant: Open) -> None:
    assistant = open_assistant()
    reply = assistant.ask(EN, "When is the expo?")
    assert "Next edition: Wed, September 1, 2027 – Sun, September 5, 2027" in reply.text
    assert "2026" not in reply.text  # the past edition is never the answer to "when"
    assert {"ics:expo", "rm:expo"} <= set(actions(reply))
    ja = assistant.ask(JA, "博覧会はいつ")
    assert "9:00 – 17:00（中国標準時、日本時間 10:00 – 18:00）" in ja.text
    document = assistant.press(EN, "ics:expo").document
    assert (
        document is not None and b"DTSTART;TZID=Asia/Shanghai:20270901T090000" in document.content
    )
    assert b"UID:expo-2027-09-01@hello-shenyang" in document.content


def test_a_past_edition_never_gets_a_calendar_file_or_a_reminder(
    open_assistant: Open, catalogs: Catalogs
) -> None:
    assistant = open_assistant()
    entry = assistant.press(EN, "e:ice-festival")
    assert "ics:ice-festival" not in actions(entry) and "rm:ice-festival" not in actions(entry)
    assert "Usually opens in December" in entry.text
    refused = assistant.press(EN, "ics:ice-festival")  # a button on an old message
    assert refused.document is None and refused.notice
    reminded = assistant.press(EN, "rm:marathon")
    assert reminded.notice and "No announced date ahead" in reminded.notice
    assert assistant.store.reminders() == []


def test_a_reminder_is_for_the_next_edition(open_assistant: Open) -> None:
    assistant = open_assistant()
    assistant.press(EN, "rm:expo")
    (reminder,) = assistant.store.reminders()
    assert reminder.remind_at.date().isoformat() == "2027-08-31"


def test_events_sections_and_filters(open_assistant: Open) -> None:
    assistant = open_assistant()
    text = assistant.events(EN).text
    coming, expected, recent = (text.index(h) for h in ("Coming up", "Expected", "Recently"))
    assert coming < text.index("Gala") < text.index("Wed, September 1, 2027") < expected
    assert expected < text.index("Ice Festival") < text.index("Marathon") < recent
    assert text.index("Tue, September 1, 2026") > recent
    assert "2024" not in text and "2025-09" not in text
    data = actions(assistant.events(EN))
    assert {"evf:this-month", "evf:next-month", "evf:business", "evf:culture", "evf:sports"} <= set(
        data
    )
    december = assistant.press(EN, "evf:next-month:en")
    assert december.edit and "Gala" in december.text and "Ice Festival" in december.text
    assert "Expo" not in december.text and "✓ Next month" in [
        b.label for row in december.buttons for b in row
    ]
    sports = assistant.press(EN, "evf:sports")
    assert "Marathon" in sports.text and "Expo" not in sports.text
    assert "evf:all" in actions(sports)
    assert "開催予定" in assistant.events(JA).text and "近期活动" in assistant.events(ZH).text


def test_follow_reload_notifies_each_follower_once(tmp_path: Path, open_assistant: Open) -> None:
    assistant = open_assistant()
    menu = assistant.command(EN, "follow")
    assert menu is not None and "fol:all" in actions(menu) and "fol:sports" in actions(menu)
    assistant.press(EN, "fol:all:en")
    assistant.press(JA, "fol:culture:ja")
    assistant.press(ZH, "fol:sports:zh")  # follows sports: the festival is culture
    write_series_kb(tmp_path / "kb", announced=True)
    assistant.command(ADMIN, "reload")
    sent = assistant.due_notices()
    assert sorted(chat for chat, _reply in sent) == [EN.chat_id, JA.chat_id]
    by_chat = {chat: reply for chat, reply in sent}
    assert "New dates announced: <b>Ice Festival</b>" in by_chat[1].text
    assert "Sat, December 12, 2026" in by_chat[1].text and "Qipanshan" in by_chat[1].text
    assert "新しい日程が発表されました" in by_chat[2].text and "日本時間 19:00" in by_chat[2].text
    assert "e:ice-festival" in actions(by_chat[1])
    assert assistant.due_notices() == []  # handed out once

    assistant.command(ADMIN, "reload")  # the same knowledge again: nothing new
    assert assistant.due_notices() == []
    restarted = open_assistant()  # a restart on the same store and knowledge
    assert restarted.due_notices() == []
    write_series_kb(tmp_path / "kb", announced=False)
    restarted.command(ADMIN, "reload")  # the edition withdrawn …
    write_series_kb(tmp_path / "kb", announced=True)
    restarted.command(ADMIN, "reload")  # … and announced again: still told only once
    assert restarted.due_notices() == []


def test_unfollow_and_forget_end_the_subscription(tmp_path: Path, open_assistant: Open) -> None:
    assistant = open_assistant()
    assistant.press(EN, "fol:all")
    assistant.press(JA, "fol:all")
    assert "fol:all" in actions(assistant.command(EN, "follow"))  # type: ignore[arg-type]
    gone = assistant.command(EN, "unfollow")
    assert gone is not None and "no longer" in gone.text
    assistant.forget(JA)
    write_series_kb(tmp_path / "kb", announced=True)
    assistant.command(ADMIN, "reload")
    assert assistant.due_notices() == []
    again = assistant.command(EN, "unfollow")
    assert again is not None and "/follow" in again.text


def test_inline_mode_with_no_query_offers_what_is_coming_then_expected(
    open_assistant: Open,
) -> None:
    items = open_assistant().inline(EN, "")
    assert [item.id for item in items] == ["gala", "expo", "ice-festival", "marathon"]
