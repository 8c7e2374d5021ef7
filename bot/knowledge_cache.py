"""A cache of what reading and checking each knowledge file gave, so that start-up and
``/reload`` do not parse and check again a file whose bytes have not changed.

Parsing and checking are most of the cost of loading: 3.65 of 5.02 CPU seconds with the index at
10,000 synthetic entries (benchmarks/bench_loading.py); from the cache, loading takes 0.89 s
(per 1,000 entries 0.30 billion instructions instead of 1.40; writing the cache costs 0.33
billion more, once). What only the whole base can tell (duplicate ids, shared phrasings,
missing translations, the lexicon) and what depends on the day (stale facts) is checked on every
load, not cached; the cache keeps only the files of the last load.

A cache file is a slot per knowledge file (its shown path, the parser, and the code), holding a
digest of everything its content depends on (the slot's key and the file's bytes) and a pickle
of the result. Unpickling runs code, so a cache file is trusted only when the digest matches, it
is a regular file owned by this user that nobody else may write, and its pickle names only the
record classes listed here (bot.cache_files checks both). Anything else (missing, foreign,
corrupt, an unwritable folder) is a miss: the file is read as without a cache, and loading never
fails because of the cache.
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import opencc
import yaml

from bot.cache_files import (
    MAPPING_PROXY,
    SUFFIX,
    Recall,
    keep_only,
    own_file_bytes,
    pickled,
    unpickled,
    write_atomically,
)
from bot.records import Entry, Problem
from bot.yaml_source import C_LOADER

# Changing how results are stored changes this, and every older cache file is a miss.
_MAGIC = b"hello-shenyang knowledge cache 1\n"
_DIGEST_BYTES = 32  # sha256
# What a cached result may name: the records, dates and time zones, read-only mappings.
_ALLOWED = {
    "bot.records": frozenset(
        {"Entry", "Link", "Location", "Event", "Series", "Edition", "Facts", "Problem"}
    ),
    "bot.knowledge_cache": frozenset({"CheckedFile"}),
    **MAPPING_PROXY,
    "datetime": frozenset({"date", "datetime", "time", "timedelta", "timezone"}),
    "zoneinfo": frozenset({"ZoneInfo._unpickle"}),
}


@dataclass(frozen=True)
class CheckedFile:
    """What reading and checking one knowledge file gave: its entries, its ``FILE:LINE``
    problems in the order the checker reported them, and the normal forms of its entries'
    phrasings (None until loading has made them, all files' at once)."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    normal: Mapping[str, str] | None = None


@cache
def code_version() -> bytes:
    """A digest of what a file's checked result depends on besides its bytes: this package's
    source, Python, PyYAML (and whether it has libyaml), numpy and OpenCC (normal forms).
    Any edit to the bot's code makes every cache file a miss: safe, and cheap (2 ms)."""
    digest = hashlib.sha256(_MAGIC)
    for part in (sys.version, yaml.__version__, C_LOADER is not None, np.__version__):
        digest.update(f"{part}\0".encode())
    digest.update(f"{getattr(opencc, '__version__', '')}\0".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


@dataclass(frozen=True)
class KnowledgeCache:
    """The cache files in one folder (made when first written, readable by this user only), and
    the results of the last load in memory: a ``/reload`` after one file of a 10,000-entry base
    was edited spent 0.30 s unpickling the 19 files it already held."""

    folder: Path
    # By key, the results of the last load and of this one (whoever reloads keeps this object).
    recall: Recall[bytes, CheckedFile] = field(default_factory=Recall, compare=False, repr=False)

    def get(self, shown: str, raw: bytes, libyaml: bool) -> CheckedFile | None:
        """The cached result for a file shown as ``shown`` with these bytes, if trustworthy."""
        key = _key(shown, raw, libyaml)
        if (recalled := self.recall.get(key)) is not None:
            return recalled
        try:
            data = own_file_bytes(self._slot(shown, libyaml))
            if data is None or not data.startswith(_MAGIC + key):
                return None
            body = memoryview(data)[len(_MAGIC) + _DIGEST_BYTES :]
            checked = unpickled(io.BytesIO(body), _ALLOWED)
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None
        if not isinstance(checked, CheckedFile) or not _well_formed(checked):
            return None
        self.recall.put(key, checked)
        return checked

    def put(self, shown: str, raw: bytes, libyaml: bool, checked: CheckedFile) -> None:
        """Store a file's result; a folder that cannot be written is left alone."""
        key = _key(shown, raw, libyaml)
        self.recall.put(key, checked)
        try:
            data = _MAGIC + key + pickled(checked)
        except Exception:  # a record pickle cannot store (none today): loading goes on
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(self._slot(shown, libyaml), data)
        except OSError:
            return

    def keep_only(self, shown: Iterable[str], libyaml: bool) -> None:
        """Delete the cache files of other files and other code: without this, every release
        of the bot would leave the whole base's cache behind (25 MB at 10,000 entries). This
        load's results become the last."""
        keep_only(self.folder, {self._slot(name, libyaml) for name in shown})
        self.recall.turn()

    def _slot(self, shown: str, libyaml: bool) -> Path:
        digest = hashlib.sha256(code_version() + f"{libyaml}\0{shown}".encode())
        return self.folder / f"{digest.hexdigest()[:32]}{SUFFIX}"


def _key(shown: str, raw: bytes, libyaml: bool) -> bytes:
    digest = hashlib.sha256(code_version() + f"{libyaml}\0{shown}\0".encode())
    digest.update(raw)
    return digest.digest()


def _well_formed(checked: object) -> bool:
    return (
        isinstance(checked, CheckedFile)
        and isinstance(checked.entries, tuple)
        and isinstance(checked.problems, tuple)
        and isinstance(checked.normal, MappingProxyType)
        and all(isinstance(entry, Entry) for entry in checked.entries)
        and all(isinstance(problem, Problem) for problem in checked.problems)
    )
