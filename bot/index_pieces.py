"""The matcher's index in pieces: the index of some consecutive entries (one knowledge file's), their
positions counted from the first of them, and the index of a whole knowledge base put together from
its pieces, the same to the bit as :meth:`bot.matching.BuiltIndex.of` builds at once.

Why: a ``/reload`` after a curator edited one file had to index the whole base again, 1.5–2.3 s
of CPU at 10,000 synthetic entries (then 1–3 s more to store the index). Kept in pieces
(bot.index_cache keeps one per knowledge file), only the edited file's entries are indexed again
(0.08–0.14 s for a file of 500) and the rest is put together (0.16–0.33 s for 20 pieces): the
text work (normalizing, splitting, numbering words and trigrams) is in the pieces; putting them
together is renumbering and merging arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, groupby

from bot.index import UnitIndex, UnitPart
from bot.knowledge import Entry
from bot.matching import BuiltIndex, IndexedEntries, indexed_entries
from bot.word_sets import WordPart, WordTable


@dataclass(frozen=True, eq=False)
class IndexPiece:
    """The index of some consecutive entries, their positions counted from the first of them."""

    entries: IndexedEntries
    units: UnitPart
    words: WordPart

    @classmethod
    def of(cls, entries: Sequence[Entry], normal: Mapping[str, str]) -> IndexPiece:
        """Index ``entries``; ``normal``: normal forms of phrasings (KnowledgeBase.normal)."""
        indexed = indexed_entries(entries, normal)
        # An entry holds the units of all its phrasings; runs never cross the joining spaces.
        units = UnitPart.of([" ".join(entry.normalized) for entry in indexed])
        words = WordPart.of([split for entry in indexed for split in entry.split])
        return cls(indexed, units, words)


def joined(pieces: Sequence[IndexPiece]) -> BuiltIndex:
    """The index of the pieces' entries, end to end."""
    entries = tuple(chain.from_iterable(piece.entries for piece in pieces))
    units = UnitIndex.joined([piece.units for piece in pieces])
    words = WordTable.joined([piece.words for piece in pieces])
    return BuiltIndex(entries, units, words)


def by_file(entries: Sequence[Entry]) -> list[tuple[Entry, ...]]:
    """The entries in pieces: each run of consecutive entries from one knowledge file."""
    return [tuple(run) for _, run in groupby(entries, key=lambda entry: entry.file)]
