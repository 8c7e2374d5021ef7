"""The knowledge base as immutable typed records: entries, events, links, places, and the
problems the checker reports against a file and line.

Nothing here reads files; :mod:`bot.knowledge` builds these records from YAML.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from bot.languages import SUPPORTED
from bot.lexicon import Lexicon

DEFAULT_LANGUAGES = SUPPORTED

Localized = Mapping[str, str]
Severity = Literal["error", "warning"]

# What a series is about, for the /events filters and for following one kind of event.
EVENT_KINDS = ("business", "culture", "sports")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Link:
    """A web page shown as a button under an answer."""

    url: str
    title: Localized


@dataclass(frozen=True)
class Location:
    """A place on the map."""

    lat: float
    lon: float
    name: Localized
    address: Localized


@dataclass(frozen=True)
class Event:
    """When and where an event takes place."""

    start: date | datetime
    end: date | datetime
    timezone: str
    venue: Localized

    @property
    def start_day(self) -> date:
        """The first day, in the event's time zone."""
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def end_day(self) -> date:
        """The last day, in the event's time zone."""
        return self.end.date() if isinstance(self.end, datetime) else self.end


@dataclass(frozen=True)
class Facts:
    """What a place or a service is asked for, field by field, so an aspect question ("how do I
    get there?", "入場料は？") gets one or two lines instead of the whole answer. Texts are per
    language; the address is always also in Chinese, to show a taxi driver."""

    address: Localized = field(default_factory=lambda: MappingProxyType({}))
    access: Localized = field(default_factory=lambda: MappingProxyType({}))
    hours: Localized = field(default_factory=lambda: MappingProxyType({}))
    price: Localized = field(default_factory=lambda: MappingProxyType({}))
    booking: Localized = field(default_factory=lambda: MappingProxyType({}))
    duration: Localized = field(default_factory=lambda: MappingProxyType({}))
    website: str | None = None
    phone: str | None = None


# Which fact answers which aspect of the lexicon (knowledge/_lexicon.yaml).
FACT_OF_ASPECT = MappingProxyType(
    {
        "location": "address",
        "access": "access",
        "hours": "hours",
        "price": "price",
        "booking": "booking",
        "duration": "duration",
        "phone": "phone",
    }
)


@dataclass(frozen=True)
class Edition:
    """One edition of a series (one year's festival, one city's stop), with its own source."""

    event: Event
    source: str
    line: int = 0


@dataclass(frozen=True)
class Series:
    """A recurring event: its usual pattern per language, its kind and its organiser's page."""

    pattern: Localized
    kind: str
    month: int | None = None  # when the next edition usually falls (1-12), for "Expected"
    link: Link | None = None  # the organiser's official page


@dataclass(frozen=True)
class Entry:
    """One question-and-answer entry of the knowledge base."""

    id: str
    category: str
    questions: Mapping[str, tuple[str, ...]]
    keywords: Mapping[str, tuple[str, ...]]
    answer: Localized
    source: str
    related: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    location: Location | None = None
    event: Event | None = None
    series: Series | None = None
    editions: tuple[Edition, ...] = ()
    updated: date | None = None
    title: Localized = field(default_factory=lambda: MappingProxyType({}))  # short display name
    time_sensitive: bool = False  # facts that go stale (visa rules, fares): checked every 6 months
    facts: Facts | None = None
    file: str = ""
    line: int = 0

    @cached_property  # loading and indexing both read it: made once, 0.04 s at 10,000 entries
    def phrasings(self) -> tuple[str, ...]:
        """The texts it is found by: its distinct questions, then keywords, in every language."""
        texts = [q for qs in self.questions.values() for q in qs]
        texts += [k for ks in self.keywords.values() for k in ks]
        return tuple(dict.fromkeys(texts))


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries, the languages they promise, and a lookup by id."""

    entries: tuple[Entry, ...]
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    by_id: Mapping[str, Entry] = field(default_factory=lambda: MappingProxyType({}))
    lexicon: Lexicon = field(default_factory=Lexicon)
    # The normalized form of entries' phrasings, as loading made them (bot.text.normal_forms),
    # for the matcher to reuse; it normalizes whatever is missing here.
    normal: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        entries: tuple[Entry, ...],
        languages: tuple[str, ...],
        lexicon: Lexicon | None = None,
        normal: Mapping[str, str] | None = None,
    ) -> KnowledgeBase:
        """A knowledge base of these entries, looked up by id."""
        by_id = MappingProxyType({e.id: e for e in entries})
        return cls(entries, languages, by_id, lexicon or Lexicon(), normal or MappingProxyType({}))

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return self.by_id.get(entry_id)

    def in_category(self, category: str) -> tuple[Entry, ...]:
        """The entries of one category, in file order."""
        return tuple(e for e in self.entries if e.category == category)

    @property
    def events(self) -> tuple[Entry, ...]:
        """Entries that are events: a single event or a series."""
        return tuple(e for e in self.entries if e.event is not None or e.series is not None)


@dataclass(frozen=True)
class LoadResult:
    """What loading gave: the knowledge base (None when it has errors) and every problem."""

    knowledge: KnowledgeBase | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that refuse the knowledge base."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems that only --strict refuses."""
        return tuple(p for p in self.problems if p.severity == "warning")

    def ok(self, strict: bool = False) -> bool:
        """Whether the knowledge base may be used (under --strict: without warnings)."""
        return not (self.errors or (strict and self.warnings))


def zoned(moment: date | datetime, timezone: str) -> datetime:
    """Make dates and aware datetimes comparable, in the event's own time zone."""
    zone = zoneinfo.ZoneInfo(timezone)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return datetime(moment.year, moment.month, moment.day, tzinfo=zone)


def event_start(event: Event) -> datetime:
    """The event's start as an aware datetime."""
    return zoned(event.start, event.timezone)


def event_end(event: Event) -> datetime:
    """The event's end as an aware datetime."""
    return zoned(event.end, event.timezone)
