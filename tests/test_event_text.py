"""An event's "when" and "where" in a reader's words (bot/event_text.py)."""

from __future__ import annotations

from bot.event_text import venue_lines
from bot.i18n import Catalogs
from bot.knowledge import KnowledgeBase

from .support.fake_request import NOW


def test_where_a_past_event_was_is_a_place_not_a_date(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    tokyo = shipped_kb.get("hello-shenyang-tokyo-2023")
    assert tokyo is not None
    # Had been "📍 2023年6月20日 星期二 · 日本东京": a date where the venue was asked.
    assert venue_lines(catalogs.voice("zh"), tokyo, NOW) == ["📍 日本东京"]


def test_the_hall_an_earlier_edition_named_stands_for_a_city_alone(
    shipped_kb: KnowledgeBase, catalogs: Catalogs
) -> None:
    expo = shipped_kb.get("equipment-manufacturing-expo-2024")
    assert expo is not None
    # The 2024 edition is on record as "Shenyang"; 2021 and 2023 were at the exhibition centre.
    (line,) = venue_lines(catalogs.voice("en"), expo, NOW)
    assert line == "📍 Shenyang International Exhibition Center (the 2023 edition)"
    assert venue_lines(catalogs.voice("ja"), expo, NOW) == [
        "📍 瀋陽国際展覧センター（2023年の開催地）"
    ]
