"""Replies as Telegram messages: HTML cut to Telegram's length limit without breaking markup,
and buttons as inline keyboards."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.limits import MESSAGE_CHARS
from bot.replies import Reply

# One unit of Telegram HTML that must never be cut: a tag, an entity, or a single character.
_HTML_UNIT = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]+;|.", re.DOTALL)
_BREAKS = ("\n\n", "\n", " ")  # where to cut, best first; anywhere else comes last


def split_message(text: str, limit: int = MESSAGE_CHARS) -> list[str]:
    """Cut a long HTML text at paragraph, then line, then word boundaries, never inside a tag or
    an entity. Formatting open at a cut is closed at the end of the part and reopened at the start
    of the next, so each part is valid Telegram HTML of at most ``limit`` characters."""
    if len(text) <= limit:
        return [text]
    units = _HTML_UNIT.findall(text)
    visible = [i for i, unit in enumerate(units) if _is_text(unit) and not unit.isspace()]
    chunks: list[str] = []
    reopen: list[str] = []  # opening tags carried over from the previous part
    start = 0
    while visible and start <= visible[-1]:
        prefix = "".join(reopen)
        stack = list(reopen)
        length = len(prefix)
        cuts: dict[int, tuple[int, list[str]]] = {}  # rank of the break -> latest (index, stack)
        has_text = False
        index = start
        while index < len(units) and length + len(units[index]) <= limit:
            unit = units[index]
            length += len(unit)
            index += 1
            if not _is_text(unit):
                _track_tag(stack, unit)
            has_text = has_text or not unit.isspace()
            if has_text and length + sum(len(_closing_tag(t)) for t in stack) <= limit:
                cuts[_break_rank(units, index)] = (index, list(stack))
        if index == len(units):  # the rest fits (the original text closes its own tags)
            chunks.append(prefix + "".join(units[start:]))
            break
        if cuts:
            cut, stack = cuts[min(cuts)]
        else:  # not even one character fits beside the carried tags: give up on them
            cut, stack = start + 1, []
            prefix = ""
        chunks.append(
            prefix
            + "".join(units[start:cut])
            + "".join(_closing_tag(tag) for tag in reversed(stack))
        )
        reopen = stack
        start = cut
        while start < len(units) and _is_text(units[start]) and units[start].isspace():
            start += 1  # the separator belongs to neither part
    return chunks


def _is_text(unit: str) -> bool:
    return not (unit.startswith("<") and unit.endswith(">") and len(unit) > 1)


def _break_rank(units: list[str], index: int) -> int:
    """How good a cut before ``units[index]`` is: 0 at a paragraph break, … len(_BREAKS) inside a
    word."""
    for rank, separator in enumerate(_BREAKS):
        if "".join(units[index : index + len(separator)]) == separator:
            return rank
    return len(_BREAKS)


def _tag_name(tag: str) -> str:
    inner = tag.strip("<>/").split()
    return inner[0].lower() if inner else ""


def _closing_tag(opening: str) -> str:
    return f"</{_tag_name(opening)}>"


def _track_tag(stack: list[str], tag: str) -> None:
    """Push an opening tag, or drop the innermost open tag that a closing tag ends."""
    if not tag.startswith("</"):
        stack.append(tag)
        return
    name = _tag_name(tag)
    for position in range(len(stack) - 1, -1, -1):
        if _tag_name(stack[position]) == name:
            del stack[position]
            return


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (None when it has none)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.action)
                for b in row
            ]
            for row in reply.buttons
        ]
    )
