"""An in-process stand-in for the Telegram Bot API: the ``request`` object of a real bot, the
way python-telegram-bot's own test-suite plugs in. Every call is answered locally and recorded
(method name, decoded parameters, bytes of uploaded files); what Telegram would refuse is refused
by the shared rule book (tests/support/telegram_rules.py)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.limits import CALLBACK_ANSWER_CHARS, MESSAGE_CHARS

from .buttons import bare
from .telegram_rules import ApiError, bad_request, check_length, inline_markup, parse_text

# A fixed "now" between the fixture's past event (2023) and its future one (2030).
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

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


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # part -> (filename, bytes)
    failed: bool = False  # an injected failure (FakeRequest.fail)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def callback_data(self) -> list[str]:
        """The buttons' callback data as sent."""
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    @property
    def actions(self) -> list[str]:
        """The buttons' actions without the language suffix."""
        return [bare(data) for data in self.callback_data]


class FakeRequest(BaseRequest):
    """Answers Bot API methods locally and records each call."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._ids = itertools.count(1000)
        # (chat id, message id) -> (text, reply markup) of messages the bot sent, to detect no-op edits
        self._messages: dict[tuple[int, int], tuple[str, Any]] = {}
        self.deleted: set[tuple[int, int]] = set()  # (chat id, message id) the user deleted
        self._failures: dict[str, list[int | None]] = {}  # method -> statuses (None: no connection)

    def fail(self, method: str, status: int | None = 500, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail: with an HTTP ``status``, or (None)
        as if the Bot API could not be reached."""
        self._failures.setdefault(method, []).extend([status] * times)

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
        failures = self._failures.get(api_method)
        if failures:
            status = failures.pop(0)
            self.calls[-1].failed = True
            if status is None:
                raise ConnectionRefusedError("injected: the Bot API cannot be reached")
            body = {"ok": False, "error_code": status, "description": "Injected failure"}
            return status, json.dumps(body).encode()
        try:
            result = self._answer(api_method, params, files)
        except ApiError as error:
            body = {"ok": False, "error_code": error.error_code, "description": error.description}
            return error.error_code, json.dumps(body).encode()
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
            if (
                method == "answerCallbackQuery"
                and len(params.get("text") or "") > CALLBACK_ANSWER_CHARS
            ):
                raise bad_request("MESSAGE_TOO_LONG")
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
                raise bad_request("message to edit not found")
            if self._messages.get(key) == (text, params.get("reply_markup")):
                raise bad_request(
                    "message is not modified: specified new message content and "
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
                raise bad_request("there is no document in the request")
            filename = files["document"][0] if "document" in files else "document"
            document = {"file_id": "DOC1", "file_unique_id": "D1", "file_name": filename}
            return self._message(params["chat_id"], document=document)
        raise bad_request(f"method {method} is not faked")

    def _checked_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        plain, _entities = parse_text(text, params.get("parse_mode"))
        check_length(plain, "message text", MESSAGE_CHARS)
        inline_markup(params)
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
