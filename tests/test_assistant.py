"""The conversation core, without Telegram: replies, buttons, language, events, reminders."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.assistant import APOLOGY, DELAYED, FLOODING, Assistant, User, load_brain
from bot.caches import Caches
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.replies import markup
from bot.store import Store

from .support.buttons import bare
from .support.fake_request import NOW

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"

EN = User(1, "en", chat_id=1)
JA = User(2, "ja", chat_id=2)
ZH = User(3, "zh-hans", chat_id=3)


def actions(reply: object) -> list[str]:
    return [bare(b.action) if b.action else b.url or "" for row in reply.buttons for b in row]  # type: ignore[attr-defined]


def test_start_speaks_the_telegram_language(assistant: Assistant) -> None:
    assert "Hello, Shenyang" in assistant.start(EN).text
    assert "ようこそ" in assistant.start(JA).text
    assert "你好，沈阳" in assistant.start(ZH).text
    assert "c:investment" in actions(assistant.start(JA)) and "lang" in actions(assistant.start(JA))


def test_deep_link_opens_the_entry(assistant: Assistant) -> None:
    reply = assistant.start(JA, "palace")
    assert "瀋河区" in reply.text
    assert "map:palace" in actions(reply)
    unknown = assistant.start(EN, "no-such-entry")  # a stale link falls back to the welcome
    assert "Hello, Shenyang" in unknown.text and "c:tourism" in actions(unknown)


def test_answer_in_the_language_of_the_text(assistant: Assistant) -> None:
    assert "瀋河区にあります" in assistant.ask(EN, "瀋陽故宮はどこですか").text
    assert "故宫在沈河区" in assistant.ask(JA, "沈阳故宫在哪里").text
    reply = assistant.ask(ZH, "Where is the Mukden Palace?")
    assert "The palace is in <b>Shenhe</b> district." in reply.text
    assert {"map:palace", "e:tomb", "fb:palace:up", "https://example.org/palace"} <= set(
        actions(reply)
    )


def test_saved_language_governs_menus_and_unclear_text_not_clear_sentences(
    assistant: Assistant,
) -> None:
    assistant.set_language(EN, "ja")
    assert "瀋河区" in assistant.ask(EN, "Mukden palace").text  # a name: the saved choice
    assert "Shenhe" in assistant.ask(EN, "Where is the Mukden Palace?").text  # a sentence
    assert assistant.topics(EN).language == "ja"


def test_unknown_is_kind_offers_menu_and_is_recorded(assistant: Assistant, store: Store) -> None:
    reply = assistant.ask(EN, "What is the stock price of Toyota?")
    assert "don't know" in reply.text
    assert "c:tourism" in actions(reply)
    logged = store.questions()
    assert [(q.text, q.outcome) for q in logged] == [
        ("What is the stock price of Toyota?", "unknown")
    ]


def test_suggestions_are_buttons_and_picking_one_is_recorded(
    assistant: Assistant, store: Store
) -> None:
    reply = assistant.ask(EN, "expo tokyo")
    assert "Did you mean" in reply.text
    assert {"s:future-fair", "s:tokyo-event"} <= set(actions(reply))
    picked = assistant.press(EN, "s:tokyo-event")
    assert "Tokyo on 20 June 2023" in picked.text
    assert store.questions()[-1].followed_id == "tokyo-event"


def test_unsupported_language_gets_english_with_a_note(assistant: Assistant) -> None:
    reply = assistant.ask(User(9, "ko"), "안녕하세요")
    assert reply.language == "en"
    assert "Japanese (日本語)" in reply.text
    # Nothing understood: no "I don't know" for a greeting or thanks it cannot read.
    assert "don't know" not in reply.text and "Chinese, Japanese or English" in reply.text


def test_hostile_text_is_escaped_and_never_echoed_raw(assistant: Assistant) -> None:
    for text in ("<script>alert(1)</script>", "\x00\x07", "?!?!", "🙂" * 50, "x" * 10_000):
        reply = assistant.ask(EN, text)
        assert reply.text and "<script>" not in reply.text


def test_markup_escapes_and_bolds() -> None:
    assert markup("a < b **c**") == "a &lt; b <b>c</b>"


def test_events_coming_up_and_nothing_older_than_a_year(assistant: Assistant) -> None:
    reply = assistant.events(EN)
    assert reply.text.index("Coming up") < reply.text.index("Sun, September 1, 2030")
    assert "2023" not in reply.text  # the Tokyo event of 2023 is history, not a recent event
    assert "2030年9月1日（日）" in assistant.events(JA).text
    assert "2030年9月1日 星期日" in assistant.events(ZH).text


def test_topics_browse_and_back_edit_in_place(assistant: Assistant) -> None:
    category = assistant.press(EN, "c:tourism")
    assert category.edit and {"e:palace", "e:tomb", "menu"} <= set(actions(category))
    entry = assistant.press(EN, "e:palace")
    assert entry.edit and "Shenhe" in entry.text
    assert assistant.press(EN, "menu").edit


def test_map_and_calendar_buttons(assistant: Assistant) -> None:
    venue = assistant.press(JA, "map:palace").venue
    assert venue is not None and (venue.latitude, venue.longitude) == (41.7968, 123.4556)
    assert venue.title == "故宮"
    document = assistant.press(EN, "ics:future-fair").document
    assert document is not None and document.filename == "future-fair.ics"
    assert b"BEGIN:VEVENT" in document.content


def test_reminders_offered_only_for_future_events(assistant: Assistant, store: Store) -> None:
    assert "rm:future-fair" in actions(assistant.press(EN, "e:future-fair"))
    assert "rm:tokyo-event" not in actions(assistant.press(EN, "e:tokyo-event"))
    refused = assistant.press(EN, "rm:tokyo-event")
    assert refused.notice and "No announced date ahead" in refused.notice
    assert store.reminders() == []
    assistant.press(EN, "rm:future-fair")
    (reminder,) = store.reminders(EN.id)
    assert reminder.entry_id == "future-fair" and reminder.chat_id == EN.chat_id
    listing = assistant.reminders(EN)
    assert f"rmx:{reminder.id}" in actions(listing)
    cancelled = assistant.press(EN, f"rmx:{reminder.id}")
    assert cancelled.notice == "Reminder cancelled." and store.reminders() == []


def test_due_reminders_are_delivered_once_in_their_language(
    fixture_kb: object, catalogs: Catalogs, store: Store
) -> None:
    clock = [NOW]
    assistant = Assistant(fixture_kb, catalogs, store, clock=lambda: clock[0])  # type: ignore[arg-type]
    assistant.press(JA, "rm:future-fair")
    assert assistant.due_reminders() == []
    clock[0] = store.reminders()[0].remind_at + timedelta(seconds=1)
    (delivery,) = assistant.due_reminders()
    assert delivery.chat_id == JA.chat_id and "リマインダー" in delivery.reply.text
    assert assistant.due_reminders() == [delivery]  # still due until it was accepted
    assistant.reminder_sent(delivery.id, accepted=True)
    assert assistant.due_reminders() == []


def test_a_reminder_that_fails_is_retried_with_backoff_then_dropped_after_12_hours(
    fixture_kb: object, catalogs: Catalogs, store: Store
) -> None:
    clock = [NOW]
    assistant = Assistant(fixture_kb, catalogs, store, clock=lambda: clock[0])  # type: ignore[arg-type]
    assistant.press(EN, "rm:future-fair")
    start = store.reminders()[0].remind_at
    clock[0] = start
    (due,) = assistant.due_reminders()
    pauses = []
    while assistant.reminder_sent(due.id, accepted=False):
        retry_at = store.reminders()[0].retry_at
        assert retry_at is not None and assistant.due_reminders() == []  # not before its time
        pauses.append(retry_at - clock[0])
        clock[0] = retry_at
        (due,) = assistant.due_reminders()
        assert len(pauses) < 100
    assert pauses[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(pauses) == timedelta(minutes=30)
    assert timedelta(hours=12) <= clock[0] - start < timedelta(hours=12, minutes=30)
    assert store.reminders() == [] and assistant.due_reminders() == []


def test_a_reminder_of_a_vanished_event_is_dropped(
    fixture_kb: object, catalogs: Catalogs, store: Store
) -> None:
    store.add_reminder(EN.id, EN.id, "no-such-event", "en", NOW - timedelta(hours=1))
    assistant = Assistant(fixture_kb, catalogs, store, clock=lambda: NOW)  # type: ignore[arg-type]
    assert assistant.due_reminders() == [] and store.reminders() == []


def test_reminders_in_a_group_belong_to_the_user_who_set_them(
    assistant: Assistant, store: Store
) -> None:
    first, second = (User(uid, "en", chat_id=-100500, private=False) for uid in (1, 2))
    assistant.press(first, "rm:future-fair")
    assistant.press(second, "rm:future-fair")
    assert len(store.reminders(1)) == len(store.reminders(2)) == 1
    assert len(store.reminders()) == 2
    assistant.forget(first)
    assert store.reminders(1) == [] and len(store.reminders(2)) == 1


def test_the_report_is_given_only_in_a_private_chat_with_an_admin(
    fixture_kb: object, catalogs: Catalogs, store: Store
) -> None:
    admin = frozenset({7})
    assistant = Assistant(fixture_kb, catalogs, store, clock=lambda: NOW, admin_ids=admin)  # type: ignore[arg-type]
    in_group = assistant.command(User(7, "en", chat_id=-100500, private=False), "report")
    assert in_group is not None and "only in a private chat" in in_group.text
    assert "<pre>" not in in_group.text
    private = assistant.command(User(7, "en", chat_id=7), "report")
    assert private is not None and private.text.startswith("<pre>")
    assert assistant.command(User(8, "en", chat_id=-100500, private=False), "report") is None
    assert assistant.command(User(8, "en", chat_id=8), "report") is None


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Sorry for the delay"), ("ja", "遅く"), ("zh", "晚")]
)
def test_the_fixed_notes_are_in_the_conversations_language(
    assistant: Assistant, language: str, words: str
) -> None:
    user = User(5, language, chat_id=5)
    assert words in assistant.note(user, DELAYED).text
    assert assistant.note(user, FLOODING).text and assistant.note(user, APOLOGY).text


def test_feedback_is_one_vote_per_user_and_entry(assistant: Assistant, store: Store) -> None:
    ack = assistant.press(EN, "fb:palace:up")
    assert ack.text == "" and ack.notice
    assistant.press(EN, "fb:palace:down")
    assistant.press(JA, "fb:palace:down")
    assert store.votes() == {"palace": (0, 2)}


def test_forget_deletes_everything(assistant: Assistant, store: Store) -> None:
    assistant.set_language(EN, "zh")
    assistant.ask(EN, "hello")
    assistant.press(EN, "fb:palace:up")
    assistant.press(EN, "rm:future-fair")
    assistant.forget(EN)
    assert store.language(EN.id) is None
    assert store.questions() == [] and store.votes() == {} and store.reminders() == []


def test_reload_swaps_or_keeps_old_knowledge(assistant: Assistant, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.yaml").write_text("category: tourism\nentries: [\n", encoding="utf-8")
    failed = assistant.reload(load_brain(broken), EN)
    assert "Reload failed" in failed.text and "a.yaml:" in failed.text
    assert assistant.ask(EN, "Where is the Mukden Palace?").text.count("Shenhe") == 1
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "a.yaml").write_text(
        "category: tourism\nentries:\n  - id: bridge\n    questions: {en: [Where is the bridge]}\n"
        "    answer: {en: The bridge is over the river.}\n    source: test\n",
        encoding="utf-8",
    )
    ok = assistant.reload(load_brain(fresh), EN)
    assert "1 entries" in ok.text
    assert "over the river" in assistant.ask(EN, "where is the bridge").text


def test_reload_keeps_checked_files_and_the_index_in_the_cache_it_was_given(
    fixture_kb: KnowledgeBase, catalogs: Catalogs, store: Store, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assistant = Assistant(
        fixture_kb, catalogs, store, knowledge_dir=FIXTURE_KB, caches=Caches.in_folder(cache)
    )
    assert not list(cache.glob("*.pickle"))  # start-up indexed a base it did not load
    assert list((cache / "index").glob("*.pickle"))  # and kept its index (bot.index_cache)
    first = assistant.load()
    assert list(cache.glob("*.pickle"))
    again = assistant.load()
    assert again.result == first.result == load_knowledge(FIXTURE_KB)
    # The assistant keeps its caches between reloads: what the last load made is recalled in
    # memory (bot.caches), not read from the files again.
    for path in cache.glob("*.pickle"):
        path.unlink()
    third = assistant.load()
    assert first.result.knowledge is not None and third.result.knowledge is not None
    assert third.result.knowledge.entries[0] is first.result.knowledge.entries[0]


def test_missing_translation_falls_back_with_a_note(
    catalogs: Catalogs, store: Store, tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text(
        "category: tourism\nentries:\n  - id: bridge\n    questions: {en: [Where is the bridge]}\n"
        "    answer: {en: The bridge is over the river.}\n    source: test\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge(tmp_path).knowledge
    assert knowledge is not None
    reply = Assistant(knowledge, catalogs, store).start(JA, "bridge")
    assert "over the river" in reply.text and "日本語に翻訳されていない" in reply.text


def test_inline_results(assistant: Assistant) -> None:
    items = assistant.inline(JA, "故宮")  # Han only: the Japanese user's card is Japanese
    assert items and items[0].id == "palace"
    assert "瀋河区" in items[0].text
    assert "沈河区" in assistant.inline(JA, "故宫")[0].text  # Simplified 宫: Chinese
    assert assistant.inline(JA, "") != ()


def test_punctuation_or_emoji_only_asks_for_a_question_and_is_not_logged(
    assistant: Assistant, store: Store
) -> None:
    for text in ("?!?!", "🙂🙂", "。。。"):
        assert "Please type your question" in assistant.ask(EN, text).text
    assert store.questions() == []


def test_entry_labels_prefer_titles_then_keywords(assistant: Assistant) -> None:
    category = assistant.press(JA, "c:tourism")
    labels = {bare(b.action or ""): b.label for row in category.buttons for b in row}
    assert labels["e:tomb"] == "北陵公園"  # its title
    assert labels["e:palace"] == "Mukden"  # no title, no ja keyword: the English keyword


def test_long_button_labels_are_cut_at_a_word() -> None:
    from bot.replies import shorten

    assert shorten("Mukden Palace") == "Mukden Palace"
    cut = shorten("The 11th Summer of Hunhe River Cultural and Art Season Unveils")
    assert cut == "The 11th Summer of Hunhe River Cultural and Art…"
    assert len(cut) <= 48
    assert len(shorten("沈" * 100)) == 48 and shorten("沈" * 100).endswith("…")
