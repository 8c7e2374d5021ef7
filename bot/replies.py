"""What the core hands to a front end: a :class:`Reply` (Telegram-style HTML text, buttons,
attachments) in one language, and the small text helpers that build one. No Telegram in here."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.actions import Action
from bot.knowledge import Entry
from bot.languages import CONTENT_FALLBACK
from bot.limits import BUTTON_LABEL_CHARS

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    """A button: ``action`` is packed callback data (at most 64 bytes), or ``url`` a link."""

    label: str
    action: str | None = None
    url: str | None = None

    @classmethod
    def press(cls, label: str, action: Action, lang: str | None = None) -> Button:
        """A button that sends ``action`` back to the core, remembering the language of the
        message it sits under; its data is checked here."""
        return cls(label, (replace(action, lang=lang) if lang else action).pack())


@dataclass(frozen=True)
class Venue:
    """A place to show on a map."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply."""

    filename: str
    content: bytes
    mime_type: str


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Reply:
    """One answer of the core, in one language."""

    language: str
    text: str = ""  # Telegram-style HTML; empty when only a notice is due
    buttons: Keyboard = ()
    venue: Venue | None = None
    document: Attachment | None = None
    edit: bool = False  # replace the message whose button was tapped
    notice: str | None = None  # a short pop-up acknowledging a tap
    # What the reply is, for logs and the evaluation: answer | suggest | unknown | switch, the
    # entry it answers with and the aspect of it (access, hours, price …) when one was asked.
    outcome: str | None = None
    entry_id: str | None = None
    aspect: str | None = None
    # The entry found does not say what was asked (no price, no hours, no line on it): logged
    # as a gap for the curators' report, not as an answer.
    lacking: bool = False


@dataclass(frozen=True)
class InlineItem:
    """One result of an inline query."""

    id: str
    title: str
    description: str
    text: str  # HTML message sent when chosen


def html_to_plain(text: str) -> str:
    """A reply's HTML as plain text, for terminals and logs."""
    return html.unescape(_TAG.sub("", text))


def markup(text: str) -> str:
    """Knowledge-base answer text (plain, **bold**) → Telegram HTML."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text.strip(), quote=False))


def shorten(label: str, limit: int = BUTTON_LABEL_CHARS) -> str:
    """A button label that fits a phone: cut at a word boundary when there is one, with '…'."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    if not label[limit - 1].isspace() and space > limit // 2:  # do not split the last word
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def localized(values: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """(text, language used) from a localized mapping, falling back to another language."""
    for code in (lang, *CONTENT_FALLBACK):
        text = values.get(code)
        if text:
            return str(text), code
    return None


def entry_label(entry: Entry, lang: str) -> str:
    """A short name for buttons and lists: the entry's title, else its first keyword, else its
    first question (titles are optional in the format)."""
    title = localized(entry.title, lang)
    if title:
        return title[0]
    for field in (entry.keywords, entry.questions):
        for code in (lang, *CONTENT_FALLBACK):
            if field.get(code):
                text = field[code][0]
                return text[:1].upper() + text[1:]
    return entry.id


def rows_of(cells: list[Button], width: int = 2) -> Keyboard:
    """Buttons laid out ``width`` to a row."""
    return tuple(tuple(cells[i : i + width]) for i in range(0, len(cells), width))
