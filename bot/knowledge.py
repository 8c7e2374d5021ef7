"""Load the YAML knowledge base, check it, and turn it into immutable typed records.

The format is docs/knowledge-format.md (extending the shared contract compatibly). Every problem names the file and
line of the YAML node it concerns, so a curator can jump straight to it.

This module is the entry point; the work is done by :mod:`bot.yaml_source` (finding and parsing
the files), :mod:`bot.checker` and :mod:`bot.fields` (checking them) and :mod:`bot.records` (the
records, re-exported here).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from itertools import chain
from pathlib import Path
from types import MappingProxyType

from bot.categories import CATEGORIES
from bot.checker import check_file, check_meta, cross_check, stale_facts
from bot.fields import Where
from bot.knowledge_cache import CheckedFile, KnowledgeCache
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
from bot.yaml_source import (
    MAX_FILE_BYTES,
    SourceFile,
    list_sources,
    parse_yaml,
    read_source,
    shown_path,
)

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
# Small files read on every load (not cached): what they hold is not entries.
_SPECIAL_FILES = frozenset({META_FILE, LEXICON_FILE, PLACES_FILE})


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
    # What the last load froze is the collector's again, so that what this load replaces can be
    # freed, cycles and all: 20 reloads of the shipped base then keep the same memory.
    gc.unfreeze()
    try:
        yield
    finally:
        if was_enabled:
            # What was made is kept until the next load: frozen, the collector does not walk it.
            # Unfrozen, its first pass over the 180,000 objects of 10,000 entries took
            # 0.16-0.42 s of a /reload, and every full pass while answering walked them again.
            gc.freeze()
            gc.enable()


def load_knowledge(
    directory: Path,
    *,
    libyaml: bool = True,
    today: date | None = None,
    cache_dir: Path | None = None,
    cache: KnowledgeCache | None = None,
) -> LoadResult:
    """Load and check every YAML file below ``directory``. Never raises for bad content.

    ``libyaml=False`` parses with the pure-Python loader only (the tests compare both);
    ``today`` is the day time-sensitive facts are judged stale against (default: today);
    ``cache_dir`` keeps each file's checked entries there, so that a file whose bytes have not
    changed is not parsed and checked again (bot.knowledge_cache); the result is the same.
    ``cache``, instead, is such a cache that also remembers the last load in memory: whoever
    reloads keeps one."""
    directory = Path(directory)
    if not directory.is_dir():
        return LoadResult(
            None, (Problem(shown_path(directory), 0, "knowledge directory not found"),)
        )
    if cache is None and cache_dir is not None:
        cache = KnowledgeCache(cache_dir)
    with collector_paused():
        return _load(directory, libyaml, today or date.today(), cache)


def _load(directory: Path, libyaml: bool, today: date, cache: KnowledgeCache | None) -> LoadResult:
    sources, problems = list_sources(directory)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    files: list[tuple[SourceFile, bytes, CheckedFile]] = []
    parts: list[LexiconPart] = []
    for source in sources:
        raw = read_source(source)
        if isinstance(raw, Problem):
            problems.append(raw)
        elif source.path.name not in _SPECIAL_FILES:
            checked = cache.get(source.shown, raw, libyaml) if cache else None
            checked = checked or _check_entries(raw, source.shown, libyaml)
            problems.extend(checked.problems)
            files.append((source, raw, checked))
        elif isinstance(root := parse_yaml(raw, source.shown, libyaml), Problem):
            problems.append(root)
        elif source.path.name == META_FILE:
            languages = check_meta(root, Where(source.shown, problems)) or languages
        else:
            read = check_lexicon if source.path.name == LEXICON_FILE else check_places
            parts.append(read(root, Where(source.shown, problems)))
    lexicon = combine(parts)
    if not sources:
        problems.append(
            Problem(shown_path(directory), 0, "no .yaml files found in the knowledge directory")
        )
    entries = [entry for _, _, checked in files for entry in checked.entries]
    normal = _normal_forms(files, cache, libyaml)
    if cache is not None:
        cache.keep_only((source.shown for source, _, _ in files), libyaml)
    problems.extend(cross_check(entries, languages, normal))
    problems.extend(cross_check_lexicon(lexicon, entries))
    problems.extend(stale_facts(entries, today))
    problems.sort(key=lambda p: (p.file, p.line))
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, tuple(problems))
    knowledge = KnowledgeBase.of(tuple(entries), languages, lexicon, normal)
    return LoadResult(knowledge, tuple(problems))


def _check_entries(raw: bytes, shown: str, libyaml: bool) -> CheckedFile:
    """Parse and check one file of entries, its problems kept with it."""
    root = parse_yaml(raw, shown, libyaml)
    if isinstance(root, Problem):
        return CheckedFile((), (root,))
    problems: list[Problem] = []
    entries = check_file(root, Where(shown, problems))
    return CheckedFile(tuple(entries), tuple(problems))


def _normal_forms(
    files: list[tuple[SourceFile, bytes, CheckedFile]], cache: KnowledgeCache | None, libyaml: bool
) -> Mapping[str, str]:
    """The normal forms of all entries' phrasings, in the order they come. Those of files read
    now are made at once (normalizing is batched: bot.text.normalize_many), then each file's
    share is cached with it; a cached file brings its own."""
    # chain, not a generator of generators: 220,000 phrasings at 10,000 entries.
    new = [entry for _, _, checked in files if checked.normal is None for entry in checked.entries]
    fresh = normal_forms(chain.from_iterable(entry.phrasings for entry in new))
    if cache is None:
        return fresh
    merged: dict[str, str] = {}
    for source, raw, checked in files:
        own = checked.normal
        if own is None:
            texts = chain.from_iterable(entry.phrasings for entry in checked.entries)
            own = MappingProxyType({text: fresh[text] for text in texts})
            cache.put(source.shown, raw, libyaml, replace(checked, normal=own))
        merged.update(own)
    return MappingProxyType(merged)
