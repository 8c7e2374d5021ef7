"""A cache of the matcher's index, so that a restart or ``/reload`` of an unchanged knowledge base
does not index it again: at 10,000 synthetic entries the index takes 1.6–2.3 s of CPU to build,
0.66–0.79 s to read back from here, and storing it 1–3 s more, once (benchmarks/bench_loading.py,
on a busy machine).

One file, ``index.pickle`` in the ``index`` folder of the knowledge cache (bot.knowledge_cache),
holding the index of the last knowledge base indexed: a digest of everything the index is made
of, then a pickle of :class:`bot.matching.BuiltIndex`. The digest covers what
:meth:`BuiltIndex.of` reads — each entry's id, phrasings, keywords and answers and the phrasings'
normal forms, in order — and the code (bot.knowledge_cache.code_version: this package's source,
Python, numpy …). Digesting the entries takes about 0.3 s at 10,000 entries, ten times a digest
of the files' bytes, but holds for a knowledge base however made: a digest of the files would
have to trust that the knowledge base was not changed after loading. The lexicon and the
confidence model are not in the file: the matcher is made from the cached index with the
knowledge base's lexicon and the model asked for, so a new lexicon or model takes effect on a hit.

Where the index holds one of those texts (a phrasing, its normal form, an answer), the pickle
holds its number, and reading takes the knowledge base's own string: the digest says they are
equal. At 10,000 entries that keeps the matcher at the 92 MiB of a built one (copies of the
strings made it 144 MiB), the file at 62 MiB instead of 86, and unpickling at 0.29 s (0.36 s).

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
        texts = _Texts.of(knowledge)
        built = self._get(texts, knowledge) if texts is not None else None
        if built is not None:
            return Matcher(built, knowledge.lexicon, model)
        matcher = Matcher.build(knowledge, model)
        if texts is not None:
            self._put(texts, matcher.built)
        return matcher

    def get(self, knowledge: KnowledgeBase) -> BuiltIndex | None:
        """The cached index of ``knowledge``, if there is one and it is trustworthy."""
        texts = _Texts.of(knowledge)
        return self._get(texts, knowledge) if texts is not None else None

    def put(self, knowledge: KnowledgeBase, built: BuiltIndex) -> None:
        """Store ``built`` as the index of ``knowledge``; a folder that cannot be written is left
        alone."""
        texts = _Texts.of(knowledge)
        if texts is not None:
            self._put(texts, built)

    def _get(self, texts: _Texts, knowledge: KnowledgeBase) -> BuiltIndex | None:
        try:
            with own_file(self.folder / _FILE) as file, collector_paused():
                if file is None or file.read(len(_MAGIC) + _DIGEST_BYTES) != _MAGIC + texts.key:
                    return None
                built = unpickled(file, _ALLOWED, texts.texts)
            return built if _well_formed(built, knowledge) else None
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None

    def _put(self, texts: _Texts, built: BuiltIndex) -> None:
        positions = {id(text): i for i, text in enumerate(texts.texts)}

        def shared(value: object) -> int | None:
            return positions.get(id(value)) if type(value) is str else None

        def write(file: IO[bytes]) -> None:
            file.write(_MAGIC + texts.key)
            # Into the file, not into memory first: 62 MiB at 10,000 entries.
            pickle_into(file, built, shared)

        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(self.folder / _FILE, write)
        except Exception:  # an unwritable folder, or an index pickle cannot store (none today)
            return


@dataclass(frozen=True)
class _Texts:
    """The texts an index is made of, in an order that tells them apart, and their digest. The
    index is stored with a reference to one of them wherever it holds that very string, and read
    back with the knowledge base's own: where the digests match, the texts do."""

    texts: tuple[str, ...]
    key: bytes

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> _Texts | None:
        """The texts of ``knowledge``; None, and not cached, for a knowledge base without the
        normal forms of all its phrasings (made otherwise than by loading) or with a text
        holding U+0000."""
        texts: list[str] = []
        for entry in knowledge.entries:
            keywords = list(chain.from_iterable(entry.keywords.values()))
            answers = list(entry.answer.values())
            texts += (entry.id, str(len(entry.phrasings)), *entry.phrasings, str(len(keywords)))
            texts += (*keywords, str(len(answers)), *answers)
        normal = knowledge.normal
        # The dict a loaded base's read-only mapping shows: through the proxy took 0.1 s.
        forms = normal.copy() if isinstance(normal, MappingProxyType) else normal
        phrasings = chain.from_iterable(entry.phrasings for entry in knowledge.entries)
        try:
            texts += map(forms.__getitem__, phrasings)
        except KeyError:
            return None
        # Texts between NULs, with the counts above, read back one way only: no two bases share
        # a digest; one digest of them joined, not 700,000 small ones at 10,000 entries.
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:
            return None
        digest = hashlib.sha256(code_version() + f"{len(knowledge.entries)}\0".encode())
        digest.update(joined.encode("utf-8", "surrogatepass"))
        return cls(tuple(texts), digest.digest())


def index_key(knowledge: KnowledgeBase) -> bytes | None:
    """A digest of everything the index of ``knowledge`` is made of: each entry's id, phrasings,
    keywords and answers, its phrasings' normal forms, and the code (None: not cached)."""
    texts = _Texts.of(knowledge)
    return texts.key if texts is not None else None


def _well_formed(built: object, knowledge: KnowledgeBase) -> bool:
    return (
        isinstance(built, BuiltIndex)
        and isinstance(built.entries, tuple)
        and isinstance(built.units, UnitIndex)
        and isinstance(built.words, WordTable)
        and [entry.id for entry in built.entries] == [entry.id for entry in knowledge.entries]
    )
