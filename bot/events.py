"""Events in time: the editions of an entry (a single event, or a series' editions), which one
is next and which was last, the /events listing (coming up, expected, recently) with its filters,
and the editions a reload newly announces. Pure functions of the knowledge and a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.records import EVENT_KINDS, Entry, Event, KnowledgeBase, event_end, event_start

# "Recently" is the last twelve months: older editions are history, not news.
RECENT = timedelta(days=365)
VIEWS = ("all", "this-month", "next-month", *EVENT_KINDS)


@dataclass(frozen=True)
class Dated:
    """One occurrence: an entry and one of its editions (or its single event)."""

    entry: Entry
    event: Event

    @property
    def key(self) -> str:
        """The edition's name in the store: its entry and its start."""
        return f"{self.entry.id}/{self.event.start.isoformat()}"


@dataclass(frozen=True)
class Expected:
    """A series whose next edition is not announced: when it usually comes."""

    entry: Entry
    year: int | None
    month: int | None


@dataclass(frozen=True)
class Listing:
    """What /events shows."""

    coming: tuple[Dated, ...]
    expected: tuple[Expected, ...]
    recent: tuple[Dated, ...]


def ends(event: Event) -> datetime:
    """When an event is over: a date-only event lasts the whole of its last day."""
    end = event_end(event)
    return end if isinstance(event.end, datetime) else end + timedelta(days=1)


def occurrences(entry: Entry) -> tuple[Event, ...]:
    """The entry's editions, earliest first (a single event is one)."""
    if entry.series is not None:
        return tuple(sorted((e.event for e in entry.editions), key=event_start))
    return (entry.event,) if entry.event is not None else ()


def next_edition(entry: Entry, now: datetime) -> Event | None:
    """The first announced edition not over yet: the only one to answer "when" with."""
    return next((e for e in occurrences(entry) if ends(e) > now), None)


def last_edition(entry: Entry, now: datetime) -> Event | None:
    """The latest edition that is over."""
    past = [e for e in occurrences(entry) if ends(e) <= now]
    return past[-1] if past else None


def kind_of(entry: Entry) -> str | None:
    """business, culture or sports for a series; None for a single event."""
    return entry.series.kind if entry.series is not None else None


def expected(entry: Entry, now: datetime) -> Expected | None:
    """When a series' next edition usually comes, if none is announced."""
    if entry.series is None or next_edition(entry, now) is not None:
        return None
    month = entry.series.month
    if month is None:
        return Expected(entry, None, None)
    last = last_edition(entry, now)
    this_year = month >= now.month and (last is None or event_start(last).year < now.year)
    return Expected(entry, now.year if this_year else now.year + 1, month)


def listing(knowledge: KnowledgeBase, now: datetime, view: str = "all") -> Listing:
    """Coming up (soonest first), expected (by month), recently (latest first), in a view."""
    coming: list[Dated] = []
    waiting: list[Expected] = []
    recent: list[Dated] = []
    for entry in knowledge.events:
        if view in EVENT_KINDS and kind_of(entry) != view:
            continue
        for event in occurrences(entry):
            if ends(event) > now:
                coming.append(Dated(entry, event))
            elif ends(event) > now - RECENT:
                recent.append(Dated(entry, event))
        if (due := expected(entry, now)) is not None:
            waiting.append(due)
    month = _month_of(view, now)
    if month is not None:
        coming = [d for d in coming if _overlaps(d.event, month)]
        recent = [d for d in recent if _overlaps(d.event, month)]
        waiting = [w for w in waiting if (w.year, w.month) == month]
    coming.sort(key=lambda d: event_start(d.event))
    recent.sort(key=lambda d: event_start(d.event), reverse=True)
    waiting.sort(key=lambda w: (w.year or 9999, w.month or 13))
    return Listing(tuple(coming), tuple(waiting), tuple(recent))


def new_editions(old: KnowledgeBase, new: KnowledgeBase, now: datetime) -> tuple[Dated, ...]:
    """Announced future editions in ``new`` that ``old`` did not have (what a reload adds)."""
    before = {d.key for d in _announced(old, now)}
    return tuple(d for d in _announced(new, now) if d.key not in before)


def _announced(knowledge: KnowledgeBase, now: datetime) -> list[Dated]:
    return [
        Dated(entry, event)
        for entry in knowledge.events
        for event in occurrences(entry)
        if event_start(event) > now
    ]


def _month_of(view: str, now: datetime) -> tuple[int, int] | None:
    if view == "this-month":
        return now.year, now.month
    if view == "next-month":
        return (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return None


def _overlaps(event: Event, month: tuple[int, int]) -> bool:
    first = (event.start_day.year, event.start_day.month)
    last = (event.end_day.year, event.end_day.month)
    return first <= month <= last
