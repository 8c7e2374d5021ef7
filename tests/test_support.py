"""The test support itself: the Telegram rule book must refuse what Telegram refuses, or the
tests that rely on it prove nothing."""

from __future__ import annotations

import pytest

from .support.telegram_rules import ApiError as TelegramHTMLError
from .support.telegram_rules import visible_text as parse_telegram_html


def test_the_html_checker_itself_rejects_what_telegram_rejects() -> None:
    for bad in ("<b>open", "x</b>", "<script>x</script>", "a < b", "&nbsp;", "<b>a</i>"):
        with pytest.raises(TelegramHTMLError):
            parse_telegram_html(bad)
    assert parse_telegram_html("<b>a</b> &lt;&amp;&#33;") == "a <&!"


# -- start-up: command menus -----------------------------------------------------------------------
