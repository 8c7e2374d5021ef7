"""Durability and fairness of the running bot, measured over HTTP against the in-repo fake Bot API
on 127.0.0.1 (`tests/support/fake_bot_api.py`); `python benchmarks/bench_durability.py`.

* crash: 100 users send 5 questions each (500); the bot is killed with SIGKILL once 100 replies
  were sent, then started again on the same data directory. Counted: questions never answered
  and questions answered twice.
* stop: the same, with SIGTERM instead; measured too: how long the bot takes to stop.
* outage: 18 users ask while sendMessage fails with HTTP 500 for 10 s; counted: questions
  answered in the end.
* fairness: one user sends 600 messages, then another user asks one question; measured: how long
  the other user waits for the reply.

``--root DIR`` runs another checkout's ``run_bot.py`` (e.g. ``git archive <commit>`` unpacked
into a scratch folder) with this interpreter, to compare before and after a change.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.fake_bot_api import Call, FakeBotAPI, FakeUser

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH"
QUIET_SECONDS = 3.0  # no new reply for this long: the bot is done


async def start(server: FakeBotAPI, root: Path, data: Path) -> asyncio.subprocess.Process:
    """The bot as a child process against the fake server, its output discarded."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        BOT_DATA_DIR=str(data),
        BOT_KNOWLEDGE_DIR=str(root / "knowledge"),
        NO_PROXY="127.0.0.1,localhost",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "run_bot.py",
        cwd=root,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def accepted(server: FakeBotAPI) -> list[Call]:
    return [c for c in server.find(method="sendMessage") if c.ok]


async def settle(server: FakeBotAPI, limit: float = 120.0) -> None:
    """Wait until no reply has come for QUIET_SECONDS (at most ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(accepted(server))
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.2)


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


async def crash(
    root: Path, users: int = 100, each: int = 5, kill_after: int = 100, term: bool = False
) -> str:
    """Questions lost and answered twice across a kill -9 (or, with ``term``, a SIGTERM and
    the time the bot takes to stop) in the middle of a burst."""
    people = [FakeUser(10_000 + n, f"User {n}", "en") for n in range(users)]
    questions = ["/help", "Where is the Mukden Palace?", "/topics", "/events", "What is Shenyang?"]
    async with FakeBotAPI(TOKEN) as server:
        with tempfile.TemporaryDirectory() as scratch:
            bot = await start(server, root, Path(scratch))
            for question in questions[:each]:
                for person in people:
                    server.send_text(person, question)
            await server.wait_for(lambda c: len(accepted(server)) >= kill_after, timeout=120)
            stopping = time.monotonic()
            if term:
                bot.send_signal(signal.SIGTERM)
            else:
                bot.kill()
            await bot.wait()
            stopped = time.monotonic() - stopping
            before = len(accepted(server))
            bot = await start(server, root, Path(scratch))
            # Before durable updates nothing more was ever answered: what was fetched is gone.
            with contextlib.suppress(AssertionError):
                await server.wait_for(lambda c: len(accepted(server)) > before, timeout=30)
            await settle(server)
            await stop(bot)
    per_chat: dict[object, int] = {}
    for call in accepted(server):
        per_chat[call.chat_id] = per_chat.get(call.chat_id, 0) + 1
    lost = sum(max(each - per_chat.get(p.id, 0), 0) for p in people)
    twice = sum(max(per_chat.get(p.id, 0) - each, 0) for p in people)
    missed = sum(per_chat.get(p.id, 0) < each for p in people)
    total = users * each
    how = f"SIGTERM (stopped in {stopped:.1f} s)" if term else "kill -9"
    return (
        f"{how}: {total} questions, stopped after {before} replies: {lost} lost "
        f"({lost / total:.0%}), {twice} extra replies, {missed} users missing a reply"
    )


async def outage(root: Path, users: int = 18, seconds: float = 10.0) -> str:
    """Questions answered when sendMessage fails with HTTP 500 for ``seconds``."""
    people = [FakeUser(30_000 + n, f"User {n}", "en") for n in range(users)]
    async with FakeBotAPI(TOKEN) as server:
        with tempfile.TemporaryDirectory() as scratch:
            bot = await start(server, root, Path(scratch))
            server.send_text(people[0], "/start")  # warm up: the bot is polling
            await server.wait_for(lambda c: c.ok, method="sendMessage", timeout=60)
            for _ in range(100_000):
                server.fail_next("sendMessage", "Internal Server Error", 500)
            since = len(server.calls)
            for person in people:
                server.send_text(person, "Where is the Mukden Palace?")
            await asyncio.sleep(seconds)
            server.clear_failures()
            await settle(server)
            await stop(bot)
    answered = {c.chat_id for c in server.calls[since:] if c.method == "sendMessage" and c.ok}
    return (
        f"outage: {len(answered)} of {users} questions answered after {seconds:.0f} s of HTTP 500"
    )


async def fairness(root: Path, flood: int = 600) -> str:
    """How long a user waits while another floods the bot."""
    flooder, other = FakeUser(20_001, "Flood", "en"), FakeUser(20_002, "Other", "en")
    async with FakeBotAPI(TOKEN) as server:
        with tempfile.TemporaryDirectory() as scratch:
            bot = await start(server, root, Path(scratch))
            server.send_text(other, "/help")  # warm up: the bot is polling
            await server.wait_for(lambda c: c.chat_id == other.id, method="sendMessage", timeout=60)
            for _ in range(flood):
                server.send_text(flooder, "Where is the Mukden Palace?")
            await asyncio.sleep(0.5)  # the flood is being fetched and answered
            asked = time.monotonic()
            since = len(server.calls)
            server.send_text(other, "Where is the Mukden Palace?")
            reply = await server.wait_for(
                lambda c: c.chat_id == other.id, method="sendMessage", since=since, timeout=120
            )
            waited = reply.at - asked
            fetched = [
                c.at
                for c in server.find(method="getUpdates")
                if other.id
                in {u.get("message", {}).get("chat", {}).get("id") for u in c.result or []}
            ]
            flooder_replies = sum(1 for c in accepted(server) if c.chat_id == flooder.id)
            await stop(bot)
    return (
        f"fairness: another user's reply took {waited:.2f} s during a flood of {flood} "
        f"messages ({reply.at - fetched[-1]:.2f} s after the bot fetched the question; "
        f"{flooder_replies} replies to the flooder by then)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose bot to run")
    parser.add_argument(
        "--only", choices=("crash", "stop", "outage", "fairness"), help="run one measurement"
    )
    args = parser.parse_args()
    if args.only in (None, "crash"):
        print(asyncio.run(crash(args.root.resolve())))
    if args.only in (None, "stop"):
        print(asyncio.run(crash(args.root.resolve(), term=True)))
    if args.only in (None, "outage"):
        print(asyncio.run(outage(args.root.resolve())))
    if args.only in (None, "fairness"):
        print(asyncio.run(fairness(args.root.resolve())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
