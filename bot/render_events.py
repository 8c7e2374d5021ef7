"""Events as a reader meets them: the list of upcoming and recent events, one event's line, and
an event as a calendar file."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from bot.actions import OpenEntry
from bot.calendar import event_ics
from bot.i18n import Voice, format_event_when
from bot.knowledge import Entry, event_end, event_start
from bot.replies import Attachment, Button, Reply, entry_label, localized, shorten


def event_line(voice: Voice, entry: Entry) -> str:
    """One event in a list: its name, dates and venue."""
    assert entry.event is not None
    venue = localized(entry.event.venue, voice.lang)
    where = f" · {html.escape(venue[0])}" if venue else ""
    return (
        f"• <b>{html.escape(entry_label(entry, voice.lang))}</b>\n"
        f"  {html.escape(format_event_when(entry.event, voice.lang))}{where}"
    )


def events(
    voice: Voice, upcoming: list[Entry], past: list[Entry], back: Button, edit: bool = False
) -> Reply:
    """Upcoming events first, then recent ones, each a button."""
    _ = voice._
    lines: list[str] = []
    if upcoming:
        lines.append(_("<b>Upcoming events</b>"))
        lines += [event_line(voice, e) for e in upcoming]
    else:
        lines.append(_("No upcoming events are announced yet."))
    if past:
        lines += ["", _("<b>Recent events</b>")]
        lines += [event_line(voice, e) for e in past]
    buttons = tuple(
        (Button.press(shorten(entry_label(e, voice.lang)), OpenEntry(e.id), lang=voice.lang),)
        for e in (*upcoming, *past)
    )
    keyboard = (*buttons, (back,))
    return Reply(voice.lang, "\n".join(lines), keyboard, edit=edit)


def calendar(voice: Voice, entry: Entry, now: datetime) -> Reply:
    """The event as an .ics attachment."""
    if entry.event is None:
        return Reply(voice.lang, notice=voice._("This entry is not an event."))
    answer = localized(entry.answer, voice.lang)
    venue = localized(entry.event.venue, voice.lang)
    content = event_ics(
        entry.id,
        entry.event,
        entry_label(entry, voice.lang),
        answer[0] if answer else "",
        venue[0] if venue else "",
        stamp=now,
    )
    return Reply(voice.lang, document=Attachment(f"{entry.id}.ics", content, "text/calendar"))


def event_ends(entry: Entry) -> datetime:
    """When an event is over: a date-only event lasts the whole of its last day."""
    assert entry.event is not None
    end = event_end(entry.event)
    if not isinstance(entry.event.end, datetime):
        end += timedelta(days=1)
    return end


def event_starts(entry: Entry) -> datetime:
    """When an event begins (sort key)."""
    assert entry.event is not None
    return event_start(entry.event)
