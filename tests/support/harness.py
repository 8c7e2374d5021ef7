"""A real python-telegram-bot Application wired to the in-process fake, with builders for real
Update payloads as Telegram sends them."""

from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any

from telegram import Update

from bot.assistant import Assistant
from bot.telegram_app import App

from .fake_request import BOT_USER, NOW, FakeRequest
from .telegram_rules import utf16_len


class Harness:
    """A real Application wired to a FakeRequest, with builders for real Update payloads."""

    def __init__(self, app: App, api: FakeRequest) -> None:
        self.app = app
        self.api = api
        self.errors: list[BaseException] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    @property
    def assistant(self) -> Assistant:
        assistant = self.app.bot_data.assistant
        assert assistant is not None
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
                        "offset": utf16_len(text[: match.start()]),
                        "length": utf16_len(match.group()),
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
