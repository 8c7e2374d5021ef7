"""Load the YAML knowledge base, check it, and turn it into immutable typed records.

The format is the contract in ``shared/spec/knowledge-format.md``. Every problem names the file and
line of the YAML node it concerns, so a curator can jump straight to it.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.tokens import ScalarToken

from bot.actions import longest_entry_id
from bot.categories import CATEGORIES
from bot.languages import SUPPORTED
from bot.text import normalize

DEFAULT_LANGUAGES = SUPPORTED
META_FILE = "_meta.yaml"
MAX_FILE_BYTES = 2_000_000  # a curated file is a few hundred KB; anything larger is a mistake

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
        "source",
        "updated",
    }
)

Localized = Mapping[str, str]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Link:
    url: str
    title: Localized


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    name: Localized
    address: Localized


@dataclass(frozen=True)
class Event:
    start: date | datetime
    end: date | datetime
    timezone: str
    venue: Localized

    @property
    def start_day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def end_day(self) -> date:
        return self.end.date() if isinstance(self.end, datetime) else self.end


@dataclass(frozen=True)
class Entry:
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
    updated: date | None = None
    title: Localized = field(default_factory=lambda: MappingProxyType({}))  # short display name
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    by_id: Mapping[str, Entry] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, entries: tuple[Entry, ...], languages: tuple[str, ...]) -> KnowledgeBase:
        return cls(entries, languages, MappingProxyType({e.id: e for e in entries}))

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def in_category(self, category: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.category == category)

    @property
    def events(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.event is not None)


@dataclass(frozen=True)
class LoadResult:
    knowledge: KnowledgeBase | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def ok(self, strict: bool = False) -> bool:
        return not (self.errors or (strict and self.warnings))


class KnowledgeError(Exception):
    """Raised by :func:`load_knowledge_or_raise` when the knowledge base cannot be used."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_knowledge_or_raise(directory: Path, strict: bool = False) -> KnowledgeBase:
    result = load_knowledge(directory)
    if result.knowledge is None or not result.ok(strict):
        raise KnowledgeError(result.errors or result.warnings)
    return result.knowledge


def load_knowledge(directory: Path) -> LoadResult:
    """Load and check every YAML file below ``directory``. Never raises for bad content."""
    directory = Path(directory)
    if not directory.is_dir():
        return LoadResult(None, (Problem(str(directory), 0, "knowledge directory not found"),))
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    checker = _Checker()
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    entries: list[Entry] = []
    for path in files:
        shown = _shown(path)
        root = checker.parse(path, shown)
        if root is None:
            continue
        if path.name == META_FILE:
            languages = checker.meta(root, shown) or languages
        else:
            entries.extend(checker.file_entries(root, shown))
    if not files:
        checker.error(str(directory), 0, "no .yaml files found in the knowledge directory")
    checker.cross_check(entries, languages)
    problems = tuple(sorted(checker.problems, key=lambda p: (p.file, p.line)))
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, problems)
    return LoadResult(KnowledgeBase.of(tuple(entries), languages), problems)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading flow lists the YAML 1.2 way.

    PyYAML follows YAML 1.1, where a '?' ends a plain scalar inside [ ]: the format's own example
    `en: [Where is the Mukden Palace?, …]` would be a syntax error. Curators write questions;
    questions end in '?'. This is PyYAML's ``scan_plain`` with only that stop character removed.
    """

    def scan_plain(self) -> ScalarToken:
        breaks = "\0 \t\r\n\x85\u2028\u2029"
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in breaks
                    or (
                        ch == ":"
                        and self.peek(length + 1) in breaks + (",[]{}" if self.flow_level else "")
                    )
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


def _shown(path: Path) -> str:
    """The path as a curator would type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping_items(node: MappingNode) -> Iterator[tuple[str, Node, Node]]:
    for key_node, value_node in node.value:
        yield str(key_node.value), key_node, value_node


class _Checker:
    """Collects problems while turning YAML nodes into records."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def error(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message, "error"))

    def warn(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message, "warning"))

    # -- reading files -----------------------------------------------------------------------

    def parse(self, path: Path, shown: str) -> MappingNode | None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.error(
                    shown,
                    1,
                    f"file is too large ({size:,} bytes; the limit is "
                    f"{MAX_FILE_BYTES:,}): split it into several files",
                )
                return None
            raw = path.read_bytes()
        except OSError as exc:
            self.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.error(shown, line, "the file is not UTF-8 text: save it with UTF-8 encoding")
            return None
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            what = exc.problem or "invalid YAML"
            self.error(
                shown,
                line,
                f"YAML syntax error: {what} (check indentation, colons "
                "and quotes around text containing ': ' or '#')",
            )
            return None
        except yaml.YAMLError as exc:
            self.error(shown, 1, f"YAML error: {exc}")
            return None
        if root is None:
            self.error(shown, 1, "the file is empty: expected 'category:' and 'entries:'")
            return None
        if not isinstance(root, MappingNode):
            kind = "a list" if isinstance(root, SequenceNode) else "a single value"
            self.error(
                shown,
                _line(root),
                f"the file is {kind}; expected a mapping with 'category:' and 'entries:'",
            )
            return None
        return root

    def meta(self, root: MappingNode, file: str) -> tuple[str, ...] | None:
        languages: tuple[str, ...] | None = None
        for key, key_node, value in _mapping_items(root):
            if key not in _META_KEYS:
                self.error(
                    file,
                    _line(key_node),
                    f"unknown top-level key '{key}' (allowed: {', '.join(sorted(_META_KEYS))})",
                )
            elif key == "languages":
                langs = self._strings(value, file, "languages")
                if langs:
                    languages = langs
        return languages

    def file_entries(self, root: MappingNode, file: str) -> list[Entry]:
        category: str | None = None
        entries_node: Node | None = None
        for key, key_node, value in _mapping_items(root):
            if key not in _FILE_KEYS:
                self.error(
                    file,
                    _line(key_node),
                    f"unknown top-level key '{key}' (allowed: {', '.join(sorted(_FILE_KEYS))})",
                )
            elif key == "category":
                category = self._category(value, file, None)
            else:
                entries_node = value
        if entries_node is None:
            self.error(file, _line(root), "missing 'entries:' (the list of entries)")
            return []
        if not isinstance(entries_node, SequenceNode):
            if not (isinstance(entries_node, ScalarNode) and entries_node.value == ""):
                self.error(
                    file,
                    _line(entries_node),
                    "'entries' must be a list of entries (each starting with '- id: ...')",
                )
            return []
        result = []
        for node in entries_node.value:
            entry = self._entry(node, file, category)
            if entry is not None:
                result.append(entry)
        return result

    # -- one entry ---------------------------------------------------------------------------

    def _entry(self, node: Node, file: str, file_category: str | None) -> Entry | None:
        if not isinstance(node, MappingNode):
            self.error(file, _line(node), "an entry must be a mapping starting with 'id:'")
            return None
        fields: dict[str, Node] = {}
        for key, key_node, value in _mapping_items(node):
            if key not in _ENTRY_KEYS:
                self.warn(
                    file,
                    _line(key_node),
                    f"unknown field '{key}' is ignored (known: {', '.join(sorted(_ENTRY_KEYS))})",
                )
            else:
                fields[key] = value
        id_node = fields.get("id")
        entry_id = self._scalar_text(id_node) if id_node is not None else ""
        if id_node is None or not entry_id:
            self.error(file, _line(node), "entry without 'id'")
            return None
        where = f"entry '{entry_id}'"
        if not _ID.match(entry_id):
            self.error(file, _line(id_node), f"{where}: id may only contain a-z, 0-9 and '-'")
        elif len(entry_id) > longest_entry_id():
            # Every button naming the entry carries its id; Telegram refuses a whole message
            # whose button data is over 64 bytes, so such an entry could never be shown.
            self.error(
                file,
                _line(id_node),
                f"{where}: id is {len(entry_id)} characters; at most {longest_entry_id()} fit "
                "in Telegram's 64-byte button data",
            )
        category = (
            self._category(fields["category"], file, where)
            if "category" in fields
            else file_category
        )
        if category is None:
            self.error(
                file,
                _line(node),
                f"{where}: no category (set 'category:' in the file or the entry)",
            )
        questions = self._localized_lists(fields.get("questions"), file, where, "questions")
        if not any(questions.values()):
            self.error(file, _line(fields.get("questions", node)), f"{where}: no questions")
        answer = self._localized(fields.get("answer"), file, where, "answer")
        if not answer:
            self.error(file, _line(fields.get("answer", node)), f"{where}: no answer")
        source = self._scalar_text(fields["source"]) if "source" in fields else ""
        if not source:
            self.error(
                file,
                _line(fields.get("source", node)),
                f"{where}: no source (say where the facts come from)",
            )
        updated = (
            self._date(fields["updated"], file, where, "updated") if "updated" in fields else None
        )
        return Entry(
            id=entry_id,
            category=category or "general",
            questions=questions,
            keywords=self._localized_lists(fields.get("keywords"), file, where, "keywords"),
            answer=answer,
            source=source,
            related=self._strings(fields["related"], file, f"{where}: related")
            if "related" in fields
            else (),
            links=self._links(fields.get("links"), file, where),
            location=self._location(fields.get("location"), file, where),
            event=self._event(fields.get("event"), file, where),
            updated=updated if isinstance(updated, date) else None,
            title=self._localized(fields.get("title"), file, where, "title"),
            file=file,
            line=_line(node),
        )

    def _category(self, node: Node, file: str, where: str | None) -> str | None:
        value = self._scalar_text(node)
        if value not in CATEGORIES:
            prefix = f"{where}: " if where else ""
            self.error(
                file,
                _line(node),
                f"{prefix}unknown category '{value}' (use one of: {', '.join(CATEGORIES)})",
            )
            return None
        return value

    def _scalar_text(self, node: Node | None) -> str:
        if isinstance(node, ScalarNode):
            return str(node.value).strip()
        return ""

    def _value(self, node: Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError, TypeError):
            return node.value if isinstance(node, ScalarNode) else None

    def _strings(self, node: Node, file: str, what: str) -> tuple[str, ...]:
        """A list of strings; a single string is accepted as a one-item list."""
        if isinstance(node, ScalarNode):
            text = self._scalar_text(node)
            return (text,) if text else ()
        if not isinstance(node, SequenceNode):
            self.error(file, _line(node), f"{what} must be a list")
            return ()
        items = []
        for item in node.value:
            if isinstance(item, ScalarNode) and self._scalar_text(item):
                items.append(self._scalar_text(item))
            elif not isinstance(item, ScalarNode):
                self.error(file, _line(item), f"{what}: each item must be plain text")
        return tuple(items)

    def _language_map(
        self, node: Node | None, file: str, where: str, name: str
    ) -> Iterator[tuple[str, Node]]:
        if node is None:
            return
        if not isinstance(node, MappingNode):
            self.error(
                file,
                _line(node),
                f"{where}: {name} must map languages to text (zh: …, ja: …, en: …)",
            )
            return
        for lang, key_node, value in _mapping_items(node):
            if lang not in DEFAULT_LANGUAGES:
                self.warn(
                    file,
                    _line(key_node),
                    f"{where}: {name}.{lang}: unknown language "
                    f"(use {', '.join(DEFAULT_LANGUAGES)})",
                )
            yield lang, value

    def _localized(self, node: Node | None, file: str, where: str, name: str) -> Localized:
        result: dict[str, str] = {}
        for lang, value in self._language_map(node, file, where, name):
            text = self._scalar_text(value)
            if not isinstance(value, ScalarNode):
                self.error(file, _line(value), f"{where}: {name}.{lang} must be text")
            elif text:
                result[lang] = text
        return MappingProxyType(result)

    def _localized_lists(
        self, node: Node | None, file: str, where: str, name: str
    ) -> Mapping[str, tuple[str, ...]]:
        result = {
            lang: items
            for lang, value in self._language_map(node, file, where, name)
            if (items := self._strings(value, file, f"{where}: {name}.{lang}"))
        }
        return MappingProxyType(result)

    def _date(self, node: Node, file: str, where: str, name: str) -> date | datetime | None:
        value = self._value(node)
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
            self.error(
                file,
                _line(node),
                f"{where}: {name} must be a date like 2023-06-20 or 2023-06-20T14:00:00+09:00",
            )
            return None
        return value

    def _number(self, node: Node | None, file: str, where: str, name: str) -> float | None:
        if node is None:
            self.error(file, 0, f"{where}: {name} is missing")
            return None
        value = self._value(node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(file, _line(node), f"{where}: {name} must be a number")
            return None
        return float(value)

    def _links(self, node: Node | None, file: str, where: str) -> tuple[Link, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.error(file, _line(node), f"{where}: links must be a list of '- url: …'")
            return ()
        links = []
        for item in node.value:
            fields = (
                dict((k, v) for k, _, v in _mapping_items(item))
                if isinstance(item, MappingNode)
                else {}
            )
            url = self._scalar_text(fields.get("url"))
            if not url.startswith("https://") or len(url) <= len("https://"):
                self.error(
                    file,
                    _line(fields.get("url", item)),
                    f"{where}: link '{url}' must be an https:// URL",
                )
                continue
            title = self._localized(fields.get("title"), file, where, "links.title")
            links.append(Link(url, title))
        return tuple(links)

    def _location(self, node: Node | None, file: str, where: str) -> Location | None:
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.error(file, _line(node), f"{where}: location must have lat, lon and name")
            return None
        fields = {k: v for k, _, v in _mapping_items(node)}
        lat = self._number(fields.get("lat"), file, where, "location.lat")
        lon = self._number(fields.get("lon"), file, where, "location.lon")
        if lat is not None and not -90 <= lat <= 90:
            self.error(
                file, _line(fields["lat"]), f"{where}: location.lat {lat} is out of range (-90..90)"
            )
            return None
        if lon is not None and not -180 <= lon <= 180:
            self.error(
                file,
                _line(fields["lon"]),
                f"{where}: location.lon {lon} is out of range (-180..180)",
            )
            return None
        if lat is None or lon is None:
            return None
        return Location(
            lat,
            lon,
            self._localized(fields.get("name"), file, where, "location.name"),
            self._localized(fields.get("address"), file, where, "location.address"),
        )

    def _event(self, node: Node | None, file: str, where: str) -> Event | None:
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.error(
                file, _line(node), f"{where}: event must have start (and end, timezone, venue)"
            )
            return None
        fields = {k: v for k, _, v in _mapping_items(node)}
        if "start" not in fields:
            self.error(file, _line(node), f"{where}: event.start is missing")
            return None
        start = self._date(fields["start"], file, where, "event.start")
        end = self._date(fields["end"], file, where, "event.end") if "end" in fields else start
        timezone = self._scalar_text(fields.get("timezone")) or "Asia/Shanghai"
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.error(
                file,
                _line(fields.get("timezone", node)),
                f"{where}: unknown timezone '{timezone}' (use an IANA name such as "
                "Asia/Shanghai or Asia/Tokyo)",
            )
            return None
        if start is None or end is None:
            return None
        if _sort_key(end, timezone) < _sort_key(start, timezone):
            self.error(
                file,
                _line(fields.get("end", node)),
                f"{where}: event ends ({end}) before it starts ({start})",
            )
            return None
        venue = self._localized(fields.get("venue"), file, where, "event.venue")
        return Event(start, end, timezone, venue)

    # -- across the whole knowledge base -----------------------------------------------------

    def cross_check(self, entries: list[Entry], languages: tuple[str, ...]) -> None:
        seen: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in seen:
                first = seen[entry.id]
                self.error(
                    entry.file,
                    entry.line,
                    f"duplicate id '{entry.id}' (also at {first.file}:{first.line})",
                )
            else:
                seen[entry.id] = entry
        phrasing_owner: dict[str, Entry] = {}
        for entry in entries:
            where = f"entry '{entry.id}'"
            for target in entry.related:
                if target not in seen:
                    self.error(
                        entry.file, entry.line, f"{where}: related id '{target}' does not exist"
                    )
            for lang in languages:
                if not entry.questions.get(lang):
                    self.warn(entry.file, entry.line, f"{where}: questions.{lang} is missing")
                if lang not in entry.answer:
                    self.warn(entry.file, entry.line, f"{where}: answer.{lang} is missing")
            for phrasings in entry.questions.values():
                for phrasing in phrasings:
                    key = normalize(phrasing)
                    owner = phrasing_owner.setdefault(key, entry)
                    if owner.id != entry.id:
                        self.warn(
                            entry.file,
                            entry.line,
                            f"{where}: question '{phrasing}' is also a question of "
                            f"'{owner.id}' ({owner.file}:{owner.line}); matching will be "
                            "ambiguous",
                        )


def _sort_key(moment: date | datetime, timezone: str) -> datetime:
    """Make dates and aware datetimes comparable, in the event's own time zone."""
    zone = zoneinfo.ZoneInfo(timezone)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return datetime(moment.year, moment.month, moment.day, tzinfo=zone)


def event_start(event: Event) -> datetime:
    return _sort_key(event.start, event.timezone)


def event_end(event: Event) -> datetime:
    return _sort_key(event.end, event.timezone)
