"""Shared fixtures: the small fixture knowledge base, catalogs, a store and an assistant.

Also a local stand-in for the Telegram Bot API and a real, initialised Application.
:class:`FakeRequest` plugs into python-telegram-bot the way its own test-suite does it: as the
``request`` object of the bot. Every Bot API call is answered locally and recorded (method name and
decoded parameters, plus the bytes of uploaded files). Like the real API it refuses what it would
refuse in production — malformed HTML, text longer than 4096 characters, empty text, callback data
over 64 bytes, and edits that change nothing — so a bug Telegram would reject fails the tests
instead of passing silently.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, RequestData

from bot.assistant import Assistant
from bot.config import LOCALES_DIR, Settings
from bot.i18n import Catalogs, load_catalogs
from bot.knowledge import KnowledgeBase, load_knowledge, load_knowledge_or_raise
from bot.store import Store
from bot.telegram_app import build_application

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"
# A fixed "now" between the fixture's past event (2023) and its future one (2030).
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(FIXTURE_KB, strict=True)


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge_or_raise(SHIPPED_KB, strict=True)


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return load_catalogs(LOCALES_DIR)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.in_directory(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def assistant(fixture_kb: KnowledgeBase, catalogs: Catalogs, store: Store) -> Assistant:
    return Assistant(fixture_kb, catalogs, store, clock=lambda: NOW)


# -- Telegram: a fake Bot API and a real Application --------------------------------------------

BOT_ID = 5550001
BOT_USERNAME = "HelloShenyangBot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Hello, Shenyang",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
TOKEN = "123456:TEST-token-not-real"

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
# What Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
TELEGRAM_TAGS = frozenset(
    {
        *("b", "strong", "i", "em", "u", "ins", "s", "strike", "del"),
        *("span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"),
    }
)
_HTML_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z-]*)((?:\s[^<>]*)?)>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
)


class TelegramHTMLError(ValueError):
    pass


def parse_telegram_html(text: str) -> str:
    """The visible text of a Telegram-HTML message, raising like the Bot API on bad markup."""
    visible: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _HTML_TOKEN.finditer(text):
        plain = text[position : match.start()]
        if "<" in plain or ">" in plain or "&" in plain:
            raise TelegramHTMLError(f"unescaped character in {plain!r}")
        visible.append(plain)
        position = match.end()
        closing, name, _attributes, entity = match.groups()
        if entity:
            visible.append("&")  # one character once parsed
            continue
        name = name.lower()
        if name not in TELEGRAM_TAGS:
            raise TelegramHTMLError(f"unsupported start tag {name!r}")
        if closing:
            if not stack or stack[-1] != name:
                raise TelegramHTMLError(f"can't find start tag for </{name}>")
            stack.pop()
        else:
            stack.append(name)
    plain = text[position:]
    if "<" in plain or ">" in plain or "&" in plain:
        raise TelegramHTMLError(f"unescaped character in {plain!r}")
    visible.append(plain)
    if stack:
        raise TelegramHTMLError(f"can't find end tag corresponding to start tag {stack[-1]!r}")
    return "".join(visible)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # part -> (filename, bytes)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]


class BadRequestReply(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class FakeRequest(BaseRequest):
    """Answers Bot API methods locally and records each call."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._ids = itertools.count(1000)
        # (chat id, message id) -> (text, reply markup) of messages the bot sent, to detect no-op edits
        self._messages: dict[tuple[int, int], tuple[str, Any]] = {}
        self.deleted: set[tuple[int, int]] = set()  # (chat id, message id) the user deleted

    # -- BaseRequest interface -------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None and request_data.contains_files:
            for part, value in request_data.multipart_data.items():
                filename, content = value[0], value[1]
                data = content if isinstance(content, bytes) else content.read()
                files[part] = (filename, data)
        self.calls.append(ApiCall(api_method, params, files))
        try:
            result = self._answer(api_method, params, files)
        except BadRequestReply as error:
            body = {"ok": False, "error_code": 400, "description": error.description}
            return 400, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- the fake API ----------------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in (
            "answerCallbackQuery",
            "answerInlineQuery",
            "setMyCommands",
            "setMyDescription",
            "setMyShortDescription",
            "deleteWebhook",
        ):
            if method == "answerCallbackQuery" and len(params.get("text") or "") > 200:
                raise BadRequestReply("Bad Request: MESSAGE_TOO_LONG")
            return True
        if method == "sendMessage":
            text = self._checked_text(params)
            message = self._message(params["chat_id"], text=text)
            self._messages[(params["chat_id"], message["message_id"])] = (
                text,
                params.get("reply_markup"),
            )
            return message
        if method == "editMessageText":
            text = self._checked_text(params)
            key = (params["chat_id"], params["message_id"])
            if key in self.deleted:
                raise BadRequestReply("Bad Request: message to edit not found")
            if self._messages.get(key) == (text, params.get("reply_markup")):
                raise BadRequestReply(
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup of "
                    "the message"
                )
            self._messages[key] = (text, params.get("reply_markup"))
            return self._message(params["chat_id"], text=text, message_id=params["message_id"])
        if method == "sendVenue":
            venue = {
                "location": {"latitude": params["latitude"], "longitude": params["longitude"]},
                "title": params["title"],
                "address": params["address"],
            }
            return self._message(params["chat_id"], venue=venue)
        if method == "sendDocument":
            if "document" not in files and "document" not in params:
                raise BadRequestReply("Bad Request: there is no document in the request")
            filename = files["document"][0] if "document" in files else "document"
            document = {"file_id": "DOC1", "file_unique_id": "D1", "file_name": filename}
            return self._message(params["chat_id"], document=document)
        raise BadRequestReply(f"Bad Request: method {method} is not faked")

    def _checked_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        visible = text
        if params.get("parse_mode") == "HTML":
            try:
                visible = parse_telegram_html(text)
            except TelegramHTMLError as error:
                raise BadRequestReply(f"Bad Request: can't parse entities: {error}") from error
        if not visible.strip():
            raise BadRequestReply("Bad Request: message text is empty")
        if len(visible) > MESSAGE_LIMIT:
            raise BadRequestReply("Bad Request: message is too long")
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise BadRequestReply("Bad Request: BUTTON_DATA_INVALID")
        return text

    def _message(
        self, chat_id: int, message_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        chat_type = "private" if int(chat_id) > 0 else "supergroup"
        chat: dict[str, Any] = {"id": int(chat_id), "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "User"
        else:
            chat["title"] = "Group"
        return {
            "message_id": message_id if message_id is not None else next(self._ids),
            "date": int(NOW.timestamp()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }

    # -- helpers for tests -----------------------------------------------------------------------

    def of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        """The methods called, without the getMe of start-up."""
        return [call.method for call in self.calls if call.method != "getMe"]

    def clear(self) -> None:
        self.calls.clear()


class Harness:
    """A real Application wired to a FakeRequest, with builders for real Update payloads."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], api: FakeRequest) -> None:
        self.app = app
        self.api = api
        self.errors: list[BaseException] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    @property
    def assistant(self) -> Assistant:
        assistant: Assistant = self.app.bot_data["assistant"]
        return assistant

    async def feed(self, payload: dict[str, Any]) -> Update:
        """Process an update the way the running bot does, and wait for every handler it
        started, those running beside the update queue (block=False) included."""
        update = Update.de_json(payload, self.app.bot)
        before = asyncio.all_tasks()
        await self.app.process_update(update)
        await asyncio.gather(*(asyncio.all_tasks() - before - {asyncio.current_task()}))
        return update

    # -- payload builders ------------------------------------------------------------------------

    @staticmethod
    def user(user_id: int = 1001, language: str | None = "en") -> dict[str, Any]:
        person: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Test"}
        if language:
            person["language_code"] = language
        return person

    def message(
        self,
        text: str | None = None,
        *,
        language: str | None = "en",
        user_id: int = 1001,
        group: bool = False,
        reply_to: dict[str, Any] | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """An update with a new message; commands and @mentions get their entities as Telegram
        sends them."""
        chat: dict[str, Any] = (
            {"id": -100500, "type": "supergroup", "title": "Shenyang fans"}
            if group
            else {"id": user_id, "type": "private", "first_name": "Test"}
        )
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(NOW.timestamp()),
            "chat": chat,
            "from": self.user(user_id, language),
            **content,
        }
        if text is not None:
            message["text"] = text
            entities = []
            if text.startswith("/"):
                entities.append(
                    {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                )
            for match in re.finditer(r"@\w+", text):
                entities.append(  # Telegram counts offsets in UTF-16 code units
                    {
                        "type": "mention",
                        "offset": _utf16_length(text[: match.start()]),
                        "length": _utf16_length(match.group()),
                    }
                )
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._update_ids), "message": message}

    def bot_message(self, chat_id: int, text: str = "…", message_id: int = 900) -> dict[str, Any]:
        chat_type = "private" if chat_id > 0 else "supergroup"
        return {
            "message_id": message_id,
            "date": int(NOW.timestamp()),
            "chat": {"id": chat_id, "type": chat_type, "title": "Shenyang fans"}
            if chat_id < 0
            else {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": BOT_USER,
            "text": text,
        }

    def callback(
        self,
        data: str,
        *,
        language: str | None = "en",
        user_id: int = 1001,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cq{next(self._callback_ids)}",
                "from": self.user(user_id, language),
                "chat_instance": "ci-1",
                "data": data,
                "message": message if message is not None else self.bot_message(user_id),
            },
        }

    def inline_query(
        self, query: str, *, language: str | None = "en", user_id: int = 1001
    ) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "inline_query": {
                "id": f"iq{next(self._callback_ids)}",
                "from": self.user(user_id, language),
                "query": query,
                "offset": "",
                "chat_type": "sender",
            },
        }

    # -- shortcuts -------------------------------------------------------------------------------

    async def say(self, text: str, **kwargs: Any) -> Update:
        return await self.feed(self.message(text, **kwargs))

    async def tap(self, data: str, **kwargs: Any) -> Update:
        return await self.feed(self.callback(data, **kwargs))


StartBot = Callable[..., Awaitable[Harness]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> list[datetime]:
    """The assistant's "now"; tests may replace clock[0] to move time."""
    return [NOW]


@pytest.fixture
async def start_bot(
    catalogs: Catalogs, data_dir: Path, clock: list[datetime]
) -> AsyncIterator[StartBot]:
    """Build and initialise real Applications; shut them down (and check for errors) afterwards."""
    started: list[tuple[Harness, Store]] = []

    async def start(
        knowledge_dir: Path = FIXTURE_KB,
        directory: Path | None = None,
        post_init: bool = False,
        admins: frozenset[int] = frozenset(),
    ) -> Harness:
        result = load_knowledge(knowledge_dir)
        assert result.knowledge is not None, result.problems
        store = Store.in_directory(directory or data_dir)
        assistant = Assistant(result.knowledge, catalogs, store, clock=lambda: clock[0])
        settings = Settings(
            token=TOKEN,
            knowledge_dir=knowledge_dir,
            data_dir=directory or data_dir,
            admin_ids=admins,
        )
        api = FakeRequest()
        builder = ApplicationBuilder().updater(None).request(api).get_updates_request(FakeRequest())
        app = build_application(settings, assistant, builder=builder)
        harness = Harness(app, api)

        async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert context.error is not None
            harness.errors.append(context.error)

        app.add_error_handler(record_error)
        await app.initialize()
        if post_init:
            assert app.post_init is not None
            await app.post_init(app)
        started.append((harness, store))
        return harness

    yield start

    for harness, store in started:
        await harness.app.shutdown()
        store.close()


@pytest.fixture
async def tg(start_bot: StartBot) -> Harness:
    """A running bot on the fixture knowledge base, its getMe already done."""
    harness = await start_bot()
    harness.api.clear()
    return harness


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
