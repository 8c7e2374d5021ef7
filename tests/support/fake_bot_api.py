"""A small fake of the Telegram Bot API for end-to-end tests, on 127.0.0.1 only.

It speaks the part of https://core.telegram.org/bots/api this bot uses, with the documented JSON
shapes: every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ...,
"description": ...}``. Requests go to ``{base_url}/bot<token>/<method>`` as JSON,
``application/x-www-form-urlencoded`` or ``multipart/form-data`` (what python-telegram-bot sends;
structured parameters such as ``reply_markup`` then arrive as JSON strings).

The test plays the users: it queues updates (:meth:`FakeBotAPI.send_text`,
:meth:`FakeBotAPI.press_button`, :meth:`FakeBotAPI.send_inline_query`) that the bot fetches with
``getUpdates`` long polling, and reads what the bot did from :attr:`FakeBotAPI.calls`, usually
through ``await server.wait_for(lambda call: ..., method="sendMessage")``.

Like the real server it checks what it is sent, so a test notices a request Telegram would refuse:
HTML that Telegram cannot parse, over-long texts, invalid inline keyboards, edits of unknown
messages, a callback query answered twice, messages to chats that never talked to the bot. Such
requests get a 400 answer and are listed in :attr:`FakeBotAPI.errors`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from bot.limits import (
    CALLBACK_ANSWER_CHARS,
    CAPTION_CHARS,
    DESCRIPTION_CHARS,
    MESSAGE_CHARS,
    SHORT_DESCRIPTION_CHARS,
)

from .telegram_rules import (
    ApiError,
    bad_request,
    check_length,
    inline_markup,
    parse_text,
    utf16_len,
)

MAX_POLL_TIMEOUT = 50

# Parameters whose value is a JSON-serialised object or array when sent as a form field.
JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "button",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "reply_markup",
        "reply_parameters",
        "results",
        "scope",
    }
)
INT_PARAMS = frozenset(
    {
        "cache_time",
        "chat_id",
        "from_chat_id",
        "limit",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "user_id",
    }
)
FLOAT_PARAMS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
BOOL_PARAMS = frozenset(
    {
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "is_personal",
        "protect_content",
        "show_alert",
    }
)
# Canonical spelling of the methods answered specially (Bot API method names are
# case-insensitive).
KNOWN_METHODS = (
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "getMyDescription",
    "setMyShortDescription",
    "getMyShortDescription",
    "sendVenue",
    "sendDocument",
    "answerInlineQuery",
)
_CANONICAL = {name.lower(): name for name in KNOWN_METHODS}
_PATH = re.compile(r"^/bot(?P<token>[^/]*)/(?P<method>[A-Za-z0-9_]+)/?$")
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")


# -- users and recorded calls ----------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user the test plays; their private chat with the bot has the same id."""

    id: int
    first_name: str
    language_code: str | None = None
    username: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One request the bot made, with the parameters as Telegram reads them and the answer."""

    index: int
    method: str
    params: dict[str, Any]
    files: dict[str, Upload]
    status: int
    response: dict[str, Any]
    injected: bool = False  # failed on purpose (FakeBotAPI.fail_next)
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        return self.response.get("description")

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def message(self) -> dict[str, Any] | None:
        """The Message the server returned (sendMessage, sendVenue, editMessageText …)."""
        return (
            self.result if isinstance(self.result, dict) and "message_id" in self.result else None
        )

    @property
    def message_id(self) -> int | None:
        """The id of the message sent or edited."""
        message = self.message
        return message["message_id"] if message else self.params.get("message_id")

    @property
    def text(self) -> str:
        """The text as the user sees it (HTML tags removed), or the raw text parameter."""
        message = self.message
        if message and "text" in message:
            return str(message["text"])
        return str(self.params.get("text", ""))

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All inline keyboard buttons of the request, row by row."""
        return inline_buttons(self.reply_markup)

    def summary(self) -> str:
        shown = {k: v for k, v in self.params.items() if k not in ("reply_markup", "commands")}
        status = "ok" if self.ok else f"{self.status} {self.description}"
        return f"#{self.index} {self.method} {json.dumps(shown, ensure_ascii=False, default=_describe)[:200]} → {status}"


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def find_button(
    message_or_call: dict[str, Any] | Call,
    label: str | Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    """The inline button whose text contains ``label`` (or that the predicate accepts)."""
    markup = (
        message_or_call.reply_markup
        if isinstance(message_or_call, Call)
        else message_or_call.get("reply_markup")
    )
    buttons = inline_buttons(markup)
    for button in buttons:
        if label(button) if callable(label) else label in button.get("text", ""):
            return button
    raise LookupError(f"no button {label!r} among {[b.get('text') for b in buttons]}")


# -- the server ------------------------------------------------------------------------------------


class FakeBotAPI:
    """The fake Bot API server. Use ``async with FakeBotAPI() as server`` or start()/stop()."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        username: str = "hello_shenyang_test_bot",
        first_name: str = "Hello, Shenyang",
    ) -> None:
        self.token = token
        self.bot = {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.calls: list[Call] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_000)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._callback_queries: dict[str, bool] = {}  # id → answered
        self._inline_queries: dict[str, bool] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._poll_generation = 0
        self._updates_changed: asyncio.Event | None = None
        self._recorded: asyncio.Event | None = None
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL (without the ``/bot`` suffix)."""
        if self.port is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeBotAPI:
        self._updates_changed = asyncio.Event()
        self._recorded = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # loopback only, a free port chosen by the OS
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()  # release held getUpdates requests
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- what the bot did --------------------------------------------------------------------------

    @property
    def errors(self) -> list[Call]:
        """Requests that were refused (apart from deliberately injected failures)."""
        return [c for c in self.calls if not c.ok and not c.injected]

    def find(
        self, predicate: Callable[[Call], bool] | None = None, *, method: str | None = None
    ) -> list[Call]:
        return [c for c in self.calls if _matches(c, predicate, method)]

    async def wait_for(
        self,
        predicate: Callable[[Call], bool] | None = None,
        *,
        method: str | None = None,
        timeout: float = 10.0,
        since: int = 0,
    ) -> Call:
        """The first call (from index ``since``) matching ``method`` and ``predicate``, waiting up to
        ``timeout`` seconds for it; AssertionError listing every call when none comes."""
        assert self._recorded is not None, "start the server first"
        deadline = asyncio.get_running_loop().time() + timeout
        checked = since
        while True:
            for call in self.calls[checked:]:
                if _matches(call, predicate, method):
                    return call
            checked = max(checked, len(self.calls))
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                recorded = "\n".join(c.summary() for c in self.calls) or "(none)"
                raise AssertionError(
                    f"no {method or 'matching'} call within {timeout} s; calls so far:\n{recorded}"
                )
            event = self._recorded
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_all(
        self,
        predicates: Iterable[Callable[[Call], bool]],
        *,
        method: str | None = None,
        timeout: float = 10.0,
        since: int = 0,
    ) -> list[Call]:
        return list(
            await asyncio.gather(
                *(self.wait_for(p, method=method, timeout=timeout, since=since) for p in predicates)
            )
        )

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The current state of a message (after edits)."""
        return copy.deepcopy(self._messages[(chat_id, message_id)])

    def fail_next(
        self,
        method: str,
        description: str = "Bad Request: injected failure",
        error_code: int = 400,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of ``method`` fail (e.g. 429 with ``retry_after``)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        key = _CANONICAL.get(method.lower(), method)
        self._failures.setdefault(key, []).append(ApiError(description, error_code, parameters))

    def clear_failures(self) -> None:
        """Forget the failures queued with :meth:`fail_next` that have not happened yet."""
        self._failures.clear()

    # -- building and queueing updates -----------------------------------------------------------

    def queue(self, *updates: dict[str, Any]) -> list[dict[str, Any]]:
        """Queue updates (built with the *_update helpers) for getUpdates, in this order."""
        for update in updates:
            self._pending.append(update)
        self._wake_pollers()
        return list(updates)

    def message_update(
        self,
        user: FakeUser,
        text: str,
        *,
        chat_type: str = "private",
        chat_id: int | None = None,
        chat_title: str = "Test group",
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An update with a text message from ``user`` (bot commands and @mentions get their
        entities, as Telegram adds them)."""
        chat = self._chat_for(user, chat_type, chat_id, chat_title)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "from": user.as_dict(),
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        entities = _user_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to)
        self._messages[(chat["id"], message["message_id"])] = message
        return {"update_id": next(self._update_ids), "message": copy.deepcopy(message)}

    def callback_update(
        self,
        user: FakeUser,
        message: dict[str, Any] | Call,
        button: str | Callable[[dict[str, Any]], bool],
    ) -> dict[str, Any]:
        """An update for ``user`` pressing the inline button (by label text, or predicate) of a
        message the bot sent; the message is taken in its current (possibly edited) state."""
        if isinstance(message, Call):
            if message.message is None:
                raise ValueError(f"{message.summary()} did not produce a message")
            message = message.message
        current = self.message(message["chat"]["id"], message["message_id"])
        pressed = find_button(current, button)
        if "callback_data" not in pressed:
            raise ValueError(f"button {pressed.get('text')!r} is not a callback button")
        query_id = str(next(self._query_ids))
        self._callback_queries[query_id] = False
        query = {
            "id": query_id,
            "from": user.as_dict(),
            "message": current,
            "chat_instance": str(-abs(hash((self.bot["id"], current["chat"]["id"])))),
            "data": pressed["callback_data"],
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def inline_update(
        self, user: FakeUser, query: str, *, chat_type: str = "sender", offset: str = ""
    ) -> dict[str, Any]:
        """An update for ``user`` typing ``@bot query`` in a chat of ``chat_type``."""
        query_id = str(next(self._query_ids))
        self._inline_queries[query_id] = False
        inline = {
            "id": query_id,
            "from": user.as_dict(),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return {"update_id": next(self._update_ids), "inline_query": inline}

    def send_text(self, user: FakeUser, text: str, **kwargs: Any) -> dict[str, Any]:
        """Build and queue a text message update; returns the update."""
        return self.queue(self.message_update(user, text, **kwargs))[0]

    def press_button(
        self,
        user: FakeUser,
        message: dict[str, Any] | Call,
        button: str | Callable[[dict[str, Any]], bool],
    ) -> dict[str, Any]:
        """Build and queue a callback query update; returns the update."""
        return self.queue(self.callback_update(user, message, button))[0]

    def send_inline_query(self, user: FakeUser, query: str, **kwargs: Any) -> dict[str, Any]:
        return self.queue(self.inline_update(user, query, **kwargs))[0]

    # -- plumbing --------------------------------------------------------------------------------------

    def _chat_for(
        self, user: FakeUser, chat_type: str, chat_id: int | None, title: str
    ) -> dict[str, Any]:
        if chat_type == "private":
            chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
            if user.username:
                chat["username"] = user.username
        else:
            default = -(1_000_000_000_000 + user.id) if chat_type == "supergroup" else -user.id
            chat = {"id": chat_id if chat_id is not None else default, "type": chat_type}
            chat["title"] = title
        self._chats[chat["id"]] = chat
        return copy.deepcopy(chat)

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _wake_pollers(self) -> None:
        if self._updates_changed is not None:
            self._updates_changed.set()
            self._updates_changed = asyncio.Event()

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, Upload],
        status: int,
        response: dict[str, Any],
        *,
        injected: bool = False,
    ) -> None:
        call = Call(len(self.calls), method, params, files, status, response, injected=injected)
        self.calls.append(call)
        if self._recorded is not None:
            self._recorded.set()
            self._recorded = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        match = _PATH.match(request.path)
        if match is None:
            return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = _CANONICAL.get(match["method"].lower(), match["method"])
        if match["token"] != self.token:
            response = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._record(method, {}, {}, 401, response)
            return _json(401, response)
        params: dict[str, Any] = {}
        files: dict[str, Upload] = {}
        injected = False
        try:
            params, files = await _read_params(request)
            failures = self._failures.get(method)
            if failures:
                injected = True
                raise failures.pop(0)
            handler = getattr(self, f"_api_{method}", None)
            result: Any
            if method == "getUpdates":
                result = await self._api_getUpdates(params, request)
                if result is None:  # the client gave up (conflict with a newer poll)
                    return _json(409, _conflict())
            elif handler is not None:
                result = handler(params, files)
            else:
                result = True
            status, response = 200, {"ok": True, "result": result}
        except ApiError as error:
            status = error.error_code
            response = {
                "ok": False,
                "error_code": error.error_code,
                "description": error.description,
            }
            if error.parameters:
                response["parameters"] = error.parameters
        except Exception as error:  # a bug in this fake: make it visible in the test, not a hang
            status = 500
            response = {
                "ok": False,
                "error_code": 500,
                "description": f"Fake server error: {error!r}",
            }
        self._record(method, params, files, status, response, injected=injected)
        return _json(status, response)

    # -- methods -----------------------------------------------------------------------------------

    def _api_getMe(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        return {
            **self.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(
        self, params: dict[str, Any], request: web.Request
    ) -> list[dict[str, Any]] | None:
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(int(params.get("timeout") or 0), 0), MAX_POLL_TIMEOUT)
        allowed = params.get("allowed_updates") or None
        if offset is not None:
            if offset < 0:
                self._pending = self._pending[offset:]
            else:  # updates before the offset are confirmed and forgotten
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older held request is terminated by this one
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                transport = request.transport
                if transport is None or transport.is_closing():
                    return None
                raise ApiError(
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                    409,
                )
            ready = [u for u in self._pending if allowed is None or _kind(u) in allowed]
            remaining = deadline - loop.time()
            if ready or self._closing or remaining <= 0:
                return copy.deepcopy(ready[:limit])
            changed = self._updates_changed
            assert changed is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _api_getWebhookInfo(
        self, params: dict[str, Any], files: dict[str, Upload]
    ) -> dict[str, Any]:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _api_sendMessage(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        chat = self._known_chat(params)
        text = str(_required(params, "text"))
        plain, entities = parse_text(text, params.get("parse_mode"))
        check_length(plain, "message text", MESSAGE_CHARS)
        message = self._new_message(chat, params)
        message["text"] = plain
        if entities:
            message["entities"] = entities
        return self._store(message)

    def _api_editMessageText(
        self, params: dict[str, Any], files: dict[str, Upload]
    ) -> dict[str, Any] | bool:
        text = str(_required(params, "text"))
        plain, entities = parse_text(text, params.get("parse_mode"))
        check_length(plain, "message text", MESSAGE_CHARS)
        markup = inline_markup(params)
        if params.get("inline_message_id"):
            return True
        chat = self._known_chat(params)
        message_id = _required(params, "message_id")
        current = self._messages.get((chat["id"], message_id))
        if current is None:
            raise bad_request("message to edit not found")
        if current.get("from", {}).get("id") != self.bot["id"]:
            raise bad_request("message can't be edited")
        if "text" not in current:
            raise bad_request("there is no text in the message to edit")
        if (
            current["text"] == plain
            and current.get("entities", []) == entities
            and current.get("reply_markup") == markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        current["text"] = plain
        current.pop("entities", None)
        if entities:
            current["entities"] = entities
        current.pop("reply_markup", None)
        if markup:
            current["reply_markup"] = markup
        current["edit_date"] = int(time.time())
        return copy.deepcopy(current)

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        query_id = str(_required(params, "callback_query_id"))
        if self._callback_queries.get(query_id, True):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and utf16_len(str(text)) > CALLBACK_ANSWER_CHARS:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callback_queries[query_id] = True
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        query_id = str(_required(params, "inline_query_id"))
        if self._inline_queries.get(query_id, True):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        results = _required(params, "results")
        if not isinstance(results, list) or len(results) > 50:
            raise bad_request(
                "RESULTS_TOO_MUCH" if isinstance(results, list) else "RESULTS_INVALID"
            )
        seen: set[str] = set()
        for result in results:
            result_id = str(result.get("id", ""))
            if not result_id or len(result_id.encode()) > 64:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if not result.get("type"):
                raise bad_request("RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                plain, _entities = parse_text(content["message_text"], content.get("parse_mode"))
                check_length(plain, "message text", MESSAGE_CHARS)
            inline_markup(result)
        self._inline_queries[query_id] = True
        return True

    def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        commands = _required(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not _COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_scope_key(params)] = commands
        return True

    def _api_getMyCommands(
        self, params: dict[str, Any], files: dict[str, Upload]
    ) -> list[dict[str, Any]]:
        return self.commands.get(_scope_key(params), [])

    def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    def _api_setMyDescription(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        description = str(params.get("description") or "")
        check_length(description, "description", DESCRIPTION_CHARS, allow_empty=True)
        self.descriptions[str(params.get("language_code") or "")] = description
        return True

    def _api_getMyDescription(
        self, params: dict[str, Any], files: dict[str, Upload]
    ) -> dict[str, str]:
        return {"description": self.descriptions.get(str(params.get("language_code") or ""), "")}

    def _api_setMyShortDescription(self, params: dict[str, Any], files: dict[str, Upload]) -> bool:
        description = str(params.get("short_description") or "")
        check_length(description, "short description", SHORT_DESCRIPTION_CHARS, allow_empty=True)
        self.short_descriptions[str(params.get("language_code") or "")] = description
        return True

    def _api_getMyShortDescription(
        self, params: dict[str, Any], files: dict[str, Upload]
    ) -> dict[str, str]:
        language = str(params.get("language_code") or "")
        return {"short_description": self.short_descriptions.get(language, "")}

    def _api_sendVenue(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        chat = self._known_chat(params)
        latitude = _required(params, "latitude")
        longitude = _required(params, "longitude")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong latitude or longitude")
        title = str(_required(params, "title"))
        address = str(_required(params, "address"))
        location = {"latitude": latitude, "longitude": longitude}
        message = self._new_message(chat, params)
        message["venue"] = {"location": location, "title": title, "address": address}
        message["location"] = location
        return self._store(message)

    def _api_sendDocument(self, params: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
        chat = self._known_chat(params)
        document = _required(params, "document")
        if isinstance(document, Upload):
            if not document.data:
                raise bad_request("file must be non-empty")
            name, mime, size = document.filename, document.content_type, len(document.data)
        elif isinstance(document, str):  # a file_id or URL sent earlier
            name, mime, size = None, None, None
        else:
            raise bad_request("wrong type of the web page content")
        message = self._new_message(chat, params)
        info: dict[str, Any] = {
            "file_id": f"BQACAgIAAxkBAAI{len(self.calls):06d}",
            "file_unique_id": f"AgAD{len(self.calls):06d}",
        }
        if name:
            info["file_name"] = name
        if mime:
            info["mime_type"] = mime
        if size is not None:
            info["file_size"] = size
        message["document"] = info
        caption = params.get("caption")
        if caption:
            plain, entities = parse_text(str(caption), params.get("parse_mode"))
            check_length(plain, "message caption", CAPTION_CHARS)
            message["caption"] = plain
            if entities:
                message["caption_entities"] = entities
        return self._store(message)

    # -- messages --------------------------------------------------------------------------------------

    def _known_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _required(params, "chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _new_message(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        markup = inline_markup(params)
        reply_to = _reply_target(params)
        replied = None
        if reply_to is not None:
            replied = self._messages.get((chat["id"], reply_to))
            if replied is None and not _allow_without_reply(params):
                raise bad_request("message to be replied not found")
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "from": dict(self.bot),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
        }
        if replied is not None:
            message["reply_to_message"] = _without_reply(replied)
        if markup:
            message["reply_markup"] = markup
        return message

    def _store(self, message: dict[str, Any]) -> dict[str, Any]:
        self._messages[(message["chat"]["id"], message["message_id"])] = message
        return copy.deepcopy(message)


# -- helpers -----------------------------------------------------------------------------------------


def _matches(call: Call, predicate: Callable[[Call], bool] | None, method: str | None) -> bool:
    if method is not None and call.method != method:
        return False
    return predicate is None or bool(predicate(call))


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _conflict() -> dict[str, Any]:
    return {"ok": False, "error_code": 409, "description": "Conflict: terminated by other request"}


def _kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    quoted = copy.deepcopy(message)
    quoted.pop("reply_to_message", None)
    return quoted


def _user_entities(text: str) -> list[dict[str, Any]]:
    entities = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    for found in _MENTION.finditer(text):
        if found.start() > 0 and text[found.start() - 1] not in " \n\t(":
            continue
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: found.start()]),
                "length": utf16_len(found.group()),
            }
        )
    return entities


def _required(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        if name == "text":
            raise bad_request("message text is empty")
        raise bad_request(f"parameter {name!r} is required")
    return value


def _reply_target(params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and reply.get("message_id") is not None:
        return int(reply["message_id"])
    target = params.get("reply_to_message_id")
    return int(target) if target is not None else None


def _allow_without_reply(params: dict[str, Any]) -> bool:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
        return True
    return bool(params.get("allow_sending_without_reply"))


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _coerce(name: str, value: Any) -> Any:
    """Read a form field the way the Bot API does: JSON for structured parameters, numbers and
    booleans for typed ones, anything else as a string."""
    if not isinstance(value, str):
        return value
    try:
        if name in JSON_PARAMS:
            return json.loads(value)
        if name in INT_PARAMS:
            return int(value) if value.lstrip("-").isdigit() else value  # chat_id may be @name
        if name in FLOAT_PARAMS:
            return float(value)
        if name in BOOL_PARAMS:
            return value.lower() in ("true", "1")
    except ValueError as error:
        raise bad_request(f"can't parse parameter {name!r}: {error}") from error
    return value


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    content_type = request.content_type
    if request.can_read_body:
        if content_type == "application/json":
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError as error:
                raise bad_request("can't parse JSON body") from error
            if not isinstance(body, dict):
                raise bad_request("JSON body must be an object")
            raw.update(body)
        elif content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue
                if part.filename is not None:
                    files[part.name] = Upload(
                        part.name,
                        part.filename,
                        part.headers.get("Content-Type"),
                        bytes(await part.read()),
                    )
                else:
                    raw[part.name] = await part.text()
        elif content_type == "application/x-www-form-urlencoded":
            raw.update((await request.post()).items())
    params = {name: _coerce(name, value) for name, value in raw.items()}
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value!r} for parameter {name!r} is not attached")
            params[name] = upload
    for name, upload in files.items():
        params.setdefault(name, upload)
    return params, files


def _describe(value: Any) -> str:
    if isinstance(value, Upload):
        return f"<file {value.filename!r}, {len(value.data)} bytes, {value.content_type}>"
    return repr(value)
