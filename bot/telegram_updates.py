"""How updates flow through python-telegram-bot: stored before they are acknowledged, processed
concurrently across chats but in order within one, retried when sending fails.

Design, using python-telegram-bot's own seams rather than a polling loop of our own:

* :class:`DurableQueue` is the Application's ``update_queue``. Both the long-polling Updater and
  the webhook server put every update into it *before* acknowledging it (the Updater raises the
  ``getUpdates`` offset only after putting the whole batch; the webhook handler answers 200 only
  after ``put`` returns). ``put`` first commits the update to the journal (bot/journal.py), so an
  acknowledged update is always on disk. An update already stored (Telegram sending again what
  was fetched but not acknowledged before a crash) is not queued twice. On start,
  :meth:`DurableQueue.replay` queues the unfinished updates, oldest first, before polling starts.
* :class:`ChatProcessor` is a custom ``BaseUpdateProcessor``: updates of different chats run
  concurrently, those of one chat one after another (an ``asyncio.Lock`` per chat, FIFO, entered
  in the order the updates were queued). A private chat that floods is checked by bot/flood.py
  before it takes a lock: skipped messages cost nothing, so others are not held up. An update is marked
  done in the journal after its handler returned (its reply was sent). Messages that waited
  more than :data:`LATE` (through a crash, or at Telegram while the bot was down) are preceded
  by one "sorry for the delay" per chat.
* Each message of a reply goes through :func:`send_once`: the journal counts the messages
  Telegram accepted for the update being handled, so when an update is handled again after a
  crash the messages already sent are not sent again.
* :class:`DurableApplication` retries start-up while the Bot API is unreachable (one log line
  per attempt), and on stop drops what is still queued (it stays in the journal for the next
  start) and gives the updates in flight :data:`STOP_GRACE` seconds before cancelling them.
* :class:`RetryingRateLimiter` is the AIORateLimiter (429's retry_after honoured, Telegram's
  30 messages a second kept) plus retries of network errors and 5xx answers with backoff.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor, ExtBot

from bot.assistant import DELAYED, FLOODING
from bot.flood import FloodGate, Verdict
from bot.journal import UpdateJournal

log = logging.getLogger(__name__)

LATE = timedelta(minutes=3)  # a reply later than this gets "sorry for the delay" first
STOP_GRACE = 5.0  # seconds the updates in flight get on stop (a supervisor waits 10-15 s)
# python-telegram-bot's own bound on updates in processing. Ours is one at a time per chat, and
# an update waiting for its chat's turn already counts against this bound: set low, one busy
# group could take every place and hold up all other chats. The rate limiter keeps the sending
# at Telegram's 30 messages a second whatever the number.
MAX_CONCURRENT = 10_000

Notify = Callable[[Update, str], Awaitable[None]]
T = TypeVar("T")


@dataclass
class _Progress:
    """The update being handled in this task: messages sent before a crash, and now."""

    journal: UpdateJournal
    update_id: int
    before: int
    now: int = 0


# The update a handler is working for; a context variable because handlers run in the
# processor's task and python-telegram-bot gives them no other place to carry it.
_PROGRESS: ContextVar[_Progress | None] = ContextVar("update_progress", default=None)


async def send_once(send: Callable[[], Awaitable[T]]) -> T | None:
    """Send one message of a reply, unless it was sent before a crash (then None)."""
    progress = _PROGRESS.get()
    if progress is None:  # outside an update (reminders, notes)
        return await send()
    progress.now += 1
    if progress.now <= progress.before:
        return None
    result = await send()
    progress.journal.sent(progress.update_id, progress.now)
    return result


def chat_of(update: object) -> int:
    """The chat an update belongs to (the sender for inline queries; 0 when neither)."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0


class DurableQueue(asyncio.Queue[object]):
    """The update queue: an update is in the journal before it is queued (and acknowledged)."""

    def __init__(self, journal: UpdateJournal) -> None:
        super().__init__()
        self.journal = journal
        self.replayed: dict[int, tuple[datetime, int]] = {}  # update id → (arrived, sent)
        self._queued: set[int] = set()  # ids queued by this process and not done yet

    async def put(self, item: object) -> None:
        """Store, then queue; an update stored and queued (or answered) before is dropped."""
        if isinstance(item, Update):
            fresh = self.journal.add(item.update_id, item.to_json())
            if not fresh and (
                item.update_id in self._queued or self.journal.is_done(item.update_id)
            ):
                log.info("update %d arrived again; already handled", item.update_id)
                return
            self._queued.add(item.update_id)
        await super().put(item)

    def replay(self, bot: ExtBot[Any]) -> int:
        """Queue the updates left unfinished by the last run, oldest first; how many."""
        pending = self.journal.pending()
        for stored in pending:
            update = Update.de_json(json.loads(stored.payload), bot)
            self.replayed[update.update_id] = (stored.received_at, stored.sent)
            self._queued.add(update.update_id)
            self.put_nowait(update)
        if pending:
            log.info("%d unfinished updates from the last run are handled first", len(pending))
        return len(pending)

    def finish(self, update_id: int) -> None:
        """The update was answered."""
        self.journal.done(update_id)
        self._queued.discard(update_id)
        self.replayed.pop(update_id, None)

    def drop_queued(self) -> int:
        """Take out what waits in the queue (it stays in the journal); how many updates."""
        dropped = 0
        while not self.empty():
            item = self.get_nowait()
            self.task_done()
            if isinstance(item, Update):
                self._queued.discard(item.update_id)
                dropped += 1
        return dropped


class ChatProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat; flood control; journal bookkeeping."""

    def __init__(self, queue: DurableQueue, gate: FloodGate | None = None) -> None:
        super().__init__(MAX_CONCURRENT)
        self.queue = queue
        self.gate = gate or FloodGate()
        self.notify: Notify | None = None  # set by the front end: say a core note in the chat
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # chat → (lock, tasks using it)
        self._running: set[asyncio.Task[Any]] = set()
        self._told_late: set[int] = set()
        self._closing = False

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers of one update after the earlier updates of its chat."""
        chat = chat_of(update)
        if self._flooded(update, chat):
            _close(coroutine)
            return
        lock, users = self._locks.get(chat) or (asyncio.Lock(), 0)
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:
                if self._closing:  # stopping: leave it in the journal for the next start
                    _close(coroutine)
                    return
                await self._run(update, chat, coroutine)
        finally:
            lock, users = self._locks[chat]
            if users > 1:
                self._locks[chat] = (lock, users - 1)
            else:
                del self._locks[chat]

    def _flooded(self, update: object, chat: int) -> bool:
        if not isinstance(update, Update) or update.message is None:
            return False  # taps and inline queries: cheap, and their spinners need an answer
        if update.message.chat.type != ChatType.PRIVATE:
            # A group's chatter reaches the bot too (privacy mode off) and is ignored there at
            # no cost; one group can only hold up itself, and Telegram's 20 a minute per group
            # (the rate limiter) paces the replies.
            return False
        verdict = self.gate.check(chat, time.monotonic())
        if verdict is Verdict.ANSWER:
            return False
        if verdict is Verdict.NOTICE and self.notify is not None:
            task = asyncio.ensure_future(self._notice(update, chat))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        else:
            self.queue.finish(update.update_id)
        return True

    async def _notice(self, update: Update, chat: int) -> None:
        lock, users = self._locks.get(chat) or (asyncio.Lock(), 0)
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:  # after the replies already on their way to this chat
                if self.notify is not None:
                    await self.notify(update, FLOODING)
                self.queue.finish(update.update_id)
        finally:
            lock, users = self._locks[chat]
            self._locks[chat] = (lock, users - 1)
            if users <= 1:
                del self._locks[chat]

    async def _run(self, update: object, chat: int, coroutine: Awaitable[Any]) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        token = None
        try:
            if isinstance(update, Update):
                await self._sorry_if_late(update, chat)
                before = self.queue.replayed.get(update.update_id, (None, 0))[1]
                token = _PROGRESS.set(_Progress(self.queue.journal, update.update_id, before))
            await coroutine
        finally:
            if token is not None:
                _PROGRESS.reset(token)
            if task is not None:
                self._running.discard(task)
        if isinstance(update, Update):
            self.queue.finish(update.update_id)

    async def _sorry_if_late(self, update: Update, chat: int) -> None:
        """Once per chat: "sorry for the delay" before answering a message that waited more
        than LATE, in our journal (a crash) or at Telegram (the bot was down)."""
        received, sent = self.queue.replayed.get(update.update_id, (None, 0))
        if update.message is not None:  # a tap's message is the bot's own, old on purpose
            received = min(received or update.message.date, update.message.date)
        if received is None or sent or chat in self._told_late or self.notify is None:
            return
        if datetime.now(UTC) - received >= LATE and update.effective_message is not None:
            self._told_late.add(chat)
            await self.notify(update, DELAYED)

    async def drain(self, grace: float | None = None) -> None:
        """Stop taking updates; give those in flight ``grace`` seconds (:data:`STOP_GRACE`),
        then cancel them (they stay in the journal and are handled on the next start)."""
        self._closing = True
        grace = STOP_GRACE if grace is None else grace
        running = {t for t in self._running if t is not asyncio.current_task()}
        if not running:
            return
        _done, late = await asyncio.wait(running, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            log.warning(
                "%d updates did not finish in %.0f s; kept for the next start", len(late), grace
            )
            await asyncio.wait(late, timeout=1.0)


def _close(coroutine: Awaitable[Any]) -> None:
    if isinstance(coroutine, Coroutine):
        coroutine.close()


class DurableApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that waits for the Bot API at start and stops within :data:`STOP_GRACE`."""

    start_retry = (1.0, 60.0)  # first pause and longest pause between start-up attempts

    async def initialize(self) -> None:
        """Initialise, retrying while the Bot API cannot be reached (a wrong token is final)."""
        pause, longest = self.start_retry
        while True:
            try:
                await super().initialize()
                return
            except NetworkError as error:
                if isinstance(error, BadRequest):
                    raise
                log.warning("Telegram Bot API unreachable (%s); retrying in %.0f s", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, longest)

    async def stop(self) -> None:
        """Leave queued updates in the journal, finish or cancel those in flight, then stop."""
        limiter = self.bot.rate_limiter if isinstance(self.bot, ExtBot) else None
        if isinstance(limiter, RetryingRateLimiter):
            limiter.stopping = True  # a failing send now fails at once, not after 15 s of retries
        processor = self.update_processor
        queue = self.update_queue
        if isinstance(queue, DurableQueue):
            dropped = queue.drop_queued()
            if dropped:
                log.info("%d queued updates are kept for the next start", dropped)
        if isinstance(processor, ChatProcessor):
            await processor.drain()
        await super().stop()


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter, plus retries of network errors and 5xx answers with a growing pause."""

    # Pauses between attempts, in seconds: 0.5 + 1 + 2 + 4 + 8 = 15.5 s covers the 10 s outage
    # of sendMessage measured in issue 13 (0 of 18 answered before).
    pauses: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    stopping = False  # set on stop: no more retries

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send through the rate limiter; retry what may succeed on a second try."""
        for pause in (*self.pauses, None):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except NetworkError as error:  # connection problems, timeouts, HTTP 5xx
                if isinstance(error, BadRequest) or pause is None or self.stopping:
                    raise
                if endpoint == "getMe":  # start-up: DurableApplication.initialize retries
                    raise
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, error, pause)
            await asyncio.sleep(pause)
        raise AssertionError("unreachable")  # the last attempt returns or raises
