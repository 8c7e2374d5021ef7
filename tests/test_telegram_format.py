"""Replies as Telegram messages: long HTML cut into valid parts, keyboards."""

from __future__ import annotations

import re

from bot.limits import MESSAGE_CHARS as MESSAGE_LIMIT
from bot.telegram_format import split_message

from .support.telegram_rules import visible_text as parse_telegram_html


def test_split_message_keeps_short_text_whole() -> None:
    assert split_message("<b>hi</b>") == ["<b>hi</b>"]
    assert split_message("x" * MESSAGE_LIMIT) == ["x" * MESSAGE_LIMIT]


def _check_split(text: str, limit: int) -> list[str]:
    parts = split_message(text, limit)
    assert len(parts) >= 2
    for part in parts:
        assert len(part) <= limit, (len(part), part[:40])
        parse_telegram_html(part)
    visible = "".join(parse_telegram_html(p) for p in parts)
    assert re.sub(r"\s", "", visible) == re.sub(r"\s", "", parse_telegram_html(text))
    return parts


def test_split_message_prefers_paragraphs() -> None:
    paragraphs = [f"para {n} " + "word " * 30 for n in range(10)]
    parts = _check_split("\n\n".join(p.strip() for p in paragraphs), 400)
    assert all(part.startswith("para ") for part in parts)


def test_split_message_cuts_unbroken_text_at_the_limit() -> None:
    text = "字" * 10_000
    parts = _check_split(text, MESSAGE_LIMIT)
    assert "".join(parts) == text


def test_split_message_never_cuts_an_entity_or_a_tag() -> None:
    _check_split("a&amp;b" * 2000, 4096)
    _check_split("x<b>y</b>" * 2000, 4096)
    _check_split("沈阳&lt;" * 3000, 1000)


def test_split_message_closes_and_reopens_formatting_across_parts() -> None:
    parts = _check_split("<b>" + "粗体字" * 3000 + "</b>", MESSAGE_LIMIT)
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    parts = _check_split("plain " * 50 + "<i>" + "slanted words " * 100 + "</i> end", 300)
    assert parts[-1].endswith("</i> end")
