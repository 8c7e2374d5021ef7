"""Interface text from gettext catalogs (locales/<lang>/LC_MESSAGES/messages.po|mo) and CLDR
formatting of dates and times per language, both through Babel."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time, get_timezone_name
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.knowledge import Event
from bot.languages import N_, SUPPORTED, language
from bot.records import zoned

__all__ = ["N_", "Catalogs", "Voice", "babel_locale", "format_day", "format_event_when"]

DOMAIN = "messages"

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Voice:
    """The language of one reply and its translator, decided once per reply."""

    lang: str
    translation: gettext.NullTranslations

    def _(self, message: str) -> str:
        """``message`` in this reply's language."""
        return self.translation.gettext(message)


@dataclass(frozen=True)
class Catalogs:
    """The gettext catalogs of every supported language."""

    translations: Mapping[str, gettext.NullTranslations]

    def gettext(self, lang: str, message: str) -> str:
        """``message`` in ``lang``."""
        translation = self.translations.get(lang)
        return translation.gettext(message) if translation else message

    def for_language(self, lang: str) -> Gettext:
        """The translator of one language (untranslated text for an unknown one)."""
        return self.voice(lang).translation.gettext

    def voice(self, lang: str) -> Voice:
        """The per-reply object: ``lang`` and its translator."""
        return Voice(lang, self.translations.get(lang) or gettext.NullTranslations())


def load_catalogs(locales_dir: Path) -> Catalogs:
    """Load each language's compiled catalog; compile from the .po when the .mo is missing or
    older (a fresh checkout before `pybabel compile`), so the bot never shows raw msgids."""
    loaded: dict[str, gettext.NullTranslations] = {}
    for lang in SUPPORTED:
        folder = locales_dir / lang / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as handle:
                loaded[lang] = gettext.GNUTranslations(handle)
        elif po.exists():
            loaded[lang] = gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    return Catalogs(MappingProxyType(loaded))


def compile_po(po: Path) -> bytes:
    """A .po catalog compiled to .mo bytes in memory."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def babel_locale(lang: str) -> str:
    """The CLDR locale for a language code."""
    return language(lang).babel_locale


def format_day(day: date, lang: str) -> str:
    """A day as this language's reader writes it."""
    return format_date(day, language(lang).day_pattern, locale=babel_locale(lang))


def format_month(day: date, lang: str) -> str:
    """A day's month as this language's reader writes it: "Nov 2026", "2026年11月" ("2026-11"
    had read as a code to Japanese readers)."""
    return format_skeleton("yMMM", day, locale=babel_locale(lang))


def format_plain_day(day: date, lang: str) -> str:
    """A day without its weekday, as when a source was checked: "Nov 1, 2026", "2026年11月1日"."""
    return format_skeleton("yMMMd", day, locale=babel_locale(lang))


def format_event_when(event: Event, lang: str) -> str:
    """The dates (and times, in the event's own time zone) of an event, as a reader expects them."""
    zone = ZoneInfo(event.timezone)
    locale = babel_locale(lang)
    start, end = event.start, event.end
    first = format_day(event.start_day, lang)
    last = format_day(event.end_day, lang)
    days = first if first == last else f"{first} – {last}"
    if not isinstance(start, datetime):
        return days
    # A time written without an offset is in the event's own zone (not the server's).
    local_start = zoned(start, event.timezone).astimezone(zone)
    local_end = (
        zoned(end, event.timezone).astimezone(zone) if isinstance(end, datetime) else local_start
    )
    times = format_time(local_start, "short", locale=locale)
    if local_end != local_start:
        times += " – " + format_time(local_end, "short", locale=locale)
    zone_name = get_timezone_name(local_start, "long", locale=locale)
    if language(lang).home_zone is None:
        return f"{days}, {times} ({zone_name})"
    home = _home_time(local_start, local_end, lang)
    return f"{days} {times}（{zone_name}、{home}）" if home else f"{days} {times}（{zone_name}）"


def _home_time(start: datetime, end: datetime, lang: str) -> str | None:
    """The event's time in the reader's home zone ("日本時間 15:00"), when that differs."""
    row = language(lang)
    zone = ZoneInfo(row.home_zone or "UTC")
    home_start, home_end = start.astimezone(zone), end.astimezone(zone)
    if home_start.utcoffset() == start.utcoffset():
        return None
    locale = babel_locale(lang)
    times = format_time(home_start, "short", locale=locale)
    if home_start.date() != start.date():  # 23:30 in Shenyang is the next day in Tokyo
        times = f"{format_day(home_start.date(), lang)} {times}"
    if home_end != home_start:
        times += " – " + format_time(home_end, "short", locale=locale)
    return f"{row.home_zone_label} {times}"
