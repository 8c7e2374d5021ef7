"""How updates flow through the running Application (bot/telegram_updates.py): stored before
acknowledged, handed out again after a restart, in order per chat and concurrently across chats,
floods slowed down, sends and start-up retried, reminders kept until accepted, group rules."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder

from bot.assistant import Assistant, User
from bot.config import Settings
from bot.flood import BURST
from bot.journal import UpdateJournal
from bot.store import Store
from bot.telegram_app import BotContext, build_application, deliver_reminders
from bot.telegram_updates import ChatProcessor, DurableApplication, DurableQueue

from .conftest import FIXTURE_KB, StartBot
from .support.fake_request import NOW, TOKEN, ApiCall, FakeRequest
from .support.harness import Harness

A, B = 1001, 1002


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry pauses of milliseconds: the tests count attempts, they do not wait for them."""
    monkeypatch.setattr("bot.telegram_updates.RetryingRateLimiter.pauses", (0.01,) * 5)
    monkeypatch.setattr(DurableApplication, "start_retry", (0.01, 0.02))


@pytest.fixture
async def running(start_bot: StartBot) -> AsyncIterator[Harness]:
    """A bot whose update queue and processor run, as in production."""
    harness = await start_bot()
    harness.api.clear()
    await harness.app.start()
    yield harness
    if harness.app.running:
        await harness.app.stop()


def queue_of(tg: Harness) -> DurableQueue:
    queue = tg.app.update_queue
    assert isinstance(queue, DurableQueue)
    return queue


async def until(condition: Callable[[], bool], what: str = "condition") -> None:
    """Wait for the condition, a bounded number of short sleeps."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def restart_and_drain(start_bot: StartBot) -> Harness:
    """Start the bot again on the same store and let it answer its stored backlog."""
    tg = await start_bot(post_init=True)
    tg.api.clear()
    await tg.app.start()
    try:
        await until(lambda: queue_of(tg).journal.pending() == [], "the backlog")
    finally:
        await tg.app.stop()
    return tg


def sent_now(payload: dict[str, Any], ago: timedelta = timedelta(0)) -> dict[str, Any]:
    """The payload with its message dated now (the harness dates messages on a fixed day)."""
    if "message" in payload:
        payload["message"]["date"] = int((datetime.now(UTC) - ago).timestamp())
    return payload


async def put(tg: Harness, *payloads: dict[str, Any]) -> list[Update]:
    updates = [Update.de_json(sent_now(payload), tg.app.bot) for payload in payloads]
    for update in updates:
        await tg.app.update_queue.put(update)
    return updates


def sent(tg: Harness, chat: int | None = None) -> list[ApiCall]:
    return [
        c
        for c in tg.api.of("sendMessage")
        if not c.failed and (chat is None or c.params["chat_id"] == chat)
    ]


def hold_chat(tg: Harness, chat: int, held_calls: list[int] | None = None) -> asyncio.Event:
    """Hold every sendMessage to ``chat`` until the returned event is set (counting them)."""
    release = asyncio.Event()
    original = tg.api.do_request

    async def held(url: str, method: str, request_data: Any = None, **kwargs: Any) -> Any:
        params = request_data.parameters if request_data is not None else {}
        if url.endswith("/sendMessage") and params.get("chat_id") == chat:
            if held_calls is not None:
                held_calls.append(chat)
            await release.wait()
        return await original(url, method, request_data, **kwargs)

    tg.api.do_request = held  # type: ignore[method-assign]
    return release


# -- durable updates ---------------------------------------------------------------------------------


async def test_an_update_is_stored_before_it_is_acknowledged_and_done_after_its_reply(
    running: Harness,
) -> None:
    queue = queue_of(running)
    (update,) = await put(running, running.message("/help"))
    # put() returned: the Updater may now confirm the offset; the update is already on disk.
    assert [p.update_id for p in queue.journal.pending()] == [update.update_id]
    await until(lambda: queue.journal.is_done(update.update_id), "the update to be done")
    assert len(sent(running, A)) == 1 and queue.journal.pending() == []


async def test_an_update_sent_again_is_answered_once(running: Harness) -> None:
    payload = running.message("/help")
    await put(running, payload)
    await until(lambda: len(sent(running)) == 1)
    await put(running, payload)  # Telegram sends it again (not acknowledged before a crash)
    await put(running, running.message("/topics"))
    await until(lambda: len(sent(running)) == 2)
    assert "Choose a topic" in sent(running)[1].text


async def test_unfinished_updates_are_answered_first_after_a_restart_oldest_first(
    start_bot: StartBot, data_dir: Path, assistant: Assistant
) -> None:
    first = await start_bot()
    journal = queue_of(first).journal
    questions = ["/help", "/topics", "/events"]
    for question in questions:
        payload = sent_now(first.message(question))
        journal.add(payload["update_id"], json.dumps(payload))
    late = sent_now(first.message("/help", user_id=B), ago=timedelta(minutes=10))
    journal.add(late["update_id"], json.dumps(late), at=datetime.now(UTC) - timedelta(minutes=10))
    journal.add(99, "{}")
    journal.done(99)

    tg = await restart_and_drain(start_bot)
    expected = [assistant.command(User(A, "en", A), q[1:]) for q in questions]
    assert [c.text for c in sent(tg, A)] == [r.text for r in expected if r is not None]
    sorry, answer = sent(tg, B)  # waited ten minutes: an apology first, once
    assert "Sorry for the delay" in sorry.text and "Sorry" not in answer.text


async def test_a_reply_recorded_as_sent_is_not_sent_again_after_a_restart(
    start_bot: StartBot,
) -> None:
    first = await start_bot()
    journal = queue_of(first).journal
    answered, unanswered = first.message("/help"), first.message("/topics")
    for payload in (answered, unanswered):
        journal.add(
            payload["update_id"], json.dumps(payload), at=datetime.now(UTC) - timedelta(hours=1)
        )
    journal.sent(answered["update_id"], 1)  # its one message went out, then the crash

    tg = await restart_and_drain(start_bot)
    texts = [c.text for c in sent(tg, A)]
    assert len(texts) == 2 and "Sorry for the delay" in texts[0] and "Choose a topic" in texts[1]


async def test_a_message_that_waited_at_telegram_gets_one_apology_first(running: Harness) -> None:
    waited = [sent_now(running.message(q), ago=timedelta(minutes=20)) for q in ("/help", "/topics")]
    updates = [Update.de_json(payload, running.app.bot) for payload in waited]
    for update in updates:
        await running.app.update_queue.put(update)
    await until(lambda: len(sent(running, A)) == 3, "the apology and two answers")
    texts = [c.text for c in sent(running, A)]
    assert "Sorry for the delay" in texts[0] and "How to ask" in texts[1]
    assert "Choose a topic" in texts[2]


async def test_stopping_keeps_queued_and_unfinished_updates_for_the_next_start(
    running: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.telegram_updates.STOP_GRACE", 0.05)
    held: list[int] = []
    release = hold_chat(running, A, held)
    updates = await put(running, *(running.message(q) for q in ("/help", "/topics", "/events")))
    await until(lambda: bool(held), "the first send to start")
    await running.app.stop()  # the first is in flight and held, two wait in the queue
    release.set()
    pending = [p.update_id for p in queue_of(running).journal.pending()]
    assert pending == [u.update_id for u in updates]
    assert sent(running, A) == []


# -- fairness ----------------------------------------------------------------------------------------


async def test_chats_are_answered_concurrently_each_in_its_own_order(running: Harness) -> None:
    release = hold_chat(running, A)
    questions = ["/help", "/topics", "/events", "/start"]
    for question in questions:
        await put(running, running.message(question, user_id=A))
        await put(running, running.message(question, user_id=B))
    # A's first reply is held, yet B is answered in full: chats do not wait for each other.
    await until(lambda: len(sent(running, B)) == len(questions), "B's replies")
    assert sent(running, A) == []
    release.set()
    await until(lambda: len(sent(running, A)) == len(questions), "A's replies")
    expected = [running.assistant.command(User(A, "en", A), q[1:]) for q in questions]
    assert [c.text for c in sent(running, A)] == [r.text for r in expected if r is not None]
    assert [c.text for c in sent(running, B)] == [c.text for c in sent(running, A)]


async def test_a_flooding_user_gets_one_notice_and_others_are_answered(running: Harness) -> None:
    flood = [running.message("/help", user_id=A) for _ in range(BURST + 20)]
    await put(running, *flood, running.message("/help", user_id=B))
    await until(lambda: queue_of(running).journal.pending() == [], "every update handled")
    await until(lambda: len(sent(running, A)) == BURST + 1, "the notice")
    notices = [c for c in sent(running, A) if "faster than I can answer" in c.text]
    assert len(notices) == 1 and sent(running, A)[-1] is notices[0]
    assert len(sent(running, B)) == 1


# -- retries -----------------------------------------------------------------------------------------


async def test_sending_is_retried_on_5xx_and_network_errors(tg: Harness) -> None:
    tg.api.fail("sendMessage", 500, times=2)
    tg.api.fail("sendMessage", None, times=1)
    await tg.say("/help")
    assert len(tg.api.of("sendMessage")) == 4 and len(sent(tg)) == 1
    assert tg.errors == []


async def test_a_request_telegram_refuses_is_not_retried(tg: Harness) -> None:
    tg.api.fail("sendMessage", 400, times=1)
    await tg.say("/help")
    # The refused reply, then the apology: no third attempt at the refused one.
    assert len(tg.api.of("sendMessage")) == 2 and "Sorry" in sent(tg)[0].text


async def test_start_up_waits_for_the_bot_api_logging_one_line_per_attempt(
    assistant: Assistant, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeRequest()
    api.fail("getMe", None, times=2)
    api.fail("getMe", 502, times=1)
    builder = ApplicationBuilder().updater(None).request(api).get_updates_request(FakeRequest())
    settings = Settings(token=TOKEN, knowledge_dir=FIXTURE_KB, data_dir=data_dir)
    app = build_application(settings, assistant, builder=builder)
    with caplog.at_level(logging.WARNING, logger="bot.telegram_updates"):
        await app.initialize()
    try:
        lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(lines) == 3 and all(r.exc_info is None for r in lines)
        assert app.bot.username == "HelloShenyangBot"
    finally:
        await app.shutdown()


# -- reminders ---------------------------------------------------------------------------------------


async def test_a_reminder_whose_send_fails_is_retried_and_delivered_once(
    tg: Harness, clock: list[datetime]
) -> None:
    await tg.tap("rm:future-fair")
    clock[0] = NOW.replace(year=2030, month=8, day=31, hour=2)
    tg.api.clear()
    tg.api.fail("sendMessage", 500, times=6)  # more than the send retries: this round fails
    await deliver_reminders(BotContext(tg.app))
    assert sent(tg) == [] and len(tg.api.of("sendMessage")) == 6
    store = tg.assistant.store
    (waiting,) = store.reminders()
    assert waiting.retry_at is not None
    await deliver_reminders(BotContext(tg.app))
    assert len(tg.api.of("sendMessage")) == 6  # not before its retry time
    clock[0] = waiting.retry_at
    await deliver_reminders(BotContext(tg.app))
    await deliver_reminders(BotContext(tg.app))
    (reminder,) = sent(tg)
    assert "Reminder" in reminder.text and store.reminders() == []


# -- groups ------------------------------------------------------------------------------------------


async def test_report_in_a_group_is_refused_even_for_an_admin(start_bot: StartBot) -> None:
    tg = await start_bot(admins=frozenset({1001}))
    await tg.say("What is the stock price of Toyota?")
    tg.api.clear()
    await tg.say("/report", group=True)
    (note,) = sent(tg)
    assert "only in a private chat" in note.text and "Toyota" not in note.text
    await tg.say("/report")
    assert "Toyota" in sent(tg)[-1].text


async def test_two_users_reminders_in_one_group_are_their_own(tg: Harness) -> None:
    group_message = tg.bot_message(-100500)
    await tg.tap("rm:future-fair", user_id=1, message=group_message)
    await tg.tap("rm:future-fair", user_id=2, message=group_message)
    store = tg.assistant.store
    assert [r.chat_id for r in store.reminders()] == [-100500, -100500]
    await tg.say("/forget", user_id=1, group=True)
    assert store.reminders(1) == [] and len(store.reminders(2)) == 1


def test_the_processor_is_wired_in(tg: Harness) -> None:
    assert isinstance(tg.app, DurableApplication)
    assert isinstance(tg.app.update_processor, ChatProcessor)
    journal = tg.app.bot_data.journal
    assert isinstance(journal, UpdateJournal) and isinstance(tg.assistant.store, Store)


async def test_group_chatter_is_not_flood_controlled(running: Harness) -> None:
    chatter = [running.message("just chatting", user_id=A, group=True) for _ in range(BURST + 5)]
    await put(running, *chatter, running.message("/help", user_id=A, group=True))
    await until(lambda: queue_of(running).journal.pending() == [], "every update handled")
    (reply,) = sent(running)
    assert "How to ask" in reply.text
