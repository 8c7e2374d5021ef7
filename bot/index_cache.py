"""A cache of the matcher's index, so that a restart or ``/reload`` of an unchanged knowledge base
does not index it again: at 10,000 synthetic entries the index took 1.8–2.5 s of CPU to build,
and unpickling it takes about 0.45 s (benchmarks/bench_loading.py).

One file, ``index.pickle`` in the ``index`` folder of the knowledge cache (bot.knowledge_cache),
holding the index of the last knowledge base indexed: a digest of everything the index is made
of, then a pickle of :class:`bot.matching.BuiltIndex`. The digest covers what
:meth:`BuiltIndex.of` reads — each entry's id, phrasings, keywords and answers and the phrasings'
normal forms, in order — and the code (bot.knowledge_cache.code_version: this package's source,
Python, numpy …). The lexicon and the confidence model are not in the file: the matcher is
made from the cached index with the knowledge base's lexicon and the model asked for, so a new
lexicon or model takes effect without rebuilding. Digesting the entries costs about 0.15 s at
10,000 entries, and holds for a knowledge base however made; a digest of the files read would
also have to trust that nothing changed the knowledge base after loading.

Unpickling runs code, so the file is trusted only when its digest matches, it is a regular file
owned by this user that nobody else may write, and its pickle names only the classes listed here
(bot.cache_files). Anything else (missing, foreign, corrupt, an unwritable folder) is a miss: the
index is built as without a cache, and indexing never fails because of the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO

from bot.cache_files import MAPPING_PROXY, own_file, pickle_into, unpickled, write_atomically
from bot.confidence import MODEL, Model
from bot.index import UnitIndex
from bot.knowledge import KnowledgeBase, collector_paused
from bot.knowledge_cache import code_version
from bot.matching import BuiltIndex, Matcher
from bot.word_sets import WordTable

# Changing how the index is stored changes this, and every older cache file is a miss.
_MAGIC = b"hello-shenyang index cache 1\n"
_DIGEST_BYTES = 32  # sha256
FOLDER = "index"  # inside the knowledge cache's folder, whose clean-up leaves folders alone
_FILE = "index.pickle"
# What a cached index may name: its records, read-only mappings, numpy arrays and their types.
_ALLOWED = {
    "bot.matching": frozenset({"BuiltIndex", "_IndexedEntry", "_Phrasings"}),
    "bot.index": frozenset({"UnitIndex"}),
    "bot.word_sets": frozenset({"WordTable"}),
    **MAPPING_PROXY,
    "numpy": frozenset({"dtype"}),
    "numpy._core.numeric": frozenset({"_frombuffer"}),  # numpy 2
    "numpy.core.numeric": frozenset({"_frombuffer"}),  # numpy 1.26
}


@dataclass(frozen=True)
class IndexCache:
    """The cached index in one folder (made when first written, readable by this user only)."""

    folder: Path

    @classmethod
    def beside(cls, knowledge_cache: Path) -> IndexCache:
        """The index cache that goes with the knowledge cache in ``knowledge_cache``."""
        return cls(knowledge_cache / FOLDER)

    def matcher(self, knowledge: KnowledgeBase, model: Model = MODEL) -> Matcher:
        """The matcher of ``knowledge``: from the cached index when it is this knowledge base's,
        else built (as :meth:`Matcher.build`) and its index stored for next time."""
        key = index_key(knowledge)
        built = self.get(key, knowledge) if key is not None else None
        if built is not None:
            return Matcher(built, knowledge.lexicon, model)
        matcher = Matcher.build(knowledge, model)
        if key is not None:
            self.put(key, matcher.built)
        return matcher

    def get(self, key: bytes, knowledge: KnowledgeBase) -> BuiltIndex | None:
        """The cached index stored under ``key`` (see :func:`index_key`), if trustworthy."""
        try:
            with own_file(self.folder / _FILE) as file, collector_paused():
                if file is None or file.read(len(_MAGIC) + _DIGEST_BYTES) != _MAGIC + key:
                    return None
                built = unpickled(file, _ALLOWED)
            return built if _well_formed(built, knowledge) else None
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None

    def put(self, key: bytes, built: BuiltIndex) -> None:
        """Store an index under ``key``; a folder that cannot be written is left alone."""

        def write(file: IO[bytes]) -> None:
            file.write(_MAGIC + key)
            # Into the file, not into memory first: 86 MB at 10,000 entries.
            pickle_into(file, built)

        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(self.folder / _FILE, write)
        except Exception:  # an unwritable folder, or an index pickle cannot store (none today)
            return


def index_key(knowledge: KnowledgeBase) -> bytes | None:
    """A digest of everything the index of ``knowledge`` is made of: each entry's id, phrasings,
    keywords and answers, its phrasings' normal forms, and the code. None, and not cached, for a
    knowledge base without the normal forms of all its phrasings (made otherwise than by
    loading) or with a text holding U+0000."""
    texts: list[str] = []
    for entry in knowledge.entries:
        keywords = list(chain.from_iterable(entry.keywords.values()))
        answers = list(entry.answer.values())
        texts += (entry.id, str(len(entry.phrasings)), *entry.phrasings, str(len(keywords)))
        texts += (*keywords, str(len(answers)), *answers)
    normal = knowledge.normal
    # The dict a loaded base's read-only mapping shows: looking up through the proxy took 0.1 s.
    forms = normal.copy() if isinstance(normal, MappingProxyType) else normal
    try:
        texts += map(forms.__getitem__, chain.from_iterable(e.phrasings for e in knowledge.entries))
    except KeyError:
        return None
    # Texts between NULs, with the counts above, read back one way only: no two bases share a
    # digest; one digest of them joined, not 700,000 small ones at 10,000 entries.
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return None
    digest = hashlib.sha256(code_version() + f"{len(knowledge.entries)}\0".encode())
    digest.update(joined.encode("utf-8", "surrogatepass"))
    return digest.digest()


def _well_formed(built: object, knowledge: KnowledgeBase) -> bool:
    return (
        isinstance(built, BuiltIndex)
        and isinstance(built.entries, tuple)
        and isinstance(built.units, UnitIndex)
        and isinstance(built.words, WordTable)
        and [entry.id for entry in built.entries] == [entry.id for entry in knowledge.entries]
    )
