"""Read one field of the knowledge format from its YAML node into a typed value, reporting what
is wrong against the node's line.

Each reader takes a :class:`Where` (the file, the entry, the list problems go to) and never
raises for bad content: YAML gives strings, numbers of any size, nested lists, repeated keys and
aliases to itself, and each of these becomes a problem or is ignored.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.categories import CATEGORIES
from bot.records import (
    DEFAULT_LANGUAGES,
    Event,
    Link,
    Localized,
    Location,
    Problem,
    Severity,
    zoned,
)
from bot.yaml_source import tag_of

_SHOWN_CHARS = 80  # longer values are cut in messages: a problem is one line
# Characters RFC 3986 never allows in a URL, which Telegram refuses in a button's URL.
_URL_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"^(?!-)[^\W_](?:[\w-]*[^\W_])?$")  # one label of a host name; IDN allowed
# An https URL that passes every check of url_problem at a glance: ASCII host labels, no port,
# and a path, query and fragment without '%' or anything RFC 3986 forbids.
_PLAIN_URL = re.compile(
    r"https://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"(?:[/?#][A-Za-z0-9._~/?#=&+,;:@!$'()*-]*)?\Z",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True)
class Where:
    """The file being read, the entry problems are about (if any), and where problems go."""

    file: str
    problems: list[Problem]
    entry: str = ""

    def about(self, entry_id: str) -> Where:
        """The same file, problems now about one entry."""
        return Where(self.file, self.problems, f"entry '{printable(entry_id)}'")

    def report(self, at: Node | int, message: str, severity: Severity = "error") -> None:
        """Add a problem at a node's line (or a line number)."""
        line = at if isinstance(at, int) else line_of(at)
        prefix = f"{self.entry}: " if self.entry else ""
        self.problems.append(Problem(self.file, line, prefix + message, severity))

    def warn(self, at: Node | int, message: str) -> None:
        """Add a warning at a node's line."""
        self.report(at, message, "warning")


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def printable(text: str, limit: int = _SHOWN_CHARS) -> str:
    """A value as a message may show it: control characters escaped, long values cut."""
    if len(text) <= limit and text.isprintable():
        return text
    shown = "".join(
        ch if unicodedata.category(ch)[0] != "C" else ascii(ch)[1:-1] for ch in text[: limit + 1]
    )
    return shown[:limit] + "…" if len(text) > limit else shown


def scalar_text(node: Node | None) -> str:
    """The text of a plain value, stripped; '' for a list, a mapping or nothing."""
    return node.value.strip() if isinstance(node, ScalarNode) else ""


def mapping_fields(node: MappingNode, where: Where) -> dict[str, tuple[Node, Node]]:
    """A mapping's keys with their key and value nodes. A repeated key is an error: YAML keeps
    only one of the two values, silently."""
    pairs = node.value
    # Most mappings have distinct text keys, read in one go; the loop below says what is wrong.
    fields: dict[str, tuple[Node, Node]] = {
        key.value: (key, value) for key, value in pairs if isinstance(key, ScalarNode)
    }
    if len(fields) == len(pairs):
        return fields
    fields = {}
    for key_node, value in node.value:
        if not isinstance(key_node, ScalarNode):
            where.report(key_node, "a key must be plain text, not a list or a mapping")
            continue
        key = str(key_node.value)
        if key in fields:
            first = line_of(fields[key][0])
            where.report(
                key_node,
                f"duplicate key '{printable(key)}' (first at line {first}): "
                "YAML would keep only one of them",
            )
        fields[key] = (key_node, value)
    return fields


def known_fields(
    node: MappingNode, where: Where, allowed: frozenset[str], name: str = ""
) -> dict[str, Node]:
    """A mapping's values under the keys ``allowed``; any other key is a warning (a misspelt
    field never passes ``check --strict`` unnoticed). ``name`` prefixes the message."""
    known: dict[str, Node] = {}
    prefix = f"{name}: " if name else ""
    for key, (key_node, value) in mapping_fields(node, where).items():
        if key in allowed:
            known[key] = value
        else:
            where.warn(
                key_node,
                f"{prefix}unknown field '{printable(key)}' is ignored "
                f"(known: {', '.join(sorted(allowed))})",
            )
    return known


def _scalar_value(node: Node) -> Any:
    """A plain value as YAML types it (int, float, date, …); None for anything else."""
    if not isinstance(node, ScalarNode):
        return None
    typed = ScalarNode(tag_of(node), node.value, node.start_mark, node.end_mark, node.style)
    try:
        return SafeConstructor().construct_object(typed)
    except (ConstructorError, ValueError, TypeError, OverflowError):
        # int() refuses more than 4,300 digits; an impossible date raises ValueError.
        return node.value


def category(node: Node, where: Where) -> str | None:
    """A category name, one of :data:`~bot.categories.CATEGORIES`."""
    value = scalar_text(node)
    if value not in CATEGORIES:
        where.report(
            node, f"unknown category '{printable(value)}' (use one of: {', '.join(CATEGORIES)})"
        )
        return None
    return value


def strings(node: Node, where: Where, what: str) -> tuple[str, ...]:
    """A list of strings; a single string is accepted as a one-item list."""
    return _strings(node, where, what, None)


def _strings(node: Node, where: Where, name: str, lang: str | None) -> tuple[str, ...]:
    """:func:`strings`, named ``name.lang`` in messages (``name`` alone without ``lang``)."""
    if isinstance(node, SequenceNode):
        # Nearly every list is plain text: read in one go, without a message made in advance
        # for each (40,000 lists at 10,000 entries: 0.15 s of CPU). A list or a mapping in it
        # has no strip(); the loop below says which.
        try:
            return tuple(filter(None, [item.value.strip() for item in node.value]))
        except AttributeError:
            pass
    what = name if lang is None else f"{name}.{printable(lang)}"
    if isinstance(node, ScalarNode):
        text = scalar_text(node)
        return (text,) if text else ()
    if not isinstance(node, SequenceNode):
        where.report(node, f"{what} must be a list")
        return ()
    items = []
    for item in node.value:
        if isinstance(item, ScalarNode):
            if text := item.value.strip():
                items.append(text)
        else:
            where.report(item, f"{what}: each item must be plain text")
    return tuple(items)


def _language_map(node: Node | None, where: Where, name: str) -> Iterator[tuple[str, Node]]:
    if node is None:
        return
    if not isinstance(node, MappingNode):
        where.report(node, f"{name} must map languages to text (zh: …, ja: …, en: …)")
        return
    for lang, (key_node, value) in mapping_fields(node, where).items():
        if lang not in DEFAULT_LANGUAGES:
            where.warn(
                key_node,
                f"{name}.{printable(lang)}: unknown language (use {', '.join(DEFAULT_LANGUAGES)})",
            )
        yield lang, value


def localized(node: Node | None, where: Where, name: str) -> Localized:
    """A text per language."""
    result: dict[str, str] = {}
    for lang, value in _language_map(node, where, name):
        if not isinstance(value, ScalarNode):
            where.report(value, f"{name}.{printable(lang)} must be text")
        elif text := scalar_text(value):
            result[lang] = text
    return MappingProxyType(result)


def localized_lists(node: Node | None, where: Where, name: str) -> Mapping[str, tuple[str, ...]]:
    """A list of texts per language."""
    result = {
        lang: items
        for lang, value in _language_map(node, where, name)
        if (items := _strings(value, where, name, lang))
    }
    return MappingProxyType(result)


def moment(node: Node, where: Where, name: str) -> date | datetime | None:
    """A date, or a date and time (with or without an offset)."""
    value = _scalar_value(node)
    if isinstance(value, str):
        try:
            value = (
                datetime.fromisoformat(value)
                if "T" in value or " " in value.strip()
                else date.fromisoformat(value)
            )
        except ValueError:
            value = None
    if not isinstance(value, date):
        where.report(node, f"{name} must be a date like 2023-06-20 or 2023-06-20T14:00:00+09:00")
        return None
    return value


def flag(node: Node, where: Where, name: str) -> bool | None:
    """A yes/no value: true or false."""
    value = _scalar_value(node)
    if not isinstance(value, bool):
        where.report(node, f"{name} must be true or false")
        return None
    return value


def number(node: Node | None, parent: Node, where: Where, name: str) -> float | None:
    """A number; ``parent`` is the mapping it is missing from, when it is."""
    if node is None:
        where.report(parent, f"{name} is missing")
        return None
    value = _scalar_value(node)
    if isinstance(value, bool) or not isinstance(value, int | float):
        where.report(node, f"{name} must be a number")
        return None
    try:
        return float(value)
    except OverflowError:  # an int beyond float's range, 1 followed by 400 zeros
        return math.inf


def url_problem(url: str) -> str | None:
    """Why Telegram would refuse ``url`` in a link button, or None when it is a valid https URL."""
    if _PLAIN_URL.match(url):  # most are: the checks below took 0.1 s at 10,000 entries
        return None
    return _url_problem(url)


def _url_problem(url: str) -> str | None:
    if not url.startswith("https://") or len(url) <= len("https://"):
        return "must be an https:// URL"
    forbidden = _URL_FORBIDDEN.search(url) or (
        None if url.isprintable() else next(ch for ch in url if not ch.isprintable())
    )
    if forbidden is not None:
        char = forbidden if isinstance(forbidden, str) else forbidden.group()
        what = "a space" if char.isspace() else f"'{printable(char)}'"
        return f"is not a valid https:// URL: it contains {what} (write it %-encoded)"
    if _BAD_PERCENT.search(url):
        return "is not a valid https:// URL: '%' must be followed by two hex digits"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 -- reading it checks it
    except ValueError:
        return "is not a valid https:// URL: the port must be a number up to 65535"
    labels = (parts.hostname or "").removesuffix(".").split(".")
    if not all(_HOST.match(label) for label in labels):
        return "is not a valid https:// URL: it has no valid host name"
    return None


def links(node: Node | None, where: Where) -> tuple[Link, ...]:
    """Link buttons: each an https URL and a title per language."""
    if node is None:
        return ()
    if not isinstance(node, SequenceNode):
        where.report(node, "links must be a list of '- url: …'")
        return ()
    result = []
    for item in node.value:
        fields = mapping_fields(item, where) if isinstance(item, MappingNode) else {}
        url_node = fields.get("url", (item, item))[1]
        url = scalar_text(url_node)
        problem = url_problem(url)
        if problem is not None:
            where.report(url_node, f"link '{printable(url)}' {problem}")
            continue
        title = localized(fields.get("title", (item, None))[1], where, "links.title")
        result.append(Link(url, title))
    return tuple(result)


def location(node: Node | None, where: Where) -> Location | None:
    """A point on the map with its name and address."""
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        where.report(node, "location must have lat, lon and name")
        return None
    fields = {key: value for key, (_, value) in mapping_fields(node, where).items()}
    lat = number(fields.get("lat"), node, where, "location.lat")
    lon = number(fields.get("lon"), node, where, "location.lon")
    for value, name, limit in ((lat, "lat", 90), (lon, "lon", 180)):
        if value is not None and not -limit <= value <= limit:
            shown = str(value) if math.isfinite(value) else printable(fields[name].value, 40)
            where.report(
                fields[name], f"location.{name} {shown} is out of range (-{limit}..{limit})"
            )
            return None
    if lat is None or lon is None:
        return None
    return Location(
        lat,
        lon,
        localized(fields.get("name"), where, "location.name"),
        localized(fields.get("address"), where, "location.address"),
    )


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False  # ValueError: a path, not a zone name; OSError: a name too long for a file
    return True


def event(node: Node | None, where: Where, name: str = "event") -> Event | None:
    """When and where an event (or one edition of a series, ``name`` then says which) is."""
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        where.report(node, f"{name} must have start (and end, timezone, venue)")
        return None
    fields = {key: value for key, (_, value) in mapping_fields(node, where).items()}
    if "start" not in fields:
        where.report(node, f"{name}.start is missing")
        return None
    start = moment(fields["start"], where, f"{name}.start")
    end = moment(fields["end"], where, f"{name}.end") if "end" in fields else start
    timezone = scalar_text(fields.get("timezone")) or "Asia/Shanghai"
    if not _known_zone(timezone):
        where.report(
            fields.get("timezone", node),
            ("" if name == "event" else f"{name}: ")
            + f"unknown timezone '{printable(timezone)}' (use an IANA name such as "
            "Asia/Shanghai or Asia/Tokyo)",
        )
        return None
    if start is None or end is None:
        return None
    if zoned(end, timezone) < zoned(start, timezone):
        where.report(fields.get("end", node), f"{name} ends ({end}) before it starts ({start})")
        return None
    return Event(start, end, timezone, localized(fields.get("venue"), where, f"{name}.venue"))
