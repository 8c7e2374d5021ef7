"""The real python-telegram-bot Application, fed real ``telegram.Update`` objects, against the
local :class:`~tests.conftest.FakeRequest` Bot API: what the user sees for each kind of update."""

from __future__ import annotations

import ast
import asyncio
import re
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest

from bot import telegram_app
from bot.actions import ACTIONS
from bot.assistant import COMMANDS, Assistant, User
from bot.knowledge import LoadResult, load_knowledge
from bot.knowledge_cache import KnowledgeCache
from bot.limits import MESSAGE_CHARS as MESSAGE_LIMIT
from bot.replies import Reply
from bot.telegram_app import BotContext, deliver_reminders

from .conftest import FIXTURE_KB, StartBot
from .support.buttons import bare
from .support.fake_request import BOT_ID, NOW, ApiCall
from .support.harness import Harness
from .support.telegram_rules import visible_text as parse_telegram_html

MENU_ACTIONS = {"c:investment", "c:tourism", "c:events", "c:culture", "c:living", "lang"}
APOLOGY = {
    "en": "Sorry, something went wrong on my side",
    "ja": "申し訳ありません、こちらで問題が発生しました",
}
NOT_TEXT = {
    "en": "I can only read text messages for now.",
    "ja": "今のところ文字のメッセージだけに対応しています。",
}
PALACE = {
    "en": "The palace is in <b>Shenhe</b> district.",
    "ja": "故宮は瀋河区にあります。",
    "zh": "故宫在沈河区。",
}
POLITE = (
    "Sorry, I don't know the answer to that yet.",
    "Please type your question",
    "I am not sure I understood.",
)


def only(calls: list[ApiCall]) -> ApiCall:
    assert len(calls) == 1, [(c.method, c.params) for c in calls]
    return calls[0]


def assert_no_errors(tg: Harness) -> None:
    assert tg.errors == []
    assert not any(APOLOGY["en"] in c.text or APOLOGY["ja"] in c.text for c in tg.api.calls)


# -- /start ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting", "tourism_label"),
    [
        ("en", "👋 <b>Hello, Shenyang!</b>", "🏯 Tourism"),
        ("ja", "ようこそ", "観光"),
        ("zh", "你好，沈阳！", "旅游"),
    ],
)
async def test_start_welcomes_in_the_users_language_with_the_topic_menu(
    tg: Harness, language: str, greeting: str, tourism_label: str
) -> None:
    await tg.say("/start", language=language)

    reply = only(tg.api.of("sendMessage"))
    assert tg.api.methods() == ["sendMessage"]
    assert reply.params["chat_id"] == 1001
    assert reply.params["parse_mode"] == "HTML"
    assert greeting in reply.text
    assert set(reply.actions) == MENU_ACTIONS
    tourism = next(b for b in reply.buttons if bare(b["callback_data"]) == "c:tourism")
    assert tourism_label in tourism["text"]
    assert "reply_parameters" not in reply.params  # private chats are not threaded
    assert_no_errors(tg)


async def test_start_welcome_texts_differ_per_language(tg: Harness) -> None:
    texts = {}
    for user_id, language in enumerate(("en", "ja", "zh"), start=1):
        tg.api.clear()
        await tg.say("/start", language=language, user_id=user_id)
        texts[language] = only(tg.api.of("sendMessage")).text
    assert len(set(texts.values())) == 3
    assert "Hello, Shenyang!" in texts["en"] and "Hello, Shenyang!" not in texts["zh"]


async def test_start_with_a_deep_link_opens_that_entry(tg: Harness) -> None:
    await tg.say("/start palace")

    reply = only(tg.api.of("sendMessage"))
    assert PALACE["en"] in reply.text
    assert "map:palace" in reply.actions
    assert {"text": "🔗 Official site", "url": "https://example.org/palace"} in reply.buttons
    assert "c:tourism" not in reply.actions  # the entry, not the welcome menu
    assert_no_errors(tg)


async def test_start_with_an_unknown_deep_link_falls_back_to_the_welcome(tg: Harness) -> None:
    await tg.say("/start no-such-entry")
    reply = only(tg.api.of("sendMessage"))
    assert "Hello, Shenyang!" in reply.text
    assert set(reply.actions) == MENU_ACTIONS


# -- free text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "telegram_language"),
    [
        ("瀋陽故宮はどこですか", "ja", "en"),
        ("沈阳故宫在哪里", "zh", "en"),
        ("Where is the Mukden Palace?", "en", "zh"),
    ],
)
async def test_free_text_is_answered_in_the_language_it_was_written_in(
    tg: Harness, text: str, language: str, telegram_language: str
) -> None:
    await tg.say(text, language=telegram_language)

    reply = only(tg.api.of("sendMessage"))
    assert tg.api.methods() == ["sendMessage"]
    assert reply.params["parse_mode"] == "HTML"
    assert PALACE[language] in reply.text
    for other, answer in PALACE.items():
        if other != language:
            assert answer not in reply.text
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert {"map:palace", "fb:palace:up", "fb:palace:down", "menu", "e:tomb"} <= set(reply.actions)
    assert_no_errors(tg)


async def test_an_unknown_question_is_answered_politely_with_the_menu(tg: Harness) -> None:
    await tg.say("What is the airspeed velocity of an unladen swallow?")
    reply = only(tg.api.of("sendMessage"))
    assert "Sorry, I don't know the answer to that yet." in reply.text
    assert set(reply.actions) == MENU_ACTIONS


# -- buttons ---------------------------------------------------------------------------------------


async def test_map_button_sends_the_venue_and_answers_the_tap(tg: Harness) -> None:
    await tg.tap("map:palace")

    assert tg.api.methods() == ["answerCallbackQuery", "sendVenue"]
    answer = only(tg.api.of("answerCallbackQuery"))
    assert answer.params["callback_query_id"] == "cq1"
    venue = only(tg.api.of("sendVenue"))
    assert venue.params["chat_id"] == 1001
    assert venue.params["latitude"] == pytest.approx(41.7968)
    assert venue.params["longitude"] == pytest.approx(123.4556)
    assert venue.params["title"] == "Palace"
    assert venue.params["address"] == "Shenhe District"
    assert_no_errors(tg)


async def test_map_button_venue_is_localized(tg: Harness) -> None:
    await tg.tap("map:palace", language="ja")
    venue = only(tg.api.of("sendVenue"))
    assert (venue.params["title"], venue.params["address"]) == ("故宮", "瀋河区")


async def test_add_to_calendar_sends_an_ics_document(tg: Harness) -> None:
    await tg.tap("ics:future-fair")

    assert tg.api.methods() == ["answerCallbackQuery", "sendDocument"]
    document = only(tg.api.of("sendDocument"))
    assert document.params["chat_id"] == 1001
    filename, content = document.files["document"]
    assert filename == "future-fair.ics"
    assert content.startswith(b"BEGIN:VCALENDAR")
    assert b"BEGIN:VEVENT" in content
    assert b"UID:future-fair@hello-shenyang" in content
    assert b"DTSTART;TZID=Asia/Shanghai:20300901T090000" in content
    assert b"LOCATION:Shenyang" in content
    assert_no_errors(tg)


async def test_a_past_event_is_never_sent_as_a_calendar_file(tg: Harness) -> None:
    await tg.tap("ics:tokyo-event")  # a button from an old message

    assert tg.api.methods() == ["answerCallbackQuery"]
    assert "No announced date ahead" in only(tg.api.of("answerCallbackQuery")).params["text"]
    assert_no_errors(tg)


async def test_category_browsing_edits_the_message_in_place(tg: Harness) -> None:
    welcome = tg.bot_message(1001, "👋 Hello, Shenyang!", message_id=42)

    await tg.tap("menu", message=welcome)
    await tg.tap("c:tourism", message=welcome)
    tourism = tg.api.of("editMessageText")[-1]
    await tg.tap("e:palace", message=welcome)
    palace = tg.api.of("editMessageText")[-1]
    await tg.tap("menu", message=welcome)  # "☰ Topics": back to the menu

    assert tg.api.of("sendMessage") == []
    edits = tg.api.of("editMessageText")
    assert len(edits) == 4
    assert len(tg.api.of("answerCallbackQuery")) == 4
    assert all((e.params["chat_id"], e.params["message_id"]) == (1001, 42) for e in edits)
    assert all(e.params["parse_mode"] == "HTML" for e in edits)
    assert "Choose a topic:" in edits[0].text
    assert set(edits[0].actions) == MENU_ACTIONS
    assert "🏯 Tourism" in tourism.text
    assert tourism.actions == ["e:palace", "e:tomb", "menu"]
    assert PALACE["en"] in palace.text
    assert "map:palace" in palace.actions
    assert "Choose a topic:" in edits[3].text
    assert_no_errors(tg)


async def test_tapping_a_button_that_changes_nothing_is_quiet(tg: Harness) -> None:
    """Telegram refuses an edit that changes nothing; the bot must not apologise for it."""
    welcome = tg.bot_message(1001, "👋 Hello, Shenyang!", message_id=42)
    await tg.tap("menu", message=welcome)
    await tg.tap("menu", message=welcome)

    assert tg.api.methods() == [
        "answerCallbackQuery",
        "editMessageText",
        "answerCallbackQuery",
        "editMessageText",  # refused by the API as "message is not modified"
    ]
    assert_no_errors(tg)


async def test_feedback_button_only_acknowledges_the_tap(tg: Harness) -> None:
    await tg.tap("fb:palace:up")
    assert tg.api.methods() == ["answerCallbackQuery"]
    assert only(tg.api.of("answerCallbackQuery")).params["text"] == "Thank you for your feedback!"
    assert tg.assistant.store.votes() == {"palace": (1, 0)}


async def test_a_button_for_a_removed_entry_says_so(tg: Harness) -> None:
    await tg.tap("e:gone")
    edit = only(tg.api.of("editMessageText"))
    assert "no longer available" in edit.text
    assert_no_errors(tg)


async def test_a_tap_on_a_deleted_message_is_answered_with_a_new_message(tg: Harness) -> None:
    """Telegram sends a deleted message as an InaccessibleMessage (date 0), which cannot be edited:
    the bot must reply with a new message instead of trying (and failing) to edit it."""
    tg.api.deleted.add((1001, 7))
    gone = {"message_id": 7, "date": 0, "chat": {"id": 1001, "type": "private"}}
    await tg.tap("c:tourism", message=gone)

    assert tg.api.methods() == ["answerCallbackQuery", "sendMessage"]
    assert "🏯 Tourism" in only(tg.api.of("sendMessage")).text
    assert_no_errors(tg)


async def test_when_an_edit_is_refused_the_reply_comes_as_a_new_message(tg: Harness) -> None:
    tg.api.deleted.add((1001, 8))  # deleted after the update was sent: still looks accessible
    await tg.tap("c:tourism", message=tg.bot_message(1001, "…", message_id=8))

    assert tg.api.methods() == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert "🏯 Tourism" in only(tg.api.of("sendMessage")).text
    assert_no_errors(tg)


# -- language --------------------------------------------------------------------------------------


async def test_language_choice_applies_to_later_replies_and_survives_a_restart(
    start_bot: StartBot, data_dir: Path
) -> None:
    tg = await start_bot()
    await tg.say("/lang")
    menu = only(tg.api.of("sendMessage"))
    assert menu.actions == ["l:zh", "l:ja", "l:en"]

    await tg.tap("l:ja", message=tg.bot_message(1001, menu.text, message_id=1000))
    confirmation = only(tg.api.of("editMessageText"))
    assert "日本語でお答えします" in confirmation.text

    tg.api.clear()
    await tg.say("Mukden Palace", language="en")  # a name, not a sentence: the choice decides
    assert PALACE["ja"] in only(tg.api.of("sendMessage")).text

    # A new Application (a restart) on the same data directory remembers the choice.
    await tg.app.shutdown()
    restarted = await start_bot(directory=data_dir)
    restarted.api.clear()
    await restarted.say("Mukden Palace", language="en")
    assert PALACE["ja"] in only(restarted.api.of("sendMessage")).text
    restarted.api.clear()
    await restarted.say("/lang", language="en")
    assert "✓ 日本語" in [b["text"] for b in only(restarted.api.of("sendMessage")).buttons]
    assert_no_errors(tg)
    assert_no_errors(restarted)


# -- events ----------------------------------------------------------------------------------------


async def test_events_lists_what_is_coming_up_and_leaves_old_history_out(tg: Harness) -> None:
    await tg.say("/events")

    text = only(tg.api.of("sendMessage")).text
    assert text.index("Coming up") < text.index("When is the expo?")
    assert "Tokyo" not in text  # 2023: more than a year ago
    data = only(tg.api.of("sendMessage")).actions
    assert "e:future-fair" in data and "e:tokyo-event" not in data
    assert {"evf:this-month", "evf:next-month", "evf:business", "folm"} <= set(data)
    assert_no_errors(tg)


async def test_remind_me_schedules_a_reminder_that_is_delivered_later(
    tg: Harness, clock: list[datetime]
) -> None:
    await tg.tap("rm:future-fair")
    notice = only(tg.api.of("answerCallbackQuery")).params["text"]
    assert "2030-08-31" in notice

    tg.api.clear()
    await deliver_reminders(BotContext(tg.app))
    assert tg.api.calls == []  # not yet due

    clock[0] = NOW.replace(year=2030, month=8, day=31, hour=2)
    await deliver_reminders(BotContext(tg.app))
    reminder = only(tg.api.of("sendMessage"))
    assert reminder.params["chat_id"] == 1001
    assert "Reminder" in reminder.text and "When is the expo?" in reminder.text
    assert reminder.actions == ["e:future-fair"]
    tg.api.clear()
    await deliver_reminders(BotContext(tg.app))
    assert tg.api.calls == []  # delivered once


# -- inline mode -----------------------------------------------------------------------------------


async def test_inline_query_offers_the_matching_entry(tg: Harness) -> None:
    await tg.feed(tg.inline_query("故宫"))

    answer = only(tg.api.of("answerInlineQuery"))
    assert tg.api.methods() == ["answerInlineQuery"]
    assert answer.params["inline_query_id"] == "iq1"
    results = answer.params["results"]
    palace = next(r for r in results if r["id"] == "palace")
    assert palace["type"] == "article"
    assert palace["title"] == "故宫"
    content = palace["input_message_content"]
    assert PALACE["zh"] in content["message_text"]
    assert content["parse_mode"] == "HTML"
    parse_telegram_html(content["message_text"])
    # Results depend on the user's saved language: Telegram must not share them between users.
    assert answer.params.get("is_personal") is True
    assert_no_errors(tg)


async def test_inline_query_respects_the_saved_language(tg: Harness) -> None:
    tg.assistant.store.set_language(1001, "ja")
    await tg.feed(tg.inline_query("Mukden"))
    results = only(tg.api.of("answerInlineQuery")).params["results"]
    palace = next(r for r in results if r["id"] == "palace")
    assert PALACE["ja"] in palace["input_message_content"]["message_text"]


# -- groups ----------------------------------------------------------------------------------------


async def test_plain_group_chatter_gets_no_reply(tg: Harness) -> None:
    await tg.say("Where is the Mukden Palace?", group=True)
    await tg.say("I went to @SomeoneElse's place", group=True)
    await tg.feed(tg.message(group=True, sticker=_sticker()))
    assert tg.api.calls == []
    assert_no_errors(tg)


async def test_a_group_message_mentioning_the_bot_is_answered_as_a_reply(tg: Harness) -> None:
    update = await tg.say("@HelloShenyangBot Where is the Mukden Palace?", group=True)

    reply = only(tg.api.of("sendMessage"))
    assert reply.params["chat_id"] == -100500
    assert PALACE["en"] in reply.text
    assert reply.params["reply_parameters"]["message_id"] == update.message.message_id
    assert_no_errors(tg)


@pytest.mark.parametrize(
    "text", ["@HelloShenyangBotX where is the palace", "ask HelloShenyangBot where is the palace"]
)
async def test_a_near_mention_in_a_group_is_ignored(tg: Harness, text: str) -> None:
    await tg.say(text, group=True)
    assert tg.api.calls == []


async def test_a_mention_after_emoji_is_removed_cleanly(tg: Harness) -> None:
    await tg.say("🏯🏯 @HelloShenyangBot 沈阳故宫在哪里", group=True)
    assert PALACE["zh"] in only(tg.api.of("sendMessage")).text


async def test_a_group_reply_to_the_bot_is_answered(tg: Harness) -> None:
    ours = tg.bot_message(-100500, "Choose a topic:", message_id=77)
    await tg.say("沈阳故宫在哪里", group=True, reply_to=ours)

    reply = only(tg.api.of("sendMessage"))
    assert reply.params["chat_id"] == -100500
    assert PALACE["zh"] in reply.text
    assert_no_errors(tg)


async def test_a_group_reply_to_someone_else_is_ignored(tg: Harness) -> None:
    theirs = tg.message("hi", group=True, user_id=2002)["message"]
    await tg.say("沈阳故宫在哪里", group=True, reply_to=theirs)
    assert tg.api.calls == []


@pytest.mark.parametrize("command", ["/start", "/start@HelloShenyangBot", "/events"])
async def test_a_command_in_a_group_is_answered(tg: Harness, command: str) -> None:
    update = await tg.say(command, group=True)
    reply = only(tg.api.of("sendMessage"))
    assert reply.params["chat_id"] == -100500
    assert reply.params["reply_parameters"]["message_id"] == update.message.message_id
    assert_no_errors(tg)


async def test_an_unknown_command_in_private_gets_help(tg: Harness) -> None:
    await tg.say("/weather", language="ja")
    assert "質問のしかた" in only(tg.api.of("sendMessage")).text


async def test_a_command_for_another_bot_in_a_group_is_ignored(tg: Harness) -> None:
    await tg.say("/start@SomeOtherBot", group=True)
    assert tg.api.calls == []


# -- not text --------------------------------------------------------------------------------------


def _sticker() -> dict[str, object]:
    return {
        "file_id": "STK",
        "file_unique_id": "STK-U",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "🐼",
    }


def _photo() -> list[dict[str, object]]:
    return [
        {"file_id": f"PH{i}", "file_unique_id": f"PH{i}-U", "width": w, "height": w}
        for i, w in enumerate((90, 320))
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(
    "content", [{"sticker": _sticker()}, {"photo": _photo()}], ids=["sticker", "photo"]
)
async def test_stickers_and_photos_in_private_get_a_friendly_note(
    tg: Harness, content: dict[str, object], language: str
) -> None:
    await tg.feed(tg.message(language=language, **content))

    note = only(tg.api.of("sendMessage"))
    assert tg.api.methods() == ["sendMessage"]
    assert NOT_TEXT[language] in note.text
    assert set(note.actions) == MENU_ACTIONS
    assert_no_errors(tg)


async def test_a_sticker_replying_to_the_bot_in_a_group_gets_the_note(tg: Harness) -> None:
    ours = tg.bot_message(-100500, "Choose a topic:", message_id=77)
    await tg.feed(tg.message(group=True, reply_to=ours, sticker=_sticker()))
    assert NOT_TEXT["en"] in only(tg.api.of("sendMessage")).text


# -- hostile and odd text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Where is the palace? " * 500,  # about 10 KB
        "<b>" * 2000 + "&amp;" * 500,
        "\x00\x07abc",
        "?!?!",
        "😀🎉🏯🐼",
        "   ",
    ],
    ids=["script-tag", "10kb", "html-soup", "control-chars", "punctuation", "emoji", "blank"],
)
async def test_hostile_or_odd_text_gets_exactly_one_polite_reply(tg: Harness, text: str) -> None:
    await tg.say(text)

    reply = only(tg.api.of("sendMessage"))
    assert tg.api.methods() == ["sendMessage"]
    assert "<script" not in reply.text.lower()
    assert "<b><b>" not in reply.text
    assert "\x00" not in reply.text and "\x07" not in reply.text
    parse_telegram_html(reply.text)  # valid Telegram HTML
    assert len(reply.text) <= MESSAGE_LIMIT
    assert any(p in reply.text for p in POLITE) or PALACE["en"] in reply.text
    assert_no_errors(tg)


# -- long answers ----------------------------------------------------------------------------------


def _long_kb(tmp_path: Path) -> Path:
    """The fixture KB plus one entry whose answers are far over Telegram's 4096 characters: English
    in paragraphs with a bold phrase across a word boundary, Chinese as one unbroken paragraph with
    bold spans and escaped characters, as CJK text often is."""
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb)
    sentence = "Shenyang has a long history as a capital and a centre of industry. "
    english = "\n\n".join(
        (sentence * 12) + f"**Key fact {n} about the region.** " + sentence * 3 for n in range(8)
    )
    chinese = "".join(f"沈阳历史悠久，**第{n}个要点**：工业&文化并重。" * 8 for n in range(40))
    japanese = "瀋陽は" + "長い歴史を持つ都市です。" * 450  # no break at all, and no markup
    (kb / "long.yaml").write_text(
        "category: culture\n"
        "entries:\n"
        "  - id: long-read\n"
        "    questions:\n"
        "      zh: [请讲讲沈阳的长篇历史]\n"
        "      ja: [瀋陽の長い歴史を教えてください]\n"
        "      en: [Tell me the long history of Shenyang]\n"
        "    answer:\n"
        f"      zh: {chinese!r}\n"
        f"      ja: {japanese!r}\n"
        "      en: |\n"
        + "".join(f"        {line}\n" for line in english.splitlines())
        + "    source: Test fixture\n",
        encoding="utf-8",
    )
    return kb


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Tell me the long history of Shenyang", "en"),
        ("请讲讲沈阳的长篇历史", "zh"),
        ("瀋陽の長い歴史を教えてください", "ja"),
    ],
)
async def test_a_long_answer_is_split_into_several_valid_messages(
    start_bot: StartBot, tmp_path: Path, question: str, language: str
) -> None:
    tg = await start_bot(knowledge_dir=_long_kb(tmp_path))
    tg.api.clear()
    await tg.say(question, language=language)

    parts = tg.api.of("sendMessage")
    assert tg.api.methods() == ["sendMessage"] * len(parts)
    assert len(parts) >= 2
    for part in parts:
        assert len(part.text) <= MESSAGE_LIMIT
        parse_telegram_html(part.text)
        assert part.params["parse_mode"] == "HTML"
    # Buttons only under the last part.
    assert all("reply_markup" not in p.params for p in parts[:-1])
    assert "fb:long-read:up" in parts[-1].actions
    # Nothing is lost: the visible text of the parts adds up to the whole answer.
    visible = "".join(parse_telegram_html(p.text) for p in parts)
    whole = tg.assistant.ask(User(1001, language, 1001), question).text
    assert re.sub(r"\s", "", visible) == re.sub(r"\s", "", parse_telegram_html(whole))
    assert_no_errors(tg)


async def test_a_long_entry_opened_from_a_button_is_sent_not_edited(
    start_bot: StartBot, tmp_path: Path
) -> None:
    tg = await start_bot(knowledge_dir=_long_kb(tmp_path))
    tg.api.clear()
    await tg.tap("e:long-read")
    assert tg.api.of("editMessageText") == []
    assert len(tg.api.of("sendMessage")) >= 2
    assert_no_errors(tg)


async def test_post_init_registers_translated_commands_per_language(start_bot: StartBot) -> None:
    tg = await start_bot(post_init=True)

    registered = {
        c.params.get("language_code"): c.params["commands"] for c in tg.api.of("setMyCommands")
    }
    assert set(registered) == {None, "zh", "ja", "en"}
    names = [c.name for c in COMMANDS if not c.admin]
    for commands in registered.values():
        assert [c["command"] for c in commands] == names
        assert all(1 <= len(c["description"]) <= 256 for c in commands)
    en = {c["command"]: c["description"] for c in registered["en"]}
    ja = {c["command"]: c["description"] for c in registered["ja"]}
    zh = {c["command"]: c["description"] for c in registered["zh"]}
    assert en["start"] == "Welcome and topic menu"
    assert ja["start"] == "ようこそ・テーマメニュー"
    assert zh["start"] == "欢迎与主题菜单"
    assert all(ja[name] != en[name] and zh[name] != en[name] for name in names)
    assert registered[None] == registered["en"]

    descriptions = {
        c.params.get("language_code"): c.params["description"]
        for c in tg.api.of("setMyDescription")
    }
    assert set(descriptions) == {None, "zh", "ja", "en"}
    assert descriptions["ja"] != descriptions["en"]
    short = tg.api.of("setMyShortDescription")
    assert len(short) == 4 and all(len(c.params["short_description"]) <= 120 for c in short)
    assert_no_errors(tg)


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
async def test_a_failing_handler_ends_in_an_apology_to_the_user(
    tg: Harness, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("knowledge base on fire")

    monkeypatch.setattr(tg.assistant, "ask", broken)
    await tg.say("Where is the Mukden Palace?", language=language)

    apology = only(tg.api.of("sendMessage"))
    assert apology.params["chat_id"] == 1001
    assert APOLOGY[language] in apology.text
    assert [type(e) for e in tg.errors] == [RuntimeError]


async def test_a_failing_button_still_answers_the_tap_and_apologises(
    tg: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tg.assistant, "press", broken)
    await tg.tap("c:tourism")

    assert APOLOGY["en"] in only(tg.api.of("sendMessage")).text
    # Without an answer the user's button keeps spinning until Telegram times out.
    assert len(tg.api.of("answerCallbackQuery")) == 1
    assert [type(e) for e in tg.errors] == [RuntimeError]


async def test_the_bot_knows_its_own_identity(tg: Harness) -> None:
    assert tg.app.bot.username == "HelloShenyangBot"
    assert tg.app.bot.id == BOT_ID


# -- operator: reminders across restarts, reload, report --------------------------------------------


async def test_reminders_survive_a_restart(
    start_bot: StartBot, data_dir: Path, clock: list[datetime]
) -> None:
    tg = await start_bot()
    await tg.tap("rm:future-fair")
    await tg.app.shutdown()

    restarted = await start_bot(directory=data_dir)
    restarted.api.clear()
    clock[0] = NOW.replace(year=2030, month=8, day=31, hour=2)
    await deliver_reminders(BotContext(restarted.app))
    reminder = only(restarted.api.of("sendMessage"))
    assert reminder.params["chat_id"] == 1001 and "When is the expo?" in reminder.text


async def test_admin_reload_keeps_old_knowledge_on_errors_then_swaps(
    start_bot: StartBot, tmp_path: Path
) -> None:
    knowledge = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, knowledge)
    tg = await start_bot(knowledge_dir=knowledge, admins=frozenset({1001}))

    places = knowledge / "places.yaml"
    good = places.read_text(encoding="utf-8")
    places.write_text(good.replace("    related: [tomb]\n", "    related: [nowhere]\n"), "utf-8")
    tg.api.clear()
    await tg.say("/reload")
    failure = only(tg.api.of("sendMessage")).text
    assert "Reload failed" in failure
    assert re.search(r"places\.yaml:\d+: entry 'palace': related id 'nowhere'", failure)
    tg.api.clear()
    await tg.say("Where is the Mukden Palace?")
    assert PALACE["en"] in only(tg.api.of("sendMessage")).text  # the old base still serves

    places.write_text(good.replace("**Shenhe** district", "**Shenhe** District, renewed"), "utf-8")
    tg.api.clear()
    await tg.say("/reload")
    assert "Knowledge reloaded: 5 entries." in only(tg.api.of("sendMessage")).text
    tg.api.clear()
    await tg.say("Where is the Mukden Palace?")
    assert "District, renewed" in only(tg.api.of("sendMessage")).text
    assert_no_errors(tg)


async def test_a_reload_reads_and_indexes_off_the_event_loop_while_users_are_answered(
    start_bot: StartBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, knowledge)
    tg = await start_bot(knowledge_dir=knowledge, admins=frozenset({1001}))
    places = knowledge / "places.yaml"
    places.write_text(
        places.read_text("utf-8").replace("**Shenhe** district", "**Shenhe** District, renewed"),
        "utf-8",
    )
    loading, release = threading.Event(), threading.Event()
    loader_threads = []

    def slow_load(directory: Path, cache: KnowledgeCache | None = None) -> LoadResult:
        loader_threads.append(threading.current_thread())
        loading.set()
        assert release.wait(10)  # a large knowledge base, still being read
        return load_knowledge(directory, cache=cache)

    monkeypatch.setattr("bot.assistant.load_knowledge", slow_load)
    tg.api.clear()
    reload = asyncio.create_task(tg.say("/reload"))
    assert await asyncio.to_thread(loading.wait, 10)
    await tg.say("Where is the Mukden Palace?", user_id=2002)
    assert PALACE["en"] in only(tg.api.of("sendMessage")).text  # answered meanwhile, old base
    release.set()
    await reload
    assert loader_threads and loader_threads[0] is not threading.main_thread()
    assert "Knowledge reloaded: 5 entries." in tg.api.of("sendMessage")[-1].text
    tg.api.clear()
    await tg.say("Where is the Mukden Palace?", user_id=2002)
    assert "District, renewed" in only(tg.api.of("sendMessage")).text
    assert_no_errors(tg)


async def test_reload_and_report_are_for_admins_only(start_bot: StartBot) -> None:
    tg = await start_bot(admins=frozenset({1001}))
    await tg.say("What is the stock price of Toyota?")
    tg.api.clear()
    await tg.say("/report", user_id=2002)
    await tg.say("/reload", user_id=2002)
    assert tg.api.of("sendMessage") == []
    await tg.say("/report")
    report = only(tg.api.of("sendMessage")).text
    assert "Questions: 1" in report and "stock price of Toyota" in report
    assert_no_errors(tg)


def test_the_telegram_layer_holds_no_routing_of_its_own() -> None:
    tree = ast.parse(Path(telegram_app.__file__).read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    # It talks to the core only: no button codec, no store, no knowledge base of its own.
    assert not imported & {"bot.actions", "bot.store", "bot.knowledge", "bot.render"}
    prefixes = {kind.PREFIX for kind in ACTIONS}
    literals = {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    assert not [text for text in literals if ":" in text and text.split(":")[0] in prefixes]


async def test_button_data_reaches_the_core_as_it_came(
    tg: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []
    press = Assistant.press

    def spy(self: Assistant, user: User, data: str | None) -> Reply:
        seen.append(data)
        return press(self, user, data)

    monkeypatch.setattr(Assistant, "press", spy)
    for data in ("rmx:5", "zz:from-another-bot", "e:palace", "fb:palace:up"):
        await tg.tap(data)
    assert seen == ["rmx:5", "zz:from-another-bot", "e:palace", "fb:palace:up"]
    assert_no_errors(tg)


async def test_a_tap_on_an_old_chinese_message_after_a_restart_answers_in_chinese(
    start_bot: StartBot, data_dir: Path
) -> None:
    tg = await start_bot()
    await tg.say("沈阳故宫在哪里", language="en")
    answer = only(tg.api.of("sendMessage"))
    related = next(b for b in answer.buttons if b["text"].startswith("➡"))
    assert related["text"] == "➡ 北陵公园" and related["callback_data"].endswith(":zh")
    await tg.app.shutdown()
    restarted = await start_bot(directory=data_dir)
    restarted.api.clear()
    old = restarted.bot_message(1001, answer.text, message_id=1000)
    await restarted.tap(related["callback_data"], language="en", message=old)
    assert "北陵公园在皇姑区" in only(restarted.api.of("editMessageText")).text
    assert_no_errors(restarted)


async def test_commands_follow_the_language_each_user_writes_in_a_group(tg: Harness) -> None:
    await tg.say("@HelloShenyangBot 沈阳故宫在哪里", group=True, user_id=3001, language="ja")
    await tg.say("@HelloShenyangBot 瀋陽故宮はどこですか", group=True, user_id=3002, language="zh")
    tg.api.clear()
    await tg.say("/topics@HelloShenyangBot", group=True, user_id=3001, language="ja")
    await tg.say("/topics@HelloShenyangBot", group=True, user_id=3002, language="zh")
    chinese, japanese = (call.text for call in tg.api.of("sendMessage"))
    assert "请选择主题" in chinese and "テーマを選んでください" in japanese
    assert_no_errors(tg)


async def test_reminders_are_listed_only_in_a_private_chat(tg: Harness) -> None:
    await tg.say("/reminders@HelloShenyangBot", group=True, user_id=3001)
    assert "only in a private chat" in only(tg.api.of("sendMessage")).text
    assert_no_errors(tg)
