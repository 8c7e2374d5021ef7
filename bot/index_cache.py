"""A cache of the matcher's index, kept in pieces (bot.index_pieces), one for the entries of each
knowledge file, so that a restart or ``/reload`` indexes again only the files whose entries have
changed, and puts the index together from the pieces of the others.

At 10,000 synthetic entries in 20 files (benchmarks/bench_loading.py, a machine with a load
average of 1.4–2.4 on 2 cores) a ``/reload`` after one question of one file was edited built and
stored the whole index: 4.2–4.5 s of CPU. Now that file's piece is built and stored and the
others read: 1.2–1.3 s (digests 0.2–0.3, reading 19 pieces 0.26–0.41, the one piece 0.13–0.22,
putting the pieces together 0.16–0.33, the collector's pass over what was read 0.16–0.25). A
restart of an unchanged base reads the pieces' records and the arrays put together, not the
pieces' parts: 0.80–0.86 s, as the single cached index took (0.79–0.91 s), with 34 MiB less at
the peak.

One file per piece in the ``index`` folder of the knowledge cache (bot.knowledge_cache), named by
a digest of everything the piece is made of, and holding that digest, then a pickle of the
piece's records, then one of its parts (:class:`bot.index_pieces.IndexPiece`). The digest covers
what :meth:`IndexPiece.of` reads — each entry's id, phrasings and keywords, how many answers it
has, the phrasings' normal forms, in order — and the code (bot.knowledge_cache.code_version:
this package's source, Python, numpy …). Answers are in a piece as they are (the matcher reads
which places they name) and nothing is made of them: they are read back as the knowledge base's
own, not digested (they were half of the text to digest). The digest holds for a knowledge base
however made: a digest of the files would have to trust that the knowledge base was not changed
after loading. One more file holds the pieces' arrays put together, named by a digest of the
pieces' digests in order. The lexicon and the confidence model are not in the files: the matcher
is made from the index with the knowledge base's lexicon and the model asked for, so a new
lexicon or model takes effect on a hit. The cache keeps only the files of the last index: 96 MiB
at 10,000 entries (the single file was 62).

Where a piece holds one of those texts (a phrasing, its normal form, an answer), the pickle holds
its number, and reading takes the knowledge base's own string: the digest says they are equal.
At 10,000 entries that keeps the matcher at the 92 MiB of a built one (copies of the strings made
it 144 MiB).

Unpickling runs code, so a file is trusted only when its digest matches, it is a regular file
owned by this user that nobody else may write, and its pickle names only the classes listed here
(bot.cache_files). Anything else (missing, foreign, corrupt, an unwritable folder) is a miss: the
piece is built, or the pieces put together, as without a cache, and indexing never fails because
of the cache.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO

import numpy as np

from bot.cache_files import (
    MAPPING_PROXY,
    SUFFIX,
    Recall,
    keep_only,
    own_file,
    pickle_into,
    unpickled,
    write_atomically,
)
from bot.confidence import MODEL, Model
from bot.index import UnitIndex, UnitPart
from bot.index_pieces import IndexPiece, by_file, joined
from bot.knowledge import Entry, KnowledgeBase, collector_paused
from bot.knowledge_cache import code_version
from bot.matching import BuiltIndex, IndexedEntries, Matcher
from bot.word_sets import WordPart, WordTable

# Changing how the index is stored changes this, and every older cache file is a miss.
_MAGIC = b"hello-shenyang index cache 2\n"
_DIGEST_BYTES = 32  # sha256
FOLDER = "index"  # inside the knowledge cache's folder, whose clean-up leaves folders alone
_NUMPY = {
    "numpy": frozenset({"dtype"}),
    "numpy._core.numeric": frozenset({"_frombuffer"}),  # numpy 2
    "numpy.core.numeric": frozenset({"_frombuffer"}),  # numpy 1.26
}
# What a piece's records may name; then what its parts may name, then the arrays put together.
_RECORDS_ALLOWED = {"bot.matching": frozenset({"_IndexedEntry", "_Phrasings"})}
_PARTS_ALLOWED = {
    "bot.index": frozenset({"UnitPart"}),
    "bot.word_sets": frozenset({"WordPart"}),
    **_NUMPY,
}
_WHOLE_ALLOWED = {"bot.index": frozenset({"UnitIndex"}), **MAPPING_PROXY, **_NUMPY}


@dataclass(frozen=True)
class IndexCache:
    """The cached index in one folder (made when first written, readable by this user only)."""

    folder: Path
    # What the last index was made of, kept by whoever reloads: a ``/reload`` after one file of
    # 10,000 entries was edited spent 0.21 s digesting the 19 files it already held and 0.23 s
    # unpickling their records. Recalled by the first entry's identity (the knowledge cache
    # recalls the very records of an unchanged file) and by digest. The pieces' parts are not
    # kept: the index put together holds them again (50 MiB at 10,000 entries).
    texts: Recall[int, _Texts] = field(default_factory=Recall, compare=False, repr=False)
    records: Recall[bytes, _Stored] = field(default_factory=Recall, compare=False, repr=False)

    @classmethod
    def beside(cls, knowledge_cache: Path) -> IndexCache:
        """The index cache that goes with the knowledge cache in ``knowledge_cache``."""
        return cls(knowledge_cache / FOLDER)

    def matcher(self, knowledge: KnowledgeBase, model: Model = MODEL) -> Matcher:
        """The matcher of ``knowledge`` (as :meth:`Matcher.build`): each piece of its index from
        the cache where it is there, else built and stored for next time, and the pieces put
        together likewise; the cache then keeps only these."""
        normal = _plain(knowledge.normal)
        with collector_paused():
            groups = [self._texts_of(entries, normal) for entries in by_file(knowledge.entries)]
            stored = [self._read(group) for group in groups]
            built = self._stored_whole(groups, stored)
            if built is None:
                pieces = []
                for group, found in zip(groups, stored, strict=True):
                    piece = found.piece() if found is not None else None
                    if piece is None:
                        piece = IndexPiece.of(group.entries, normal)
                        self._put(group, piece)
                    pieces.append(piece)
                built = self._joined(groups, pieces, knowledge)
            keys = [group.key for group in groups]
            self._keep_only([*keys, _whole_key(keys)])
            return Matcher(built, knowledge.lexicon, model)

    def get(self, knowledge: KnowledgeBase) -> BuiltIndex | None:
        """The index of ``knowledge`` from the cache, if every piece is there and trustworthy."""
        normal = _plain(knowledge.normal)
        with collector_paused():
            groups = [self._texts_of(entries, normal) for entries in by_file(knowledge.entries)]
            stored = [self._read(group) for group in groups]
            built = self._stored_whole(groups, stored)
            if built is not None:
                return built
            pieces = [found.piece() for found in stored if found is not None]
            if len(pieces) < len(groups) or None in pieces:
                return None
            return _joined_or_built([p for p in pieces if p is not None], knowledge)

    def _stored_whole(
        self, groups: list[_Texts], stored: list[_Stored | None]
    ) -> BuiltIndex | None:
        """The index as the cache holds its arrays put together, when it has every piece's
        records and the arrays of these pieces: then the pieces' own parts are not read (0.07 s
        at 10,000 entries), nor put together again (0.16–0.33 s; reading the arrays 0.06 s)."""
        key = _whole_key([group.key for group in groups])
        if key is None or None in stored:
            return None
        records = (found.entries for found in stored if found is not None)
        return self._get_whole(key, tuple(chain.from_iterable(records)))

    def _joined(
        self, groups: list[_Texts], pieces: list[IndexPiece], knowledge: KnowledgeBase
    ) -> BuiltIndex:
        """The index of the pieces put together, and its arrays stored."""
        built = _joined_or_built(pieces, knowledge)
        key = _whole_key([group.key for group in groups])
        if key is not None:
            words = built.words
            arrays = (built.units, (words.numbers, words.lengths, words.words, words.texts_at))
            self._write(key, lambda file: pickle_into(file, arrays))
        return built

    def _get_whole(self, key: bytes, entries: IndexedEntries) -> BuiltIndex | None:
        try:
            with own_file(self._slot(key)) as file:
                if file is None or file.read(len(_MAGIC) + _DIGEST_BYTES) != _MAGIC + key:
                    return None
                units, (numbers, lengths, words, texts_at) = unpickled(file, _WHOLE_ALLOWED)
            texts = tuple(chain.from_iterable(entry.split for entry in entries))
            table = WordTable(texts, numbers, lengths, words, texts_at)
            built = BuiltIndex(entries, units, table)
            return built if _well_formed_whole(built) else None
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None

    def put(self, knowledge: KnowledgeBase, pieces: Sequence[IndexPiece]) -> None:
        """Store ``pieces`` as the index of ``knowledge``, a piece per file; a folder that
        cannot be written is left alone."""
        for entries, piece in zip(by_file(knowledge.entries), pieces, strict=True):
            self._put(_Texts.of(entries, knowledge.normal), piece)

    def _texts_of(self, entries: tuple[Entry, ...], normal: Mapping[str, str]) -> _Texts:
        """The texts of ``entries`` (:meth:`_Texts.of`), recalled when the last index had these
        very entries (held there, so no other object can have their identity)."""
        recalled = self.texts.get(id(entries[0])) if entries else None
        if recalled is None or not _same_objects(recalled.entries, entries):
            recalled = _Texts.of(entries, normal)
        if entries:
            self.texts.put(id(entries[0]), recalled)
        return recalled

    def _read(self, texts: _Texts) -> _Stored | None:
        """The records of the piece of ``texts`` as the cache holds them, its parts left unread
        (and not held in memory: 2.5 MiB a piece); recalled where the last index had them and
        their answers (not digested) are these entries'."""
        if texts.key is None:
            return None
        recalled = self.records.get(texts.key)
        held = [entry.answers for entry in recalled.entries] if recalled is not None else None
        if recalled is not None and held == _answers_of(texts.entries):
            return replace(recalled, texts=texts)
        stored = self._read_file(texts)
        if stored is not None:
            self.records.put(texts.key, stored)
        return stored

    def _read_file(self, texts: _Texts) -> _Stored | None:
        assert texts.key is not None
        path = self._slot(texts.key)
        try:
            with own_file(path) as file:
                if file is None or file.read(len(_MAGIC) + _DIGEST_BYTES) != _MAGIC + texts.key:
                    return None
                entries = unpickled(file, _RECORDS_ALLOWED, texts.texts)
                parts_at = file.tell()  # the unpickler took no more than the records
            # Only records can be in it (_RECORDS_ALLOWED): are they these entries'?
            ids = [entry.id for entry in entries]
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None
        if not isinstance(entries, tuple) or ids != [entry.id for entry in texts.entries]:
            return None
        return _Stored(texts, entries, path, parts_at)

    def _put(self, texts: _Texts, piece: IndexPiece) -> None:
        """Store a piece: its records, then its parts (whose texts are its records' own); the
        records are recalled next time as if read."""
        if texts.key is None:
            return
        positions = {id(text): i for i, text in enumerate(texts.texts)}

        def shared(value: object) -> int | None:
            return positions.get(id(value)) if type(value) is str else None

        parts_at: list[int] = []

        def write(file: IO[bytes]) -> None:
            pickle_into(file, piece.entries, shared)
            parts_at.append(file.tell())
            pickle_into(file, (piece.units, replace(piece.words, texts=())))

        self._write(texts.key, write)
        if parts_at:  # recalled as if read: the records, and where the parts are
            self.records.put(
                texts.key, _Stored(texts, piece.entries, self._slot(texts.key), *parts_at)
            )

    def _write(self, key: bytes, write: Callable[[IO[bytes]], object]) -> None:
        """Write the file of ``key``: the digest, then what ``write`` writes into it."""

        def written(file: IO[bytes]) -> None:
            file.write(_MAGIC + key)
            write(file)  # into the file, not into memory first: 2 MiB a piece, 45 the arrays

        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(self._slot(key), written)
        except Exception:  # an unwritable folder, or a value pickle cannot store (none today)
            return

    def _keep_only(self, keys: Iterable[bytes | None]) -> None:
        """Delete the files of other pieces: each edit of a file would leave one behind; and
        recall only this index next time."""
        keep_only(self.folder, {self._slot(key) for key in keys if key is not None})
        self.texts.turn()
        self.records.turn()

    def _slot(self, key: bytes) -> Path:
        return self.folder / f"{key.hex()[:32]}{SUFFIX}"


@dataclass(frozen=True)
class _Stored:
    """A piece's file whose records were read: its parts follow them, at ``parts_at``."""

    texts: _Texts
    entries: IndexedEntries
    path: Path
    parts_at: int

    def piece(self) -> IndexPiece | None:
        """The piece, its parts read now; None if they cannot be trusted (the file is checked
        again: it may have been replaced since its records were read)."""
        key = self.texts.key
        try:
            with own_file(self.path) as file:
                if key is None or file is None:
                    return None
                if file.read(len(_MAGIC) + _DIGEST_BYTES) != _MAGIC + key:
                    return None
                file.seek(self.parts_at)
                units, words = unpickled(file, _PARTS_ALLOWED)
            split = tuple(chain.from_iterable(entry.split for entry in self.entries))
            piece = IndexPiece(self.entries, units, replace(words, texts=split))
        except Exception:  # a corrupt pickle raises almost anything: a miss
            return None
        return piece if _well_formed(piece, self.texts.entries) else None


@dataclass(frozen=True)
class _Texts:
    """Some consecutive entries, the texts their piece of the index is made of, in an order that
    tells them apart, and their digest (None: not cached). A piece is stored with a reference to
    one of these texts wherever it holds that very string, and read back with the knowledge
    base's own: where the digests match, the texts do."""

    entries: tuple[Entry, ...]
    texts: tuple[str, ...]
    key: bytes | None

    @classmethod
    def of(cls, entries: tuple[Entry, ...], normal: Mapping[str, str]) -> _Texts:
        """The texts of ``entries``; no key for entries without the normal forms of all their
        phrasings (a knowledge base made otherwise than by loading) or with a text holding
        U+0000."""
        texts: list[str] = []
        for entry in entries:
            keywords = list(chain.from_iterable(entry.keywords.values()))
            texts += (entry.id, str(len(entry.phrasings)), *entry.phrasings, str(len(keywords)))
            texts += (*keywords, str(len(entry.answer)))
        phrasings = chain.from_iterable(entry.phrasings for entry in entries)
        try:
            texts += map(normal.__getitem__, phrasings)
        except KeyError:
            return cls(entries, (), None)
        # Texts between NULs, with the counts above, read back one way only: no two pieces share
        # a digest; one digest of them joined, not 25,000 small ones for a file of 500 entries.
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:
            return cls(entries, (), None)
        digest = hashlib.sha256(code_version() + f"{len(entries)}\0".encode())
        digest.update(joined.encode("utf-8", "surrogatepass"))
        # The answers last, counted above but not digested: a piece holds them as they are and
        # nothing made of them, so the knowledge base's own are the right ones, whatever they
        # say. Digesting them was half the digest's time (7.8 of 16.5 million characters).
        texts += chain.from_iterable(entry.answer.values() for entry in entries)
        return cls(entries, tuple(texts), digest.digest())


def piece_keys(knowledge: KnowledgeBase) -> list[bytes | None]:
    """For each piece of the index of ``knowledge`` (a file's entries), a digest of everything
    it is made of: the entries' ids, phrasings and keywords, how many answers each has, the
    phrasings' normal forms, and the code (None: not cached)."""
    return [_Texts.of(entries, knowledge.normal).key for entries in by_file(knowledge.entries)]


def _whole_key(keys: Sequence[bytes | None]) -> bytes | None:
    """The digest of the index put together from pieces of these digests, in this order."""
    if None in keys:
        return None
    return hashlib.sha256(b"whole\0" + b"".join(key for key in keys if key is not None)).digest()


def _plain(normal: Mapping[str, str]) -> Mapping[str, str]:
    """The dict a loaded base's read-only mapping shows: looking up through the proxy took 0.1 s
    more at 10,000 entries."""
    return normal.copy() if isinstance(normal, MappingProxyType) else normal


def _joined_or_built(pieces: list[IndexPiece], knowledge: KnowledgeBase) -> BuiltIndex:
    """The index put together from its pieces; built afresh if they do not fit together (pieces
    whose digests matched always do: this is for a damaged file that still unpickled)."""
    try:
        return joined(pieces)
    except Exception:
        return BuiltIndex.of(knowledge)


def _same_objects(these: Sequence[object], those: Sequence[object]) -> bool:
    return len(these) == len(those) and all(map(operator.is_, these, those))


def _answers_of(entries: Sequence[Entry]) -> list[tuple[str, ...]]:
    """Each entry's answers, in order, as its indexed records hold them."""
    return [tuple(entry.answer.values()) for entry in entries]


def _well_formed_whole(built: BuiltIndex) -> bool:
    words = built.words
    arrays = (words.lengths, words.words, words.texts_at)
    return (
        isinstance(built.units, UnitIndex)
        and isinstance(words.numbers, MappingProxyType)
        and all(isinstance(array, np.ndarray) for array in arrays)
        and len(words.texts_at) == len(words.texts)
    )


def _well_formed(piece: IndexPiece, entries: tuple[Entry, ...]) -> bool:
    units, words = piece.units, piece.words
    if not (isinstance(units, UnitPart) and isinstance(words, WordPart)):
        return False
    arrays: list[object] = [units.cjk, units.words, units.trigram_postings, words.chars]
    arrays += [words.long_bits, words.words, words.texts_at]
    return (
        units.size == len(entries)
        and all(isinstance(array, np.ndarray) for array in arrays)
        and len(words.texts) == len(words.texts_at)
    )
