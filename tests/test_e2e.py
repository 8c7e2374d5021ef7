"""End to end: `python run_bot.py`, started as a user would start it, against a fake Bot API on
127.0.0.1, with three users (ja, zh, en) talking to it at the same time."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from .support.buttons import bare
from .support.fake_bot_api import Call, FakeBotAPI, FakeUser

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST"
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
STARTUP_SECONDS = 30.0
STEP_SECONDS = 10.0
STOP_SECONDS = 10.0

HARUKA = FakeUser(1001, "Haruka", "ja", "haruka")
WEI = FakeUser(1002, "Wei", "zh", "wei")
ALICE = FakeUser(1003, "Alice", "en", "alice")


class BotProcess:
    """The bot as a child process; its stdout and stderr are collected as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output = bytearray()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := await self.process.stdout.read(65536):
            self.output += chunk

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")

    async def stop(self) -> int:
        """SIGTERM, wait, SIGKILL if it does not stop in time; the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), STOP_SECONDS)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        try:
            await asyncio.wait_for(self._reader, 5)
        except TimeoutError:
            self._reader.cancel()
        assert self.process.returncode is not None
        return self.process.returncode


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as api:
        yield api


async def start_bot(
    server: FakeBotAPI, data_dir: Path, *args: str, knowledge: str = "tests/fixtures/kb"
) -> BotProcess:
    """`python run_bot.py [args]` as a user starts it, pointed at the fake Bot API."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in ("http_proxy", "https_proxy", "all_proxy")  # loopback only
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        BOT_DATA_DIR=str(data_dir),
        BOT_KNOWLEDGE_DIR=knowledge,
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
    )
    env.pop("BOT_ADMIN_IDS", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "run_bot.py",
        *args,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return BotProcess(process)


@pytest.fixture
async def bot(server: FakeBotAPI, tmp_path: Path) -> AsyncIterator[BotProcess]:
    running = await start_bot(server, tmp_path / "data")
    try:
        yield running
    finally:
        await running.stop()


async def expect(
    server: FakeBotAPI,
    bot: BotProcess,
    predicate: Callable[[Call], bool] | None = None,
    *,
    method: str,
    since: int = 0,
    timeout: float = STEP_SECONDS,
) -> Call:
    """Wait for the bot to make a call; fail at once (with its output) if the process dies."""
    waiter = asyncio.ensure_future(
        server.wait_for(predicate, method=method, since=since, timeout=timeout)
    )
    exited = asyncio.ensure_future(bot.process.wait())
    try:
        done, _pending = await asyncio.wait({waiter, exited}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            pytest.fail(f"the bot exited ({bot.process.returncode}) while waiting for {method}")
        return waiter.result()
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- bot output ---\n{bot.text}") from None
    finally:
        waiter.cancel()
        exited.cancel()


def to(user: FakeUser) -> Callable[[Call], bool]:
    return lambda call: call.chat_id == user.id


def answers(update: dict[str, object]) -> Callable[[Call], bool]:
    query = update["callback_query"]
    assert isinstance(query, dict)
    return lambda call: call.params.get("callback_query_id") == query["id"]


def callback_data(call: Call) -> list[str]:
    return [bare(b["callback_data"]) for b in call.buttons if "callback_data" in b]


async def test_three_users_talk_to_the_bot_at_once(server: FakeBotAPI, bot: BotProcess) -> None:
    async with asyncio.timeout(50):
        # Start-up: the command menu is registered for ja, zh, en and as the default.
        # (setMyShortDescription is the last call for each language.)
        for language in (None, "ja", "zh", "en"):
            for method in ("setMyCommands", "setMyShortDescription"):
                await expect(
                    server,
                    bot,
                    lambda call, lang=language: (
                        call.ok and call.params.get("language_code") == lang
                    ),
                    method=method,
                    timeout=STARTUP_SECONDS,
                )
        commands = {
            lang: server.commands[('{"type": "default"}', lang)] for lang in ("", "ja", "zh", "en")
        }
        names = {lang: [c["command"] for c in listed] for lang, listed in commands.items()}
        assert names[""] == names["ja"] == names["zh"] == names["en"]
        assert {"start", "topics", "help", "lang", "forget"} <= set(names[""])
        descriptions = {
            lang: " ".join(c["description"] for c in listed) for lang, listed in commands.items()
        }
        assert KANA.search(descriptions["ja"])
        assert HAN.search(descriptions["zh"]) and not KANA.search(descriptions["zh"])
        assert not HAN.search(descriptions["en"]) and descriptions[""] == descriptions["en"]
        assert set(server.descriptions) == set(server.short_descriptions) == {"", "ja", "zh", "en"}

        # Three users ask about the palace at the same moment, each in their own language.
        mark = len(server.calls)
        server.queue(
            server.message_update(HARUKA, "瀋陽故宮はどこですか"),
            server.message_update(WEI, "沈阳故宫在哪里"),
            server.message_update(ALICE, "Where is the Mukden Palace?"),
        )
        ja, zh, en = await asyncio.gather(
            *(
                expect(server, bot, to(user), method="sendMessage", since=mark)
                for user in (HARUKA, WEI, ALICE)
            )
        )
        batches = [c for c in server.find(method="getUpdates") if c.ok and c.result]
        assert len(batches[0].result) == 3, "the three messages should arrive in one poll"

        assert "故宮は瀋河区にあります" in ja.text and KANA.search(ja.text)
        assert "故宫在沈河区" in zh.text and not KANA.search(zh.text)
        assert "The palace is in Shenhe district." in en.text and not HAN.search(en.text)
        bold = [e for e in en.message["entities"] if e["type"] == "bold"]
        assert any(en.text[e["offset"] : e["offset"] + e["length"]] == "Shenhe" for e in bold)
        for reply, map_label in ((ja, "📍 地図"), (zh, "📍 地图"), (en, "📍 Map")):
            assert reply.params.get("parse_mode") == "HTML"
            assert reply.reply_markup and reply.reply_markup["inline_keyboard"]
            assert map_label in [b["text"] for b in reply.buttons]
            assert "map:palace" in callback_data(reply)

        # At once: Haruka opens the map, Wei asks for the topics, Alice searches inline and votes.
        mark = len(server.calls)
        map_press = server.press_button(HARUKA, ja, "📍")
        server.send_text(WEI, "/topics")
        vote = server.press_button(ALICE, en, "👍")
        server.send_inline_query(ALICE, "palace tickets")
        venue, map_answer, topics, vote_answer, inline = await asyncio.gather(
            expect(server, bot, to(HARUKA), method="sendVenue", since=mark),
            expect(server, bot, answers(map_press), method="answerCallbackQuery", since=mark),
            expect(server, bot, to(WEI), method="sendMessage", since=mark),
            expect(server, bot, answers(vote), method="answerCallbackQuery", since=mark),
            expect(server, bot, method="answerInlineQuery", since=mark),
        )
        assert venue.ok and map_answer.ok
        assert venue.params["latitude"] == pytest.approx(41.7968)
        assert venue.params["longitude"] == pytest.approx(123.4556)
        assert venue.params["title"] == "故宮" and venue.params["address"] == "瀋河区"
        assert "请选择主题" in topics.text
        assert not KANA.search(topics.text)
        assert "c:tourism" in callback_data(topics)
        assert vote_answer.params.get("text")  # a thank-you pop-up
        results = inline.params["results"]
        assert results and results[0]["id"] == "palace"
        assert "The palace is in" in results[0]["input_message_content"]["message_text"]

        # Wei picks a topic: the topic message is edited in place, not answered anew.
        mark = len(server.calls)
        category_press = server.press_button(WEI, topics, "🏯")
        edit, category_answer = await asyncio.gather(
            expect(server, bot, to(WEI), method="editMessageText", since=mark),
            expect(server, bot, answers(category_press), method="answerCallbackQuery", since=mark),
        )
        assert edit.ok and category_answer.ok
        assert edit.params["message_id"] == topics.message_id
        assert "旅游" in edit.text
        assert "e:palace" in callback_data(edit)
        assert server.message(WEI.id, topics.message_id)["text"] == edit.text
        assert not server.find(
            lambda c: c.index >= mark and c.chat_id == WEI.id, method="sendMessage"
        )

        assert not server.errors, "\n".join(c.summary() for c in server.errors)

    assert await bot.stop() == 0, bot.text
    for leaked in (TOKEN, TOKEN.replace(":", "%3A")):
        assert leaked not in bot.text, "the bot token appears in the bot's output"


LIN = FakeUser(1004, "Lin", "en", "lin")  # writes Chinese on a phone set to English
KENJI = FakeUser(1005, "Kenji", "en", "kenji")  # writes Japanese on a phone set to English


async def test_taps_and_commands_keep_the_language_the_user_writes_in(
    server: FakeBotAPI, bot: BotProcess
) -> None:
    async with asyncio.timeout(50):
        await expect(server, bot, method="setMyShortDescription", timeout=STARTUP_SECONDS)
        mark = len(server.calls)
        server.send_text(LIN, "沈阳故宫在哪里")
        palace = await expect(server, bot, to(LIN), method="sendMessage", since=mark)
        assert "故宫在沈河区" in palace.text
        mark = len(server.calls)
        server.press_button(LIN, palace, "➡")  # the related entry, under a Chinese answer
        related = await expect(server, bot, to(LIN), method="editMessageText", since=mark)
        assert "北陵公园在皇姑区" in related.text and "Beiling" not in related.text

        mark = len(server.calls)
        server.send_text(KENJI, "こんにちは")
        await expect(server, bot, to(KENJI), method="sendMessage", since=mark)
        for command, japanese in (("/events", "イベント"), ("/topics", "テーマ")):
            mark = len(server.calls)
            server.send_text(KENJI, command)
            reply = await expect(server, bot, to(KENJI), method="sendMessage", since=mark)
            assert japanese in reply.text and KANA.search(reply.text), reply.text
        assert not server.errors, "\n".join(c.summary() for c in server.errors)
    assert await bot.stop() == 0, bot.text


MEI = FakeUser(1006, "Mei", "zh", "mei")
YUKI = FakeUser(1007, "Yuki", "ja", "yuki")
TOM = FakeUser(1008, "Tom", "en", "tom")


async def test_follow_ups_and_a_language_switch_in_words_on_the_shipped_knowledge(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    bot = await start_bot(server, tmp_path / "data", knowledge="knowledge")
    try:
        async with asyncio.timeout(60):
            await expect(server, bot, method="setMyShortDescription", timeout=STARTUP_SECONDS)
            for user, question, follow_up, heading in (
                (MEI, "沈阳故宫值得去吗", "怎么去", "沈阳故宫 · 交通方式"),
                (
                    YUKI,
                    "瀋陽故宮について教えてください",
                    "開館時間は？",
                    "瀋陽故宮 · 開館・営業時間",
                ),
                (TOM, "tell me about the Mukden Palace", "how do i get there?", "Mukden Palace ·"),
            ):
                mark = len(server.calls)
                server.send_text(user, question)
                await expect(server, bot, to(user), method="sendMessage", since=mark)
                mark = len(server.calls)
                server.send_text(user, follow_up)
                reply = await expect(server, bot, to(user), method="sendMessage", since=mark)
                assert reply.text.startswith(heading), reply.text
                assert "e:mukden-palace" in callback_data(reply)  # the whole entry, a tap away
            mark = len(server.calls)
            server.send_text(TOM, "reply in Japanese please")
            switched = await expect(server, bot, to(TOM), method="sendMessage", since=mark)
            assert "日本語でお答えします" in switched.text
            mark = len(server.calls)
            server.send_text(TOM, "/topics")
            topics = await expect(server, bot, to(TOM), method="sendMessage", since=mark)
            assert "テーマを選んでください" in topics.text
            assert not server.errors, "\n".join(c.summary() for c in server.errors)
    finally:
        assert await bot.stop() == 0, bot.text


async def test_an_aspect_the_taxi_card_and_the_zone_finder_on_the_shipped_knowledge(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    bot = await start_bot(server, tmp_path / "data", knowledge="knowledge")
    try:
        async with asyncio.timeout(60):
            await expect(server, bot, method="setMyShortDescription", timeout=STARTUP_SECONDS)
            mark = len(server.calls)
            server.send_text(MEI, "沈阳故宫几点开门")
            hours = await expect(server, bot, to(MEI), method="sendMessage", since=mark)
            assert hours.text.startswith("沈阳故宫 · 开放时间") and len(hours.text) <= 300
            mark = len(server.calls)
            server.send_text(TOM, "where is the mukden palace?")
            where = await expect(server, bot, to(TOM), method="sendMessage", since=mark)
            mark = len(server.calls)
            server.press_button(TOM, where, "🚕")
            card = await expect(server, bot, to(TOM), method="sendMessage", since=mark)
            assert "沈阳" in card.text and "Show this to the driver" in card.text
            mark = len(server.calls)
            server.send_text(YUKI, "自動車部品を作っています。どの開発区がいいですか")
            zones = await expect(server, bot, to(YUKI), method="sendMessage", since=mark)
            assert "瀋陽経済技術開発区" in zones.text
            assert not server.errors, "\n".join(c.summary() for c in server.errors)
    finally:
        assert await bot.stop() == 0, bot.text


async def test_a_rejected_token_is_not_printed(tmp_path: Path) -> None:
    async with FakeBotAPI("654321:OTHER") as server:  # the bot's token is refused with 401
        bot = await start_bot(server, tmp_path / "data")
        try:
            await asyncio.wait_for(bot.process.wait(), STARTUP_SECONDS)
        finally:
            await bot.stop()
        assert server.find(lambda call: call.status == 401, method="getMe")
    assert bot.process.returncode != 0
    assert TOKEN not in bot.text, "the rejected token appears in the bot's output"


async def test_webhook_serves_its_path_and_refuses_forged_updates(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = await start_bot(
        server,
        tmp_path / "data",
        *("run", "--webhook", "https://bot.example.org/hook"),
        *("--port", str(port)),  # binds 127.0.0.1 unless --listen says otherwise
    )
    try:
        registered = await expect(server, bot, method="setWebhook", timeout=STARTUP_SECONDS)
        assert registered.params["url"] == "https://bot.example.org/hook"
        secret = registered.params.get("secret_token")
        assert secret, "setWebhook without secret_token: anyone can post updates to the bot"
        hook = f"http://127.0.0.1:{port}/hook"
        async with aiohttp.ClientSession() as http:
            for _attempt in range(50):  # the webhook server starts listening after setWebhook
                try:
                    forged = await http.post(hook, json=server.message_update(ALICE, "hello"))
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail(f"nothing listens on {hook}")
            assert forged.status == 403
            genuine = await http.post(
                hook,
                json=server.message_update(ALICE, "hello"),
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
            assert genuine.status == 200
        reply = await expect(server, bot, to(ALICE), method="sendMessage")
        assert "Hello!" in reply.text
        assert len(server.find(method="sendMessage")) == 1  # the forged update got no answer
    finally:
        await bot.stop()
    assert TOKEN not in bot.text


async def test_sighup_reloads_knowledge_and_a_broken_edit_keeps_the_old_one(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    knowledge = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb", knowledge)
    places = knowledge / "places.yaml"
    original = places.read_text(encoding="utf-8")
    bot = await start_bot(server, tmp_path / "data", knowledge=str(knowledge))
    try:
        async with asyncio.timeout(50):
            await expect(server, bot, method="setMyShortDescription", timeout=STARTUP_SECONDS)

            async def ask() -> str:
                mark = len(server.calls)
                server.send_text(ALICE, "Where is the Mukden Palace?")
                return (await expect(server, bot, to(ALICE), method="sendMessage", since=mark)).text

            assert "in Shenhe district" in await ask()

            # A broken edit: the reload is refused and the old knowledge keeps answering.
            places.write_text(original.replace("related: [tomb]", "related: [nowhere]"), "utf-8")
            bot.process.send_signal(signal.SIGHUP)
            while "related id 'nowhere' does not exist" not in bot.text:
                await asyncio.sleep(0.05)
            assert "in Shenhe district" in await ask()

            # A good edit goes live without a restart.
            places.write_text(
                original.replace("in **Shenhe** district", "next to Zhongjie"), "utf-8"
            )
            bot.process.send_signal(signal.SIGHUP)
            while "Knowledge reloaded" not in bot.text:
                await asyncio.sleep(0.05)
            assert "next to Zhongjie" in await ask()
    finally:
        assert await bot.stop() == 0, bot.text


SORA = FakeUser(1009, "Sora", "ja", "sora")
LEE = FakeUser(1010, "Lee", "zh", "lee")
ANN = FakeUser(1011, "Ann", "en", "ann")
# A curator announces an edition: far enough ahead to stay "coming up" whenever the test runs.
ANNOUNCED = """\
      - start: 2099-12-12T18:00:00+08:00
        venue: {zh: 棋盘山, ja: 棋盤山, en: Qipanshan}
        source: "test announcement"
"""


async def test_events_when_and_following_on_the_shipped_knowledge(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    bot = await start_bot(server, tmp_path / "data", knowledge=str(knowledge))
    try:
        async with asyncio.timeout(60):
            await expect(server, bot, method="setMyShortDescription", timeout=STARTUP_SECONDS)
            mark = len(server.calls)
            server.send_text(ANN, "/events")
            events = await expect(server, bot, to(ANN), method="sendMessage", since=mark)
            assert "Coming up" in events.text and "Expected" in events.text
            assert "Ice & Snow Festival" in events.text and "1978" not in events.text
            assert {"evf:this-month", "evf:business", "folm"} <= set(callback_data(events))

            for user, question, heading, usual in (
                (ANN, "When is the ice festival?", "Ice & Snow Festival · dates", "Usually"),
                (LEE, "冰雪节什么时候开始", "沈阳冰雪节（冰雪季） · 日期", "通常"),
                (SORA, "氷雪祭はいつですか", "瀋陽氷雪祭（氷雪シーズン） · 日程", "例年"),
            ):
                mark = len(server.calls)
                server.send_text(user, question)
                reply = await expect(server, bot, to(user), method="sendMessage", since=mark)
                assert reply.text.startswith(heading), reply.text
                assert usual in reply.text, reply.text  # no edition ahead is announced
                assert "2013" not in reply.text  # a past edition is never the answer
                assert "ics:shenyang-ice-snow-festival-2013" not in callback_data(reply)

            for user, label in ((SORA, "すべてのイベント"), (ANN, "Sports events")):
                mark = len(server.calls)
                server.send_text(user, "/follow")
                menu = await expect(server, bot, to(user), method="sendMessage", since=mark)
                mark = len(server.calls)
                server.press_button(user, menu, label)
                await expect(server, bot, to(user), method="editMessageText", since=mark)

            events_file = knowledge / "events.yaml"
            text = events_file.read_text(encoding="utf-8")
            anchor = '        source: "GlobeNewswire release of 2025-12-30'
            line_end = text.index("\n", text.index(anchor)) + 1
            events_file.write_text(text[:line_end] + ANNOUNCED + text[line_end:], "utf-8")
            mark = len(server.calls)
            bot.process.send_signal(signal.SIGHUP)
            notice = await expect(server, bot, to(SORA), method="sendMessage", since=mark)
            assert "新しい日程が発表されました" in notice.text and "2099年12月12日" in notice.text
            assert "日本時間 19:00" in notice.text

            bot.process.send_signal(signal.SIGHUP)  # the same knowledge again
            while bot.text.count("Knowledge reloaded") < 2:
                await asyncio.sleep(0.05)
            mark2 = len(server.calls)
            server.send_text(SORA, "/help")
            await expect(server, bot, to(SORA), method="sendMessage", since=mark2)
            told = server.find(
                lambda c: c.index >= mark and "🆕" in (c.text or ""), method="sendMessage"
            )
            assert len(told) == 1  # once, however often the curator reloads
            assert not server.find(
                lambda c: c.index >= mark and c.chat_id == ANN.id, method="sendMessage"
            )  # Ann follows sports; the festival is culture
            assert not server.errors, "\n".join(c.summary() for c in server.errors)
    finally:
        assert await bot.stop() == 0, bot.text


async def test_kill_9_in_the_middle_of_a_burst_loses_no_question_and_repeats_no_reply(
    server: FakeBotAPI, tmp_path: Path
) -> None:
    """Twenty users send three questions each; the bot is killed (SIGKILL) while replies are
    on their way (Telegram failing sendMessage at that moment, so no reply is half-sent); after a
    restart every question has exactly one reply."""
    users = [FakeUser(3000 + n, f"User {n}", "en") for n in range(20)]
    questions = ("/help", "Where is the palace?", "/topics")
    data = tmp_path / "data"
    first = await start_bot(server, data)
    try:
        for question in questions:
            for user in users:
                server.send_text(user, question)
        await expect(server, first, lambda c: c.ok, method="sendMessage", timeout=STARTUP_SECONDS)
        await server.wait_for(lambda c: len(accepted(server)) >= 10, timeout=STEP_SECONDS)
        for _ in range(1000):  # Telegram fails every send from now on …
            server.fail_next("sendMessage", "Internal Server Error", 500)
        await server.wait_for(
            lambda c: sum(x.injected for x in server.calls) >= 20, timeout=STEP_SECONDS
        )
        first.process.kill()  # … and the bot dies in the middle of it
        await first.stop()
    finally:
        await first.stop()
    answered_before = len(accepted(server))
    assert 10 <= answered_before < len(users) * len(questions)
    server.clear_failures()
    second = await start_bot(server, data)
    try:
        for user in users:
            await expect(
                server,
                second,
                lambda c, u=user.id: len(accepted(server, u)) == len(questions),  # type: ignore[misc]
                method="sendMessage",
                timeout=STARTUP_SECONDS,
            )
    finally:
        assert await second.stop() == 0
    for user in users:
        replies = [c.text for c in accepted(server, user.id)]
        assert len(replies) == len(questions), (user.id, replies)
        assert "How to ask" in replies[0] and "Choose a topic" in replies[2]


def accepted(server: FakeBotAPI, chat_id: int | None = None) -> list[Call]:
    """The messages Telegram accepted, to one chat or all."""
    return [
        c
        for c in server.find(method="sendMessage")
        if c.ok and (chat_id is None or c.chat_id == chat_id)
    ]
