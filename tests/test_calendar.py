from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from bot.calendar import event_ics
from bot.knowledge import KnowledgeBase

STAMP = datetime(2026, 11, 25, tzinfo=UTC)


def parse(content: bytes) -> dict[str, object]:
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return {k: event.decoded(k) for k in ("dtstart", "dtend", "summary", "location") if k in event}


def test_timed_event_keeps_its_time_zone(fixture_kb: KnowledgeBase) -> None:
    fair = fixture_kb.get("future-fair")
    assert fair is not None and fair.event is not None
    parsed = parse(event_ics("future-fair", fair.event, "Expo", "About **it**", "瀋陽", STAMP))
    start, end = parsed["dtstart"], parsed["dtend"]
    assert isinstance(start, datetime) and isinstance(end, datetime)
    assert start == datetime(2030, 9, 1, 1, 0, tzinfo=UTC)
    assert end == datetime(2030, 9, 3, 9, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(hours=8)
    assert parsed["summary"] == b"Expo" or parsed["summary"] == "Expo"
    assert parsed["location"] in ("瀋陽", "瀋陽".encode())


def test_all_day_event_ends_the_day_after(fixture_kb: KnowledgeBase) -> None:
    tokyo = fixture_kb.get("tokyo-event")
    assert tokyo is not None and tokyo.event is not None
    parsed = parse(event_ics("tokyo-event", tokyo.event, "Tokyo", "", "", STAMP))
    assert parsed["dtstart"] == date(2023, 6, 20)
    assert parsed["dtend"] == date(2023, 6, 21)
