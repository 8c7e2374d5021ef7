"""Read the two fields of a recurring event: ``series`` (the usual pattern, kind and organiser's
page) and ``editions`` (each edition's dates, venue and source), reporting problems against the
line they are on. A single ``event`` is read by :func:`bot.fields.event`."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot import fields as read
from bot.fields import Where, line_of, mapping_fields, printable, scalar_text
from bot.records import EVENT_KINDS, Edition, Link, Series

_SERIES_KEYS = frozenset({"pattern", "kind", "month", "link"})
_EDITION_KEYS = frozenset({"start", "end", "timezone", "venue", "source"})


def series(node: Node | None, where: Where) -> Series | None:
    """The series an entry describes: pattern per language, kind, usual month, organiser link."""
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        where.report(node, "series must have pattern and kind (and month, link)")
        return None
    fields = read.known_fields(node, where, _SERIES_KEYS, "series")
    pattern = read.localized(fields.get("pattern"), where, "series.pattern")
    if not pattern:
        where.report(fields.get("pattern", node), "series.pattern is missing (zh: …, ja: …, en: …)")
    kind = scalar_text(fields.get("kind"))
    if kind not in EVENT_KINDS:
        where.report(
            fields.get("kind", node),
            f"series.kind '{printable(kind)}' is not one of: {', '.join(EVENT_KINDS)}",
        )
    month = _month(fields.get("month"), where)
    link = _link(fields.get("link"), where)
    return Series(pattern, kind, month, link) if pattern and kind in EVENT_KINDS else None


def editions(node: Node | None, where: Where) -> tuple[Edition, ...]:
    """A series' editions, each like an ``event`` with its own ``source``."""
    if node is None:
        return ()
    if not isinstance(node, SequenceNode):
        where.report(node, "editions must be a list of '- start: …'")
        return ()
    found = []
    for number, item in enumerate(node.value, 1):
        name = f"editions[{number}]"
        if not isinstance(item, MappingNode):
            where.report(item, f"{name} must have start and source (and end, timezone, venue)")
            continue
        fields = read.known_fields(item, where, _EDITION_KEYS, name)
        source = scalar_text(fields.get("source"))
        if not source:
            where.report(item, f"{name} has no source (say where its dates come from)")
        event = read.event(item, where, name)
        if event is not None and source:
            found.append(Edition(event, source, line_of(item)))
    return tuple(found)


def _month(node: Node | None, where: Where) -> int | None:
    if node is None:
        return None
    text = scalar_text(node)
    if not (isinstance(node, ScalarNode) and text.isdigit() and 1 <= int(text) <= 12):
        where.report(node, f"series.month '{printable(text)}' must be a month number, 1 to 12")
        return None
    return int(text)


def _link(node: Node | None, where: Where) -> Link | None:
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        where.report(node, "series.link must have url (and title)")
        return None
    fields = {key: value for key, (_, value) in mapping_fields(node, where).items()}
    url = scalar_text(fields.get("url"))
    problem = read.url_problem(url)
    if problem is not None:
        where.report(fields.get("url", node), f"series.link '{printable(url)}' {problem}")
        return None
    return Link(url, read.localized(fields.get("title"), where, "series.link.title"))
