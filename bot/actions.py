"""Button data: one typed codec for every action a button can carry.

Each action is a frozen dataclass with a short prefix. ``pack()`` writes ``prefix:field:…`` and
refuses data over Telegram's 64 bytes where it is made; :func:`parse` reads a string back into an
action, or None for foreign or malformed data ("unknown action"). Only the conversation core routes
actions: the front ends hand it the raw string. The prefixes and field order are the wire format of
buttons already sitting in users' chats, so they never change; a new action gets a new prefix.
Every action may end with the language of the message it belongs to (``e:palace:zh``), so a tap
answers in that language, also on an old message after a restart; data without it still parses.
"""

from __future__ import annotations

import re
from dataclasses import Field, dataclass, field, fields
from functools import cache
from types import MappingProxyType
from typing import ClassVar

from bot.languages import SUPPORTED
from bot.limits import CALLBACK_DATA_BYTES

SEPARATOR = ":"
# Entry ids, categories and language codes are all lowercase words with hyphens (the checker
# holds entry ids to this pattern), so no field ever contains the separator.
_WORD = re.compile(r"^[a-z0-9-]{1,64}$")
_NUMBER = re.compile(r"^[0-9]{1,19}$")  # a SQLite rowid


class ActionTooLong(ValueError):
    """Packed button data would exceed Telegram's limit; Telegram would refuse the message."""


@dataclass(frozen=True)
class Action:
    """Base of every button action: the fields of a subclass are its data, in order."""

    PREFIX: ClassVar[str] = ""
    lang: str | None = field(default=None, kw_only=True)  # of the message the button is under

    def pack(self) -> str:
        """The callback data for a button; raises ActionTooLong beyond Telegram's 64 bytes."""
        data = self.packed_unchecked()
        if len(data.encode()) > CALLBACK_DATA_BYTES:
            raise ActionTooLong(f"{data!r} is over {CALLBACK_DATA_BYTES} bytes")
        return data

    def packed_unchecked(self) -> str:
        """The data as written, whatever its length (for measuring)."""
        if not self.valid():
            raise ValueError(f"invalid action {self!r}")
        values = [str(getattr(self, f.name)) for f in _data_fields(self)]
        language = [self.lang] if self.lang else []
        return SEPARATOR.join([self.PREFIX, *values, *language])

    def valid(self) -> bool:
        """Whether every field has a value the wire format can carry."""
        if self.lang is not None and self.lang not in SUPPORTED:
            return False
        for f in _data_fields(self):
            value = getattr(self, f.name)
            pattern = _NUMBER if f.type in ("int", int) else _WORD
            if not pattern.match(str(value)):
                return False
        return True

    @classmethod
    def unpack(cls, data: str) -> Action | None:
        """The action written in ``data``, or None when it is not this kind or malformed."""
        prefix, *values = data.split(SEPARATOR)
        own = _data_fields(cls)
        if prefix != cls.PREFIX or len(values) not in (len(own), len(own) + 1):
            return None
        language = values.pop() if len(values) > len(own) else None
        parsed: list[str | int] = []
        for f, value in zip(own, values, strict=True):
            if f.type in ("int", int):
                if not _NUMBER.match(value):
                    return None
                parsed.append(int(value))
            else:
                parsed.append(value)
        action = cls(*parsed, lang=language)
        return action if action.valid() else None


def _data_fields(action: Action | type[Action]) -> list[Field[object]]:
    """The fields a kind of action carries, in wire order (the language goes last)."""
    return [f for f in fields(action) if f.name != "lang"]


@dataclass(frozen=True)
class ShowTopics(Action):
    """The topic menu."""

    PREFIX: ClassVar[str] = "menu"


@dataclass(frozen=True)
class LanguageMenu(Action):
    """The language menu."""

    PREFIX: ClassVar[str] = "lang"


@dataclass(frozen=True)
class SetLanguage(Action):
    """Save the reply language."""

    PREFIX: ClassVar[str] = "l"
    language: str


@dataclass(frozen=True)
class OpenCategory(Action):
    """The entries of one category."""

    PREFIX: ClassVar[str] = "c"
    category: str


@dataclass(frozen=True)
class ShowEvents(Action):
    """The events list."""

    PREFIX: ClassVar[str] = "ev"


@dataclass(frozen=True)
class OpenEntry(Action):
    """An entry opened from a list or a related-entry button (edits the message)."""

    PREFIX: ClassVar[str] = "e"
    entry_id: str


@dataclass(frozen=True)
class PickSuggestion(Action):
    """An entry picked from "Did you mean…" (logged for curators, sent as a new message)."""

    PREFIX: ClassVar[str] = "s"
    entry_id: str


@dataclass(frozen=True)
class ShowMap(Action):
    """The entry's venue on a map."""

    PREFIX: ClassVar[str] = "map"
    entry_id: str


@dataclass(frozen=True)
class AddToCalendar(Action):
    """The event as an .ics file."""

    PREFIX: ClassVar[str] = "ics"
    entry_id: str


@dataclass(frozen=True)
class RemindMe(Action):
    """A reminder before the event starts."""

    PREFIX: ClassVar[str] = "rm"
    entry_id: str


@dataclass(frozen=True)
class CancelReminder(Action):
    """Cancel one of the user's reminders."""

    PREFIX: ClassVar[str] = "rmx"
    reminder_id: int


@dataclass(frozen=True)
class Vote(Action):
    """👍 or 👎 on an answer."""

    PREFIX: ClassVar[str] = "fb"
    VERDICTS: ClassVar[tuple[str, str]] = ("up", "down")
    entry_id: str
    verdict: str

    def valid(self) -> bool:
        """Only the two verdicts."""
        return super().valid() and self.verdict in self.VERDICTS

    @property
    def up(self) -> bool:
        """Whether this is a 👍."""
        return self.verdict == "up"


@dataclass(frozen=True)
class ShowSources(Action):
    """The full citations of an entry (answers carry none inline)."""

    PREFIX: ClassVar[str] = "src"
    entry_id: str


@dataclass(frozen=True)
class TaxiCard(Action):
    """The entry's name and address in Chinese, large, to show a taxi driver."""

    PREFIX: ClassVar[str] = "taxi"
    entry_id: str


@dataclass(frozen=True)
class FilterEvents(Action):
    """The events list in one view: all, this-month, next-month, or one kind."""

    PREFIX: ClassVar[str] = "evf"
    VIEWS: ClassVar[tuple[str, ...]] = (
        "all",
        "this-month",
        "next-month",
        "business",
        "culture",
        "sports",
    )
    view: str

    def valid(self) -> bool:
        """Only the known views."""
        return super().valid() and self.view in self.VIEWS


@dataclass(frozen=True)
class FollowEvents(Action):
    """Follow new editions: of every event ("all") or of one kind."""

    PREFIX: ClassVar[str] = "fol"
    KINDS: ClassVar[tuple[str, ...]] = ("all", "business", "culture", "sports")
    kind: str

    def valid(self) -> bool:
        """Only all or a known kind."""
        return super().valid() and self.kind in self.KINDS


@dataclass(frozen=True)
class FollowMenu(Action):
    """The choices of what to follow."""

    PREFIX: ClassVar[str] = "folm"


@dataclass(frozen=True)
class Unfollow(Action):
    """Stop following events."""

    PREFIX: ClassVar[str] = "unf"


ACTIONS: tuple[type[Action], ...] = (
    ShowTopics,
    LanguageMenu,
    SetLanguage,
    OpenCategory,
    ShowEvents,
    OpenEntry,
    PickSuggestion,
    ShowMap,
    AddToCalendar,
    RemindMe,
    CancelReminder,
    Vote,
    ShowSources,
    TaxiCard,
    FilterEvents,
    FollowEvents,
    FollowMenu,
    Unfollow,
)
_BY_PREFIX = MappingProxyType({kind.PREFIX: kind for kind in ACTIONS})


def parse(data: str | None) -> Action | None:
    """The action a button carries, or None for data this bot never made ("unknown action")."""
    if not data or len(data.encode()) > CALLBACK_DATA_BYTES:
        return None
    kind = _BY_PREFIX.get(data.partition(SEPARATOR)[0])
    return kind.unpack(data) if kind is not None else None


def entry_actions(entry_id: str) -> tuple[Action, ...]:
    """Every action that names an entry, with the longest values of its other fields: an id
    fits the buttons exactly when all of these fit."""
    lang = max(SUPPORTED, key=len)
    return (
        OpenEntry(entry_id, lang=lang),
        PickSuggestion(entry_id, lang=lang),
        ShowMap(entry_id, lang=lang),
        AddToCalendar(entry_id, lang=lang),
        RemindMe(entry_id, lang=lang),
        Vote(entry_id, "down", lang=lang),
        ShowSources(entry_id, lang=lang),
        TaxiCard(entry_id, lang=lang),
    )


@cache
def longest_entry_id() -> int:
    """How many characters an entry id may have so that every button naming it fits."""
    # Cached: the checker asks once per entry, and packing eight actions each time was 0.7 s of
    # CPU in loading 10,000 entries (benchmarks/bench_loading.py).
    overhead = max(len(action.packed_unchecked()) for action in entry_actions("x")) - 1
    return CALLBACK_DATA_BYTES - overhead
