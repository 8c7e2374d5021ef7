"""Check the knowledge base: each file's structure, each entry's fields, and what only the whole
base can tell (duplicate ids, related ids that do not exist, missing translations, the same
phrasing under two entries).

Works on the node trees of :mod:`bot.yaml_source`; the field readers are in :mod:`bot.fields`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot import event_fields
from bot import fields as read
from bot.actions import longest_entry_id
from bot.categories import SMALL_TALK
from bot.facts import read_facts
from bot.fields import Where, line_of, mapping_fields, printable, scalar_text
from bot.records import Entry, Problem
from bot.text import normal_forms

_ID = re.compile(r"^[a-z0-9-]+$")
_FILE_KEYS = frozenset({"category", "entries"})
_META_KEYS = frozenset({"languages"})
_ENTRY_KEYS = frozenset(
    {
        "id",
        "title",
        "category",
        "questions",
        "keywords",
        "answer",
        "related",
        "links",
        "location",
        "event",
        "series",
        "editions",
        "source",
        "updated",
        "time_sensitive",
        "facts",
    }
)
# An entry is time-sensitive when its id has one of these words (``business-visa``,
# ``airport-bus-fares``), unless it says ``time_sensitive: false``; ``time_sensitive: true``
# marks any other. Visa rules, fares, flights, prices, tickets and fees change without notice:
# such an entry whose ``updated`` is more than STALE_AFTER_DAYS old (or missing) is a warning.
TIME_SENSITIVE_WORDS = frozenset(
    {"visa", "visas", "fare", "fares", "flight", "flights", "price", "prices"}
    | {"ticket", "tickets", "fee", "fees"}
)
STALE_AFTER_DAYS = 183  # six months
# A source that names a file on someone's computer (/home/…/a.pdf, ~/…, C:\…, file:, ./…) says
# nothing a reader can check. One-segment paths such as the bot's own /events are commands.
_LOCAL_PATH = re.compile(
    r"(?:^|[\s(（'\"])(?:file:|~[/\\]|\.\.?[/\\]|/[^\s/]+/|[a-z]:[/\\])", re.IGNORECASE
)


def _unknown_key(key: str, allowed: frozenset[str]) -> str:
    return f"unknown top-level key '{printable(key)}' (allowed: {', '.join(sorted(allowed))})"


def check_meta(root: MappingNode, where: Where) -> tuple[str, ...] | None:
    """The languages ``_meta.yaml`` promises, if it says."""
    languages: tuple[str, ...] | None = None
    for key, (key_node, value) in mapping_fields(root, where).items():
        if key not in _META_KEYS:
            where.report(key_node, _unknown_key(key, _META_KEYS))
        elif key == "languages":
            languages = read.strings(value, where, "languages") or None
    return languages


def check_file(root: MappingNode, where: Where) -> list[Entry]:
    """The entries of one knowledge file."""
    file_category: str | None = None
    entries_node: Node | None = None
    for key, (key_node, value) in mapping_fields(root, where).items():
        if key not in _FILE_KEYS:
            where.report(key_node, _unknown_key(key, _FILE_KEYS))
        elif key == "category":
            file_category = read.category(value, where)
        else:
            entries_node = value
    if entries_node is None:
        where.report(root, "missing 'entries:' (the list of entries)")
        return []
    if not isinstance(entries_node, SequenceNode):
        if not (isinstance(entries_node, ScalarNode) and entries_node.value == ""):
            where.report(
                entries_node, "'entries' must be a list of entries (each starting with '- id: ...')"
            )
        return []
    return [
        entry
        for node in entries_node.value
        if (entry := _entry(node, where, file_category)) is not None
    ]


def _entry(node: Node, file_where: Where, file_category: str | None) -> Entry | None:
    if not isinstance(node, MappingNode):
        file_where.report(node, "an entry must be a mapping starting with 'id:'")
        return None
    fields = read.known_fields(node, file_where, _ENTRY_KEYS)
    entry_id = scalar_text(fields.get("id"))
    if not entry_id:
        file_where.report(node, "entry without 'id'")
        return None
    where = file_where.about(entry_id)
    _check_id(entry_id, fields["id"], where)
    category = read.category(fields["category"], where) if "category" in fields else file_category
    if category is None:
        where.report(node, "no category (set 'category:' in the file or the entry)")
    questions = read.localized_lists(fields.get("questions"), where, "questions")
    if not any(questions.values()):
        where.report(fields.get("questions", node), "no questions")
    answer = read.localized(fields.get("answer"), where, "answer")
    if not answer:
        where.report(fields.get("answer", node), "no answer")
    source = _source(fields.get("source"), node, where)
    updated = read.moment(fields["updated"], where, "updated") if "updated" in fields else None
    _check_series(node, fields, where)
    _check_general(category, fields, node, where)
    return Entry(
        facts=read_facts(fields.get("facts"), where),
        id=entry_id,
        category=category or SMALL_TALK,
        questions=questions,
        keywords=read.localized_lists(fields.get("keywords"), where, "keywords"),
        answer=answer,
        source=source,
        related=read.strings(fields["related"], where, "related") if "related" in fields else (),
        links=read.links(fields.get("links"), where),
        location=read.location(fields.get("location"), where),
        event=read.event(fields.get("event"), where),
        series=event_fields.series(fields.get("series"), where),
        editions=event_fields.editions(fields.get("editions"), where),
        updated=updated if isinstance(updated, date) else None,
        title=read.localized(fields.get("title"), where, "title"),
        time_sensitive=_time_sensitive(entry_id, fields.get("time_sensitive"), where),
        file=where.file,
        line=line_of(node),
    )


def _check_general(category: str | None, fields: dict[str, Node], node: Node, where: Where) -> None:
    """A place is never small talk: entries of the category ``general`` (greetings, thanks, what
    the bot can do) are no conversation's topic and not in the menu, so the consulates filed there
    had answered "is it open on mondays?" with "Which place do you mean?"."""
    if category == SMALL_TALK and "location" in fields:
        where.report(
            fields.get("category", node),
            "a place (it has 'location') cannot be in category 'general', which is for greetings,"
            " thanks and help: users can't browse it or ask a follow-up about it",
        )


def _check_id(entry_id: str, node: Node, where: Where) -> None:
    if not _ID.match(entry_id):
        where.report(node, "id may only contain a-z, 0-9 and '-'")
    elif len(entry_id) > longest_entry_id():
        # Every button naming the entry carries its id; Telegram refuses a whole message whose
        # button data is over 64 bytes, so such an entry could never be shown.
        where.report(
            node,
            f"id is {len(entry_id)} characters; at most {longest_entry_id()} fit in "
            "Telegram's 64-byte button data",
        )


def _source(node: Node | None, entry: Node, where: Where) -> str:
    source = scalar_text(node)
    if node is None or not source:
        where.report(node or entry, "no source (say where the facts come from)")
    elif _LOCAL_PATH.search(source):
        where.warn(
            node,
            f"source '{printable(source)}' names a file on someone's computer: "
            "cite the document or site itself",
        )
    return source


def _time_sensitive(entry_id: str, node: Node | None, where: Where) -> bool:
    """Whether the entry says so (``time_sensitive: true``), else whether its id has one of
    TIME_SENSITIVE_WORDS."""
    explicit = read.flag(node, where, "time_sensitive") if node is not None else None
    if explicit is not None:
        return explicit
    return not TIME_SENSITIVE_WORDS.isdisjoint(entry_id.split("-"))


def stale_facts(entries: Sequence[Entry], today: date) -> list[Problem]:
    """Warnings for time-sensitive entries not checked for STALE_AFTER_DAYS days."""
    problems: list[Problem] = []
    for entry in entries:
        if not entry.time_sensitive:
            continue
        where = Where(entry.file, problems).about(entry.id)
        if entry.updated is None:
            where.warn(
                entry.line,
                "time-sensitive facts (visa, fares, prices…) without 'updated': check them "
                "and add the date",
            )
        elif (today - entry.updated).days > STALE_AFTER_DAYS:
            where.warn(
                entry.line,
                f"time-sensitive facts (visa, fares, prices…) last checked {entry.updated}, "
                "more than 6 months ago: check them and update 'updated'",
            )
    return problems


def _check_series(node: MappingNode, fields: dict[str, Node], where: Where) -> None:
    """An entry is a single event or a series, not both; a series should have an edition."""
    if "series" in fields and "event" in fields:
        where.report(fields["event"], "an entry has either event or series + editions, not both")
    if "editions" in fields and "series" not in fields:
        where.report(fields["editions"], "editions need a series (pattern, kind) in the entry")
    written = fields.get("editions")
    if "series" in fields and (written is None or written.value in ([], "")):
        where.warn(node, "series has no edition yet (add past editions under 'editions:')")


def cross_check(
    entries: Sequence[Entry], languages: tuple[str, ...], normal: Mapping[str, str] | None = None
) -> list[Problem]:
    """What only the whole knowledge base can tell; ``normal`` has the normalized form of the
    entries' questions (made here when not given)."""
    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    f"duplicate id '{entry.id}' (also at {first.file}:{first.line})",
                )
            )
    for entry in entries:
        # Most entries are complete: ask first, and only then make a Where for the messages.
        lacking = [t for t in entry.related if t not in seen]
        if lacking or not all(entry.questions.get(g) and g in entry.answer for g in languages):
            _incomplete(entry, lacking, languages, Where(entry.file, problems).about(entry.id))
    if normal is None:
        normal = normal_forms(q for e in entries for qs in e.questions.values() for q in qs)
    _shared_phrasings(entries, normal, problems)
    return problems


def _incomplete(entry: Entry, lacking: list[str], languages: tuple[str, ...], where: Where) -> None:
    """Report related ids that do not exist and missing translations."""
    for target in lacking:
        where.report(entry.line, f"related id '{printable(target)}' does not exist")
    for lang in languages:
        if not entry.questions.get(lang):
            where.warn(entry.line, f"questions.{lang} is missing")
        if lang not in entry.answer:
            where.warn(entry.line, f"answer.{lang} is missing")


def _shared_phrasings(
    entries: Sequence[Entry], normal: Mapping[str, str], problems: list[Problem]
) -> None:
    owner_of: dict[str, Entry] = {}
    for entry in entries:
        for texts in entry.questions.values():
            for phrasing in texts:
                owner = owner_of.setdefault(normal[phrasing], entry)
                if owner is not entry and owner.id != entry.id:
                    _ambiguous(entry, phrasing, owner, problems)


def _ambiguous(entry: Entry, phrasing: str, owner: Entry, problems: list[Problem]) -> None:
    Where(entry.file, problems).about(entry.id).warn(
        entry.line,
        f"question '{printable(phrasing)}' is also a question of "
        f"'{owner.id}' ({owner.file}:{owner.line}); matching will be ambiguous",
    )
