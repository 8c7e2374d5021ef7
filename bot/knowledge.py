"""Load the YAML knowledge base, check it, and turn it into immutable typed records.

The format is docs/knowledge-format.md (extending the shared contract compatibly). Every problem names the file and
line of the YAML node it concerns, so a curator can jump straight to it.

This module is the entry point; the work is done by :mod:`bot.yaml_source` (finding and parsing
the files), :mod:`bot.checker` and :mod:`bot.fields` (checking them) and :mod:`bot.records` (the
records, re-exported here).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import chain
from pathlib import Path

from bot.categories import CATEGORIES
from bot.checker import check_file, check_meta, cross_check, stale_facts
from bot.fields import Where
from bot.lexicon_file import (
    LEXICON_FILE,
    PLACES_FILE,
    LexiconPart,
    check_lexicon,
    check_places,
    combine,
    cross_check_lexicon,
)
from bot.records import (
    DEFAULT_LANGUAGES,
    Entry,
    Event,
    KnowledgeBase,
    Link,
    LoadResult,
    Localized,
    Location,
    Problem,
    Severity,
    event_end,
    event_start,
)
from bot.text import normal_forms
from bot.yaml_source import MAX_FILE_BYTES, list_sources, read_yaml, shown_path

__all__ = [
    "CATEGORIES",
    "DEFAULT_LANGUAGES",
    "MAX_FILE_BYTES",
    "META_FILE",
    "Entry",
    "Event",
    "KnowledgeBase",
    "KnowledgeError",
    "Link",
    "LoadResult",
    "Localized",
    "Location",
    "Problem",
    "Severity",
    "collector_paused",
    "event_end",
    "event_start",
    "load_knowledge",
    "load_knowledge_or_raise",
]

META_FILE = "_meta.yaml"


class KnowledgeError(Exception):
    """Raised by :func:`load_knowledge_or_raise` when the knowledge base cannot be used."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_knowledge_or_raise(directory: Path, strict: bool = False) -> KnowledgeBase:
    """The checked knowledge base, or :class:`KnowledgeError` listing what is wrong."""
    result = load_knowledge(directory)
    if result.knowledge is None or not result.ok(strict):
        raise KnowledgeError(result.errors or result.warnings)
    return result.knowledge


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading or indexing: the node trees, records and
    index are hundreds of thousands of new objects, and the collections they set off nearly
    doubled the time of loading 2,000 synthetic entries (5 MB: 1.6 s of CPU with them, 0.9 s
    without). Nothing made here is a cycle for the collector to free, except a YAML alias to its
    own collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_knowledge(
    directory: Path, *, libyaml: bool = True, today: date | None = None
) -> LoadResult:
    """Load and check every YAML file below ``directory``. Never raises for bad content.

    ``libyaml=False`` parses with the pure-Python loader only (the tests compare both);
    ``today`` is the day time-sensitive facts are judged stale against (default: today)."""
    directory = Path(directory)
    if not directory.is_dir():
        return LoadResult(
            None, (Problem(shown_path(directory), 0, "knowledge directory not found"),)
        )
    with collector_paused():
        return _load(directory, libyaml, today or date.today())


def _load(directory: Path, libyaml: bool, today: date) -> LoadResult:
    sources, problems = list_sources(directory)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    entries: list[Entry] = []
    parts: list[LexiconPart] = []
    for source in sources:
        root = read_yaml(source, libyaml)
        if isinstance(root, Problem):
            problems.append(root)
            continue
        where = Where(source.shown, problems)
        if source.path.name == META_FILE:
            languages = check_meta(root, where) or languages
        elif source.path.name == LEXICON_FILE:
            parts.append(check_lexicon(root, where))
        elif source.path.name == PLACES_FILE:
            parts.append(check_places(root, where))
        else:
            entries.extend(check_file(root, where))
    lexicon = combine(parts)
    if not sources:
        problems.append(
            Problem(shown_path(directory), 0, "no .yaml files found in the knowledge directory")
        )
    normal = normal_forms(chain.from_iterable(entry.phrasings for entry in entries))
    problems.extend(cross_check(entries, languages, normal))
    problems.extend(cross_check_lexicon(lexicon, entries))
    problems.extend(stale_facts(entries, today))
    problems.sort(key=lambda p: (p.file, p.line))
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, tuple(problems))
    knowledge = KnowledgeBase.of(tuple(entries), languages, lexicon, normal)
    return LoadResult(knowledge, tuple(problems))
