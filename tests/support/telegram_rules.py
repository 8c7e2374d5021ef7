"""The Telegram rule book both test fakes enforce: what the Bot API refuses (HTML it cannot
parse, texts over the limits, invalid inline keyboards), with the limits taken from bot/limits.py
so the code and the fakes can never disagree about them."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any, ClassVar

from bot.limits import CALLBACK_DATA_BYTES

_URL_SCHEMES = ("http://", "https://", "tg://")
_BUTTON_KINDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """A request the real Bot API would refuse."""

    def __init__(
        self, description: str, error_code: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.parameters = parameters


def bad_request(detail: str) -> ApiError:
    return ApiError(f"Bad Request: {detail}")


class _TelegramHTML(HTMLParser):
    """Telegram's HTML parse mode: the supported tags become entities; anything else is refused
    the way the Bot API refuses it ("can't parse entities: ...")."""

    TAGS: ClassVar[dict[str, str]] = {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "span": "spoiler",
        "tg-spoiler": "spoiler",
        "a": "text_link",
        "code": "code",
        "pre": "pre",
        "blockquote": "blockquote",
        "tg-emoji": "custom_emoji",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.open: list[tuple[str, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def _fail(self, detail: str) -> ApiError:
        return bad_request(f"can't parse entities: {detail}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = self.TAGS.get(tag)
        attributes = dict(attrs)
        if kind is None or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            raise self._fail(f'Unsupported start tag "{tag}" at line {self.getpos()[0]}')
        entity: dict[str, Any] = {"type": kind, "offset": self.length}
        if tag == "a":
            href = attributes.get("href")
            if not href:
                raise self._fail("Can't find URL of the link")
            entity["url"] = href
        if tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        if tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id", "")
        self.open.append((tag, entity))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise self._fail(f'Unsupported start tag "{tag}" at line {self.getpos()[0]}')

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            raise self._fail(f'Unexpected end tag "{tag}" at line {self.getpos()[0]}')
        expected, entity = self.open.pop()
        if expected != tag:
            raise self._fail(
                f'Unmatched end tag at line {self.getpos()[0]}, expected "</{expected}>", '
                f'found "</{tag}>"'
            )
        entity["length"] = self.length - entity["offset"]
        if entity["length"] > 0:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        self.close()
        if self.open:
            raise self._fail(f'Can\'t find end tag corresponding to start tag "{self.open[-1][0]}"')
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


# A tag or one of the entities Telegram supports (numeric, &lt; &gt; &amp; &quot;).
_HTML_TOKEN = re.compile(
    r"</?[a-zA-Z][a-zA-Z-]*(?:\s[^<>]*)?>|&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
)


def _check_escapes(text: str) -> None:
    """Telegram: every <, > and & outside a tag or a supported entity must be escaped."""
    for plain in _HTML_TOKEN.split(text):
        if plain and ("<" in plain or ">" in plain or "&" in plain):
            raise bad_request(f"can't parse entities: unescaped character in {plain!r}")


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of a formatted text, as Telegram would store the message."""
    if not parse_mode:
        return text, []
    if parse_mode.upper() == "HTML":
        _check_escapes(text)
        parser = _TelegramHTML()
        parser.feed(text)
        return parser.result()
    if parse_mode in ("Markdown", "MarkdownV2"):
        return text, []  # not used by this bot; accepted verbatim
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def check_length(text: str, what: str, limit: int, *, allow_empty: bool = False) -> None:
    if not allow_empty and not text.strip():
        raise bad_request(f"{what} is empty")
    if utf16_len(text) > limit:
        raise bad_request(f"{what} is too long")


def inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """The inline keyboard of a request, checked as Telegram checks it; None for no keyboard.
    (Reply keyboards are accepted but, as in real messages, not stored on the message.)"""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise bad_request("text buttons are unallowed in the inline keyboard")
            kinds = [k for k in _BUTTON_KINDS if k in button]
            if len(kinds) != 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one optional field must be used"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(_URL_SCHEMES):
                raise bad_request(
                    f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
                )
    return copy.deepcopy(markup) if any(rows) else None


def visible_text(html: str) -> str:
    """The visible text of a Telegram-HTML message, raising ApiError like the Bot API on bad
    markup."""
    return parse_text(html, "HTML")[0]
