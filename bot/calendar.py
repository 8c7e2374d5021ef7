"""RFC 5545 calendar files for events, written with the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.knowledge import Event
from bot.records import zoned


def event_ics(
    uid: str, event: Event, title: str, description: str, venue: str, stamp: datetime
) -> bytes:
    """An RFC 5545 calendar file for one event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hello, Shenyang assistant//EN")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"{uid}@hello-shenyang")
    item.add("dtstamp", stamp)
    item.add("summary", title)
    if description:
        item.add("description", description.replace("**", ""))
    if venue:
        item.add("location", venue)
    zone = ZoneInfo(event.timezone)
    if isinstance(event.start, datetime):
        # A time written without an offset is in the event's own zone (not the server's).
        item.add("dtstart", zoned(event.start, event.timezone).astimezone(zone))
        end = event.end if isinstance(event.end, datetime) else event.start
        item.add("dtend", zoned(end, event.timezone).astimezone(zone))
    else:
        # All-day events: DTEND is exclusive (RFC 5545 §3.6.1), so the day after the last day.
        item.add("dtstart", event.start)
        item.add("dtend", event.end_day + timedelta(days=1))
    calendar.add_component(item)
    return bytes(calendar.to_ical())
