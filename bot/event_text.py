"""An event's "when" in a reader's words: the next announced edition, or, for a series with none
announced, its usual pattern, the year still to be announced and the last edition as context.
Plain text (callers escape it); shared by the entry, the aspect answer and the events list."""

from __future__ import annotations

from datetime import datetime

from bot.events import ends, expected, last_edition, next_edition, occurrences
from bot.i18n import Voice, format_event_when
from bot.records import Entry, Event, Link
from bot.replies import localized


def edition_line(voice: Voice, event: Event) -> str:
    """An edition's dates and venue on one line."""
    venue = localized(event.venue, voice.lang)
    when = format_event_when(event, voice.lang)
    return f"{when} · {venue[0]}" if venue else when


def pattern_text(voice: Voice, entry: Entry, now: datetime) -> str | None:
    """ "usually <pattern>; the <year> dates have not been announced yet", for a series whose
    next edition is not announced; None otherwise."""
    due = expected(entry, now)
    if due is None or entry.series is None:
        return None
    found = localized(entry.series.pattern, voice.lang)
    pattern = found[0] if found else ""
    pattern = pattern[:1].upper() + pattern[1:]
    if due.year is None:
        text = voice._("{pattern}; the dates of the next edition have not been announced yet.")
        return text.format(pattern=pattern)
    text = voice._("{pattern}; the {year} dates have not been announced yet.")
    return text.format(pattern=pattern, year=due.year)


def when_lines(voice: Voice, entry: Entry, now: datetime) -> list[str]:
    """What to say about when: the next edition (📅 and 📍), else the pattern and the last one."""
    coming = next_edition(entry, now)
    if coming is not None:
        label = voice._("Next edition: {when}") if entry.series else "{when}"
        lines = ["📅 " + label.format(when=format_event_when(coming, voice.lang))]
        venue = localized(coming.venue, voice.lang)
        return lines + ([f"📍 {venue[0]}"] if venue else [])
    lines = []
    if (usual := pattern_text(voice, entry, now)) is not None:
        lines.append("🗓 " + usual)
    last = last_edition(entry, now)
    if last is not None:
        shown = edition_line(voice, last)
        lines.append(
            "📅 "
            + (
                voice._("Latest edition on record: {when}").format(when=shown)
                if entry.series
                else shown
            )
        )
    return lines


def venue_lines(voice: Voice, entry: Entry, now: datetime) -> list[str]:
    """Where an event is: the next edition's venue, else the last edition's with its year
    ("where does the marathon start?" had been told the bot has no address). Where the last names
    only the city an earlier one named a hall in, the hall: "制博会在哪个展馆" had been told
    "📍 …2024年9月1日 · 沈阳", a date where a place was asked."""
    coming = next_edition(entry, now)
    if coming is not None:
        venue = localized(coming.venue, voice.lang)
        return [f"📍 {venue[0]}"] if venue else []
    past = [e for e in occurrences(entry) if ends(e) <= now and localized(e.venue, voice.lang)]
    if not past:
        return []
    held = past[-1]
    for earlier in reversed(past[:-1]):
        shown, named = _venue(voice, held), _venue(voice, earlier)
        if shown in named and shown != named:  # "沈阳" in "沈阳国际展览中心"
            held = earlier
    if entry.series is None:
        return [f"📍 {_venue(voice, held)}"]
    year = voice._("{venue} (the {year} edition)")
    return ["📍 " + year.format(venue=_venue(voice, held), year=held.start.year)]


def _venue(voice: Voice, event: Event) -> str:
    found = localized(event.venue, voice.lang)
    return found[0] if found else ""


def official_link(entry: Entry) -> Link | None:
    """The organiser's page for a series, else the entry's first link."""
    if entry.series is not None and entry.series.link is not None:
        return entry.series.link
    return entry.links[0] if entry.links else None
